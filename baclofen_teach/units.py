"""Tiny unit-aware quantities for the milligram/microgram boundary.

Baclofen is given orally in milligrams and intrathecally in micrograms, a factor of 1000 apart; a unit
mix-up at that boundary is a classic real-world harm. The engine (:mod:`baclofen_teach.pk`) works in
mg, mg/L and hours and names every argument with its unit (``amount_mg``, ``rate_mg_per_h``). Where an
argument accepts a :class:`Quantity`, the quantity is *converted exactly* to the unit in the argument's
name; a quantity of the wrong dimension (a rate given for an amount) is rejected with a ``ValueError``.
A bare number is taken to be in the unit named by the argument.

>>> from baclofen_teach import units
>>> units.ug(50).to("mg")
0.05
>>> units.ug_per_day(600).to("mg/h")
0.025

Educational model, not dosing advice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = [
    "Quantity",
    "UnitError",
    "g",
    "mg",
    "ug",
    "mg_per_h",
    "ug_per_h",
    "mg_per_day",
    "ug_per_day",
    "to_unit",
]


class UnitError(ValueError):
    """A quantity of the wrong dimension or an unknown unit was given."""


# unit -> (dimension, exact factor to the base unit of that dimension: mg or mg/h)
_UNITS: dict[str, tuple[str, Fraction]] = {
    "g": ("mass", Fraction(1000)),
    "mg": ("mass", Fraction(1)),
    "ug": ("mass", Fraction(1, 1000)),
    "mg/h": ("rate", Fraction(1)),
    "ug/h": ("rate", Fraction(1, 1000)),
    "mg/day": ("rate", Fraction(1, 24)),
    "ug/day": ("rate", Fraction(1, 24_000)),
}
_ALIASES = {
    "µg": "ug",
    "mcg": "ug",
    "µg/h": "ug/h",
    "mcg/h": "ug/h",
    "µg/day": "ug/day",
    "mcg/day": "ug/day",
    "mg/d": "mg/day",
    "ug/d": "ug/day",
}


def _canon(unit: str) -> str:
    if not isinstance(unit, str):
        raise UnitError(f"unit must be one of {sorted(_UNITS)}; got {unit!r}")
    u = _ALIASES.get(unit, unit)
    if u not in _UNITS:
        raise UnitError(f"unit must be one of {sorted(_UNITS)}; got {unit!r}")
    return u


@dataclass(frozen=True)
class Quantity:
    """A number with a unit (mass: g, mg, ug; rate: mg/h, ug/h, mg/day, ug/day)."""

    value: float
    unit: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", _canon(self.unit))
        v = self.value
        if isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype.kind in "iuf":
            v = v[()]  # a 0-d numeric array is a number
        ok = not isinstance(v, (bool, np.bool_)) and isinstance(v, (int, float, np.integer, np.floating))
        try:
            ok = ok and math.isfinite(float(v)) and float(v) >= 0.0
        except OverflowError:  # an int beyond the float range
            ok = False
        if not ok:
            raise UnitError(
                "Quantity value must be a finite real number >= 0 (int, float or numpy number; not a "
                f"string or a boolean); got {v!r}"
            )
        object.__setattr__(self, "value", float(v))

    @property
    def dimension(self) -> str:
        """``"mass"`` or ``"rate"``."""
        return _UNITS[self.unit][0]

    def to(self, unit: str) -> float:
        """The value as a plain float in ``unit`` (same dimension only)."""
        u = _canon(unit)
        dim, fac = _UNITS[u]
        if dim != self.dimension:
            raise UnitError(f"cannot convert {self} ({self.dimension}) to {unit!r} ({dim})")
        ratio = _UNITS[self.unit][1] / fac  # exact rational factor, applied with correct rounding
        if ratio.numerator == 1:
            return self.value / ratio.denominator
        return self.value * ratio.numerator / ratio.denominator

    def __str__(self) -> str:
        # the canonical unit is ASCII ("ug/h"); students read "µg"
        return f"{self.value:g} {self.unit.replace('ug', 'µg')}"


def g(value: float) -> Quantity:
    """A mass in grams."""
    return Quantity(value, "g")


def mg(value: float) -> Quantity:
    """A mass in milligrams."""
    return Quantity(value, "mg")


def ug(value: float) -> Quantity:
    """A mass in micrograms (1 ug = 0.001 mg)."""
    return Quantity(value, "ug")


def mg_per_h(value: float) -> Quantity:
    """A rate in mg per hour."""
    return Quantity(value, "mg/h")


def ug_per_h(value: float) -> Quantity:
    """A rate in micrograms per hour."""
    return Quantity(value, "ug/h")


def mg_per_day(value: float) -> Quantity:
    """A rate in mg per day."""
    return Quantity(value, "mg/day")


def ug_per_day(value: float) -> Quantity:
    """A rate in micrograms per day (intrathecal pumps are programmed in ug/day)."""
    return Quantity(value, "ug/day")


def to_unit(x: Any, unit: str, name: str) -> Any:
    """Return ``x`` in ``unit``: a :class:`Quantity` is converted exactly, anything else is returned as is.

    ``name`` is the parameter name used in the error message when the dimension is wrong.
    """
    _canon(unit)  # an unknown unit is refused even for a bare number
    if isinstance(x, Quantity):
        try:
            return x.to(unit)
        except UnitError as exc:
            raise UnitError(f"{name} must be a quantity convertible to {unit}; got {x} ({exc})") from None
    return x
