"""One home per concept: a public name exported by several modules is one object, and the divergent copies
of the review (docs/developers.md, "One home per number and rule") stay resolved."""

from __future__ import annotations

import importlib
import math
import pkgutil
from collections import defaultdict

import numpy as np
import pytest

import baclofen_teach
from baclofen_teach import data, overdose, pk, pump, withdrawal

#: Names exported by two modules for two different things (kept: both are namespaced and documented).
DIFFERENT_CONCEPTS = {
    "management_table": {"baclofen_teach.withdrawal", "baclofen_teach.overdose"},  # two different tables
}


def _modules() -> list:
    out = []
    for info in pkgutil.walk_packages(baclofen_teach.__path__, "baclofen_teach."):
        if info.name.startswith("baclofen_teach.coursework.build"):
            continue  # dev tooling (nbformat, otter): not part of the runtime package
        out.append(importlib.import_module(info.name))
    return out


def test_a_name_exported_by_several_modules_is_one_object() -> None:
    homes: dict[str, list[tuple[str, object]]] = defaultdict(list)
    for mod in _modules():
        for name in getattr(mod, "__all__", ()):
            homes[name].append((mod.__name__, getattr(mod, name)))
    shared = {n: h for n, h in homes.items() if len(h) > 1}
    assert "ug_to_mg" in shared and "haemodialysis" in shared  # the test is not vacuous
    for name, places in shared.items():
        if {m for m, _ in places} <= DIFFERENT_CONCEPTS.get(name, set()):
            continue
        first = places[0][1]
        assert all(obj is first for _, obj in places), (name, [m for m, _ in places])


def test_ug_to_mg_refuses_negative_amounts_in_every_home() -> None:
    for home in (pk, pump):
        with pytest.raises(pk.PKInputError, match="amount_ug"):
            home.ug_to_mg(-5)
        assert home.ug_to_mg(500.0) == 0.5


def test_haemodialysis_clearance_is_the_parameter_row() -> None:
    row = data.param("dialysis", "hd_cl_L_per_h")  # 2.14 mL/s = 7.7 L/h [brvar2007]
    assert pk.HAEMODIALYSIS_CL_L_PER_H == overdose.HAEMODIALYSIS_CL_L_PER_H == row
    assert overdose.haemodialysis(1.0).extra_cl_L_per_h == pk.haemodialysis(1.0).extra_cl_L_per_h == row
    assert overdose.haemofiltration(1.0).stop_h == pk.haemofiltration(1.0).stop_h == 25.0


def test_one_linear_taper() -> None:
    sched = pk.taper_schedule(60.0, 6)
    assert withdrawal.taper_schedule is pk.taper_schedule
    np.testing.assert_allclose(sched, 60.0 * np.arange(6, -1, -1) / 7)
    totals = pk.taper(60.0, 6).daily_totals_mg()
    np.testing.assert_allclose([totals[k] for k in range(6)], sched[:-1])
    assert max(-np.diff(np.concatenate([[60.0], sched]))) == pytest.approx(60.0 / 7)  # equal falls


def test_engine_constants_are_read_from_the_tables() -> None:
    assert pk.THERAPEUTIC_RANGE_MG_PER_L == (
        data.param("therapeutic", "plasma_low_mg_per_L"),
        data.param("therapeutic", "plasma_high_mg_per_L"),
    )
    assert pk.CSF_TOTAL_VOLUME_L == data.param("csf", "csf_total_volume_L")
    assert pk.OVERDOSE_RANGE_MG_IN_24H == overdose.LARGE_INGESTION_MG_IN_24H == 200.0
    assert pk.AVOID_BELOW_CRCL_ML_PER_MIN == 30.0
    assert pk.PUBLISHED_HALF_LIFE_RANGE_H == (
        pk.published_half_lives()["half_life_low_h"].min(),
        pk.published_half_lives()["half_life_high_h"].max(),
    )
    assert pump.LIMITED_EXPERIENCE_ABOVE_UG_PER_DAY == pk.IT_EXPERIENCE_LIMIT_UG_PER_DAY
    assert math.isclose(pk.csf_drain_fraction(30.0), overdose.csf_removal_fraction(30.0))
