"""Baclofen pharmacokinetics engine: exact, fast, validated.

Gut / plasma / CSF model with exact event propagation (no ODE solver), plain one-compartment formulas,
non-compartmental analysis, sourced parameter sets and regimen builders.

>>> from baclofen_teach import pk
>>> p = pk.PKParams.adult()
>>> sim = pk.simulate([pk.Dose(time_h=0.0, amount_mg=10.0, route="oral")], p, [0.0, 1.0, 2.0])
>>> sim.plasma_mg_per_L.shape
(3,)

Units: amounts mg, concentrations mg/L (= ug/mL), times h. Intrathecal doses are usually quoted in
micrograms: use ``pk.ug_to_mg`` or a quantity from :mod:`baclofen_teach.units`.

Bounds (checked before any loop or allocation; the error quotes the bound): times up to 1e6 h in the
engine and 87,660 h (10 years) for scenario spans, at most 3,653 days and 20,000 doses per regimen,
amounts up to 1e9 mg (one tonne: overdoses are simulable and flagged, never refused), rate constants
(ka, CL/V, CL_csf/V_csf) 1e-4 to 1e4 per h, clearances 1e-5 to 1e4 L/h, volumes 1e-5 to 1e6 L, slowest
half-life at most 1e4 h. See ``baclofen_teach/pk/_validate.py`` for the full list.

Educational model, not dosing advice.
"""

from __future__ import annotations

from ..units import Quantity, UnitError
from ._validate import PKInputError
from .engine import SimulationResult, simulate
from .events import (
    COMPARTMENTS,
    DOSE_ROUTES,
    INFUSION_ROUTES,
    ClearanceWindow,
    CsfDrain,
    Dose,
    Infusion,
    RemoveFraction,
)
from .formulas import (
    accumulation_factor,
    bateman,
    css_avg,
    fraction_remaining,
    half_life_from_k,
    k_from_half_life,
    peak_trough_ss,
    time_to_fall_below,
    time_to_steady_state,
)
from .nca import NCAResult, nca
from .params import (
    CSF_TOTAL_VOLUME_L,
    CSF_TOTAL_VOLUME_RANGE_L,
    THERAPEUTIC_RANGE_MG_PER_L,
    PKParams,
    cockcroft_gault_mL_per_min,
    csf_drain_fraction,
    haemodialysis,
    haemofiltration,
    it_bolus_ug,
    it_infusion_ug_per_day,
    mg_to_ug,
    param_value,
    parameter_table,
    published_half_lives,
    renal_clearance_factor,
    ug_to_mg,
)
from .regimens import (
    DEFAULT_TID_CLOCK_H,
    IT_EXPERIENCE_LIMIT_UG_PER_DAY,
    IT_MAINTENANCE_SPINAL_UG_PER_DAY,
    ORAL_MAX_MG_PER_DAY,
    PAEDIATRIC_MAX_MG_PER_DAY,
    SCREENING_BOLUSES_UG,
    SCREENING_INTERVAL_H,
    Regimen,
    clock_time_doses,
    kidney_adjusted_dose_mg,
    kidney_adjusted_regimen,
    label_titration,
    max_oral_mg_in_24h,
    missed_dose,
    paediatric_regimen,
    regimen_flags,
    repeated_doses,
    taper,
)

__all__ = [
    "COMPARTMENTS",
    "CSF_TOTAL_VOLUME_L",
    "CSF_TOTAL_VOLUME_RANGE_L",
    "DOSE_ROUTES",
    "INFUSION_ROUTES",
    "IT_EXPERIENCE_LIMIT_UG_PER_DAY",
    "ORAL_MAX_MG_PER_DAY",
    "THERAPEUTIC_RANGE_MG_PER_L",
    "ClearanceWindow",
    "CsfDrain",
    "Dose",
    "Infusion",
    "NCAResult",
    "PKInputError",
    "PKParams",
    "Quantity",
    "RemoveFraction",
    "SimulationResult",
    "UnitError",
    "accumulation_factor",
    "bateman",
    "css_avg",
    "csf_drain_fraction",
    "fraction_remaining",
    "half_life_from_k",
    "k_from_half_life",
    "nca",
    "param_value",
    "parameter_table",
    "peak_trough_ss",
    "regimen_flags",
    "simulate",
    "time_to_fall_below",
    "time_to_steady_state",
    "cockcroft_gault_mL_per_min",
    "cockcroft_gault",
    "haemodialysis",
    "haemofiltration",
    "it_bolus_ug",
    "it_infusion_ug_per_day",
    "mg_to_ug",
    "renal_clearance_factor",
    "ug_to_mg",
    "DEFAULT_TID_CLOCK_H",
    "PAEDIATRIC_MAX_MG_PER_DAY",
    "Regimen",
    "clock_time_doses",
    "kidney_adjusted_dose_mg",
    "kidney_adjusted_regimen",
    "label_titration",
    "max_oral_mg_in_24h",
    "missed_dose",
    "paediatric_regimen",
    "repeated_doses",
    "taper",
    "IT_MAINTENANCE_SPINAL_UG_PER_DAY",
    "SCREENING_BOLUSES_UG",
    "SCREENING_INTERVAL_H",
    "published_half_lives",
]

#: Short alias of :func:`cockcroft_gault_mL_per_min`.
cockcroft_gault = cockcroft_gault_mL_per_min
