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
from .flags import Flag, flag_codes
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
from .nca import NCAResult, mean_concentrations, nca
from .params import (
    CSF_HALF_LIFE_H,
    CSF_TOTAL_VOLUME_L,
    CSF_TOTAL_VOLUME_RANGE_L,
    CVVH_CL_L_PER_H,
    HAEMODIALYSIS_CL_L_PER_H,
    POPULATION_SETS,
    PUBLISHED_HALF_LIFE_RANGE_H,
    REFERENCE_RANGE_MG_PER_L,
    THERAPEUTIC_RANGE_MG_PER_L,
    PKParams,
    child_flags,
    claims,
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
    references,
    renal_clearance_factor,
    ug_to_mg,
)
from .regimens import (
    AVOID_BELOW_CRCL_ML_PER_MIN,
    DEFAULT_TID_CLOCK_H,
    IT_EXPERIENCE_LIMIT_UG_PER_DAY,
    IT_MAINTENANCE_SPINAL_UG_PER_DAY,
    ORAL_MAX_MG_PER_DAY,
    ORAL_MAX_SOURCE,
    OVERDOSE_RANGE_MG_IN_24H,
    PAEDIATRIC_MAX_MG_PER_DAY,
    SCREENING_BOLUSES_UG,
    SCREENING_INTERVAL_H,
    TITRATION_START_MG_PER_DOSE,
    TITRATION_STEP_DAYS,
    TITRATION_STEP_MG_PER_DOSE,
    Regimen,
    clock_time_doses,
    kidney_adjusted_dose_mg,
    kidney_adjusted_regimen,
    label_titration,
    max_oral_mg_in_24h,
    missed_dose,
    oral_regimen,
    paediatric_regimen,
    regimen_flags,
    repeated_doses,
    taper,
    taper_flags,
    taper_schedule,
    titration_dose_mg,
)

__all__ = [
    "COMPARTMENTS",
    "CSF_TOTAL_VOLUME_L",
    "CSF_TOTAL_VOLUME_RANGE_L",
    "DOSE_ROUTES",
    "INFUSION_ROUTES",
    "IT_EXPERIENCE_LIMIT_UG_PER_DAY",
    "ORAL_MAX_MG_PER_DAY",
    "ORAL_MAX_SOURCE",
    "THERAPEUTIC_RANGE_MG_PER_L",
    "REFERENCE_RANGE_MG_PER_L",
    "claims",
    "references",
    "ClearanceWindow",
    "Flag",
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
    "flag_codes",
    "fraction_remaining",
    "half_life_from_k",
    "k_from_half_life",
    "mean_concentrations",
    "nca",
    "param_value",
    "parameter_table",
    "peak_trough_ss",
    "regimen_flags",
    "simulate",
    "time_to_fall_below",
    "time_to_steady_state",
    "cockcroft_gault_mL_per_min",
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
    "AVOID_BELOW_CRCL_ML_PER_MIN",
    "CSF_HALF_LIFE_H",
    "CVVH_CL_L_PER_H",
    "HAEMODIALYSIS_CL_L_PER_H",
    "OVERDOSE_RANGE_MG_IN_24H",
    "POPULATION_SETS",
    "PUBLISHED_HALF_LIFE_RANGE_H",
    "child_flags",
    "taper_flags",
    "taper_schedule",
    "TITRATION_START_MG_PER_DOSE",
    "TITRATION_STEP_DAYS",
    "TITRATION_STEP_MG_PER_DOSE",
    "oral_regimen",
    "titration_dose_mg",
]
