"""Per-student variants, fair checks and reveal cells (baclofen_teach.coursework.variants / checks)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from baclofen_teach.coursework import (
    VARIANTS,
    AnswerFormatError,
    SelfCheck,
    close_enough,
    letter,
    number,
    reveal,
    tolerance,
    variant_for,
)
from baclofen_teach.coursework.variants import SALT_ENV


def test_default_variant_without_id(monkeypatch):
    monkeypatch.delenv(SALT_ENV, raising=False)
    for sid in ("", "   ", ..., None):
        v = variant_for("01_half_life", sid)
        assert v.is_default and v["ex1_time_h"] == VARIANTS["01_half_life"]["ex1_time_h"][0]
        assert (v["ex4_dose_mg"], v["ex4_time_h"]) == VARIANTS["01_half_life"][("ex4_dose_mg", "ex4_time_h")][
            0
        ]
    assert "No student ID entered" in repr(v) and "default numbers" in repr(v)


def test_variant_is_stable_across_processes_and_pinned(monkeypatch):
    """sha256, not Python's salted hash(): another interpreter (new hash seed) gives the same numbers."""
    monkeypatch.delenv(SALT_ENV, raising=False)
    here = dict(variant_for("01_half_life", "alice"))
    code = (
        "from baclofen_teach.coursework import variant_for; print(dict(variant_for('01_half_life', 'alice')))"
    )
    env = {"PYTHONHASHSEED": "12345", "PATH": ""}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert other.stdout.strip() == str(here)
    assert (
        variant_for("01_half_life", "alice").label == "8c907f"
    )  # pinned: changing the scheme moves every ID
    assert dict(variant_for("01_half_life", " ALICE ")) == dict(variant_for("01_half_life", "alice"))


def test_values_are_declared_choices_and_ids_spread():
    spec = VARIANTS["01_half_life"]
    seen = {k: set() for k in spec}
    for i in range(300):
        v = variant_for("01_half_life", f"s{i}", salt="")
        for k in spec:
            value = tuple(v[n] for n in k) if isinstance(k, tuple) else v[k]
            assert value in spec[k]
            seen[k].add(value)
    assert all(seen[k] == set(spec[k]) for k in spec), "every declared choice is reachable"


def test_salt_changes_the_variants(monkeypatch):
    monkeypatch.delenv(SALT_ENV, raising=False)
    ids = [f"s{i}" for i in range(20)]
    plain = [variant_for("01_half_life", s).label for s in ids]
    monkeypatch.setenv(SALT_ENV, "cohort-2027")
    salted = [variant_for("01_half_life", s).label for s in ids]
    assert salted != plain
    assert salted == [variant_for("01_half_life", s, salt="cohort-2027").label for s in ids]


def test_unknown_notebook_is_a_clear_error():
    with pytest.raises(ValueError, match="declares no variants"):
        variant_for("09_nothing", "alice")
    with pytest.raises(ValueError, match="no tolerance"):
        tolerance("01_half_life", "q9")


def test_number_accepts_numbers_and_gives_format_hints():
    import numpy as np

    assert number(11) == 11.0 and number(np.float64(5.5)) == 5.5
    for text, example in (("11 %", "11"), ("5.5 h", "5.5"), ("about 3,8", "3.8")):
        with pytest.raises(AnswerFormatError, match=f"Write a number, not text: for example {example}"):
            number(text)
    for bad in (..., None, True, [1.0], float("nan")):
        with pytest.raises(AnswerFormatError):
            number(bad)


def test_choice_ignores_case_and_spaces():
    assert letter(" b ") == "B" and letter("C") == "C" and letter("d\n") == "D"
    for bad in ("E", "AB", 1, ..., ""):
        with pytest.raises(AnswerFormatError, match="letter"):
            letter(bad)


def test_close_enough_accepts_what_the_notebook_prints():
    expected = 11.1371
    printed = f"{expected:.1f}"  # as the notebook prints percentages
    assert close_enough(float(printed), expected, abs=0.05)
    assert close_enough(11.15, 11.1, abs=0.05)  # exactly at the edge: rounding is never penalised
    assert not close_enough(11.2, 11.1371, abs=0.05)
    assert close_enough(104, 100, rel=0.05) and not close_enough(106, 100, rel=0.05)
    with pytest.raises(AnswerFormatError):
        close_enough("11 %", expected, abs=0.05)


def test_self_check_shows_a_format_hint_not_the_pharmacology_hint():
    spec = {
        "suites": [
            {
                "cases": [
                    {
                        "code": ">>> assert close_enough(number(q1_percent), 11.1, abs=0.05)",
                        "failure_message": "Count the half-lives in 12 h.",
                        "hidden": False,
                    }
                ]
            }
        ]
    }
    env = {"close_enough": close_enough, "number": number}
    text = SelfCheck._run("q1", spec, env | {"q1_percent": "11 %"}).text()
    assert "Write a number, not text: for example 11" in text and "half-lives" not in text
    wrong = SelfCheck._run("q1", spec, env | {"q1_percent": 50.0}).text()
    assert "Count the half-lives" in wrong
    assert SelfCheck._run("q1", spec, env | {"q1_percent": 11.1}).passed


def test_reveal_waits_for_the_prediction(capsys):
    shown = []
    assert reveal(..., lambda: shown.append(1), explanation="answer C") is None
    out = capsys.readouterr().out
    assert "Make your prediction first" in out and "answer C" not in out and not shown
    assert reveal(" c", lambda: "figure", explanation="The time doubles (answer C).") == "figure"
    out = capsys.readouterr().out
    assert "Your prediction: C" in out and "answer C" in out
