"""Sourced constants for notebook authors: intrathecal screening and maintenance, published half-lives."""

from __future__ import annotations

import csv
import math
from importlib import resources

import pytest

from baclofen_teach import pk


def _reference_keys() -> set[str]:
    with resources.files("baclofen_teach.data").joinpath("references.csv").open(encoding="utf-8") as fh:
        return {row["key"] for row in csv.DictReader(fh)}


def test_screening_boluses_and_spacing() -> None:
    # label: 50 ug, then 75 ug 24 h later, then 100 ug 24 h after that [label_lioresal_it, label_gablofen]
    assert pk.SCREENING_BOLUSES_UG == (50.0, 75.0, 100.0)
    assert pk.SCREENING_INTERVAL_H == 24.0
    # the largest screening bolus is the 0.1 mg limit that regimen_flags uses
    last = pk.it_bolus_ug(2 * pk.SCREENING_INTERVAL_H, pk.SCREENING_BOLUSES_UG[-1])
    assert pk.regimen_flags([last]) == []
    assert pk.regimen_flags([pk.it_bolus_ug(0.0, pk.SCREENING_BOLUSES_UG[-1] + 1.0)]) != []


def test_it_maintenance_spinal_range() -> None:
    lo, hi = pk.IT_MAINTENANCE_SPINAL_UG_PER_DAY
    assert (lo, hi) == (300.0, 800.0)
    assert hi < pk.IT_EXPERIENCE_LIMIT_UG_PER_DAY


def test_constants_cite_existing_references() -> None:
    import baclofen_teach.pk.regimens as reg

    lines = open(reg.__file__, encoding="utf-8").read().splitlines()
    keys = _reference_keys()
    for name, cited in (
        ("SCREENING_BOLUSES_UG", ("label_lioresal_it", "label_gablofen")),
        ("SCREENING_INTERVAL_H", ("label_lioresal_it", "label_gablofen")),
        ("IT_MAINTENANCE_SPINAL_UG_PER_DAY", ("label_lioresal_it",)),
    ):
        i = next(j for j, line in enumerate(lines) if line.startswith(f"{name}:"))
        block = []  # the '#:' comment lines directly above the definition
        while i > 0 and lines[i - 1].startswith("#:"):
            i -= 1
            block.append(lines[i])
        assert block, name
        for key in cited:
            assert key in keys
            assert key in " ".join(block), (name, key)


EXPECTED_HALF_LIVES = {  # key: (low h, high h), from clinical_facts.md section 1a, H-tagged primary sources
    "kriel1997": (2.3, 3.4),
    "kochak1985": (3.6, 3.6),
    "simon2018": (4.4, 4.4),
    "he2014": (4.5, 4.5),
    "wuis1989": (6.8, 6.8),
}


def test_published_half_lives_table() -> None:
    df = pk.published_half_lives()
    assert list(df.columns) == [
        "source",
        "population",
        "measured",
        "half_life_low_h",
        "half_life_high_h",
        "note",
    ]
    got = {r.source: (r.half_life_low_h, r.half_life_high_h) for r in df.itertuples()}
    assert got == EXPECTED_HALF_LIVES
    assert df["half_life_low_h"].dtype == float and df["half_life_high_h"].dtype == float
    assert (df["half_life_low_h"] <= df["half_life_high_h"]).all()
    assert df["half_life_low_h"].is_monotonic_increasing
    assert df["population"].str.len().gt(0).all() and df["measured"].str.len().gt(0).all()
    assert set(df["source"]) <= _reference_keys()
    # every source is cited in the docstring
    for key in df["source"]:
        assert f"[{key}]" in (pk.published_half_lives.__doc__ or "")


def test_kochak_half_life_is_derived_from_beta() -> None:
    df = pk.published_half_lives().set_index("source")
    assert math.log(2) / 0.191 == pytest.approx(df.loc["kochak1985", "half_life_low_h"], abs=0.05)
    assert "0.191" in df.loc["kochak1985", "note"]


def test_published_half_lives_returns_a_fresh_copy() -> None:
    df = pk.published_half_lives()
    df.loc[0, "half_life_low_h"] = -1.0
    assert pk.published_half_lives().loc[0, "half_life_low_h"] == 2.3
