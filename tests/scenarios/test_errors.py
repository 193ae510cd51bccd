"""Medication errors replayed (baclofen_teach.errors): each error raises the curve; its check catches it."""

from __future__ import annotations

import csv
import re
from pathlib import Path

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


# ---------------------------------------------------------------------------------------------------------
# Sources: every case and check cites keys that exist; read cases name their key; the rest say so
# ---------------------------------------------------------------------------------------------------------

_KEY = re.compile(r"\[([a-z][a-z0-9_]*(?:\s*;\s*[a-z][a-z0-9_]*)*)\]")

#: The published case (or nearest case) read for each error, by reference key (issue 14, item 4).
CASE_KEYS = {
    "mg_ug_slip": {"ismp_baclofen_flex"},  # nearest case read: per hour instead of per day
    # pocket fills, oral-liquid confusion, compounded concentrations (no pump concentration-error case read)
    "wrong_concentration": {
        "truex2020",
        "medtronic_pocketfill2011",
        "ismp_oral_liquid",
        "compounded_itb2009",
    },
    "bolus_programming": {"ismp_baclofen_flex", "delhaas1991"},
    "dialysis_oral": {"khazneh2018"},
    "doubled_dose": {"kang2016"},  # poison-centre series, all drugs, not baclofen
}
#: Errors for which no baclofen case of exactly that error was read: the case text must say so.
NO_CASE_READ = {"mg_ug_slip", "wrong_concentration", "doubled_dose"}


def _keys(text: str) -> set[str]:
    return {k for m in _KEY.finditer(text) for k in re.split(r"\s*;\s*", m.group(1))}


def _reference_keys() -> set[str]:
    path = Path(errors.__file__).parent / "data" / "references.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["key"] for row in csv.DictReader(fh)}


@pytest.mark.parametrize("name", sorted(errors.ERRORS))
def test_case_and_check_cite_keys_that_exist(name: str) -> None:
    r = errors.replay(name)
    refs = _reference_keys()
    assert _keys(r.case), f"{name}: the case text cites no source"
    assert _keys(r.check), f"{name}: the check cites no source"
    missing = (_keys(r.case) | _keys(r.check)) - refs
    assert not missing, f"{name}: keys missing from references.csv: {missing}"


@pytest.mark.parametrize("name", sorted(errors.ERRORS))
def test_read_cases_name_their_key(name: str) -> None:
    assert CASE_KEYS[name] <= _keys(errors.replay(name).case)


@pytest.mark.parametrize("name", sorted(errors.ERRORS))
def test_errors_without_a_baclofen_case_say_so(name: str) -> None:
    case = errors.replay(name).case
    says_none = case.startswith("No published case") and "was read for this course (searched" in case
    assert says_none == (name in NO_CASE_READ), case


def test_checks_agree_with_the_label_and_manufacturer_procedures() -> None:
    conc = errors.replay("wrong_concentration").check
    assert {"label_gablofen_rxlist", "fda_medsun2011"} <= _keys(conc)
    assert "fully trained and qualified personnel" in conc and "observation" in conc
    assert "teaching choice" in conc  # the concentration comparison is the course's, not a quoted label step
    for name in ("mg_ug_slip", "bolus_programming"):
        assert "medtronic_a810_guide" in _keys(errors.replay(name).check)
    slip = errors.replay("mg_ug_slip").check
    assert "label_de_lioresal_it" in _keys(slip) and "teaching threshold, not a label limit" in slip
    assert "label_ch_lioresal_pil" in _keys(errors.replay("doubled_dose").check)


@pytest.mark.parametrize("name", sorted(errors.ERRORS))
def test_students_read_micrograms(name: str) -> None:
    r = errors.replay(name)
    for text in (r.description, r.check, r.case):
        assert not re.search(r"(?<![A-Za-z_])(?:ug|mcg)(?![A-Za-z_])", text), text


def test_unit_error_flag_names_the_direction_that_gives_an_excess() -> None:
    """A 1000-fold EXCESS comes from a µg figure entered as mg (or ng as µg); 'mg entered as µg' would give
    a 1000-fold deficit (review08, VPR-07). The description tells the slip the right way round."""
    r = errors.replay("mg_ug_slip")
    flag = next(str(f) for f in r.flags if f.code == "it_dose_probable_unit_error")
    assert "µg figure entered as mg" in flag and "mg or ng entered as µg" not in flag
    assert "far above any reported" not in flag and "label_de_lioresal_it" in flag
    assert "entered in mg instead of µg" in r.description and "100000 µg/day" in r.description


def test_dialysis_check_uses_the_reviews_egfr_wording() -> None:
    """Wolf 2018 gives eGFR thresholds (mL/min/1.73 m²) and 'renal replacement therapy' (VPR-01)."""
    r = errors.replay("dialysis_oral")
    assert "mL/min/1.73 m²" in r.check and "renal replacement therapy" in r.check
    assert "not prescribed" in r.case  # Khazneh 2018: the tablet came from her sister (VPR-03)
