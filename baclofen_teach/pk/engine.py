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
cost O(time points + events * log(events)), never their product, and no ODE solver.

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

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .params import PKParams

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
    _gut_mg: Array | None = field(default=None, repr=False)

    @property
    def plasma_mg(self) -> Array:
        """Amount in plasma (central volume V), mg."""
        return self.plasma_mg_per_L * self.params.v_L

    @property
    def csf_mg(self) -> Array:
        """Amount in the CSF compartment (apparent volume v_csf_L), mg."""
        return self.csf_mg_per_L * self.params.v_csf_L

    @property
    def gut_mg(self) -> Array:
        """Amount still to be absorbed (bioavailable fraction only), mg."""
        assert self._gut_mg is not None
        return self._gut_mg

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

        return pd.DataFrame({
            "time_h": self.times_h,
            "plasma_mg_per_L": self.plasma_mg_per_L,
            "csf_mg_per_L": self.csf_mg_per_L,
            "gut_mg": self.gut_mg,
            "plasma_mg": self.plasma_mg,
            "csf_mg": self.csf_mg,
        })

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


def _check_events(events: Any) -> list[Any]:
    if _is_event(events):
        events = [events]
    if isinstance(events, (str, bytes)) or not isinstance(events, Iterable):
        raise v.PKInputError("events must be a list of Dose/Infusion/ClearanceWindow/RemoveFraction "
                             f"objects; got {events!r}")
    out = list(events)
    for i, ev in enumerate(out):
        if not _is_event(ev):
            raise v.PKInputError(f"events[{i}] must be a Dose, Infusion, ClearanceWindow or RemoveFraction; "
                                 f"got {ev!r}")
    return out


def simulate(events: Any, params: PKParams, times_h: ArrayLike, *,
             jurisdiction: str = "US") -> SimulationResult:
    """Plasma and CSF concentrations for a list of events, exactly (no ODE solver).

    Parameters
    ----------
    events : list of :class:`Dose`, :class:`Infusion`, :class:`ClearanceWindow`,
        :class:`RemoveFraction` (in any order; an empty list gives zeros).
    params : :class:`PKParams`.
    times_h : 1-D ascending array of times (h, >= 0) at which to report.
    jurisdiction : ``"US"`` (80 mg/day), ``"EU"`` (100) or ``"hospital"`` (120) for the oral-maximum
        flag; a :class:`~baclofen_teach.pk.Regimen` passed as ``events`` keeps its own flags instead.

    Returns
    -------
    :class:`SimulationResult` with ``plasma_mg_per_L`` and ``csf_mg_per_L`` (same length as ``times_h``).
    """
    from .params import PKParams

    if not isinstance(params, PKParams):
        raise v.PKInputError(f"params must be a PKParams instance; got {params!r}")
    t = v.array(times_h, "times_h", min_value=0.0, ascending=True, ndim1=True)
    evs = sorted(_check_events(events), key=_sort_key)
    plasma, csf, gut = _solve(evs, params, t)
    res = SimulationResult(t, plasma, csf, params, tuple(evs), [], gut)
    from .regimens import regimen_flags

    if hasattr(events, "flags"):
        res.flags.extend(events.flags)
    else:
        res.flags.extend(regimen_flags(evs, params, jurisdiction=jurisdiction))
    return res


def _sort_key(ev: Any) -> float:
    return ev.time_h if isinstance(ev, (Dose, RemoveFraction)) else ev.start_h


def _solve(evs: list[Any], p: PKParams, t: Array) -> tuple[Array, Array, Array]:
    ka, f = p.ka_per_h, p.f_oral
    q_in = p.csf_plasma_ratio * p.cl_csf_L_per_h
    # ---- breakpoints: every time at which the state jumps or the coefficients change ----
    doses = [e for e in evs if isinstance(e, Dose)]
    infs = [e for e in evs if isinstance(e, Infusion) and e.rate_mg_per_h > 0 and e.stop_h > e.start_h]
    wins = [e for e in evs if isinstance(e, ClearanceWindow) and e.extra_cl_L_per_h > 0
            and e.stop_h > e.start_h]
    rems = [e for e in evs if isinstance(e, RemoveFraction)]
    bp_list = [0.0]
    bp_list += [d.time_h for d in doses] + [r.time_h for r in rems]
    for e in infs + wins:
        bp_list.append(e.start_h)
        if math.isfinite(e.stop_h):
            bp_list.append(e.stop_h)
    bps = np.unique(np.asarray(bp_list, dtype=float))
    m = len(bps)
    # additions (doses) at each breakpoint
    add = np.zeros((m, 3))
    if doses:
        d_t = np.array([d.time_h for d in doses])
        d_i = np.searchsorted(bps, d_t)
        d_amt = np.array([d.amount_mg * (f if d.route == "oral" else 1.0) for d in doses])
        d_c = np.array([{"oral": 0, "iv": 1, "it": 2}[d.route] for d in doses])
        np.add.at(add, (d_i, d_c), d_amt)
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
    regimes = [_make_regime(ka, p.cl_L_per_h + x, p.v_L, q_in, p.cl_csf_L_per_h, p.v_csf_L)
               for x in reg_vals]
    # ---- propagate the state from breakpoint to breakpoint ----
    state = _propagate(bps, add, keep, rate, reg_idx, regimes)
    # ---- evaluate every time point from the state at its preceding breakpoint ----
    seg = np.searchsorted(bps, t, side="right") - 1  # -1: before the first breakpoint (t < 0 impossible)
    n = len(t)
    plasma = np.empty(n)
    csf = np.empty(n)
    gut = np.empty(n)
    if n == 0:
        return plasma, csf, gut
    if len(regimes) == 1:
        _evaluate(t, seg, bps, state, rate, regimes[0], p, plasma, csf, gut, None)
    else:
        pt_reg = reg_idx[seg]
        for r, reg in enumerate(regimes):
            sel = np.flatnonzero(pt_reg == r)
            if sel.size:
                _evaluate(t, seg, bps, state, rate, reg, p, plasma, csf, gut, sel)
    return plasma, csf, gut


def _step_maps(dt: Array, rate: Array, reg: _Regime) -> tuple[Array, Array]:
    """Transition matrices exp(A dt) (k,3,3) and infusion contributions (k,3) over intervals dt."""
    f1, f12, f123 = _dd(dt, *reg.nodes)
    phi = (f1[:, None, None] * np.eye(3) + f12[:, None, None] * reg.P1
           + f123[:, None, None] * reg.P2)
    c = np.zeros((len(dt), 3))
    if np.any(rate):
        _, g1, g12 = _dd(dt, 0.0, *reg.mu)
        # integral_0^dt exp(M s) ds u = g1 u + g12 (M - mu1 I) u
        c[:, 1:] = g1[:, None] * rate + g12[:, None] * (rate @ reg.Q1.T)
    return phi, c


def _propagate(bps: Array, add: Array, keep: Array, rate: Array, reg_idx: Array,
               regimes: list[_Regime]) -> Array:
    """State (gut, plasma, csf amounts, mg) just after each breakpoint (jumps applied)."""
    m = len(bps)
    x0 = add[0] * keep[0]
    if m == 1:
        return x0[None, :]
    dt = np.diff(bps)
    # affine maps x_{k+1} = K_{k+1} (Phi_k x_k + c_k) + a_{k+1}, as 4x4 homogeneous matrices
    T = np.zeros((m - 1, 4, 4))
    T[:, 3, 3] = 1.0
    for r, reg in enumerate(regimes):
        sel = np.flatnonzero(reg_idx[:-1] == r)
        if sel.size == 0:
            continue
        phi, c = _step_maps(dt[sel], rate[sel], reg)
        k = keep[sel + 1]
        T[sel, :3, :3] = k[:, :, None] * phi
        T[sel, :3, 3] = k * c + add[sel + 1]
    # inclusive prefix product P_k = T_k ... T_1 by doubling (all entries are >= 0: no cancellation)
    P = T.copy()
    step = 1
    while step < m - 1:
        P[step:] = P[step:] @ P[:-step]
        step *= 2
    X = np.empty((m, 3))
    X[0] = x0
    X[1:] = P[:, :3, :3] @ x0 + P[:, :3, 3]
    return X


def _evaluate(t: Array, seg: Array, bps: Array, state: Array, rate: Array, reg: _Regime, p: PKParams,
              plasma: Array, csf: Array, gut: Array, sel: Array | None) -> None:
    """Fill plasma/csf/gut at the selected points (all if ``sel`` is None)."""
    if sel is not None:
        t = t[sel]
        seg = seg[sel]
    dt = t - bps[seg]
    f1, f12, f123 = _dd(dt, *reg.nodes)
    X = state  # (m, 3)
    # per-segment Newton coefficients for each output component
    c0 = X
    c1 = X @ reg.P1.T
    c2 = X @ reg.P2.T
    out = []
    for comp in (0, 1, 2):
        y = c0[seg, comp] * f1 + c1[seg, comp] * f12 + c2[seg, comp] * f123
        out.append(y)
    if np.any(rate):
        _, g1, g12 = _dd(dt, 0.0, *reg.mu)
        r = rate[seg]
        rq = r @ reg.Q1.T
        out[1] = out[1] + g1 * r[:, 0] + g12 * rq[:, 0]
        out[2] = out[2] + g1 * r[:, 1] + g12 * rq[:, 1]
    # exact zeros cannot go negative; clip rounding noise of order 1e-16 * scale
    g, a_p, a_c = (np.maximum(o, 0.0) for o in out)
    if sel is None:
        gut[:] = g
        plasma[:] = a_p / p.v_L
        csf[:] = a_c / p.v_csf_L
    else:
        gut[sel] = g
        plasma[sel] = a_p / p.v_L
        csf[sel] = a_c / p.v_csf_L
