"""Medication errors replayed (baclofen_teach.errors): each error raises the curve; its check catches it."""

from __future__ import annotations

import numpy as np
import pytest

from baclofen_teach import errors, pk


@pytest.mark.parametrize("name", sorted(errors.ERRORS))
def test_error_curve_is_above_the_intended_one(name: str) -> None:
    r = errors.replay(name)
    assert r.intended_mg_per_L.shape == r.erroneous_mg_per_L.shape == r.times_h.shape
    assert r.exposure_ratio > 1.05
    assert r.peak_ratio >= 1.0
    assert np.all(r.erroneous_mg_per_L >= r.intended_mg_per_L - 1e-12)
    assert r.check and r.case
    assert "ug" not in r.description.replace("µg", "")


def test_checks_flag_the_errors() -> None:
    assert "it_dose_probable_unit_error" in pk.flag_codes(list(errors.replay("mg_ug_slip").flags))
    assert "mixup_overdose" in pk.flag_codes(list(errors.replay("wrong_concentration").flags))
    assert "it_bolus_above_screening_max" in pk.flag_codes(list(errors.replay("bolus_programming").flags))
    assert "oral_above_label_max" in pk.flag_codes(list(errors.replay("doubled_dose").flags))
    assert errors.replay("dialysis_oral").exposure_ratio > 3.0  # same peak, much longer exposure
    assert errors.replay("mg_ug_slip").peak_ratio == pytest.approx(1000.0, rel=1e-6)  # linear model


def test_unknown_error_names_the_parameter() -> None:
    with pytest.raises(pk.PKInputError, match="name"):
        errors.replay("nope")
