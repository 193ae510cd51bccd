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

The documented upper bounds (``MAX_TIME_H``, ``MAX_SPAN_H``, ``MAX_DAYS``, ...; teaching ranges far beyond
any patient, so overdoses are never refused) are re-exported too, with the helpers that apply them
(``time_h``, ``amount``, ``whole``, ``in_range``).
"""

from __future__ import annotations

from baclofen_teach.pk._validate import (
    CLEARANCE_RANGE_L_PER_H,
    CRCL_RANGE_ML_PER_MIN,
    FORMULA_RANGE,
    MAX_AMOUNT_MG,
    MAX_CONC_MG_PER_L,
    MAX_CSF_PLASMA_RATIO,
    MAX_DAYS,
    MAX_DOSES,
    MAX_HALF_LIFE_H,
    MAX_RATE_MG_PER_H,
    MAX_SIMULATED_DAYS,
    MAX_SPAN_H,
    MAX_TIME_H,
    MIN_F_ORAL,
    RATE_CONSTANT_RANGE_PER_H,
    SCR_RANGE_MG_PER_DL,
    VOLUME_RANGE_L,
    WEIGHT_RANGE_KG,
    PKInputError,
    amount,
    array,
    choice,
    in_range,
    nonneg,
    positive,
    real,
    time_h,
    whole,
)
from baclofen_teach.units import to_unit

__all__ = [
    "PKInputError",
    "array",
    "choice",
    "nonneg",
    "positive",
    "real",
    "to_unit",
    "amount",
    "in_range",
    "time_h",
    "whole",
    "MAX_TIME_H",
    "MAX_SPAN_H",
    "MAX_DAYS",
    "MAX_SIMULATED_DAYS",
    "MAX_DOSES",
    "MAX_AMOUNT_MG",
    "MAX_RATE_MG_PER_H",
    "RATE_CONSTANT_RANGE_PER_H",
    "CLEARANCE_RANGE_L_PER_H",
    "VOLUME_RANGE_L",
    "MIN_F_ORAL",
    "MAX_HALF_LIFE_H",
    "MAX_CSF_PLASMA_RATIO",
    "FORMULA_RANGE",
    "MAX_CONC_MG_PER_L",
    "CRCL_RANGE_ML_PER_MIN",
    "WEIGHT_RANGE_KG",
    "SCR_RANGE_MG_PER_DL",
]
