"""Virtual cohort: why patients on the same regimen have different levels.

A seeded cohort of 500 virtual adults from a published population model (:mod:`baclofen_teach.population`,
between-subject variability of [simon2018; marsot2013; chevillard2017]) takes the same oral regimen for
7 days; the app shows the median, the 5-95 % prediction band, one highlighted patient and the plasma
reference range 0.08-0.40 mg/L [perry1998] (a laboratory range, not a target), and reads out the fraction of
patients below and above that range at the end. All numbers are model output.

Educational model, not dosing advice.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from baclofen_teach import pk, plotting
from baclofen_teach import population as pop

from ._base import BaseApp, dropdown, int_slider, nice_ceiling, slider

__all__ = ["CohortApp"]

_N = pop.TEACHING_COHORT_N
_SEED = pop.TEACHING_COHORT_SEED
_DAYS = pop.TEACHING_COHORT_DAYS
_STEP_H = pop.TEACHING_COHORT_STEP_H
_ADULT_MODELS = ("simon2018", "marsot2013", "chevillard2017")
#: The y axis shows at least 0-1 mg/L (2.5 times the top of the reference range), growing in 1-2-5 steps
#: beyond that. With the limit at the smallest step that fits (0.5 mg/L), the default 20 mg every 8 h sat on
#: a step: 20 -> 25 mg doubled the axis, so a higher dose made the band look lower, and every such key press
#: redrew the whole figure (24 ms in Python, half the canvas sent to the browser; benchmarks/README.md).
#: Now doses of 5-45 mg share one axis and the band visibly rises against the fixed reference range.
_Y_TOP_MIN_MG_PER_L = 1.0


class CohortApp(BaseApp):
    """Regimen, kidney function and population model in; median, band, fractions out of range and one patient.

    Controls: ``dose_mg`` (mg per dose, 5-100), ``interval_h`` (h, 4-24), ``crcl_mL_per_min`` (mL/min, 0-150),
    ``model`` (population model), ``patient`` (index of the highlighted patient, 0-499).
    Readouts: ``median_trough``, ``band``, ``below``, ``above``, ``patient``, ``status``.
    Numbers: ``median_trough_mg_per_L``, ``p05_mg_per_L``, ``p95_mg_per_L``, ``fraction_below``,
    ``fraction_above``, ``patient_half_life_h``.
    """

    title = "Virtual cohort"
    slug = "cohort"
    figsize = (9.0, 4.2)
    readout_labels = {
        "median_trough": "Median level at the end of day 7 (model)",
        "band": "5-95 % prediction band at the end (model)",
        "below": "Patients below the reference range at the end",
        "above": "Patients above the reference range at the end",
        "patient": "Highlighted patient",
    }

    def _caption(self) -> str:
        return (
            f"{_N} virtual adults, same oral regimen, {_DAYS:g} days: median, 5-95 % band and one patient "
            "(model)."
        )

    def _make_controls(self) -> dict[str, W.Widget]:
        return {
            "dose_mg": slider("Dose per intake (mg)", 20.0, 5.0, 100.0, 5.0, fmt=".0f"),
            "interval_h": int_slider("Dosing interval (h)", 8, 4, 24),
            "crcl_mL_per_min": slider("Creatinine clearance (mL/min)", 100.0, 0.0, 150.0, 5.0, fmt=".0f"),
            "model": dropdown("Population model", list(_ADULT_MODELS), "simon2018"),
            "patient": int_slider("Highlighted patient (index)", 0, 0, _N - 1),
        }

    def _build(self, fig: Figure) -> None:
        self.ax = fig.subplots(1, 1)
        t = np.arange(0.0, 24.0 * _DAYS, _STEP_H)
        z = np.zeros_like(t)
        a = self.artists
        lo, hi = pk.REFERENCE_RANGE_MG_PER_L
        a["range"] = self.ax.axhspan(
            lo, hi, color=plotting.OKABE_ITO["black"], alpha=0.08, label="Reference range"
        )
        a["band"] = self.ax.fill_between(
            t, z, z, color=plotting.PALETTE[0], alpha=0.25, linewidth=0, label="5-95 % band"
        )
        (a["median"],) = self.ax.plot(t, z, label="Median", **plotting.line_style(0))
        (a["patient"],) = self.ax.plot(t, z, label="Highlighted patient", **plotting.line_style(1))
        plotting.set_time_axis(self.ax, "h", "Time since the first dose")
        plotting.set_concentration_axis(self.ax, "Plasma", "mg/L")
        self.ax.grid(True, alpha=0.3)
        self.ax.set_xlim(0.0, 24.0 * _DAYS)
        plotting.outside_legend(fig, 4, max_cols=4)  # above the axes: never over a curve, drawn once

    def _compute(self) -> dict[str, Any]:
        dose = float(self.value("dose_mg"))
        tau = float(self.value("interval_h"))
        crcl = float(self.value("crcl_mL_per_min"))
        name = str(self.value("model"))
        i = int(self.value("patient"))
        key = (name, crcl)
        if getattr(self, "_cohort_key", None) != key:  # redraw only when the population changes
            self._cohort_key = key
            self._cohort = pop.draw_cohort(name, _N, seed=_SEED, crcl_mL_per_min=crcl)
        cohort = self._cohort
        t = np.arange(0.0, 24.0 * _DAYS, _STEP_H)
        unit_key = (name, crcl, tau)
        if getattr(self, "_unit_key", None) != unit_key:
            # The model is linear in the dose: simulate 1 mg doses once per population and interval, and
            # scale. A dose or patient step then costs a multiplication and pop.summarise, not a cohort
            # simulation.
            n_doses = int(np.ceil(24.0 * _DAYS / tau))
            doses = [pk.Dose(time_h=tau * k, amount_mg=1.0, route="oral") for k in range(n_doses)]
            unit = pop.simulate_cohort(cohort, doses, t)
            self._unit_key = unit_key
            self._unit = unit
        conc = self._unit * dose
        s = pop.summarise(conc, t)
        return {
            "t": t,
            "s": s,
            "patient": conc[i],
            "i": i,
            "half_life": float(cohort.half_life_h[i]),
            "dose": dose,
            "tau": tau,
            "name": name,
            "daily": dose * 24.0 / tau,
        }

    def _apply(self, r: dict[str, Any]) -> tuple[dict[str, str], dict[str, float]]:
        t, s = r["t"], r["s"]
        a = self.artists
        a["band"].set_data(t, s.p05_mg_per_L, s.p95_mg_per_L)
        a["median"].set_data(t, s.median_mg_per_L)
        a["patient"].set_data(t, r["patient"])
        top = max(float(s.p95_mg_per_L.max()), float(r["patient"].max()), pk.REFERENCE_RANGE_MG_PER_L[1])
        self.ax.set_ylim(0.0, max(_Y_TOP_MIN_MG_PER_L, nice_ceiling(1.05 * top, coarse=True)))
        below, above = float(s.fraction_below_range[-1]), float(s.fraction_above_range[-1])
        readouts = {
            "median_trough": f"{s.median_mg_per_L[-1]:.3g} mg/L",
            "band": f"{s.p05_mg_per_L[-1]:.3g}-{s.p95_mg_per_L[-1]:.3g} mg/L",
            "below": f"{100 * below:.0f} % (below 0.08 mg/L [perry1998])",
            "above": f"{100 * above:.0f} % (above 0.40 mg/L [perry1998])",
            "patient": f"patient {r['i']}: half-life {r['half_life']:.1f} h (model)",
        }
        us_max = pk.ORAL_MAX_MG_PER_DAY["US"]
        readouts["status"] = (
            f"Flag: {r['daily']:g} mg/day is above the US label maximum of {us_max:g} mg/day [label_ozobax]; "
            "simulated anyway."
            if r["daily"] > us_max
            else ""
        )
        numbers = {
            "median_trough_mg_per_L": float(s.median_mg_per_L[-1]),
            "p05_mg_per_L": float(s.p05_mg_per_L[-1]),
            "p95_mg_per_L": float(s.p95_mg_per_L[-1]),
            "fraction_below": below,
            "fraction_above": above,
            "patient_half_life_h": r["half_life"],
        }
        return readouts, numbers

    def _alt_text(self) -> str:
        r = self.readouts
        keys = ("median_trough", "band", "below", "above")
        numbers = (
            f" Key numbers at the end of day 7: median {r['median_trough']}, band {r['band']}, "
            f"below the range {r['below']}, above it {r['above']}."
            if all(k in r for k in keys)
            else ""
        )
        return (
            f"Plasma concentration (mg/L) against time (h) for {_N} virtual adults taking "
            f"{self.value('dose_mg'):g} mg every {self.value('interval_h'):g} h for {_DAYS:g} days: "
            "a median line, a shaded 5-95 % band, one highlighted patient and the shaded reference range "
            "0.08-0.40 mg/L."
            f"{numbers}"
        )
