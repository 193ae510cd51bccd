"""Vectorised refinement of many level crossings and maxima of ONE curve: :func:`refine_brackets`.

The scenario modules (:mod:`baclofen_teach.scenario` for pump, overdose and withdrawal) use it: their curve
is a :func:`baclofen_teach.pk.simulate` call, whose cost is mostly per call (about 0.2 ms for 1 point,
0.3 ms for 1,000), not per time point. Each iteration evaluates the curve ONCE on up to about 80 candidate
points per bracket, for all brackets, crossings and peak together, so a result costs 2-6 calls.

Why not ``scipy.optimize.elementwise`` (SciPy is a runtime dependency since issue 14)? Its ``find_root``
and ``find_minimum`` are vectorised too (one call per iteration for all brackets), so they were measured
on the package's own problems (``benchmarks/bench_scenarios.py``: the brackets of 12 oral, IV,
intrathecal, overdose, pump and withdrawal results, scipy 1.17.1; scipy counted at its best, with the
bracket ends it evaluates first memoised). They do the same job with MORE engine calls, so this module
keeps its own code:

* **roots** (``find_root``, Chandrupatla, ``xatol`` 1e-10 h as here and in the tests, other tolerances
  0): the same roots (largest difference 6.2e-11 h; against ``brentq`` at 1e-13 h refine_brackets is within
  1.4e-14 h on smooth curves and 1.9e-11 h at the CSF drainage jump, find_root within 7.9e-11 h), but 3-5
  calls where refine_brackets needs 2-3, and 22 instead of 6 at a jump (intrathecal overdose with a CSF
  drainage: Chandrupatla falls back to bisection, one point per bracket per call). Two more calls each
  without the memo (it evaluates the two bracket ends in separate calls).
* **maxima** (``find_minimum`` on ``-f``): 4-6 calls at its default tolerance (peak time within 8e-7 h,
  value within 1e-13 relative), 10-20 calls with ``xatol`` 1e-10 h, where refine_brackets needs 2-3; and it
  cannot take the corner maxima of the IV bolus, the intrathecal bolus or the moment a pump is emptied: its
  bracket must be three points ``x1 < x2 < x3`` with ``f(x2)`` strictly above ``f(x1)``, and there the
  maximum is the END of its bracket.
* roots and a peak of one curve are two separate scipy loops, so their calls add up; refine_brackets
  refines both in the same calls. In total over the 13 problems: 35 engine calls for refine_brackets, 82
  for scipy (corner peaks not counted), and the refinement 2.6-4.5 times slower (three runs; the ratio
  depends on the machine's load). A 1200 mg oral overdose would cost 12 engine calls instead of 5 (14
  without the memo), above the guard ``tests/conftest.py::MAX_ENGINE_CALLS`` (10).

The scalar Illinois root finder and golden-section maximiser that used to live here are gone: nothing in
the package used them (``scipy.optimize.brentq`` and ``minimize_scalar`` do that job where needed). The
tests cross-check :func:`refine_brackets` against ``scipy.optimize.elementwise.find_root``
(``tests/scenarios/test_numerics.py``: same roots to 1e-10 h, fewer engine calls) and the scenarios' crossings
against ``scipy.optimize.brentq`` on the engine's curve.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["refine_brackets"]


# ---------------------------------------------------------------------------------------------------------
# vectorised refinement of many brackets at once (one evaluation of the curve per iteration)
# ---------------------------------------------------------------------------------------------------------
_EPS = np.finfo(float).eps


def _ladder(centres: Sequence[float], lo: float, hi: float, xtol: float, sections: int) -> np.ndarray:
    """Sorted distinct candidate points strictly inside (lo, hi): ``sections - 1`` equally spaced points
    (a guaranteed shrink by ``sections``) plus, for each centre x, x itself and x +- w 2**-k (w = hi - lo)
    down to ``xtol / 4`` (so that an estimate x with error e yields a bracket no wider than e)."""
    w = hi - lo
    k = max(int(math.ceil(math.log2(max(w / (0.25 * xtol), 2.0)))), 1)
    steps = w * np.exp2(-np.arange(1, k + 1, dtype=float))
    parts = [lo + w * np.arange(1, sections, dtype=float) / sections]
    for x in centres:
        parts += [np.array([x]), x - steps, x + steps]
    pts = np.unique(np.concatenate(parts))  # sorted, no duplicates
    pts = pts[(pts > lo) & (pts < hi)]
    # merge near-duplicates (e.g. a ladder point one ulp from a section point): two points closer than
    # xtol / 16 carry no information and would make a bracket collapse on one side
    return pts[np.diff(pts, prepend=-np.inf) >= xtol / 16.0]


def refine_brackets(
    f: Callable[[np.ndarray], np.ndarray],
    roots: Sequence[tuple[float, float, float, float, float]] = (),
    peaks: Sequence[tuple[float, float, float, float, float, float]] = (),
    *,
    xtol: float = 1e-10,
    sections: int = 16,
    maxiter: int = 60,
) -> tuple[np.ndarray, list[tuple[float, float]], int]:
    """Refine many level crossings and maxima of one vectorised curve ``f`` together.

    ``f`` maps a 1-D ascending array of distinct points to the curve's values there (e.g. one
    :func:`baclofen_teach.pk.simulate` call). Each iteration evaluates ``f`` ONCE on the candidate points of
    all unfinished brackets, so the number of calls is the number of iterations (typically 2-4), not the
    number of brackets times the number of function evaluations.

    ``roots``: ``(a, b, f(a), f(b), level)`` with ``(f(a) > level) != (f(b) > level)``. Each bracket is
    shrunk around the point where ``f > level`` changes truth value (a crossing, or a jump across the level)
    until it is at most ``xtol`` wide; the root returned is the linear interpolation in the final bracket.
    Candidates per iteration: ``sections - 1`` equally spaced points (so the bracket shrinks at least
    ``sections``-fold: never worse than a ``sections``-section search, whatever the curve) plus the
    regula falsi estimate x and points x +- w 2^-k (w = bracket width) down to ``xtol / 4``: on a smooth
    curve the new bracket is then no wider than the error of x, which makes convergence quadratic.
    A root never leaves its bracket.

    ``peaks``: ``(lo, x, hi, f(lo), f(x), f(hi))`` with ``f(x) >= max(f(lo), f(hi))`` (a grid maximum and
    its neighbours). Candidates: equally spaced points, the vertex of the parabola through the three points
    and a ladder around it; the best point and its neighbours form the next bracket. Stops when the bracket
    is at most ``xtol`` wide or the best value no longer improves by more than a few ulps (the maximum is
    then resolved to rounding: near a maximum f is flat, so its location is only defined to about
    sqrt(eps) relative). Returns ``(x, f(x))`` of the best point evaluated, never worse than the given one.

    Returns ``(roots array, [(x_max, f_max), ...], number of calls of f)``.
    """
    if sections < 2:
        raise ValueError(f"sections must be >= 2, got {sections!r}")
    rb = [list(map(float, r)) for r in roots]  # a, b, fa, fb, level
    for i, (a, b, fa, fb, lvl) in enumerate(rb):
        if not a < b or (fa > lvl) == (fb > lvl):
            raise ValueError(
                f"refine_brackets: roots[{i}] = (a={a!r}, b={b!r}, f(a)={fa!r}, f(b)={fb!r}, level={lvl!r}) "
                "must have a < b and f - level > 0 at exactly one end"
            )
    pb = [list(map(float, q)) for q in peaks]  # lo, x, hi, flo, fx, fhi
    for i, (lo, x, hi, flo, fx, fhi) in enumerate(pb):
        if not lo <= x <= hi or fx < max(flo, fhi):
            raise ValueError(
                f"refine_brackets: peaks[{i}] = (lo={lo!r}, x={x!r}, hi={hi!r}) must have lo <= x <= hi and "
                f"f(x)={fx!r} >= f(lo)={flo!r}, f(hi)={fhi!r}"
            )
    r_done = [b - a <= xtol for a, b, *_ in rb]
    p_done = [hi - lo <= xtol for lo, _, hi, *_ in pb]
    calls = 0
    for _ in range(maxiter):
        cand: list[np.ndarray] = []
        owners: list[tuple[str, int]] = []
        for i, (a, b, fa, fb, lvl) in enumerate(rb):
            if r_done[i]:
                continue
            ga, gb = fa - lvl, fb - lvl
            x = a + (b - a) * ga / (ga - gb) if ga != gb else 0.5 * (a + b)
            if not a < x < b:
                x = 0.5 * (a + b)
            pts = _ladder([x], a, b, xtol, sections)
            if pts.size == 0:  # the bracket is down to adjacent floating-point numbers
                r_done[i] = True
                continue
            cand.append(pts)
            owners.append(("r", i))
        for i, (lo, x, hi, flo, fx, fhi) in enumerate(pb):
            if p_done[i]:
                continue
            xv = x
            d1, d2 = x - lo, x - hi
            den = d1 * (fx - fhi) - d2 * (fx - flo)
            if den != 0.0:
                xp = x - 0.5 * (d1 * d1 * (fx - fhi) - d2 * d2 * (fx - flo)) / den
                if lo < xp < hi:
                    xv = xp
            # around the parabola's vertex (fast convergence) and around the best point so far (so that "no
            # point beats it" means it is a maximum to within xtol / 4, even at a corner)
            pts = _ladder([xv, x] if xv != x else [x], lo, hi, xtol, sections)
            pts = pts[np.abs(pts - x) >= xtol / 16.0]
            if pts.size == 0:
                p_done[i] = True
                continue
            cand.append(pts)
            owners.append(("p", i))
        if not cand:
            break
        allpts = np.concatenate(cand)
        uniq, inv = np.unique(allpts, return_inverse=True)
        vals = np.asarray(f(uniq), dtype=float)[inv]
        calls += 1
        pos = 0
        for (kind, i), pts in zip(owners, cand, strict=True):
            v = vals[pos : pos + pts.size]  # pts: sorted, distinct, strictly inside the bracket
            pos += pts.size
            if kind == "r":
                a, b, fa, fb, lvl = rb[i]
                xs = np.concatenate([[a], pts, [b]])
                fs = np.concatenate([[fa], v, [fb]])
                above = fs > lvl
                j = int(np.flatnonzero(above[1:] != above[:-1])[0])
                rb[i] = [xs[j], xs[j + 1], fs[j], fs[j + 1], lvl]
                r_done[i] = xs[j + 1] - xs[j] <= xtol
            else:
                lo, x, hi, flo, fx, fhi = pb[i]
                xs, first = np.unique(np.concatenate([[x, lo, hi], pts]), return_index=True)
                fs = np.concatenate([[fx, flo, fhi], v])[first]  # x == lo or hi keeps f(x)
                j = int(np.argmax(fs))
                jl, jh = max(j - 1, 0), min(j + 1, xs.size - 1)
                # a neighbour as high as the best (flat to rounding) does not bound the maximum: widen
                while jl > 0 and fs[jl] >= fs[j]:
                    jl -= 1
                while jh < xs.size - 1 and fs[jh] >= fs[j]:
                    jh += 1
                improved = fs[j] > fx + 4.0 * _EPS * abs(fx)
                pb[i] = [xs[jl], xs[j], xs[jh], fs[jl], fs[j], fs[jh]]
                p_done[i] = (not improved) or xs[jh] - xs[jl] <= xtol
        if all(r_done) and all(p_done):
            break
    out = np.empty(len(rb))
    for i, (a, b, fa, fb, lvl) in enumerate(rb):
        ga, gb = fa - lvl, fb - lvl
        x = a + (b - a) * ga / (ga - gb) if ga != gb else 0.5 * (a + b)
        out[i] = x if a <= x <= b else 0.5 * (a + b)
    return out, [(q[1], q[4]) for q in pb], calls
