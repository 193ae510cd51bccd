"""Tests of the scipy-free scalar root finder and maximiser used at run time."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baclofen_teach._numerics import find_root, maximise


@settings(max_examples=60, deadline=None)
@given(k=st.floats(0.01, 5.0), level=st.floats(0.01, 0.99))
def test_find_root_exponential_decay_matches_closed_form(k: float, level: float) -> None:
    t_exact = -math.log(level) / k
    t = find_root(lambda x: math.exp(-k * x) - level, 0.0, t_exact * 3 + 1.0, xtol=1e-12)
    assert t == pytest.approx(t_exact, rel=1e-9, abs=1e-11)


def test_find_root_requires_a_bracket() -> None:
    with pytest.raises(ValueError, match="differ"):
        find_root(lambda x: x * x + 1.0, -1.0, 1.0)


@settings(max_examples=40, deadline=None)
@given(ka=st.floats(0.2, 5.0), ke=st.floats(0.05, 0.5))
def test_maximise_bateman_peak_time(ka: float, ke: float) -> None:
    if abs(ka - ke) < 1e-3:
        return
    tmax = math.log(ka / ke) / (ka - ke)
    def bateman(t: float) -> float:  # positive for ka > ke and for ka < ke
        return (math.exp(-ke * t) - math.exp(-ka * t)) / (ka - ke)

    x, fx = maximise(bateman, 0.0, 10 * tmax, xtol=1e-12)
    assert x == pytest.approx(tmax, rel=1e-5)
    assert fx == pytest.approx(bateman(tmax), rel=1e-12)


def test_runtime_package_does_not_import_scipy() -> None:
    """SciPy is a test-only dependency: the student environment must not need it."""
    import subprocess
    import sys

    code = ("import sys; import baclofen_teach.pump, baclofen_teach.overdose, baclofen_teach.withdrawal, "
            "baclofen_teach.pk; from baclofen_teach import pump, overdose;"
            "pl = pump.plan_pump(daily_dose_ug=400, concentration_ug_per_mL=500, fill_volume_mL=20);"
            "sc = pump.catheter_failure(daily_dose_ug=400, failure_time_h=48);"
            "r = overdose.oral_overdose(amount_mg=300);"
            "print('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stdout + out.stderr
