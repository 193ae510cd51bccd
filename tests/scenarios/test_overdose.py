"""Tests of baclofen_teach.overdose: management table, reported values, exact exposure numbers,
extracorporeal removal and intrathecal overdose interventions."""

from __future__ import annotations

import math
import re
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq

from baclofen_teach import overdose as o
from baclofen_teach import pk

ADULT = pk.PKParams.adult()
PLASMA_ONLY = pk.PKParams.adult(csf=False)


def _keys() -> set[str]:
    with resources.files("baclofen_teach.data").joinpath("references.csv").open(encoding="utf-8") as fh:
        return set(pd.read_csv(fh)["key"])


def _row(df: pd.DataFrame, word: str) -> pd.Series:
    hits = df[df["step"].str.contains(word, case=False, regex=False)]
    assert len(hits) >= 1, f"no management row mentions {word!r}"
    return hits.iloc[0]


# ------------------------------------------------------------------------------------------------ tables


def test_management_table_schema_and_sources() -> None:
    df = o.management_table()
    assert list(df.columns) == ["setting", "step", "status", "reason", "source", "evidence"]
    assert set(df["status"]) <= set(o.STATUSES)
    assert set(df["setting"]) <= {"oral", "intrathecal", "both"}
    keys = _keys()
    for src in pd.concat([df["source"], o.toxicity_reports()["source"]]):
        assert all(s.strip() in keys for s in src.split(";")), src
    assert df["reason"].str.len().min() > 20


# reference keys that report one patient (or two): a status may not rest on them alone unless it says so
SINGLE_CASES = {"clintox2020", "brvar2007", "cvvh2014", "ferner1981", "sullivan2012"}


def test_every_status_has_sources_and_an_evidence_note() -> None:
    """Each row names its sources and says what kind of evidence its status rests on."""
    df = o.management_table()
    for r in df.itertuples():
        assert isinstance(r.source, str) and r.source.strip(), r.step
        assert isinstance(r.evidence, str) and len(r.evidence) > 20, r.step
        # the evidence note names a kind of evidence
        assert any(
            w in r.evidence for w in ("label", "guideline", "case report", "case series", "letter", "panel")
        ), r.step
        # bracketed keys in the evidence note are real references
        for key in re.findall(r"\[([a-z0-9_]+)\]", r.evidence):
            assert key in _keys(), (r.step, key)


def test_no_categorical_verdict_rests_on_a_single_case() -> None:
    """'recommended' or 'not recommended' needs more than one case report (review row 10: a categorical
    'not recommended' for haemodialysis with normal kidneys rested on one case, clintox2020)."""
    df = o.management_table()
    for r in df[df["status"].isin(["recommended", "not recommended"])].itertuples():
        keys = {k.strip() for k in r.source.split(";")}
        assert keys - SINGLE_CASES, f"{r.step!r} is {r.status!r} on single-case sources only: {keys}"
    # where the evidence is one case, the evidence note says so
    for r in df.itertuples():
        keys = {k.strip() for k in r.source.split(";")}
        if keys <= SINGLE_CASES:
            assert "n = 1" in r.evidence, r.step


def test_rows_state_their_condition() -> None:
    """Recommendations keep the condition the source attaches to them (review rows 7 and 9)."""
    df = o.management_table()
    hd = df[df["step"].str.startswith("haemodialysis")]
    assert len(hd) == 2
    for r in hd.itertuples():  # every haemodialysis row says for which kidney function
        assert "kidney failure" in r.step or "normal kidney function" in r.step, r.step
    failed = _row(df, "haemodialysis in severe poisoning with kidney failure")
    assert failed["status"] == "recommended" and "label_pms_baclofen" in failed["source"]
    assert "severe poisoning" in failed["reason"]
    # the 9-day comparator of chen1997 is one patient; the early-dialysis group is 7 patients
    assert "2.71 ± 0.42" in failed["reason"] and "one patient" in failed["reason"]
    normal = _row(df, "haemodialysis with normal kidney function")
    assert normal["status"] == "uncertain benefit" and "one case" in normal["reason"]
    # the CVVH case does not describe kidney failure; its own clearance was about 4.2 L/h (6.6 - 2.4)
    cvvh = _row(df, "CVVH")
    assert "kidney function is impaired" not in cvvh["step"]
    assert "does not describe kidney failure" in cvvh["reason"] and "4.2 L/h" in cvvh["reason"]
    assert 6.6 - 2.4 == pytest.approx(4.2)
    capd = _row(df, "CAPD")
    assert "uraemic" in capd["step"] and capd["source"] == "renfail2003"
    # the EXTRIP recommendations were not read: cited only as existing, never as the source of a status
    assert not df["source"].str.contains("ghannoum2021").any()
    assert df["evidence"].str.contains(r"\[ghannoum2021\]").any()
    assert df[df["evidence"].str.contains("ghannoum2021")]["evidence"].str.contains("not").all()


def test_management_table_required_rows() -> None:
    df = o.management_table()
    assert "no antidote" in _row(df, "antidote")["step"]
    assert _row(df, "airway")["status"] == "recommended"
    charcoal = _row(df, "activated charcoal")
    assert charcoal["status"] == "consider"
    assert "early" in charcoal["reason"] and "airway" in charcoal["reason"]
    vomit = _row(df, "induced vomiting")
    assert vomit["status"] == "not recommended" and "aact_ipecac2004" in vomit["source"]
    physo = _row(df, "physostigmine")
    assert physo["status"] == "not recommended"
    # review row 28: the Saulino 2016 abstract does not mention physostigmine; the label text (seizures,
    # bradycardia), the 1991 series and the failure letter do
    assert "saulino2016" not in physo["source"]
    for key in ("label_lioresal_it_druglib", "delhaas1991", "physostigmine_failure"):
        assert key in physo["source"]
    assert "seizures and bradycardia" in physo["reason"]
    hd = _row(df, "haemodialysis in severe poisoning with kidney failure")
    assert hd["status"] == "recommended"
    for key in ("label_pms_baclofen", "brvar2007", "chen1997"):
        assert key in hd["source"]
    assert _row(df, "haemodialysis with normal kidney function")["status"] == "uncertain benefit"
    pump_row = _row(df, "empty the pump")
    assert pump_row["status"] == "recommended" and pump_row["setting"] == "intrathecal"
    assert "label_lioresal_it" in pump_row["source"]
    csf = _row(df, "CSF")
    assert "30-40 mL" in csf["step"] and csf["setting"] == "intrathecal"
    assert csf["status"] in ("recommended", "consider") and "label_lioresal_it" in csf["source"]
    # no row recommends an emetic or physostigmine
    rec = df[df["status"] == "recommended"]["step"].str.lower()
    assert not rec.str.contains("ipecac|vomit|physostigmine").any()


def test_management_table_setting_filter() -> None:
    oral = o.management_table("oral")
    assert not oral["step"].str.contains("empty the pump").any()
    assert oral["step"].str.contains("airway").any()
    it = o.management_table("it")
    assert it["step"].str.contains("empty the pump").any() and it["step"].str.contains("airway").any()
    assert not it["step"].str.contains("charcoal").any()
    with pytest.raises(ValueError, match="setting.*'rectal'"):
        o.management_table("rectal")


def test_toxicity_reports_values_are_reported_not_thresholds() -> None:
    t = o.toxicity_reports().set_index("source")
    assert t.loc["brvar2007", "conc_low_mg_per_L"] == 0.70
    perry = o.toxicity_reports()
    perry = perry[(perry["source"] == "perry1998") & (perry["kind"] != "reference range")].iloc[0]
    assert (perry["conc_low_mg_per_L"], perry["conc_high_mg_per_L"]) == (0.049, 6.0)
    assert t.loc["clintox2020", "conc_low_mg_per_L"] == 0.882
    reported = o.toxicity_reports()
    reported = reported[reported["kind"] == "reported with serious toxicity"]
    assert reported["note"].str.contains("not a threshold|not concentration|reported", case=False).all()
    # review row 15: 0.08-0.40 mg/L is a laboratory reference range, not a validated therapeutic range
    ref = o.toxicity_reports()
    ref = ref[ref["kind"] == "reference range"].iloc[0]
    assert (ref["conc_low_mg_per_L"], ref["conc_high_mg_per_L"]) == pk.THERAPEUTIC_RANGE_MG_PER_L
    assert "not a validated therapeutic range" in ref["note"] and "knutsson1974" in ref["source"]
    assert not o.toxicity_reports()["kind"].eq("therapeutic range").any()
    # review row 7: the CVVH case is not described as kidney failure
    cvvh = o.toxicity_reports().set_index("source").loc["cvvh2014"]
    assert "kidney failure" not in cvvh["population"] and "not described" in cvvh["population"]
    assert not o.toxicity_reports()["note"].str.contains("ug/mL").any()  # students read µg


def test_constants() -> None:
    assert o.THERAPEUTIC_MAX_MG_PER_L == 0.4
    # 2.14 mL/s = 7.7 L/h [brvar2007]: one value, the engine's, from parameters.csv
    assert o.HAEMODIALYSIS_CL_L_PER_H == pk.param_value("dialysis", "hd_cl_L_per_h") == pytest.approx(7.7)
    assert o.CVVH_CL_L_PER_H == 2.4


# ------------------------------------------------------------------------------------------------ oral


def test_time_above_matches_bateman_roots() -> None:
    p = PLASMA_ONLY
    dose = 300.0

    def bateman(t: float) -> float:
        return float(pk.bateman(t, dose, p.ka_per_h, p.cl_L_per_h, p.v_L, p.f_oral))

    r = o.oral_overdose(dose, params=p)
    tmax = math.log(p.ka_per_h / p.ke_per_h) / (p.ka_per_h - p.ke_per_h)
    assert r.peak_time_h == pytest.approx(tmax, abs=1e-6)
    assert r.peak_mg_per_L == pytest.approx(bateman(tmax), rel=1e-9)
    up = brentq(lambda t: bateman(t) - 0.4, 1e-9, tmax, xtol=1e-13)
    down = brentq(lambda t: bateman(t) - 0.4, tmax, 500.0, xtol=1e-13)
    assert r.hours_above_therapeutic_max == pytest.approx(down - up, abs=1e-7)
    assert r.time_below_therapeutic_max_h == pytest.approx(down, abs=1e-7)
    assert r.hours_above(0.7) < r.hours_above_therapeutic_max


def test_small_dose_never_above() -> None:
    r = o.oral_overdose(10.0, params=ADULT)
    assert r.hours_above_therapeutic_max == 0.0 and r.time_below_therapeutic_max_h == 0.0
    assert (r.exposure["hours_above"] == 0).all()


def test_staggered_doses_superpose() -> None:
    r = o.oral_overdose(doses=[(0.0, 400.0), (3.0, 200.0)], params=ADULT)
    a = o.oral_overdose(400.0, params=ADULT).plasma_at(r.times_h)
    b = o.oral_overdose(200.0, params=ADULT).plasma_at(np.clip(r.times_h - 3.0, 0.0, None))
    np.testing.assert_allclose(
        r.plasma_mg_per_L, a + np.where(r.times_h >= 3.0, b, 0.0), rtol=1e-10, atol=1e-15
    )
    assert r.total_dose_mg == 600.0


def test_large_dose_flags() -> None:
    r = o.oral_overdose(2000.0, params=ADULT)
    text = " ".join(r.flags)
    assert "OVERESTIMATES" in text and "label_us_tablets" in text
    assert "leung2006" in text


def _overestimates(r: o.OverdoseResult) -> bool:
    return any("OVERESTIMATES" in f for f in r.flags)


@pytest.mark.parametrize(
    "doses",
    [
        [(8.0 * i, 10.0) for i in range(15)],  # 10 mg three times a day for 5 days (150 mg in all)
        [(6.0 * i, 20.0) for i in range(20)],  # 20 mg four times a day: the US label maximum, 80 mg/day
        [(24.0 * i, 150.0) for i in range(5)],  # 750 mg in all but never 200 mg within 24 h
        [(0.0, 150.0)],
        [(0.0, 199.0)],
    ],
    ids=["10mg-tid", "label-max-qid", "150mg-daily", "150mg-once", "199mg-once"],
)
def test_linear_model_flag_not_for_ordinary_or_sub_overdose_amounts(doses) -> None:  # noqa: ANN001
    assert not _overestimates(o.oral_overdose(doses=doses, params=ADULT))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"amount_mg": 300.0},
        {"amount_mg": o.LARGE_INGESTION_MG_IN_24H},
        {"doses": [(0.0, 50.0), (6.0, 50.0), (12.0, 50.0), (18.0, 50.0)]},  # 200 mg within 24 h
        {"doses": [(0.0, 10.0), (30.0, 250.0)]},
    ],
    ids=["300mg", "200mg", "4x50mg-in-24h", "late-250mg"],
)
def test_linear_model_flag_for_overdose_size_amounts(kwargs: dict) -> None:
    r = o.oral_overdose(params=ADULT, **kwargs)
    flag = next(f for f in r.flags if "OVERESTIMATES" in f)
    assert "[leung2006]" in flag and "[label_us_tablets]" in flag and "within 24 h" in flag
    assert o.LARGE_INGESTION_MG_IN_24H == 200.0  # coma/seizures only at >= 200 mg [leung2006]


def test_haemodialysis_window_exact() -> None:
    # plasma-only model, dose absorbed long before the session: during HD C falls with (CL + CL_HD)/V
    p = PLASMA_ONLY
    r = o.oral_overdose(1200.0, params=p, extracorporeal=[o.haemodialysis(24.0, 4.0)])
    c24, c28 = r.plasma_at([24.0, 28.0])
    k = (p.cl_L_per_h + o.HAEMODIALYSIS_CL_L_PER_H) / p.v_L
    assert c28 / c24 == pytest.approx(math.exp(-4.0 * k), rel=1e-9)
    auc = c24 * (1.0 - math.exp(-4.0 * k)) / k
    assert r.removed_extracorporeal_mg == pytest.approx(o.HAEMODIALYSIS_CL_L_PER_H * auc, rel=1e-8)
    assert o.oral_overdose(1200.0, params=p).removed_extracorporeal_mg == 0.0


def test_extracorporeal_benefit_large_in_kidney_failure_small_with_normal_kidneys() -> None:
    df = o.compare_extracorporeal(1200.0, start_h=6.0).set_index(["kidneys", "therapy"])
    none_n, none_f = df.loc[("normal", "none")], df.loc[("failed", "none")]
    assert none_f["hours_above_0.4_mg_per_L"] > 2 * none_n["hours_above_0.4_mg_per_L"]
    for therapy in ("haemodialysis 4 h", "CVVH 24 h"):
        n, f = df.loc[("normal", therapy)], df.loc[("failed", therapy)]
        assert 0 < n["hours_saved"] < f["hours_saved"] / 2
        assert f["removed_by_therapy_mg"] > 1.5 * n["removed_by_therapy_mg"]
        assert n["hours_saved"] == pytest.approx(
            none_n["hours_above_0.4_mg_per_L"] - n["hours_above_0.4_mg_per_L"]
        )
    # no machine, no removal; a zero-clearance machine changes nothing
    assert (df.xs("none", level="therapy")["removed_by_therapy_mg"] == 0).all()
    zero = o.compare_extracorporeal(1200.0, haemodialysis_cl_L_per_h=0.0, kidneys=("failed",))
    assert zero["hours_saved"].iloc[1] == pytest.approx(0.0, abs=1e-9)


def test_kidney_params_and_flag() -> None:
    failed = o.kidney_params("failed")
    assert failed.cl_L_per_h < ADULT.cl_L_per_h
    flag = next(f for f in o.oral_overdose(100.0, kidneys="failed").flags if "Impaired kidney" in f)
    # review row 9: haemodialysis with its condition (severe poisoning), not as "the treatment of choice"
    assert "severe poisoning" in flag and "label_pms_baclofen" in flag
    assert "of choice" not in flag and "ghannoum2021" not in flag
    assert o.kidney_params(30.0).cl_L_per_h > failed.cl_L_per_h
    anuric = o.kidney_params(0.0)  # no renal clearance: only the non-renal part of CL is left
    assert 0 < anuric.cl_L_per_h < failed.cl_L_per_h
    with pytest.raises(ValueError, match="kidneys"):
        o.kidney_params(-5.0)
    with pytest.raises(ValueError, match="kidneys"):
        o.kidney_params("poor")


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: o.oral_overdose(), "amount_mg"),
        (lambda: o.oral_overdose(100.0, doses=[(0, 100)]), "amount_mg"),
        (lambda: o.oral_overdose(-100.0), "amount_mg"),
        (lambda: o.oral_overdose(doses=[(0, 100), (1,)]), r"doses\[1\]"),
        (lambda: o.oral_overdose(doses=[(-1, 100)]), r"doses\[0\] time_h"),
        (lambda: o.oral_overdose(doses=[]), "doses"),
        (lambda: o.oral_overdose(100.0, extracorporeal=["HD"]), r"extracorporeal\[0\]"),
        (lambda: o.oral_overdose(100.0, duration_h=0.0), "duration_h"),
        (lambda: o.haemodialysis(-1.0), "start_h"),
        (lambda: o.oral_overdose(100.0, step_h=1e-7), "step_h"),
        (lambda: o.haemofiltration(0.0, duration_h=0.0), "duration_h"),
        # CVVH without an end is an engine window (pk.haemofiltration) but has no exposure numbers
        (
            lambda: o.oral_overdose(100.0, extracorporeal=[o.haemofiltration(0.0, duration_h=math.inf)]),
            r"extracorporeal\[0\]",
        ),
        (lambda: o.oral_overdose(100.0, params=ADULT).hours_above(-0.4), "level_mg_per_L"),
    ],
)
def test_oral_bad_input(call, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        call()


# ------------------------------------------------------------------------------------------------ intrathecal


def test_csf_removal_fraction_bases() -> None:
    assert o.csf_removal_fraction(30.0) == pytest.approx(30.0 / 130.0)
    assert o.csf_removal_fraction(40.0, csf_volume_mL=160.0) == pytest.approx(0.25)
    assert o.csf_removal_fraction(30.0, "apparent", ADULT) == pytest.approx(30.0 / (ADULT.v_csf_L * 1000))
    with pytest.raises(ValueError, match="csf_removed_mL"):
        o.csf_removal_fraction(80.0, "apparent", ADULT)
    with pytest.raises(ValueError, match="csf_volume_basis"):
        o.csf_removal_fraction(30.0, "lumbar")


def test_it_overdose_fourfold_and_intended_steady_state() -> None:
    r = o.intrathecal_overdose(600.0, 2400.0, params=ADULT, post_h=400.0, step_h=0.5)
    rate = 600.0 / 24000.0
    c_int = rate / ADULT.cl_csf_L_per_h + ADULT.csf_plasma_ratio * rate / ADULT.cl_L_per_h
    assert r.intended_csf_mg_per_L == pytest.approx(c_int, rel=1e-12)
    assert r.csf_mg_per_L[0] == pytest.approx(c_int, rel=1e-9)
    assert r.csf_mg_per_L[-1] == pytest.approx(4.0 * c_int, rel=1e-9)
    assert math.isinf(r.hours_above_2x_intended) and math.isinf(r.hours_to_intended)
    assert any("OVERDOSE" in f for f in r.flags)
    # review row 12: the flag says that recovery is slower than the CSF curve (coma of up to 72 h)
    assert any("72 h" in f and "label_lioresal_it_druglib" in f for f in r.flags)


def test_emptying_the_pump_stops_csf_input() -> None:
    p = ADULT.with_(csf_plasma_ratio=0.0)  # CSF then only drains: exact single exponential after emptying
    k = p.cl_csf_L_per_h / p.v_csf_L
    r = o.intrathecal_overdose(600.0, 2400.0, pump_emptied_at_h=5.0, params=p)
    _, c_e = r.concentrations_at([5.0])
    after = r.times_h >= 5.0
    np.testing.assert_allclose(
        r.csf_mg_per_L[after], c_e[0] * np.exp(-k * (r.times_h[after] - 5.0)), rtol=1e-9
    )
    assert math.isfinite(r.hours_to_intended)
    assert any("withdrawal" in f for f in r.flags)


def test_csf_drain_removes_the_fraction_at_that_instant() -> None:
    r = o.intrathecal_overdose(
        600.0, 2400.0, pump_emptied_at_h=4.0, csf_removed_mL=30.0, csf_removed_at_h=4.0, params=ADULT
    )
    before = r.concentrations_at([4.0 - 1e-9])[1][0]
    after = r.concentrations_at([4.0])[1][0]
    assert after == pytest.approx((1.0 - 30.0 / 130.0) * before, rel=1e-7)
    assert r.csf_removed_fraction == pytest.approx(30.0 / 130.0)
    assert r.peak_csf_mg_per_L >= before


def test_bolus_error_peak() -> None:
    r = o.intrathecal_overdose(600.0, bolus_ug=1000.0, error_start_h=2.0, params=ADULT)
    assert r.peak_csf_mg_per_L == pytest.approx(r.intended_csf_mg_per_L + 1.0 / ADULT.v_csf_L, rel=1e-6)
    assert "it_bolus_above_screening_max" in pk.flag_codes(r.flags)
    assert any("100 µg" in f for f in r.flags)
    assert not any(" ug " in f for f in r.flags if "bolus" in f)  # students read µg, never ug


def test_interventions_ranked() -> None:
    df = o.compare_it_interventions(600.0, 2400.0, detected_at_h=6.0, params=ADULT)
    assert list(df["intervention"]) == [
        "none",
        "empty the pump",
        "empty the pump + drain 30 mL CSF",
        "empty the pump + drain 40 mL CSF",
    ]
    h = df["hours_to_intended"].to_numpy()
    assert math.isinf(h[0]) and h[1] > h[2] > h[3] > 0
    c1 = df["csf_1h_after_mg_per_L"].to_numpy()
    assert c1[0] > c1[1] > c1[2] > c1[3]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"intended_daily_dose_ug": 0.0}, "intended_daily_dose_ug"),
        ({"delivered_daily_dose_ug": -1.0}, "delivered_daily_dose_ug"),
        ({"bolus_ug": math.nan}, "bolus_ug"),
        ({"error_start_h": 5.0, "pump_emptied_at_h": 2.0}, "pump_emptied_at_h"),
        ({"csf_removed_mL": 30.0}, "csf_removed_at_h"),
        ({"csf_removed_mL": 200.0, "csf_removed_at_h": 1.0}, "csf_removed_mL"),
        ({"csf_volume_basis": "apparent", "csf_volume_mL": 100.0}, "csf_volume_mL"),
    ],
)
def test_it_bad_input(kwargs: dict, name: str) -> None:
    args: dict = {"intended_daily_dose_ug": 600.0}
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        o.intrathecal_overdose(**args)


# -------------------------------------------------------------------------------------- ODE cross-checks


def _rhs(p: pk.PKParams, extra_cl: float, it_rate_mg_per_h: float):
    q_in = p.csf_plasma_ratio * p.cl_csf_L_per_h

    def f(_t: float, x: np.ndarray) -> list[float]:
        g, a_p, a_c = x
        c_p, c_c = a_p / p.v_L, a_c / p.v_csf_L
        return [
            -p.ka_per_h * g,
            p.ka_per_h * g - (p.cl_L_per_h + extra_cl + q_in) * c_p + p.cl_csf_L_per_h * c_c,
            q_in * c_p - p.cl_csf_L_per_h * c_c + it_rate_mg_per_h,
        ]

    return f


def test_oral_overdose_with_haemodialysis_matches_ode_solver() -> None:
    from scipy.integrate import solve_ivp

    p = o.kidney_params("failed")
    r = o.oral_overdose(
        doses=[(0.0, 800.0), (1.5, 400.0)], params=p, extracorporeal=[o.haemodialysis(6.0, 4.0)]
    )
    x = np.array([p.f_oral * 800.0, 0.0, 0.0])
    check_t, check_c = [], []
    for a, b, extra, add in (
        (0.0, 1.5, 0.0, 0.0),
        (1.5, 6.0, 0.0, p.f_oral * 400.0),
        (6.0, 10.0, o.HAEMODIALYSIS_CL_L_PER_H, 0.0),
        (10.0, 40.0, 0.0, 0.0),
    ):
        x = x + np.array([add, 0.0, 0.0])
        ts = np.linspace(a, b, 7)
        sol = solve_ivp(_rhs(p, extra, 0.0), (a, b), x, method="LSODA", t_eval=ts, rtol=1e-11, atol=1e-14)
        check_t.extend(ts[1:])
        check_c.extend(sol.y[1, 1:] / p.v_L)
        x = sol.y[:, -1]
    np.testing.assert_allclose(r.plasma_at(check_t), check_c, rtol=1e-7)


def test_it_overdose_with_emptying_and_drain_matches_ode_solver() -> None:
    from scipy.integrate import solve_ivp

    p = ADULT
    r = o.intrathecal_overdose(
        600.0, 2400.0, pump_emptied_at_h=6.0, csf_removed_mL=40.0, csf_removed_at_h=6.0, params=p
    )
    rate = 600.0 / 24000.0
    c_p, c_c = rate / p.cl_L_per_h, r.intended_csf_mg_per_L  # exact steady state before the error
    x = np.array([0.0, c_p * p.v_L, c_c * p.v_csf_L])
    sol1 = solve_ivp(
        _rhs(p, 0.0, 4 * rate), (0.0, 6.0), x, method="LSODA", t_eval=[3.0, 6.0], rtol=1e-11, atol=1e-15
    )
    x = sol1.y[:, -1] * np.array([1.0, 1.0, 1.0 - 40.0 / 130.0])
    sol2 = solve_ivp(
        _rhs(p, 0.0, 0.0),
        (6.0, 30.0),
        x,
        method="LSODA",
        t_eval=[6.0, 7.0, 12.0, 30.0],
        rtol=1e-11,
        atol=1e-15,
    )
    _, csf = r.concentrations_at([3.0, 6.0, 7.0, 12.0, 30.0])
    expected = np.concatenate([sol1.y[2, :1], sol2.y[2]]) / p.v_csf_L
    np.testing.assert_allclose(csf, expected, rtol=1e-7)


# ------------------------------------------------------------------------------------------------ cost


@pytest.mark.parametrize(
    "make",
    [
        lambda: o.oral_overdose(1200.0, duration_h=96.0),
        lambda: o.oral_overdose(doses=[(8.0 * i, 10.0) for i in range(15)]),
        lambda: o.oral_overdose(
            doses=[(0.0, 800.0), (1.5, 400.0), (30.0, 600.0)],
            kidneys="failed",
            extracorporeal=[o.haemodialysis(6.0), o.haemofiltration(12.0, 24.0)],
        ),
        lambda: o.intrathecal_overdose(600.0, 2400.0),
        lambda: o.intrathecal_overdose(
            600.0, 2400.0, bolus_ug=500.0, pump_emptied_at_h=6.0, csf_removed_mL=40.0, csf_removed_at_h=6.0
        ),
    ],
    ids=["oral-1200", "oral-10mg-tid", "oral-staggered-dialysis", "it-fourfold", "it-drain"],
)
def test_overdose_results_make_few_engine_calls(engine_calls, make) -> None:  # noqa: ANN001
    """All crossings of all levels and the peak are refined together from one evaluation on the search grid:
    a handful of engine calls per result, not one per root-finder step (which made the widget slow)."""
    with engine_calls() as n:
        make()
    assert 1 <= n[0] <= engine_calls.max_calls


def test_exposure_matches_brentq_in_the_full_model() -> None:
    """Every reported level's hours above and last crossing, full model with dialysis, against brentq."""
    r = o.oral_overdose(
        doses=[(0.0, 800.0), (1.5, 400.0)], kidneys="failed", extracorporeal=[o.haemodialysis(6.0, 4.0)]
    )

    def g(t: float, lvl: float) -> float:
        return float(r.plasma_at([t])[0]) - lvl

    grid = np.linspace(0.0, 400.0, 40001)
    vals = r.plasma_at(grid)
    for lvl, hours, t_below in [(0.4, r.hours_above_therapeutic_max, r.time_below_therapeutic_max_h)] + [
        (row.level_mg_per_L, row.hours_above, row.time_below_h) for row in r.exposure.itertuples()
    ]:
        above = vals > lvl
        idx = np.flatnonzero(above[1:] != above[:-1])
        roots = [brentq(g, grid[i], grid[i + 1], args=(lvl,), xtol=1e-13) for i in idx]
        assert len(roots) % 2 == 0 and len(roots) > 0
        assert hours == pytest.approx(sum(roots[1::2]) - sum(roots[0::2]), abs=1e-8)
        assert t_below == pytest.approx(roots[-1], abs=1e-9)
    t_peak = r.peak_time_h
    assert r.peak_mg_per_L >= vals.max() and r.peak_mg_per_L == pytest.approx(g(t_peak, 0.0), rel=1e-15)


def test_it_exposure_matches_brentq_with_drainage() -> None:
    r = o.intrathecal_overdose(
        600.0, 2400.0, pump_emptied_at_h=6.0, csf_removed_mL=30.0, csf_removed_at_h=6.0, params=ADULT
    )
    c_int = r.intended_csf_mg_per_L

    def g(t: float, lvl: float) -> float:
        return float(r.concentrations_at([t])[1][0]) - lvl

    up2 = brentq(g, 0.0, 6.0 - 1e-9, args=(2.0 * c_int,), xtol=1e-13)
    down2 = brentq(g, 6.0, 48.0, args=(2.0 * c_int,), xtol=1e-13)
    assert r.hours_above_2x_intended == pytest.approx(down2 - up2, abs=1e-8)
    down11 = brentq(g, 6.0, 200.0, args=(1.1 * c_int,), xtol=1e-13)
    assert r.hours_to_intended == pytest.approx(down11, abs=1e-8)
    assert r.peak_csf_mg_per_L == pytest.approx(r.concentrations_at([6.0 - 1e-9])[1][0], rel=1e-9)
    # a larger drainage takes CSF from above to below twice the intended level at once: the crossing is the
    # instant of the drainage (a jump), found exactly
    big = o.intrathecal_overdose(
        600.0,
        2400.0,
        pump_emptied_at_h=6.0,
        csf_removed_mL=40.0,
        csf_removed_at_h=6.0,
        csf_volume_basis="apparent",
        params=ADULT,
    )
    assert big.concentrations_at([6.0])[1][0] < 2.0 * c_int < big.concentrations_at([6.0 - 1e-9])[1][0]
    assert big.hours_above_2x_intended == pytest.approx(6.0 - up2, abs=1e-9)
