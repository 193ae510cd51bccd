"""Plain formulas and NCA against closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from baclofen_teach import pk


def test_half_life_k_round_trip_scalar_and_array() -> None:
    assert pk.k_from_half_life(4.0) == pytest.approx(math.log(2) / 4)
    assert pk.half_life_from_k(pk.k_from_half_life(3.3)) == pytest.approx(3.3, rel=1e-15)
    arr = pk.k_from_half_life(np.array([1.0, 2.0]))
    np.testing.assert_allclose(arr, math.log(2) / np.array([1.0, 2.0]))


def test_fraction_remaining_and_time_to_fall_below() -> None:
    assert pk.fraction_remaining(8.0, 4.0) == pytest.approx(0.25)
    np.testing.assert_allclose(pk.fraction_remaining(np.array([0.0, 4.0]), 4.0), [1.0, 0.5])
    assert pk.time_to_fall_below(0.4, 0.1, 4.0) == pytest.approx(8.0)
    assert pk.time_to_fall_below(0.05, 0.1, 4.0) == 0.0


def test_accumulation_and_steady_state_time() -> None:
    k = pk.k_from_half_life(4.0)
    assert pk.accumulation_factor(k, 4.0) == pytest.approx(2.0)
    assert pk.time_to_steady_state(4.0) == pytest.approx(4.0 * math.log2(10))
    assert pk.time_to_steady_state(4.0, fraction=0.5) == pytest.approx(4.0)


def test_css_avg() -> None:
    assert pk.css_avg(20.0, 8.0, 8.0, f=0.74) == pytest.approx(0.74 * 20 / 64)


def test_bateman_ka_equals_k_limit() -> None:
    t = np.linspace(0, 20, 11)
    c = pk.bateman(t, 10.0, 0.2, 10.0, 50.0)
    np.testing.assert_allclose(c, 10 / 50 * 0.2 * t * np.exp(-0.2 * t), rtol=1e-14)


def test_nca_on_exact_exponential() -> None:
    t = np.linspace(0, 24, 97)
    c = 2.0 * np.exp(-0.25 * t)
    r = pk.nca(t, c)
    assert (r.cmax, r.tmax_h) == (2.0, 0.0)
    assert r.half_life_h == pytest.approx(math.log(2) / 0.25, rel=1e-10)
    assert r.auc == pytest.approx(2.0 / 0.25 * (1 - math.exp(-6)), rel=1e-12)  # log-down is exact
    assert r.auc_inf == pytest.approx(8.0, rel=1e-12)
    cmax, tmax, auc, hl = r
    assert r["Cmax"] == cmax and r["AUC"] == auc and r["t_half"] == hl
    assert r.Cmax == cmax and r.t_half_h == hl and r.auc_last == auc and dict(r)["tmax_h"] == tmax


def test_nca_bateman_linear_up_log_down() -> None:
    p = pk.PKParams(ka_per_h=1.5, cl_L_per_h=8.0, v_L=40.0)
    t = np.linspace(0, 48, 48 * 60 + 1)
    c = pk.simulate([pk.Dose(0, 10.0)], p, t).plasma_mg_per_L
    r = pk.nca(t, c)
    tmax = math.log(1.5 / 0.2) / 1.3
    assert r.tmax_h == pytest.approx(tmax, abs=1 / 60)
    assert r.auc_inf == pytest.approx(10.0 / 8.0, rel=1e-4)
    # best-adjusted-R^2 point selection includes a little of the absorption tail: within 0.5%
    assert r.half_life_h == pytest.approx(math.log(2) / 0.2, rel=5e-3)
    r_last = pk.nca(t, c, n_terminal=20 * 60)  # last 20 h only: absorption fully over
    assert r_last.half_life_h == pytest.approx(math.log(2) / 0.2, rel=1e-9)


@pytest.mark.parametrize("rel", [0.0, 1e-12, 1e-9, -1e-7, 1e-4])
def test_peak_trough_ss_exact_at_and_near_ka_equal_k(rel: float) -> None:
    """Steady-state peak and trough need no ka != k: at ka == k and near it they match the engine."""
    cl, vol, f, dose, tau = 8.0, 40.0, 0.8, 10.0, 8.0
    ka = cl / vol * (1.0 + rel)
    p = pk.PKParams(ka_per_h=ka, cl_L_per_h=cl, v_L=vol, f_oral=f)
    peak, trough, tmax = pk.peak_trough_ss(dose, tau, ka, cl, vol, f=f)
    t_last = 200 * tau
    t = t_last + np.array([0.0, tmax - 0.01, tmax, tmax + 0.01])
    c = pk.simulate(pk.repeated_doses(dose, tau, n_doses=201), p, t).plasma_mg_per_L
    assert trough == pytest.approx(c[0], rel=1e-12)
    assert peak == pytest.approx(c[2], rel=1e-12)
    assert peak > max(c[1], c[3])  # tmax is the maximum
