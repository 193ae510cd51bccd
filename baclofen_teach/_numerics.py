"""Root finding and maximisation without SciPy at run time.

SciPy is a test-only dependency of baclofen_teach: the student environment (binder/requirements.txt) does not
ship it, so the scenario modules use these instead. All are classic, exact-to-tolerance methods:

* :func:`find_root` — Illinois regula falsi with a bisection safeguard on a bracketing interval (scalar);
* :func:`maximise` — golden-section search on an interval containing a single maximum (scalar);
* :func:`refine_brackets` — many crossings and maxima of ONE vectorised curve refined together, one call of
  the curve per iteration for all brackets (a few calls in all). The scenario modules use it: their curve
  is a :func:`baclofen_teach.pk.simulate` call, whose cost is mostly per call, not per time point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["find_root", "maximise", "refine_brackets"]


def find_root(
    f: Callable[[float], float], a: float, b: float, xtol: float = 1e-10, maxiter: int = 200
) -> float:
    """A root of ``f`` in ``[a, b]`` where ``f(a)`` and ``f(b)`` have opposite signs (or one is zero).

    Raises ``ValueError`` naming the interval when the root is not bracketed.
    """
    fa, fb = f(a), f(b)
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    if (fa > 0) == (fb > 0):
        raise ValueError(
            f"find_root: f(a)={fa!r} and f(b)={fb!r} on [a, b]=[{a!r}, {b!r}] must differ in sign"
        )
    side = 0
    for _ in range(maxiter):
        if abs(b - a) <= xtol:
            break
        c = (a * fb - b * fa) / (fb - fa)
        # safeguard: fall back to bisection when the secant point is not well inside the interval
        lo, hi = (a, b) if a < b else (b, a)
        if not (lo < c < hi) or min(c - lo, hi - c) < 1e-3 * (hi - lo):
            c = 0.5 * (a + b)
        fc = f(c)
        if fc == 0.0:
            return c
        if (fc > 0) == (fb > 0):
            b, fb = c, fc
            if side == -1:
                fa *= 0.5
            side = -1
        else:
            a, fa = c, fc
            if side == 1:
                fb *= 0.5
            side = 1
    return 0.5 * (a + b)


_INV_PHI = (math.sqrt(5.0) - 1.0) / 2.0


def maximise(
    f: Callable[[float], float], lo: float, hi: float, xtol: float = 1e-10, maxiter: int = 200
) -> tuple[float, float]:
    """(x, f(x)) at the maximum of a unimodal ``f`` on ``[lo, hi]`` by golden-section search."""
    a, b = lo, hi
    c = b - _INV_PHI * (b - a)
    d = a + _INV_PHI * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(maxiter):
        if abs(b - a) <= xtol:
            break
        if fc >= fd:
            b, d, fd = d, c, fc
            c = b - _INV_PHI * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + _INV_PHI * (b - a)
            fd = f(d)
    x = 0.5 * (a + b)
    return x, f(x)


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
