"""The scenario toolkit (baclofen_teach.scenario): its public API on its own, and the results mixin."""

from __future__ import annotations

import math

import numpy as np
import pytest

from baclofen_teach import overdose, pk, pump, scenario, withdrawal


def test_default_params_and_the_clock() -> None:
    assert scenario.default_params(None) == pk.PKParams.adult()
    with pytest.raises(pk.PKInputError, match="params"):
        scenario.default_params("adult")
    p = pk.PKParams.adult()
    assert scenario.warmup_h(p) == max(48.0, 40.0 * scenario.slowest_half_life_h(p))
    assert pump.slowest_half_life_h is scenario.slowest_half_life_h  # re-exported where notebooks use it


def test_time_grid_is_bounded_and_names_step_h() -> None:
    g = scenario.time_grid(0.0, 10.0, 0.5)
    assert g[0] == 0.0 and g[-1] == 10.0 and len(g) == 21
    with pytest.raises(pk.PKInputError, match="step_h"):
        scenario.time_grid(0.0, 1e6, 1e-3)
    c = scenario.crossing_grid(5.0, 1e6, 1e-3)
    assert c[0] == 5.0 and len(c) <= scenario.MAX_GRID_POINTS


def test_first_crossings_and_time_above_on_an_exponential() -> None:
    k = math.log(2.0) / 4.0  # half-life 4 h

    def f(t: np.ndarray) -> np.ndarray:
        return np.exp(-k * np.asarray(t, dtype=float))

    grid = np.linspace(0.0, 40.0, 401)
    t50, t10 = scenario.first_crossings(f, grid, f(grid), [0.5, 0.1])
    assert t50 == pytest.approx(4.0, abs=1e-9) and t10 == pytest.approx(4.0 * math.log2(10.0), abs=1e-9)
    [(hours, last)], _ = scenario.time_above_levels(f, [0.25], 60.0, 20.0, 0.1)
    assert hours == pytest.approx(8.0, abs=1e-9) and last == pytest.approx(8.0, abs=1e-9)


def test_results_share_one_curve_api() -> None:
    results = [
        pump.catheter_failure(600.0),
        overdose.oral_overdose(100.0),
        overdose.intrathecal_overdose(600.0, 1200.0),
    ]
    for r in results:
        assert isinstance(r, scenario.ScenarioCurves)
        plasma, csf = r.concentrations_at(r.times_h[:3])
        np.testing.assert_allclose(plasma, r.plasma_mg_per_L[:3], rtol=1e-12)
        np.testing.assert_allclose(csf, r.csf_mg_per_L[:3], rtol=1e-12)
        df = r.to_dataframe()
        assert list(df.columns)[0] == "time_h" and {"plasma_mg_per_L", "csf_mg_per_L"} <= set(df.columns)
        with pytest.raises(pk.PKInputError, match="times_h"):
            r.concentrations_at([math.nan])
    assert list(results[0].to_dataframe().columns)[1] == "hours_since_failure"
    assert withdrawal.intrathecal_withdrawal(results[0]).route == "intrathecal"
