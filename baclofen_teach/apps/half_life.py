"""Half-life explorer: how long does one dose of baclofen stay in the body?

One dose is treated as if it were instantly in plasma (starting concentration ``C0 = dose / V``);
then it decays first-order, ``C(t) = C0 * 2**(-t / t_half)`` (:func:`baclofen_teach.pk.fraction_remaining`).
The curve is shown on a linear and a log axis, with the threshold, the time to fall below it
(:func:`baclofen_teach.pk.time_to_fall_below`), the fraction left at a chosen time, the "five half-lives"
marker (about 3 % left) and the published range of oral half-lives, about 2.3 to 6.8 h
[kriel1997; wuis1989].

Educational model, not dosing advice.
"""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from baclofen_teach import pk, plotting
from baclofen_teach import validation as v

from ._base import BaseApp, _short, decade_ceiling, decade_floor, int_slider, nice_ceiling, slider

__all__ = ["HalfLifeApp", "PUBLISHED_HALF_LIFE_RANGE_H"]

#: Published range of the oral elimination half-life, h: 2.3 h (children, lower end) [kriel1997] to
#: 6.8 h (plasma and urine modelled together) [wuis1989]. The engine's
#: :data:`baclofen_teach.pk.PUBLISHED_HALF_LIFE_RANGE_H` (derived from :func:`pk.published_half_lives`),
#: re-exported here because notebook 01 imports it from this module.
PUBLISHED_HALF_LIFE_RANGE_H: tuple[float, float] = pk.PUBLISHED_HALF_LIFE_RANGE_H
_N_POINTS = 400


class HalfLifeApp(BaseApp):
    """Dose, half-life and threshold -> decay curve (linear and log axes) and the times that matter.

    Controls (kwargs of the constructor = initial values):

    * ``dose_mg`` (mg, 1-2500): one dose, assumed instantly in plasma;
    * ``half_life_h`` (h, 1-40): elimination half-life (published oral range 2.3-6.8 h is marked; up to 34 h
      has been reported after overdose [cvvh2014]);
    * ``threshold_mg_per_L`` (mg/L, 0.005-1 in steps of 0.005): default 0.08 mg/L, the lower end of the
      plasma reference range [perry1998] (a reported laboratory range, not a validated target
      [knutsson1974]);
    * ``time_h`` (h, 0-96): time at which the fraction left is read off.

    Readouts: ``c0``, ``fraction_left``, ``time_to_threshold``, ``five_half_lives``, ``status``.
    Numbers: ``c0_mg_per_L``, ``fraction_left``, ``time_to_threshold_h``, ``five_half_lives_h``.
    """

    title = "Half-life explorer"
    slug = "halflife"
    figsize = (9.0, 4.0)
    readout_labels = {
        "c0": "Starting plasma concentration C0 (dose / V)",
        "fraction_left": "Fraction left at the chosen time",
        "time_to_threshold": "Time to fall below the threshold",
        "five_half_lives": "Five half-lives",
    }

    def __init__(self, *, v_L: float | None = None, interactive: bool = True, **initial: Any) -> None:
        #: Volume of distribution, L (adult default from :meth:`pk.PKParams.adult`).
        default = float(pk.PKParams.adult().v_L)
        self.v_L = default
        if v_L is not None:
            try:
                self.v_L = v.in_range(v_L, "v_L", *v.VOLUME_RANGE_L)
            except v.PKInputError as exc:  # a constructor never raises: the status line says why
                self._constructor_problems = [
                    f"v_L = {_short(v_L)}: {exc}; used the model adult's {default:g} L."
                ]
        super().__init__(interactive=interactive, **initial)

    def _caption(self) -> str:
        return (
            f"One dose, treated as if it were instantly in plasma (volume {self.v_L:g} L), "
            "falls by half every half-life."
        )

    def _make_controls(self) -> dict[str, W.Widget]:
        return {
            "dose_mg": slider("Dose (mg)", 20.0, 1.0, 2500.0, 1.0, fmt=".0f"),
            "half_life_h": slider("Half-life (h)", 4.5, 1.0, 40.0, 0.1, fmt=".1f"),
            "threshold_mg_per_L": slider(
                "Threshold concentration (mg/L)", 0.08, 0.005, 1.0, 0.005, fmt=".3f"
            ),
            "time_h": int_slider("Read-off time after the dose (h)", 24, 0, 96),
        }

    # ------------------------------------------------------------------ figure
    def _build(self, fig: Figure) -> None:
        self.ax_lin, self.ax_log = fig.subplots(1, 2)
        t = np.linspace(0.0, 24.0, _N_POINTS)
        z = np.ones_like(t)
        grey = plotting.OKABE_ITO["black"]
        for name, ax, log in (("lin", self.ax_lin, False), ("log", self.ax_log, True)):
            a = self.artists
            a[f"band_{name}"] = ax.fill_between(
                t, z, z, color=grey, alpha=0.12, linewidth=0, label="Published t½ range 2.3–6.8 h"
            )
            (a[f"curve_{name}"],) = ax.plot(t, z, label="Plasma concentration", **plotting.line_style(0))
            a[f"threshold_{name}"] = ax.axhline(
                0.08, label="Threshold", **{**plotting.line_style(1), "linewidth": 1.5}
            )
            a[f"five_{name}"] = ax.axvline(
                1.0,
                label="Five half-lives (3.1 % left)",
                **{**plotting.line_style(3), "linewidth": 1.5, "color": plotting.OKABE_ITO["black"]},
            )
            a[f"read_{name}"] = ax.axvline(
                1.0, label="Read-off time", **{**plotting.line_style(2), "linewidth": 1.2}
            )
            (a[f"cross_{name}"],) = ax.plot(
                [1.0],
                [1.0],
                marker="o",
                linestyle="none",
                color=plotting.PALETTE[1],
                label="Falls below the threshold",
            )
            plotting.set_time_axis(ax, "h", "Time after the dose")
            plotting.set_concentration_axis(ax, "Plasma", "mg/L", log=log)
            ax.grid(True, which="major", alpha=0.3)
        self.ax_lin.set_title("Linear axis", fontsize=10)
        self.ax_log.set_title("Log axis: a straight line", fontsize=10)
        handles, labels = self.ax_lin.get_legend_handles_labels()
        fig.legend(handles, labels, fontsize=9, loc="outside upper center", ncols=3)

    # ------------------------------------------------------------------ model
    def _compute(self) -> dict[str, Any]:
        dose = float(self.value("dose_mg"))
        th = float(self.value("half_life_h"))
        thr = float(self.value("threshold_mg_per_L"))
        t_read = float(self.value("time_h"))
        c0 = dose / self.v_L
        t_end = 12.0 * math.ceil(max(24.0, 6.0 * th, 1.05 * t_read) / 12.0)
        t = np.linspace(0.0, t_end, _N_POINTS)
        lo_h, hi_h = PUBLISHED_HALF_LIFE_RANGE_H
        return {
            "dose": dose,
            "th": th,
            "thr": thr,
            "t_read": t_read,
            "c0": c0,
            "t": t,
            "t_end": t_end,
            "c": c0 * pk.fraction_remaining(t, th),
            "c_lo": c0 * pk.fraction_remaining(t, lo_h),
            "c_hi": c0 * pk.fraction_remaining(t, hi_h),
            "frac": float(pk.fraction_remaining(t_read, th)),
            "t_thr": float(pk.time_to_fall_below(c0, thr, th)),
            "five": 5.0 * th,
        }

    def _apply(self, r: dict[str, Any]) -> tuple[dict[str, str], dict[str, float]]:
        t, c = r["t"], r["c"]
        a = self.artists
        for name, ax in (("lin", self.ax_lin), ("log", self.ax_log)):
            a[f"band_{name}"].set_data(t, r["c_lo"], r["c_hi"])
            a[f"curve_{name}"].set_data(t, c)
            a[f"threshold_{name}"].set_ydata([r["thr"], r["thr"]])
            a[f"five_{name}"].set_xdata([r["five"], r["five"]])
            a[f"read_{name}"].set_xdata([r["t_read"], r["t_read"]])
            a[f"cross_{name}"].set_data([r["t_thr"]], [r["thr"]])
            ax.set_xlim(0.0, r["t_end"])
        top = max(r["c0"], r["thr"])
        self.ax_lin.set_ylim(0.0, nice_ceiling(1.05 * top))
        # The bottom follows the threshold and the slow edge of the published band only (not the curve),
        # so that stepping the half-life does not flip the axis between decades (a full redraw each time).
        bottom = min(r["thr"], float(r["c_hi"][-1])) / 2.0
        self.ax_log.set_ylim(decade_floor(max(bottom, 1e-9 * top)), decade_ceiling(1.5 * top))

        th, frac = r["th"], r["frac"]
        readouts = {
            "c0": f"{r['c0']:.3g} mg/L",
            "fraction_left": f"{100 * frac:.3g} % at {r['t_read']:g} h ({frac:.3g} of C0)",
            "time_to_threshold": (
                f"{r['t_thr']:.1f} h (below {r['thr']:.3g} mg/L)"
                if r["t_thr"] > 0
                else f"0 h: C0 is already at or below {r['thr']:.3g} mg/L"
            ),
            "five_half_lives": f"{r['five']:.1f} h (then {100 * 2**-5:.1f} % is left)",
        }
        flags = []
        lo_h, hi_h = PUBLISHED_HALF_LIFE_RANGE_H
        if not lo_h <= th <= hi_h:
            flags.append(
                f"Half-life {th:g} h is outside the published oral range {lo_h:g}–{hi_h:g} h "
                "[kriel1997; wuis1989]; much longer values (up to 34 h) have been reported "
                "after overdose [cvvh2014]."
            )
        if r["dose"] >= pk.OVERDOSE_RANGE_MG_IN_24H:
            flags.append(
                f"Flag: {r['dose']:g} mg is an overdose-size amount (coma and seizures were reported "
                "at 200 mg or more [leung2006]); simulated anyway."
            )
        readouts["status"] = " ".join(flags)
        numbers = {
            "c0_mg_per_L": r["c0"],
            "fraction_left": frac,
            "time_to_threshold_h": r["t_thr"],
            "five_half_lives_h": r["five"],
        }
        return readouts, numbers

    def _alt_text(self) -> str:
        th = self.value("half_life_h")
        r = self.readouts
        numbers = (
            f" Key numbers: it starts at {r['c0']}; fraction left: {r['fraction_left']}; time to fall below "
            f"the threshold: {r['time_to_threshold']}; five half-lives: {r['five_half_lives']}."
            if all(k in r for k in ("c0", "fraction_left", "time_to_threshold", "five_half_lives"))
            else ""
        )
        return (
            "Two panels showing plasma concentration (mg/L) against time after the dose (h), on a linear "
            f"and a log axis, after {self.value('dose_mg'):g} mg with a half-life of {th:g} h. The curve "
            f"falls by half every {th:g} h and is a straight line on the log axis. A shaded band shows the "
            "published "
            "half-life range 2.3 to 6.8 h; a dashed horizontal line marks the threshold "
            f"{self.value('threshold_mg_per_L'):.3g} mg/L and a dotted vertical line marks five half-lives."
            f"{numbers}"
        )
