"""Input validation shared by the engine: every error names the parameter, the value and what is allowed."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..units import to_unit


class PKInputError(ValueError):
    """Invalid input to a :mod:`baclofen_teach.pk` function (a ``ValueError`` subclass)."""


def _fmt(value: Any) -> str:
    if isinstance(value, np.ndarray) and value.size > 6:
        return f"array of shape {value.shape}"
    return repr(value)


def real(
    value: Any,
    name: str,
    *,
    min_value: float | None = None,
    min_inclusive: bool = True,
    max_value: float | None = None,
    max_inclusive: bool = True,
    allow_inf: bool = False,
    unit: str | None = None,
) -> float:
    """Validate one real number and return it as a float.

    ``unit`` (e.g. ``"mg"``) lets a :class:`baclofen_teach.units.Quantity` through, converted exactly.
    """
    if unit is not None:
        value = to_unit(value, unit, name)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        rng = _allowed(min_value, min_inclusive, max_value, max_inclusive)
        raise PKInputError(f"{name} must be a real number{rng}; got {_fmt(value)}")
    v = float(value)
    ok = not math.isnan(v) and (allow_inf or math.isfinite(v))
    if ok and min_value is not None:
        ok = v >= min_value if min_inclusive else v > min_value
    if ok and max_value is not None:
        ok = v <= max_value if max_inclusive else v < max_value
    if not ok:
        what = "a finite real number" if not allow_inf else "a real number (inf allowed)"
        raise PKInputError(
            f"{name} must be {what}{_allowed(min_value, min_inclusive, max_value, max_inclusive)}; "
            f"got {_fmt(value)}"
        )
    return v


def _allowed(lo: float | None, lo_inc: bool, hi: float | None, hi_inc: bool) -> str:
    parts = []
    if lo is not None:
        parts.append(f"{'>=' if lo_inc else '>'} {lo:g}")
    if hi is not None:
        parts.append(f"{'<=' if hi_inc else '<'} {hi:g}")
    return (" " + " and ".join(parts)) if parts else ""


def positive(value: Any, name: str, *, unit: str | None = None) -> float:
    """A finite number > 0."""
    return real(value, name, min_value=0.0, min_inclusive=False, unit=unit)


def nonneg(value: Any, name: str, *, unit: str | None = None) -> float:
    """A finite number >= 0."""
    return real(value, name, min_value=0.0, unit=unit)


def choice(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    """One of a fixed set of strings (case-insensitive, surrounding spaces ignored)."""
    if isinstance(value, str) and value.strip().lower() in allowed:
        return value.strip().lower()
    raise PKInputError(f"{name} must be one of {', '.join(repr(a) for a in allowed)}; got {value!r}")


def array(
    values: ArrayLike,
    name: str,
    *,
    min_value: float | None = None,
    min_inclusive: bool = True,
    allow_inf: bool = False,
    ascending: bool = False,
    ndim1: bool = False,
) -> NDArray[np.float64]:
    """Validate a float array (finite, optional bound, optional 1-D ascending order)."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):  # strings, None, ragged lists
        raise PKInputError(f"{name} must be numeric (float or array of floats); got {values!r}") from None
    if ndim1 and arr.ndim != 1:
        raise PKInputError(
            f"{name} must be a 1-D array of times; got an array with {arr.ndim} "
            f"dimension(s) and shape {arr.shape}"
        )
    if allow_inf:
        bad = np.isnan(arr)
    elif bool(np.isfinite(arr).all()):
        bad = None
    else:
        bad = ~np.isfinite(arr)
    if bad is not None and np.any(bad):
        raise PKInputError(
            f"{name} must contain only finite numbers; got {float(arr[bad].ravel()[0])!r} "
            f"at flat index {int(np.flatnonzero(bad.ravel())[0])}"
        )
    if min_value is not None:
        below = arr < min_value if min_inclusive else arr <= min_value
        if np.any(below):
            op = ">=" if min_inclusive else ">"
            first = float(arr[below].ravel()[0])
            raise PKInputError(
                f"{name} must be {op} {min_value:g}; got {first!r} at flat "
                f"index {int(np.flatnonzero(below.ravel())[0])}"
            )
    if ascending and arr.size > 1 and not bool(np.all(arr[1:] >= arr[:-1])):
        d = np.diff(arr)
        if np.any(d < 0):
            i = int(np.flatnonzero(d < 0)[0])
            raise PKInputError(
                f"{name} must be in ascending order (non-decreasing); got {float(arr[i])!r} "
                f"followed by {float(arr[i + 1])!r} at index {i + 1}"
            )
    return arr
