"""Non-compartmental analysis (NCA) of a concentration-time profile.

Educational model, not dosing advice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v

__all__ = ["NCAResult", "nca"]


@dataclass(frozen=True)
class NCAResult:
    """NCA summary. cmax in the concentration unit given (mg/L by convention), tmax_h and
    half_life_h in h, auc (to the last sample, linear-up/log-down) in conc x h, auc_inf extrapolated
    with the terminal slope (nan if no terminal phase), lambda_z_per_h the terminal rate constant."""

    cmax: float
    tmax_h: float
    auc: float
    auc_inf: float
    half_life_h: float
    lambda_z_per_h: float
    n_terminal: int

    # dict-style access: res["cmax"], res["Cmax"], res["AUC"], res["t_half"] ...
    def __getitem__(self, key: str) -> float:
        k = key.lower().replace("_", "").replace(" ", "")
        aliases = {"cmax": "cmax", "tmax": "tmax_h", "tmaxh": "tmax_h", "auc": "auc", "auclast": "auc",
                   "auct": "auc", "aucinf": "auc_inf", "halflife": "half_life_h", "halflifeh": "half_life_h",
                   "thalf": "half_life_h", "thalfh": "half_life_h", "t12": "half_life_h",
                   "lambdaz": "lambda_z_per_h", "lambdazperh": "lambda_z_per_h", "nterminal": "n_terminal"}
        if k not in aliases:
            raise KeyError(key)
        return getattr(self, aliases[k])

    def keys(self) -> tuple[str, ...]:
        """Field names (so that ``dict(result)`` works)."""
        return ("cmax", "tmax_h", "auc", "auc_inf", "half_life_h", "lambda_z_per_h", "n_terminal")

    def __iter__(self):  # type: ignore[no-untyped-def]
        """Unpacks as ``cmax, tmax_h, auc, half_life_h``."""
        return iter((self.cmax, self.tmax_h, self.auc, self.half_life_h))


def nca(times_h: ArrayLike, conc: ArrayLike, n_terminal: int | None = None) -> NCAResult:
    """Cmax, Tmax, AUC (linear-up / log-down trapezoids) and terminal half-life (log-linear regression).

    Parameters
    ----------
    times_h : 1-D ascending sampling times, h (>= 0).
    conc : concentrations (>= 0), same length.
    n_terminal : number of last points used for the terminal regression (default: the points after
        Cmax, at least 3, positive concentrations only; chosen by the best adjusted R^2 as is usual).
    """
    t = v.array(times_h, "times_h", min_value=0.0, ascending=True, ndim1=True)
    c = v.array(conc, "conc", min_value=0.0, ndim1=True)
    if c.shape != t.shape:
        raise v.PKInputError(f"conc must have the same length as times_h ({t.size}); got {c.size}")
    if t.size < 2:
        raise v.PKInputError(f"times_h must have at least 2 points; got {t.size}")
    i = int(np.argmax(c))
    cmax, tmax = float(c[i]), float(t[i])
    dt = np.diff(t)
    c0, c1 = c[:-1], c[1:]
    lin = 0.5 * (c0 + c1) * dt
    use_log = (c1 < c0) & (c1 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        logp = (c0 - c1) * dt / np.log(c0 / c1)
    auc = float(np.sum(np.where(use_log, logp, lin)))
    # terminal phase
    lam, npts = math.nan, 0
    post = np.flatnonzero((np.arange(t.size) > i) & (c > 0))
    cands = [n_terminal] if n_terminal is not None else list(range(3, post.size + 1))
    best = -math.inf
    for n in cands:
        if n is None or n < 2 or n > post.size:
            continue
        idx = post[-n:]
        x, y = t[idx], np.log(c[idx])
        slope, icpt = np.polyfit(x, y, 1)
        if slope >= 0:
            continue
        resid = y - (slope * x + icpt)
        ss_tot = float(np.sum((y - y.mean()) ** 2))
        r2 = 1.0 - float(np.sum(resid**2)) / ss_tot if ss_tot > 0 else 1.0
        adj = 1.0 - (1.0 - r2) * (n - 1) / max(n - 2, 1)
        if adj > best + 1e-4 or (n_terminal is not None):
            best, lam, npts = adj, -float(slope), n
    hl = math.log(2.0) / lam if lam == lam and lam > 0 else math.nan
    auc_inf = auc + float(c[-1]) / lam if lam == lam and lam > 0 else math.nan
    return NCAResult(cmax, tmax, auc, auc_inf, hl, lam, npts)
