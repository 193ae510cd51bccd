"""Structured flags (docs/developers.md, "Flags"): every flag the engine and the scenarios raise is a
pk.Flag with a code and sources that are reference keys, and the text a student reads says µg, never ug
(identifiers such as ``daily_dose_ug`` may)."""

from __future__ import annotations

import re

import pytest

from baclofen_teach import apps, data, overdose, pk, pump, withdrawal

ASCII_MICRO = re.compile(r"(?<![_A-Za-z])ug\b")


def _all_flags() -> list[str]:
    plan = pump.plan_pump(5000.0, 300.0, 19.5, reservoir_volume_mL=30.0)  # many pump flags at once
    out = list(plan.flags)
    out += pump.daily_dose_flags(10.0) + pump.daily_dose_flags(1500.0)
    out += pump.catheter_failure(600.0).flags + pump.missed_refill(plan).flags + pump.battery_end(600.0).flags
    out += (
        pump.concentration_mixup(600.0, 500.0, 2000.0).flags
        + pump.concentration_mixup(600.0, 2000.0, 500.0).flags
    )
    up = pump.concentration_mixup(600.0, 500.0, 2000.0)
    out += withdrawal.intrathecal_withdrawal(up).flags + withdrawal.compare_taper(60.0, 3).flags
    out += overdose.oral_overdose(1200.0, kidneys="failed").flags
    out += overdose.intrathecal_overdose(
        600.0, 2400.0, bolus_ug=500.0, pump_emptied_at_h=2.0, csf_removed_mL=30.0, csf_removed_at_h=2.0
    ).flags
    out += pk.regimen_flags(
        [pk.Dose(0.0, 250.0), pk.it_infusion_ug_per_day(1500.0), pk.it_bolus_ug(0.0, 150.0)]
    )
    out += pk.label_titration(150.0).flags + pk.taper(60.0, 3).flags
    out += pk.missed_dose(pk.repeated_doses(10.0, 8.0, n_doses=6), 2, strategy="double").flags
    out += (
        pk.paediatric_regimen(20.0, 6.0, 3.0).flags
        + pk.kidney_adjusted_regimen([pk.Dose(0.0, 10.0)], 20.0).flags
    )
    out += pk.child_flags(5.0)
    return out


FLAGS = _all_flags()


def test_the_sample_covers_many_codes() -> None:
    assert len(pk.flag_codes(FLAGS)) >= 25


@pytest.mark.parametrize("flag", FLAGS, ids=lambda f: getattr(f, "code", "?"))
def test_every_flag_is_structured(flag: str) -> None:
    assert isinstance(flag, pk.Flag) and flag.code
    assert set(flag.sources) <= data.reference_keys()


@pytest.mark.parametrize("flag", FLAGS, ids=lambda f: getattr(f, "code", "?"))
def test_flags_say_micrograms_as_students_read_them(flag: str) -> None:
    assert not ASCII_MICRO.search(flag), flag


def test_scenario_descriptions_and_app_readouts_say_micrograms() -> None:
    texts = [
        pump.concentration_mixup(600.0, 500.0, 2000.0).description,
        pump.missed_refill(pump.plan_pump(600.0, 2000.0, 20.0)).description,
    ]
    for name in apps.ALL_APPS:
        app = getattr(apps, name)(interactive=False)
        texts += list(app.readouts.values())
    app = apps.PumpApp(interactive=False)
    app.set(daily_dose_ug=3000.0)
    texts += list(app.readouts.values())
    assert [t for t in texts if ASCII_MICRO.search(t)] == []


def test_flag_is_a_string_with_code_and_sources() -> None:
    f = pk.Flag("above 1000 µg/day [label_lioresal_it; label_gablofen]", "it_rate_above_experience")
    assert f == "above 1000 µg/day [label_lioresal_it; label_gablofen]" and f.upper().startswith("ABOVE")
    assert f.sources == ("label_lioresal_it", "label_gablofen")
    assert pk.flag_codes([f, "plain text"]) == {"it_rate_above_experience"}
