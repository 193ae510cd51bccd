"""Drug-level monitoring with a hidden patient (baclofen_teach.monitoring): MAP against a brute-force grid
posterior, MAP vs regression over many seeded hidden patients, trough-only vs peak-and-trough designs."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from baclofen_teach import monitoring as mo
from baclofen_teach import pk

SEEDS = range(200)


def _abs_log_err(est: float, true: float) -> float:
    return abs(np.log(est / true)) if np.isfinite(est) else np.inf


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_map_matches_brute_force_grid_posterior(seed: int) -> None:
    p = mo.hidden_patient(seed)
    ts = [1.5, 7.5]
    c = mo.measure(p, ts)
    est = mo.map_estimate(ts, c)
    grid = np.linspace(-1.5, 1.5, 1201)  # step 0.0025 in eta
    e_cl, e_v = np.meshgrid(grid, grid, indexing="ij")
    obj = mo.map_objective(e_cl, e_v, ts, c, dose_mg=p.dose_mg, tau_h=p.tau_h)
    i, j = np.unravel_index(np.argmin(obj), obj.shape)
    cl_grid = pk.param_value("simon2018", "cl_over_f_L_per_h") * np.exp(grid[i])
    v_grid = pk.param_value("simon2018", "v_over_f_L") * np.exp(grid[j])
    assert est.cl_over_f_L_per_h == pytest.approx(cl_grid, rel=0.005)
    assert est.v_over_f_L == pytest.approx(v_grid, rel=0.005)


@functools.cache
def _errors(times: tuple[float, ...]) -> dict[str, np.ndarray]:
    out: dict[str, list[float]] = {k: [] for k in ("reg_cl", "map_cl", "reg_hl", "map_hl", "map_v")}
    for s in SEEDS:
        p = mo.hidden_patient(s)
        c = mo.measure(p, times)
        r = mo.regression_estimate(times, c)
        m = mo.map_estimate(times, c, dose_mg=p.dose_mg, tau_h=p.tau_h)
        out["reg_cl"].append(_abs_log_err(r.cl_over_f_L_per_h, p.cl_over_f_L_per_h))
        out["map_cl"].append(_abs_log_err(m.cl_over_f_L_per_h, p.cl_over_f_L_per_h))
        out["reg_hl"].append(_abs_log_err(r.half_life_h, p.half_life_h))
        out["map_hl"].append(_abs_log_err(m.half_life_h, p.half_life_h))
        out["map_v"].append(_abs_log_err(m.v_over_f_L, p.v_over_f_L))
    return {k: np.array(val) for k, val in out.items()}


def test_map_with_two_samples_beats_regression() -> None:
    e = _errors((2.0, 8.0))
    # numbers of the report: median |ln(estimate / truth)| over 200 hidden patients
    print({k: round(float(np.median(val)), 3) for k, val in e.items()})
    assert np.median(e["map_cl"]) < np.median(e["reg_cl"])
    assert np.median(e["map_hl"]) < np.median(e["reg_hl"])
    assert np.mean(e["map_cl"] < e["reg_cl"]) > 0.6  # closer for most patients


def test_trough_only_against_peak_and_trough() -> None:
    trough = _errors((8.0,))
    both = _errors((2.0, 8.0))
    print(
        "trough-only MAP:",
        {k: round(float(np.median(val)), 3) for k, val in trough.items() if k.startswith("map")},
        "peak+trough MAP:",
        {k: round(float(np.median(val)), 3) for k, val in both.items() if k.startswith("map")},
    )
    assert np.all(np.isinf(trough["reg_cl"]))  # one level gives no slope: regression cannot estimate
    assert np.median(both["map_v"]) < np.median(trough["map_v"])  # a peak informs V/F; a trough barely


def test_dose_proposal_and_check() -> None:
    p = mo.hidden_patient(11)
    ts = [2.0, 8.0]
    est = mo.map_estimate(ts, mo.measure(p, ts))
    dose = mo.propose_dose_mg(est.cl_over_f_L_per_h, 0.2, tau_h=p.tau_h)
    res = mo.check(p, [est], dose, 0.2)
    assert res.dose_error == pytest.approx(est.cl_over_f_L_per_h / p.cl_over_f_L_per_h - 1.0)
    assert res.cl_error["MAP"] == pytest.approx(res.dose_error)
    big = mo.check(p, [est], 100.0, 0.2)  # 300 mg/day: flagged, not refused
    assert "oral_above_label_max" in pk.flag_codes(list(big.flags))


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: mo.hidden_patient(-1), "seed"),
        (lambda: mo.hidden_patient(1, tau_h=0.5), "tau_h"),
        (lambda: mo.measure(mo.hidden_patient(1), [1.0, 2.0, 3.0, 4.0]), "sample_times_h"),
        (lambda: mo.measure(mo.hidden_patient(1), [9.0]), "sample_times_h"),
        (lambda: mo.measure(mo.hidden_patient(1), [0.0]), "sample_times_h"),
        (lambda: mo.regression_estimate([1.0, 2.0], [0.1]), "levels_mg_per_L"),
        (lambda: mo.map_estimate([1.0], [-0.1]), "levels_mg_per_L"),
        (lambda: mo.propose_dose_mg(10.0, 0.0), "target_avg_mg_per_L"),
    ],
)
def test_bad_input_names_the_parameter(call, name: str) -> None:
    with pytest.raises(pk.PKInputError, match=name):
        call()


def test_compare_designs_matches_the_estimates_and_shows_absorption_bias() -> None:
    designs = {"trough only": [8.0], "during absorption": [1.0, 4.0], "after the peak": [3.0, 8.0]}
    table = mo.compare_designs(designs, n_patients=40, first_seed=500).set_index("design")
    assert table.loc["trough only", "regression_estimated_percent"] == 0.0  # one level gives no slope
    # a sample taken during absorption makes the fall look slower: the half-life comes out too long
    assert (
        table.loc["during absorption", "regression_bias_percent"]
        > table.loc["after the peak", "regression_bias_percent"]
    )
    p = mo.hidden_patient(500)
    c = mo.measure(p, [3.0, 8.0])
    expected = mo.map_estimate([3.0, 8.0], c).half_life_h / p.half_life_h - 1
    one = mo.compare_designs({"x": [3.0, 8.0]}, n_patients=1, first_seed=500)
    assert one.loc[0, "map_bias_percent"] == pytest.approx(100 * expected)
    with pytest.raises(pk.PKInputError, match="sample_times_h"):
        mo.compare_designs({"too late": [9.0]}, n_patients=1)


def test_dose_flags_are_the_course_regimen_flags() -> None:
    """One home for the label flags: a proposed dose gets pk.regimen_flags (US maximum, hospital maximum,
    overdose range), in check() and in the app alike; 20 mg every 8 h (60 mg/day) gets none."""
    assert mo.dose_flags(20.0, tau_h=8.0) == ()
    codes = pk.flag_codes(list(mo.dose_flags(100.0, tau_h=8.0)))
    assert codes == {"oral_above_label_max", "oral_above_hospital_max", "oral_overdose_range"}
    patient = mo.hidden_patient(3)
    assert mo.check(patient, [], 100.0, 0.2).flags == mo.dose_flags(100.0, tau_h=patient.tau_h)
