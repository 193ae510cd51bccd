"""Fair checks shared by the public self-checks and the hidden tests, and "predict, then check" reveals.

Tests in the source notebooks use these helpers (imported in an ordinary cell of the notebook)::

    assert close_enough(number(q1_percent), expected, **tolerance("01_half_life", "q1"))
    assert letter(q2_choice) == "B"

- :func:`number` accepts an int or float (numpy ones too). Text such as ``"11 %"`` or ``"5.5 h"`` raises
  :class:`AnswerFormatError`, whose message is a *format* hint ("write a number, for example 11"); the
  self-check shows that hint instead of the question's pharmacology hint.
- :func:`letter` accepts a letter in either case, spaces ignored (``" b "`` is ``"B"``).
- :func:`close_enough` is the one tolerance rule, used by the public and the hidden test alike.
- :func:`reveal` shows the outcome of a prediction only once the prediction is recorded.
"""

from __future__ import annotations

import builtins
import math
import numbers
import re
from collections.abc import Callable
from typing import Any

__all__ = ["AnswerFormatError", "close_enough", "letter", "number", "reveal"]

_NUMBER_IN_TEXT = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


class AnswerFormatError(AssertionError):
    """An answer of the wrong form (text instead of a number, not a letter); the message is the hint."""


def _unanswered(value: object) -> bool:
    return value is ... or value is None


def number(value: object) -> float:
    """``value`` as a float, or :class:`AnswerFormatError` with a format hint.

    >>> number(11)
    11.0
    >>> number("11 %")  # raises AnswerFormatError: "Write a number, not text: for example 11 ..."
    """
    if _unanswered(value):
        raise AnswerFormatError("Replace the ... with your answer, a number.")
    if getattr(value, "ndim", None) == 0 and getattr(getattr(value, "dtype", None), "kind", "") in "iuf":
        value = value[()]  # a 0-d numpy array (what some numpy functions return) holds one number
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, str):
            m = _NUMBER_IN_TEXT.search(value)
            example = m.group(0).replace(",", ".") if m else "11"
            raise AnswerFormatError(f"Write a number, not text: for example {example} (no quotes, no unit).")
        raise AnswerFormatError(f"Write a single number (for example 11), not a {type(value).__name__}.")
    try:
        result = float(value)
    except OverflowError:  # an integer beyond the float range
        raise AnswerFormatError("Write a number of ordinary size (for example 11).") from None
    if not math.isfinite(result):
        raise AnswerFormatError("Write a finite number (for example 11).")
    return result


def _options(options: object) -> str:
    """The offered letters: a non-empty text of distinct capital letters (an author's argument: a
    ``ValueError`` naming it, not a student's format hint)."""
    if (
        not isinstance(options, str)
        or not options
        or not all("A" <= c <= "Z" for c in options)
        or len(set(options)) != len(options)
    ):
        raise ValueError(
            f"options must be a non-empty text of distinct capital letters, e.g. 'ABCD'; got {options!r}"
        )
    return str(options)


def _real(value: object, name: str, *, nonneg: bool = False) -> float:
    """An author's number (expected value, tolerance): finite, real, not a bool; >= 0 if ``nonneg``."""
    if getattr(value, "ndim", None) == 0 and getattr(getattr(value, "dtype", None), "kind", "") in "iuf":
        value = value[()]  # a 0-d numpy array
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and type(value).__name__ != "bool_"
    try:
        x = float(value) if ok else math.nan  # type: ignore[arg-type]
    except OverflowError:
        x = math.nan
    if not (ok and math.isfinite(x) and (x >= 0 or not nonneg)):
        raise ValueError(f"{name} must be a finite real number{' >= 0' if nonneg else ''}; got {value!r}")
    return x


def letter(value: object, options: str = "ABCD") -> str:
    """A choice answer as one capital letter (either case accepted, spaces ignored), or a format hint."""
    options = _options(options)
    listed = ", ".join(options[:-1]) + f" or {options[-1]}" if len(options) > 1 else options
    if _unanswered(value):
        raise AnswerFormatError(
            f'Replace the ... with one letter in quotes ({listed}), for example "{options[0]}".'
        )
    answer = "".join(str(value).split()).upper() if isinstance(value, str) else ""
    if len(answer) != 1 or answer not in options:
        raise AnswerFormatError(f'Write one letter in quotes ({listed}), for example "{options[0]}".')
    return answer


def close_enough(answer: object, expected: float, *, rel: float = 0.0, abs: float = 0.0) -> bool:  # noqa: A002
    """Whether ``answer`` is within ``max(abs, rel * |expected|)`` of ``expected``.

    A tiny allowance (1e-9 relative) makes an answer rounded exactly at the edge (e.g. 11.15 for 11.1 with
    ``abs=0.05``) pass despite floating-point representation.
    """
    expected = _real(expected, "expected")
    rel = _real(rel, "rel", nonneg=True)
    abs = _real(abs, "abs", nonneg=True)  # noqa: A001
    value = number(answer)
    allowed = builtins.max(abs, rel * builtins.abs(expected))
    return builtins.abs(value - expected) <= allowed + 1e-9 * builtins.max(1.0, builtins.abs(expected))


def reveal(
    prediction: object,
    show: Callable[[], Any],
    *,
    options: str = "ABCD",
    name: str = "prediction",
    explanation: str = "",
) -> Any:
    """Show the outcome of a "predict, then check" step only once a prediction is recorded.

    Args:
        prediction: the student's prediction variable (``...`` until they answer).
        show: called (with no arguments) to print or return the outcome, only when a prediction is set.
        options: the letters offered.
        name: the prediction variable's name, for the message.
        explanation: printed after the outcome (it may name the right answer: it is shown only now).

    Returns:
        whatever ``show`` returns (so a figure or a table displays as the cell's result), else None.
        Predictions earn no points by themselves.
    """
    options = _options(options)
    if not callable(show):
        raise ValueError(f"show must be a function to call with no arguments (e.g. a lambda); got {show!r}")
    for text, label in ((name, "name"), (explanation, "explanation")):
        if not isinstance(text, str):
            raise ValueError(f"{label} must be text; got {text!r}")
    try:
        chosen = letter(prediction, options)
    except AnswerFormatError:
        print(
            f"Make your prediction first: set {name} to one letter ({', '.join(options)}) in the cell "
            "above, run it, then run this cell again."
        )
        return None
    print(f"Your prediction: {chosen}. Now the model:")
    result = show()
    if explanation:
        print(explanation)
    return result
