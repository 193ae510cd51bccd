"""Small scalar root finder and maximiser in pure Python (no SciPy at run time).

SciPy is a test-only dependency of baclofen_teach: the student environment (binder/requirements.txt) does not
ship it, so the scenario modules use these instead. Both are classic, exact-to-tolerance methods:

* :func:`find_root` — Illinois regula falsi with a bisection safeguard on a bracketing interval;
* :func:`maximise` — golden-section search on an interval containing a single maximum.
"""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = ["find_root", "maximise"]


def find_root(f: Callable[[float], float], a: float, b: float, xtol: float = 1e-10,
              maxiter: int = 200) -> float:
    """A root of ``f`` in ``[a, b]`` where ``f(a)`` and ``f(b)`` have opposite signs (or one is zero).

    Raises ``ValueError`` naming the interval when the root is not bracketed.
    """
    fa, fb = f(a), f(b)
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    if (fa > 0) == (fb > 0):
        raise ValueError(f"find_root: f(a)={fa!r} and f(b)={fb!r} on [a, b]=[{a!r}, {b!r}] must differ "
                         "in sign")
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


def maximise(f: Callable[[float], float], lo: float, hi: float, xtol: float = 1e-10,
             maxiter: int = 200) -> tuple[float, float]:
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
