"""PumpApp: reservoir arithmetic, failure scenarios and the plotted CSF curve equal baclofen_teach.pump's."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from baclofen_teach import apps, pump

from .conftest import assert_ok, sweep


def expected_scenario(app: apps.PumpApp) -> tuple[pump.PumpPlan, pump.PumpScenario]:
    dose, conc = app.value("daily_dose_ug"), app.value("concentration_ug_per_mL")
    res, scen, t = app.value("reservoir_mL"), app.value("scenario"), app.value("failure_day") * 24.0
    plan = pump.plan_pump(dose, conc, fill_volume_mL=res, reservoir_volume_mL=res)
    kw = {"pre_h": 24.0, "post_h": 96.0, "step_h": 0.1}
    if scen == "missed_refill":
        return plan, pump.missed_refill(plan, **kw)
    if scen == "catheter":
        return plan, pump.catheter_failure(dose, failure_time_h=t, **kw)
    if scen == "battery":
        return plan, pump.battery_end(dose, eri_time_h=t, **kw)
    filled = app.value("filled_concentration_ug_per_mL")
    return plan, pump.concentration_mixup(dose, conc, filled, refill_time_h=t, **kw)


def check_against_engine(app: apps.PumpApp, context: str) -> None:
    assert_ok(app, context)
    plan, s = expected_scenario(app)
    np.testing.assert_allclose(app.artists["csf"].get_xdata(), s.hours_since_failure, err_msg=context)
    np.testing.assert_allclose(app.artists["csf"].get_ydata(), s.csf_mg_per_L, rtol=1e-12, err_msg=context)
    days = np.asarray(app.artists["volume"].get_xdata())
    np.testing.assert_allclose(
        app.artists["volume"].get_ydata(),
        np.clip(plan.fill_volume_mL - plan.volume_mL_per_day * days, 0, None),
    )
    assert app.artists["alarm_day"].get_xdata()[0] == pytest.approx(plan.days_to_alarm)
    assert app.artists["refill_day"].get_xdata()[0] == pytest.approx(plan.refill_due_day)
    assert app.artists["failure_day"].get_xdata()[0] == pytest.approx(s.failure_time_h / 24.0)
    n = app.numbers
    assert n["days_to_empty"] == pytest.approx(plan.days_to_empty)
    assert n["hours_to_csf_50pct"] == pytest.approx(s.hours_to_csf_50pct)
    assert n["csf_before_mg_per_L"] == pytest.approx(s.pre_failure_csf_mg_per_L)
    assert app.readouts["csf_before"] == f"{s.pre_failure_csf_mg_per_L:.3g} mg/L"
    assert app.readouts["empty"].startswith(f"day {plan.days_to_empty:.1f} after the fill")
    windows_shown = all(app.artists[k].get_visible() for k in app.artists if k.startswith("window_"))
    assert windows_shown == (s.delivered_ratio < 1.0), context


@pytest.mark.parametrize("scenario", ["missed_refill", "catheter", "battery", "mixup"])
def test_every_control_min_max_random(scenario: str) -> None:
    app = apps.PumpApp(scenario=scenario, interactive=False)
    check_against_engine(app, "initial")
    for name, value in sweep(app, seed=11, n_random=2):
        check_against_engine(app, f"{scenario}: {name}={value!r}")


def test_missed_refill_timeline_and_dates() -> None:
    app = apps.PumpApp(
        daily_dose_ug=500,
        concentration_ug_per_mL=2000.0,
        reservoir_mL=20.0,
        fill_date=dt.date(2026, 1, 1),
        interactive=False,
    )
    # 20 mL x 2000 ug/mL = 40 mg; 500 ug/day = 0.25 mL/day: alarm at 2 mL after 72 days, empty after 80 days
    assert app.numbers["volume_mL_per_day"] == pytest.approx(0.25)
    assert app.numbers["days_to_alarm"] == pytest.approx(72.0)
    assert app.numbers["days_to_empty"] == pytest.approx(80.0)
    assert app.readouts["alarm"].startswith("day 72.0 after the fill (2026-03-14)")
    assert "assumed default" in app.readouts["status"]
    assert "present by 18 h in a reported case: hallucinations" in app.readouts["symptoms"]
    assert app.readouts["symptoms"].startswith("No safe interval")


def test_mixup_overdose_hides_withdrawal_windows() -> None:
    app = apps.PumpApp(
        scenario="mixup",
        concentration_ug_per_mL=500.0,
        filled_concentration_ug_per_mL=2000.0,
        interactive=False,
    )
    assert app.numbers["delivered_ratio"] == pytest.approx(4.0)
    assert "OVERDOSE" in app.readouts["status"]
    assert app.readouts["symptoms"].startswith("not a withdrawal scenario")
    check_against_engine(app, "mixup x4")


def test_units_and_static() -> None:
    app = apps.PumpApp(interactive=False)
    assert app.ax_res.get_ylabel() == "Volume in the reservoir (mL)"
    assert app.ax_csf.get_ylabel() == "CSF concentration (mg/L)"
    assert app.controls["daily_dose_ug"].continuous_update is False  # scenario update is not cheap
    text = app.static()._repr_mimebundle_()["text/plain"]
    assert "Reservoir empty: day 80.0 after the fill" in text


@pytest.mark.parametrize("scenario", ["missed_refill", "catheter", "battery", "mixup"])
def test_student_facing_text_uses_micrograms_and_no_parameter_names(scenario: str) -> None:
    app = apps.PumpApp(interactive=False, scenario=scenario, failure_day=30)
    text = " ".join(app.readouts.values())
    assert "ug/" not in text and "µg/" in text  # one spelling of micrograms in every readout
    assert "alarm_volume_mL" not in text
    assert "The low-reservoir alarm volume of 2 mL is an assumed default" in app.readouts["status"]


@pytest.mark.parametrize("scenario", ["missed_refill", "catheter", "battery"])
def test_no_band_for_a_life_threatening_sign_starts_after_its_earliest_report(scenario: str) -> None:
    """Review row 8 (dangerous): the app never draws the first day after a stop as safe. Every band holding a
    life-threatening sign starts at the stop (0 h), no later than the sign's earliest reported time; every
    life-threatening sign of the table is inside a visible band."""
    from baclofen_teach import withdrawal as wd

    app = apps.PumpApp(scenario=scenario, interactive=False)
    it = wd.symptom_table("intrathecal")
    lt = it[it["life_threatening"] & (it["course_duration_h_max"] <= 96.0)]
    in_band: set[str] = set()
    for i, (_, start, _end, syms) in enumerate(app._windows):
        patch = app.artists[f"window_{i}"]
        assert patch.get_visible()
        x0 = patch.get_x()
        assert x0 == pytest.approx(start) and start == 0.0
        for sym in syms:
            row = it[it["symptom"] == sym].iloc[0]
            if row["life_threatening"] and np.isfinite(row["earliest_report_h"]):
                assert start <= row["earliest_report_h"]
        in_band.update(syms)
    assert set(lt["symptom"]) <= in_band
    # the earliest reports are marked where the table puts them
    hours = sorted(h for h, _, _ in app._reports)
    assert hours[0] <= 8.0
    for i, (h, _, _) in enumerate(app._reports):
        assert app.artists[f"report_{i}"].get_xdata()[0] == pytest.approx(h)
