"""simulate() accepts events in any order: the result, and the stored event order, match a stable sort."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baclofen_teach import pk


def _key(e: object) -> float:
    return e.time_h if isinstance(e, (pk.Dose, pk.RemoveFraction)) else e.start_h  # type: ignore


def _mixed_events() -> list[object]:
    return [
        pk.Dose(5.0, 10.0, label="a"),
        pk.Infusion(0.0, 24.0, 1.0, "iv"),
        pk.Dose(5.0, 0.05, "it", label="b"),
        pk.RemoveFraction(30.0, "plasma", 0.3),
        pk.haemodialysis(40.0),
        pk.Dose(5.0, 3.0, label="c"),
        pk.Infusion(10.0, math.inf, pk.ug_to_mg(600.0) / 24.0, "it"),
        pk.Dose(0.0, 20.0),
        pk.CsfDrain(50.0, 0.2),
        pk.Dose(30.0, 7.0, label="d"),
    ]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_any_order_gives_the_same_result_and_a_stable_sorted_event_list(seed: int) -> None:
    evs = _mixed_events()
    random.Random(seed).shuffle(evs)
    p = pk.PKParams.adult()
    t = np.linspace(0.0, 80.0, 801)
    ref = pk.simulate(sorted(_mixed_events(), key=_key), p, t)
    sim = pk.simulate(evs, p, t)
    assert list(sim.events) == sorted(evs, key=_key)  # stable: same-time events keep their given order
    np.testing.assert_allclose(sim.plasma_mg_per_L, ref.plasma_mg_per_L, rtol=1e-14, atol=0.0)
    np.testing.assert_allclose(sim.csf_mg_per_L, ref.csf_mg_per_L, rtol=1e-14, atol=0.0)


@settings(max_examples=25, deadline=None)
@given(
    times=st.lists(st.sampled_from([0.0, 1.0, 2.5, 8.0, 8.0, 12.0]), min_size=1, max_size=12),
    route=st.sampled_from(["oral", "iv", "it", None]),
)
def test_doses_only_any_order(times: list[float], route: str | None) -> None:
    routes = ["oral", "iv", "it"]
    evs = [pk.Dose(tt, 1.0 + i, route or routes[i % 3], label=str(i)) for i, tt in enumerate(times)]
    p = pk.PKParams.adult()
    t = np.linspace(0.0, 24.0, 97)
    sim = pk.simulate(evs, p, t)
    assert list(sim.events) == sorted(evs, key=_key)
    # one dose at a time, superposed (linearity): independent of the order of the list
    parts = sum(pk.simulate([e], p, t).plasma_mg_per_L for e in evs)
    np.testing.assert_allclose(sim.plasma_mg_per_L, parts, rtol=1e-12, atol=1e-15)


def test_event_subclass_is_accepted_and_a_foreign_object_is_named() -> None:
    class MyDose(pk.Dose):
        pass

    p = pk.PKParams.adult()
    t = [0.0, 1.0, 2.0]
    a = pk.simulate([MyDose(1.0, 10.0), pk.Dose(0.0, 10.0)], p, t)
    b = pk.simulate([pk.Dose(0.0, 10.0), pk.Dose(1.0, 10.0)], p, t)
    np.testing.assert_array_equal(a.plasma_mg_per_L, b.plasma_mg_per_L)
    with pytest.raises(pk.PKInputError, match=r"events\[1\]"):
        pk.simulate([pk.Dose(0.0, 10.0), (1.0, 10.0)], p, t)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    amounts=st.lists(st.sampled_from([5.0, 10.0, 20.0, 80.0 / 3.0, 40.0]), min_size=1, max_size=15),
)
def test_oral_24h_maximum_and_flags_do_not_depend_on_event_order(seed: int, amounts: list[float]) -> None:
    evs = [pk.Dose(6.0 * i, a) for i, a in enumerate(amounts)] + [
        pk.it_bolus_ug(1.0, 150.0),
        pk.it_bolus_ug(2.0, 120.0),
    ]
    brute = max(
        sum(a for j, a in enumerate(amounts) if 6.0 * i <= 6.0 * j < 6.0 * i + 24.0)
        for i in range(len(amounts))
    )
    shuffled = list(evs)
    random.Random(seed).shuffle(shuffled)
    assert pk.max_oral_mg_in_24h(shuffled) == pytest.approx(brute, rel=1e-12)
    assert pk.max_oral_mg_in_24h(evs) == pytest.approx(brute, rel=1e-12)
    flags = pk.regimen_flags(shuffled)
    it_flags = [f for f in flags if f.startswith("intrathecal bolus")]
    expected = [f"at {e.time_h:g} h" for e in shuffled if e.route == "it"]  # listed in the order given
    assert [next(x for x in expected if x in f) for f in it_flags] == expected
    assert sorted(flags) == sorted(pk.regimen_flags(evs))
