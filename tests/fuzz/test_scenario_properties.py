"""Scenario functions against an independent dense search, over extreme but valid ranges (slow absorption
included): crossing times, peaks and time above levels (review 4.2 counterexamples are pinned as examples).

The reference evaluates the engine (exact, tested separately in tests/pk) on a dense grid of its own over a
horizon of 80 half-lives of the slowest process (absorption included), brackets every crossing there and
refines it with scipy's brentq; peaks are refined with a bounded scalar search.

Educational model, not dosing advice.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq, minimize_scalar

from baclofen_teach import overdose, pk, pump, validation, withdrawal

PROFILE = settings(settings.get_profile("fuzz"), max_examples=12)
MAX_SPAN_H = validation.MAX_SPAN_H  # 10 years (the scenario bound)
LN2 = math.log(2.0)


def log_uniform(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(math.log10(lo), math.log10(hi)).map(lambda e: 10.0**e)


def slowest_h(p: pk.PKParams) -> float:
    return max(pump.slowest_half_life_h(p), LN2 / p.ka_per_h)


def dense_grid(
    t0: float, t1: float, fine_until: float, fine_step: float, n_coarse: int = 200_000
) -> np.ndarray:
    fine = np.arange(t0, min(fine_until, t1), fine_step)
    coarse = np.linspace(min(fine_until, t1), t1, n_coarse)
    return np.unique(np.concatenate([fine, coarse]))


def crossings(f: Any, grid: np.ndarray, level: float) -> list[tuple[float, bool]]:
    """Every crossing of ``level`` on the grid, refined by brentq: (time, going_down)."""
    v = f(grid)
    above = v > level
    out = []
    for i in np.flatnonzero(above[1:] != above[:-1]):
        a, b = float(grid[i]), float(grid[i + 1])
        root = brentq(lambda x: float(f(np.array([x]))[0]) - level, a, b, xtol=1e-12, rtol=1e-15)
        out.append((root, bool(above[i])))
    return out


def time_above(f: Any, grid: np.ndarray, level: float) -> float:
    v = f(grid)
    total, start = 0.0, (float(grid[0]) if v[0] > level else None)
    for t, down in crossings(f, grid, level):
        if down:
            total += t - (start if start is not None else float(grid[0]))
            start = None
        else:
            start = t
    if start is not None:
        return math.inf
    return total


def peak(f: Any, grid: np.ndarray) -> tuple[float, float]:
    v = f(grid)
    i = int(np.argmax(v))
    lo, hi = float(grid[max(i - 1, 0)]), float(grid[min(i + 1, grid.size - 1)])
    if hi > lo:
        r = minimize_scalar(
            lambda x: -float(f(np.array([x]))[0]), bounds=(lo, hi), method="bounded", options={"xatol": 1e-12}
        )
        if -r.fun > v[i]:
            return float(r.x), float(-r.fun)
    return float(grid[i]), float(v[i])


def params_strategy(slow_ka: bool = True) -> st.SearchStrategy[pk.PKParams]:
    return st.builds(
        lambda ka, cl, v, r: pk.PKParams(ka, cl, v, f_oral=0.74, csf_plasma_ratio=r),
        log_uniform(1e-3 if slow_ka else 0.1, 1e2),
        log_uniform(0.5, 50.0),
        log_uniform(5.0, 500.0),
        st.sampled_from([0.0, 0.12, 1.0]),
    )


# -------------------------------------------------------------------------------- oral withdrawal
@PROFILE
@given(params_strategy(), log_uniform(1.0, 200.0), st.integers(1, 4), st.floats(0.5, 10.0))
@example(
    pk.PKParams(ka_per_h=0.015086995256144256, cl_L_per_h=1.0, v_L=1.0, v_csf_L=1.0, cl_csf_L_per_h=1.0),
    1.0,
    1,
    1.0,
)
@example(pk.PKParams.adult().with_(ka_per_h=0.01), 30.0, 3, 7.0)
def test_oral_withdrawal_crossings(p: pk.PKParams, dose: float, n: int, days: float) -> None:
    r = withdrawal.oral_withdrawal(dose, n, days, params=p)
    tau = 24.0 / n
    evs = [pk.Dose(i * tau, dose / n) for i in range(max(int(math.floor(days * n + 1e-9)), 1))]
    t_stop = evs[-1].time_h

    def f(t: np.ndarray) -> np.ndarray:
        return pk.simulate(evs, p, t).plasma_mg_per_L

    t_pk, c_pk = peak(f, np.linspace(t_stop, t_stop + 24.0, 20_001))
    assert r.level_at_stop_mg_per_L == pytest.approx(c_pk, rel=1e-8)
    grid = dense_grid(t_pk, t_pk + 80.0 * slowest_h(p), t_pk + 48.0, 0.01)
    for frac, got in ((0.5, r.hours_to_50pct), (0.1, r.hours_to_10pct)):
        hits = [t for t, down in crossings(f, grid, frac * r.level_at_stop_mg_per_L) if down]
        assert hits, "the reference found no crossing within 80 half-lives"
        assert math.isfinite(got), f"{frac:.0%} crossing reported as never; reference {hits[0] - t_stop} h"
        assert got == pytest.approx(hits[0] - t_stop, abs=1e-6, rel=1e-8)


# -------------------------------------------------------------------------------- catheter failure
@PROFILE
@given(
    log_uniform(10.0, 2000.0),
    st.one_of(st.floats(0.0, 100.0), st.floats(0.0, MAX_SPAN_H)),
    log_uniform(0.005, 0.3),
    log_uniform(0.01, 0.5),
    st.sampled_from([0.0, 0.12, 1.0]),
)
@example(500.0, 34359738217.0 % MAX_SPAN_H, 0.03, 0.065, 0.12)
@example(500.0, MAX_SPAN_H, 0.03, 0.065, 0.12)
def test_catheter_failure_crossings(
    dose: float, t_fail: float, cl_csf: float, v_csf: float, ratio: float
) -> None:
    p = pk.PKParams.adult().with_(cl_csf_L_per_h=cl_csf, v_csf_L=v_csf, csf_plasma_ratio=ratio)
    s = pump.catheter_failure(dose, failure_time_h=t_fail, params=p)
    rate = dose / 24_000.0
    c_ss = rate / cl_csf + ratio * rate / p.cl_L_per_h  # exact steady state
    assert s.pre_failure_csf_mg_per_L == pytest.approx(c_ss, rel=1e-9)
    # the same scenario on a fresh clock (failure at 0 h after the same warm-up): the answer must not depend
    # on the absolute time of the failure (review 4.2 item 2)
    evs = [pk.Infusion(0.0, s.warmup_h, rate, "it")]

    def f(t: np.ndarray) -> np.ndarray:
        return pk.simulate(evs, p, t).csf_mg_per_L

    t0 = s.warmup_h
    grid = dense_grid(t0, t0 + 80.0 * slowest_h(p), t0 + 48.0, 0.001)
    for frac, got in ((0.5, s.hours_to_csf_50pct), (0.1, s.hours_to_csf_10pct)):
        hit = next(t for t, down in crossings(f, grid, frac * c_ss) if down)
        assert got == pytest.approx(hit - t0, abs=1e-7, rel=1e-9)


# -------------------------------------------------------------------------------- oral overdose
@PROFILE
@given(
    params_strategy(),
    log_uniform(50.0, 1e5),
    st.one_of(st.none(), st.tuples(st.floats(0.0, 24.0), st.floats(1.0, 12.0), st.floats(0.0, 50.0))),
)
@example(pk.PKParams.adult().with_(ka_per_h=0.002), 5000.0, None)
def test_oral_overdose_peak_and_time_above(
    p: pk.PKParams, amount: float, hd: tuple[float, float, float] | None
) -> None:
    win = [] if hd is None else [pk.ClearanceWindow(hd[0], hd[0] + hd[1], hd[2])]
    r = overdose.oral_overdose(amount, params=p, extracorporeal=win)
    evs = [pk.Dose(0.0, amount)] + win

    def f(t: np.ndarray) -> np.ndarray:
        return pk.simulate(evs, p, t).plasma_mg_per_L

    last = 0.0 if hd is None else hd[0] + hd[1]
    grid = dense_grid(0.0, last + 80.0 * slowest_h(p) + 48.0, last + 48.0, 0.005)
    t_pk, c_pk = peak(f, grid)
    assert r.peak_mg_per_L == pytest.approx(c_pk, rel=1e-7)
    ref = time_above(f, grid, 0.4)
    assert math.isfinite(r.hours_above_therapeutic_max) == math.isfinite(ref)
    if math.isfinite(ref):
        assert r.hours_above_therapeutic_max == pytest.approx(ref, abs=1e-5)


# -------------------------------------------------------------------------------- intrathecal overdose
@PROFILE
@given(
    log_uniform(50.0, 1500.0),
    st.one_of(
        st.floats(1.0, 1.9), st.floats(2.2, 20.0)
    ),  # not 2: CSF would approach 2x intended asymptotically
    st.floats(0.0, 500.0),
    st.one_of(st.none(), st.floats(0.0, 48.0)),
    st.one_of(st.none(), st.tuples(st.floats(5.0, 60.0), st.floats(0.0, 48.0))),
)
@example(600.0, 4.0, 0.0, 6.0, (30.0, 6.0))
@example(100.0, 3.0, 0.0, None, None)  # the pump keeps delivering: the supremum is the new steady state
def test_intrathecal_overdose_peak_and_time_above(
    intended: float, factor: float, bolus: float, empty_at: float | None, drain: tuple[float, float] | None
) -> None:
    kw: dict[str, Any] = {"bolus_ug": bolus}
    if empty_at is not None:
        kw["pump_emptied_at_h"] = empty_at
    if drain is not None:
        kw["csf_removed_mL"], kw["csf_removed_at_h"] = drain
    r = overdose.intrathecal_overdose(intended, intended * factor, **kw)
    p, w = r.params, r.warmup_h

    def f(t: np.ndarray) -> np.ndarray:
        return pk.simulate(list(r.events), p, np.asarray(t, dtype=float)).csf_mg_per_L

    last = w + max(empty_at or 0.0, drain[1] if drain else 0.0)
    grid = dense_grid(w, last + 80.0 * slowest_h(p) + 48.0, last + 48.0, 0.001)
    if drain is not None:  # the supremum includes the left limit just before the drainage
        grid = np.unique(np.append(grid, [w + drain[1] - 1e-9]))
    _, c_pk = peak(f, grid)  # 80 half-lives: the reference reaches a new steady state to 1e-16
    assert r.peak_csf_mg_per_L == pytest.approx(max(c_pk, r.intended_csf_mg_per_L), rel=1e-9)
    ref = time_above(f, grid, 2.0 * r.intended_csf_mg_per_L)
    assert math.isfinite(r.hours_above_2x_intended) == math.isfinite(ref)
    if math.isfinite(ref):
        assert r.hours_above_2x_intended == pytest.approx(ref, abs=1e-5)
