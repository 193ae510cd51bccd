"""Core closed-form and ODE cross-checks of baclofen_teach.pk.simulate."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from baclofen_teach import pk

P1 = pk.PKParams(ka_per_h=1.5, cl_L_per_h=9.7, v_L=49.0, f_oral=0.8, csf_plasma_ratio=0.1, v_csf_L=0.065,
                 cl_csf_L_per_h=0.03)


def test_contract_example_shapes() -> None:
    events = [pk.Dose(time_h=0.0, amount_mg=10.0, route="oral"),
              pk.Infusion(start_h=0.0, stop_h=24.0, rate_mg_per_h=1.0, route="iv")]
    t = np.linspace(0, 48, 97)
    sim = pk.simulate(events, P1, t)
    assert sim.plasma_mg_per_L.shape == t.shape and sim.csf_mg_per_L.shape == t.shape
    df = sim.to_dataframe()
    assert list(df.columns[:3]) == ["time_h", "plasma_mg_per_L", "csf_mg_per_L"]


def test_iv_bolus_one_compartment_half_life_halves() -> None:
    p = P1.with_(csf_plasma_ratio=0.0)
    hl = p.half_life_h
    t = np.array([0.0, hl, 2 * hl, 3 * hl])
    c = pk.simulate([pk.Dose(0.0, 100.0, "iv")], p, t).plasma_mg_per_L
    np.testing.assert_allclose(c, 100.0 / p.v_L * np.array([1, 0.5, 0.25, 0.125]), rtol=1e-13)


def test_bolus_is_right_continuous() -> None:
    p = P1.with_(csf_plasma_ratio=0.0)
    c = pk.simulate([pk.Dose(2.0, 10.0, "iv")], p, [0.0, 1.999999, 2.0]).plasma_mg_per_L
    assert c[0] == 0.0 and c[1] == 0.0
    assert c[2] == pytest.approx(10.0 / p.v_L, rel=1e-15)


def test_oral_bateman_exact_with_csf_off() -> None:
    p = P1.with_(csf_plasma_ratio=0.0)
    t = np.linspace(0, 30, 301)
    c = pk.simulate([pk.Dose(0.0, 20.0, "oral")], p, t).plasma_mg_per_L
    k, ka = p.ke_per_h, p.ka_per_h
    ref = p.f_oral * 20.0 * ka / (p.v_L * (ka - k)) * (np.exp(-k * t) - np.exp(-ka * t))
    np.testing.assert_allclose(c, ref, rtol=1e-12, atol=1e-16)


@pytest.mark.parametrize("rel", [0.0, 1e-9, -1e-9, 1e-6])
def test_ka_equal_ke_limit(rel: float) -> None:
    base = pk.PKParams(ka_per_h=0.2, cl_L_per_h=10.0, v_L=50.0, f_oral=1.0)  # ke = 0.2
    p = base.with_(ka_per_h=0.2 * (1 + rel))
    t = np.array([0.0, 1e-6, 0.5, 1.0, 5.0, 24.0, 100.0])
    c = pk.simulate([pk.Dose(0.0, 10.0, "oral")], p, t).plasma_mg_per_L
    # exact limit C = D ka t e^{-kt} / V, plus first-order correction in the relative gap
    k = 0.2
    ka = p.ka_per_h
    exact = 10.0 / 50.0 * ka * np.exp(-k * t) * np.where(
        t > 0, -np.expm1(-(ka - k) * t) / np.where(ka == k, 1.0, (ka - k)), 0.0) if ka != k else \
        10.0 / 50.0 * ka * t * np.exp(-k * t)
    np.testing.assert_allclose(c, exact, rtol=1e-12, atol=0)
    limit = 10.0 / 50.0 * 0.2 * t * np.exp(-0.2 * t)
    np.testing.assert_allclose(c, limit, rtol=max(abs(rel) * 100, 1e-13) * 2, atol=0)


def test_auc_equals_f_dose_over_cl() -> None:
    t = np.linspace(0, 400, 400_001)
    sim = pk.simulate([pk.Dose(0.0, 10.0, "oral")], P1, t)
    auc = np.trapezoid(sim.plasma_mg_per_L, t)
    assert auc == pytest.approx(P1.f_oral * 10.0 / P1.cl_L_per_h, rel=1e-6)


def _ode(p: pk.PKParams, events: list, t_eval: np.ndarray) -> np.ndarray:
    """Reference solution with Radau, restarted at every event (tight tolerances)."""
    q = p.csf_plasma_ratio * p.cl_csf_L_per_h
    bps = sorted({0.0, *(e.time_h for e in events if isinstance(e, pk.Dose)),
                  *(x for e in events if isinstance(e, pk.Infusion) for x in (e.start_h, e.stop_h)
                    if math.isfinite(x)), float(t_eval[-1])})

    def rhs(tt: float, x: np.ndarray, uiv: float, uit: float) -> list[float]:
        g, a, c = x
        cp, cc = a / p.v_L, c / p.v_csf_L
        return [-p.ka_per_h * g, p.ka_per_h * g - p.cl_L_per_h * cp - q * cp + p.cl_csf_L_per_h * cc + uiv,
                q * cp - p.cl_csf_L_per_h * cc + uit]

    x = np.zeros(3)
    out = np.zeros((3, t_eval.size))
    for a, b in zip(bps[:-1], bps[1:], strict=True):
        for e in events:
            if isinstance(e, pk.Dose) and e.time_h == a:
                f = p.f_oral if e.route == "oral" else 1.0
                x[{"oral": 0, "iv": 1, "it": 2}[e.route]] += e.amount_mg * f
        uiv = sum(e.rate_mg_per_h for e in events if isinstance(e, pk.Infusion) and e.route == "iv"
                  and e.start_h <= a < e.stop_h)
        uit = sum(e.rate_mg_per_h for e in events if isinstance(e, pk.Infusion) and e.route == "it"
                  and e.start_h <= a < e.stop_h)
        sel = (t_eval >= a) & ((t_eval < b) | (b == bps[-1]))
        sol = solve_ivp(rhs, (a, b), x, method="Radau", t_eval=t_eval[sel], rtol=1e-12, atol=1e-15,
                        args=(uiv, uit))
        out[:, sel] = sol.y
        x = solve_ivp(rhs, (a, b), x, method="Radau", rtol=1e-12, atol=1e-15, args=(uiv, uit)).y[:, -1]
    return out


def test_mixed_routes_match_ode_solver() -> None:
    events = [pk.Dose(0.0, 10.0, "oral"), pk.Dose(3.0, 2.0, "iv"), pk.Dose(5.0, 0.05, "it"),
              pk.Infusion(start_h=6.0, stop_h=14.0, rate_mg_per_h=0.5, route="iv"),
              pk.Infusion(start_h=8.0, stop_h=20.0, rate_mg_per_h=0.02, route="it"),
              pk.Dose(10.0, 20.0, "oral")]
    t = np.linspace(0, 30, 121)
    sim = pk.simulate(events, P1, t)
    ref = _ode(P1, events, t)
    np.testing.assert_allclose(sim.plasma_mg_per_L, ref[1] / P1.v_L, rtol=1e-8, atol=1e-13)
    np.testing.assert_allclose(sim.csf_mg_per_L, ref[2] / P1.v_csf_L, rtol=1e-8, atol=1e-13)
    np.testing.assert_allclose(sim.gut_mg, ref[0], rtol=1e-8, atol=1e-13)
