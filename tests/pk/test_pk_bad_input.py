"""One test per bad-input rule: each raises ValueError naming the parameter, the value and what is allowed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from baclofen_teach import pk, units

P = pk.PKParams.adult()


@pytest.mark.parametrize("amount", [-1.0, math.nan, math.inf, -math.inf])
def test_bad_dose_amount(amount: float) -> None:
    with pytest.raises(ValueError, match=r"Dose\.amount_mg.*>= 0.*got"):
        pk.Dose(0.0, amount, "oral")


@pytest.mark.parametrize("time", [-0.5, math.nan, math.inf])
def test_bad_dose_time(time: float) -> None:
    with pytest.raises(ValueError, match=r"Dose\.time_h.*got"):
        pk.Dose(time, 10.0, "oral")


@pytest.mark.parametrize("route", ["nasal", "IV ", "", None, 3])
def test_unknown_dose_route(route: object) -> None:
    if route == "IV ":  # case and surrounding spaces are tolerated
        assert pk.Dose(0, 1, route).route == "iv"
        return
    with pytest.raises(ValueError, match=r"Dose\.route must be one of 'oral', 'iv', 'it'; got"):
        pk.Dose(0.0, 1.0, route)  # type: ignore[arg-type]


def test_unknown_infusion_route() -> None:
    with pytest.raises(ValueError, match=r"Infusion\.route must be one of 'iv', 'it'; got 'oral'"):
        pk.Infusion(0, 1, 1.0, "oral")


@pytest.mark.parametrize("rate", [-0.1, math.nan, math.inf])
def test_bad_infusion_rate(rate: float) -> None:
    with pytest.raises(ValueError, match=r"Infusion\.rate_mg_per_h.*got"):
        pk.Infusion(0, 1, rate, "iv")


def test_infusion_stop_before_start() -> None:
    with pytest.raises(ValueError, match=r"Infusion\.stop_h must be >= start_h \(5\.0 h\); got 2\.0"):
        pk.Infusion(5.0, 2.0, 1.0, "iv")
    assert pk.Infusion(0.0, math.inf, 1.0).stop_h == math.inf  # never stops: allowed


@pytest.mark.parametrize("start", [-1.0, math.nan, math.inf])
def test_bad_infusion_start(start: float) -> None:
    with pytest.raises(ValueError, match=r"Infusion\.start_h"):
        pk.Infusion(start, 10.0, 1.0)


@pytest.mark.parametrize(
    "field,value",
    [
        ("ka_per_h", 0.0),
        ("ka_per_h", -1.0),
        ("ka_per_h", math.nan),
        ("ka_per_h", math.inf),
        ("cl_L_per_h", 0.0),
        ("cl_L_per_h", -2.0),
        ("cl_L_per_h", math.nan),
        ("v_L", 0.0),
        ("v_L", -5.0),
        ("v_L", math.inf),
        ("v_csf_L", 0.0),
        ("cl_csf_L_per_h", -0.03),
        ("csf_plasma_ratio", -0.1),
        ("csf_plasma_ratio", math.nan),
    ],
)
def test_bad_volumes_clearances_rates(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=rf"{field}.*got"):
        P.with_(**{field: value})


@pytest.mark.parametrize("f", [0.0, -0.2, 1.01, math.nan, 5e-324, 1e-4])
def test_f_outside_zero_one(f: float) -> None:
    with pytest.raises(ValueError, match=r"f_oral \(bioavailability\) must be .*>= 0.001 and <= 1; got"):
        P.with_(f_oral=f)


def test_f_equal_one_is_allowed() -> None:
    assert P.with_(f_oral=1.0).f_oral == 1.0


def test_times_not_one_dimensional() -> None:
    with pytest.raises(ValueError, match=r"times_h must be a 1-D array.*2 dimension"):
        pk.simulate([], P, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"times_h must be a 1-D array"):
        pk.simulate([], P, 3.0)


def test_times_not_ascending() -> None:
    with pytest.raises(ValueError, match=r"times_h must be in ascending order.*got 2\.0 followed by 1\.0"):
        pk.simulate([], P, [0.0, 2.0, 1.0])


@pytest.mark.parametrize("bad", [[0.0, math.nan], [0.0, math.inf], [-1.0, 0.0], ["a", "b"]])
def test_times_nan_inf_negative_or_not_numeric(bad: list) -> None:
    with pytest.raises(ValueError, match="times_h"):
        pk.simulate([], P, bad)


def test_invalid_times_on_a_uniform_grid_are_caught() -> None:
    """The uniform-grid fast path certifies order and finiteness; anything else is fully validated."""
    reg = pk.repeated_doses(10.0, 8.0, n_doses=3)
    t = np.arange(24 * 4) / 4.0
    bad = t.copy()
    bad[50] = math.nan
    with pytest.raises(ValueError, match="times_h must contain only finite numbers"):
        pk.simulate(reg, P, bad)
    swapped = t.copy()
    swapped[[40, 41]] = swapped[[41, 40]]
    with pytest.raises(ValueError, match="times_h must be in ascending order"):
        pk.simulate(reg, P, swapped)
    assert pk.simulate(reg, P, t).plasma_mg_per_L.shape == t.shape


def test_events_wrong_type() -> None:
    with pytest.raises(ValueError, match=r"events\[1\] must be a Dose"):
        pk.simulate([pk.Dose(0, 1), {"time_h": 1}], P, [0.0])
    with pytest.raises(ValueError, match="events must be a list"):
        pk.simulate("dose", P, [0.0])
    with pytest.raises(ValueError, match="params must be a PKParams"):
        pk.simulate([], {"ka_per_h": 1}, [0.0])  # type: ignore[arg-type]


def test_microgram_quantity_never_used_as_bare_number() -> None:
    d = pk.Dose(0, units.ug(100), "it")
    assert d.amount_mg == pytest.approx(0.1, rel=1e-15)
    with pytest.raises(ValueError, match=r"Infusion\.rate_mg_per_h must be a quantity convertible to mg/h"):
        pk.Infusion(0, 1, units.ug(600), "it")  # an amount where a rate is needed


def test_remove_fraction_and_clearance_window_validation() -> None:
    with pytest.raises(ValueError, match=r"RemoveFraction\.fraction must be .*<= 1; got 1\.5"):
        pk.CsfDrain(1.0, 1.5)
    with pytest.raises(ValueError, match=r"RemoveFraction\.compartment must be one of"):
        pk.RemoveFraction(1.0, "brain", 0.5)
    with pytest.raises(ValueError, match=r"ClearanceWindow\.extra_cl_L_per_h"):
        pk.ClearanceWindow(0, 4, -1.0)
    with pytest.raises(ValueError, match=r"ClearanceWindow\.stop_h must be >= start_h"):
        pk.ClearanceWindow(4, 2, 7.7)


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: pk.k_from_half_life(0.0), "half_life_h"),
        (lambda: pk.k_from_half_life(-3.0), "half_life_h"),
        (lambda: pk.half_life_from_k(math.nan), "k_per_h"),
        (lambda: pk.fraction_remaining(-1.0, 4.0), "t_h"),
        (lambda: pk.fraction_remaining(np.array([1.0, -1.0]), 4.0), "t_h"),
        (lambda: pk.time_to_fall_below(-1.0, 0.1, 4.0), "c0_mg_per_L"),
        (lambda: pk.time_to_fall_below(1.0, 0.0, 4.0), "threshold_mg_per_L"),
        (lambda: pk.accumulation_factor(0.2, 0.0), "tau_h"),
        (lambda: pk.time_to_steady_state(4.0, fraction=1.0), "fraction"),
        (lambda: pk.css_avg(10, 8, 8.0, f=1.2), "f"),
        (lambda: pk.css_avg(-10, 8, 8.0), "dose_mg"),
        (lambda: pk.css_avg(10, 8, math.inf), "cl_L_per_h"),
        (lambda: pk.nca([0, 1, 2], [0, 1]), "conc"),
        (lambda: pk.nca([0, 2, 1], [0, 1, 2]), "times_h"),
        (lambda: pk.nca([0, 1, 2], [0, -1, 2]), "conc"),
        (lambda: pk.PKParams.child(weight_kg=0.0), "weight_kg"),
        (lambda: pk.PKParams.renal(-5.0), "crcl_mL_per_min"),
        (lambda: pk.cockcroft_gault_mL_per_min(50, 70, female=False), "scr"),
        (
            lambda: pk.cockcroft_gault_mL_per_min(50, 70, female=False, scr_mg_per_dL=1, scr_umol_per_L=88),
            "scr",
        ),
        (lambda: pk.cockcroft_gault_mL_per_min(10, 70, female=False, scr_mg_per_dL=1), "age_y"),
        (lambda: pk.repeated_doses(10, -8, n_doses=3), "tau_h"),
        (lambda: pk.repeated_doses(10, 8, n_doses=2.5), "n_doses"),  # type: ignore[arg-type]
        (lambda: pk.label_titration(60, jurisdiction="mars"), "jurisdiction"),
        (lambda: pk.taper(60, 0), "over_days"),
        (lambda: pk.missed_dose(pk.repeated_doses(10, 8, n_doses=3), 5), "missed_index"),
        (lambda: pk.paediatric_regimen(20, 25), "age_y"),
        (lambda: pk.ug_to_mg(-1), "amount_ug"),
        (lambda: pk.it_infusion_ug_per_day(math.nan), "rate_ug_per_day"),
        (lambda: pk.csf_drain_fraction(200.0), "volume_removed_mL"),
    ],
)
def test_functions_validate_and_name_the_parameter(call, name: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=name):
        call()


def test_error_is_a_valueerror_subclass() -> None:
    assert issubclass(pk.PKInputError, ValueError)
