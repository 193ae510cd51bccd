"""Input validation shared by the engine: every error names the parameter, the value and what is allowed.

Types: a real number is a Python ``int``/``float``, a numpy integer or floating scalar, or a 0-d numeric
array; strings, booleans (also numpy booleans and boolean arrays), complex numbers and None are refused.

Bounds. Every time, span, count and amount has a documented upper bound chosen to fit teaching, so that
no call can run for minutes or exhaust memory and every result stays finite (the module constants below;
errors quote them). Overdoses are never refused: the amount bound, one tonne, is far above any ingestion.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..units import to_unit


class PKInputError(ValueError):
    """Invalid input to a :mod:`baclofen_teach.pk` function (a ``ValueError`` subclass)."""


class PKLookupError(PKInputError, KeyError):
    """An unknown name looked up in a table: a :class:`PKInputError` (``ValueError``) and a ``KeyError``."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


# ---- documented upper bounds (teaching ranges) -------------------------------------------------------
#: Latest time (h) anywhere in the engine: event times, report times, stops (about 114 years).
MAX_TIME_H: float = 1e6
#: Longest span (h) of a scenario or regimen given by the caller: horizons, pre/post windows, start,
#: failure and detection times (10 years).
MAX_SPAN_H: float = 87_660.0
#: Most days in a regimen builder or a daily schedule (10 years).
MAX_DAYS: int = 3_653
#: Most days simulated dose by dose in a scenario (oral withdrawal, taper comparison): one year.
MAX_SIMULATED_DAYS: int = 366
#: Most doses a regimen builder creates (10 years at 4 doses a day is 14,612).
MAX_DOSES: int = 20_000
#: Largest amount, mg (one tonne; far above any possible ingestion, so overdoses are never refused).
MAX_AMOUNT_MG: float = 1e9
#: Largest infusion rate, mg/h.
MAX_RATE_MG_PER_H: float = 1e9
#: Range of first-order rate constants (ka, CL/V, CL_csf/V_csf), 1/h: half-lives from 0.25 s to 290 days.
RATE_CONSTANT_RANGE_PER_H: tuple[float, float] = (1e-4, 1e4)
#: Range of clearances (CL, CL_csf, extra extracorporeal clearance), L/h.
CLEARANCE_RANGE_L_PER_H: tuple[float, float] = (1e-5, 1e4)
#: Range of distribution volumes (V, V_csf), L.
VOLUME_RANGE_L: tuple[float, float] = (1e-5, 1e6)
#: Smallest oral bioavailability (0.1 %; below it the apparent CL/F and V/F overflow).
MIN_F_ORAL: float = 1e-3
#: Longest slowest half-life of the plasma/CSF system, h (about 14 months).
MAX_HALF_LIFE_H: float = 1e4
#: Largest steady-state CSF/plasma ratio.
MAX_CSF_PLASMA_RATIO: float = 1e3
#: Range of rate constants and half-lives in the plain formulas (1/h and h).
FORMULA_RANGE: tuple[float, float] = (1e-6, 1e6)
#: Largest concentration accepted as input, mg/L.
MAX_CONC_MG_PER_L: float = 1e12
#: Range of creatinine clearance, mL/min (0 = anuria; normal is about 100).
CRCL_RANGE_ML_PER_MIN: tuple[float, float] = (0.0, 1000.0)
#: Range of body weight, kg.
WEIGHT_RANGE_KG: tuple[float, float] = (0.1, 500.0)
#: Range of serum creatinine, mg/dL (x 88.4 for umol/L).
SCR_RANGE_MG_PER_DL: tuple[float, float] = (0.05, 30.0)


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
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        rng = _allowed(min_value, min_inclusive, max_value, max_inclusive)
        raise PKInputError(f"{name} must be a real number{rng}; got {_fmt(value)}")
    try:
        v = float(value)
    except OverflowError:  # a Python int beyond the float range: refused below
        v = math.nan
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


def _num_text(x: float) -> str:
    if not math.isfinite(x):
        return repr(x)
    return f"{x:,.0f}" if x == int(x) and 1e4 <= abs(x) < 1e15 else f"{x:g}"


def _allowed(lo: float | None, lo_inc: bool, hi: float | None, hi_inc: bool) -> str:
    parts = []
    if lo is not None:
        parts.append(f"{'>=' if lo_inc else '>'} {_num_text(lo)}")
    if hi is not None:
        parts.append(f"{'<=' if hi_inc else '<'} {_num_text(hi)}")
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
    max_value: float | None = None,
) -> NDArray[np.float64]:
    """Validate a float array (finite, optional bounds, optional 1-D ascending order).

    Only integer and floating arrays are numbers here: booleans, complex numbers, strings and ragged
    lists are refused with a message naming ``name``.
    """
    if isinstance(values, np.ndarray) and values.dtype == float:
        arr = values
    else:
        try:
            raw = np.asarray(values)
        except (TypeError, ValueError):  # ragged lists
            raw = None
        if raw is None or raw.dtype.kind not in "iuf":
            what = "booleans" if raw is not None and raw.dtype.kind == "b" else _fmt(values)
            raise PKInputError(
                f"{name} must be a real number or an array of real numbers (not strings, booleans or "
                f"complex numbers); got {what}"
            )
        arr = raw.astype(float)
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
    if max_value is not None and arr.size and bool(np.any(arr > max_value)):
        above = arr > max_value
        raise PKInputError(
            f"{name} must be <= {_num_text(max_value)}; got {float(arr[above].ravel()[0])!r} at flat "
            f"index {int(np.flatnonzero(above.ravel())[0])}"
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


def whole(value: Any, name: str, *, min_value: int = 0, max_value: int | None = None) -> int:
    """A whole number (Python or numpy integer, not a bool) from ``min_value`` to ``max_value``."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iu":
        value = value[()]
    ok = not isinstance(value, (bool, np.bool_)) and isinstance(value, (int, np.integer))
    if ok and value < min_value:
        ok = False
    if ok and max_value is not None and value > max_value:
        ok = False
    if not ok:
        hi = f" and <= {_num_text(max_value)}" if max_value is not None else ""
        raise PKInputError(f"{name} must be a whole number >= {min_value}{hi}; got {_fmt(value)}")
    return int(value)


def time_h(value: Any, name: str, *, max_value: float = MAX_SPAN_H, allow_inf: bool = False) -> float:
    """A time or span in hours: finite (or +inf if allowed), >= 0 and <= ``max_value`` (default
    :data:`MAX_SPAN_H`, 10 years)."""
    x = real(value, name, min_value=0.0, allow_inf=allow_inf)
    if x > max_value and not (allow_inf and x == math.inf):
        raise PKInputError(
            f"{name} must be a time in hours >= 0 and <= {_num_text(max_value)} h"
            f"{' (or inf)' if allow_inf else ''}; got {_fmt(value)}"
        )
    return x


def amount(value: Any, name: str, *, unit: str | None = None, positive: bool = False) -> float:
    """An amount in mg, >= 0 (> 0 if ``positive``) and <= :data:`MAX_AMOUNT_MG`."""
    return real(value, name, min_value=0.0, min_inclusive=not positive, max_value=MAX_AMOUNT_MG, unit=unit)


def in_range(value: Any, name: str, lo: float, hi: float, *, unit: str | None = None) -> float:
    """A finite real number in [lo, hi]."""
    return real(value, name, min_value=lo, max_value=hi, unit=unit)
