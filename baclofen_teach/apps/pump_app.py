"""Intrathecal pump and withdrawal: refill arithmetic, a delivery failure and the withdrawal timeline.

Left panel: the reservoir volume (mL) over the days after a fill (:func:`baclofen_teach.pump.plan_pump`) with
the low-reservoir alarm, the latest refill day and the day the pump runs dry. Right panel: the CSF
concentration (mg/L) around a delivery failure (:mod:`baclofen_teach.pump` scenarios: missed refill, catheter
failure, end of battery, concentration mix-up), with the withdrawal timeline from the sourced symptom table
(:func:`baclofen_teach.withdrawal.intrathecal_withdrawal`) on the same time axis: a band from the stop (0 h)
to the end of the typical course (1-3 days [coffey2002]), because no interval after a stop is known to be
safe, and markers at the earliest timed reports (fever, tachycardia, itching and dystonia present 8 h after a
pump stall [muirhead2010]; hallucinations at 18 h in one case [daleo2007]). Literature data, not a
concentration-effect model.

Educational model, not dosing advice.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from baclofen_teach import plotting, pump
from baclofen_teach import withdrawal as wd

from ._base import BaseApp, dropdown, flag_text, nice_ceiling, slider

__all__ = ["PumpApp", "SCENARIOS"]

SCENARIOS = (
    ("Missed refill: the reservoir runs dry", "missed_refill"),
    ("Catheter failure (disconnection, kink, break)", "catheter"),
    ("End of battery: stops 90 days after the ERI alarm", "battery"),
    ("Refill with the wrong concentration", "mixup"),
)
_CONCENTRATIONS = tuple((f"{c:g} µg/mL", float(c)) for c in pump.PRODUCT_CONCENTRATIONS_UG_PER_ML)
_RESERVOIRS = tuple((f"{v:g} mL", float(v)) for v in pump.RESERVOIR_VOLUMES_ML)
_PRE_H, _POST_H = 24.0, 96.0
_MAX_WINDOWS = 3


def _symptom_windows() -> list[tuple[str, float, float, tuple[str, ...]]]:
    """(label, start, end, symptoms) of the withdrawal bands, hours after delivery stops [withdrawal table].

    Every band opens at the stop (the table's ``window_start_h``): no source shows a symptom-free interval.
    It closes at the end of the typical course; courses longer than the plotted time axis (weeks [hansen2007])
    are named in the readout instead of shaded."""
    ref = pump.catheter_failure(500.0, failure_time_h=24.0)
    tl = wd.intrathecal_withdrawal(ref)
    table = tl.symptoms.dropna(subset=["window_start_h", "window_end_h"])
    groups: dict[tuple[float, float], list[str]] = {}
    for _, row in table.iterrows():
        key = (
            float(row["window_start_h"]) - ref.failure_time_h,
            float(row["window_end_h"]) - ref.failure_time_h,
        )
        groups.setdefault(key, []).append(str(row["symptom"]))
    bands = [(k, v) for k, v in sorted(groups.items()) if k[1] <= _POST_H]
    return [
        (f"Withdrawal can begin at the stop; typical course {st:g}–{en:g} h", st, en, tuple(v))
        for (st, en), v in bands
    ][:_MAX_WINDOWS]


def _earliest_reports() -> list[tuple[float, tuple[str, ...], str]]:
    """(hours after the stop, symptoms, sources) of the earliest timed reports, grouped by time."""
    table = wd.symptom_table("intrathecal").dropna(subset=["earliest_report_h"])
    table = table.sort_values("life_threatening", ascending=False, kind="stable")  # dangerous signs first
    out: dict[float, tuple[list[str], set[str]]] = {}
    for _, row in table.iterrows():
        syms, srcs = out.setdefault(float(row["earliest_report_h"]), ([], set()))
        syms.append(str(row["symptom"]))
        srcs.update(str(row["earliest_report_source"]).split(";"))
    return [(h, tuple(v[0]), "; ".join(sorted(v[1]))) for h, v in sorted(out.items())]


def _long_courses() -> list[tuple[str, float, str]]:
    """(symptom, end of course in h, sources) for courses longer than the plotted axis."""
    table = wd.symptom_table("intrathecal").dropna(subset=["course_duration_h_max"])
    long = table[table["course_duration_h_max"] > _POST_H]
    return [
        (str(r["symptom"]), float(r["course_duration_h_max"]), str(r["source"])) for _, r in long.iterrows()
    ]


class PumpApp(BaseApp):
    """Reservoir, concentration, daily dose, failure scenario and time -> CSF curve, alarm/refill/empty days,
    withdrawal symptom windows.

    Controls: ``daily_dose_ug`` (25-3000 ug/day, default 500), ``concentration_ug_per_mL`` (50, 500, 1000,
    2000 [label_lioresal_it; label_gablofen]), ``reservoir_mL`` (20 or 40 [medtronic_synchromed]),
    ``scenario`` ("missed_refill" | "catheter" | "battery" | "mixup"), ``failure_day`` (0-180 days after the
    fill: the catheter failure, the ERI alarm or the refill with the wrong solution), ``filled_concentration
    _ug_per_mL`` (mix-up only). Constructor extra: ``fill_date`` (a ``datetime.date``) adds calendar dates.

    Readouts: ``delivery``, ``alarm``, ``refill``, ``empty``, ``failure``, ``csf_before``, ``csf_fall``,
    ``symptoms``, ``status``.
    """

    title = "Intrathecal pump: refills, failures and the withdrawal timeline"
    slug = "pump"
    figsize = (9.5, 4.6)
    readout_labels = {
        "delivery": "Delivery",
        "alarm": "Low-reservoir alarm",
        "refill": "Refill due by",
        "empty": "Reservoir empty",
        "failure": "Scenario",
        "csf_before": "CSF concentration before the failure",
        "csf_fall": "CSF fall after the failure",
        "symptoms": "Withdrawal timeline (no safe interval)",
    }

    def __init__(
        self, *, fill_date: _dt.date | None = None, interactive: bool = True, **initial: Any
    ) -> None:
        self.fill_date = fill_date
        if fill_date is not None and not isinstance(fill_date, _dt.date):
            self.fill_date = None
            self._constructor_problems = [
                f"fill_date = {fill_date!r} must be a datetime.date (for example datetime.date(2026, 1, 5)) "
                "or None; used no calendar dates."
            ]
        super().__init__(interactive=interactive, **initial)

    def _caption(self) -> str:
        return (
            "Intrathecal doses are in micrograms per day (1000 µg = 1 mg). A sudden stop of intrathecal "
            "baclofen can cause a dangerous withdrawal syndrome [label_lioresal_it]."
        )

    def _make_controls(self) -> dict[str, W.Widget]:
        return {
            "daily_dose_ug": slider(
                "Programmed daily dose (µg/day)", 500.0, 25.0, 3000.0, 25.0, fmt=".0f", continuous=False
            ),
            "concentration_ug_per_mL": dropdown("Concentration in the pump (µg/mL)", _CONCENTRATIONS, 2000.0),
            "reservoir_mL": dropdown("Reservoir, filled to the top (mL)", _RESERVOIRS, 20.0),
            "scenario": dropdown("Failure scenario", SCENARIOS, "missed_refill"),
            "failure_day": slider(
                "Failure, ERI or refill time after the fill (days)",
                30.0,
                0.0,
                180.0,
                1.0,
                fmt=".0f",
                continuous=False,
            ),
            "filled_concentration_ug_per_mL": dropdown(
                "Mix-up: concentration actually filled (µg/mL)", _CONCENTRATIONS, 500.0
            ),
        }

    def _build(self, fig: Figure) -> None:
        self.ax_res, self.ax_csf = fig.subplots(1, 2, width_ratios=[1.0, 1.3])
        a = self.artists
        z = np.array([0.0, 1.0])
        ax = self.ax_res
        (a["volume"],) = ax.plot(z, z, label="Reservoir volume", **plotting.line_style(0))
        a["alarm_level"] = ax.axhline(
            2.0,
            label="Alarm volume (2 mL, assumed)",
            **{**plotting.line_style(4), "linewidth": 1.2},
        )
        a["alarm_day"] = ax.axvline(
            1.0,
            label="Alarm day",
            **{**plotting.line_style(3), "linewidth": 1.5, "color": plotting.OKABE_ITO["black"]},
        )
        a["refill_day"] = ax.axvline(1.0, label="Refill due", **{**plotting.line_style(2), "linewidth": 1.5})
        a["failure_day"] = ax.axvline(1.0, label="Failure", **{**plotting.line_style(1), "linewidth": 1.8})
        plotting.set_time_axis(ax, "days", "Time after the fill")
        ax.set_ylabel(plotting.axis_label("Volume in the reservoir", "mL"))
        ax.set_title("Reservoir", fontsize=10)
        ax.grid(True, alpha=0.3)

        ax = self.ax_csf
        self._windows = _symptom_windows()
        self._reports = _earliest_reports()
        hatches = ("xx", "..", "\\\\")
        for i, (label, start, end, _) in enumerate(self._windows):
            colour = plotting.PALETTE[(i + 3) % len(plotting.PALETTE)]
            a[f"window_{i}"] = ax.axvspan(
                start,
                max(end, start + 1.0),
                facecolor=colour,
                alpha=0.18,
                hatch=hatches[i],
                edgecolor=colour,
                linewidth=0.0,
                label=label,
            )
        for i, (hours, syms, _) in enumerate(self._reports):
            short = ", ".join(syms[:2]) + (f" and {len(syms) - 2} more" if len(syms) > 2 else "")
            a[f"report_{i}"] = ax.axvline(
                hours,
                color=plotting.OKABE_ITO["black"],
                linestyle=":",
                linewidth=1.2,
                label=f"Present by {hours:g} h in a reported case: {short}",
            )
        (a["csf"],) = ax.plot(z, z, label="CSF concentration", **plotting.line_style(0))
        (a["csf_before"],) = ax.plot(
            z, z, label="CSF level before the failure", **{**plotting.line_style(6), "linewidth": 1.2}
        )
        ax.axvline(0.0, color=plotting.OKABE_ITO["vermillion"], linewidth=1.8, linestyle="--")
        ax.set_xlim(-_PRE_H, _POST_H)
        plotting.set_time_axis(ax, "h", "Time since the failure")
        plotting.set_concentration_axis(ax, "CSF", "mg/L")
        ax.set_title("CSF around the failure (failure at 0 h)", fontsize=10)
        ax.grid(True, alpha=0.3)
        h1, l1 = self.ax_res.get_legend_handles_labels()
        h2, l2 = self.ax_csf.get_legend_handles_labels()
        fig.legend(h1 + h2, l1 + l2, fontsize=8.5, loc="outside upper center", ncols=2)

    def _compute(self) -> dict[str, Any]:
        dose = float(self.value("daily_dose_ug"))
        conc = float(self.value("concentration_ug_per_mL"))
        res = float(self.value("reservoir_mL"))
        scen = self.value("scenario")
        t_fail = float(self.value("failure_day")) * 24.0
        plan = pump.plan_pump(
            dose, conc, fill_volume_mL=res, reservoir_volume_mL=res, fill_date=self.fill_date
        )
        kw = {"pre_h": _PRE_H, "post_h": _POST_H, "step_h": 0.1}
        if scen == "missed_refill":
            s = pump.missed_refill(plan, **kw)
        elif scen == "catheter":
            s = pump.catheter_failure(dose, failure_time_h=t_fail, **kw)
        elif scen == "battery":
            s = pump.battery_end(dose, eri_time_h=t_fail, **kw)
        else:
            s = pump.concentration_mixup(
                dose, conc, float(self.value("filled_concentration_ug_per_mL")), refill_time_h=t_fail, **kw
            )
        return {"plan": plan, "s": s, "scen": scen, "t_fail_input_h": t_fail}

    def _apply(self, r: dict[str, Any]) -> tuple[dict[str, str], dict[str, float]]:
        plan, s, scen = r["plan"], r["s"], r["scen"]
        a = self.artists
        # A control shown must change something when moved: the filled concentration only matters in a mix-up.
        # The time control does nothing when the refill is simply missed (the reservoir runs dry on its own).
        for name, shown in (
            ("filled_concentration_ug_per_mL", scen == "mixup"),
            ("failure_day", scen != "missed_refill"),
        ):
            display = None if shown else "none"
            if self.controls[name].layout.display != display:
                self.controls[name].layout.display = display
        fail_day = s.failure_time_h / 24.0
        end_day = nice_ceiling(
            coarse=True,
            x=1.08 * max(plan.days_to_empty if math.isfinite(plan.days_to_empty) else 0.0, fail_day, 1.0),
        )
        days = np.linspace(0.0, end_day, 401)
        volume = np.clip(plan.fill_volume_mL - plan.volume_mL_per_day * days, 0.0, None)
        a["volume"].set_data(days, volume)
        a["alarm_level"].set_ydata([plan.alarm_volume_mL] * 2)
        a["alarm_day"].set_xdata([plan.days_to_alarm] * 2)
        a["refill_day"].set_xdata([plan.refill_due_day] * 2)
        a["failure_day"].set_xdata([fail_day] * 2)
        self.ax_res.set_xlim(0.0, end_day)
        self.ax_res.set_ylim(0.0, nice_ceiling(1.05 * plan.reservoir_volume_mL))

        rel = s.hours_since_failure
        a["csf"].set_data(rel, s.csf_mg_per_L)
        a["csf_before"].set_data([rel[0], rel[-1]], [s.pre_failure_csf_mg_per_L] * 2)
        withdrawal = s.delivered_ratio < 1.0
        for i in range(len(self._windows)):
            a[f"window_{i}"].set_visible(withdrawal)
        for i in range(len(self._reports)):
            a[f"report_{i}"].set_visible(withdrawal)
        self.ax_csf.set_ylim(0.0, nice_ceiling(1.1 * max(float(s.csf_mg_per_L.max()), 1e-6), coarse=True))

        def when(day: float) -> str:
            text = f"day {day:.1f} after the fill"
            if plan.fill_date is not None and math.isfinite(day):
                text += f" ({(plan.fill_date + _dt.timedelta(days=math.floor(day))).isoformat()})"
            return text

        def hours(h: float) -> str:
            return "not reached" if not math.isfinite(h) else f"{h:.1f} h"

        readouts = {
            "delivery": (
                f"{plan.daily_dose_ug:g} µg/day = {plan.rate_ug_per_h:.3g} µg/h = "
                f"{plan.volume_mL_per_day:.3g} mL/day at {plan.concentration_ug_per_mL:g} µg/mL"
            ),
            "alarm": f"{when(plan.days_to_alarm)} (at {plan.alarm_volume_mL:g} mL left)",
            "refill": f"{when(plan.refill_due_day)} (limited by the {plan.refill_limited_by})",
            "empty": when(plan.days_to_empty),
            "failure": s.description,
            "csf_before": f"{s.pre_failure_csf_mg_per_L:.3g} mg/L",
            "csf_fall": (
                f"to half after {hours(s.hours_to_csf_50pct)}, to 10 % after {hours(s.hours_to_csf_10pct)}"
                if withdrawal
                else f"none: delivery rises to {s.delivered_ratio:g} times the programmed dose"
            ),
            "symptoms": (
                "No safe interval: withdrawal can begin as soon as delivery stops (0 h) and typically "
                "evolves over 1–3 days [coffey2002]; "
                + "; ".join(
                    f"present by {h:g} h in a reported case: {', '.join(syms)} [{src}]"
                    for h, syms, src in self._reports
                )
                + "".join(
                    f"; {sym}: one reported case lasted about {en / 24:.0f} days [{src.replace(';', '; ')}]"
                    for sym, en, src in _long_courses()
                )
                if withdrawal
                else "not a withdrawal scenario (overdose): see the overdose app"
            ),
        }
        flags = [flag_text(plan.flags + s.flags)]
        if scen == "missed_refill" and abs(r["t_fail_input_h"] - s.failure_time_h) > 1e-9:
            flags.append(f"Missed refill: the failure time is set by the reservoir (day {fail_day:.1f}).")
        readouts["status"] = " ".join(flags)
        numbers = {
            "rate_ug_per_h": float(plan.rate_ug_per_h),
            "volume_mL_per_day": float(plan.volume_mL_per_day),
            "days_to_alarm": float(plan.days_to_alarm),
            "refill_due_day": float(plan.refill_due_day),
            "days_to_empty": float(plan.days_to_empty),
            "failure_time_h": float(s.failure_time_h),
            "csf_before_mg_per_L": float(s.pre_failure_csf_mg_per_L),
            "hours_to_csf_50pct": float(s.hours_to_csf_50pct),
            "hours_to_csf_10pct": float(s.hours_to_csf_10pct),
            "delivered_ratio": float(s.delivered_ratio),
        }
        return readouts, numbers

    def _alt_text(self) -> str:
        n = self.numbers
        return (
            "Left: reservoir volume (mL) falling in a straight line over the days after a fill, with the "
            f"low-reservoir alarm on day {n.get('days_to_alarm', 0):.1f}, the refill due on day "
            f"{n.get('refill_due_day', 0):.1f} and the pump empty on day {n.get('days_to_empty', 0):.1f}. "
            "Right: CSF concentration (mg/L) against hours since the failure; after a stop it falls to "
            f"half in {n.get('hours_to_csf_50pct', 0):.1f} h. A shaded band from 0 h to 72 h marks the "
            "typical 1-3 day course of withdrawal, which can begin as soon as delivery stops, and dotted "
            "lines mark the earliest times at which signs were reported (8 h: fever of 37.8 °C, fast heart "
            "rate, itching, dystonia; 18 h: hallucinations)."
        )
