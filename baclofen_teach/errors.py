"""Medication errors replayed: each classic error as the intended and the erroneous curve, with the check
that would have caught it and what a published case says (or that no case was read).

What is modelled: the same engine and pump rules as the other scenarios (``pk.simulate``, ``pump``); the
errors are illustrative doses chosen for teaching (TEACHING CHOICE), not doses taken from the cases.
What is not: the clinical course of the cases (symptoms, treatment), pump mechanics beyond the volume a pump
moves, dialysis sessions (the dialysis patient is modelled between sessions, kidney function 0 mL/min).

Real cases (each ``case`` text names what was read, and where):

- bolus programmed wrongly: a morning bolus programmed in a SynchroMed II pump's flex mode delivered 60 µg
  every hour instead of 60 µg per day, a significant overdose (ISMP report [ismp_baclofen_flex]); bolus
  injections of 50 and 280 µg caused overdoses in a series of 43 patients [delhaas1991] (that abstract does
  not say whether programming errors were involved);
- normal oral dose on dialysis: one 25 mg tablet (given by a relative, not prescribed) caused neurotoxicity in
  a patient on haemodialysis [khazneh2018];
- 1000-fold mg/µg slip: no published case with baclofen was read; the nearest case read is the per-hour
  instead of per-day programming error above [ismp_baclofen_flex];
- wrong-concentration refill: no published case was read; refill mistakes of another kind (pocket fills,
  the drug injected into the pump pocket instead of the pump) caused overdoses [truex2020], and pocket fills
  were the subject of a Class I recall labelling correction [medtronic_pocketfill2011; fda_medsun2011];
  concentration confusion is reported for oral liquid baclofen [ismp_oral_liquid], and compounded
  intrathecal baclofen often deviates from its labelled concentration [compounded_itb2009];
- doubled oral dose: no published case with baclofen was read; a poison-centre series (infants, all drugs,
  not baclofen) counts "a medication given twice or too soon" among therapeutic errors [kang2016].

The checks cite the label where it gives the step: refilling by fully trained personnel following the pump
manufacturer's directions, and observation after each refill [label_gablofen_rxlist]; the programmer's
final side-by-side review of all settings [medtronic_a810_guide]; the screening boluses [label_lioresal_it];
the oral maximum [label_ozobax]; never two doses together [label_ch_lioresal_pil]; kidney function
[wolf2018]. Where a check is the course's own teaching choice (the 3000 µg/day unit-error threshold, the
concentration comparison, comparing a bolus with the screening doses), it says so.

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
    intended_ug = 100.0  # TEACHING CHOICE: 100 µg/day prescribed; 100 entered in mg, i.e. 100,000 µg/day
    wrong_ug = intended_ug * 1000.0
    a, b = _it_pair([pk.it_infusion_ug_per_day(intended_ug)], [pk.it_infusion_ug_per_day(wrong_ug)], t)
    return ErrorReplay(
        "mg_ug_slip",
        f"Intrathecal pump: {intended_ug:g} µg/day (0.1 mg/day) prescribed; the figure {intended_ug:g} is "
        f"entered in mg instead of µg, so the pump is programmed for {wrong_ug / 1000.0:g} mg/day = "
        f"{wrong_ug:g} µg/day (a 1000-fold unit slip).",
        t,
        "csf",
        a,
        b,
        "Check the programmed daily dose in µg/day before updating the pump: experience above 1000 µg/day "
        "is limited [label_de_lioresal_it]; above 3000 µg/day the course flags a probable unit error (a "
        "teaching threshold, not a label limit: pump.daily_dose_flags). The clinician programmer ends every "
        "workflow with a side-by-side comparison of all settings that the user must review before updating "
        "the pump [medtronic_a810_guide].",
        "No published case of a 1000-fold mg/µg slip with baclofen was read for this course (searched: "
        "intrathecal baclofen mg/µg, decimal and tenfold errors; ISMP reports). The nearest case read is a "
        "per-hour instead of per-day programming error: a morning bolus was programmed so that the pump "
        "delivered 60 µg every hour throughout the day rather than 60 µg per day, and the patient had a "
        "significant baclofen overdose [ismp_baclofen_flex].",
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
        "At every refill, check that the concentration in the syringe is the concentration programmed in the "
        "pump: the pump turns the programmed dose into a volume with the programmed concentration "
        "(pump.concentration_mixup; this comparison is the course's teaching choice, not a step quoted from "
        "a label). The label asks that refilling be performed by fully trained and qualified personnel "
        "following the pump manufacturer's directions, and that a period of observation follow each refill "
        "[label_gablofen_rxlist]. Against a pocket fill, check that the needle has reached the needle stop "
        "in the pump reservoir [fda_medsun2011].",
        "No published case of a wrong-concentration refill with intrathecal baclofen was read for this "
        "course (searched: concentration errors, refill mix-ups, 2000 vs 500 µg/mL, ISMP reports). Refill "
        "mistakes of another kind are documented: in two patients, baclofen injected into the pump pocket "
        "instead of the pump (a pocket fill) caused an overdose within hours of the refill, and on average "
        "60 mg of baclofen was aspirated from the pockets [truex2020]; Medtronic reported 8 deaths and 270 "
        "events requiring medical intervention related to pocket fills from May 1996 to September 2010, all "
        "drugs together [medtronic_pocketfill2011]. Concentration problems of other kinds were read: ISMP "
        "has received several reports of confusion between compounded oral liquid baclofen concentrations "
        "(oral, not a pump) [ismp_oral_liquid], and 22 % of compounded intrathecal baclofen samples were "
        "more than 10 % above or below their labelled concentration [compounded_itb2009].",
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
        "Compare a programmed bolus with the screening boluses (50, 75, 100 µg [label_lioresal_it], read in "
        "drug-reference summaries of the US label) before giving it (pk.regimen_flags: "
        "it_bolus_above_screening_max; this comparison is the course's teaching choice: the label gives "
        "these doses for screening, not as a limit for a bolus in a patient on a pump), and review the "
        "programmer's side-by-side comparison of all settings before updating the pump "
        "[medtronic_a810_guide].",
        "A morning bolus programmed in the flex mode of a SynchroMed II pump made the pump deliver 60 µg "
        "every hour throughout the day rather than 60 µg per day; the patient had a significant baclofen "
        "overdose with persistent weakness of the legs [ismp_baclofen_flex]. Bolus injections of 50 and "
        "280 µg caused intrathecal overdoses in a series of 43 patients [delhaas1991]; that abstract does "
        "not say whether programming errors were involved.",
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
        f"Check kidney function before prescribing or giving baclofen: the course flags creatinine clearance "
        f"below {pk.AVOID_BELOW_CRCL_ML_PER_MIN:g} mL/min; a case report with a review of the literature "
        "advises avoiding baclofen at an estimated glomerular filtration rate below 30 mL/min/1.73 m² or on "
        "renal replacement therapy [wolf2018].",
        "A patient with end-stage renal disease on haemodialysis developed neurotoxicity after a single "
        "25 mg tablet, given to her by a relative (not prescribed), and improved after two extra "
        "haemodialysis sessions [khazneh2018].",
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
        "Check the administration record before each dose, and the 24 h total against the label maximum "
        "(pk.regimen_flags: oral_above_label_max); a forgotten dose is not taken together with the next one "
        "[label_ch_lioresal_pil].",
        "No published case of a doubled oral baclofen dose was read for this course (searched: poison-centre "
        "therapeutic errors with baclofen, double dosing, dispensing errors). What was read is not about "
        "baclofen: in US poison-centre calls for infants up to 6 months of age (2004-2013), therapeutic "
        "errors were 36.7 % of the unintentional exposures, and 42.8 % of them were nonquantitative errors "
        "such as a medication given twice or too soon [kang2016].",
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
