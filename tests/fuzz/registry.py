"""What the fuzz suite and ``benchmarks/fuzz_campaign.py`` know about the public API.

* :func:`public_callables` derives the list of public callables from the package's exports (``__all__``
  of ``pk``, ``pump``, ``withdrawal``, ``overdose``, ``units``): functions, constructors of input classes,
  and the public methods of exported classes (result classes get an instance from :data:`INSTANCES`). A
  new export is covered automatically; ``test_registry_describes_every_parameter`` fails until each of
  its parameters is described here.
* :data:`SPECS` describes each parameter by name (``"fn:param"`` overrides a name for one function): its
  kind, a valid base value, the valid range that hypothesis draws from, and so the bad values to try.

Educational model, not dosing advice.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from baclofen_teach import coursework, overdose, pk, pump, units, withdrawal
from baclofen_teach import validation as V

try:  # (benchmarks/fuzz_campaign.py --code may run against a package from before these modules)
    from baclofen_teach import errors, monitoring, population
except ImportError:  # pragma: no cover
    errors = monitoring = population = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[2]

MODULES: dict[str, Any] = {
    "pk": pk,
    "pump": pump,
    "withdrawal": withdrawal,
    "overdose": overdose,
    "units": units,
    "population": population,
    "monitoring": monitoring,
    "errors": errors,
    "coursework": coursework,
}
MODULES = {k: m for k, m in MODULES.items() if m is not None}

#: Classes the package builds and returns (not constructed by a student): their constructors are not probed,
#: their public methods are (on an instance from INSTANCES).
RESULT_TYPES = frozenset(
    {
        "SimulationResult",
        "NCAResult",
        "PumpScenario",
        "PumpPlan",
        "WithdrawalTimeline",
        "TaperComparison",
        "OverdoseResult",
        "ITOverdoseResult",
        "Flag",
        # population, monitoring, errors, coursework
        "Cohort",
        "CohortSummary",
        "PopulationModel",
        "HiddenPatient",
        "Estimate",
        "Check",
        "ErrorReplay",
        "SelfCheckResult",
        "Variant",
        "RegimenSummary",
    }
)

P = pk.PKParams.adult()
EVS = [pk.Dose(0.0, 10.0), pk.Dose(8.0, 10.0), pk.Dose(16.0, 10.0)]
T = np.linspace(0.0, 24.0, 49)


def _instances() -> dict[str, Callable[[], Any]]:
    return {
        "PKParams": lambda: P,
        "Regimen": lambda: pk.Regimen(EVS),
        "SimulationResult": lambda: pk.simulate(EVS, P, T),
        "NCAResult": lambda: pk.nca(T, pk.simulate(EVS, P, T).plasma_mg_per_L),
        "PumpPlan": lambda: pump.plan_pump(500.0, 2000.0, 20.0),
        "PumpScenario": lambda: pump.catheter_failure(500.0),
        "WithdrawalTimeline": lambda: withdrawal.oral_withdrawal(30.0),
        "TaperComparison": lambda: withdrawal.compare_taper(30.0),
        "OverdoseResult": lambda: overdose.oral_overdose(600.0),
        "ITOverdoseResult": lambda: overdose.intrathecal_overdose(600.0, 2400.0),
        "Quantity": lambda: units.mg(2.0),
        "Cohort": lambda: population.draw_cohort("simon2018", 20, seed=1),
        "SelfCheck": lambda: coursework.SelfCheck(str(NB_WITH_TESTS)),
        "Variant": lambda: coursework.variant_for("01_half_life", "s1"),
        "SelfCheckResult": lambda: coursework.SelfCheckResult("q1", passed=True),
    }


#: A generated student notebook whose metadata holds the public tests (SelfCheck's input).
NB_WITH_TESTS = ROOT / "notebooks" / "01_half_life.ipynb"


INSTANCES = _instances()


@dataclass(frozen=True)
class Callee:
    """One public callable: ``qualname`` like ``pk.simulate`` or ``pump.PumpScenario.concentrations_at``."""

    qualname: str
    fn: Callable[..., Any]
    params: tuple[inspect.Parameter, ...]

    @property
    def short(self) -> str:
        return self.qualname.split(".", 1)[1]


def public_callables() -> list[Callee]:
    """Every public callable of the package's exports (see the module docstring)."""
    out: list[Callee] = []
    seen: set[int] = set()
    for mod_name, mod in MODULES.items():
        for name in mod.__all__:
            obj = getattr(mod, name)
            if not callable(obj) or id(obj) in seen:
                continue
            seen.add(id(obj))
            if inspect.isclass(obj):
                if issubclass(obj, BaseException):
                    continue
                if name not in RESULT_TYPES:
                    out.append(_callee(f"{mod_name}.{name}", obj, obj))
                for meth_name, meth in vars(obj).items():
                    if meth_name.startswith("_") or isinstance(meth, property):
                        continue
                    if isinstance(meth, (classmethod, staticmethod)):
                        out.append(
                            _callee(f"{mod_name}.{name}.{meth_name}", getattr(obj, meth_name), meth.__func__)
                        )
                    elif inspect.isfunction(meth) and name in INSTANCES:
                        factory = INSTANCES[name]

                        def bound(*a: Any, _f: Any = meth, _m: Any = factory, **k: Any) -> Any:
                            return _f(_m(), *a, **k)

                        out.append(_callee(f"{mod_name}.{name}.{meth_name}", bound, meth, skip_first=True))
            else:
                out.append(_callee(f"{mod_name}.{name}", obj, obj))
    return out


def _callee(qualname: str, fn: Any, sig_of: Any, skip_first: bool = False) -> Callee:
    params = list(inspect.signature(sig_of).parameters.values())
    if skip_first or (params and params[0].name in ("self", "cls")):
        params = params[1:] if params and params[0].name in ("self", "cls") else params
    params = [p for p in params if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
    return Callee(qualname, fn, tuple(params))


# ------------------------------------------------------------------------------------------------ specs
@dataclass(frozen=True)
class Spec:
    """How to call with a parameter.

    kind: ``real`` (a number in [lo, hi]; ``inf_ok`` also +inf), ``array`` (a number or an array of numbers),
    ``count`` (a whole number in [lo, hi]), ``choice`` (one of ``choices``), ``bool``, ``events``, ``object``
    (a package object: params, plan, scenario), ``clock`` (clock times), ``doses``, ``windows``, ``text``
    (free text, not fuzzed), ``seq_real`` (a sequence of numbers in [lo, hi]), ``any`` (accepts anything).
    """

    kind: str
    base: Any = None
    lo: float = 0.0
    hi: float = 1e6
    lo_open: bool = False
    inf_ok: bool = False
    choices: tuple[Any, ...] = ()
    positive_base: bool = True


def R(base: float, lo: float, hi: float, *, lo_open: bool = False, inf_ok: bool = False) -> Spec:  # noqa: N802
    return Spec("real", base, lo, hi, lo_open, inf_ok)


# (defaults so that benchmarks/fuzz_campaign.py can also run against code from before issue 18)
TSPAN = getattr(V, "MAX_SPAN_H", 87_660.0)
TMAX = getattr(V, "MAX_TIME_H", 1e6)
AMT = getattr(V, "MAX_AMOUNT_MG", 1e9)
K_LO, K_HI = getattr(V, "RATE_CONSTANT_RANGE_PER_H", (1e-4, 1e4))
F_LO, F_HI = getattr(V, "FORMULA_RANGE", (1e-6, 1e6))
MAX_RATE = getattr(V, "MAX_RATE_MG_PER_H", 1e9)
MAX_CONC = getattr(V, "MAX_CONC_MG_PER_L", 1e12)
MAX_DOSES = getattr(V, "MAX_DOSES", 20_000)
MAX_DAYS = getattr(V, "MAX_DAYS", 3_653)

SPECS: dict[str, Spec] = {
    # ---- events and parameters
    "time_h": R(1.0, 0.0, TMAX),
    "start_h": R(1.0, 0.0, TMAX),
    "stop_h": R(5.0, 5.0, TMAX, inf_ok=True),
    "amount_mg": R(10.0, 0.0, AMT),
    "amount_ug": R(50.0, 0.0, 1e12),
    "rate_mg_per_h": R(0.1, 0.0, MAX_RATE),
    "extra_cl_L_per_h": R(7.7, 0.0, 1e4),
    "fraction": R(0.3, 0.0, 1.0),
    "compartment": Spec("choice", "csf", choices=("gut", "plasma", "csf")),
    "route": Spec("choice", None, choices=("oral", "iv", "it")),
    "label": Spec("text", None),
    "name": Spec("text", None),
    "notes": Spec("text", None),
    "description": Spec("text", None),
    "flags": Spec("text", None),
    "ka_per_h": R(1.64, K_LO, K_HI),
    "cl_L_per_h": R(7.99, 0.35, 1e4),  # with V = 43.66 L: k = CL/V within 1e-4..1e4 needs CL >= 0.0044
    "v_L": R(43.66, 1e-3, 7.9e4),  # CL/V >= 1e-4 with CL = 7.99
    "f_oral": R(0.74, 0.0, 1.0, lo_open=True),
    "csf_plasma_ratio": R(0.12, 0.0, 100.0),
    "v_csf_L": R(0.065, 1e-5, 250.0),
    "cl_csf_L_per_h": R(0.03, 1e-5, 650.0),
    "value": R(2.0, 0.0, 1e12),
    "unit": Spec("choice", "mg", choices=("g", "mg", "ug", "mg/h", "ug/h", "mg/day", "ug/day")),
    "x": Spec("any", 2.0),
    # ---- formulas
    "half_life_h": Spec("array", 3.8, F_LO, F_HI),
    "k_per_h": Spec("array", 0.18, F_LO, F_HI),
    "t_h": Spec("array", 4.0, 0.0, TMAX),
    "tau_h": Spec("array", 8.0, 1e-3, TSPAN),
    "c0_mg_per_L": Spec("array", 1.0, 0.0, MAX_CONC),
    "threshold_mg_per_L": Spec("array", 0.08, 1e-300, MAX_CONC, lo_open=True),
    "dose_mg": Spec("array", 10.0, 0.0, AMT),
    "f": R(0.74, 0.0, 1.0, lo_open=True),
    "times_h": Spec("times", T),
    "conc": Spec("conc", None),
    "n_terminal": Spec("count", None, 2, 13),
    "set_name": Spec("choice", "adult", choices=("adult", "csf", "child")),
    "volume_removed_mL": R(30.0, 0.0, 130.0),
    "csf_volume_mL": R(130.0, 30.0, 1e6, lo_open=True),
    "crcl_mL_per_min": R(50.0, 0.0, 1000.0),
    "age_y": R(60.0, 18.0, 120.0),
    "weight_kg": R(70.0, 0.1, 500.0),
    "female": Spec("bool", True),
    "csf": Spec("bool", True),
    "scr_mg_per_dL": R(1.0, 0.05, 30.0),
    "scr_umol_per_L": Spec("real", None, 4.42, 2652.0),
    "duration_h": R(4.0, 0.0, 1e5, lo_open=True),
    "rate_ug_per_day": R(600.0, 0.0, 1e12),
    "source": Spec("choice", "simon2018", choices=("simon2018", "marsot2013", "chevillard2017")),
    "cl_over_f_L_per_h": R(10.8, 0.6, 1e4),
    "v_over_f_L": R(59.0, 2e-3, 1.0e5),
    "base": Spec("object", None),
    # ---- regimens
    "events": Spec("events", EVS),
    "params": Spec("object", None),
    "jurisdiction": Spec("choice", "US", choices=("US", "EU", "hospital")),
    "n_doses": Spec("count", None, 0, MAX_DOSES),
    "until_h": Spec("real", None, 0.0, 8.0 * MAX_DOSES),
    "days": Spec("count", 3, 0, MAX_DAYS // 4),
    "clock_times_h": Spec("clock", None),
    "start_day": Spec("count", 0, 0, MAX_DAYS),
    "target_mg_per_day": R(60.0, 0.0, 1e4, lo_open=True),
    "start_mg_per_dose": R(5.0, 0.0, 1e4, lo_open=True),
    "step_mg_per_dose": R(5.0, 0.02, 1e4),
    "step_days": Spec("count", 3, 1, 300),
    "from_mg_per_day": R(30.0, 0.0, AMT),
    "over_days": Spec("count", 14, 1, MAX_DAYS // 4),
    "missed_index": Spec("count", 0, 0, 2),
    "remembered_at_h": Spec("real", None, 0.0, 100.0),
    "strategy": Spec("choice", "label", choices=("label", "double", "skip")),
    "near_next_h": R(2.0, 0.0, 24.0),
    "mg_per_kg_per_day": R(0.75, 0.0, 1e3),
    # ---- pump
    "daily_dose_ug": R(500.0, 1e-3, 1e9),
    "failure_time_h": R(24.0, 0.0, TSPAN),
    "pre_h": R(24.0, 0.0, 1000.0),
    "post_h": R(72.0, 1.0, 1000.0),
    "step_h": R(0.1, 0.05, 1.0),
    "plan": Spec("object", None),
    "eri_time_h": R(0.0, 0.0, TSPAN - 2160.0),
    "programmed_concentration_ug_per_mL": R(2000.0, 10.0, 1e5),
    "filled_concentration_ug_per_mL": R(500.0, 10.0, 1e5),
    "refill_time_h": R(24.0, 0.0, TSPAN),
    "concentration_ug_per_mL": R(2000.0, 1e-3, 1e6),
    "fill_volume_mL": R(20.0, 0.0, 40.0),
    "reservoir_volume_mL": R(20.0, 20.0, 40.0),
    "alarm_volume_mL": R(2.0, 0.0, 2.0),
    "volume_per_day_mL": R(0.25, 1e-3, 1e3),
    "eri_day": R(10.0, 0.0, 3650.0),
    "fill_date": Spec("object", None),
    "max_refill_interval_days": R(180.0, 1.0, 365.0),
    # ---- withdrawal
    "daily_dose_mg": R(30.0, 0.01, 1e4),
    "doses_per_day": Spec("count", 3, 1, 24),
    "schedule": Spec("choice", "fixed", choices=("fixed", "titration")),
    "event": Spec("choice", "none", choices=("none", "missed", "doubled")),
    "event_day": Spec("count", 1, 0, MAX_DAYS),
    "day": Spec("count", 0, 0, MAX_DAYS),
    "target_mg_per_dose": R(20.0, 0.0, 1e4, lo_open=True),
    "days_on": R(7.0, 0.5, 60.0),
    "scenario": Spec("object", None),
    "taper_days": Spec("count", 14, 0, 60),
    "step_mg": Spec("real", None, 2.2, 100.0),
    "n_days": Spec("count", 2, 1, 60),
    "run_in_days": Spec("count", 5, 1, 30),
    "follow_days": Spec("count", 3, 1, 30),
    # ---- overdose
    "setting": Spec("choice", None, choices=("oral", "intrathecal")),
    "kidneys": Spec("kidneys", "normal", choices=("normal", "failed")),
    "doses": Spec("doses", None),
    "extracorporeal": Spec("windows", ()),
    "haemodialysis_h": R(4.0, 0.1, 72.0),
    "haemofiltration_h": R(24.0, 0.1, 200.0),
    "haemodialysis_cl_L_per_h": R(7.7, 0.0, 100.0),
    "haemofiltration_cl_L_per_h": R(2.4, 0.0, 100.0),
    "intended_daily_dose_ug": R(600.0, 1.0, 1e5),
    "delivered_daily_dose_ug": R(2400.0, 0.0, 1e6),
    "bolus_ug": R(0.0, 0.0, 1e6),
    "error_start_h": R(0.0, 0.0, 500.0),
    "pump_emptied_at_h": Spec("real", None, 2.0, 500.0),
    "csf_removed_mL": R(0.0, 0.0, 100.0),
    "csf_removed_at_h": Spec("real", None, 0.0, 500.0),
    "csf_volume_basis": Spec("choice", "total", choices=("total", "apparent")),
    "detected_at_h": R(6.0, 0.0, 500.0),
    "level_mg_per_L": R(0.4, 1e-3, 10.0, lo_open=True),
}

# ---- population, monitoring, errors (issue 14) and the coursework helpers students call
SPECS.update(
    {
        "n": Spec("count", None, 1, 1_000_000),
        "seed": Spec("count", 0, 0, 2**32),
        "variability": R(1.0, 0.0, 10.0),
        "i": Spec("count", 0, 0, 19),  # the registry's cohort has 20 patients
        "cohort": Spec("object", None),
        "patient": Spec("object", None),
        "conc_mg_per_L": Spec("cohort_conc", None),
        "toxic_mg_per_L": R(0.4, 0.0, MAX_CONC, lo_open=True),
        "sample_times_h": Spec("samples", None),
        "levels_mg_per_L": Spec("levels", None),
        "noise_seed": Spec("count", None, 0, 2**32),
        "target_avg_mg_per_L": R(0.2, 1e-6, 1e3),  # monitoring.LEVEL_RANGE_MG_PER_L
        "proposed_dose_mg": R(20.0, 0.0, AMT),
        "estimates": Spec("estimates", None),
        "t_after_dose_h": Spec("array", None, 0.0, 8.0),
        # coursework: a student's answer gets a format hint (AnswerFormatError), never a crash
        "answer": Spec("answer", None),
        "prediction": Spec("any", None),  # reveal() asks again for anything that is not a letter
        "expected": R(2.0, -1e12, 1e12),
        "rel": R(0.0, 0.0, 1e6),
        "abs": R(0.0, 0.0, 1e6),
        "options": Spec("options", "ABCD"),
        "show": Spec("callable", None),
        "explanation": Spec("text", ""),
        "notebook": Spec("choice", "01_half_life", choices=("01_half_life", "02_oral_dosing")),
        "question": Spec("choice", "q1", choices=("q1", "q3")),
        "student_id": Spec("any", ""),  # any ID a student types (text or a number) is accepted
        "salt": Spec("opt_text", None),
        "nb_path": Spec("nb_path", str(NB_WITH_TESTS)),
        "global_env": Spec("mapping", None),
    }
)

#: Per-function overrides ("short qualname:param").
OVERRIDES: dict[str, Spec] = {
    "Dose:route": Spec("choice", "oral", choices=("oral", "iv", "it")),
    "Infusion:route": Spec("choice", "iv", choices=("iv", "it")),
    "Infusion:start_h": R(1.0, 0.0, 5.0),
    "ClearanceWindow:start_h": R(1.0, 0.0, 5.0),
    "ClearanceWindow:stop_h": R(5.0, 1.0, TMAX, inf_ok=True),
    "it_infusion_ug_per_day:start_h": R(0.0, 0.0, TMAX),
    "it_infusion_ug_per_day:stop_h": R(math.inf, 0.0, TMAX, inf_ok=True),
    "it_bolus_ug:time_h": R(0.0, 0.0, TMAX),
    "PKParams.child:weight_kg": R(20.0, 0.1, 500.0),
    "paediatric_regimen:weight_kg": R(20.0, 0.1, 500.0),
    "paediatric_regimen:age_y": R(6.0, 0.0, 17.9),
    "paediatric_regimen:days": Spec("count", 7, 0, MAX_DAYS // 4),
    "repeated_doses:n_doses": Spec("count", 5, 0, 2000),
    "repeated_doses:tau_h": R(8.0, 0.1, TSPAN),
    "repeated_doses:start_h": R(0.0, 0.0, 1e4),
    "label_titration:days": Spec("count", None, 0, MAX_DAYS // 4),
    "csf_drain_fraction:volume_removed_mL": R(30.0, 0.0, 130.0),
    "overdose.haemodialysis:start_h": R(6.0, 0.0, TSPAN),
    "overdose.haemodialysis:cl_L_per_h": R(7.7, 0.0, 1e4),
    "overdose.haemofiltration:start_h": R(6.0, 0.0, TSPAN),
    "overdose.haemodialysis:duration_h": R(4.0, 0.1, TSPAN),
    "overdose.haemofiltration:duration_h": R(24.0, 0.1, 1e4),
    "overdose.haemofiltration:cl_L_per_h": R(2.4, 0.0, 1e4),
    "pk.haemodialysis:start_h": R(6.0, 0.0, 1e5),
    "pk.haemodialysis:cl_L_per_h": Spec("real", None, 0.0, 1e4),
    "pk.haemofiltration:start_h": R(6.0, 0.0, 1e5),
    "pk.haemofiltration:duration_h": R(24.0, 0.1, 1e5, inf_ok=True),
    "pk.haemofiltration:cl_L_per_h": Spec("real", None, 0.0, 1e4),
    "intrathecal_overdose:delivered_daily_dose_ug": Spec("real", 2400.0, 0.0, 1e6),
    "compare_it_interventions:delivered_daily_dose_ug": Spec("real", 2400.0, 0.0, 1e6),
    "compare_it_interventions:csf_removed_mL": Spec("seq_real", (30.0, 40.0), 0.0, 130.0),
    "compare_extracorporeal:amount_mg": R(1200.0, 1.0, 1e5),
    "compare_extracorporeal:start_h": R(6.0, 0.0, 200.0),
    "compare_extracorporeal:kidneys": Spec("seq_kidneys", ("normal", "failed")),
    "oral_overdose:amount_mg": Spec("real", 600.0, 0.0, 1e6, lo_open=True),
    "oral_overdose:duration_h": R(96.0, 1.0, 2000.0),
    "oral_overdose:kidneys": Spec("kidneys", "normal", choices=("normal", "failed")),
    "oral_withdrawal:daily_dose_mg": Spec("real", 30.0, 0.01, 1e4),
    "compare_taper:daily_dose_mg": R(30.0, 0.01, 1e4),
    "taper_schedule:daily_dose_mg": R(30.0, 0.01, 1e6),
    "taper_schedule:taper_days": Spec("count", 14, 0, MAX_DAYS),
    "plan_pump:daily_dose_ug": R(500.0, 0.0, 1e5),
    "plan_pump:fill_volume_mL": R(20.0, 0.1, 20.0),
    "plan_pump:concentration_ug_per_mL": R(2000.0, 10.0, 1e5),
    "days_to_alarm:fill_volume_mL": R(20.0, 0.0, 1e4),
    "days_to_empty:fill_volume_mL": R(20.0, 0.0, 1e4),
    "days_to_alarm:alarm_volume_mL": R(2.0, 0.0, 1e4),
    "volume_mL_per_day:daily_dose_ug": R(500.0, 0.0, 1e6),
    "delivered_daily_dose_ug:daily_dose_ug": R(500.0, 0.0, 1e6),
    "rate_ug_per_h:daily_dose_ug": R(500.0, 0.0, 1e9),
    "rate_mg_per_h:daily_dose_ug": R(500.0, 0.0, 1e9),
    "daily_dose_flags:daily_dose_ug": R(500.0, 0.0, 1e9),
    "delivered_daily_dose_ug:programmed_concentration_ug_per_mL": R(2000.0, 1e-3, 1e6),
    "csf_removal_fraction:csf_removed_mL": R(30.0, 0.0, 100.0),
    "csf_removal_fraction:csf_volume_mL": Spec("real", None, 100.0, 1e4),
    "intrathecal_overdose:csf_volume_mL": Spec("real", None, 100.0, 1e4),
    "kidney_params:kidneys": Spec("kidneys", "normal", choices=("normal", "failed")),
    "css_avg:cl_L_per_h": Spec("array", 7.99, 1e-6, 1e6),
    "mg_to_ug:amount_mg": Spec("array", 10.0, 0.0, AMT),
    "ug_to_mg:amount_ug": Spec("array", 50.0, 0.0, 1e12),
    "pump.mg_to_ug:amount_mg": Spec("array", 10.0, 0.0, 1e9),
    "pump.ug_to_mg:amount_ug": Spec("array", 50.0, 0.0, 1e12),
    "bateman:dose_mg": R(10.0, 0.0, AMT),
    "peak_trough_ss:dose_mg": R(10.0, 0.0, AMT),
    "peak_trough_ss:tau_h": R(8.0, 1e-3, TSPAN),
    "bateman:cl_L_per_h": R(7.99, 5e-5, 1e6),
    "bateman:v_L": R(43.7, 1e-5, 7e6),
    "bateman:ka_per_h": R(1.64, 1e-6, 1e6),
    "peak_trough_ss:ka_per_h": R(1.64, 1e-6, 1e6),
    "peak_trough_ss:cl_L_per_h": R(7.99, 1e-3, 1e6),
    "peak_trough_ss:v_L": R(43.7, 1e-5, 7.9e4),
    "time_to_steady_state:fraction": R(0.9, 1e-9, 0.999999),
    "Quantity.to:unit": Spec("choice", "mg", choices=("g", "mg", "ug")),
    "PKParams.from_apparent:f_oral": R(0.74, 0.01, 1.0),
    "PumpScenario.concentrations_at:times_h": Spec("scenario_times", T),
    "ITOverdoseResult.concentrations_at:times_h": Spec("scenario_times", T),
    "delivered_daily_dose_ug:filled_concentration_ug_per_mL": R(500.0, 1e-3, 1e6),
    "concentration_flags:concentration_ug_per_mL": R(2000.0, 1e-3, 1e6),
    "kidney_adjusted_dose_mg:dose_mg": R(10.0, 0.0, 1e8),
    "PumpPlan.infusion:start_h": R(0.0, 0.0, TMAX),
    "param_value:name": Spec("choice", "ka_per_h", choices=("ka_per_h", "f_oral")),
    "param_value:set_name": Spec("choice", "adult", choices=("adult",)),
    "symptom_table:route": Spec("choice", None, choices=("oral", "intrathecal")),
    "risk_factors:route": Spec("choice", None, choices=("oral", "intrathecal")),
    "withdrawal.management_table:route": Spec("choice", None, choices=("oral", "intrathecal")),
    "Quantity:value": R(2.0, 0.0, 1e12),
    "to_unit:unit": Spec("choice", "mg", choices=("mg", "ug")),
    "to_unit:name": Spec("text", "x"),
    "missed_dose:remembered_at_h": Spec("real", None, 8.0, 100.0),
    "nca:times_h": Spec("times", T),
    "flag_codes:flags": Spec("text", []),
    "mean_concentrations:start_h": R(1.0, 0.0, 20.0),  # < the stop_h base (24 h)
    "mean_concentrations:stop_h": R(24.0, 5.0, TMAX),
    # with age_y=60 and weight_kg=70 a creatinine clearance <= 1000 mL/min needs SCr >= 0.078 mg/dL
    "PKParams.from_cockcroft_gault:scr_mg_per_dL": R(1.0, 0.08, 30.0),
    "PKParams.from_cockcroft_gault:scr_umol_per_L": Spec("real", None, 7.0, 2652.0),
    "oral_regimen:dose_mg": R(10.0, 0.0, AMT, lo_open=True),
    "oral_regimen:days": Spec("count", 3, 0, MAX_DAYS // 4),
    "population.model:name": Spec("choice", "simon2018", choices=("simon2018", "marsot2013", "he2014")),
    "draw_cohort:name": Spec("choice", "simon2018", choices=("simon2018", "marsot2013", "he2014")),
    "draw_cohort:n": Spec("count", 1000, 1, 1_000_000),
    "draw_cohort:weight_kg": R(70.0, 0.1, 500.0),
    "simulate_cohort:doses": Spec("events", EVS),
    "hidden_patient:seed": Spec("count", None, 0, 2**32),
    "hidden_patient:dose_mg": R(20.0, 0.0, AMT, lo_open=True),
    "hidden_patient:tau_h": R(8.0, 1.0, 48.0),
    "regimen_summary:interval_h": R(8.0, 1.0, 48.0),
    "regimen_summary:n": Spec("count", 500, 1, 20_000),  # x 336 times <= MAX_COHORT_CELLS
    "regimen_summary:days": R(7.0, 1.0, 60.0),
    "regimen_summary:step_h": R(0.5, 0.01, 24.0),
    "compare_designs:designs": Spec("mapping", None),
    "compare_designs:n_patients": Spec("count", 3, 1, 5),  # valid up to 1000; drawn small (MAP fits)
    "compare_designs:first_seed": Spec("count", 1000, 0, 2**32),
    "compare_designs:dose_mg": R(20.0, 0.1, 1000.0),  # monitoring.DESIGN_DOSE_RANGE_MG
    "regimen_summary:dose_mg": R(20.0, 0.0, AMT, lo_open=True),
    "compare_designs:tau_h": R(8.0, 1.0, 48.0),
    "dose_flags:tau_h": R(8.0, 1.0, 48.0),  # monitoring.TAU_RANGE_H
    "dose_flags:dose_mg": R(20.0, 0.0, AMT),
    "map_estimate:dose_mg": R(20.0, 0.0, AMT, lo_open=True),
    "map_estimate:tau_h": R(8.0, 7.5, 48.0),  # the base samples reach 7.5 h after the dose
    "propose_dose_mg:cl_over_f_L_per_h": R(10.8, 1e-5, 1e4),
    "propose_dose_mg:tau_h": R(8.0, 1.0, 48.0),
    "steady_state_mg_per_L:ka_per_h": R(1.64, K_LO, K_HI),
    # arrays of CL/F and V/F broadcast with the times (drawn as scalars in test_population_properties.py)
    "steady_state_mg_per_L:cl_over_f_L_per_h": Spec("array", 10.8, 1e-5, 1e4),
    "steady_state_mg_per_L:v_over_f_L": Spec("array", 59.0, 1e-5, 1e6),
    "steady_state_mg_per_L:dose_mg": R(20.0, 0.0, AMT),
    "steady_state_mg_per_L:tau_h": R(8.0, 8.0, 48.0),  # the base times reach 8 h after the dose
    "errors.replay:name": Spec("choice", "mg_ug_slip", choices=("mg_ug_slip", "doubled_dose")),
    "coursework.number:value": Spec("answer", None),
    "coursework.letter:value": Spec("letter_answer", None),
    "coursework.reveal:name": Spec("text", "prediction"),
    "coursework.SelfCheck.check:question": Spec("choice", "q1", choices=("q1", "q2", "q3")),
}

#: Required arguments that are not described by a base value in SPECS (per short qualname).
REQUIRED: dict[str, dict[str, Any]] = {
    "pk.PKParams": {"ka_per_h": 1.64, "cl_L_per_h": 7.99, "v_L": 43.66},
    "pk.PKParams.from_apparent": {
        "ka_per_h": 1.64,
        "cl_over_f_L_per_h": 10.8,
        "v_over_f_L": 59.0,
        "f_oral": 0.74,
    },
    "pk.PKParams.from_cockcroft_gault": {
        "age_y": 60.0,
        "weight_kg": 70.0,
        "female": True,
        "scr_mg_per_dL": 1.0,
    },
    "pk.cockcroft_gault_mL_per_min": {"age_y": 60.0, "weight_kg": 70.0, "female": True, "scr_mg_per_dL": 1.0},
    "pk.simulate": {"events": EVS, "params": P, "times_h": T},
    "pk.nca": {"times_h": T},
    "pk.bateman": {"t_h": T},
    "pk.missed_dose": {"events": EVS, "missed_index": 1},
    "pk.param_value": {"set_name": "adult", "name": "ka_per_h"},
    "pk.repeated_doses": {"n_doses": 5},
    "pk.clock_time_doses": {"amount_mg": 10.0, "days": 3},
    "pk.paediatric_regimen": {"weight_kg": 20.0, "age_y": 6.0},
    "pk.oral_regimen": {"dose_mg": 10.0, "doses_per_day": 3, "days": 3},
    "pk.titration_dose_mg": {"day": 0, "target_mg_per_dose": 20.0},
    "pk.kidney_adjusted_regimen": {"events": EVS},
    "pk.Regimen": {"events": EVS},
    "pk.PKParams.renal": {"crcl_mL_per_min": 50.0},
    "pump.missed_refill": {},
    "pump.concentration_mixup": {
        "programmed_concentration_ug_per_mL": 2000.0,
        "filled_concentration_ug_per_mL": 500.0,
    },
    "pump.delivered_daily_dose_ug": {
        "programmed_concentration_ug_per_mL": 2000.0,
        "filled_concentration_ug_per_mL": 500.0,
    },
    "pump.days_to_alarm": {"fill_volume_mL": 20.0, "alarm_volume_mL": 2.0, "volume_per_day_mL": 0.25},
    "pump.days_to_empty": {"fill_volume_mL": 20.0, "volume_per_day_mL": 0.25},
    "pump.plan_pump": {"daily_dose_ug": 500.0, "concentration_ug_per_mL": 2000.0, "fill_volume_mL": 20.0},
    "withdrawal.daily_average_plasma": {"events": EVS, "params": P, "n_days": 2},
    "withdrawal.intrathecal_withdrawal": {},
    "overdose.intrathecal_overdose": {"intended_daily_dose_ug": 600.0, "delivered_daily_dose_ug": 2400.0},
    "overdose.oral_overdose": {"amount_mg": 600.0},
    "overdose.csf_removal_fraction": {"csf_removed_mL": 30.0},
    "units.to_unit": {"x": 2.0, "unit": "mg", "name": "x"},
    "withdrawal.oral_withdrawal": {"daily_dose_mg": 30.0},
}
if population is not None:
    COHORT = population.draw_cohort("simon2018", 20, seed=1)
    PATIENT = monitoring.hidden_patient(1)
    SAMPLES = [1.5, 4.0, 7.5]
    LEVELS = [float(x) for x in monitoring.measure(PATIENT, SAMPLES)]
    ESTIMATE = monitoring.map_estimate(SAMPLES, LEVELS)
    REQUIRED.update(
        {
            "population.Cohort.patient": {"i": 3},
            "population.model": {"name": "simon2018"},
            "population.simulate_cohort": {"cohort": COHORT, "doses": EVS, "times_h": T},
            "population.summarise": {
                "conc_mg_per_L": population.simulate_cohort(COHORT, EVS, T),
                "times_h": T,
            },
            "monitoring.hidden_patient": {"seed": 1},
            "monitoring.measure": {"patient": PATIENT, "sample_times_h": SAMPLES},
            "monitoring.regression_estimate": {"sample_times_h": SAMPLES, "levels_mg_per_L": LEVELS},
            "monitoring.map_estimate": {"sample_times_h": SAMPLES, "levels_mg_per_L": LEVELS},
            "monitoring.propose_dose_mg": {"cl_over_f_L_per_h": 10.8, "target_avg_mg_per_L": 0.2},
            "monitoring.steady_state_mg_per_L": {
                "t_after_dose_h": np.linspace(0.0, 8.0, 17),
                "ka_per_h": 1.64,
                "cl_over_f_L_per_h": 10.8,
                "v_over_f_L": 59.0,
                "dose_mg": 20.0,
                "tau_h": 8.0,
            },
            "monitoring.check": {
                "patient": PATIENT,
                "estimates": [ESTIMATE],
                "proposed_dose_mg": 20.0,
                "target_avg_mg_per_L": 0.2,
            },
            "errors.replay": {"name": "mg_ug_slip"},
            "population.regimen_summary": {"dose_mg": 20.0, "interval_h": 8.0, "n": 50},
            "monitoring.compare_designs": {"designs": {"two": [2.0, 8.0]}, "n_patients": 3},
        }
    )
REQUIRED.update(
    {
        "coursework.number": {"value": 11.0},
        "coursework.letter": {"value": "b"},
        "coursework.close_enough": {"answer": 11.0, "expected": 11.04},
        "coursework.reveal": {"prediction": "A", "show": lambda: 1.0},
        "coursework.tolerance": {"notebook": "01_half_life", "question": "q1"},
        "coursework.variant_for": {"notebook": "01_half_life"},
        "coursework.SelfCheck": {"nb_path": str(NB_WITH_TESTS)},
        "coursework.SelfCheck.check": {"question": "q1", "global_env": {}},
    }
)

#: Arguments to change when a given parameter is probed (mutually exclusive parameters).
EXCLUSIVE: dict[str, dict[str, Any]] = {
    "withdrawal.oral_withdrawal:events": {"daily_dose_mg": None},
    "pk.repeated_doses:until_h": {"n_doses": None},
    "overdose.oral_overdose:doses": {"amount_mg": None},
    "pk.cockcroft_gault_mL_per_min:scr_umol_per_L": {"scr_mg_per_dL": None},
    "pk.PKParams.from_cockcroft_gault:scr_umol_per_L": {"scr_mg_per_dL": None},
    "overdose.intrathecal_overdose:csf_removed_at_h": {"csf_removed_mL": 30.0},
    "overdose.intrathecal_overdose:csf_removed_mL": {"csf_removed_at_h": 6.0},
    "overdose.intrathecal_overdose:pump_emptied_at_h": {"error_start_h": 2.0},
}


def call_kwargs(callee: Callee, param: str, value: Any) -> dict[str, Any]:
    """The base call with ``param`` set to ``value`` (and exclusive partners adjusted)."""
    kw = base_kwargs(callee)
    kw.update(EXCLUSIVE.get(f"{callee.qualname}:{param}", {}))
    kw[param] = value
    return kw


def spec_for(callee: Callee, param: str) -> Spec | None:
    """The spec of ``param`` of ``callee`` (override by short name, module-qualified name, then by name)."""
    short = callee.qualname.split(".", 1)[1]
    for key in (f"{callee.qualname}:{param}", f"{short}:{param}", f"{short.split('.')[-1]}:{param}"):
        if key in OVERRIDES:
            return OVERRIDES[key]
    return SPECS.get(param)


def base_value(callee: Callee, param: inspect.Parameter) -> tuple[bool, Any]:
    """(pass it?, value) for the valid base call."""
    req = REQUIRED.get(callee.qualname, {})
    if param.name in req:
        return True, req[param.name]
    sp = spec_for(callee, param.name)
    if param.default is not inspect.Parameter.empty:
        return False, param.default
    if param.name == "conc":
        return True, pk.simulate(EVS, P, T).plasma_mg_per_L
    if param.name == "plan":
        return True, pump.plan_pump(500.0, 2000.0, 20.0)
    if param.name == "scenario":
        return True, pump.catheter_failure(500.0)
    if param.name == "params":
        return True, P
    if sp is None:
        raise KeyError(
            f"{callee.qualname}: parameter {param.name!r} is not described in tests/fuzz/registry.py"
        )
    return True, sp.base


def base_kwargs(callee: Callee) -> dict[str, Any]:
    """Keyword arguments of a valid base call (required ones only)."""
    out = {}
    for prm in callee.params:
        give, val = base_value(callee, prm)
        if give:
            out[prm.name] = val
    return out


#: Result fields where ``inf`` means "never / not reached / never stops", by design and documented.
INF_OK_FIELDS = frozenset(
    {
        "stop_h",
        "total_mg",
        "hours_to_csf_50pct",
        "hours_to_csf_10pct",
        "hours_to_50pct",
        "hours_to_10pct",
        "hours_above_2x_intended",
        "hours_to_intended",
        "hours_above_therapeutic_max",
        "time_below_therapeutic_max_h",
        "days_to_alarm",
        "days_to_empty",
        "hours_to_empty",
        "refill_due_day",
        "window_end_h",
        "onset_h_max",
        "hours_above",
        "time_below_h",
        "hours_above_0.4_mg_per_L",
        "time_below_0.4_mg_per_L_h",
    }
)
#: Result fields where NaN means "not estimable" (nca without a terminal phase) or "not known" (tables).
NAN_OK_FIELDS = frozenset(
    {
        "auc_inf",
        "half_life_h",
        "lambda_z_per_h",
        "onset_h_min",
        "onset_h_max",
        "window_start_h",
        "window_end_h",
        "half_life_low_h",
        "half_life_high_h",
        "value",
        "level_mg_per_L",
        "n_patients",
        "peak_mg_per_L",
        "time_h",
        "dose_mg",
        "hours_saved_pct",
    }
)


#: Fields that are signed by design: scenario clocks (negative before the failure or the stop).
NEG_OK_FIELDS = frozenset(
    {
        "hours_since_failure",
        "hours_since_stop",
        "times_h",
        "time_h",
        # monitoring.Check: relative errors (estimate / truth - 1), signed by design
        "cl_error",
        "half_life_error",
        "dose_error",
        # monitoring.compare_designs: median signed error (bias) of the half-life, % (negative = too short)
        "regression_bias_percent",
        "map_bias_percent",
    }
)

#: Result fields that are NaN by design in one function only: "path:nan" as :func:`scan` reports it.
DOCUMENTED_NAN: dict[str, frozenset[str]] = {
    # one level, equal times or levels that do not fall: no slope, no estimate (documented)
    "monitoring.regression_estimate": frozenset({"out.cl_over_f_L_per_h:nan", "out.half_life_h:nan"}),
    # the relative error of an estimate that is NaN
    "monitoring.check": frozenset({"out.cl_error[regression]:nan", "out.half_life_error[regression]:nan"}),
    # a design with which regression estimates no patient's half-life (e.g. one sample): NaN columns
    "monitoring.compare_designs": frozenset(
        {"out.regression_bias_percent:nan", "out.regression_error_percent:nan"}
    ),
}


def scan(
    obj: Any, path: str = "out", depth: int = 0, out: list[tuple[str, str]] | None = None
) -> list[tuple[str, str]]:
    """(path, problem) for each NaN, inf or negative number in a result (dataclass fields, properties,
    dicts, lists, arrays, DataFrames), skipping the documented fields above."""
    import dataclasses

    import pandas as pd

    if out is None:
        out = []
    leaf = path.rsplit(".", 1)[-1].split("[", 1)[0].strip("'\"")
    if depth > 4:
        return out
    if isinstance(obj, (bool, np.bool_, str, bytes)) or obj is None:
        return out
    if isinstance(obj, (int, float, np.integer, np.floating)):
        x = float(obj)
        if math.isnan(x) and leaf not in NAN_OK_FIELDS:
            out.append((path, "nan"))
        elif math.isinf(x) and x > 0 and leaf not in INF_OK_FIELDS:
            out.append((path, "inf"))
        elif x < 0 and leaf not in NEG_OK_FIELDS:
            out.append((path, "negative" if math.isfinite(x) else "-inf"))
        return out
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fiu" and obj.size:
            for bad, test in (("nan", np.isnan), ("inf", np.isposinf), ("negative", lambda a: a < 0)):
                if bad == "nan" and leaf in NAN_OK_FIELDS:
                    continue
                if bad == "inf" and leaf in INF_OK_FIELDS:
                    continue
                if bad == "negative" and leaf in NEG_OK_FIELDS:
                    continue
                if bool(np.any(test(obj))):
                    out.append((path, bad))
        return out
    if isinstance(obj, pd.DataFrame):
        for col in obj.columns:
            if obj[col].dtype.kind in "fiu":
                scan(obj[col].to_numpy(), f"{path}.{col}", depth + 1, out)  # leaf = the column
        return out
    if isinstance(obj, dict):
        for k, v in obj.items():
            scan(v, f"{path}[{k}]", depth + 1, out)
        return out
    if isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj[:50]):
            scan(v, f"{path}[{i}]", depth + 1, out)
        return out
    if dataclasses.is_dataclass(obj) or type(obj).__module__.startswith("baclofen_teach"):
        names = [f.name for f in dataclasses.fields(obj)] if dataclasses.is_dataclass(obj) else []
        names += [n for n, a in vars(type(obj)).items() if isinstance(a, property) and not n.startswith("_")]
        for n in names:
            if n.startswith("_") or n in ("params",):
                continue
            try:
                val = getattr(obj, n)
            except Exception as exc:  # noqa: BLE001 - a property that raises is a finding
                out.append((f"{path}.{n}", f"raises {type(exc).__name__}"))
                continue
            scan(val, f"{path}.{n}", depth + 1, out)
    return out
