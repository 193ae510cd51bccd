"""Non-compartmental analysis (NCA) of a concentration-time profile.

Educational model, not dosing advice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v
from .engine import simulate
from .events import Dose, Infusion
from .params import PKParams

__all__ = ["NCAResult", "mean_concentrations", "nca"]


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

    # dict-style access: res["cmax"], res["Cmax"], res["AUC"], res["t_half"] ...; attribute aliases too
    def __getitem__(self, key: str) -> float:
        k = key.lower().replace("_", "").replace(" ", "")
        aliases = _ALIASES
        if k not in aliases:
            raise KeyError(key)
        return getattr(self, aliases[k])

    def __getattr__(self, name: str) -> float:
        k = name.lower().replace("_", "")
        if name.startswith("__") or k not in _ALIASES or _ALIASES[k] == name:
            raise AttributeError(name)
        return getattr(self, _ALIASES[k])

    def keys(self) -> tuple[str, ...]:
        """Field names (so that ``dict(result)`` works)."""
        return ("cmax", "tmax_h", "auc", "auc_inf", "half_life_h", "lambda_z_per_h", "n_terminal")

    def __iter__(self):  # type: ignore[no-untyped-def]
        """Unpacks as ``cmax, tmax_h, auc, half_life_h``."""
        return iter((self.cmax, self.tmax_h, self.auc, self.half_life_h))


#: accepted spellings (lower case, underscores removed) -> field
_ALIASES: dict[str, str] = {
    "cmax": "cmax",
    "tmax": "tmax_h",
    "tmaxh": "tmax_h",
    "auc": "auc",
    "auclast": "auc",
    "auct": "auc",
    "aucinf": "auc_inf",
    "halflife": "half_life_h",
    "halflifeh": "half_life_h",
    "thalf": "half_life_h",
    "thalfh": "half_life_h",
    "t12": "half_life_h",
    "lambdaz": "lambda_z_per_h",
    "lambdazperh": "lambda_z_per_h",
    "nterminal": "n_terminal",
}


def nca(times_h: ArrayLike, conc: ArrayLike, n_terminal: int | None = None) -> NCAResult:
    """Cmax, Tmax, AUC (linear-up / log-down trapezoids) and terminal half-life (log-linear regression).

    Parameters
    ----------
    times_h : 1-D ascending sampling times, h (0 to 1e6).
    conc : concentrations (0 to 1e12 mg/L), same length. Half-life, lambda_z and AUC_inf are NaN when no
        terminal phase can be estimated (documented "not estimable", never a number made up).
    n_terminal : number of last points used for the terminal regression (default: the points after
        Cmax, at least 3, positive concentrations only; chosen by the best adjusted R^2 as is usual).
    """
    t = v.array(times_h, "times_h", min_value=0.0, ascending=True, ndim1=True, max_value=v.MAX_TIME_H)
    c = v.array(conc, "conc", min_value=0.0, ndim1=True, max_value=v.MAX_CONC_MG_PER_L)
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
    # terminal phase: log-linear regression on the last n positive points after Cmax, n >= 3, choosing
    # the n with the best adjusted R^2 (ties to the larger n); all suffixes at once with cumulative sums
    lam, npts = math.nan, 0
    post = np.flatnonzero((np.arange(t.size) > i) & (c > 0))
    if n_terminal is not None:
        if isinstance(n_terminal, bool) or not isinstance(n_terminal, (int, np.integer)) or n_terminal < 2:
            raise v.PKInputError(f"n_terminal must be a whole number >= 2 or None; got {n_terminal!r}")
        if n_terminal > post.size:
            raise v.PKInputError(
                f"n_terminal must be <= the {post.size} positive points after Cmax; got {n_terminal}"
            )
    if post.size >= (n_terminal or 3):
        x = t[post][::-1]
        y = np.log(c[post][::-1])
        n = np.arange(1, x.size + 1, dtype=float)
        sx, sy = np.cumsum(x), np.cumsum(y)
        sxx, syy, sxy = np.cumsum(x * x), np.cumsum(y * y), np.cumsum(x * y)
        with np.errstate(divide="ignore", invalid="ignore"):
            vxx = sxx - sx * sx / n
            vyy = syy - sy * sy / n
            vxy = sxy - sx * sy / n
            slope = vxy / vxx
            r2 = np.where(vyy > 0, vxy * vxy / (vxx * vyy), 1.0)
            adj = 1.0 - (1.0 - r2) * (n - 1) / (n - 2)
        if n_terminal is not None:
            k = n_terminal - 1
        else:
            ok = (n >= 3) & (slope < 0) & np.isfinite(adj)
            if np.any(ok):
                cand = np.flatnonzero(ok)
                best = np.max(adj[cand])
                k = int(cand[adj[cand] >= best - 1e-4][-1])
            else:
                k = -1
        if k >= 0 and slope[k] < 0:
            lam, npts = -float(slope[k]), k + 1
    hl = math.log(2.0) / lam if lam == lam and lam > 0 else math.nan
    auc_inf = auc + float(c[-1]) / lam if lam == lam and lam > 0 else math.nan
    return NCAResult(cmax, tmax, auc, auc_inf, hl, lam, npts)


def mean_concentrations(
    events: Sequence[Any], params: PKParams, start_h: float, stop_h: float
) -> tuple[float, float]:
    """Exact time-averaged (plasma, CSF) concentrations, mg/L, over [``start_h``, ``stop_h``]: AUC / duration.

    Exact by mass balance, no quadrature: the body loses drug only by CL from plasma, so
    AUC_plasma = (input - change in the body amount) / CL; the CSF compartment gains Q_in x C_p and the
    intrathecal input and loses CL_csf x C_csf, so AUC_csf = (IT input + Q_in x AUC_plasma - change in the
    CSF amount) / CL_csf. Valid for :class:`Dose` and :class:`Infusion` events (no clearance windows or
    removals). One engine call (two time points).
    """
    a = v.time_h(start_h, "start_h (hours)", max_value=v.MAX_TIME_H)
    b = v.time_h(stop_h, "stop_h (hours)", max_value=v.MAX_TIME_H)
    if b <= a:
        raise v.PKInputError(f"stop_h must be > start_h; got start_h={start_h!r}, stop_h={stop_h!r}")
    if not isinstance(params, PKParams):
        raise v.PKInputError(f"params must be a pk.PKParams; got {params!r}")
    if isinstance(events, (Dose, Infusion)):
        events = [events]
    if isinstance(events, (str, bytes, dict)) or not isinstance(events, Iterable):
        raise v.PKInputError(f"events must be a list of pk.Dose or pk.Infusion; got {events!r}")
    events = list(events)
    it_in = 0.0
    for i, ev in enumerate(events):
        if isinstance(ev, Dose):
            if ev.route == "it" and a < ev.time_h <= b:
                it_in += ev.amount_mg
        elif isinstance(ev, Infusion):
            if ev.route == "it":
                it_in += ev.rate_mg_per_h * max(0.0, min(b, ev.stop_h) - max(a, ev.start_h))
        else:
            raise v.PKInputError(
                f"events[{i}] must be a pk.Dose or pk.Infusion for the mass balance; got {ev!r}"
            )
    sim = simulate(list(events), params, [a, b])
    body = sim.gut_mg + sim.plasma_mg + sim.csf_mg
    eliminated = float(np.diff(sim.dose_input_mg - body)[0])
    auc_p = eliminated / params.cl_L_per_h
    auc_csf = (it_in + params.q_in_L_per_h * auc_p - float(np.diff(sim.csf_mg)[0])) / params.cl_csf_L_per_h
    return auc_p / (b - a), auc_csf / (b - a)
