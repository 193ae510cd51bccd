"""Per-student variants of the exercise numbers, and the tolerances shared by self-checks and grading.

A student types an ID once, in the first code cell of a notebook (``STUDENT_ID = "..."``). The notebook
then calls :func:`variant_for` and uses the returned numbers (a dose, a time point, a half-life ...) in the
questions and in the text, tables and figures that the questions depend on. The variant is derived from
the ID with SHA-256 (stable across Python versions and machines; Python's ``hash()`` is salted per process
and must never be used), optionally mixed with a course-wide salt, so the hidden tests recompute the same
numbers from the same ID when an instructor grades the submission. Without an ID the notebook uses the
default variant (the first choice of every number) and says so.

The choices are declared as data, per notebook, in :data:`VARIANTS`; the tolerance of every numeric
question (one tolerance, used by the public self-check and by the hidden test alike) in
:data:`TOLERANCES`. See coursework/README.md, "Writing a variant exercise".

Course-wide salt (for a new cohort, so that last year's worked answers do not fit this year's IDs): set
the environment variable ``BACLOFEN_TEACH_SALT``, or ``salt = "..."`` in ``baclofen_teach/data/course.toml``
of your copy of the repository. The salt must be the same where students work and where you grade
(the file travels with the repository, so it is the simplest choice on Binder); it is not a secret.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SALT_ENV = "BACLOFEN_TEACH_SALT"
COURSE_FILE = Path(__file__).resolve().parents[1] / "data" / "course.toml"
DEFAULT_LABEL = "default"

#: The numbers each notebook draws from, per variant name: a tuple of allowed values; the FIRST value is
#: the default variant's. Keep every value inside a clinically sensible range and say why in a comment.
#: A key may be a tuple of names whose values are drawn together (each choice is a tuple of values), for
#: numbers that only make sense, or only avoid a printed number, in combination.
VARIANTS: dict[str, dict[str | tuple[str, ...], tuple[Any, ...]]] = {
    "01_half_life": {
        # Exercise 1: hours after a single dose at which the percentage left is asked (between 1.5 and
        # about 5 model half-lives; never a whole number of half-lives, which the table prints; not 10 h,
        # whose answer 16.0 % equals a printed number).
        "ex1_time_h": (12, 6, 8, 14, 16, 18),
        # Exercise 3 (explorer): a single oral dose of 30-40 mg (40 mg is the single dose of Wuis 1989)
        # and a half-life inside the published oral range 2.3-6.8 h. Never 20 mg with 4.5 h, the
        # explorer's starting setting (its readout would show the answer before any slider moves); the
        # combinations whose answer equals a number printed elsewhere (e.g. 7.6 h, two model half-lives)
        # are left out (tests/test_leakage.py finds them).
        "ex3_dose_mg": (40, 30, 35),
        "ex3_half_life_h": (5.5, 4.4, 5.0, 6.0, 6.5),
        # Exercise 4 (figure): the single dose drawn in the three-curve figure (15-30 mg, ordinary single
        # doses) and the time at which the concentration is read off, drawn together as one pair (a tuple
        # of names: the values are pairs). Left out: pairs whose answer is within the tolerance of a
        # printed number (the 0.08 mg/L threshold, the table's 0.25 and 0.125, "0.2", "0.1").
        ("ex4_dose_mg", "ex4_time_h"): (
            (20, 10),
            (20, 12),
            (20, 16),
            (25, 12),
            (25, 14),
            (25, 16),
            (15, 10),
            (15, 16),
            (30, 14),
            (30, 16),
        ),
        # Exercise 5: hours after the dose at which the longest published half-life is compared (not 18
        # or 48 h: the model-adult table's percentages would then coincide with the answer).
        "ex5_time_h": (24, 20, 30, 36, 42),
    },
    # >>> 02_oral_dosing: its entries go between these two markers (one helper per notebook)
    "02_oral_dosing": {
        # Exercise 1: an absorption rate constant (per h) inside the span of the three population studies
        # the figure draws (ka 1.64 [simon2018], 2.23 [chevillard2017], 4.6 [marsot2013]), never one of
        # them (the figure's key numbers print their peak times); not 2.0 (peak 1.32 h, the steady-state
        # peak time printed in section 3).
        "ex1_ka_per_h": (1.8, 2.6, 3.0, 3.5, 4.0),
        # Exercise 2 (ka = k): a half-life inside the published oral range 2.3-6.8 h [kriel1997; wuis1989],
        # never the model adult's 3.79 h (the cell above prints its peak time, 1/k).
        "ex2_half_life_h": (4.4, 2.5, 3.0, 5.0, 6.0, 6.8),
        # Exercise 4: a regimen of the label titration's doses (5-25 mg) every 6, 8 or 12 h, at most
        # 80 mg/day (the US maximum). Never 60 mg/day (20 mg every 8 h): the explorer's figure prints its
        # average level; each daily total appears once (Css,avg depends only on the daily dose).
        ("ex4_dose_mg", "ex4_tau_h"): ((15, 8), (10, 8), (25, 8), (10, 6), (20, 6), (5, 8)),
        # Exercise 5: the usual dose, three times a day, whose 08:00 dose on day 5 is doubled at 14:00
        # (ordinary doses of 10-25 mg, within the US 80 mg/day maximum; the doubled dose stays a
        # simulable error). Not 15 mg: its doubled peak (0.40 mg/L) is the printed top of the range.
        "ex5_dose_mg": (20, 10, 25),
        # Exercise 6: the seed of the synthetic NCA study (any integer; not 1-5, the seeds of the
        # "same study repeated" cell printed after the exercise).
        "ex6_seed": (2026, 11, 42, 99, 123, 314, 777),
    },
    # <<< 02_oral_dosing
    # >>> 03_special_populations: its entries go between these two markers (one helper per notebook)
    "03_special_populations": {
        # Exercise 1 (Cockcroft-Gault): an older woman (72-82 years, 54-65 kg) with a serum creatinine of
        # 1.3-1.6 mg/dL (mildly raised), drawn together; each gives a CrCl of about 28-37 mL/min, none
        # within rounding of a CrCl the notebook prints (30, 36 ...), of a child's weight printed for
        # exercise 4 or of the CrCl printed for exercise 2. No creatinine of 1.1 or 1.2 mg/dL: printed
        # for the student, it would round the exercise 5 answer (1.09, 1.25 mg/L).
        ("ex1_age_y", "ex1_weight_kg", "ex1_scr_mg_per_dL"): (
            (78, 55, 1.4),
            (72, 60, 1.3),
            (82, 54, 1.3),
            (80, 65, 1.5),
            (75, 58, 1.6),
            (74, 62, 1.5),
        ),
        # Exercise 2 (kidney control): a creatinine clearance on the control's 5 mL/min grid between
        # moderate and mild impairment; never 30 (the app's starting value, its readout shows the
        # half-life) nor 100, 60, 15, 10 or 5, whose half-lives the figure and tables print; not 70 or 75
        # (half-lives 5.1 and 4.8 h, published values quoted in the text).
        "ex2_crcl_mL_per_min": (25, 35, 45, 50, 55, 40),
        # Exercise 4 (child): age and a body weight plausible for that age (5-11 years, 22-38 kg), heavy
        # enough that 2 mg/kg/day exceeds the label cap (40 mg/day under 8, 60 mg/day from 8
        # [label_uk_smpc]); the answer, cap / weight, is then never a number the notebook prints. The
        # weights avoid the CrCl answers of exercise 1 (28-39), which a copying student could try.
        ("ex4_age_y", "ex4_weight_kg"): ((7, 26), (10, 34), (5, 22), (6, 25), (11, 35), (7, 23)),
        # Exercise 5 (worked case figure): which patient and which day's highest level is read; never
        # day 5, whose peaks the key numbers and the text print, nor patient A (within the range every day).
        # Patient C only: B's day-1 peak (0.53 mg/L) rounds to a printed 0.5, and C's day-4 peak is
        # within half a grid step of the 1.35 mg/L the text gives for day 5.
        ("ex5_patient", "ex5_day"): (
            ("C: on dialysis", 3),
            ("C: on dialysis", 2),
            ("C: on dialysis", 1),
        ),
    },
    # <<< 03_special_populations
    # >>> 04_oral_vs_intrathecal: its entries go between these two markers (one helper per notebook)
    "04_oral_vs_intrathecal": {
        # Exercise 1: an intrathecal maintenance dose inside the usual 300-800 µg/day (Rote Liste,
        # Medscape) and an oral maintenance dose inside the labels' 30-80 mg/day, drawn together so that
        # the ratio is never a number the notebook prints (100, 150, 20 ...). Not 400 µg/day, the worked
        # example (its mg/day is printed in the section 3 table), nor 300 or 800 (0.3 and 0.8 mg/day are
        # printed in the text).
        ("ex1_it_ug_per_day", "ex1_oral_mg_per_day"): (
            (350, 30),
            (450, 60),
            (500, 45),
            (600, 75),
            (700, 50),
            (350, 80),
            (450, 30),
            (500, 70),
        ),
        # Exercise 2: one intrathecal bolus between the 25 µg screening dose considered in very small
        # patients and the 100 µg top screening step; never 50, 75 or 100 µg, whose CSF peaks are
        # printed under the screening figure.
        "ex2_bolus_ug": (60, 25, 40, 80, 90),
        # Exercise 4: a pump rate inside the usual 300-800 µg/day maintenance range, low enough for the
        # figure's fixed axis (0-0.85 mg/L). Not 400 µg/day (its steady state is worked out in the
        # formula cell after the question), nor 300 or 600 (their steady states are within the
        # tolerance of printed numbers: 0.4 mg/day in the table, 0.84 mg/L in section 6).
        "ex4_it_ug_per_day": (500, 350, 450, 550),
    },
    # <<< 04_oral_vs_intrathecal
    # >>> 05_pump_and_withdrawal: its entries go between these two markers (one helper per notebook)
    "05_pump_and_withdrawal": {
        # Exercise 1: pump settings drawn together: a daily dose inside the usual 300-800 µg/day
        # maintenance range (one low dose with the weakest solution), a concentration on the market
        # (500, 1000, 2000 µg/mL) and a reservoir of 20 or 40 mL (SynchroMed II). Every combination
        # reaches the 2 mL alarm before the 180-day maximum interval, because 180 is printed (a refill
        # limited by it would be answered by copying); none gives 72 or 80 days (the worked example)
        # or 90 days (printed: the ERI-to-stop interval).
        ("ex1_dose_ug_per_day", "ex1_conc_ug_per_mL", "ex1_reservoir_mL"): (
            (400, 1000, 40),
            (300, 2000, 20),
            (600, 2000, 40),
            (300, 1000, 20),
            (500, 1000, 40),
            (700, 2000, 20),
            (450, 2000, 40),
            (150, 500, 20),
        ),
        # Exercise 2: a CSF half-life inside the published 1-5 h (Swiss label, Sallerin 1991, Penn
        # 1987); never 1, 1.5, 3 or 5 h, whose times to 10 % the table prints, nor 4.5 h (14.96 h is
        # within the tolerance of a printed 15).
        "ex2_csf_half_life_h": (2.5, 2.0, 3.5, 4.0),
    },
    # <<< 05_pump_and_withdrawal
    # >>> 06_overdose: its entries go between these two markers (one helper per notebook)
    "06_overdose": {
        # Exercise 1 (figure): the amount swallowed, drawn for failed kidneys. Overdoses of 300-1000 mg:
        # above the 200 mg from which coma, delirium and seizures occurred in one series [leung2006],
        # below the 1200 mg of the prediction's case; every crossing of 0.4 mg/L stays inside the 120 h
        # figure. 600 mg (the section 1 explorer's amount) is the default.
        "ex1_amount_mg": (600, 300, 400, 500, 700, 800, 1000),
        # Exercise 2: creatinine clearances of the two persons on haemodialysis. Healthy: 90-120 mL/min
        # (normal kidney function; 100 is the model's reference value). Failed: 5-14 mL/min (kidney
        # failure is below 15 mL/min; 10 is the package's "failed" value, the default).
        "ex2_healthy_crcl_mL_per_min": (100, 90, 110, 120),
        "ex2_failed_crcl_mL_per_min": (10, 5, 7, 12, 14),
        # Exercise 3: volume of CSF drained, inside the intrathecal label's 30-40 mL [label_lioresal_it];
        # never 30 or 40 mL, whose fractions the comparison table prints.
        "ex3_drain_mL": (35, 32, 33, 34, 36, 37, 38),
    },
    # <<< 06_overdose
    # >>> 07_evaluating_sources: its entries go between these two markers (one helper per notebook)
    "07_evaluating_sources": {
        # Exercise 1: the plasma level the fall is timed from, 0.45-1.2 mg/L: above the reported
        # reference range (0.08-0.40 mg/L) and inside the levels reported after overdoses
        # (0.049-6.0 mg/L) [perry1998]. Never 0.4 mg/L (section 1 prints its times) nor 0.8 mg/L
        # (one model half-life more than a printed time); not 0.5 or 0.6 mg/L, whose answers
        # (10.0 and 11.0 h) equal printed numbers (tests/test_leakage.py finds them).
        "ex1_start_mg_per_L": (0.7, 0.45, 0.55, 0.65, 0.75, 0.85, 0.9, 1.0, 1.2),
        # Exercise 2 (figure): the time at which the 34 h curve is read, 1.5-3 days after the dose (the
        # article's "about 72 hours" is the default), on the figure's 6 h grid lines; not 78 h or
        # later, whose answers (20, 18, 16, 14 %) equal printed numbers.
        "ex2_time_h": (72, 36, 48, 54, 60, 66),
        # Exercise 5: Sam's adjusted pump dose, inside the usual intrathecal maintenance range of
        # 300-800 µg/day [label_de_lioresal_it]; never 400 µg/day, Sam's dose, whose plan is printed,
        # nor 500 µg/day (80 days, a number the notebook prints).
        "ex5_dose_ug_per_day": (600, 300, 350, 450, 550, 650, 700, 750, 800),
    },
    # <<< 07_evaluating_sources
    # >>> 08_virtual_patients: its entries go between these two markers (one helper per notebook)
    "08_virtual_patients": {
        # Exercise 1: an ordinary oral regimen (10-20 mg per dose, 30-60 mg/day, inside the labels' usual
        # doses and below the 80 mg/day US maximum [label_ozobax]) taken at a reduced creatinine clearance
        # (20-45 mL/min, where a review advises a lower dose or avoiding baclofen [wolf2018]): the cohort
        # app's key numbers at normal kidney function (12 % below, 0 % above, printed by the static figure)
        # are never the answer. Combinations whose percentage is within 0.5 of a printed number are left
        # out (e.g. 15 mg every 8 h at 35 mL/min gives 12.0 %, the static figure's "below"; 15 mg at
        # 30 mL/min gives 21.6 %, near the printed 22 % IIV; 10 mg every 6 h at 30 mL/min gives 15.4 %;
        # 15 mg every 6 h at 35 mL/min gives 59.4 %, near an estimate's error once printed as +59 %).
        ("ex1_dose_mg", "ex1_interval_h", "ex1_crcl_mL_per_min"): (
            (20, 8, 40),
            (15, 6, 45),
            (20, 8, 35),
            (15, 8, 20),
            (10, 6, 25),
        ),
        # Exercise 2: two invented levels after the peak in one 8 h interval, 0.085-0.35 mg/L (around the
        # reported reference range 0.08-0.40 mg/L [perry1998]), giving half-lives of 3.6-6.3 h, inside the
        # published oral half-lives of about 2.3-6.8 h [kriel1997; wuis1989]. Levels with three significant
        # digits at most; none whose half-life is within 0.05 h of a number printed for any hidden patient
        # (0.31 and 0.12 mg/L at 2 and 8 h give 4.38 h, near a printed 4.4 h).
        ("ex2_t1_h", "ex2_c1_mg_per_L", "ex2_t2_h", "ex2_c2_mg_per_L"): (
            (2, 0.34, 8, 0.14),
            (3, 0.28, 8, 0.13),
            (2, 0.35, 7, 0.17),
            (3, 0.24, 8, 0.092),
            (2.5, 0.3, 7.5, 0.155),
            (3, 0.33, 8, 0.19),
            (2, 0.26, 8, 0.085),
        ),
        # Section 2 and exercise 4: the seed of the student's hidden patient (population model of
        # [simon2018]); seeds whose true half-life is 3.8-6.5 h (inside the published range), so that no
        # student gets an extreme outlier. Never 1000-1099, the patients of the design comparison.
        "hidden_seed": (2, 1, 4, 5, 7, 8, 0),
        # Exercise 4: the target average level, a TEACHING CHOICE inside the reported reference range
        # 0.08-0.40 mg/L [perry1998] (a laboratory range, not a validated target [knutsson1974]); never
        # 0.2 mg/L, the monitoring app's starting target, whose dose proposal the static figure prints.
        # Up to 0.22 mg/L so that the dose for the fastest hidden patient stays below 80 mg/day.
        "ex4_target_mg_per_L": (0.15, 0.12, 0.18, 0.22),
        # Exercise 6: which replayed error the exposure ratio is computed for; not the mg/µg slip (its
        # ratio is the 1000 the description prints) nor the tablet on dialysis (its 6.00 is within the
        # tolerance of the "every 6 h" printed in the doubled-dose description).
        "ex6_error": ("wrong_concentration", "bolus_programming", "doubled_dose"),
    },
    # <<< 08_virtual_patients
}

#: One tolerance per numeric question, used by the public self-check AND the hidden test
#: (``close_enough(answer, expected, **tolerance(notebook, question))``). "Rounded as the notebook prints
#: such numbers": a value the notebook prints with one decimal gets abs = 0.05 (half a unit of the last
#: printed digit); a value read off a plot gets half a grid step.
TOLERANCES: dict[str, dict[str, dict[str, float]]] = {
    "01_half_life": {
        "q1": {"abs": 0.05},  # percent, printed with one decimal
        "q3": {"abs": 0.05},  # hours, the explorer's readout has one decimal
        "q4": {"abs": 0.01},  # mg/L read off the figure: half a grid step (grid every 0.02 mg/L)
        "q5": {"abs": 0.05},  # percent, printed with one decimal
    },
    # >>> 02_oral_dosing: its entries go between these two markers (one helper per notebook)
    "02_oral_dosing": {
        "q1": {"abs": 0.005},  # hours, the figure's key numbers print peak times with two decimals
        "q2": {"abs": 0.05},  # hours, the notebook prints 1/k with one decimal
        "q4": {"abs": 0.0005},  # mg/L, the notebook prints concentrations with three decimals
        "q5": {"abs": 0.025},  # mg/L read off the figure: half a grid step (grid every 0.05 mg/L)
        "q6": {"abs": 0.005},  # hours, NCA half-lives are printed with two decimals
    },
    # <<< 02_oral_dosing
    # >>> 03_special_populations: its entries go between these two markers (one helper per notebook)
    "03_special_populations": {
        "q1": {"abs": 0.5},  # mL/min, the notebook prints clearances as whole numbers
        "q2": {"abs": 0.05},  # hours, the app's readout has one decimal
        "q4": {"abs": 0.005},  # mg/kg/day, two decimals
        "q5": {"abs": 0.05},  # mg/L read off the figure: half a grid step (grid every 0.1 mg/L)
    },
    # <<< 03_special_populations
    # >>> 04_oral_vs_intrathecal: its entries go between these two markers (one helper per notebook)
    "04_oral_vs_intrathecal": {
        "q1": {"rel": 0.01},  # mg/day and the ratio: 1 % accepts the ratio rounded to a whole number
        "q2": {"abs": 0.005},  # mg/L, two decimals as the screening figure's key numbers
        "q4": {"abs": 0.025},  # mg/L read off the figure: half a grid step (grid every 0.05 mg/L)
    },
    # <<< 04_oral_vs_intrathecal
    # >>> 05_pump_and_withdrawal: its entries go between these two markers (one helper per notebook)
    "05_pump_and_withdrawal": {
        "q1": {"abs": 0.5},  # days (both answers), the worked example prints whole days
        "q2": {"abs": 0.05},  # hours, the table prints one decimal
    },
    # <<< 05_pump_and_withdrawal
    # >>> 06_overdose: its entries go between these two markers (one helper per notebook)
    "06_overdose": {
        "q1": {"abs": 3.0},  # hours read off the figure: half a grid step (grid lines every 6 h)
        "q2": {"abs": 0.01},  # fractions to two decimals, from clearances printed with two decimals
        "q3": {"abs": 0.005},  # fraction to two decimals, as the comparison table prints fractions
    },
    # <<< 06_overdose
    # >>> 07_evaluating_sources: its entries go between these two markers (one helper per notebook)
    "07_evaluating_sources": {
        "q1": {"abs": 0.05},  # hours, one decimal as the notebook prints times
        "q2": {"abs": 2.5},  # percent read off the figure: half a grid step (grid lines every 5 %)
        "q5": {"abs": 0.5},  # days, to the nearest day as the pump planner prints days
    },
    # <<< 07_evaluating_sources
    # >>> 08_virtual_patients: its entries go between these two markers (one helper per notebook)
    "08_virtual_patients": {
        "q1": {"abs": 0.5},  # percent, the cohort app prints whole percentages
        "q2": {"abs": 0.05},  # hours, one decimal as the monitoring app prints half-lives
        "q4": {"abs": 0.05},  # mg, one decimal as the monitoring app prints dose proposals
        "q6": {"abs": 0.005},  # ratio, two decimals
    },
    # <<< 08_virtual_patients
}


def course_salt() -> str:
    """The course-wide salt: ``$BACLOFEN_TEACH_SALT`` if set, else ``salt`` in data/course.toml, else ""."""
    env = os.environ.get(SALT_ENV)
    if env is not None:
        return env.strip()
    try:
        with COURSE_FILE.open("rb") as f:
            return str(tomllib.load(f).get("salt", "")).strip()
    except (OSError, tomllib.TOMLDecodeError):
        return ""


def normalise_id(student_id: object) -> str:
    """The ID as used for hashing: text, surrounding spaces removed, case ignored ("" for no ID)."""
    if student_id is None or student_id is ...:
        return ""
    return str(student_id).strip().lower()


def _index(key: str, n: int) -> int:
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n


@dataclass(frozen=True)
class Variant(Mapping[str, Any]):
    """The exercise numbers of one notebook for one student ID (a read-only mapping).

    Attributes:
        notebook: e.g. ``"01_half_life"``.
        student_id: the ID as typed ("" when none was entered).
        label: a short code for the variant ("default" without an ID), shown in the grading summary.
        values: the numbers, by name.
    """

    notebook: str
    student_id: str
    label: str
    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        try:
            return self.values[key]
        except KeyError:
            known = ", ".join(self.values)
            raise KeyError(f"{self.notebook} has no variant number {key!r}; known: {known}") from None

    def __iter__(self):  # noqa: ANN204
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    @property
    def is_default(self) -> bool:
        return self.label == DEFAULT_LABEL

    def message(self) -> str:
        if self.is_default:
            return (
                "No student ID entered: this notebook uses the default numbers. If your instructor gave you "
                "an ID, type it in the first code cell and run the notebook again from the top "
                "(Kernel > Restart Kernel and Run All Cells)."
            )
        return (
            f'Student ID "{self.student_id}": the exercises use your own numbers (variant {self.label}). '
            "Keep this ID for the whole notebook."
        )

    def __repr__(self) -> str:
        return self.message()

    def _repr_html_(self) -> str:
        import html

        return f'<p class="baclofen-variant" role="status">{html.escape(self.message())}</p>'


def variant_for(notebook: str, student_id: object = "", *, salt: str | None = None) -> Variant:
    """The variant of ``notebook`` for ``student_id`` (default variant when the ID is empty or ``...``).

    Every number is drawn independently: ``sha256(salt | notebook | name | id)`` picks one of its
    declared choices. The result depends only on these inputs (never on the machine or Python version).

    Raises:
        ValueError: if the notebook declares no variants.
    """
    notebook = _notebook(notebook, VARIANTS, "declares no variants (add it to VARIANTS in variants.py)")
    if salt is not None and not isinstance(salt, str):
        raise ValueError(f"salt must be text or None (the course salt); got {salt!r}")
    spec = VARIANTS[notebook]
    sid = normalise_id(student_id)
    salt = course_salt() if salt is None else salt
    values: dict[str, Any] = {}
    for key, choices in spec.items():
        name = "+".join(key) if isinstance(key, tuple) else key
        picked = choices[_index(f"{salt}|{notebook}|{name}|{sid}", len(choices))] if sid else choices[0]
        if isinstance(key, tuple):
            values.update(zip(key, picked, strict=True))
        else:
            values[key] = picked
    if not sid:
        return Variant(notebook, "", DEFAULT_LABEL, values)
    label = hashlib.sha256(f"{salt}|{notebook}|{sid}".encode()).hexdigest()[:6]
    return Variant(notebook, str(student_id).strip(), label, values)


def _notebook(notebook: object, table: Mapping[str, Any], why: str) -> str:
    """``notebook`` (``.ipynb`` suffix allowed) if ``table`` has it, else a ValueError naming it."""
    name = notebook.removesuffix(".ipynb") if isinstance(notebook, str) else None
    if name is None or name not in table:
        raise ValueError(
            f"notebook must be one of {', '.join(repr(k) for k in sorted(table))}; got {notebook!r}"
            f"{' (it ' + why + ')' if name is not None else ''}"
        )
    return name


def tolerance(notebook: str, question: str) -> dict[str, float]:
    """The tolerance of a numeric question, as keyword arguments for :func:`close_enough`."""
    notebook = _notebook(notebook, TOLERANCES, "has no tolerances declared in TOLERANCES")
    table = TOLERANCES[notebook]
    if not isinstance(question, str) or question not in table:
        raise ValueError(
            f"question must be one of {', '.join(repr(q) for q in table)} for {notebook} "
            f"(no tolerance declared for it in TOLERANCES); got {question!r}"
        )
    return dict(table[question])
