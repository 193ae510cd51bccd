"""Regimen builders and label-limit flags (flag, never refuse)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import simpson

from baclofen_teach import pk


def test_repeated_doses_tau_and_until() -> None:
    r = pk.repeated_doses(10.0, 8.0, n_doses=4, start_h=2.0)
    assert [d.time_h for d in r] == [2.0, 10.0, 18.0, 26.0]
    assert [d.time_h for d in pk.repeated_doses(5.0, 12.0, until_h=48.0)] == [0.0, 12.0, 24.0, 36.0]
    assert isinstance(r, list) and r.flags == []


def test_clock_time_doses() -> None:
    r = pk.clock_time_doses([5.0, 5.0, 10.0], days=2)
    assert [d.time_h for d in r] == [8.0, 14.0, 20.0, 32.0, 38.0, 44.0]
    assert r.daily_totals_mg() == {0: 20.0, 1: 20.0}


def test_label_titration_steps_every_three_days() -> None:
    r = pk.label_titration(60.0)
    totals = r.daily_totals_mg()
    assert [totals[d] for d in range(0, 12, 3)] == [15.0, 30.0, 45.0, 60.0]
    assert totals[2] == 15.0 and totals[3] == 30.0
    assert max(totals.values()) == 60.0 and r.flags == []


@pytest.mark.parametrize(
    "jur,cap,target,flagged",
    [
        ("US", 80, 80, False),
        ("US", 80, 90, True),
        ("EU", 100, 100, False),
        ("EU", 100, 105, True),
        ("hospital", 120, 120, False),
        ("hospital", 120, 150, True),
    ],
)
def test_titration_caps_by_jurisdiction_flag_not_refuse(
    jur: str, cap: float, target: float, flagged: bool
) -> None:
    r = pk.label_titration(target, jurisdiction=jur)
    assert max(r.daily_totals_mg().values()) == pytest.approx(target)  # built as asked
    assert any(f"{cap:g} mg/day" in f for f in r.flags) is flagged
    sim = pk.simulate(r, pk.PKParams.adult(), np.linspace(0, 24 * 30, 200))
    assert sim.flags == r.flags


def test_simulate_flags_plain_list_overdose() -> None:
    sim = pk.simulate([pk.Dose(0, 500.0)], pk.PKParams.adult(), [0.0, 2.0])
    assert sim.plasma_mg_per_L[1] > 1.0  # an overdose is simulated, not refused
    assert any("80 mg/day" in f for f in sim.flags) and any("200 mg" in f for f in sim.flags)
    sim_eu = pk.simulate([pk.Dose(0, 90.0)], pk.PKParams.adult(), [0.0], jurisdiction="EU")
    assert sim_eu.flags == []


def test_taper_to_zero() -> None:
    r = pk.taper(60.0, over_days=10)
    totals = r.daily_totals_mg()
    # the one linear taper (pk.taper_schedule): day 0 already reduced, 11 equal falls of 60/11 mg/day
    assert totals[0] == pytest.approx(60.0 * 10 / 11) and totals[9] == pytest.approx(60.0 / 11)
    assert [totals[k] for k in range(10)] == pytest.approx(list(pk.taper_schedule(60.0, 10)[:-1]))
    assert all(totals[k] > totals[k + 1] for k in range(9))
    assert r.flags == []
    assert pk.taper(60.0, over_days=3).flags  # shorter than the 1-2 weeks labels advise


def test_missed_dose_label_rule_and_doubling_error() -> None:
    reg = pk.repeated_doses(10.0, 8.0, n_doses=6)
    late = pk.missed_dose(reg, 2, remembered_at_h=18.0)
    assert (18.0, 10.0) in [(d.time_h, d.amount_mg) for d in late]
    assert sum(d.amount_mg for d in late) == 60.0
    skipped = pk.missed_dose(reg, 2, remembered_at_h=23.0)  # next dose at 24 h is within 2 h
    assert sum(d.amount_mg for d in skipped) == 50.0
    doubled = pk.missed_dose(reg, 2, strategy="double")
    assert (24.0, 20.0) in [(d.time_h, d.amount_mg) for d in doubled]
    assert any("double" in f for f in doubled.flags)
    p = pk.PKParams.adult()
    t = np.linspace(0, 48, 961)
    peak_double = pk.simulate(doubled, p, t).plasma_mg_per_L.max()
    peak_label = pk.simulate(late, p, t).plasma_mg_per_L.max()
    assert peak_double > peak_label


def test_paediatric_caps() -> None:
    ok = pk.paediatric_regimen(40.0, 10.0, mg_per_kg_per_day=1.0)
    assert ok.daily_totals_mg()[0] == pytest.approx(40.0)
    assert not any("maximum" in f for f in ok.flags)
    over = pk.paediatric_regimen(25.0, 6.0, mg_per_kg_per_day=2.0)  # 50 mg/day, under 8 y: cap 40
    assert any("40 mg/day" in f for f in over.flags)
    assert over.daily_totals_mg()[0] == pytest.approx(50.0)
    assert any("60 mg/day" in f for f in pk.paediatric_regimen(40.0, 12.0, 2.0).flags)


def test_kidney_adjusted_regimen_keeps_auc() -> None:
    reg = pk.repeated_doses(10.0, 8.0, n_doses=3)
    adj = pk.kidney_adjusted_regimen(reg, 40.0)
    fac = pk.renal_clearance_factor(40.0)
    assert [d.amount_mg for d in adj] == pytest.approx([10.0 * fac] * 3)
    t = np.linspace(0, 400, 400 * 60 + 1)
    a = simpson(pk.simulate(reg, pk.PKParams.adult(), t).plasma_mg_per_L, x=t)
    b = simpson(pk.simulate(adj, pk.PKParams.renal(40.0), t).plasma_mg_per_L, x=t)
    assert b == pytest.approx(a, rel=1e-7)
    assert pk.kidney_adjusted_regimen(reg, 20.0).flags


def test_intrathecal_flags() -> None:
    rate = pk.regimen_flags([pk.it_infusion_ug_per_day(1200)])
    bolus = pk.regimen_flags([pk.it_bolus_ug(0, 150)])
    assert pk.flag_codes(rate) == {"it_rate_above_experience"} and "1000 µg/day" in rate[0]
    assert pk.flag_codes(bolus) == {"it_bolus_above_screening_max"} and "100 µg" in bolus[0]
    # the >1000 µg/day statement was read only in the German label summary (re-review, December 2026)
    assert rate[0].sources == ("label_de_lioresal_it",)
    assert bolus[0].sources == ("label_lioresal_it",)
    assert pk.regimen_flags([pk.it_bolus_ug(0, 100), pk.it_infusion_ug_per_day(800)]) == []
