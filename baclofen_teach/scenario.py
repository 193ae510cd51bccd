"""Scenario toolkit: the shared machinery of the clinical scenario modules (pump, withdrawal, overdose).

A scenario module turns a clinical story into engine events, runs :func:`baclofen_teach.pk.simulate` and
reports a few exact numbers. The steps they all share live here, with a public API, so that a new scenario
imports these names and never another scenario module's private helpers:

* **parameters**: :func:`default_params` (``None`` -> the adult set, anything but a ``pk.PKParams`` refused);
* **the scenario clock**: the engine starts at time 0, so a scenario that begins at steady state runs a
  warm-up first. Scenario time ``t`` is engine time ``t + warmup_h(params)``; :func:`slowest_half_life_h`
  gives the time scale of the slowest exponential;
* **grids**: :func:`time_grid` (the output grid, at most :data:`MAX_GRID_POINTS` points),
  :func:`crossing_grid` (a search grid over a long horizon) and :func:`above_grid` (fine, then coarse);
* **crossings and peaks on the exact curve**: :func:`first_crossings`, :func:`peak_bracket`,
  :func:`time_above_levels` / :func:`time_above`; all refine together with
  :func:`baclofen_teach._numerics.refine_brackets`, one call of the vectorised curve per iteration (fewer
  engine calls than ``scipy.optimize.elementwise``; measured in that module's docstring);
* **exact removal**: :func:`removed_by_windows` (drug removed by extracorporeal clearance windows, by mass
  balance);
* **results**: :class:`ScenarioCurves`, the mixin of every result with curves (``concentrations_at``,
  ``to_dataframe``), and :class:`baclofen_teach.pk.Flag`, the structured warning (re-exported here).

Keep engine calls as attribute look-ups (``pk.simulate(...)``): the test fixture
``tests/conftest.py::engine_calls`` counts them by monkeypatching ``pk.simulate``.

Educational model, not dosing advice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from baclofen_teach import pk
from baclofen_teach import validation as v
from baclofen_teach._numerics import refine_brackets
from baclofen_teach.pk import Flag

__all__ = [
    "MAX_GRID_POINTS",
    "Flag",
    "ScenarioCurves",
    "above_grid",
    "crossing_grid",
    "default_params",
    "first_crossings",
    "peak_bracket",
    "removed_by_windows",
    "slowest_half_life_h",
    "time_above",
    "time_above_levels",
    "time_grid",
    "warmup_h",
]

Curve = Callable[[np.ndarray], np.ndarray]

MAX_GRID_POINTS: int = 200_001
"""Largest output grid a scenario builds (keeps a notebook responsive); a smaller ``step_h`` is refused."""


# ---------------------------------------------------------------------------------------------------------
# parameters and the scenario clock
# ---------------------------------------------------------------------------------------------------------
def default_params(params: pk.PKParams | None) -> pk.PKParams:
    """``params``, or the adult set (:meth:`baclofen_teach.pk.PKParams.adult`) when it is ``None``.

    Anything else raises :class:`~baclofen_teach.validation.PKInputError` naming ``params``.
    """
    if params is None:
        return pk.PKParams.adult()
    if not isinstance(params, pk.PKParams):
        raise v.PKInputError(f"params must be a pk.PKParams instance or None (adult default); got {params!r}")
    return params


def slowest_half_life_h(params: pk.PKParams | None) -> float:
    """Half-life (h) of the slowest plasma/CSF exponential of the engine's model for ``params``.

    The plasma/CSF subsystem has the matrix [[-(CL + Q_in)/V, CL_csf/V_csf], [Q_in/V, -CL_csf/V_csf]]
    with Q_in = csf_plasma_ratio x CL_csf; its eigenvalue closest to zero sets how long a pump must run
    before a steady state is reached, and how long the last traces take to go.
    """
    p = default_params(params)
    q_in = p.csf_plasma_ratio * p.cl_csf_L_per_h
    a11 = -(p.cl_L_per_h + q_in) / p.v_L
    a22 = -p.cl_csf_L_per_h / p.v_csf_L
    a12 = p.cl_csf_L_per_h / p.v_csf_L
    a21 = q_in / p.v_L
    tr, det = a11 + a22, a11 * a22 - a12 * a21
    disc = max(tr * tr / 4.0 - det, 0.0)
    mu_slow = tr / 2.0 + math.sqrt(disc)  # closest to zero (negative)
    if mu_slow >= 0:  # only if CL == 0, which PKParams does not allow
        return math.inf
    # numerically stable form for a tiny eigenvalue: mu_slow = det / mu_fast
    mu_fast = tr / 2.0 - math.sqrt(disc)
    mu_slow = det / mu_fast
    return math.log(2.0) / -mu_slow


def warmup_h(params: pk.PKParams | None) -> float:
    """Run-in before a scenario's time 0 so that a constant input is at steady state to about 1e-12
    (40 slowest half-lives, at least 48 h). Scenario time ``t`` is engine time ``t + warmup_h``."""
    return max(48.0, 40.0 * slowest_half_life_h(params))


# ---------------------------------------------------------------------------------------------------------
# grids
# ---------------------------------------------------------------------------------------------------------
def time_grid(start_h: float, stop_h: float, step_h: float) -> np.ndarray:
    """Evenly spaced times from ``start_h`` to ``stop_h`` (both included) about ``step_h`` apart.

    Raises :class:`~baclofen_teach.validation.PKInputError` naming ``step_h`` if the grid would have more
    than :data:`MAX_GRID_POINTS` points.
    """
    ratio = (stop_h - start_h) / step_h
    n = max(int(round(ratio)), 2) if ratio < MAX_GRID_POINTS else MAX_GRID_POINTS  # issue 18: no int(inf)
    if n + 1 > MAX_GRID_POINTS:
        smallest = (stop_h - start_h) / (MAX_GRID_POINTS - 1)
        raise v.PKInputError(
            f"step_h={step_h!r} h would give more than {MAX_GRID_POINTS} time points over "
            f"{stop_h - start_h:g} h (pre_h + post_h, or duration_h); allowed: "
            f"at most {MAX_GRID_POINTS} points, i.e. step_h >= {smallest:.3g} h"
        )
    return np.linspace(start_h, stop_h, n + 1)


def crossing_grid(t0: float, horizon_h: float, step_h: float) -> np.ndarray:
    """A crossing search grid: ``t0`` to ``t0 + horizon_h`` about ``step_h`` apart (the step is widened so
    that the grid has at most :data:`MAX_GRID_POINTS` points)."""
    step_h = max(step_h, horizon_h / (MAX_GRID_POINTS - 1))
    n = max(int(math.ceil(horizon_h / step_h)), 1)
    return t0 + np.linspace(0.0, horizon_h, n + 1)


def above_grid(t_end: float, fine_until: float, step_h: float) -> np.ndarray:
    """Search grid of :func:`time_above_levels`: ``step_h`` apart from 0 up to ``fine_until``, 0.25 h apart
    after it, up to ``t_end`` (included); both steps are widened so that each part has at most
    :data:`MAX_GRID_POINTS` points."""
    mid = min(fine_until, t_end)
    step_h = max(step_h, mid / (MAX_GRID_POINTS - 1))  # grid-size guards (issue 18)
    coarse_h = max(0.25, (t_end - mid) / (MAX_GRID_POINTS - 1))
    fine = np.arange(0.0, mid, step_h)
    coarse = np.arange(mid, t_end + coarse_h, coarse_h)
    return np.unique(np.concatenate([fine, coarse, [t_end]]))


# ---------------------------------------------------------------------------------------------------------
# crossings and peaks on the exact curve
# ---------------------------------------------------------------------------------------------------------
def peak_bracket(grid: np.ndarray, vals: np.ndarray) -> tuple[float, float, float, float, float, float]:
    """(lo, x, hi, f(lo), f(x), f(hi)): the best grid point and its neighbours (a peak bracket for
    :func:`baclofen_teach._numerics.refine_brackets`)."""
    i = int(np.argmax(vals))
    lo, hi = max(i - 1, 0), min(i + 1, grid.size - 1)
    return (
        float(grid[lo]),
        float(grid[i]),
        float(grid[hi]),
        float(vals[lo]),
        float(vals[i]),
        float(vals[hi]),
    )


def first_crossings(
    f: Curve, grid: np.ndarray, vals: np.ndarray, levels: Sequence[float], below: bool = True
) -> list[float]:
    """For each level, the first time on ``grid`` (values ``vals`` of f there) at which f crosses it
    (downwards if ``below``), refined together to 1e-10 h by :func:`~baclofen_teach._numerics.refine_brackets`
    (one call of the vectorised ``f`` per iteration for all levels). ``grid[0]`` if f is already past the
    level there; ``math.inf`` if there is no crossing on the grid."""
    out = [math.inf] * len(levels)
    brackets, owners = [], []
    for k, lvl in enumerate(levels):
        past = vals < lvl if below else vals > lvl
        idx = np.flatnonzero(past)
        if idx.size == 0:
            continue
        i = int(idx[0])
        if i == 0:
            out[k] = float(grid[0])
        elif vals[i - 1] == lvl:  # exactly on the level at the grid point before
            out[k] = float(grid[i - 1])
        else:
            brackets.append((float(grid[i - 1]), float(grid[i]), float(vals[i - 1]), float(vals[i]), lvl))
            owners.append(k)
    if brackets:
        roots, _, _ = refine_brackets(f, brackets, xtol=1e-10)
        for k, r in zip(owners, roots, strict=True):
            out[k] = float(r)
    return out


def time_above_levels(
    f: Curve,
    levels: Sequence[float],
    t_end: float,
    fine_until: float,
    step_h: float,
    peak_grid: np.ndarray | None = None,
    extra_points: Sequence[float] = (),
) -> tuple[list[tuple[float, float]], tuple[float, float] | None]:
    """For each level: (total hours with f > level, last time f falls to level) on [0, t_end]; both are
    ``inf`` if f is still above the level at ``t_end``. With ``peak_grid``: also (time, value) of the
    maximum of f over ``peak_grid`` (the best grid point refined between its neighbours).

    One call of the vectorised ``f`` on the search grid (:func:`above_grid`: ``step_h`` up to
    ``fine_until``, 0.25 h after; merged with ``peak_grid`` and ``extra_points``, e.g. the left limit just
    before a jump) locates every crossing; then all crossings of all levels and the peak are refined
    TOGETHER to 1e-10 h by :func:`~baclofen_teach._numerics.refine_brackets` (one call of ``f`` per
    iteration, typically 2-4)."""
    grid = above_grid(t_end, fine_until, step_h)
    pts = [grid]
    if peak_grid is not None:
        pts.append(np.asarray(peak_grid, dtype=float))
    if len(extra_points):
        pts.append(np.asarray(extra_points, dtype=float))
    xs = np.unique(np.concatenate(pts)) if len(pts) > 1 else grid
    vs = np.asarray(f(xs), dtype=float)
    brackets: list[tuple[float, float, float, float, float]] = []
    per_level: list[tuple[bool, range, bool]] = []  # above at 0, bracket indices, above at the end
    for lvl in levels:
        above = vs > lvl
        idx = np.flatnonzero(above[1:] != above[:-1])
        first = len(brackets)
        for i in idx:
            brackets.append((float(xs[i]), float(xs[i + 1]), float(vs[i]), float(vs[i + 1]), float(lvl)))
        per_level.append((bool(above[0]), range(first, len(brackets)), bool(above[-1])))
    peaks = []
    if peak_grid is not None:
        pg = np.asarray(peak_grid, dtype=float)
        peaks.append(peak_bracket(pg, vs[np.searchsorted(xs, pg)]))
    roots, peak_out, _ = refine_brackets(f, brackets, peaks, xtol=1e-10)
    out: list[tuple[float, float]] = []
    for above0, ids, above_end in per_level:
        total, last_down = 0.0, (0.0 if not above0 else math.nan)
        start = 0.0 if above0 else None
        going_down = above0
        for k in ids:
            root = float(roots[k])
            if going_down:
                total += root - (start if start is not None else 0.0)
                start = None
                last_down = root
            else:
                start = root
            going_down = not going_down
        if above_end:  # still above at the end of the horizon: for practical purposes, for ever
            total, last_down = math.inf, math.inf
        out.append((total, last_down))
    return out, (peak_out[0] if peak_out else None)


def time_above(f: Curve, level: float, t_end: float, fine_until: float, step_h: float) -> tuple[float, float]:
    """(total hours with f > level, last time f falls to level) on [0, t_end]; both are ``inf`` if f is still
    above the level at ``t_end`` (one level of :func:`time_above_levels`)."""
    return time_above_levels(f, [level], t_end, fine_until, step_h)[0][0]


# ---------------------------------------------------------------------------------------------------------
# exact removal
# ---------------------------------------------------------------------------------------------------------
def removed_by_windows(events: Sequence[Any], params: pk.PKParams) -> float:
    """Drug removed by extracorporeal clearance windows (``pk.ClearanceWindow``), mg: the sum over windows of
    extra_cl x AUC(window), with the AUC exact by mass balance on pieces of constant total clearance."""
    windows = [e for e in events if isinstance(e, pk.ClearanceWindow)]
    if not windows:
        return 0.0
    edges = sorted(
        {0.0} | {e.start_h for e in windows} | {e.stop_h for e in windows if math.isfinite(e.stop_h)}
    )
    edges_arr = np.array(edges, dtype=float)
    s = pk.simulate(list(events), params, edges_arr)
    elim = s.dose_input_mg - (s.gut_mg + s.plasma_mg + s.csf_mg)
    removed = 0.0
    for a, b, da in zip(edges_arr[:-1], edges_arr[1:], np.diff(elim), strict=True):
        extra = sum(w.extra_cl_L_per_h for w in windows if w.start_h <= a and b <= w.stop_h)
        if extra > 0:
            auc = da / (params.cl_L_per_h + extra)
            removed += extra * auc
    return float(removed)


# ---------------------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------------------
class ScenarioCurves:
    """Mixin of the scenario results that carry curves.

    A subclass (a frozen dataclass) has the fields ``times_h`` (scenario clock, h), ``plasma_mg_per_L``,
    ``csf_mg_per_L``, ``params`` (``pk.PKParams``), ``events`` (the engine events, engine clock) and
    ``flags``; ``warmup_h`` (engine time of scenario time 0) is 0 unless the subclass has that field.
    The mixin gives every such result the same two methods: :meth:`concentrations_at` (exact values at any
    times) and :meth:`to_dataframe` (the curves as a table).
    """

    times_h: np.ndarray
    plasma_mg_per_L: np.ndarray
    csf_mg_per_L: np.ndarray
    params: pk.PKParams
    events: tuple[Any, ...]

    #: extra columns of :meth:`to_dataframe`, after ``time_h``: name -> attribute or property name
    _extra_columns: tuple[tuple[str, str], ...] = ()

    def concentrations_at(self, times_h: Any) -> tuple[np.ndarray, np.ndarray]:
        """Exact (plasma, CSF) concentrations in mg/L at any scenario times (finite, >= -warmup_h)."""
        warm = float(getattr(self, "warmup_h", 0.0))
        t = np.atleast_1d(v.array(times_h, "times_h", min_value=-warm if warm else 0.0)) + warm
        sim = pk.simulate(list(self.events), self.params, t)
        return sim.plasma_mg_per_L, sim.csf_mg_per_L

    def to_dataframe(self) -> pd.DataFrame:
        """pandas DataFrame: time_h, (any extra time column), plasma_mg_per_L, csf_mg_per_L."""
        cols: dict[str, Any] = {"time_h": self.times_h}
        for name, attr in self._extra_columns:
            cols[name] = getattr(self, attr)
        cols["plasma_mg_per_L"] = self.plasma_mg_per_L
        cols["csf_mg_per_L"] = self.csf_mg_per_L
        return pd.DataFrame(cols)
