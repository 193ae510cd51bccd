"""The package's one input validator and its one input exception (public re-export).

Every public function of every layer checks its arguments with these helpers, so that bad input always
raises the same exception, :class:`PKInputError` (a ``ValueError`` subclass, so ``except ValueError``
keeps working), with one message style: the parameter's name, what is allowed and the value received,
e.g. ``"daily_dose_ug must be a finite real number >= 0; got -1"``.

Call them with the value first and the name second; ``unit=`` converts a
:class:`baclofen_teach.units.Quantity` exactly to the unit the function works in (a bare number is taken to
be in that unit already)::

    from baclofen_teach import validation as v

    dose_ug_per_day = v.nonneg(daily_dose_ug, "daily_dose_ug", unit="ug/day")
    step_h = v.positive(step_h, "step_h")
    route = v.choice(route, "route", ("oral", "iv", "it"))

The implementation lives in :mod:`baclofen_teach.pk._validate` (the engine layer, the lowest layer that
needs it); this module is its public face for the scenario and app layers, which must not import private
modules (see ``docs/developers.md``, "Layers and the import rule").
"""

from __future__ import annotations

from baclofen_teach.pk._validate import PKInputError, array, choice, nonneg, positive, real
from baclofen_teach.units import to_unit

__all__ = ["PKInputError", "array", "choice", "nonneg", "positive", "real", "to_unit"]
