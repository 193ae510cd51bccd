"""Exact event-propagation solver for the gut / plasma / CSF model of baclofen.

Model (amounts in mg, time in h) [see :class:`~baclofen_teach.pk.params.PKParams`]::

    dA_g/dt = -ka A_g                                   (oral dose adds F * amount)
    dA_p/dt =  ka A_g - (CL + Q_in) C_p + CL_csf C_csf + R_iv      (IV bolus adds its amount)
    dA_c/dt =  Q_in C_p - CL_csf C_csf + R_it                       (IT bolus adds its amount)
    C_p = A_p / V,  C_csf = A_c / V_csf,  Q_in = csf_plasma_ratio * CL_csf

Method. Between consecutive events the system is linear with constant coefficients, x' = A x + u.
The matrix exponential is written in Newton (divided-difference) form over the eigenvalues
n1 >= n2 >= n3 of A (-ka and the two plasma/CSF eigenvalues, all real and negative)::

    exp(A t) = f[n1] I + f[n1,n2] (A - n1 I) + f[n1,n2,n3] (A - n1 I)(A - n2 I),   f(x) = exp(x t)

which is exact for *any* eigenvalues, including coincident ones (ka == CL/V, a defective matrix), and
is evaluated with ``expm1`` so that near-coincident eigenvalues (ka = ke(1 +- 1e-9)) lose no accuracy.
Constant infusions use the same form for the integral of exp(A s) (nodes 0, mu1, mu2). The state is
propagated from event to event (a prefix product of affine maps, computed by doubling), and every
time point is evaluated vectorised from the state at its preceding event (``np.searchsorted``):
cost O(time points + events * log(events)), never their product, and no ODE solver. On uniform grids
with equally spaced (or periodic) events, segments share their offsets from the event time, so the
basis functions are evaluated once per kind of segment (verified point by point; see ``_evaluate``).

Educational model, not dosing advice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate as v
from .events import ClearanceWindow, Dose, Infusion, RemoveFraction, _is_event
from .params import PKParams
from .regimens import regimen_flags

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["simulate", "SimulationResult"]

Array = NDArray[np.float64]

# series order for the second divided difference when all three nodes are within 0.5 (in units of
# node * t): terms are bounded by 0.5**k / (k + 2)!, below 1e-19 for k >= 17.
_SERIES_SPREAD = 0.5
_SERIES_TERMS = 18


def _dd(t: Array, n1: float, n2: float, n3: float) -> tuple[Array, Array, Array]:
    """Divided differences of x -> exp(x t) at sorted nodes n1 >= n2 >= n3, vectorised over t >= 0.

    Returns (f[n1], f[n1,n2], f[n1,n2,n3]). Accurate to a few ulps for any node spacing, including
    equal and nearly equal nodes (expm1-based; a convergent series when all three nodes are close).
    """
    e1 = np.ones_like(t) if n1 == 0.0 else np.exp(n1 * t)
    g21 = n2 - n1
    g32 = n3 - n2
    g31 = n3 - n1
    if g21 != 0.0:
        em2 = np.expm1(g21 * t)  # e^{(n2-n1)t} - 1
        f12 = e1 * em2 / g21
    else:
        em2 = np.zeros_like(t)
        f12 = e1 * t
    # f[n2,n3] = e^{n2 t} * (e^{(n3-n2)t} - 1)/(n3-n2)
    e2 = e1 * (1.0 + em2)
    f23 = e2 * (np.expm1(g32 * t) / g32 if g32 != 0.0 else t)
    if g31 != 0.0:
        f123 = (f23 - f12) / g31
        small = (-g31) * t < _SERIES_SPREAD
        if np.any(small):
            f123[small] = _dd2_series(t[small], e1[small], g21, g31)
    else:
        f123 = _dd2_series(t, e1, 0.0, 0.0)
    return e1, f12, f123


def _dd2_series(t: Array, e1: Array, g21: float, g31: float) -> Array:
    """f[n1,n2,n3] = e^{n1 t} t^2 sum_k h_k(d2, d3) / (k+2)!, d_i = (n_i - n1) t, |d_i| < 0.5."""
    d2 = g21 * t
    d3 = g31 * t
    h = np.ones_like(t)  # h_0
    p2 = np.ones_like(t)  # d2^k
    total = h / 2.0
    fact = 2.0
    for k in range(1, _SERIES_TERMS):
        p2 = p2 * d2
        h = d3 * h + p2
        fact *= k + 2
        total = total + h / fact
    return e1 * t * t * total


@dataclass(frozen=True)
class _Regime:
    """Constant-coefficient system for one value of the total plasma clearance."""

    A: Array  # 3x3 system matrix (gut, plasma, csf)
    nodes: tuple[float, float, float]  # eigenvalues of A, sorted descending
    P1: Array  # A - n1 I
    P2: Array  # (A - n1 I)(A - n2 I)
    mu: tuple[float, float]  # plasma/CSF eigenvalues, mu1 >= mu2
    M: Array  # 2x2 plasma/CSF block
    Q1: Array  # M - mu1 I (for the infusion integral)


def _make_regime(ka: float, cl: float, v: float, q_in: float, cl_csf: float, v_csf: float) -> _Regime:
    k10 = cl / v
    k12 = q_in / v
    k21 = cl_csf / v_csf
    A = np.array([[-ka, 0.0, 0.0], [ka, -(k10 + k12), k21], [0.0, k12, -k21]])
    # eigenvalues of the plasma/CSF block, computed without cancellation
    disc = (k10 + k12 - k21) ** 2 + 4.0 * k12 * k21
    mu2 = -0.5 * ((k10 + k12 + k21) + math.sqrt(disc))  # fastest (most negative)
    mu1 = (k10 * k21) / mu2  # product of the eigenvalues = det = k10 k21
    n1, n2, n3 = sorted((-ka, mu1, mu2), reverse=True)
    eye = np.eye(3)
    P1 = A - n1 * eye
    P2 = P1 @ (A - n2 * eye)
    M = A[1:, 1:]
    Q1 = M - mu1 * np.eye(2)
    return _Regime(A, (n1, n2, n3), P1, P2, (mu1, mu2), M, Q1)


@dataclass
class SimulationResult:
    """Output of :func:`simulate`. Concentrations in mg/L (= ug/mL), amounts in mg, times in h.

    Attributes
    ----------
    times_h : the requested time points, h.
    plasma_mg_per_L, csf_mg_per_L : concentrations at ``times_h``.
    params : the :class:`PKParams` used; events : the events (sorted by time).
    flags : warnings about the regimen (e.g. a daily dose above a label maximum); never a refusal.
    """

    times_h: Array
    plasma_mg_per_L: Array
    csf_mg_per_L: Array
    params: PKParams
    events: tuple[Any, ...]
    flags: list[str] = field(default_factory=list)
    _gut_fn: Any = field(default=None, repr=False)

    @property
    def plasma_mg(self) -> Array:
        """Amount in plasma (central volume V), mg."""
        return self.plasma_mg_per_L * self.params.v_L

    @property
    def csf_mg(self) -> Array:
        """Amount in the CSF compartment (apparent volume v_csf_L), mg."""
        return self.csf_mg_per_L * self.params.v_csf_L

    @cached_property
    def gut_mg(self) -> Array:
        """Amount still to be absorbed (bioavailable fraction only), mg (computed on first access)."""
        return self._gut_fn()

    @property
    def plasma_ng_per_mL(self) -> Array:
        """Plasma concentration in ng/mL (= ug/L), the unit used by many papers."""
        return self.plasma_mg_per_L * 1000.0

    @property
    def csf_ng_per_mL(self) -> Array:
        """CSF concentration in ng/mL."""
        return self.csf_mg_per_L * 1000.0

    @cached_property
    def dose_input_mg(self) -> Array:
        """Cumulative amount that has entered the body (bioavailable oral + IV + IT), mg, at each time."""
        return _cumulative_input(self.events, self.params, self.times_h)

    def to_dataframe(self) -> pd.DataFrame:
        """A pandas DataFrame with time and concentration/amount columns (units in the column names)."""
        import pandas as pd

        return pd.DataFrame(
            {
                "time_h": self.times_h,
                "plasma_mg_per_L": self.plasma_mg_per_L,
                "csf_mg_per_L": self.csf_mg_per_L,
                "gut_mg": self.gut_mg,
                "plasma_mg": self.plasma_mg,
                "csf_mg": self.csf_mg,
            }
        )

    def __len__(self) -> int:
        return len(self.times_h)


def _cumulative_input(events: Sequence[Any], p: PKParams, t: Array) -> Array:
    out = np.zeros_like(t)
    for ev in events:
        if isinstance(ev, Dose):
            amt = ev.amount_mg * (p.f_oral if ev.route == "oral" else 1.0)
            out += np.where(t >= ev.time_h, amt, 0.0)
        elif isinstance(ev, Infusion) and ev.rate_mg_per_h > 0:
            out += ev.rate_mg_per_h * (np.clip(t, ev.start_h, ev.stop_h) - ev.start_h)
    return out


_EVENT_TYPES = frozenset((Dose, Infusion, ClearanceWindow, RemoveFraction))


def _checked_events(events: Any) -> tuple[list[Any], set[type]]:
    """The events as a list, each checked to be an event, and the set of their types."""
    if _is_event(events):
        events = [events]
    if isinstance(events, (str, bytes, dict)) or not isinstance(events, Iterable):
        raise v.PKInputError(
            f"events must be a list of Dose/Infusion/ClearanceWindow/RemoveFraction objects; got {events!r}"
        )
    out = list(events)
    types = set(map(type, out))
    if not types <= _EVENT_TYPES:  # a subclass or a foreign object: check each (one per-event pass)
        ok = (Dose, Infusion, ClearanceWindow, RemoveFraction)
        for i, ev in enumerate(out):
            if not isinstance(ev, ok):
                raise v.PKInputError(
                    f"events[{i}] must be a Dose, Infusion, ClearanceWindow or RemoveFraction; got {ev!r}"
                )
    return out, types


def _sorted_events(evs: list[Any], types: set[type]) -> tuple[list[Any], Array]:
    """``sorted(evs, key=_sort_key)`` (stable) and the sorted keys; no Python sort when already in order."""
    if types <= {Dose, RemoveFraction}:
        keys = np.array([e.time_h for e in evs], dtype=float)
    else:
        keys = np.array([_sort_key(e) for e in evs], dtype=float)
    if keys.size > 1 and bool(np.any(keys[1:] < keys[:-1])):
        order = np.argsort(keys, kind="stable")  # same order as Python's stable sort (keys are finite)
        evs = [evs[i] for i in order.tolist()]
        keys = keys[order]
    return evs, keys


def simulate(
    events: Any, params: PKParams, times_h: ArrayLike, *, jurisdiction: str = "US"
) -> SimulationResult:
    """Plasma and CSF concentrations for a list of events, exactly (no ODE solver).

    Parameters
    ----------
    events : list of :class:`Dose`, :class:`Infusion`, :class:`ClearanceWindow`,
        :class:`RemoveFraction` (in any order; an empty list gives zeros).
    params : :class:`PKParams`.
    times_h : 1-D ascending array of times (h, 0 to 1e6 h) at which to report.
    jurisdiction : ``"US"`` (80 mg/day), ``"UK"`` (100; ``"EU"`` is a
        backward-compatible alias) or ``"hospital"`` (120) for the oral-maximum
        flag; a :class:`~baclofen_teach.pk.Regimen` passed as ``events`` keeps its own flags instead.

    Returns
    -------
    :class:`SimulationResult` with ``plasma_mg_per_L`` and ``csf_mg_per_L`` (same length as ``times_h``).
    """
    if not isinstance(params, PKParams):
        raise v.PKInputError(f"params must be a PKParams instance; got {params!r}")
    t = _check_times(times_h)
    evs, types = _checked_events(events)
    evs, keys = _sorted_events(evs, types)
    plasma, csf, gut_fn = _solve(evs, params, t, keys if types == {Dose} else None)
    res = SimulationResult(t, plasma, csf, params, tuple(evs), [], gut_fn)
    if hasattr(events, "flags"):
        res.flags.extend(events.flags)
    else:
        res.flags.extend(regimen_flags(evs, params, jurisdiction=jurisdiction))
    return res


def _check_times(times_h: ArrayLike) -> Array:
    """Convert and run the O(1) checks (1-D, first >= 0, last finite). The O(n) checks (finite,
    ascending) are done by :func:`_full_times_check` unless the uniform-grid path certifies them."""
    if isinstance(times_h, np.ndarray) and times_h.dtype == float:
        t = times_h
    else:
        try:
            raw = np.asarray(times_h)
        except (TypeError, ValueError):
            return _full_times_check(times_h)  # raises with a precise message
        if raw.dtype.kind not in "iuf":  # strings, booleans, complex numbers, objects
            return _full_times_check(times_h)
        t = raw.astype(float)
    if t.ndim != 1 or (t.size and not (t[0] >= 0.0 and np.isfinite(t[-1]) and t[-1] <= v.MAX_TIME_H)):
        return _full_times_check(times_h)
    return t


def _full_times_check(times_h: ArrayLike) -> Array:
    """1-D, finite, 0 <= t <= MAX_TIME_H (1e6 h), ascending; raises PKInputError naming times_h otherwise."""
    return v.array(times_h, "times_h", min_value=0.0, ascending=True, ndim1=True, max_value=v.MAX_TIME_H)


def _sort_key(ev: Any) -> float:
    return ev.time_h if isinstance(ev, (Dose, RemoveFraction)) else ev.start_h


def _solve(
    evs: list[Any], p: PKParams, t: Array, dose_times: Array | None = None
) -> tuple[Array, Array, Any]:
    """``dose_times``: the times of ``evs`` when they are all :class:`Dose` objects (sorted), else None."""
    ka, f = p.ka_per_h, p.f_oral
    q_in = p.csf_plasma_ratio * p.cl_csf_L_per_h
    # ---- breakpoints: every time at which the state jumps or the coefficients change ----
    doses: list[Dose] = []
    infs: list[Infusion] = []
    wins: list[ClearanceWindow] = []
    rems: list[RemoveFraction] = []
    if dose_times is not None:
        doses = evs  # all exactly Dose (checked by the caller)
    else:
        for e in evs:
            if type(e) is Dose:
                doses.append(e)
            elif isinstance(e, Infusion):
                if e.rate_mg_per_h > 0 and e.stop_h > e.start_h:
                    infs.append(e)
            elif isinstance(e, ClearanceWindow):
                if e.extra_cl_L_per_h > 0 and e.stop_h > e.start_h:
                    wins.append(e)
            elif isinstance(e, RemoveFraction):
                rems.append(e)
            else:
                doses.append(e)
    d_t = dose_times if dose_times is not None else np.array([d.time_h for d in doses], dtype=float)
    bp_list = [0.0] + [r.time_h for r in rems]
    for e in infs + wins:
        bp_list.append(e.start_h)
        if math.isfinite(e.stop_h):
            bp_list.append(e.stop_h)
    bps = np.unique(np.concatenate((d_t, np.asarray(bp_list, dtype=float))))
    m = len(bps)
    # additions (doses) at each breakpoint
    add = np.zeros((m, 3))
    if doses:
        d_i = np.searchsorted(bps, d_t)
        comp = {"oral": 0, "iv": 1, "it": 2}
        routes = [d.route for d in doses]
        d_amt = np.array([d.amount_mg for d in doses], dtype=float)
        first = routes[0]
        if routes.count(first) == len(routes):  # one route (the usual case): no per-dose masks
            c = comp[first]
            if c == 0:
                d_amt *= f
            add[:, c] += np.bincount(d_i, weights=d_amt, minlength=m)
        else:
            d_c = np.array([comp[r] for r in routes])
            d_amt[d_c == 0] *= f
            for c in range(3):
                sel = d_c == c
                if np.any(sel):
                    add[:, c] += np.bincount(d_i[sel], weights=d_amt[sel], minlength=m)
    keep = np.ones((m, 3))
    for r in rems:
        i = int(np.searchsorted(bps, r.time_h))
        keep[i, {"gut": 0, "plasma": 1, "csf": 2}[r.compartment]] *= 1.0 - r.fraction
    # piecewise-constant inputs per segment [bps[k], bps[k+1])
    rate = np.zeros((m, 2))  # plasma, csf (mg/h)
    for e in infs:
        a = int(np.searchsorted(bps, e.start_h))
        b = int(np.searchsorted(bps, e.stop_h)) if math.isfinite(e.stop_h) else m
        rate[a:b, 0 if e.route == "iv" else 1] += e.rate_mg_per_h
    extra = np.zeros(m)
    for e in wins:
        a = int(np.searchsorted(bps, e.start_h))
        b = int(np.searchsorted(bps, e.stop_h)) if math.isfinite(e.stop_h) else m
        extra[a:b] += e.extra_cl_L_per_h
    reg_vals, reg_idx = np.unique(extra, return_inverse=True)
    regimes = [_make_regime(ka, p.cl_L_per_h + x, p.v_L, q_in, p.cl_csf_L_per_h, p.v_csf_L) for x in reg_vals]
    # ---- propagate the state from breakpoint to breakpoint ----
    state = _propagate(bps, add, keep, rate, reg_idx, regimes)
    # ---- evaluate every time point from the state at its preceding breakpoint ----
    n = len(t)
    starts = np.searchsorted(t, bps, side="left")  # first point of each segment [bps[k], bps[k+1])
    counts = np.diff(np.append(starts, n))
    out = np.empty((2, n))  # one block: a second large allocation would page-fault on every call
    plasma, csf = out[0], out[1]
    if n:
        _evaluate(t, bps, starts, counts, state, rate, reg_idx, regimes, p, out)

    def gut_fn() -> Array:
        dt = t - np.repeat(bps, counts)
        return np.repeat(state[:, 0], counts) * np.exp(-ka * dt)

    return plasma, csf, gut_fn


def _step_maps(dt: Array, rate: Array, reg: _Regime) -> tuple[Array, Array]:
    """Transition matrices exp(A dt) (k,3,3) and infusion contributions (k,3) over intervals dt."""
    f1, f12, f123 = _dd(dt, *reg.nodes)
    phi = (
        f1[:, None, None] * np.eye(3) + f12[:, None, None] * reg.P1 + f123[:, None, None] * reg.P2
    )  # (k, 3, 3)
    c = np.zeros((len(dt), 3))
    if np.any(rate):
        _, g1, g12 = _dd(dt, 0.0, *reg.mu)
        # integral_0^dt exp(M s) ds u = g1 u + g12 (M - mu1 I) u
        c[:, 1:] = g1[:, None] * rate + g12[:, None] * (rate @ reg.Q1.T)
    return phi, c


def _propagate(
    bps: Array, add: Array, keep: Array, rate: Array, reg_idx: Array, regimes: list[_Regime]
) -> Array:
    """State (gut, plasma, csf amounts, mg) just after each breakpoint (jumps applied).

    x_{k+1} = K_{k+1} (Phi_k x_k + c_k + a_{k+1}): the affine maps are composed by a doubling prefix
    scan (log2(events) vectorised steps; all entries are >= 0, so there is no cancellation). When all
    maps share one linear part (equally spaced events, one regime, no removals), the scan only needs
    the powers Phi^(2^j), each computed exactly from exp(A 2^j dt).
    """
    m = len(bps)
    x0 = add[0] * keep[0]
    if m == 1:
        return x0[None, :]
    dt = np.diff(bps)
    rate_seg = rate[:-1]
    b = np.empty((m - 1, 3))
    X = np.empty((m, 3))
    X[0] = x0
    constant = (
        len(regimes) == 1
        and bool(np.all(dt == dt[0]))
        and bool(np.all(keep[1:] == 1.0))
        and bool(np.all(rate_seg == rate_seg[0]))
    )
    if constant:
        reg = regimes[0]
        phi, c = _step_maps(dt[:1], rate_seg[:1], reg)
        b[:] = c[0] + add[1:]
        b[0] += phi[0] @ x0  # fold the initial state into the first affine term
        n_steps = max(1, int(m - 2).bit_length())
        steps = 2 ** np.arange(n_steps)
        powers = _step_maps(dt[0] * steps.astype(float), np.repeat(rate_seg[:1], n_steps, axis=0), reg)[0]
        for j, step in enumerate(steps.tolist()):  # powers[j] = exp(A 2^j dt), computed directly
            if step >= m - 1:
                break
            b[step:] += b[:-step] @ powers[j].T
        X[1:] = b
        return np.maximum(X, 0.0, out=X)  # amounts are >= 0; clears rounding residue of order 1e-16
    A = np.empty((m - 1, 3, 3))
    for r, reg in enumerate(regimes):
        sel = slice(None) if len(regimes) == 1 else np.flatnonzero(reg_idx[:-1] == r)
        phi, c = _step_maps(dt[sel], rate_seg[sel], reg)
        k = keep[1:][sel]
        A[sel] = k[:, :, None] * phi
        b[sel] = k * (c + add[1:][sel])  # doses first, then removals
    step = 1
    while step < m - 1:
        hi_A = A[step:]
        b[step:] += np.einsum("kij,kj->ki", hi_A, b[:-step])
        A[step:] = np.einsum("kij,kjl->kil", hi_A, A[:-step])
        step *= 2
    X[1:] = np.einsum("kij,j->ki", A, x0) + b
    return np.maximum(X, 0.0, out=X)  # amounts are >= 0; clears rounding residue of order 1e-16


def _basis(dt: Array, reg: _Regime, with_rate: bool) -> Array:
    """Basis functions of dt (columns): f[n1], f[n1,n2], f[n1,n2,n3] and, with infusions, the
    infusion integrals f[0,mu1], f[0,mu1,mu2]."""
    f1, f12, f123 = _dd(dt, *reg.nodes)
    if not with_rate:
        return np.stack((f1, f12, f123))
    _, g1, g12 = _dd(dt, 0.0, *reg.mu)
    return np.stack((f1, f12, f123, g1, g12))


def _coefficients(state: Array, rate: Array, reg: _Regime, p: PKParams, with_rate: bool) -> Array:
    """Per-segment coefficients (2, m, nb) of plasma and CSF concentrations on the basis of _basis."""
    c = [state, state @ reg.P1.T, state @ reg.P2.T]  # amounts: (m, 3) each
    if with_rate:
        c += [
            np.column_stack((np.zeros(len(rate)), rate)),
            np.column_stack((np.zeros(len(rate)), rate @ reg.Q1.T)),
        ]
    coef = np.stack(c, axis=-1)  # (m, 3 compartments, nb)
    return np.stack((coef[:, 1, :] / p.v_L, coef[:, 2, :] / p.v_csf_L))


def _evaluate(
    t: Array,
    bps: Array,
    starts: Array,
    counts: Array,
    state: Array,
    rate: Array,
    reg_idx: Array,
    regimes: list[_Regime],
    p: PKParams,
    out: Array,
) -> None:
    """Fill ``out[0]`` (plasma) and ``out[1]`` (CSF) concentrations at every time point.

    Fast path (exact to rounding): when every segment holds the same number L of points at the same
    offsets dt from its start (a uniform grid with regularly spaced events, e.g. the benchmark), the
    basis functions are evaluated once on the L offsets and all segments follow from one small
    contraction. "Same offsets" is verified for every point to within 4 ulp of max|t| (the rounding that
    computing dt = t - t_event carries anyway); the same check certifies that ``t`` is finite and
    ascending. Otherwise ``t`` is fully validated and each point is evaluated from its own dt.
    """
    m = len(bps)
    n = len(t)
    with_rate = bool(np.any(rate))
    L = int(counts[0])
    if len(regimes) == 1 and L > 1 and L * m == n and bool(np.all(counts == L)):
        grid = t.reshape(m, L)
        dt0 = grid[0] - bps[0]
        tol = 4.0 * np.finfo(float).eps * max(abs(float(t[-1])), abs(float(bps[-1])), 1.0)
        # Blocks of rows small enough to stay in cache: each block of t is read once from memory, the
        # offsets are checked in cache, and each block of output is checked for sign while still in cache.
        step = max(1, _BLOCK_POINTS // L)
        scratch = np.empty((min(step, m), L))
        hi = np.empty(m)
        lo = np.empty(m)
        with np.errstate(invalid="ignore"):  # inf - inf in a bad grid: caught below, with a clear error
            for a in range(0, m, step):
                b = min(a + step, m)
                rows = scratch[: b - a]
                np.subtract(grid[a:b], dt0, out=rows)  # row k should equal bps[k] everywhere
                rows.max(axis=1, out=hi[a:b])
                rows.min(axis=1, out=lo[a:b])
        hi -= bps
        lo -= bps
        certified = (
            bool(np.all(hi <= tol))
            and bool(np.all(lo >= -tol))  # NaN fails these
            and bool(np.all(np.diff(dt0) > 2 * tol))  # ascending within a segment
            and bool(np.all(bps[:-1] + dt0[-1] + 2 * tol < bps[1:] + dt0[0]))
        )  # and across
        if certified:
            reg = regimes[0]
            basis = _basis(np.maximum(dt0, 0.0), reg, with_rate)  # (nb, L)
            coef = _coefficients(state, rate, reg, p, with_rate)  # (2, m, nb)
            out3 = out.reshape(2, m, L)
            for a in range(0, m, step):
                b = min(a + step, m)
                blk = out3[:, a:b]
                # einsum, not matmul: BLAS is slow for an inner dimension of 3-5
                np.einsum("omk,kl->oml", coef[:, a:b], basis, out=blk)
                if float(blk.min()) < 0.0:  # rounding residue around exact zeros
                    np.maximum(blk, 0.0, out=blk)
            return
    _full_times_check(t)
    if _evaluate_grouped(t, bps, starts, counts, state, rate, reg_idx, regimes, p, out, with_rate):
        return
    dt = t - np.repeat(bps, counts)
    pt_reg = np.repeat(reg_idx, counts) if len(regimes) > 1 else None
    for r, reg in enumerate(regimes):
        sel = None if pt_reg is None else np.flatnonzero(pt_reg == r)
        if sel is not None and sel.size == 0:
            continue
        d = dt if sel is None else dt[sel]
        basis = _basis(d, reg, with_rate)
        coef = _coefficients(state, rate, reg, p, with_rate)
        seg_counts = counts if sel is None else np.bincount(np.repeat(np.arange(m), counts)[sel], minlength=m)
        for o, c in ((out[0], coef[0]), (out[1], coef[1])):
            y = np.zeros(d.size)
            for j in range(basis.shape[0]):
                y += np.repeat(c[:, j], seg_counts) * basis[j]
            np.maximum(y, 0.0, out=y)
            if sel is None:
                o[:] = y
            else:
                o[sel] = y


_MAX_GROUPS = 24
#: points per block in the uniform-grid fast path of _evaluate (a block of t plus scratch stays in cache)
_BLOCK_POINTS = 65536


def _evaluate_grouped(
    t: Array,
    bps: Array,
    starts: Array,
    counts: Array,
    state: Array,
    rate: Array,
    reg_idx: Array,
    regimes: list[_Regime],
    p: PKParams,
    out: Array,
    with_rate: bool,
) -> bool:
    """Periodic schedules (e.g. doses at 08:00, 14:00 and 20:00 on a uniform grid): segments with the
    same regime and number of points usually share their offsets dt. Each such group is evaluated
    from one set of basis functions, after checking every point's offset (as in the fast path).
    Returns False (nothing written) when there are too many groups or an offset check fails."""
    keys = reg_idx * (int(counts.max()) + 1) + counts
    uniq, inv = np.unique(keys, return_inverse=True)
    if len(uniq) > _MAX_GROUPS:
        return False
    tol = 4.0 * np.finfo(float).eps * max(abs(float(t[-1])), abs(float(bps[-1])), 1.0)
    plan = []
    for g in range(len(uniq)):
        rows = np.flatnonzero(inv == g)
        L = int(counts[rows[0]])
        if L == 0:
            continue
        idx = starts[rows][:, None] + np.arange(L)  # (rows, L) point indices
        dt = t[idx] - bps[rows][:, None]
        dt0 = dt[0]
        if float(np.max(np.abs(dt - dt0))) > tol:
            return False
        plan.append((rows, idx, dt0, regimes[int(reg_idx[rows[0]])]))
    coefs: dict[int, Array] = {}
    for rows, idx, dt0, reg in plan:
        key = id(reg)
        if key not in coefs:
            coefs[key] = _coefficients(state, rate, reg, p, with_rate)
        basis = _basis(np.maximum(dt0, 0.0), reg, with_rate)
        vals = np.einsum("omk,kl->oml", coefs[key][:, rows, :], basis)
        out[0][idx] = vals[0]
        out[1][idx] = vals[1]
    if float(out.min()) < 0.0:
        np.maximum(out, 0.0, out=out)
    return True
