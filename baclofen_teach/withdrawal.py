"""Withdrawal rebound timeline after an abrupt oral stop or an intrathecal interruption, and a taper planner.

Educational model, not dosing advice.

What is modelled and what is not:

* The concentration decline after a stop is exact (the engine :mod:`baclofen_teach.pk`).
* Symptom data come from the table ``data/withdrawal_symptoms.csv`` (hours after the stop), never from a
  pharmacodynamic model. For each sign the table gives, separately and each with its sources, (a) the
  *earliest reported* time at which it was present (``earliest_report_h``; NaN where no timed report was
  found) and (b) the *typical course* of the syndrome (``course_duration_h_min`` / ``course_duration_h_max``:
  intrathecal withdrawal evolves over 1-3 days and can become fulminant [coffey2002]; a course, not a
  latency). No source shows a symptom-free interval after a stop: fever, tachycardia, itching and dystonia
  were present 8 h after a pump stall, and fever, tachycardia and rhabdomyolysis several hours after a pump
  removal [muirhead2010]. So every window opens at the stop (``window_start_h = stop_time_h``) and the first
  day is never drawn as safe. No concentration threshold is linked to any symptom.
* Early intrathecal signs: return of spasticity, itching, low blood pressure, tingling, light-headedness
  [label_lioresal_it; label_gablofen]; advanced signs include fever, altered mental status, rigidity,
  tachycardia, seizures and labile blood pressure [coffey2002; meythaler2003; ross2011]. After oral stops,
  hallucinations were reported 18-31 h after the last dose [daleo2007]; the psychiatric profile comes from a
  review of 23 cases [leo2005]. Withdrawal can last weeks [hansen2007].
* Taper: the French SmPC advises stopping oral baclofen gradually over 1-2 weeks in steps of 10 or 15 mg
  [label_fr_smpc], the international label over about 1-2 weeks [label_lioresal_intl].
  :func:`taper_schedule` is the engine's (:func:`baclofen_teach.pk.taper_schedule`), the package's one
  definition of a linear taper.
  :func:`compare_taper` reports the largest day-to-day fall in the daily-average plasma concentration
  (exact AUC over each day / 24 h).
* Risk factors and causes (:func:`risk_factors`) and management steps (:func:`management_table`) are sourced
  data tables; every row has reference keys.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from baclofen_teach import data, pk
from baclofen_teach import validation as v
from baclofen_teach._numerics import refine_brackets
from baclofen_teach.pk import Flag, taper_flags, taper_schedule
from baclofen_teach.pump import PumpScenario
from baclofen_teach.scenario import (
    crossing_grid,
    default_params,
    first_crossings,
    peak_bracket,
    slowest_half_life_h,
    time_grid,
)

__all__ = [
    "ROUTES",
    "PHASES",
    "symptom_table",
    "risk_factors",
    "management_table",
    "WithdrawalTimeline",
    "oral_withdrawal",
    "intrathecal_withdrawal",
    "taper_schedule",
    "daily_average_plasma",
    "TaperComparison",
    "compare_taper",
]

ROUTES: tuple[str, ...] = ("oral", "intrathecal")
PHASES: tuple[str, ...] = ("early", "advanced", "rare")
"""Severity groups of the symptom table. A phase is NOT a time: "advanced" signs can appear within hours."""


def _route(route: Any, allow_none: bool = False) -> str | None:
    if route is None and allow_none:
        return None
    aliases = {"it": "intrathecal", "po": "oral"}
    r = aliases.get(route, route) if isinstance(route, str) else route
    if r not in ROUTES:
        allowed = ", ".join(repr(x) for x in ROUTES) + (" or None" if allow_none else "")
        raise v.PKInputError(f"route must be one of {allowed} (aliases 'it', 'po'); got {route!r}")
    return r


def symptom_table(route: str | None = None) -> pd.DataFrame:
    """Withdrawal symptoms with sourced timing data.

    Columns: symptom, route (oral / intrathecal), phase (early / advanced / rare: severity, not timing),
    life_threatening (bool), earliest_report_h (earliest time after the stop at which the sign was reported
    present, h; an upper bound on its onset; NaN where no timed report was found), earliest_report_basis,
    earliest_report_source, course_duration_h_min / course_duration_h_max (typical course of the syndrome
    from the stop, h; NaN where the sources give none), course_basis, course_source, reported_frequency_pct
    (share of reviewed cases, [leo2005]), note, source (reference keys, ``;``-separated). ``route`` filters.
    """
    df = data.table("withdrawal_symptoms")
    r = _route(route, allow_none=True)
    if r is not None:
        df = df[df["route"] == r].reset_index(drop=True)
    return df


def risk_factors(route: str | None = None) -> pd.DataFrame:
    """Risk factors for and causes of withdrawal (columns: route, kind, factor, note, source).

    Intrathecal risk factors from the boxed warning: spinal cord injury at T6 or above, communication
    difficulties, earlier withdrawal episodes [label_lioresal_it].
    """
    df = data.table("risk_factors")
    r = _route(route, allow_none=True)
    if r is not None:
        df = df[df["route"] == r].reset_index(drop=True)
    return df


def management_table(route: str | None = None) -> pd.DataFrame:
    """Withdrawal management steps (columns: route, step, status recommended / consider / not recommended,
    reason, source). Intrathecal: emergency; find the cause; restore delivery [coffey2002; saulino2016];
    benzodiazepines [coffey2002; mohammed2004]; adjuncts; vigilant reintroduction [delhaas1991]. Oral: restart
    baclofen [leo2005]; prevention by tapering [label_lioresal_intl; label_fr_smpc]."""
    df = data.table("withdrawal_management")
    r = _route(route, allow_none=True)
    if r is not None:
        df = df[df["route"] == r].reset_index(drop=True)
    return df


def _windows(route: str, stop_time_h: float) -> pd.DataFrame:
    """Absolute windows. Every window opens at the stop: no source shows a symptom-free interval, and the
    earliest timed reports are upper bounds on onset (review 2026-12, row 8). The window closes at the end of
    the typical course (NaN where none is given); ``earliest_report_at_h`` marks the earliest timed report."""
    df = symptom_table(route)
    df["window_start_h"] = float(stop_time_h)
    df["window_end_h"] = stop_time_h + df["course_duration_h_max"]
    df["earliest_report_at_h"] = stop_time_h + df["earliest_report_h"]
    return df


# ---------------------------------------------------------------------------------------------------------
# timelines
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WithdrawalTimeline:
    """Concentration decline after a stop plus the literature symptom windows.

    ``times_h``: hours on the scenario clock; ``stop_time_h``: the stop (last oral dose, or the intrathecal
    interruption). ``symptoms``: :func:`symptom_table` rows for ``route`` with absolute times
    ``window_start_h`` = stop_time_h for every sign (no interval after a stop is known to be safe),
    ``window_end_h`` = stop_time_h + the end of the typical course (NaN where none is given), and
    ``earliest_report_at_h`` = stop_time_h + the earliest timed report.
    ``hours_to_50pct`` / ``hours_to_10pct``: hours after the stop until the concentration that matters for the
    route (plasma for oral, CSF for intrathecal) falls below 50 % / 10 % of its level at the stop.
    The windows are NOT derived from the concentrations (no pharmacodynamic model).
    """

    route: str
    times_h: np.ndarray
    plasma_mg_per_L: np.ndarray
    csf_mg_per_L: np.ndarray
    stop_time_h: float
    level_at_stop_mg_per_L: float
    hours_to_50pct: float
    hours_to_10pct: float
    symptoms: pd.DataFrame
    description: str
    flags: list[str] = field(default_factory=list)

    @property
    def hours_since_stop(self) -> np.ndarray:
        """``times_h - stop_time_h``."""
        return self.times_h - self.stop_time_h

    @property
    def windows_known(self) -> pd.DataFrame:
        """Only the symptoms with a timed report (``earliest_report_h`` known)."""
        return self.symptoms.dropna(subset=["earliest_report_h"]).reset_index(drop=True)

    @property
    def risk_factors(self) -> pd.DataFrame:
        """:func:`risk_factors` for this route."""
        return risk_factors(self.route)


def oral_withdrawal(
    daily_dose_mg: float | None = None,
    doses_per_day: int = 3,
    days_on: float = 7.0,
    params: pk.PKParams | None = None,
    pre_h: float = 24.0,
    post_h: float = 96.0,
    step_h: float = 0.1,
    events: list[Any] | None = None,
) -> WithdrawalTimeline:
    """Abrupt stop of oral baclofen.

    Either ``daily_dose_mg`` (mg/day) split into ``doses_per_day`` equal doses every 24/doses_per_day h from
    time 0 for ``days_on`` days, or any regimen as ``events`` (a list of oral ``pk.Dose``, e.g. from the
    engine's regimen builders; then ``daily_dose_mg`` must be None). The stop is the time of the last dose
    taken; symptom windows are hours after it [daleo2007; leo2005; label_ozobax].

    ``level_at_stop_mg_per_L`` is the plasma peak after the last dose; ``hours_to_50pct`` / ``hours_to_10pct``
    count from the last dose until plasma falls below 50 % / 10 % of that peak.
    """
    p = default_params(params)
    pre = v.time_h(pre_h, "pre_h")  # issue 18: 0..MAX_SPAN_H (10 years)
    post = v.time_h(post_h, "post_h")
    if post == 0:
        raise v.PKInputError("post_h must be a finite real number > 0 h; got 0")
    step = v.real(step_h, "step_h", min_value=0.0, min_inclusive=False, max_value=v.MAX_SPAN_H)
    if events is None:
        if daily_dose_mg is None:
            raise v.PKInputError(
                "give daily_dose_mg (mg/day) or events (a list of oral pk.Dose); got neither"
            )
        dose = v.positive(daily_dose_mg, "daily_dose_mg", unit="mg/day")
        n = doses_per_day
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= 24:
            raise v.PKInputError(f"doses_per_day must be an integer from 1 to 24; got {doses_per_day!r}")
        v.amount(dose, "daily_dose_mg")
        days = v.real(days_on, "days_on", min_value=0.0, min_inclusive=False, max_value=v.MAX_SIMULATED_DAYS)
        tau = 24.0 / n
        n_doses = max(int(math.floor(days * n + 1e-9)), 1)
        evs: list[Any] = [pk.Dose(time_h=i * tau, amount_mg=dose / n, route="oral") for i in range(n_doses)]
        what = f"{dose:g} mg/day oral baclofen ({n} x {dose / n:g} mg) after {n_doses} doses"
    else:
        if daily_dose_mg is not None:
            raise v.PKInputError(
                f"give daily_dose_mg or events, not both; got daily_dose_mg={daily_dose_mg!r}"
            )
        if not isinstance(events, (pk.Dose, list, tuple)):
            raise v.PKInputError(f"events must be a non-empty list of oral pk.Dose events; got {events!r}")
        evs = [events] if isinstance(events, pk.Dose) else list(events)
        if len(evs) > v.MAX_DOSES:
            raise v.PKInputError(f"events must hold at most {v.MAX_DOSES} doses; got {len(evs)}")
        if not evs or not all(isinstance(e, pk.Dose) and e.route == "oral" for e in evs):
            raise v.PKInputError(f"events must be a non-empty list of oral pk.Dose events; got {events!r}")
        what = f"an oral regimen of {len(evs)} doses ({sum(e.amount_mg for e in evs):g} mg in total)"
    t_stop = max(e.time_h for e in evs)
    start = max(t_stop - pre, 0.0)
    times = time_grid(start, t_stop + post, step)
    sim = pk.simulate(evs, p, times)

    def plasma_at(t: np.ndarray) -> np.ndarray:
        return pk.simulate(evs, p, t).plasma_mg_per_L

    # reference level: the peak after the last dose (searched over the 24 h after it). One engine call on the
    # peak grid and the crossing search grid together; then the peak is refined, then both crossings after
    # it together (a few engine calls in all)
    # 40 half-lives of the slowest process, absorption included (slow ka: flip-flop kinetics)
    horizon = max(post, 40.0 * slowest_half_life_h(p), 40.0 * math.log(2.0) / p.ka_per_h)
    peak_grid = np.linspace(t_stop, t_stop + 24.0, 4801)
    xs = np.unique(np.concatenate([peak_grid, crossing_grid(t_stop, horizon + 24.0, step)]))
    vs = plasma_at(xs)
    _, [(t_peak, peak)], _ = refine_brackets(
        plasma_at, peaks=[peak_bracket(peak_grid, vs[np.searchsorted(xs, peak_grid)])], xtol=1e-10
    )
    later = (xs > t_peak) & (xs <= t_peak + horizon)
    t50, t10 = (
        t - t_stop
        for t in first_crossings(
            plasma_at, np.append(t_peak, xs[later]), np.append(peak, vs[later]), [0.5 * peak, 0.1 * peak]
        )
    )
    return WithdrawalTimeline(
        route="oral",
        times_h=times,
        plasma_mg_per_L=sim.plasma_mg_per_L,
        csf_mg_per_L=sim.csf_mg_per_L,
        stop_time_h=t_stop,
        level_at_stop_mg_per_L=peak,
        hours_to_50pct=t50,
        hours_to_10pct=t10,
        symptoms=_windows("oral", t_stop),
        description=(
            f"Abrupt stop of {what}; last dose at {t_stop:g} h. Plasma halves {t50:.1f} h after the last "
            f"dose (from the last peak)."
        ),
        flags=list(sim.flags),
    )


def intrathecal_withdrawal(scenario: PumpScenario) -> WithdrawalTimeline:
    """Intrathecal withdrawal timeline from a pump scenario that stops or reduces delivery
    (:func:`baclofen_teach.pump.catheter_failure`, ``missed_refill``, ``battery_end`` or an underdosing
    ``concentration_mixup``). Windows are hours after the failure [coffey2002; daleo2007;
    label_lioresal_it; label_gablofen]."""
    if not isinstance(scenario, PumpScenario):
        raise v.PKInputError(f"scenario must be a pump.PumpScenario; got {scenario!r}")
    flags = list(scenario.flags)
    if scenario.delivered_ratio >= 1:
        flags.append(
            Flag(
                f"delivered_ratio={scenario.delivered_ratio:g}: delivery did not fall, so this is not a "
                f"withdrawal scenario (see the overdose module for a higher delivery).",
                "not_a_withdrawal_scenario",
            )
        )
    return WithdrawalTimeline(
        route="intrathecal",
        times_h=scenario.times_h,
        plasma_mg_per_L=scenario.plasma_mg_per_L,
        csf_mg_per_L=scenario.csf_mg_per_L,
        stop_time_h=scenario.failure_time_h,
        level_at_stop_mg_per_L=scenario.pre_failure_csf_mg_per_L,
        hours_to_50pct=scenario.hours_to_csf_50pct,
        hours_to_10pct=scenario.hours_to_csf_10pct,
        symptoms=_windows("intrathecal", scenario.failure_time_h),
        description=scenario.description,
        flags=flags,
    )


# ---------------------------------------------------------------------------------------------------------
# taper planner
# ---------------------------------------------------------------------------------------------------------
def daily_average_plasma(events: list[Any], params: pk.PKParams | None, n_days: int) -> np.ndarray:
    """Exact daily-average plasma concentration, mg/L, for days 0 .. n_days - 1: AUC over [24 d, 24 d + 24]
    divided by 24 h.

    The AUC is exact by mass balance (the body eliminates drug only by CL from plasma): the amount eliminated
    by time t is input(t) - (gut + plasma + CSF amounts)(t), and AUC(a, b) = eliminated(a, b) / CL. Valid
    for dose and infusion events (no extra clearance windows or removals).
    """
    p = default_params(params)
    if isinstance(n_days, bool) or not isinstance(n_days, (int, np.integer)) or n_days < 1:
        raise v.PKInputError(f"n_days must be a whole number >= 1; got {n_days!r}")
    v.whole(n_days, "n_days", max_value=v.MAX_DAYS)
    if isinstance(events, (pk.Dose, pk.Infusion)):
        events = [events]
    if isinstance(events, (str, dict)) or not isinstance(events, (list, tuple)):
        raise v.PKInputError(f"events must be a list of pk.Dose or pk.Infusion; got {events!r}")
    for i, ev in enumerate(events):
        if not isinstance(ev, (pk.Dose, pk.Infusion)):
            raise v.PKInputError(
                f"events[{i}] must be a pk.Dose or pk.Infusion for the mass balance; got {ev!r}"
            )
    edges = 24.0 * np.arange(n_days + 1, dtype=float)
    sim = pk.simulate(events, p, edges)
    body = sim.gut_mg + sim.plasma_mg + sim.csf_mg
    eliminated = sim.dose_input_mg - body
    return np.diff(eliminated) / p.cl_L_per_h / 24.0


def _oral_events(daily_doses_mg: np.ndarray, doses_per_day: int) -> list[Any]:
    tau = 24.0 / doses_per_day
    out = []
    for day, d in enumerate(daily_doses_mg):
        if d <= 0:
            continue
        for j in range(doses_per_day):
            out.append(pk.Dose(time_h=24.0 * day + j * tau, amount_mg=float(d) / doses_per_day, route="oral"))
    return out


@dataclass(frozen=True)
class TaperComparison:
    """Abrupt stop versus taper (see :func:`compare_taper`).

    ``table``: one row per plan with the largest day-to-day fall in the daily-average plasma concentration
    (mg/L and % of the pre-stop daily average) and the day on which it happens (day index from the start of
    the run-in). ``daily``: long table of daily doses and daily-average plasma concentrations per plan.
    """

    table: pd.DataFrame
    daily: pd.DataFrame
    run_in_days: int
    flags: list[str] = field(default_factory=list)


def compare_taper(
    daily_dose_mg: float,
    taper_days: int = 14,
    doses_per_day: int = 3,
    step_mg: float | None = None,
    params: pk.PKParams | None = None,
    run_in_days: int = 5,
    follow_days: int = 3,
) -> TaperComparison:
    """Compare an abrupt stop of ``daily_dose_mg`` (mg/day) with a taper over ``taper_days`` days.

    Both plans start with ``run_in_days`` days at the full dose (to reach steady state), then stop abruptly or
    follow :func:`taper_schedule` (the package's one linear taper, shared with
    :func:`baclofen_teach.pk.taper`: day k of a taper over N days gets d0 x (N - k) / (N + 1), day 0 already
    reduced, zero from day N; the labels give no formula, see :func:`baclofen_teach.pk.taper_schedule` for
    why), then ``follow_days`` days without drug. For each plan the daily-average
    plasma concentration (exact AUC/24, :func:`daily_average_plasma`) is computed and the largest day-to-day
    fall reported. The labels advise a taper over about 1-2 weeks for oral baclofen [label_lioresal_intl];
    the French SmPC uses 10-15 mg steps [label_fr_smpc]. Teaching point only: no link between the size of a
    fall and symptoms is modelled. ``day_of_largest_fall`` is the first day whose fall is within 1e-9 of the
    largest (a linear taper has many equal falls).
    """
    p = default_params(params)
    d0 = v.positive(daily_dose_mg, "daily_dose_mg", unit="mg/day")
    v.in_range(d0, "daily_dose_mg", 1e-6, v.MAX_AMOUNT_MG)  # issue 18: no 0/0 for 5e-324
    for nm, val in (("run_in_days", run_in_days), ("follow_days", follow_days), ("taper_days", taper_days)):
        v.whole(val, nm, max_value=v.MAX_SIMULATED_DAYS)
    n = doses_per_day
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= 24:
        raise v.PKInputError(f"doses_per_day must be an integer from 1 to 24; got {doses_per_day!r}")
    for name, val, lo in (("run_in_days", run_in_days, 1), ("follow_days", follow_days, 1)):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < lo:
            raise v.PKInputError(f"{name} must be a whole number of days >= {lo}; got {val!r}")
    v.real(taper_days, "taper_days")
    flags = taper_flags(int(taper_days)) if isinstance(taper_days, (int, np.integer)) else []
    plans = {
        "abrupt stop": taper_schedule(d0, 0),
        f"taper over {taper_days} days": taper_schedule(d0, taper_days, step_mg),
    }
    rows, daily_rows = [], []
    for name, sched in plans.items():
        doses = np.concatenate([np.full(run_in_days, d0), sched, np.zeros(follow_days)])
        avg = daily_average_plasma(_oral_events(doses, n), p, len(doses))
        falls = avg[:-1] - avg[1:]
        i = int(np.flatnonzero(falls >= falls.max() - 1e-9 * abs(falls.max()))[0])
        pre = float(avg[run_in_days - 1])
        rows.append(
            {
                "plan": name,
                "taper_days": 0 if name == "abrupt stop" else int(taper_days),
                "pre_stop_daily_avg_mg_per_L": pre,
                "largest_daily_fall_mg_per_L": float(falls[i]),
                "largest_daily_fall_pct": 100.0 * float(falls[i]) / pre,
                "day_of_largest_fall": i + 1,
                "largest_daily_dose_step_mg": float(np.max(-np.diff(np.concatenate([[d0], sched])))),
            }
        )
        for day, (dd, a) in enumerate(zip(doses, avg, strict=True)):
            daily_rows.append(
                {"plan": name, "day": day, "daily_dose_mg": float(dd), "daily_avg_plasma_mg_per_L": float(a)}
            )
    return TaperComparison(pd.DataFrame(rows), pd.DataFrame(daily_rows), run_in_days, flags)
