"""Fuzz every public function and parameter (the list comes from the package's exports).

* bad values (generated per parameter kind: NaN, infinities, negatives, strings, booleans, None, complex
  numbers, boolean/string/ragged arrays, wrong containers, unknown names, bad clock times and event lists)
  must raise a ``ValueError`` whose message names the parameter;
* valid values (drawn from the registry's ranges, log-uniform over many orders of magnitude) must return
  within the time limit, with no NaN, infinity or negative number in the result (documented "never"
  infinities and "not estimable" NaNs excepted, see ``registry.py``).

Educational model, not dosing advice.
"""

from __future__ import annotations

import inspect
import math
import signal
import time
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baclofen_teach import coursework, pk

from . import registry as reg

CALLEES = reg.public_callables()
PARAMS = [(c, p) for c in CALLEES for p in c.params]
IDS = [f"{c.qualname}:{p.name}" for c, p in PARAMS]
TIME_LIMIT_S = 3.0  # per call (a shared 2-core machine; the campaign reports calls above 1 s)
HANG_S = 20


@contextmanager
def _hang_guard():  # noqa: ANN202
    def boom(*_: Any) -> None:
        raise TimeoutError(f"call did not return within {HANG_S} s")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(HANG_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _call(callee: reg.Callee, name: str, value: Any) -> tuple[Any, float]:
    kw = reg.call_kwargs(callee, name, value)
    t0 = time.perf_counter()
    with _hang_guard():
        out = callee.fn(**kw)
    return out, time.perf_counter() - t0


# ------------------------------------------------------------------------------------------- strategies
def bad_values(spec: reg.Spec, default: Any, none_ok: bool = False) -> st.SearchStrategy[Any]:
    """Bad values for ``spec``; None only where the signature does not allow it (``float | None``)."""
    k = spec.kind
    common = [st.text(min_size=0, max_size=4), st.booleans(), st.just({})]
    if default is not None and not none_ok:
        common.append(st.none())
    if k in ("real", "array"):
        opts = [
            st.just(math.nan),
            st.just(-math.inf),
            st.complex_numbers(min_magnitude=1.0, max_magnitude=10.0, allow_nan=False, allow_infinity=False),
            st.just(np.bool_(True)),
        ]
        if spec.lo >= 0:
            opts.append(st.floats(max_value=-1e-300, allow_nan=False))
        if not spec.inf_ok:
            opts.append(st.just(math.inf))
        if k == "real":
            opts.append(st.lists(st.floats(0, 10), min_size=1, max_size=3))
        else:
            opts += [
                st.lists(st.booleans(), min_size=1, max_size=3).map(np.array),
                st.just(np.array(["a", "b"])),
                st.just([[1.0], [1.0, 2.0]]),
                st.just(np.array([1.0, 1 + 1j])),
            ]
        return st.one_of(*opts, *common)
    if k == "count":
        return st.one_of(st.just(1.5), st.integers(max_value=int(spec.lo) - 1), st.just(math.nan), *common)
    if k == "choice":
        return st.one_of(st.just("nope"), st.integers(), st.lists(st.just("x"), min_size=1, max_size=1))
    if k == "bool":
        return st.one_of(st.sampled_from(["False", "True", "yes"]), st.integers(0, 1), st.none())
    if k == "object":
        return st.one_of(st.just("abc"), st.integers(), st.just([1.0]))
    if k == "events":
        d = pk.Dose(0.0, 10.0)
        return st.sampled_from(["abc", [1, 2], [d, "x"], {}, [[d]], 3.0])
    if k == "clock":
        return st.sampled_from([[], [25.0], [24.0], [-1.0], ["8"], "8", [math.nan], [True], 8.0])
    if k == "doses":
        return st.sampled_from(["abc", [], [(1.0,)], [(-1.0, 5.0)], [(0.0, "5")], [(0.0, math.nan)], 5.0])
    if k == "windows":
        return st.sampled_from([["x"], "abc", [pk.Dose(0.0, 1.0)], 5.0])
    if k == "kidneys":
        return st.sampled_from(["nope", -1.0, math.nan, None, [50.0], True, 1e300])
    if k == "scenario_times":
        return st.sampled_from(
            ["abc", ["a", "b"], np.array([False, True]), [[1.0], [1.0, 2.0]], [-1e9], [0.0, 2e6]]
        )
    if k == "times":
        return st.sampled_from(
            [
                [2.0, 1.0],
                [-1.0, 1.0],
                [0.0, math.nan],
                "abc",
                ["a", "b"],
                np.array([False, True]),
                np.array([[0.0, 1.0]]),
                [[1.0], [1.0, 2.0]],
                np.array([0.0, 1 + 1j]),
                [0.0, 2e6],
            ]
        )
    if k == "conc":
        return st.sampled_from(
            [np.full(49, -1.0), np.full(49, math.nan), "abc", np.ones(3), np.full(49, 1e300)]
        )
    if k == "seq_real":
        return st.sampled_from([30.0, "abc", [math.nan], [-1.0], [True]])
    if k == "cohort_conc":
        return st.sampled_from(
            [
                np.full((20, 49), -1.0),
                np.full((20, 49), math.nan),
                "abc",
                np.ones(49),
                np.ones((20, 3)),
                np.ones((0, 49)),
                [[1.0], [1.0, 2.0]],
                np.ones((20, 49), dtype=bool),
            ]
        )
    if k == "samples":
        return st.sampled_from(
            [
                [],
                [0.0],
                [-1.0, 2.0],
                [1.0, math.nan, 7.0],
                "abc",
                ["1", "2", "3"],
                [True] * 3,
                [[1.5, 4.0, 7.5]],
                None,
                list(np.linspace(0.5, 8.0, 500)),
            ]
        )
    if k == "levels":
        return st.sampled_from(
            [
                [],
                [0.3, 0.0, 0.1],
                [0.3, -0.2, 0.1],
                [0.3, math.nan, 0.1],
                "abc",
                [True] * 3,
                [0.3, 0.2],
                [[0.3, 0.2, 0.1]],
                None,
                [1e300] * 3,
                [5e-324] * 3,
            ]
        )
    if k == "estimates":
        return st.sampled_from(["abc", [1, 2], {}, 3.0, None])
    if k in ("answer", "letter_answer"):
        return st.nothing()  # (their own test below: a format hint, not a ValueError)
    if k == "options":
        return st.sampled_from(["", "abcd", "AAB", "1234", 4, None, ["A", "B"]])
    if k == "callable":
        return st.sampled_from([5, "abc", None])
    if k == "mapping":
        return st.sampled_from([[1], "abc", 5])
    if k == "opt_text":
        return st.sampled_from([5, ["x"], b"x"])
    if k == "seq_kidneys":
        return st.sampled_from(["normal", 5, [None]])
    return st.nothing()


def _wide(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Floats in [lo, hi]: log-uniform when the range spans many orders of magnitude, plus the ends."""
    ends = st.sampled_from([lo, hi])
    if lo > 0 and hi / lo > 1e3:
        return st.one_of(
            ends, st.floats(math.log10(lo), math.log10(hi)).map(lambda e: min(max(10.0**e, lo), hi))
        )
    if lo == 0 and hi > 1e3:
        return st.one_of(ends, st.floats(-9, math.log10(hi)).map(lambda e: min(10.0**e, hi)), st.floats(0, 1))
    return st.one_of(ends, st.floats(lo, hi))


def valid_values(spec: reg.Spec, default: Any) -> st.SearchStrategy[Any]:
    k = spec.kind
    if k == "real":
        s = _wide(spec.lo, spec.hi)
        if spec.lo_open:
            s = s.filter(lambda x: x > spec.lo)
        if spec.inf_ok:
            s = st.one_of(s, st.just(math.inf))
        return s
    if k == "array":
        s = _wide(spec.lo, spec.hi).filter(lambda x: x > spec.lo or not spec.lo_open)
        return st.one_of(s, st.lists(s, min_size=1, max_size=4).map(np.array))
    if k == "count":
        return st.one_of(
            st.sampled_from([int(spec.lo), int(spec.hi)]), st.integers(int(spec.lo), int(spec.hi))
        )
    if k == "kidneys":
        return st.one_of(st.sampled_from(spec.choices), st.floats(0.0, 1000.0))
    if k in ("choice",):
        opts = list(spec.choices) + ([None] if default is None else [])
        return st.sampled_from(opts)
    if k == "bool":
        return st.booleans()
    if k == "clock":
        return st.lists(st.floats(0.0, 23.99), min_size=1, max_size=4)
    if k == "events":
        dose = st.builds(pk.Dose, st.floats(0.0, 200.0), _wide(0.0, 1e4), st.just("oral"))
        return st.one_of(st.lists(dose, min_size=1, max_size=6), dose)
    if k == "doses":
        return st.lists(st.tuples(st.floats(0.0, 200.0), _wide(1e-3, 1e5)), min_size=1, max_size=4)
    if k == "windows":
        win = st.builds(
            lambda s, d, c: pk.ClearanceWindow(s, s + d, c),
            st.floats(0.0, 200.0),
            st.floats(0.1, 48.0),
            _wide(0, 1e3),
        )
        return st.lists(win, max_size=2)
    if k == "seq_real":
        return st.lists(st.floats(spec.lo, spec.hi), max_size=3)
    if k == "seq_kidneys":
        return st.lists(
            st.one_of(st.sampled_from(["normal", "failed"]), st.floats(0.0, 200.0)), min_size=1, max_size=2
        )
    return st.nothing()


FUZZED_KINDS = {
    "real",
    "array",
    "count",
    "choice",
    "bool",
    "object",
    "events",
    "clock",
    "doses",
    "windows",
    "times",
    "conc",
    "seq_real",
    "seq_kidneys",
    "kidneys",
    "scenario_times",
    "cohort_conc",
    "samples",
    "levels",
    "estimates",
    "options",
    "callable",
    "mapping",
    "opt_text",
}
#: Kinds of a student's answer: bad values get a format hint (AnswerFormatError), never another exception.
ANSWER_KINDS = {"answer", "letter_answer"}
VALID_KINDS = {
    "real",
    "array",
    "count",
    "choice",
    "bool",
    "clock",
    "events",
    "doses",
    "windows",
    "seq_real",
    "seq_kidneys",
    "kidneys",
}
#: (callable:param) whose valid draws need the other arguments adjusted, or that take no drawn value.
NOT_DRAWN = {
    "pk.missed_dose:events",  # needs at least missed_index + 1 doses (the base has 3)
    "pk.param_value:name",  # names depend on the set
    "pk.kidney_adjusted_regimen:events",
    "withdrawal.daily_average_plasma:events",
    "monitoring.steady_state_mg_per_L:cl_over_f_L_per_h",  # arrays must broadcast with the 17 base times
    "monitoring.steady_state_mg_per_L:v_over_f_L",
    "monitoring.compare_designs:tau_h",  # the designs' sample times must lie within tau_h
}


def _none_ok(prm: inspect.Parameter) -> bool:
    """Whether the signature allows None (``float | None``, ``Optional[...]``)."""
    return "None" in str(prm.annotation) or "Optional" in str(prm.annotation)


def _spec(callee: reg.Callee, prm: inspect.Parameter) -> reg.Spec:
    sp = reg.spec_for(callee, prm.name)
    assert sp is not None, (
        f"{callee.qualname}: parameter {prm.name!r} not described in tests/fuzz/registry.py"
    )
    return sp


def answer_bad_values(kind: str) -> st.SearchStrategy[Any]:
    common = [..., None, True, np.bool_(True), [11.0], {}, 1 + 1j]
    if kind == "answer":
        return st.sampled_from(["11 %", "abc", "11", math.nan, math.inf, np.array([11.0]), 10**400, *common])
    return st.sampled_from(["AB", "E", "", 1, ["B"], *common])


# ------------------------------------------------------------------------------------------------ tests
def test_registry_describes_every_parameter() -> None:
    """A new public function or parameter fails here until it is described in registry.py."""
    missing = [f"{c.qualname}:{p.name}" for c, p in PARAMS if reg.spec_for(c, p.name) is None]
    assert not missing, f"describe these parameters in tests/fuzz/registry.py: {missing}"
    assert len(CALLEES) >= 100, "the public API was not found (derived from __all__)"
    for c in CALLEES:  # every base call is valid
        c.fn(**reg.base_kwargs(c))


@pytest.mark.parametrize(("callee", "prm"), PARAMS, ids=IDS)
@settings(settings.get_profile("fuzz"), max_examples=5)
@given(data=st.data())
def test_bad_values_are_refused_by_name(
    callee: reg.Callee, prm: inspect.Parameter, data: st.DataObject
) -> None:
    sp = _spec(callee, prm)
    if sp.kind in ANSWER_KINDS:  # a student's answer: the format hint is the clear error
        value = data.draw(answer_bad_values(sp.kind), label=prm.name)
        with pytest.raises(coursework.AnswerFormatError) as hint:
            _call(callee, prm.name, value)
        assert str(hint.value).strip(), f"{callee.qualname}({prm.name}={value!r}): empty hint"
        return
    if sp.kind not in FUZZED_KINDS:
        return
    value = data.draw(bad_values(sp, prm.default, _none_ok(prm)), label=prm.name)
    if sp.kind == "choice" and value is None and prm.default is None:
        return
    with pytest.raises(ValueError) as info:
        _call(callee, prm.name, value)
    assert prm.name in str(info.value), f"{callee.qualname}({prm.name}={value!r}): message {info.value}"


@pytest.mark.parametrize(("callee", "prm"), PARAMS, ids=IDS)
@settings(settings.get_profile("fuzz"), max_examples=5)
@given(data=st.data())
def test_valid_values_give_clean_results_in_time(
    callee: reg.Callee, prm: inspect.Parameter, data: st.DataObject
) -> None:
    sp = _spec(callee, prm)
    if sp.kind not in VALID_KINDS or f"{callee.qualname}:{prm.name}" in NOT_DRAWN:
        return
    value = data.draw(valid_values(sp, prm.default), label=prm.name)
    out, dt = _call(callee, prm.name, value)
    assert dt < TIME_LIMIT_S, f"{callee.qualname}({prm.name}={value!r}) took {dt:.2f} s"
    base = {f"{p}:{b}" for p, b in reg.scan(callee.fn(**reg.base_kwargs(callee)))}
    new = [(p, b) for p, b in reg.scan(out) if f"{p}:{b}" not in base]
    assert not new, f"{callee.qualname}({prm.name}={value!r}): {new[:5]}"


@pytest.mark.slow
@pytest.mark.parametrize(("callee", "prm"), PARAMS, ids=IDS)
@settings(settings.get_profile("fuzz_long"), max_examples=60)
@given(data=st.data())
def test_long_profile(callee: reg.Callee, prm: inspect.Parameter, data: st.DataObject) -> None:
    """The long profile: both properties with many more examples (``pytest tests/fuzz -m slow``)."""
    sp = _spec(callee, prm)
    if sp.kind in FUZZED_KINDS and data.draw(st.booleans()):
        value = data.draw(bad_values(sp, prm.default, _none_ok(prm)))
        if not (sp.kind == "choice" and value is None and prm.default is None):
            with pytest.raises(ValueError, match=prm.name):
                _call(callee, prm.name, value)
    elif sp.kind in VALID_KINDS and f"{callee.qualname}:{prm.name}" not in NOT_DRAWN:
        value = data.draw(valid_values(sp, prm.default))
        out, dt = _call(callee, prm.name, value)
        assert dt < TIME_LIMIT_S
        base = {f"{p}:{b}" for p, b in reg.scan(callee.fn(**reg.base_kwargs(callee)))}
        assert not [(p, b) for p, b in reg.scan(out) if f"{p}:{b}" not in base]
