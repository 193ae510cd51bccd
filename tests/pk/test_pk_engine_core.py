"""Closed forms and ODE cross-checks of baclofen_teach.pk.simulate."""

from __future__ import annotations

import math

import numpy as np
import pytest

from baclofen_teach import pk

from .pk_reference import ode_solution

P1 = pk.PKParams(
    ka_per_h=1.5,
    cl_L_per_h=9.7,
    v_L=49.0,
    f_oral=0.8,
    csf_plasma_ratio=0.1,
    v_csf_L=0.065,
    cl_csf_L_per_h=0.03,
)


def test_contract_example_shapes_and_dataframe() -> None:
    events = [
        pk.Dose(time_h=0.0, amount_mg=10.0, route="oral"),
        pk.Infusion(start_h=0.0, stop_h=24.0, rate_mg_per_h=1.0, route="iv"),
    ]
    t = np.linspace(0, 48, 97)
    sim = pk.simulate(events, P1, t)
    assert sim.plasma_mg_per_L.shape == t.shape and sim.csf_mg_per_L.shape == t.shape
    df = sim.to_dataframe()
    assert list(df.columns[:3]) == ["time_h", "plasma_mg_per_L", "csf_mg_per_L"]
    np.testing.assert_array_equal(df["plasma_mg_per_L"].to_numpy(), sim.plasma_mg_per_L)
    np.testing.assert_allclose(sim.plasma_mg, sim.plasma_mg_per_L * P1.v_L)


def test_empty_events_and_empty_times() -> None:
    sim = pk.simulate([], P1, [0.0, 1.0])
    assert np.all(sim.plasma_mg_per_L == 0) and np.all(sim.csf_mg_per_L == 0)
    assert pk.simulate([pk.Dose(0, 1, "iv")], P1, np.array([])).plasma_mg_per_L.size == 0


def test_iv_bolus_one_compartment_half_life_halves() -> None:
    p = P1.with_(csf_plasma_ratio=0.0)
    hl = p.half_life_h
    t = np.array([0.0, hl, 2 * hl, 3 * hl])
    c = pk.simulate([pk.Dose(0.0, 100.0, "iv")], p, t).plasma_mg_per_L
    np.testing.assert_allclose(c, 100.0 / p.v_L * np.array([1, 0.5, 0.25, 0.125]), rtol=1e-13)
    assert pk.fraction_remaining(hl, hl) == pytest.approx(0.5, rel=1e-15)


def test_bolus_is_right_continuous() -> None:
    p = P1.with_(csf_plasma_ratio=0.0)
    c = pk.simulate([pk.Dose(2.0, 10.0, "iv")], p, [0.0, 1.999999, 2.0]).plasma_mg_per_L
    assert c[0] == 0.0 and c[1] == 0.0
    assert c[2] == pytest.approx(10.0 / p.v_L, rel=1e-15)
    # an IT bolus: CSF jumps at the dose time
    c2 = pk.simulate([pk.Dose(2.0, 0.05, "it")], P1, [2.0]).csf_mg_per_L
    assert c2[0] == pytest.approx(0.05 / P1.v_csf_L, rel=1e-15)


def test_oral_bateman_exact_with_csf_off() -> None:
    p = P1.with_(csf_plasma_ratio=0.0)
    t = np.linspace(0, 30, 301)
    c = pk.simulate([pk.Dose(0.0, 20.0, "oral")], p, t).plasma_mg_per_L
    k, ka = p.ke_per_h, p.ka_per_h
    ref = p.f_oral * 20.0 * ka / (p.v_L * (ka - k)) * (np.exp(-k * t) - np.exp(-ka * t))
    np.testing.assert_allclose(c, ref, rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(
        pk.bateman(t, 20.0, ka, p.cl_L_per_h, p.v_L, f=p.f_oral), ref, rtol=1e-12, atol=1e-16
    )


def test_f_applies_to_oral_only() -> None:
    t = np.linspace(0, 24, 49)
    a = pk.simulate([pk.Dose(0, 10, "iv")], P1, t).plasma_mg_per_L
    b = pk.simulate([pk.Dose(0, 10, "iv")], P1.with_(f_oral=0.3), t).plasma_mg_per_L
    np.testing.assert_array_equal(a, b)
    c = pk.simulate([pk.Dose(0, 10, "oral")], P1.with_(f_oral=0.4), t).plasma_mg_per_L
    d = pk.simulate([pk.Dose(0, 10, "oral")], P1.with_(f_oral=0.8), t).plasma_mg_per_L
    np.testing.assert_allclose(2 * c, d, rtol=1e-14)


def _limit_ka_eq_k(t: np.ndarray, dose: float, k: float, v: float) -> np.ndarray:
    return dose / v * k * t * np.exp(-k * t)


@pytest.mark.parametrize("rel", [0.0, 1e-9, -1e-9, 1e-12])
def test_ka_equal_ke_limit_one_compartment(rel: float) -> None:
    """ka == CL/V (a defective system matrix) and its near-coincidences are exact and stable."""
    k = 0.2
    p = pk.PKParams(ka_per_h=k * (1 + rel), cl_L_per_h=10.0, v_L=50.0)
    t = np.array([0.0, 1e-6, 0.5, 1.0, 5.0, 24.0, 100.0])
    c = pk.simulate([pk.Dose(0.0, 10.0, "oral")], p, t).plasma_mg_per_L
    limit = _limit_ka_eq_k(t, 10.0, k, 50.0)
    # the true curve differs from the limit by O(rel * k t); agreement to ~1e-9 relative
    np.testing.assert_allclose(c, limit, rtol=abs(rel) * 110 + 1e-13, atol=0)


def test_ka_equal_any_eigenvalue_with_csf_on() -> None:
    """ka equal to each eigenvalue of the plasma/CSF block, and nearly equal: continuous in ka."""
    base = P1.with_(csf_plasma_ratio=2.0)
    k10, k12, k21 = base.ke_per_h, base.q_in_L_per_h / base.v_L, base.cl_csf_L_per_h / base.v_csf_L
    disc = math.sqrt((k10 + k12 - k21) ** 2 + 4 * k12 * k21)
    mus = [0.5 * ((k10 + k12 + k21) - disc), 0.5 * ((k10 + k12 + k21) + disc)]
    t = np.linspace(0, 30, 61)
    for mu in mus:
        sims = [
            pk.simulate([pk.Dose(0, 10, "oral")], base.with_(ka_per_h=mu * (1 + r)), t)
            for r in (0.0, 1e-9, -1e-9, 1e-5)
        ]
        for s in sims[1:3]:
            np.testing.assert_allclose(s.plasma_mg_per_L, sims[0].plasma_mg_per_L, rtol=1e-8, atol=1e-300)
            np.testing.assert_allclose(s.csf_mg_per_L, sims[0].csf_mg_per_L, rtol=1e-8, atol=1e-300)
        # and the exact-coincidence curve matches the ODE solver
        ref = ode_solution(base.with_(ka_per_h=mu), [pk.Dose(0, 10, "oral")], t, rtol=1e-12, atol=1e-16)
        np.testing.assert_allclose(sims[0].plasma_mg_per_L, ref[1] / base.v_L, rtol=1e-8, atol=1e-14)


def test_all_three_eigenvalues_equal() -> None:
    """csf_plasma_ratio = 0 and ka = CL/V = CL_csf/V_csf: a triple eigenvalue, still exact."""
    k = 0.5
    p = pk.PKParams(
        ka_per_h=k, cl_L_per_h=k * 40.0, v_L=40.0, csf_plasma_ratio=0.0, v_csf_L=0.06, cl_csf_L_per_h=k * 0.06
    )
    t = np.linspace(0, 20, 41)
    events = [pk.Dose(0, 10, "oral"), pk.Dose(0, 0.1, "it")]
    sim = pk.simulate(events, p, t)
    # plasma = oral Bateman limit + drainage of the IT bolus: 0.1 * k t e^{-kt} / V
    ref = (10.0 * k * t * np.exp(-k * t) + 0.1 * k * t * np.exp(-k * t)) / 40.0
    np.testing.assert_allclose(sim.plasma_mg_per_L, ref, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(sim.csf_mg_per_L, 0.1 * np.exp(-k * t) / 0.06, rtol=1e-12)


def test_auc_equals_f_dose_over_cl() -> None:
    t = np.linspace(0, 400, 400_001)
    sim = pk.simulate([pk.Dose(0.0, 10.0, "oral")], P1, t)
    auc = np.trapezoid(sim.plasma_mg_per_L, t)
    assert auc == pytest.approx(P1.f_oral * 10.0 / P1.cl_L_per_h, rel=1e-6)
    # CSF AUC: at steady exchange, AUC_csf / AUC_p = csf_plasma_ratio (mass balance of the CSF)
    assert np.trapezoid(sim.csf_mg_per_L, t) / auc == pytest.approx(P1.csf_plasma_ratio, rel=1e-6)


def test_steady_state_peak_trough_and_css_avg() -> None:
    p = P1.with_(csf_plasma_ratio=0.0)
    tau, dose = 8.0, 10.0
    events = pk.repeated_doses(dose, tau, n_doses=60)
    t_last = 59 * tau
    t = t_last + np.linspace(0, tau, 8001)
    c = pk.simulate(events, p, t).plasma_mg_per_L
    peak, trough, tmax = pk.peak_trough_ss(dose, tau, p.ka_per_h, p.cl_L_per_h, p.v_L, f=p.f_oral)
    assert c.max() == pytest.approx(peak, rel=1e-7)
    assert t[np.argmax(c)] - t_last == pytest.approx(tmax, abs=2e-3)
    assert c[0] == pytest.approx(trough, rel=1e-9)  # trough just before the dose = c(tau) of the train
    css = pk.css_avg(dose, tau, p.cl_L_per_h, f=p.f_oral)
    assert np.trapezoid(c, t) / tau == pytest.approx(css, rel=1e-7)


def test_iv_bolus_accumulation_factor() -> None:
    p = P1.with_(csf_plasma_ratio=0.0)
    tau = 6.0
    c = pk.simulate(pk.repeated_doses(5.0, tau, n_doses=80, route="iv"), p, [79 * tau]).plasma_mg_per_L
    r = pk.accumulation_factor(p.ke_per_h, tau)
    assert c[0] == pytest.approx(r * 5.0 / p.v_L, rel=1e-10)


def test_infusion_reaches_rate_over_cl() -> None:
    p = P1
    c = pk.simulate([pk.Infusion(0.0, math.inf, 2.0, "iv")], p, [500.0])
    assert c.plasma_mg_per_L[0] == pytest.approx(2.0 / p.cl_L_per_h, rel=1e-10)
    assert c.csf_mg_per_L[0] == pytest.approx(p.csf_plasma_ratio * 2.0 / p.cl_L_per_h, rel=1e-10)


def test_it_infusion_steady_state() -> None:
    """IT pump at steady state: C_csf = R/CL_csf + ratio*C_p; plasma C_p = R/CL (all drug leaves via CL)."""
    p = pk.PKParams.adult()
    inf = pk.it_infusion_ug_per_day(600.0)
    sim = pk.simulate([inf], p, [2000.0])
    r = 0.6 / 24.0
    cp = r / p.cl_L_per_h
    assert sim.plasma_mg_per_L[0] == pytest.approx(cp, rel=1e-9)
    assert sim.csf_mg_per_L[0] == pytest.approx(r / p.cl_csf_L_per_h + p.csf_plasma_ratio * cp, rel=1e-9)


MIXED = [
    pk.Dose(0.0, 10.0, "oral"),
    pk.Dose(3.0, 2.0, "iv"),
    pk.Dose(5.0, 0.05, "it"),
    pk.Infusion(start_h=6.0, stop_h=14.0, rate_mg_per_h=0.5, route="iv"),
    pk.Infusion(start_h=8.0, stop_h=math.inf, rate_mg_per_h=0.02, route="it"),
    pk.Dose(10.0, 20.0, "oral"),
    pk.ClearanceWindow(12.0, 16.0, 7.7, "HD"),
    pk.CsfDrain(18.0, 0.3),
    pk.RemoveFraction(10.5, "gut", 0.5),
    pk.Dose(18.0, 0.1, "it"),
]


@pytest.mark.parametrize("method", ["LSODA", "Radau"])
def test_mixed_problem_matches_ode_solver(method: str) -> None:
    t = np.concatenate([np.linspace(0, 30, 121), [30.0 + 1e-9]])
    sim = pk.simulate(MIXED, P1, t)
    ref = ode_solution(P1, MIXED, t, method=method)
    np.testing.assert_allclose(sim.plasma_mg_per_L, ref[1] / P1.v_L, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(sim.csf_mg_per_L, ref[2] / P1.v_csf_L, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(sim.gut_mg, ref[0], rtol=1e-7, atol=1e-12)


def test_uniform_grid_fast_path_equals_general_path() -> None:
    """Regular doses on a uniform grid take the shared-basis path; jittering one dose forces the
    per-point path; both agree with each other and the ODE solver."""
    p = pk.PKParams.adult()
    t = np.arange(24 * 60 * 3) / 60.0
    reg = pk.repeated_doses(10.0, 8.0, n_doses=9)
    fast = pk.simulate(reg, p, t)
    t2 = t.copy()
    t2[-1] += 1e-3  # breaks the uniform structure, same physics except the last point
    slow = pk.simulate(reg, p, t2)
    np.testing.assert_allclose(fast.plasma_mg_per_L[:-1], slow.plasma_mg_per_L[:-1], rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(fast.csf_mg_per_L[:-1], slow.csf_mg_per_L[:-1], rtol=1e-12, atol=1e-300)
    ref = ode_solution(p, list(reg), t[::37])
    np.testing.assert_allclose(fast.plasma_mg_per_L[::37], ref[1] / p.v_L, rtol=1e-7, atol=1e-12)


def test_dialysis_window_shortens_half_life() -> None:
    p = pk.PKParams.renal(5.0, base=pk.PKParams.adult(csf=False))
    hd = pk.haemodialysis(start_h=10.0, duration_h=4.0)
    t = np.array([10.0, 14.0])
    c = pk.simulate([pk.Dose(0, 100, "iv"), hd], p, t).plasma_mg_per_L
    k = (p.cl_L_per_h + 7.7) / p.v_L
    assert c[1] / c[0] == pytest.approx(math.exp(-k * 4.0), rel=1e-12)


def test_csf_drain_is_exact_jump() -> None:
    p = pk.PKParams.adult()
    ev = [pk.Dose(0, 0.1, "it")]
    before = pk.simulate(ev, p, [2.0]).csf_mg_per_L[0]
    after = pk.simulate([*ev, pk.CsfDrain(2.0, 0.25)], p, [2.0]).csf_mg_per_L[0]
    assert after == pytest.approx(0.75 * before, rel=1e-14)
    assert pk.csf_drain_fraction(30.0) == pytest.approx(30 / 130)


def test_unit_aware_quantities_convert_exactly() -> None:
    from baclofen_teach import units

    p = pk.PKParams.adult()
    a = pk.simulate([pk.Dose(0, units.ug(50), "it")], p, [1.0]).csf_mg_per_L
    b = pk.simulate([pk.Dose(0, 0.05, "it")], p, [1.0]).csf_mg_per_L
    assert a[0] == b[0]
    inf = pk.Infusion(0, 24, units.ug_per_day(600), "it")
    assert inf.rate_mg_per_h == pytest.approx(0.025, rel=1e-15)
    assert pk.it_infusion_ug_per_day(600).rate_mg_per_h == inf.rate_mg_per_h
    assert pk.ug_to_mg(50) == 0.05 and pk.mg_to_ug(0.05) == 50.0
    with pytest.raises(ValueError, match="amount_mg"):
        pk.Dose(0, units.ug_per_day(50), "it")


def test_fast_path_with_regular_infusions_and_drains_matches_ode() -> None:
    """Equally spaced events that include infusions (constant rate per segment) and CSF drains."""
    p = pk.PKParams.adult()
    t = np.arange(0, 48 * 4) / 4.0  # 15-min grid, 48 h; events every 6 h
    events: list = []
    for k in range(8):
        events += [pk.Infusion(6.0 * k, 6.0 * k + 3.0, 1.0, "iv"), pk.Dose(6.0 * k, 0.05, "it")]
    events.append(pk.Infusion(0.0, math.inf, 0.02, "it"))
    sim = pk.simulate(events, p, t)
    ref = ode_solution(p, events, t)
    np.testing.assert_allclose(sim.plasma_mg_per_L, ref[1] / p.v_L, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(sim.csf_mg_per_L, ref[2] / p.v_csf_L, rtol=1e-7, atol=1e-12)
    drains = [
        *pk.repeated_doses(0.1, 6.0, n_doses=8, route="it"),
        *[pk.CsfDrain(6.0 * k + 3.0, 0.2) for k in range(8)],
    ]
    t3 = np.arange(0, 48 * 4) / 4.0
    sim2 = pk.simulate(drains, p, t3)
    ref2 = ode_solution(p, drains, t3)
    np.testing.assert_allclose(sim2.csf_mg_per_L, ref2[2] / p.v_csf_L, rtol=1e-7, atol=1e-12)


def test_grouped_periodic_path_equals_per_point_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clock-time dosing (unequal intervals) on a uniform grid, with a dialysis window: the grouped
    path and the per-point path agree, and both match the ODE solver."""
    from baclofen_teach.pk import engine

    p = pk.PKParams.adult()
    t = np.arange(0, 72 * 12) / 12.0  # 5-min grid, 3 days
    events = [*pk.clock_time_doses(10.0, 3), pk.haemodialysis(26.0, 4.0), pk.CsfDrain(40.0, 0.3)]
    grouped = pk.simulate(events, p, t)
    monkeypatch.setattr(engine, "_MAX_GROUPS", 0)
    per_point = pk.simulate(events, p, t)
    np.testing.assert_allclose(grouped.plasma_mg_per_L, per_point.plasma_mg_per_L, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(grouped.csf_mg_per_L, per_point.csf_mg_per_L, rtol=1e-12, atol=1e-300)
    ref = ode_solution(p, events, t[::7])
    np.testing.assert_allclose(grouped.plasma_mg_per_L[::7], ref[1] / p.v_L, rtol=1e-7, atol=1e-12)


@pytest.mark.parametrize("rel", [1e-9, -1e-9, 1e-6, 1e-12])
def test_near_coincident_ka_matches_50_digit_reference(rel: float) -> None:
    """ka = ke (1 + rel): the engine agrees with the Bateman function evaluated in 50-digit decimal
    arithmetic to 1e-12 relative, i.e. no loss of accuracy near the coincidence (no tolerance switch)."""
    from decimal import Decimal, getcontext

    getcontext().prec = 50
    k = 0.2
    ka = k * (1 + rel)
    p = pk.PKParams(ka_per_h=ka, cl_L_per_h=10.0, v_L=50.0)
    t = np.array([1e-6, 0.5, 1.0, 5.0, 24.0, 100.0])
    c = pk.simulate([pk.Dose(0.0, 10.0, "oral")], p, t).plasma_mg_per_L
    dk, dka = Decimal(p.ke_per_h), Decimal(ka)
    scale = Decimal(10) / Decimal(50) * dka / (dka - dk)
    ref = [float(scale * ((-dk * Decimal(x)).exp() - (-dka * Decimal(x)).exp())) for x in t.tolist()]
    np.testing.assert_allclose(c, ref, rtol=1e-12, atol=0)
