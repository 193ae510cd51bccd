"""Oral dosing: repeated tablets, titration, kidney function and a missed or doubled dose.

The plasma curve is :func:`baclofen_teach.pk.simulate` for a list of oral :class:`~baclofen_teach.pk.Dose`
events with :meth:`PKParams.renal <baclofen_teach.pk.PKParams.renal>` parameters (clearance scaled by
creatinine clearance [wuis1989; vlavonou2014]) and the chosen absorption rate. The plasma reference range
0.08-0.4 mg/L [perry1998] (a reported laboratory range, not a validated target [knutsson1974]) is shaded.
Titration follows the label pattern: start at 5 mg per dose and add 5 mg per dose every 3 days
[label_us_tablets], up to the chosen dose.

Educational model, not dosing advice.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from baclofen_teach import pk, plotting

from ._base import BaseApp, dropdown, flag_text, int_slider, nice_ceiling, slider

__all__ = ["OralDosingApp", "build_oral_events"]

SCHEDULES = (("Fixed dose from day 1", "fixed"), ("Titration: +5 mg per dose every 3 days", "titration"))
EVENTS = (("None", "none"), ("Missed dose", "missed"), ("Doubled dose", "doubled"))
#: Severe kidney impairment: toxicity at usual doses [elhusseini2011]; avoid below 30 mL/min [wolf2018]
#: (the engine's :data:`baclofen_teach.pk.AVOID_BELOW_CRCL_ML_PER_MIN`).
SEVERE_CRCL_ML_PER_MIN = pk.AVOID_BELOW_CRCL_ML_PER_MIN
_POINTS_PER_HOUR = 6


#: The oral dosing schedule is the engine's (:func:`baclofen_teach.pk.oral_regimen`); kept under this name.
build_oral_events = pk.oral_regimen


class OralDosingApp(BaseApp):
    """Dose, doses per day, absorption rate, days, kidney function -> plasma curve and Cmax/Cmin/Css,avg.

    Controls: ``dose_mg`` (mg per dose, 2.5-100), ``doses_per_day`` (1-6), ``ka_per_h`` (absorption rate
    constant, 0.2-6 1/h; default 1.64 [simon2018]), ``days`` (1-21), ``crcl_mL_per_min`` (creatinine
    clearance, 5-150 mL/min; default 100), ``schedule`` ("fixed" | "titration"), ``event`` ("none" |
    "missed" | "doubled"), ``event_day`` (1-21: the event hits the first dose of that day).

    Readouts: ``daily_dose``, ``half_life``, ``cmax``, ``cmin``, ``css_avg``, ``time_in_range``, ``status``.
    Cmax and Cmin are the highest and lowest plasma concentration over the last simulated day; Css,avg is the
    steady-state average ``F * dose / (CL * tau)`` (:func:`pk.css_avg`) of the final dose per administration.
    """

    title = "Oral dosing: repeated doses, titration, kidney function"
    slug = "oral"
    figsize = (9.0, 3.8)
    readout_labels = {
        "daily_dose": "Daily dose (final)",
        "half_life": "Plasma half-life with this kidney function",
        "cmax": "Cmax, last day",
        "cmin": "Cmin (trough), last day",
        "css_avg": "Css,avg (steady-state average, formula)",
        "time_in_range": "Time in the reported reference range 0.08–0.4 mg/L (not a target), last day",
    }

    def _caption(self) -> str:
        return (
            "Plasma concentration for repeated oral doses; the shaded band is the reported plasma reference "
            "range 0.08–0.4 mg/L [perry1998]."
        )

    def _make_controls(self) -> dict[str, W.Widget]:
        return {
            "dose_mg": slider("Dose per administration (mg)", 10.0, 2.5, 100.0, 2.5, fmt=".1f"),
            "doses_per_day": int_slider("Doses per day (1/day)", 3, 1, 6),
            "ka_per_h": slider("Absorption rate constant ka (1/h)", 1.64, 0.2, 6.0, 0.02, fmt=".2f"),
            "days": int_slider("Days simulated (days)", 7, 1, 21),
            "crcl_mL_per_min": slider(
                "Kidney function: creatinine clearance (mL/min)", 100.0, 5.0, 150.0, 5.0, fmt=".0f"
            ),
            "schedule": dropdown("Schedule (label pattern)", SCHEDULES, "fixed"),
            "event": dropdown("Missed or doubled dose (event)", EVENTS, "none"),
            "event_day": int_slider("Event on the first dose of day (day)", 3, 1, 21),
        }

    def _build(self, fig: Figure) -> None:
        ax = self.ax = fig.subplots()
        lo, hi = pk.REFERENCE_RANGE_MG_PER_L
        ax.axhspan(lo, hi, label=f"Reference range {lo:g}–{hi:g} mg/L", **plotting.RANGE_FILL)
        z = np.zeros(2)
        a = self.artists
        (a["plasma"],) = ax.plot(z, z, label="Plasma concentration", **plotting.line_style(0))
        (a["css_avg"],) = ax.plot(
            z, z, label="Css,avg (steady state)", **{**plotting.line_style(1), "linewidth": 1.5}
        )
        (a["doses"],) = ax.plot(
            z,
            z,
            linestyle="none",
            marker="|",
            markersize=10,
            color=plotting.OKABE_ITO["black"],
            transform=ax.get_xaxis_transform(),
            label="Dose taken",
        )
        (a["event"],) = ax.plot(
            z[:0],
            z[:0],
            linestyle="none",
            marker="X",
            markersize=9,
            color=plotting.PALETTE[3],
            transform=ax.get_xaxis_transform(),
            label="Missed or doubled dose",
        )
        plotting.set_time_axis(ax, "days", "Time after the first dose")
        plotting.set_concentration_axis(ax, "Plasma", "mg/L")
        ax.grid(True, alpha=0.3)
        fig.legend(fontsize=9, loc="outside upper center", ncols=3)  # outside: drawn once, never overdrawn

    @property
    def params(self) -> pk.PKParams:
        """The parameters simulated: adult, clearance scaled by kidney function, the chosen ka."""
        return pk.PKParams.renal(self.value("crcl_mL_per_min")).with_(ka_per_h=self.value("ka_per_h"))

    @property
    def events(self) -> pk.Regimen:
        """The dose events simulated (:func:`baclofen_teach.pk.oral_regimen`)."""
        return build_oral_events(
            self.value("dose_mg"),
            self.value("doses_per_day"),
            self.value("days"),
            self.value("schedule"),
            self.value("event"),
            self.value("event_day"),
        )

    def _compute(self) -> dict[str, Any]:
        days = int(self.value("days"))
        p = self.params
        events = self.events
        t = np.linspace(0.0, 24.0 * days, 24 * days * _POINTS_PER_HOUR + 1)
        sim = pk.simulate(events, p, t)
        return {"t": t, "sim": sim, "p": p, "events": events, "days": days}

    def _apply(self, r: dict[str, Any]) -> tuple[dict[str, str], dict[str, float]]:
        t, sim, p, events, days = r["t"], r["sim"], r["p"], r["events"], r["days"]
        # A control shown must change something when moved: the event day only matters with an event.
        day_display = None if self.value("event") != "none" else "none"
        if self.controls["event_day"].layout.display != day_display:
            self.controls["event_day"].layout.display = day_display
        c = sim.plasma_mg_per_L
        n = int(self.value("doses_per_day"))
        tau = 24.0 / n
        final_dose = float(self.value("dose_mg"))
        if self.value("schedule") == "titration":
            final_dose = pk.titration_dose_mg(days - 1, final_dose)
        css = float(pk.css_avg(final_dose, tau, p.cl_L_per_h, f=p.f_oral))
        last = t >= t[-1] - 24.0
        c_last = c[last]
        cmax, cmin = float(c_last.max()), float(c_last.min())
        lo, hi = pk.REFERENCE_RANGE_MG_PER_L
        in_range = float(np.mean((c_last >= lo) & (c_last <= hi)))

        a = self.artists
        x = t / 24.0
        a["plasma"].set_data(x, c)
        a["css_avg"].set_data([0.0, x[-1]], [css, css])
        dose_days = np.array([e.time_h / 24.0 for e in events])
        a["doses"].set_data(dose_days, np.full(dose_days.shape, 0.03))
        ev = self.value("event")
        ev_t = (int(self.value("event_day")) - 1) * 24.0
        has_event = ev != "none" and ev_t < t[-1]
        a["event"].set_data([ev_t / 24.0] if has_event else [], [0.09] if has_event else [])
        self.ax.set_xlim(0.0, x[-1])
        self.ax.set_ylim(0.0, nice_ceiling(max(1.15 * hi, 1.1 * float(c.max()))))

        readouts = {
            "daily_dose": f"{final_dose * n:g} mg/day ({n} x {final_dose:g} mg, every {tau:g} h)",
            "half_life": f"{p.half_life_h:.1f} h",
            "cmax": f"{cmax:.3f} mg/L",
            "cmin": f"{cmin:.3f} mg/L",
            "css_avg": f"{css:.3f} mg/L",
            "time_in_range": f"{100 * in_range:.0f} %",
        }
        flags = [flag_text([f + "; simulated anyway" for f in sim.flags])]
        crcl = float(self.value("crcl_mL_per_min"))
        if crcl < SEVERE_CRCL_ML_PER_MIN:
            flags.append(
                f"Creatinine clearance {crcl:g} mL/min: severe kidney impairment. Toxicity has been "
                "reported at 5-60 mg/day [elhusseini2011]; a review advises avoiding baclofen at an "
                "eGFR below 30 mL/min/1.73 m² or on dialysis [wolf2018]."
            )
        if ev != "none" and not has_event:
            flags.append(f"The {ev} dose on day {self.value('event_day')} is after the simulated days.")
        readouts["status"] = " ".join(flags)
        numbers = {
            "daily_dose_mg": final_dose * n,
            "half_life_h": float(p.half_life_h),
            "cmax_mg_per_L": cmax,
            "cmin_mg_per_L": cmin,
            "css_avg_mg_per_L": css,
            "time_in_range_fraction": in_range,
        }
        return readouts, numbers

    def _alt_text(self) -> str:
        r = self.readouts
        schedule = (
            " after a titration from 5 mg per dose (+5 mg per dose every 3 days)"
            if self.value("schedule") == "titration"
            else ""
        )
        event = self.value("event")
        event_text = (
            f" A {'missed' if event == 'missed' else 'doubled'} dose on day {self.value('event_day')} is "
            "marked with a cross."
            if event != "none"
            else ""
        )
        numbers = (
            f" On the last day the level swings between {r['cmin']} and {r['cmax']} and is in the range "
            f"{r['time_in_range']} of the time."
            if all(k in r for k in ("cmin", "cmax", "time_in_range"))
            else ""
        )
        return (
            f"Plasma concentration (mg/L) against time (days) for {r.get('daily_dose', '')} by "
            f"mouth{schedule} over {self.value('days')} days with creatinine clearance "
            f"{self.value('crcl_mL_per_min'):g} mL/min. The curve rises and falls with each dose, settling "
            "into a repeating pattern; a hatched band marks the reported plasma reference range 0.08 to "
            "0.4 mg/L and a "
            f"dashed line the steady-state average.{event_text}{numbers}"
        )
