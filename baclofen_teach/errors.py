"""Medication errors replayed: each classic error as the intended and the erroneous curve, with the check
that would have caught it and what a published case says (or that no case was read).

What is modelled: the same engine and pump rules as the other scenarios (``pk.simulate``, ``pump``); the
errors are illustrative doses chosen for teaching (TEACHING CHOICE), not doses taken from the cases.
What is not: the clinical course of the cases (symptoms, treatment), pump mechanics beyond the volume a pump
moves, dialysis sessions (the dialysis patient is modelled between sessions, kidney function 0 mL/min).

Real cases (abstracts read): bolus injections of 50 and 280 µg caused intrathecal overdoses [delhaas1991]
(the abstract does not say whether they were programming errors); a single 25 mg tablet caused neurotoxicity
in a patient with end-stage renal disease on haemodialysis [khazneh2018]. For the 1000-fold mg/µg slip, the
wrong-concentration refill and the doubled oral dose no published case was read for this course: those rows
say so.

Educational model, not dosing advice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import pk, pump
from . import validation as v

__all__ = ["ERRORS", "ErrorReplay", "replay", "replay_all"]


@dataclass(frozen=True)
class ErrorReplay:
    """One error: curves (plasma for oral errors, CSF for intrathecal ones) intended vs erroneous, mg/L."""

    name: str
    description: str
    times_h: np.ndarray
    compartment: str
    intended_mg_per_L: np.ndarray
    erroneous_mg_per_L: np.ndarray
    check: str
    case: str
    flags: tuple[pk.Flag, ...]

    @property
    def peak_ratio(self) -> float:
        """Peak of the erroneous curve over the peak of the intended curve."""
        return float(self.erroneous_mg_per_L.max() / self.intended_mg_per_L.max())

    @property
    def exposure_ratio(self) -> float:
        """Area under the erroneous curve over the area under the intended one, over the times shown
        (trapezoid rule on the grid, a display number)."""
        return float(
            np.trapezoid(self.erroneous_mg_per_L, self.times_h)
            / np.trapezoid(self.intended_mg_per_L, self.times_h)
        )


def _it_pair(intended: list, erroneous: list, times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = pk.PKParams.adult()
    return (
        pk.simulate(intended, p, times).csf_mg_per_L,
        pk.simulate(erroneous, p, times).csf_mg_per_L,
    )


def _mg_ug_slip() -> ErrorReplay:
    t = np.arange(0.0, 48.0 + 1e-9, 0.1)
    intended_ug = 100.0  # TEACHING CHOICE: 0.1 mg/day prescribed, entered as 100 mg/day = 100,000 µg/day
    wrong_ug = intended_ug * 1000.0
    a, b = _it_pair([pk.it_infusion_ug_per_day(intended_ug)], [pk.it_infusion_ug_per_day(wrong_ug)], t)
    return ErrorReplay(
        "mg_ug_slip",
        f"Intrathecal pump: {intended_ug:g} µg/day prescribed as '0.1 mg/day', programmed as "
        f"{wrong_ug:g} µg/day (the mg figure read as µg x 1000).",
        t,
        "csf",
        a,
        b,
        "Check the programmed daily dose in µg/day against the label range before starting the pump: "
        "above 1000 µg/day experience is limited and above 3000 µg/day a unit error is probable "
        "(pump.daily_dose_flags).",
        "No published case of this slip was read for this course.",
        tuple(pump.daily_dose_flags(wrong_ug)),
    )


def _wrong_concentration() -> ErrorReplay:
    dose = 300.0  # TEACHING CHOICE
    ok = pump.concentration_mixup(dose, 500.0, 500.0)
    bad = pump.concentration_mixup(dose, 500.0, 2000.0)
    return ErrorReplay(
        "wrong_concentration",
        "Refill with 2000 µg/mL while the pump is programmed for 500 µg/mL (pump.concentration_mixup).",
        bad.times_h,
        "csf",
        ok.csf_mg_per_L,
        bad.csf_mg_per_L,
        "Check the vial's concentration against the concentration programmed in the pump at every refill "
        "(two people, read aloud).",
        "No published case of a wrong-concentration refill was read for this course.",
        tuple(bad.flags),
    )


def _bolus_programming() -> ErrorReplay:
    t = np.arange(0.0, 24.0 + 1e-9, 0.05)
    base = pk.it_infusion_ug_per_day(300.0)
    intended = 50.0  # TEACHING CHOICE: a 50 µg bolus programmed as 500 µg (one zero too many)
    wrong = 500.0
    a, b = _it_pair([base, pk.it_bolus_ug(2.0, intended)], [base, pk.it_bolus_ug(2.0, wrong)], t)
    events = [base, pk.it_bolus_ug(2.0, wrong)]
    return ErrorReplay(
        "bolus_programming",
        f"A {intended:g} µg intrathecal bolus programmed as {wrong:g} µg on top of 300 µg/day.",
        t,
        "csf",
        a,
        b,
        "Compare a programmed bolus with the screening boluses (50, 75, 100 µg [label_lioresal_it]) before "
        "giving it (pk.regimen_flags: it_bolus_above_screening_max).",
        "Bolus injections of 50 and 280 µg caused intrathecal overdoses in a series of 43 patients "
        "[delhaas1991]; the abstract does not say whether programming errors were involved.",
        tuple(pk.regimen_flags(events)),
    )


def _dialysis_oral() -> ErrorReplay:
    t = np.arange(0.0, 72.0 + 1e-9, 0.1)
    dose = [pk.Dose(time_h=0.0, amount_mg=25.0, route="oral")]
    normal = pk.simulate(dose, pk.PKParams.adult(), t).plasma_mg_per_L
    anuric = pk.simulate(dose, pk.PKParams.renal(0.0), t).plasma_mg_per_L
    return ErrorReplay(
        "dialysis_oral",
        "One 25 mg tablet in a patient on haemodialysis (modelled between sessions, CrCl 0 mL/min) "
        "against the same tablet with normal kidney function.",
        t,
        "plasma",
        normal,
        anuric,
        f"Check kidney function before prescribing: the course flags creatinine clearance below "
        f"{pk.AVOID_BELOW_CRCL_ML_PER_MIN:g} mL/min, where baclofen is best avoided [wolf2018].",
        "A single 25 mg tablet caused neurotoxicity in a patient with end-stage renal disease on "
        "haemodialysis, who improved after two extra haemodialysis sessions [khazneh2018].",
        (),
    )


def _doubled_dose() -> ErrorReplay:
    t = np.arange(0.0, 72.0 + 1e-9, 0.1)
    intended = [pk.Dose(time_h=6.0 * i, amount_mg=20.0, route="oral") for i in range(12)]
    doubled = [
        d if i != 4 else pk.Dose(time_h=d.time_h, amount_mg=40.0, route="oral")
        for i, d in enumerate(intended)
    ]
    p = pk.PKParams.adult()
    return ErrorReplay(
        "doubled_dose",
        "20 mg every 6 h (80 mg/day, the US label maximum [label_ozobax]); the dose at 24 h is given "
        "twice (40 mg).",
        t,
        "plasma",
        pk.simulate(intended, p, t).plasma_mg_per_L,
        pk.simulate(doubled, p, t).plasma_mg_per_L,
        "Check the administration record before each dose; the 24 h total against the label maximum "
        "(pk.regimen_flags: oral_above_label_max).",
        "No published case of a doubled oral dose was read for this course.",
        tuple(pk.regimen_flags(doubled)),
    )


#: The errors by name, each a function returning an :class:`ErrorReplay`.
ERRORS = {
    "mg_ug_slip": _mg_ug_slip,
    "wrong_concentration": _wrong_concentration,
    "bolus_programming": _bolus_programming,
    "dialysis_oral": _dialysis_oral,
    "doubled_dose": _doubled_dose,
}


def replay(name: str) -> ErrorReplay:
    """The error called ``name`` (one of :data:`ERRORS`) replayed: intended vs erroneous curve."""
    return ERRORS[v.choice(name, "name", tuple(ERRORS))]()


def replay_all() -> list[ErrorReplay]:
    """Every error of :data:`ERRORS`, replayed."""
    return [f() for f in ERRORS.values()]
