"""Tests of baclofen_teach.pump: refill arithmetic (hand calculations), units, flags, bad input."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baclofen_teach import pk, pump

# ------------------------------------------------------------------------------------------------ arithmetic


def test_rates_and_volume_hand_calculation() -> None:
    # 600 ug/day at 2000 ug/mL: 25 ug/h, 0.025 mg/h, 0.3 mL/day
    assert pump.rate_ug_per_h(600.0) == pytest.approx(25.0, rel=1e-15)
    assert pump.rate_mg_per_h(600.0) == pytest.approx(0.025, rel=1e-15)
    assert pump.volume_mL_per_day(600.0, 2000.0) == pytest.approx(0.3, rel=1e-15)


def test_days_to_alarm_and_empty_hand_calculation() -> None:
    # 20 mL fill, 2 mL alarm, 0.3 mL/day: (20 - 2) / 0.3 = 60 days; 20 / 0.3 = 66.67 days
    assert pump.days_to_alarm(20.0, 2.0, 0.3) == pytest.approx(60.0, rel=1e-12)
    assert pump.days_to_empty(20.0, 0.3) == pytest.approx(200.0 / 3.0, rel=1e-12)
    assert pump.days_to_alarm(1.5, 2.0, 0.3) == 0.0
    assert pump.days_to_empty(20.0, 0.0) == math.inf
    assert pump.days_to_alarm(20.0, 2.0, 0.0) == math.inf


def test_plan_pump_hand_calculation_alarm_limits() -> None:
    plan = pump.plan_pump(
        600.0, 2000.0, 20.0, reservoir_volume_mL=20.0, alarm_volume_mL=2.0, fill_date=dt.date(2026, 1, 1)
    )
    assert plan.rate_ug_per_h == pytest.approx(25.0)
    assert plan.volume_mL_per_day == pytest.approx(0.3)
    assert plan.days_to_alarm == pytest.approx(60.0)
    assert plan.days_to_empty == pytest.approx(66.6666666667)
    assert plan.hours_to_empty == pytest.approx(1600.0)
    assert plan.refill_due_day == pytest.approx(60.0)
    assert plan.refill_limited_by == "low-reservoir alarm"
    assert plan.alarm_date == dt.date(2026, 3, 2)  # 1 Jan + 60 days
    assert plan.latest_refill_date == dt.date(2026, 3, 2)
    assert plan.empty_date == dt.date(2026, 3, 8)  # + floor(66.67) = 66 days
    assert plan.drug_in_reservoir_mg == pytest.approx(40.0)


def test_plan_pump_max_refill_interval_limits() -> None:
    # 100 ug/day at 2000 ug/mL in 40 mL: 0.05 mL/day; alarm after (40 - 2) / 0.05 = 760 days > 180
    plan = pump.plan_pump(
        100.0, 2000.0, 40.0, reservoir_volume_mL=40.0, alarm_volume_mL=2.0, fill_date=dt.date(2026, 1, 1)
    )
    assert plan.days_to_alarm == pytest.approx(760.0)
    assert plan.refill_due_day == pytest.approx(pump.MAX_REFILL_INTERVAL_DAYS)
    assert plan.refill_limited_by == "maximum refill interval"
    assert plan.latest_refill_date == dt.date(2026, 1, 1) + dt.timedelta(days=180)
    short = pump.plan_pump(100.0, 2000.0, 40.0, reservoir_volume_mL=40.0, max_refill_interval_days=90.0)
    assert short.refill_due_day == 90.0


def test_alarm_volume_is_a_parameter_and_default_is_flagged_assumption() -> None:
    assert pump.LOW_RESERVOIR_ALARM_ASSUMED_ML == 2.0
    default = pump.plan_pump(600.0, 2000.0, 20.0)
    assert any("assumed default" in f for f in default.flags)
    custom = pump.plan_pump(600.0, 2000.0, 20.0, alarm_volume_mL=4.0)
    assert custom.days_to_alarm == pytest.approx((20.0 - 4.0) / 0.3)
    assert not any("assumed default" in f for f in custom.flags)


def test_eri_stop_is_90_days_later() -> None:
    assert pump.ERI_TO_STOP_DAYS == 90.0
    assert pump.battery_stop_day(100.0) == 190.0


@given(
    dose=st.floats(1.0, 5000.0),
    conc=st.floats(10.0, 3000.0),
    fill=st.floats(2.5, 40.0),
    alarm=st.floats(0.0, 2.0),
)
def test_days_identity_property(dose: float, conc: float, fill: float, alarm: float) -> None:
    plan = pump.plan_pump(dose, conc, fill, reservoir_volume_mL=40.0, alarm_volume_mL=alarm)
    # volume pumped until the alarm + alarm volume == fill volume
    assert plan.days_to_alarm * plan.volume_mL_per_day + alarm == pytest.approx(fill, rel=1e-9)
    assert plan.days_to_empty * plan.volume_mL_per_day == pytest.approx(fill, rel=1e-9)
    assert plan.days_to_alarm <= plan.days_to_empty
    assert plan.refill_due_day <= plan.max_refill_interval_days
    # the drug delivered until empty equals the drug filled (mg)
    assert plan.rate_mg_per_h * plan.hours_to_empty == pytest.approx(plan.drug_in_reservoir_mg, rel=1e-9)


# ------------------------------------------------------------------------------------------------ units


def test_unit_conversions_exact() -> None:
    assert pump.ug_to_mg(500.0) == 0.5
    assert pump.mg_to_ug(0.5) == 500.0
    assert pump.UG_PER_MG == 1000.0


def test_1000x_mixup_is_flagged_not_refused() -> None:
    # intended 500 ug/day typed as 0.5 (the mg value) -> flagged as a possible mg/ug mix-up
    low = pump.plan_pump(0.5, 2000.0, 20.0)
    assert any("mix-up" in f for f in low.flags)
    # intended 500 ug/day typed as 500000 -> flagged as overdose / 1000-fold unit error, still computed
    high = pump.plan_pump(500_000.0, 2000.0, 20.0)
    assert any("1000-fold" in f and "OVERDOSE" in f for f in high.flags)
    assert high.rate_mg_per_h == pytest.approx(500_000.0 / 24 / 1000)
    # the engine rate of a normal dose is mg/h: 500 ug/day -> 0.0208333 mg/h, not 20.8
    assert pump.plan_pump(500.0, 2000.0, 20.0).rate_mg_per_h == pytest.approx(500.0 / 24000.0)


def test_dose_flags_thresholds() -> None:
    assert pump.daily_dose_flags(600.0) == []
    assert any("limited" in f for f in pump.daily_dose_flags(1200.0))
    assert pump.concentration_flags(2000.0) == []
    assert pump.concentration_flags(1500.0)
    assert any("mg/mL" in f for f in pump.concentration_flags(2.0))  # 2 mg/mL typed as ug/mL


# ------------------------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"daily_dose_ug": -1.0}, "daily_dose_ug"),
        ({"daily_dose_ug": math.nan}, "daily_dose_ug"),
        ({"concentration_ug_per_mL": 0.0}, "concentration_ug_per_mL"),
        ({"fill_volume_mL": -5.0}, "fill_volume_mL"),
        ({"fill_volume_mL": 25.0}, "fill_volume_mL"),  # above the 20 mL reservoir
        ({"alarm_volume_mL": -1.0}, "alarm_volume_mL"),
        ({"alarm_volume_mL": 20.0}, "alarm_volume_mL"),
        ({"reservoir_volume_mL": math.inf}, "reservoir_volume_mL"),
        ({"max_refill_interval_days": 0.0}, "max_refill_interval_days"),
        ({"fill_date": "2026-01-01"}, "fill_date"),
    ],
)
def test_bad_input_names_parameter(kwargs: dict, name: str) -> None:
    args = {"daily_dose_ug": 600.0, "concentration_ug_per_mL": 2000.0, "fill_volume_mL": 20.0}
    args.update(kwargs)
    with pytest.raises(ValueError, match=name) as info:
        pump.plan_pump(**args)
    assert repr(next(iter(kwargs.values()))) in str(info.value) or "nan" in str(info.value)


# ------------------------------------------------------------------------------------------------ scenarios

ADULT = pk.PKParams.adult()


def test_steady_state_csf_closed_form_before_failure() -> None:
    # at steady state all drug leaves through CL: C_p = R/CL; CSF: C_csf = R/CL_csf + ratio * C_p
    s = pump.catheter_failure(600.0, failure_time_h=24.0, params=ADULT)
    r = 600.0 / 24.0 / 1000.0  # mg/h
    c_p = r / ADULT.cl_L_per_h
    c_csf = r / ADULT.cl_csf_L_per_h + ADULT.csf_plasma_ratio * c_p
    assert s.pre_failure_plasma_mg_per_L == pytest.approx(c_p, rel=1e-9)
    assert s.pre_failure_csf_mg_per_L == pytest.approx(c_csf, rel=1e-9)
    before = s.times_h < s.failure_time_h
    assert np.allclose(s.csf_mg_per_L[before], c_csf, rtol=1e-9)


def test_single_compartment_csf_t50_t10_closed_form() -> None:
    # csf_plasma_ratio = 0: nothing flows from plasma to CSF, so after a stop the CSF falls with the single
    # exponential k = CL_csf / V_csf: t50 = ln2 / k and t10 = ln10 / k exactly.
    p = ADULT.with_(csf_plasma_ratio=0.0)
    k = p.cl_csf_L_per_h / p.v_csf_L
    s = pump.catheter_failure(600.0, failure_time_h=10.0, params=p, step_h=0.37)
    assert s.hours_to_csf_50pct == pytest.approx(math.log(2) / k, rel=1e-9)
    assert s.hours_to_csf_10pct == pytest.approx(math.log(10) / k, rel=1e-9)
    after = s.hours_since_failure >= 0
    expected = s.pre_failure_csf_mg_per_L * np.exp(-k * s.hours_since_failure[after])
    assert np.allclose(s.csf_mg_per_L[after], expected, rtol=1e-9)


def test_crossing_times_hit_the_levels_in_full_model() -> None:
    s = pump.catheter_failure(600.0, failure_time_h=30.0, params=ADULT)
    for frac, dt_h in ((0.5, s.hours_to_csf_50pct), (0.1, s.hours_to_csf_10pct)):
        _, csf = s.concentrations_at([s.failure_time_h + dt_h])
        assert csf[0] == pytest.approx(frac * s.pre_failure_csf_mg_per_L, rel=1e-8)
    # the CSF exchange with plasma makes the fall slightly slower than the CSF-only half-life
    assert s.hours_to_csf_50pct >= ADULT.csf_half_life_h
    after = s.csf_mg_per_L[s.hours_since_failure >= 0]
    assert np.all(np.diff(after) <= 0) and np.all(after >= 0)


def test_fourfold_concentration_mixup_gives_four_times_csf_steady_state() -> None:
    mix = pump.concentration_mixup(
        600.0,
        programmed_concentration_ug_per_mL=500.0,
        filled_concentration_ug_per_mL=2000.0,
        refill_time_h=24.0,
        params=ADULT,
        post_h=400.0,
        step_h=0.5,
    )
    assert mix.delivered_ratio == 4.0
    assert mix.daily_dose_after_ug == 2400.0
    assert mix.csf_mg_per_L[-1] == pytest.approx(4.0 * mix.pre_failure_csf_mg_per_L, rel=1e-9)
    assert mix.plasma_mg_per_L[-1] == pytest.approx(4.0 * mix.pre_failure_plasma_mg_per_L, rel=1e-9)
    assert math.isinf(mix.hours_to_csf_50pct)
    assert any("OVERDOSE" in f for f in mix.flags)
    # superposition: mix-up(t) - pre = (ratio - 1) * (pre - stop(t)), exactly (linear model)
    stop = pump.catheter_failure(600.0, failure_time_h=24.0, params=ADULT, post_h=400.0, step_h=0.5)
    np.testing.assert_allclose(
        mix.csf_mg_per_L - mix.pre_failure_csf_mg_per_L,
        3.0 * (stop.pre_failure_csf_mg_per_L - stop.csf_mg_per_L),
        atol=1e-12,
    )


def test_underdose_mixup_flags_withdrawal_and_never_reaches_10pct() -> None:
    mix = pump.concentration_mixup(600.0, 2000.0, 500.0, params=ADULT)
    assert mix.delivered_ratio == 0.25
    assert any("UNDERDOSE" in f for f in mix.flags)
    assert math.isfinite(mix.hours_to_csf_50pct)
    assert math.isinf(mix.hours_to_csf_10pct)  # new steady state is 25 % of the old one


def test_missed_refill_fails_when_the_reservoir_is_empty() -> None:
    plan = pump.plan_pump(600.0, 2000.0, 20.0)
    s = pump.missed_refill(plan, params=ADULT)
    assert s.failure_time_h == pytest.approx(20.0 / 0.3 * 24.0)
    assert s.delivered_ratio == 0.0
    # one intrathecal infusion that stops when the reservoir is empty
    inf = [e for e in s.events if isinstance(e, pk.Infusion)]
    assert len(inf) == 1 and inf[0].stop_h - s.warmup_h == pytest.approx(plan.hours_to_empty)
    ref = pump.catheter_failure(600.0, failure_time_h=s.failure_time_h, params=ADULT)
    np.testing.assert_allclose(s.csf_mg_per_L, ref.csf_mg_per_L, rtol=1e-12)


def test_battery_end_stops_90_days_after_eri() -> None:
    s = pump.battery_end(600.0, eri_time_h=100.0, params=ADULT)
    assert s.failure_time_h == pytest.approx(100.0 + 90.0 * 24.0)
    assert s.delivered_ratio == 0.0


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: pump.catheter_failure(-1.0), "daily_dose_ug"),
        (lambda: pump.catheter_failure(600.0, failure_time_h=-5.0), "failure_time_h"),
        (lambda: pump.catheter_failure(600.0, post_h=0.0), "post_h"),
        (lambda: pump.catheter_failure(600.0, params="adult"), "params"),
        (lambda: pump.missed_refill("plan"), "plan"),
        (lambda: pump.catheter_failure(600.0, step_h=1e-6), "step_h"),
        (lambda: pump.battery_end(600.0, eri_time_h=math.inf), "eri_time_h"),
        (lambda: pump.concentration_mixup(600.0, 0.0, 500.0), "programmed_concentration_ug_per_mL"),
        (lambda: pump.concentration_mixup(600.0, 500.0, -1.0), "filled_concentration_ug_per_mL"),
    ],
)
def test_scenario_bad_input(call, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        call()


def test_unit_aware_quantities_are_converted_exactly() -> None:
    from baclofen_teach import units

    a = pump.plan_pump(units.mg_per_day(0.6), 2000.0, 20.0)  # 0.6 mg/day == 600 ug/day
    b = pump.plan_pump(600.0, 2000.0, 20.0)
    assert a.daily_dose_ug == pytest.approx(600.0) and a.days_to_empty == pytest.approx(b.days_to_empty)
    with pytest.raises(ValueError, match="daily_dose_ug"):
        pump.plan_pump(units.ug(600.0), 2000.0, 20.0)  # an amount is not a rate


def test_plan_infusion_drives_the_engine() -> None:
    plan = pump.plan_pump(600.0, 2000.0, 2.4)  # 8 days of drug
    (inf,) = plan.infusion(start_h=0.0)
    assert inf.route == "it" and inf.rate_mg_per_h == pytest.approx(0.025)
    assert inf.stop_h == pytest.approx(plan.hours_to_empty)
    assert inf.total_mg == pytest.approx(plan.drug_in_reservoir_mg)
    sim = pk.simulate(plan.infusion(), ADULT, [plan.hours_to_empty - 1.0, plan.hours_to_empty + 24.0])
    assert sim.csf_mg_per_L[1] < 0.01 * sim.csf_mg_per_L[0]


@settings(max_examples=25, deadline=None)
@given(dose=st.floats(10.0, 5000.0), t_fail=st.floats(0.0, 200.0))
def test_scenario_linear_in_dose_and_t50_dose_independent(dose: float, t_fail: float) -> None:
    ref = pump.catheter_failure(600.0, failure_time_h=t_fail, params=ADULT, post_h=24.0, step_h=0.5)
    s = pump.catheter_failure(dose, failure_time_h=t_fail, params=ADULT, post_h=24.0, step_h=0.5)
    np.testing.assert_allclose(s.csf_mg_per_L, ref.csf_mg_per_L * dose / 600.0, rtol=1e-9, atol=1e-15)
    assert s.hours_to_csf_50pct == pytest.approx(ref.hours_to_csf_50pct, rel=1e-8)
    assert np.all(s.csf_mg_per_L >= 0) and np.all(s.plasma_mg_per_L >= 0)


def test_mixup_is_the_same_event_in_the_overdose_view() -> None:
    from baclofen_teach import overdose

    delivered = pump.delivered_daily_dose_ug(600.0, 500.0, 2000.0)
    assert delivered == 2400.0
    mix = pump.concentration_mixup(600.0, 500.0, 2000.0, refill_time_h=10.0, params=ADULT)
    od = overdose.intrathecal_overdose(600.0, delivered, error_start_h=10.0, params=ADULT)
    t = np.array([5.0, 10.0, 11.0, 20.0, 50.0])
    np.testing.assert_allclose(mix.concentrations_at(t)[1], od.concentrations_at(t)[1], rtol=1e-9)


# ------------------------------------------------------------------------------------------------ cost


@pytest.mark.parametrize(
    "make",
    [
        lambda: pump.catheter_failure(600.0, failure_time_h=24.0),
        lambda: pump.catheter_failure(100.0, failure_time_h=0.0, params=pk.PKParams.renal(10.0), step_h=0.02),
        lambda: pump.missed_refill(pump.plan_pump(600.0, 2000.0, 20.0)),
        lambda: pump.battery_end(600.0, eri_time_h=100.0),
        lambda: pump.concentration_mixup(600.0, 2000.0, 50.0),  # underdose: both crossings
        lambda: pump.concentration_mixup(600.0, 500.0, 2000.0),  # overdose: no crossing
    ],
    ids=["catheter", "catheter-renal-fine", "missed-refill", "battery", "mixup-under", "mixup-over"],
)
def test_pump_scenarios_make_few_engine_calls(engine_calls, make) -> None:  # noqa: ANN001
    """Crossings are refined together from one evaluation on the search grid: a handful of engine calls per
    scenario, not one call per root-finder step (which made the widget slow)."""
    with engine_calls() as n:
        make()
    assert 1 <= n[0] <= engine_calls.max_calls


@pytest.mark.parametrize("csf_ratio", [0.0, None])
def test_crossings_match_brentq_on_the_exact_curve(csf_ratio: float | None) -> None:
    from scipy.optimize import brentq

    p = ADULT if csf_ratio is None else ADULT.with_(csf_plasma_ratio=csf_ratio)
    for s in (
        pump.catheter_failure(600.0, failure_time_h=30.0, params=p, step_h=0.25),
        pump.concentration_mixup(600.0, 2000.0, 50.0, refill_time_h=5.0, params=p),
    ):
        for frac, got in ((0.5, s.hours_to_csf_50pct), (0.1, s.hours_to_csf_10pct)):

            def g(dt: float, frac: float = frac, s: pump.PumpScenario = s) -> float:
                return s.concentrations_at([s.failure_time_h + dt])[1][0] - frac * s.pre_failure_csf_mg_per_L

            assert got == pytest.approx(brentq(g, 1e-6, 200.0, xtol=1e-13), abs=1e-9)
