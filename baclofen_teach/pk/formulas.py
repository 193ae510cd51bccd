"""Plain one-compartment formulas on floats or numpy arrays (times in h, concentrations in mg/L).

Every function validates its input and raises :class:`~baclofen_teach.pk.PKInputError` (a ``ValueError``)
naming the parameter, the value and what is allowed.

Educational model, not dosing advice.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v

__all__ = [
    "k_from_half_life",
    "half_life_from_k",
    "fraction_remaining",
    "time_to_fall_below",
    "accumulation_factor",
    "time_to_steady_state",
    "css_avg",
    "peak_trough_ss",
    "bateman",
]

LN2 = math.log(2.0)


_LO, _HI = v.FORMULA_RANGE  # rate constants (1/h) and half-lives (h): 1e-6 to 1e6
_T_MAX = v.MAX_TIME_H  # times, h
_DOSE_MAX = v.MAX_AMOUNT_MG
_CL = (1e-6, 1e6)  # clearances, L/h
_VOL = (1e-6, 1e7)  # volumes, L


def _num(
    x: ArrayLike,
    name: str,
    *,
    positive: bool = False,
    nonneg: bool = False,
    lo: float | None = None,
    hi: float | None = None,
) -> Any:
    """Validate a float or array (bounds [lo, hi] when given, otherwise > 0 or >= 0); returns a float for
    scalar input, an ndarray otherwise."""
    if lo is None:
        lo = 0.0 if (positive or nonneg) else None
        lo_inc = not positive
    else:
        lo_inc = True
    try:
        scalar = np.ndim(x) == 0 and not isinstance(x, (np.ndarray, str))
    except ValueError:  # a ragged list: v.array names the parameter
        scalar = False
    if scalar:
        return v.real(x, name, min_value=lo, min_inclusive=lo_inc, max_value=hi)
    return v.array(x, name, min_value=lo, min_inclusive=lo_inc, max_value=hi)


def k_from_half_life(half_life_h: ArrayLike) -> Any:
    """Elimination rate constant k = ln 2 / t_half (1/h) from a half-life (h, > 0)."""
    return LN2 / _num(half_life_h, "half_life_h (hours)", lo=_LO, hi=_HI)


def half_life_from_k(k_per_h: ArrayLike) -> Any:
    """Half-life t_half = ln 2 / k (h) from a first-order rate constant k (1/h, > 0)."""
    return LN2 / _num(k_per_h, "k_per_h (1/h)", lo=_LO, hi=_HI)


def fraction_remaining(t_h: ArrayLike, half_life_h: ArrayLike) -> Any:
    """Fraction of drug left after ``t_h`` hours of first-order decay: 2^(-t / t_half) (t >= 0)."""
    t = _num(t_h, "t_h (hours)", nonneg=True, hi=_T_MAX)
    hl = _num(half_life_h, "half_life_h (hours)", lo=_LO, hi=_HI)
    return np.exp2(-t / hl) if isinstance(t, np.ndarray) or isinstance(hl, np.ndarray) else 2.0 ** (-t / hl)


def time_to_fall_below(c0_mg_per_L: ArrayLike, threshold_mg_per_L: ArrayLike, half_life_h: ArrayLike) -> Any:
    """Hours for a concentration decaying from c0 to reach ``threshold``: t_half * log2(c0 / threshold).

    Returns 0 when c0 is already at or below the threshold. c0 >= 0, threshold > 0, half-life > 0.
    """
    c0 = _num(c0_mg_per_L, "c0_mg_per_L", nonneg=True, hi=v.MAX_CONC_MG_PER_L)
    thr = _num(threshold_mg_per_L, "threshold_mg_per_L", positive=True, hi=v.MAX_CONC_MG_PER_L)
    hl = _num(half_life_h, "half_life_h (hours)", lo=_LO, hi=_HI)
    with np.errstate(divide="ignore"):  # log2(c0) - log2(thr): no overflow of the ratio for a tiny thr
        out = np.maximum(hl * (np.log2(np.asarray(c0, dtype=float)) - np.log2(thr)), 0.0)
    return float(out) if np.ndim(out) == 0 else out


def accumulation_factor(k_per_h: ArrayLike, tau_h: ArrayLike) -> Any:
    """Steady-state accumulation factor R = 1 / (1 - exp(-k tau)) for repeated doses every tau hours.

    Peak (and trough) at steady state = R x the value after the first dose (one-compartment, IV bolus).
    """
    k = _num(k_per_h, "k_per_h (1/h)", lo=_LO, hi=_HI)
    tau = _num(tau_h, "tau_h (hours)", lo=1e-3, hi=v.MAX_SPAN_H)
    return (
        -1.0 / np.expm1(-np.multiply(k, tau)) if np.ndim(k) or np.ndim(tau) else -1.0 / math.expm1(-k * tau)
    )


def time_to_steady_state(half_life_h: ArrayLike, fraction: float = 0.9) -> Any:
    """Hours to reach ``fraction`` (0 < fraction < 1) of steady state: t_half * log2(1 / (1 - fraction)).

    With the default 0.9 this is about 3.3 half-lives.
    """
    hl = _num(half_life_h, "half_life_h (hours)", lo=_LO, hi=_HI)
    fr = v.real(fraction, "fraction", min_value=0.0, min_inclusive=False, max_value=1.0, max_inclusive=False)
    return hl * -math.log2(1.0 - fr)


def css_avg(dose_mg: ArrayLike, tau_h: ArrayLike, cl_L_per_h: ArrayLike, f: float = 1.0) -> Any:
    """Average steady-state concentration Css,avg = F * dose / (CL * tau), mg/L.

    ``cl_L_per_h`` is the true (systemic) clearance; with an apparent oral clearance CL/F pass f=1.
    """
    d = _num(dose_mg, "dose_mg", nonneg=True, hi=_DOSE_MAX)
    tau = _num(tau_h, "tau_h (hours)", lo=1e-3, hi=v.MAX_SPAN_H)
    cl = _num(cl_L_per_h, "cl_L_per_h", lo=_CL[0], hi=_CL[1])
    ff = v.real(f, "f (bioavailability)", min_value=0.0, min_inclusive=False, max_value=1.0)
    return ff * d / (cl * tau)


def bateman(
    t_h: ArrayLike, dose_mg: float, ka_per_h: float, cl_L_per_h: float, v_L: float, f: float = 1.0
) -> Any:
    """One-compartment oral concentration (mg/L) after a single dose at t=0 (Bateman function).

    C(t) = F D ka / (V (ka - k)) (e^{-k t} - e^{-ka t}), k = CL/V; exact also for ka == k
    (computed as F D ka / V * t e^{-kt} phi1(-(ka-k) t) with expm1).
    """
    t = np.asarray(_num(t_h, "t_h (hours)", nonneg=True, hi=_T_MAX), dtype=float)
    d, ka, cl, vol, ff, k = _oral_one_cpt(dose_mg, ka_per_h, cl_L_per_h, v_L, f)
    g = k - ka
    lo = min(k, ka)
    # (e^{-ka t} - e^{-k t})/(k - ka) = e^{-lo t} (e^{-(hi-lo)t} - 1)/(lo - hi) ... written with expm1
    if g == 0.0:
        dd = t * np.exp(-k * t)
    else:
        dd = np.exp(-lo * t) * np.expm1(-abs(g) * t) / (-abs(g))
    out = ff * d * ka / vol * dd
    return float(out) if out.ndim == 0 else out


def _oral_one_cpt(
    dose_mg: Any, ka_per_h: Any, cl_L_per_h: Any, v_L: Any, f: Any
) -> tuple[float, float, float, float, float, float]:
    """Validated (dose, ka, CL, V, F, k = CL/V) of the oral one-compartment formulas. Ranges: dose 0-1e9
    mg, ka and k = CL/V 1e-6 to 1e6 per h, CL 1e-6 to 1e6 L/h, V 1e-6 to 1e7 L, F in (0, 1]."""
    d = v.real(dose_mg, "dose_mg", min_value=0.0, max_value=_DOSE_MAX)
    ka = v.real(ka_per_h, "ka_per_h", min_value=_LO, max_value=_HI)
    cl = v.real(cl_L_per_h, "cl_L_per_h", min_value=_CL[0], max_value=_CL[1])
    vol = v.real(v_L, "v_L", min_value=_VOL[0], max_value=_VOL[1])
    ff = v.real(f, "f (bioavailability)", min_value=0.0, min_inclusive=False, max_value=1.0)
    k = cl / vol
    if not _LO <= k <= _HI:
        raise v.PKInputError(
            f"cl_L_per_h / v_L (the elimination rate constant) must be between {_LO:g} and {_HI:g} per h; "
            f"got {k:.6g} per h (cl_L_per_h={cl!r}, v_L={vol!r})"
        )
    return d, ka, cl, vol, ff, k


def _dd_exp(a: float, b: float, s: float) -> float:
    """Divided difference of x -> exp(-x s) at a and b, (e^{-b s} - e^{-a s}) / (b - a), computed with
    expm1 so that it is exact for a == b (the derivative -s e^{-a s}) and loses no accuracy near it."""
    lo, hi = min(a, b), max(a, b)
    g = hi - lo
    if g == 0.0:
        return -s * math.exp(-lo * s)
    return math.exp(-lo * s) * math.expm1(-g * s) / g


def _log1p_ratio(x: float) -> float:
    """log1p(x) / x, with its limit 1 at x == 0."""
    return 1.0 if x == 0.0 else math.log1p(x) / x


def peak_trough_ss(
    dose_mg: float, tau_h: float, ka_per_h: float, cl_L_per_h: float, v_L: float, f: float = 1.0
) -> tuple[float, float, float]:
    """Steady-state (peak mg/L, trough mg/L, time of peak after a dose h) for oral dosing every tau.

    One-compartment closed form: the superposition of an infinite train of Bateman curves,
    C(t) = F D ka / V * (h(k) - h(ka)) / (ka - k) with h(x) = e^{-x t} / (1 - e^{-x tau}), k = CL/V.
    The difference quotient and the peak time ln(ka (1 - e^{-k tau}) / (k (1 - e^{-ka tau}))) / (ka - k)
    are evaluated as divided differences with expm1/log1p, so they are exact for ka == k (no tolerance
    switch) and lose no accuracy near it.
    """
    tau = v.real(tau_h, "tau_h (hours)", min_value=1e-3, max_value=v.MAX_SPAN_H)
    d, ka, cl, vol, ff, k = _oral_one_cpt(dose_mg, ka_per_h, cl_L_per_h, v_L, f)
    w_k = -math.expm1(-k * tau)  # 1 - e^{-k tau}
    w_ka = -math.expm1(-ka * tau)
    dd_tau = _dd_exp(k, ka, tau)  # (e^{-ka tau} - e^{-k tau}) / (ka - k) = -w[k, ka]
    scale = ff * d * ka / vol

    def c(t: float) -> float:
        # (h(k) - h(ka)) / (ka - k) = -h[k, ka], with h = u v, u = e^{-x t}, v = 1 / w:
        # h[k, ka] = u[k, ka] v(ka) + u(k) v[k, ka] and v[k, ka] = -w[k, ka] / (w(k) w(ka)).
        return -scale * (_dd_exp(k, ka, t) / w_ka + math.exp(-k * t) * dd_tau / (w_k * w_ka))

    # tmax = L[k, ka] for L(x) = ln x - ln w(x), each term a divided difference via log1p
    delta = ka - k
    slope_w = -dd_tau / w_k  # w[k, ka] / w(k)
    tmax = _log1p_ratio(delta / k) / k - slope_w * _log1p_ratio(delta * slope_w)
    return c(tmax), c(tau), tmax
