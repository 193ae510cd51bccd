"""Overdose: an oral ingestion (kidney function, haemodialysis or CVVH) or an intrathecal pump error (CSF
drainage), with the time spent above reported toxic concentrations and the management table.

Oral: :func:`baclofen_teach.overdose.oral_overdose` (plasma curve, log axis; reported concentrations from
single cases and series [perry1998; brvar2007; clintox2020; cvvh2014] drawn as reference lines: they are
reported values, not thresholds). Intrathecal: :func:`baclofen_teach.overdose.intrathecal_overdose` (CSF
curve; the pump is emptied and CSF is drained at the chosen time [label_lioresal_it]). The management table
is :func:`baclofen_teach.overdose.management_table`: there is no antidote; induced vomiting and physostigmine
are not recommended [aact_ipecac2004; label_lioresal_it_druglib; delhaas1991]. The curves are concentrations:
clinical recovery can lag behind them by days [perry1998; label_lioresal_it_druglib].

Educational model, not dosing advice.
"""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from baclofen_teach import overdose as od
from baclofen_teach import pk, plotting

from ._base import BaseApp, decade_ceiling, decade_floor, dropdown, flag_text, slider

__all__ = ["OverdoseApp"]

ROUTES = (("Oral ingestion", "oral"), ("Intrathecal pump error", "intrathecal"))
THERAPIES = (
    ("None", "none"),
    (f"Haemodialysis ({pk.HAEMODIALYSIS_CL_L_PER_H:g} L/h) [brvar2007]", "haemodialysis"),
    (f"Haemofiltration, CVVH ({pk.CVVH_CL_L_PER_H:g} L/h) [cvvh2014]", "cvvh"),
)
IT_ERRORS = (
    ("Pump delivers too much (rate or concentration error)", "rate"),
    ("Accidental bolus into the spinal fluid", "bolus"),
)
_ORAL_CONTROLS = ("amount_mg", "crcl_mL_per_min", "therapy", "therapy_start_h", "therapy_duration_h")
_IT_CONTROLS = ("it_daily_dose_ug", "error_type", "error_factor", "bolus_ug", "drain_h", "drain_mL")
_DURATION_H = 96.0
_STATUS_ORDER = ("recommended", "consider", "uncertain benefit", "not recommended")
_LEVEL_STYLES: tuple[Any, ...] = ("-.", ":", (0, (8, 3)), (0, (3, 1, 1, 1, 1, 1)), "--")


class OverdoseApp(BaseApp):
    """Amount, kidney function, dialysis start and duration (oral) or error type and CSF drainage time
    (intrathecal) -> plasma or CSF curve, time above reported toxic levels, management table.

    Controls: ``route`` ("oral" | "intrathecal"). Oral: ``amount_mg`` (10-3000 mg, default 600),
    ``crcl_mL_per_min`` (5-150, default 100), ``therapy`` ("none" | "haemodialysis" | "cvvh"),
    ``therapy_start_h`` (0-48 h), ``therapy_duration_h`` (1-72 h). Intrathecal: ``it_daily_dose_ug``
    (intended, 100-1500 ug/day), ``error_type`` ("rate" | "bolus"), ``error_factor`` (delivered / intended,
    2-20), ``bolus_ug`` (100-10000 ug), ``drain_h`` (pump emptied and CSF drained at, 0.5-48 h after the
    error), ``drain_mL`` (CSF removed, 0-40 mL; label: 30-40 mL [label_lioresal_it]).

    Readouts (oral): ``peak``, ``above_therapeutic``, ``above_reported``, ``removed``, ``half_life``,
    ``management``; (intrathecal): ``peak``, ``above_2x``, ``back_to_intended``, ``drained``, ``management``;
    and ``status``. Only the controls of the chosen route are shown.
    """

    title = "Overdose: time course, time above reported toxic levels, management"
    slug = "overdose"
    figsize = (9.5, 4.0)
    readout_labels = {
        "peak": "Peak concentration",
        "above_therapeutic": "Time above 0.4 mg/L, the top of the reported reference range [perry1998]",
        "above_reported": "Time above concentrations reported with serious toxicity",
        "removed": "Removed by the extracorporeal therapy",
        "half_life": "Elimination half-life with this kidney function",
        "above_2x": "Time with CSF above twice the intended level",
        "back_to_intended": "Model CSF concentration back to the intended level after",
        "drained": "Drug removed by the CSF drainage",
        "management": "Management (see the table)",
    }

    def _caption(self) -> str:
        return (
            "There is no antidote: care is supportive. Do not induce vomiting. Reported toxic levels are "
            "single cases or ranges, not thresholds. The curves are concentrations: recovery lags behind "
            "them, by days after a severe overdose (coma of up to 72 h after an intrathecal overdose "
            "[label_lioresal_it_druglib]; symptoms despite undetectable serum levels [perry1998])."
        )

    def _make_controls(self) -> dict[str, W.Widget]:
        c = {
            "route": dropdown("Overdose route", ROUTES, "oral"),
            "amount_mg": slider(
                "Amount swallowed (mg)", 600.0, 10.0, 3000.0, 10.0, fmt=".0f", continuous=False
            ),
            "crcl_mL_per_min": slider(
                "Kidney function: creatinine clearance (mL/min)",
                100.0,
                5.0,
                150.0,
                5.0,
                fmt=".0f",
                continuous=False,
            ),
            "therapy": dropdown("Extracorporeal therapy", THERAPIES, "none"),
            "therapy_start_h": slider(
                "Therapy starts at (h after ingestion)", 6.0, 0.0, 48.0, 1.0, fmt=".0f", continuous=False
            ),
            "therapy_duration_h": slider(
                "Therapy duration (h)", 4.0, 1.0, 72.0, 1.0, fmt=".0f", continuous=False
            ),
            "it_daily_dose_ug": slider(
                "Intended intrathecal dose (µg/day)", 600.0, 100.0, 1500.0, 50.0, fmt=".0f", continuous=False
            ),
            "error_type": dropdown("Intrathecal error type", IT_ERRORS, "rate"),
            "error_factor": slider(
                "Rate error: delivered / intended (times)", 4.0, 2.0, 20.0, 1.0, fmt=".0f", continuous=False
            ),
            "bolus_ug": slider(
                "Bolus error: amount (µg)", 1000.0, 100.0, 10000.0, 100.0, fmt=".0f", continuous=False
            ),
            "drain_h": slider(
                "Pump emptied and CSF drained at (h after the error)",
                6.0,
                0.5,
                48.0,
                0.5,
                fmt=".1f",
                continuous=False,
            ),
            "drain_mL": slider("CSF removed (mL)", 30.0, 0.0, 40.0, 5.0, fmt=".0f", continuous=False),
        }
        self._table_html = W.HTML()
        return c

    def _extra_widgets(self) -> list[W.Widget]:
        return [W.HTML("<strong>Management table</strong>"), self._table_html]

    def _build(self, fig: Figure) -> None:
        self.ax_oral = fig.add_subplot(1, 1, 1, label="oral")
        self.ax_it = fig.add_subplot(1, 1, 1, label="intrathecal")
        a = self.artists
        z = np.array([0.0, 1.0])
        ax = self.ax_oral
        lo, hi = pk.REFERENCE_RANGE_MG_PER_L
        ax.axhspan(
            lo, hi, label=f"Reported reference range {lo:g}–{hi:g} mg/L [perry1998]", **plotting.RANGE_FILL
        )
        self._levels = od.oral_overdose(amount_mg=od.LARGE_INGESTION_MG_IN_24H, duration_h=24.0).exposure
        for i, row in enumerate(self._levels.itertuples()):
            ax.axhline(
                row.level_mg_per_L,
                color=plotting.OKABE_ITO["black"],
                linewidth=1.0,
                linestyle=_LEVEL_STYLES[i % len(_LEVEL_STYLES)],
                label=f"Reported {row.level_mg_per_L:g} mg/L [{row.source}]",
            )
        a["therapy"] = ax.axvspan(
            0.0,
            1.0,
            facecolor=plotting.OKABE_ITO["sky_blue"],
            alpha=0.3,
            hatch="..",
            edgecolor=plotting.OKABE_ITO["sky_blue"],
            linewidth=0.0,
            label="Extracorporeal therapy",
        )
        (a["plasma"],) = ax.plot(z, z + 1, label="Plasma concentration", **plotting.line_style(0))
        ax.set_yscale("log")
        plotting.set_time_axis(ax, "h", "Time after ingestion")
        plotting.set_concentration_axis(ax, "Plasma", "mg/L")
        ax.set_xlim(0.0, _DURATION_H)
        leg = ax.legend(fontsize=8.5, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        leg.bt_outside = True  # outside the axes: part of the cached background

        ax = self.ax_it
        (a["csf"],) = ax.plot(z, z + 1, label="CSF concentration", **plotting.line_style(0))
        (a["intended"],) = ax.plot(
            z,
            z + 1,
            label="Intended CSF level (steady state)",
            **{**plotting.line_style(2), "linewidth": 1.5},
        )
        (a["twice"],) = ax.plot(
            z, z + 1, label="Twice the intended level", **{**plotting.line_style(1), "linewidth": 1.5}
        )
        a["drain"] = ax.axvline(
            1.0,
            label="Pump emptied, CSF drained",
            **{**plotting.line_style(3), "color": plotting.OKABE_ITO["black"]},
        )
        ax.axvline(
            0.0, color=plotting.OKABE_ITO["vermillion"], linewidth=1.0, linestyle=":", label="Error starts"
        )
        ax.set_yscale("log")
        plotting.set_time_axis(ax, "h", "Time since the error")
        plotting.set_concentration_axis(ax, "CSF", "mg/L")
        leg = ax.legend(fontsize=8.5, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        leg.bt_outside = True
        for ax in (self.ax_oral, self.ax_it):
            ax.grid(True, which="major", alpha=0.3)

    def _compute(self) -> dict[str, Any]:
        route = self.value("route")
        if route == "oral":
            therapy = self.value("therapy")
            start, dur = float(self.value("therapy_start_h")), float(self.value("therapy_duration_h"))
            extra = []
            if therapy == "haemodialysis":
                extra = [od.haemodialysis(start, dur)]
            elif therapy == "cvvh":
                extra = [od.haemofiltration(start, dur)]
            crcl = float(self.value("crcl_mL_per_min"))
            r = od.oral_overdose(
                amount_mg=float(self.value("amount_mg")),
                kidneys=crcl,
                extracorporeal=extra,
                duration_h=_DURATION_H,
            )
            return {
                "route": route,
                "r": r,
                "therapy": therapy,
                "start": start,
                "dur": dur,
                "p": od.kidney_params(crcl),
            }
        intended = float(self.value("it_daily_dose_ug"))
        rate_error = self.value("error_type") == "rate"
        drain_h = float(self.value("drain_h"))
        ri = od.intrathecal_overdose(
            intended_daily_dose_ug=intended,
            delivered_daily_dose_ug=intended * float(self.value("error_factor")) if rate_error else intended,
            bolus_ug=0.0 if rate_error else float(self.value("bolus_ug")),
            error_start_h=0.0,
            pump_emptied_at_h=drain_h,
            csf_removed_mL=float(self.value("drain_mL")),
            csf_removed_at_h=drain_h,
        )
        return {"route": route, "r": ri, "drain_h": drain_h}

    def _show_route_controls(self, route: str) -> None:
        for name, w in self.controls.items():
            wanted = name == "route" or name in (_ORAL_CONTROLS if route == "oral" else _IT_CONTROLS)
            # A control shown must change something when moved: hide those the current choices ignore.
            if name in ("therapy_start_h", "therapy_duration_h") and self.value("therapy") == "none":
                wanted = False
            if name == "error_factor" and self.value("error_type") != "rate":
                wanted = False
            if name == "bolus_ug" and self.value("error_type") != "bolus":
                wanted = False
            display = None if wanted else "none"
            if w.layout.display != display:
                w.layout.display = display

    def _management(self, setting: str) -> tuple[str, str]:
        table = od.management_table(setting)
        rows = "".join(
            f"<tr><td>{html.escape(str(r.step))}</td><td><strong>{html.escape(str(r.status))}</strong></td>"
            f"<td>{html.escape(str(r.reason))}</td>"
            f"<td>{html.escape(str(r.evidence))}</td>"
            f"<td>[{html.escape(str(r.source).replace(';', '; '))}]</td></tr>"
            for r in table.itertuples()
        )
        table_html = (
            '<table class="bt-management" style="border-collapse:collapse;font-size:90%">'
            "<thead><tr><th scope='col'>Step</th><th scope='col'>Status</th><th scope='col'>Why</th>"
            "<th scope='col'>Evidence</th>"
            f"<th scope='col'>Source</th></tr></thead><tbody>{rows}</tbody></table>"
        )
        parts = []
        for status in _STATUS_ORDER:
            # "consider" steps keep their condition (e.g. charcoal especially early, with a protected airway);
            # conditions of the other steps are written outside parentheses (e.g. "in severe poisoning")
            steps = [
                str(r.step) if status == "consider" else str(r.step).split(" (")[0]
                for r in table.itertuples()
                if r.status == status
            ]
            if steps:
                parts.append(f"{status.capitalize()}: " + "; ".join(steps))
        return table_html, ". ".join(parts) + "."

    def _apply(self, res: dict[str, Any]) -> tuple[dict[str, str], dict[str, float]]:
        route = res["route"]
        self._show_route_controls(route)
        self.ax_oral.set_visible(route == "oral")
        self.ax_it.set_visible(route != "oral")
        table_html, management = self._management("oral" if route == "oral" else "intrathecal")
        if self._table_html.value != table_html:
            self._table_html.value = table_html
        a = self.artists
        r = res["r"]
        if route == "oral":
            t, c = r.times_h, r.plasma_mg_per_L
            a["plasma"].set_data(t, c)
            th = res["therapy"]
            a["therapy"].set_visible(th != "none")
            a["therapy"].set_x(res["start"])
            a["therapy"].set_width(res["dur"])
            top = max(float(c.max()), float(self._levels.level_mg_per_L.max()))
            # fixed bottom (far below the reference range), top in decades: few full redraws
            self.ax_oral.set_ylim(1e-3, decade_ceiling(1.5 * top))
            above = "; ".join(
                f"{row.level_mg_per_L:g} mg/L: {row.hours_above:.1f} h [{row.source}]"
                for row in r.exposure.itertuples()
            )
            readouts = {
                "peak": f"{r.peak_mg_per_L:.3g} mg/L at {r.peak_time_h:.1f} h",
                "above_therapeutic": f"{r.hours_above_therapeutic_max:.1f} h "
                f"(below it for good after {r.time_below_therapeutic_max_h:.1f} h)",
                "above_reported": above,
                "removed": (
                    f"{r.removed_extracorporeal_mg:.3g} mg of {r.total_dose_mg:g} mg"
                    if th != "none"
                    else "no therapy chosen"
                ),
                "half_life": f"{res['p'].half_life_h:.1f} h",
                "management": management,
            }
            numbers = {
                "peak_mg_per_L": float(r.peak_mg_per_L),
                "peak_time_h": float(r.peak_time_h),
                "hours_above_therapeutic_max": float(r.hours_above_therapeutic_max),
                "removed_extracorporeal_mg": float(r.removed_extracorporeal_mg),
                "half_life_h": float(res["p"].half_life_h),
            }
        else:
            t, c = r.times_h, r.csf_mg_per_L
            a["csf"].set_data(t, c)
            a["intended"].set_data([t[0], t[-1]], [r.intended_csf_mg_per_L] * 2)
            a["twice"].set_data([t[0], t[-1]], [2 * r.intended_csf_mg_per_L] * 2)
            a["drain"].set_xdata([res["drain_h"]] * 2)
            self.ax_it.set_xlim(float(t[0]), float(t[-1]))
            # bottom tied to the intended level (a control), top in decades: few full redraws
            self.ax_it.set_ylim(
                decade_floor(r.intended_csf_mg_per_L / 1000.0), decade_ceiling(1.5 * float(c.max()))
            )

            def hours(h: float) -> str:
                return "not within the simulated time" if not math.isfinite(h) else f"{h:.1f} h"

            readouts = {
                "peak": f"{r.peak_csf_mg_per_L:.3g} mg/L in CSF "
                f"(intended {r.intended_csf_mg_per_L:.3g} mg/L)",
                "above_2x": hours(r.hours_above_2x_intended),
                "back_to_intended": hours(r.hours_to_intended),
                "drained": f"{100 * r.csf_removed_fraction:.0f} % of the CSF drug at {res['drain_h']:g} h",
                "management": management,
            }
            numbers = {
                "peak_csf_mg_per_L": float(r.peak_csf_mg_per_L),
                "intended_csf_mg_per_L": float(r.intended_csf_mg_per_L),
                "hours_above_2x_intended": float(r.hours_above_2x_intended),
                "hours_to_intended": float(r.hours_to_intended),
                "csf_removed_fraction": float(r.csf_removed_fraction),
            }
        readouts["status"] = flag_text(r.flags)
        return readouts, numbers

    def _alt_text(self) -> str:
        if self.value("route") == "oral":
            return (
                "Plasma concentration (mg/L, log axis) against hours after swallowing "
                f"{self.value('amount_mg'):g} mg, with the reported reference range shaded and horizontal "
                "lines at "
                f"concentrations reported with serious toxicity. {self.readouts.get('peak', '')} peak; above "
                f"0.4 mg/L for {self.readouts.get('above_therapeutic', '')}."
            )
        return (
            "CSF concentration (mg/L, log axis) against hours since an intrathecal pump error, with the "
            "intended "
            "level and twice the intended level as horizontal lines and a vertical line when the pump is "
            f"emptied and CSF drained. Peak {self.readouts.get('peak', '')}. The curve is a concentration: "
            "clinical recovery takes longer."
        )
