"""pk.mean_concentrations (exact averages by mass balance) and pk.oral_regimen (the oral dosing app's
schedule, moved out of the app layer)."""

from __future__ import annotations

import numpy as np
import pytest

from baclofen_teach import pk


def test_mean_concentrations_equal_a_fine_quadrature() -> None:
    p = pk.PKParams.adult()
    ev = [pk.Dose(8.0 * i, 20.0, "oral") for i in range(9)] + [
        pk.it_infusion_ug_per_day(500.0, start_h=3.0, stop_h=50.0),
        pk.Dose(20.0, 1.0, "iv"),
    ]
    t = np.linspace(48.0, 72.0, 240_001)
    sim = pk.simulate(ev, p, t)
    plasma, csf = pk.mean_concentrations(ev, p, 48.0, 72.0)
    assert plasma == pytest.approx(np.trapezoid(sim.plasma_mg_per_L, t) / 24.0, rel=1e-9)
    assert csf == pytest.approx(np.trapezoid(sim.csf_mg_per_L, t) / 24.0, rel=1e-9)


def test_mean_concentrations_at_steady_state_is_css_avg() -> None:
    p = pk.PKParams.adult()
    ev = pk.repeated_doses(20.0, 8.0, n_doses=60)
    plasma, _ = pk.mean_concentrations(ev, p, 24.0 * 15, 24.0 * 16)
    assert plasma == pytest.approx(pk.css_avg(20.0, 8.0, p.cl_L_per_h, p.f_oral), rel=1e-9)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: pk.mean_concentrations([], pk.PKParams.adult(), 2.0, 1.0), "stop_h"),
        (lambda: pk.mean_concentrations([pk.CsfDrain(1.0, 0.2)], pk.PKParams.adult(), 0.0, 2.0), "events"),
        (lambda: pk.oral_regimen(-1.0, 3, 2), "dose_mg"),
        (lambda: pk.oral_regimen(10.0, 0, 2), "doses_per_day"),
        (lambda: pk.oral_regimen(10.0, 3, 2, schedule="fast"), "schedule"),
        (lambda: pk.oral_regimen(10.0, 3, 2, event="tripled"), "event"),
    ],
)
def test_bad_input_names_the_parameter(call, name: str) -> None:
    with pytest.raises(pk.PKInputError, match=name):
        call()


def test_oral_regimen_titration_is_the_label_rule() -> None:
    ev = pk.oral_regimen(20.0, 3, 12, schedule="titration")
    per_day = [ev[3 * d].amount_mg for d in range(12)]
    assert per_day == [pk.titration_dose_mg(d, 20.0) for d in range(12)]
    lab = pk.label_titration(60.0, days=12)  # the same rule at the label's clock times
    assert [d.amount_mg for d in lab] == [e.amount_mg for e in ev]
