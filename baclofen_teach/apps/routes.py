"""Oral versus intrathecal: about 100 times less drug, far more of it where it acts.

Two regimens are simulated with :func:`baclofen_teach.pk.simulate` and the adult parameters
(:meth:`PKParams.adult <baclofen_teach.pk.PKParams.adult>`, CSF compartment on): an oral daily dose in mg,
divided into equal doses, and a continuous intrathecal infusion in micrograms per day
(:func:`baclofen_teach.pk.it_infusion_ug_per_day`, an explicit ug -> mg conversion). Plasma and CSF curves are
shown side by side on log axes. Typical daily doses: oral 30-80 mg [label_us_tablets], intrathecal
300-800 ug for spasticity of spinal origin [label_lioresal_it], a ratio of about 100; the label states that
plasma concentrations on intrathecal dosing are about 100 times lower than on oral dosing
[label_lioresal_it].

Educational model, not dosing advice.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from baclofen_teach import pk, plotting

from ._base import BaseApp, decade_ceiling, decade_floor, flag_text, int_slider, slider

__all__ = ["RoutesApp"]

_POINTS_PER_HOUR = 10


class RoutesApp(BaseApp):
    """Oral mg/day vs intrathecal ug/day -> plasma and CSF curves (log axes) and the ratios as text.

    Controls: ``oral_mg_per_day`` (5-200 mg/day, default 60), ``oral_doses_per_day`` (1-4, default 3),
    ``it_ug_per_day`` (10-3000 ug/day, default 500), ``days`` (1-7, default 3).

    Readouts: ``dose_ratio``, ``plasma_oral``, ``plasma_it``, ``plasma_ratio``, ``csf_oral``, ``csf_it``,
    ``csf_ratio``, ``status``. Averages are over the last simulated day.
    """

    title = "Oral versus intrathecal baclofen"
    slug = "routes"
    figsize = (9.0, 4.0)
    readout_labels = {
        "dose_ratio": "Daily dose ratio, oral / intrathecal",
        "plasma_oral": "Average plasma concentration, oral (last day)",
        "plasma_it": "Average plasma concentration, intrathecal (last day)",
        "plasma_ratio": "Plasma ratio, oral / intrathecal",
        "csf_oral": "Average CSF concentration, oral (last day)",
        "csf_it": "Average CSF concentration, intrathecal (last day)",
        "csf_ratio": "CSF ratio, intrathecal / oral",
    }

    def _caption(self) -> str:
        return (
            "Oral doses are in milligrams, intrathecal doses in micrograms (1 mg = 1000 µg). "
            "Both axes are logarithmic: each grid line is ten times the one below."
        )

    def _make_controls(self) -> dict[str, W.Widget]:
        return {
            "oral_mg_per_day": slider("Oral daily dose (mg/day)", 60.0, 5.0, 200.0, 5.0, fmt=".0f"),
            "oral_doses_per_day": int_slider("Oral doses per day (1/day)", 3, 1, 4),
            "it_ug_per_day": slider("Intrathecal daily dose (µg/day)", 500.0, 10.0, 3000.0, 10.0, fmt=".0f"),
            "days": int_slider("Days simulated (days)", 3, 1, 7),
        }

    def _build(self, fig: Figure) -> None:
        self.ax_plasma, self.ax_csf = fig.subplots(1, 2, sharex=True)
        z = np.array([0.0, 1.0])
        a = self.artists
        for name, ax, title in (
            ("plasma", self.ax_plasma, "Plasma (blood)"),
            ("csf", self.ax_csf, "CSF (spinal fluid)"),
        ):
            (a[f"{name}_oral"],) = ax.plot(z, z + 1, label="Oral", **plotting.line_style(0))
            (a[f"{name}_it"],) = ax.plot(z, z + 1, label="Intrathecal pump", **plotting.line_style(1))
            ax.set_yscale("log")
            ax.set_title(title, fontsize=10)
            plotting.set_time_axis(ax, "h", "Time after the start")
            plotting.set_concentration_axis(
                ax, name.replace("plasma", "Plasma").replace("csf", "CSF"), "mg/L"
            )
            ax.grid(True, which="major", alpha=0.3)
        lo, hi = pk.REFERENCE_RANGE_MG_PER_L
        self.ax_plasma.axhspan(
            lo, hi, label=f"Plasma reference range {lo:g}–{hi:g} mg/L", **plotting.RANGE_FILL
        )
        handles, labels = self.ax_plasma.get_legend_handles_labels()
        fig.legend(handles, labels, fontsize=9, loc="outside upper center", ncols=3)

    def _compute(self) -> dict[str, Any]:
        oral = float(self.value("oral_mg_per_day"))
        n = int(self.value("oral_doses_per_day"))
        it_ug = float(self.value("it_ug_per_day"))
        days = int(self.value("days"))
        p = pk.PKParams.adult()
        t = np.linspace(0.0, 24.0 * days, 24 * days * _POINTS_PER_HOUR + 1)
        oral_events = [
            pk.Dose(time_h=i * 24.0 / n, amount_mg=oral / n, route="oral") for i in range(n * days)
        ]
        it_events = [pk.it_infusion_ug_per_day(it_ug, start_h=0.0)]
        return {
            "t": t,
            "oral": oral,
            "n": n,
            "it_ug": it_ug,
            "p": p,
            "oral_events": oral_events,
            "it_events": it_events,
            "sim_oral": pk.simulate(oral_events, p, t),
            "sim_it": pk.simulate(it_events, p, t),
        }

    def _apply(self, r: dict[str, Any]) -> tuple[dict[str, str], dict[str, float]]:
        t, so, si = r["t"], r["sim_oral"], r["sim_it"]
        a = self.artists
        a["plasma_oral"].set_data(t, so.plasma_mg_per_L)
        a["plasma_it"].set_data(t, si.plasma_mg_per_L)
        a["csf_oral"].set_data(t, so.csf_mg_per_L)
        a["csf_it"].set_data(t, si.csf_mg_per_L)
        self.ax_plasma.set_xlim(0.0, t[-1])
        for ax, arrays in (
            (self.ax_plasma, (so.plasma_mg_per_L, si.plasma_mg_per_L)),
            (self.ax_csf, (so.csf_mg_per_L, si.csf_mg_per_L)),
        ):
            second_half = [c[t >= t[-1] / 2] for c in arrays]
            top = max(float(c.max()) for c in arrays)
            bottom = min(float(c.min()) for c in second_half)
            ax.set_ylim(decade_floor(max(bottom / 3.0, top * 1e-6)), decade_ceiling(top * 1.5))

        oral_ug = pk.mg_to_ug(r["oral"])
        dose_ratio = oral_ug / r["it_ug"]
        # exact averages over the last simulated day (mass balance, pk.mean_concentrations)
        day = (max(t[-1] - 24.0, 0.0), float(t[-1]))
        p_oral, c_oral = pk.mean_concentrations(r["oral_events"], r["p"], *day)
        p_it, c_it = pk.mean_concentrations(r["it_events"], r["p"], *day)
        readouts = {
            "dose_ratio": (
                f"{dose_ratio:.0f} times: {r['oral']:g} mg/day = {oral_ug:,.0f} µg/day by mouth versus "
                f"{r['it_ug']:g} µg/day into the spinal fluid"
            ),
            "plasma_oral": f"{p_oral:.3g} mg/L",
            "plasma_it": f"{p_it:.3g} mg/L ({1000 * p_it:.3g} ng/mL)",
            "plasma_ratio": f"{p_oral / p_it:.0f} times higher by mouth",
            "csf_oral": f"{c_oral:.3g} mg/L",
            "csf_it": f"{c_it:.3g} mg/L",
            "csf_ratio": f"{c_it / c_oral:.0f} times higher with the pump",
        }
        flags = [flag_text([f + "; simulated anyway" for f in so.flags + si.flags])]
        readouts["status"] = " ".join(flags)
        numbers = {
            "dose_ratio": float(dose_ratio),
            "plasma_oral_mg_per_L": p_oral,
            "plasma_it_mg_per_L": p_it,
            "plasma_ratio": p_oral / p_it,
            "csf_oral_mg_per_L": c_oral,
            "csf_it_mg_per_L": c_it,
            "csf_ratio": c_it / c_oral,
        }
        return readouts, numbers

    def _alt_text(self) -> str:
        n = self.numbers
        return (
            "Two log-scale panels against time (h): plasma concentration (mg/L) on the left and CSF "
            "concentration (mg/L) on the right, for an oral dose of "
            f"{self.value('oral_mg_per_day'):g} mg/day (solid line) and an intrathecal pump at "
            f"{self.value('it_ug_per_day'):g} µg/day (dashed line). In plasma the oral curve is about "
            f"{n.get('plasma_ratio', 0):.0f} times higher; in CSF the intrathecal curve is about "
            f"{n.get('csf_ratio', 0):.0f} times higher."
        )
