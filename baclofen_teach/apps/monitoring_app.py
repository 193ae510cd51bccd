"""Drug-level monitoring: choose up to three sample times in one steady-state dosing interval of a hidden
patient, see the measured levels, the log-linear and the Bayesian (MAP) estimates and a dose proposal.

The hidden patient and the estimates come from :mod:`baclofen_teach.monitoring` (population prior
[simon2018]; residual error 24 % [simon2018]). The app never shows the hidden truth (the notebook's check
does). All estimates are model output.

Educational model, not dosing advice.
"""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from baclofen_teach import monitoring as mo
from baclofen_teach import pk, plotting

from ._base import BaseApp, int_slider, nice_ceiling, slider

__all__ = ["MonitoringApp"]

_TAU_H = 8.0
_DOSE_MG = 20.0


class MonitoringApp(BaseApp):
    """Sample times in; measured levels, regression and MAP estimates and a dose proposal out.

    Controls: ``seed`` (hidden patient, 0-999), ``t1_h``, ``t2_h``, ``t3_h`` (h after a steady-state dose,
    0 = no sample, up to 8 h), ``target_mg_per_L`` (target average level, mg/L).
    Readouts: ``levels``, ``regression``, ``map``, ``dose``, ``status``.
    Numbers: ``map_cl_L_per_h``, ``map_half_life_h``, ``regression_half_life_h``, ``dose_mg``.
    """

    title = "Drug-level monitoring"
    slug = "monitoring"
    figsize = (9.0, 4.0)
    readout_labels = {
        "levels": "Measured levels (mg/L)",
        "regression": "Log-linear regression (model)",
        "map": "Bayesian MAP estimate (model)",
        "dose": "Dose proposal for the target average",
    }

    def _caption(self) -> str:
        return f"Hidden patient on {_DOSE_MG:g} mg every {_TAU_H:g} h at steady state: sample, then estimate."

    def _make_controls(self) -> dict[str, W.Widget]:
        return {
            "seed": int_slider("Hidden patient (seed)", 0, 0, 999),
            "t1_h": slider("Sample 1 (0 = none): time after the dose (h)", 1.5, 0.0, _TAU_H, 0.25, fmt=".2f"),
            "t2_h": slider("Sample 2 (0 = none): time after the dose (h)", 8.0, 0.0, _TAU_H, 0.25, fmt=".2f"),
            "t3_h": slider("Sample 3 (0 = none): time after the dose (h)", 0.0, 0.0, _TAU_H, 0.25, fmt=".2f"),
            "target_mg_per_L": slider("Target average level (mg/L)", 0.2, 0.05, 0.6, 0.01, fmt=".2f"),
        }

    def _build(self, fig: Figure) -> None:
        self.ax = fig.subplots(1, 1)
        t = np.linspace(0.0, _TAU_H, 200)
        z = np.zeros_like(t)
        a = self.artists
        lo, hi = pk.REFERENCE_RANGE_MG_PER_L
        a["range"] = self.ax.axhspan(
            lo, hi, color=plotting.OKABE_ITO["black"], alpha=0.08, label="Reference range"
        )
        (a["prior"],) = self.ax.plot(t, z, label="Population typical patient", **plotting.line_style(2))
        (a["map"],) = self.ax.plot(t, z, label="MAP estimate", **plotting.line_style(0))
        (a["samples"],) = self.ax.plot(
            [],
            [],
            marker="o",
            linestyle="none",
            color=plotting.PALETTE[1],
            label="Measured levels",
            # A trough sample sits on the right edge of the axes (8 h): unclipped and above the spine, so it
            # shows as a whole dot.
            clip_on=False,
            zorder=3,
        )
        plotting.set_time_axis(self.ax, "h", "Time after a steady-state dose")
        plotting.set_concentration_axis(self.ax, "Plasma", "mg/L")
        self.ax.set_xlim(0.0, _TAU_H)
        self.ax.grid(True, alpha=0.3)
        plotting.outside_legend(fig, 4, max_cols=4)  # above the axes: never over a curve, drawn once
        # the population's typical patient does not depend on any control: computed and drawn once
        self._t = t
        self._ka, cl0, v0 = (
            pk.param_value("simon2018", n) for n in ("ka_per_h", "cl_over_f_L_per_h", "v_over_f_L")
        )
        self._prior = mo.steady_state_mg_per_L(
            t, ka_per_h=self._ka, cl_over_f_L_per_h=cl0, v_over_f_L=v0, dose_mg=_DOSE_MG, tau_h=_TAU_H
        )
        a["prior"].set_data(t, self._prior)

    def _compute(self) -> dict[str, Any]:
        patient = mo.hidden_patient(int(self.value("seed")), dose_mg=_DOSE_MG, tau_h=_TAU_H)
        times = sorted({float(self.value(k)) for k in ("t1_h", "t2_h", "t3_h")} - {0.0})
        target = float(self.value("target_mg_per_L"))
        t, ka = self._t, self._ka
        out: dict[str, Any] = {"t": t, "prior": self._prior, "times": times, "target": target}
        if not times:
            return out
        levels = mo.measure(patient, times)
        reg = mo.regression_estimate(times, levels)
        est = mo.map_estimate(times, levels, dose_mg=_DOSE_MG, tau_h=_TAU_H)
        out.update(
            levels=levels,
            reg=reg,
            est=est,
            map_curve=mo.steady_state_mg_per_L(
                t,
                ka_per_h=ka,
                cl_over_f_L_per_h=est.cl_over_f_L_per_h,
                v_over_f_L=est.v_over_f_L,
                dose_mg=_DOSE_MG,
                tau_h=_TAU_H,
            ),
            dose=mo.propose_dose_mg(est.cl_over_f_L_per_h, target, tau_h=_TAU_H),
        )
        return out

    def _apply(self, r: dict[str, Any]) -> tuple[dict[str, str], dict[str, float]]:
        a = self.artists
        if "est" not in r:
            a["map"].set_data(r["t"], np.full_like(r["t"], np.nan))
            a["samples"].set_data([], [])
            self.ax.set_ylim(0.0, nice_ceiling(1.1 * float(r["prior"].max()), coarse=True))
            nan = math.nan
            return (
                {
                    "levels": "no sample",
                    "regression": "-",
                    "map": "-",
                    "dose": "-",
                    "status": "Choose a sample time.",
                },
                {
                    "map_cl_L_per_h": nan,
                    "map_half_life_h": nan,
                    "regression_half_life_h": nan,
                    "dose_mg": nan,
                },
            )
        est, reg = r["est"], r["reg"]
        a["map"].set_data(r["t"], r["map_curve"])
        a["samples"].set_data(r["times"], r["levels"])
        top = max(float(r["prior"].max()), float(r["map_curve"].max()), float(np.max(r["levels"])))
        self.ax.set_ylim(0.0, nice_ceiling(1.1 * top, coarse=True))
        reg_text = (
            f"half-life {reg.half_life_h:.1f} h, CL/F {reg.cl_over_f_L_per_h:.1f} L/h"
            if math.isfinite(reg.half_life_h)
            else "needs two samples after the peak (no falling slope)"
        )
        daily = r["dose"] * 24.0 / _TAU_H
        flags = mo.dose_flags(r["dose"], tau_h=_TAU_H)
        readouts = {
            "levels": ", ".join(
                f"{c:.3g} mg/L at {t:g} h" for t, c in zip(r["times"], r["levels"], strict=True)
            ),
            "regression": reg_text,
            "map": f"half-life {est.half_life_h:.1f} h, CL/F {est.cl_over_f_L_per_h:.1f} L/h",
            "dose": f"{r['dose']:.1f} mg every {_TAU_H:g} h ({daily:.0f} mg/day) for {r['target']:.2f} mg/L",
            "status": ("Flag: " + "; ".join(map(str, flags)) + ".") if flags else "",
        }
        numbers = {
            "map_cl_L_per_h": est.cl_over_f_L_per_h,
            "map_half_life_h": est.half_life_h,
            "regression_half_life_h": reg.half_life_h,
            "dose_mg": r["dose"],
        }
        return readouts, numbers

    def _alt_text(self) -> str:
        r = self.readouts
        numbers = (
            f" Key numbers: levels {r['levels']}; MAP {r['map']}; regression {r['regression']}; "
            f"dose {r['dose']}."
            if all(k in r for k in ("levels", "map", "regression", "dose"))
            else ""
        )
        return (
            "Plasma concentration (mg/L) against time after a steady-state dose (h) for a hidden patient: "
            "the population typical curve (dashed), the MAP-estimated curve, the measured levels as dots and "
            f"the shaded reference range 0.08-0.40 mg/L.{numbers}"
        )
