"""Parameter sets, renal scaling, Cockcroft-Gault, CSF volumes, parameter table with sources."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from baclofen_teach import pk

ROOT = Path(__file__).resolve().parents[2]


def test_every_parameter_row_cites_a_known_reference() -> None:
    with (ROOT / "baclofen_teach/data/references.csv").open(encoding="utf-8") as fh:
        refs = {r["key"] for r in csv.DictReader(fh)}
    rows = list(csv.DictReader((ROOT / "baclofen_teach/data/parameters.csv").open(encoding="utf-8")))
    assert rows
    for r in rows:
        keys = r["source"].split(";")  # one key, or several separated by ";" (derived values)
        assert keys and all(k in refs for k in keys), r
        assert math.isfinite(float(r["value"])) and r["unit"] and r["population"]
    df = pk.parameter_table()
    assert {"set", "name", "value", "unit", "population", "source", "note"} <= set(df.columns)


def test_adult_true_vs_apparent() -> None:
    p = pk.PKParams.adult()
    assert p.cl_L_per_h == pytest.approx(0.74 * 10.8)
    assert p.v_L == pytest.approx(0.74 * 59.0)
    assert p.v_over_f_L == pytest.approx(59.0)
    assert p.q_in_L_per_h == pytest.approx(0.12 * 0.03)
    assert pk.PKParams.adult(csf=False).csf_plasma_ratio == 0.0


def test_child_scales_with_weight() -> None:
    a, b = pk.PKParams.child(weight_kg=10.0, csf=False), pk.PKParams.child(weight_kg=30.0, csf=False)
    assert b.cl_over_f_L_per_h == pytest.approx(3 * a.cl_over_f_L_per_h)
    assert a.cl_over_f_L_per_h == pytest.approx(0.273 * 10)
    assert a.half_life_h == pytest.approx(b.half_life_h)
    assert 2.3 <= a.half_life_h <= 3.4  # children [kriel1997]
    # same mg/kg gives the same concentration curve
    t = np.linspace(0, 24, 49)
    ca = pk.simulate([pk.Dose(0, 5.0)], a, t).plasma_mg_per_L
    cb = pk.simulate([pk.Dose(0, 15.0)], b, t).plasma_mg_per_L
    np.testing.assert_allclose(ca, cb, rtol=1e-12)


def test_cockcroft_gault_values_and_units() -> None:
    # (140-60)*70/(72*1.0) = 77.78 mL/min; female x0.85; 88.4 umol/L = 1 mg/dL
    crcl = pk.cockcroft_gault_mL_per_min(60, 70, female=False, scr_mg_per_dL=1.0)
    assert crcl == pytest.approx(77.777, rel=1e-4)
    assert pk.cockcroft_gault_mL_per_min(60, 70, female=True, scr_umol_per_L=88.4) == pytest.approx(
        0.85 * 77.777, rel=1e-4
    )


def test_renal_scaling() -> None:
    base = pk.PKParams.adult()
    assert pk.renal_clearance_factor(100.0) == pytest.approx(1.0)
    # renal share of systemic clearance fe = 0.86 (fe_urine / F; parameters.csv), non-renal 0.14
    assert pk.renal_clearance_factor(0.0) == pytest.approx(0.14)
    p30 = pk.PKParams.renal(30.0)
    assert p30.cl_L_per_h == pytest.approx(base.cl_L_per_h * (0.14 + 0.86 * 0.3))
    assert p30.v_L == base.v_L
    # Vlavonou: Cmax roughly unchanged, AUC and half-life rise as CrCl falls
    t = np.linspace(0, 72, 72 * 20 + 1)
    prev_auc = 0.0
    cmaxes = []
    for crcl in (100, 65, 40, 15):
        sim = pk.simulate([pk.Dose(0, 5.0)], pk.PKParams.renal(crcl), t)
        r = pk.nca(t, sim.plasma_mg_per_L)
        assert r.auc > prev_auc
        prev_auc = r.auc
        cmaxes.append(r.cmax)
    assert max(cmaxes) / min(cmaxes) < 1.3
    # kidney-adjusted dose keeps the AUC: reductions comparable to 1/3, 1/2, 2/3 [vlavonou2014]
    assert 1 - pk.kidney_adjusted_dose_mg(30, 65) / 30 == pytest.approx(1 / 3, abs=0.12)
    assert 1 - pk.kidney_adjusted_dose_mg(30, 40) / 30 == pytest.approx(1 / 2, abs=0.12)
    assert 1 - pk.kidney_adjusted_dose_mg(30, 15) / 30 == pytest.approx(2 / 3, abs=0.12)


def test_dialysis_and_haemofiltration_windows() -> None:
    hd = pk.haemodialysis(12.0)
    assert (hd.start_h, hd.stop_h, hd.extra_cl_L_per_h) == (12.0, 16.0, 7.7)
    cv = pk.haemofiltration(0.0, math.inf)
    assert cv.extra_cl_L_per_h == 2.4 and cv.stop_h == math.inf


def test_csf_volumes_and_half_life() -> None:
    p = pk.PKParams.adult()
    assert p.v_csf_L == pytest.approx(0.03 * 1.5 / math.log(2), rel=0.01)
    assert pk.CSF_TOTAL_VOLUME_L == 0.13
    assert pk.csf_drain_fraction(30.0) == pytest.approx(0.2308, rel=1e-3)


def test_population_sets() -> None:
    s = pk.PKParams.population("simon2018")
    assert s.cl_over_f_L_per_h == pytest.approx(11.6) and s.ka_per_h == 1.64
    assert s.half_life_h == pytest.approx(math.log(2) * 72.8 / 11.6)  # 4.35 h; paper: 4.4 h
