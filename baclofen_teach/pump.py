"""Intrathecal baclofen pump: refill arithmetic and delivery-failure scenarios.

Educational model, not dosing advice.

Clinic quantities for intrathecal baclofen are in micrograms; the engine (:mod:`baclofen_teach.pk`) works in
milligrams and hours. Every name here carries its unit (``daily_dose_ug``, ``concentration_ug_per_mL``,
``rate_ug_per_h``, ``rate_mg_per_h``) and the only conversions are :func:`ug_to_mg` and :func:`mg_to_ug`.
Doses are never refused for being large: implausible values (a likely 1000-fold unit error, doses beyond
label experience) are returned as human-readable ``flags``. Only physically meaningless input (negative or
non-finite volumes, a fill larger than the reservoir, a non-positive concentration) raises
:class:`~baclofen_teach.validation.PKInputError` (a ``ValueError``) naming the parameter.

Sources: product strengths 50, 500, 1000 and 2000 ug/mL [label_lioresal_it; label_gablofen]; maximum refill
interval 180 days for commercial pumps [stability2023]; the pump stops about 90 days after the elective
replacement indicator (ERI) [medtronic_synchromed]; the low-reservoir alarm volume is programmable and its
default of about 2 mL is *unverified*, so it is a parameter with an assumed default
(:data:`LOW_RESERVOIR_ALARM_ASSUMED_ML`).

Failure scenarios (:func:`catheter_failure`, :func:`missed_refill`, :func:`battery_end`,
:func:`concentration_mixup`) return a :class:`PumpScenario`: exact CSF and plasma curves from
:func:`baclofen_teach.pk.simulate` around the failure (the patient is at steady state before it), and the
hours after the failure until the CSF concentration falls below 50 % and 10 % of its pre-failure level
(grid search, then both crossings refined together to 1e-10 h on the exact curve by a vectorised bracketing
search: a few engine calls per scenario). Causes of interruption: [label_gablofen; saulino2016;
medtronic_synchromed]. Feed a scenario to :func:`baclofen_teach.withdrawal.intrathecal_withdrawal` for the
symptom timeline.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from baclofen_teach import pk
from baclofen_teach import validation as v
from baclofen_teach.pk import Flag, mg_to_ug, ug_to_mg
from baclofen_teach.scenario import (
    MAX_GRID_POINTS,
    ScenarioCurves,
    crossing_grid,
    default_params,
    first_crossings,
    slowest_half_life_h,
    time_grid,
    warmup_h,
)

__all__ = [
    "UG_PER_MG",
    "PRODUCT_CONCENTRATIONS_UG_PER_ML",
    "RESERVOIR_VOLUMES_ML",
    "LOW_RESERVOIR_ALARM_ASSUMED_ML",
    "MAX_REFILL_INTERVAL_DAYS",
    "ERI_TO_STOP_DAYS",
    "LIMITED_EXPERIENCE_ABOVE_UG_PER_DAY",
    "PumpScenario",
    "catheter_failure",
    "missed_refill",
    "battery_end",
    "concentration_mixup",
    "slowest_half_life_h",
    "MAX_GRID_POINTS",
    "ug_to_mg",
    "mg_to_ug",
    "rate_ug_per_h",
    "rate_mg_per_h",
    "volume_mL_per_day",
    "delivered_daily_dose_ug",
    "days_to_alarm",
    "days_to_empty",
    "battery_stop_day",
    "daily_dose_flags",
    "concentration_flags",
    "PumpPlan",
    "plan_pump",
]

UG_PER_MG: float = 1000.0
"""Micrograms per milligram (exact)."""

PRODUCT_CONCENTRATIONS_UG_PER_ML: tuple[float, ...] = (50.0, 500.0, 1000.0, 2000.0)
"""Marketed intrathecal strengths, µg/mL: Lioresal Intrathecal 50, 500, 2000; Gablofen 50, 500, 1000, 2000
[label_lioresal_it; label_gablofen]. Other strengths need compounding or dilution."""

RESERVOIR_VOLUMES_ML: tuple[float, ...] = (20.0, 40.0)
"""SynchroMed II reservoir sizes in use, mL [medtronic_synchromed]."""

LOW_RESERVOIR_ALARM_ASSUMED_ML: float = 2.0
"""ASSUMPTION: low-reservoir alarm volume, mL. The alarm is programmable; a default of about 2 mL is quoted
but not confirmed in a primary source (clinical_facts.md tags it U). Always pass your pump's programmed
value as ``alarm_volume_mL``."""

MAX_REFILL_INTERVAL_DAYS: float = 180.0
"""Recommended maximum refill interval for commercial intrathecal baclofen pumps, days [stability2023]."""

ERI_TO_STOP_DAYS: float = 90.0
"""A SynchroMed II pump stops about 90 days after its elective replacement indicator (ERI) alarm, days
[medtronic_synchromed; medtronic_replacement]. It also shuts down automatically at 7 years at most, and
replacement is advised about 6 months before; reduced battery performance has caused sudden loss of therapy
in a small percentage of pumps [medtronic_advisory2011], so the ERI warning is not guaranteed."""

LIMITED_EXPERIENCE_ABOVE_UG_PER_DAY: float = pk.IT_EXPERIENCE_LIMIT_UG_PER_DAY
"""Experience with intrathecal doses above 1000 µg/day is limited: German product information as summarised in
the Rote Liste [label_de_lioresal_it] (the US label is reported to say the same; its text was not read).
The engine's :data:`baclofen_teach.pk.IT_EXPERIENCE_LIMIT_UG_PER_DAY` under the name this module has always
used."""

LOWEST_REPORTED_MAINTENANCE_UG_PER_DAY: float = 12.0
"""Lowest reported maintenance dose, µg/day: the spinal-origin range 12-2003 µg/day of the German product
information as summarised in the Rote Liste [label_de_lioresal_it] (a secondary clinical reference gives
12-2000 µg/day [medscape_itb]; the US label text was not read). Below it a daily dose is flagged as a possible
unit error."""

UNIT_ERROR_ABOVE_UG_PER_DAY: float = 3000.0
"""Above this (three times the label's limited-experience level) a daily dose is flagged as a probable
1000-fold unit error. A teaching choice, not a clinical limit."""


# ---------------------------------------------------------------------------------------------------------
# unit conversions and pure arithmetic (ug_to_mg and mg_to_ug are the engine's, re-exported)
# ---------------------------------------------------------------------------------------------------------
def rate_ug_per_h(daily_dose_ug: float) -> float:
    """Hourly delivery rate in µg/h of a continuous daily dose in µg/day (divide by 24)."""
    return v.nonneg(daily_dose_ug, "daily_dose_ug", unit="ug/day") / 24.0


def rate_mg_per_h(daily_dose_ug: float) -> float:
    """Hourly delivery rate in mg/h (the engine's unit) of a daily dose in µg/day: µg/day / 24 / 1000."""
    return rate_ug_per_h(daily_dose_ug) / UG_PER_MG


def volume_mL_per_day(daily_dose_ug: float, concentration_ug_per_mL: float) -> float:
    """Volume pumped per day, mL/day = daily dose (µg/day) / drug concentration (µg/mL)."""
    d = v.real(daily_dose_ug, "daily_dose_ug", min_value=0.0, max_value=1e12, unit="ug/day")
    c = v.in_range(concentration_ug_per_mL, "concentration_ug_per_mL", 1e-3, 1e6)
    return d / c


def delivered_daily_dose_ug(
    daily_dose_ug: float, programmed_concentration_ug_per_mL: float, filled_concentration_ug_per_mL: float
) -> float:
    """Daily dose actually delivered, µg/day, when a pump programmed for one concentration is filled with
    another: the pump moves the volume it computes from the programmed concentration, so the delivered dose
    is ``daily_dose_ug x filled / programmed`` (a 4-fold stronger solution gives 4 times the dose)."""
    d = v.real(daily_dose_ug, "daily_dose_ug", min_value=0.0, max_value=1e12, unit="ug/day")
    c_prog = v.in_range(programmed_concentration_ug_per_mL, "programmed_concentration_ug_per_mL", 1e-3, 1e6)
    c_fill = v.in_range(filled_concentration_ug_per_mL, "filled_concentration_ug_per_mL", 1e-3, 1e6)
    return d * c_fill / c_prog


def days_to_alarm(fill_volume_mL: float, alarm_volume_mL: float, volume_per_day_mL: float) -> float:
    """Days from a fill until the low-reservoir alarm: (fill volume - alarm volume) / daily volume.

    Returns 0 if the fill is already at or below the alarm volume and ``inf`` if nothing is pumped.
    """
    fill = v.nonneg(fill_volume_mL, "fill_volume_mL")
    alarm = v.nonneg(alarm_volume_mL, "alarm_volume_mL")
    q = v.nonneg(volume_per_day_mL, "volume_per_day_mL")
    _volume_bounds(fill, alarm, q)
    if fill <= alarm:
        return 0.0
    return math.inf if q == 0 else (fill - alarm) / q


def days_to_empty(fill_volume_mL: float, volume_per_day_mL: float) -> float:
    """Days from a fill until the reservoir is empty: fill volume / daily volume (``inf`` if nothing is
    pumped). The model ignores the pump's small non-deliverable dead volume."""
    fill = v.nonneg(fill_volume_mL, "fill_volume_mL")
    q = v.nonneg(volume_per_day_mL, "volume_per_day_mL")
    _volume_bounds(fill, 0.0, q)
    return math.inf if q == 0 else fill / q


def _volume_bounds(fill: float, alarm: float, q: float) -> None:
    """Issue 18 bounds: volumes <= 1e4 mL; a daily volume 0 (nothing pumped: inf days) or 1e-6..1e4 mL/day."""
    v.in_range(fill, "fill_volume_mL", 0.0, 1e4), v.in_range(alarm, "alarm_volume_mL", 0.0, 1e4)
    if q != 0.0:
        v.in_range(q, "volume_per_day_mL (0 or)", 1e-6, 1e4)


def battery_stop_day(eri_day: float) -> float:
    """Day on which the pump stops if it is not replaced: ERI day + 90 days [medtronic_synchromed]."""
    return v.nonneg(eri_day, "eri_day") + ERI_TO_STOP_DAYS


def daily_dose_flags(daily_dose_ug: float) -> list[Flag]:
    """Warnings (never errors) for an intrathecal daily dose in µg/day.

    Flags a dose below the lowest reported maintenance dose (12 ug/day [label_de_lioresal_it; medscape_itb]: a
    dose in mg typed as ug?), above 1000 ug/day (limited label experience [label_de_lioresal_it]) and above
    3000 ug/day (probable 1000-fold unit error).
    """
    d = v.nonneg(daily_dose_ug, "daily_dose_ug", unit="ug/day")
    flags: list[Flag] = []
    if 0 < d < LOWEST_REPORTED_MAINTENANCE_UG_PER_DAY:
        flags.append(
            Flag(
                f"daily_dose_ug={d:g} µg/day is below the lowest reported intrathecal maintenance dose "
                f"({LOWEST_REPORTED_MAINTENANCE_UG_PER_DAY:g} µg/day) [label_de_lioresal_it]: check for a "
                f"mg/µg mix-up ({d:g} mg/day would be {d * UG_PER_MG:g} µg/day).",
                "it_dose_below_lowest_maintenance",
            )
        )
    if d > UNIT_ERROR_ABOVE_UG_PER_DAY:
        flags.append(
            Flag(
                f"daily_dose_ug={d:g} µg/day ({d / UG_PER_MG:g} mg/day) is above the reported intrathecal "
                f"maintenance range (up to about 2000 µg/day [label_de_lioresal_it]): OVERDOSE or a "
                f"1000-fold unit error (a µg figure entered as mg, or ng as µg?).",
                "it_dose_probable_unit_error",
            )
        )
    elif d > LIMITED_EXPERIENCE_ABOVE_UG_PER_DAY:
        flags.append(
            Flag(
                f"daily_dose_ug={d:g} µg/day is above {LIMITED_EXPERIENCE_ABOVE_UG_PER_DAY:g} µg/day, where "
                f"experience is limited [label_de_lioresal_it].",
                "it_dose_limited_experience",
            )
        )
    return flags


def concentration_flags(concentration_ug_per_mL: float) -> list[Flag]:
    """Warnings for a drug concentration in µg/mL that is not a marketed strength
    [label_lioresal_it; label_gablofen]."""
    c = v.positive(concentration_ug_per_mL, "concentration_ug_per_mL")
    if any(math.isclose(c, s) for s in PRODUCT_CONCENTRATIONS_UG_PER_ML):
        return []
    strengths = ", ".join(f"{s:g}" for s in PRODUCT_CONCENTRATIONS_UG_PER_ML)
    msg = (
        f"concentration_ug_per_mL={c:g} is not a marketed strength ({strengths} µg/mL) "
        f"[label_lioresal_it; label_gablofen]: it needs compounding or dilution; double-check it."
    )
    if c < 10.0 or c > 3000.0:
        msg += f" Is it in mg/mL? ({c:g} mg/mL would be {c * UG_PER_MG:g} µg/mL.)"
    return [Flag(msg, "concentration_not_marketed")]


# ---------------------------------------------------------------------------------------------------------
# refill plan
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PumpPlan:
    """Refill arithmetic for one fill of an intrathecal pump (see :func:`plan_pump`).

    Times are in days from the fill (``*_day``), or calendar dates when a ``fill_date`` was given.
    """

    daily_dose_ug: float
    concentration_ug_per_mL: float
    fill_volume_mL: float
    reservoir_volume_mL: float
    alarm_volume_mL: float
    max_refill_interval_days: float
    rate_ug_per_h: float
    rate_mg_per_h: float
    volume_mL_per_day: float
    days_to_alarm: float
    days_to_empty: float
    refill_due_day: float
    refill_limited_by: str
    fill_date: _dt.date | None = None
    alarm_date: _dt.date | None = None
    empty_date: _dt.date | None = None
    latest_refill_date: _dt.date | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def hours_to_empty(self) -> float:
        """Hours from the fill until the reservoir is empty."""
        return self.days_to_empty * 24.0

    @property
    def drug_in_reservoir_mg(self) -> float:
        """Drug in the reservoir just after the fill, mg (fill volume x concentration / 1000)."""
        return self.fill_volume_mL * self.concentration_ug_per_mL / UG_PER_MG

    def infusion(self, start_h: float = 0.0) -> list[Any]:
        """Engine events: one intrathecal ``pk.Infusion`` at ``rate_mg_per_h`` from ``start_h`` (the fill)
        until the reservoir is empty (or forever if nothing is pumped)."""
        start = v.real(start_h, "start_h")
        if self.rate_mg_per_h == 0:
            return []
        stop = start + self.hours_to_empty if math.isfinite(self.days_to_empty) else math.inf
        return [pk.Infusion(start_h=start, stop_h=stop, rate_mg_per_h=self.rate_mg_per_h, route="it")]

    def summary(self) -> dict[str, Any]:
        """Key numbers as a plain dict (for readouts and tables)."""
        return {
            "rate_ug_per_h": self.rate_ug_per_h,
            "volume_mL_per_day": self.volume_mL_per_day,
            "days_to_alarm": self.days_to_alarm,
            "days_to_empty": self.days_to_empty,
            "refill_due_day": self.refill_due_day,
            "refill_limited_by": self.refill_limited_by,
            "latest_refill_date": self.latest_refill_date,
            "flags": list(self.flags),
        }


def _add_days(date: _dt.date | None, days: float) -> _dt.date | None:
    """Calendar date ``days`` after ``date``, rounded DOWN to a whole day (refill on or before)."""
    if date is None or not math.isfinite(days):
        return None
    return date + _dt.timedelta(days=math.floor(days))


def plan_pump(
    daily_dose_ug: float,
    concentration_ug_per_mL: float,
    fill_volume_mL: float,
    reservoir_volume_mL: float = 20.0,
    alarm_volume_mL: float = LOW_RESERVOIR_ALARM_ASSUMED_ML,
    fill_date: _dt.date | None = None,
    max_refill_interval_days: float = MAX_REFILL_INTERVAL_DAYS,
) -> PumpPlan:
    """Refill arithmetic for an intrathecal pump.

    Parameters
    ----------
    daily_dose_ug : programmed daily dose, ug/day (>= 0; large values are flagged, never refused).
    concentration_ug_per_mL : drug concentration in the reservoir, ug/mL (> 0).
    fill_volume_mL : volume in the reservoir after the fill, mL (> 0, at most ``reservoir_volume_mL``).
    reservoir_volume_mL : reservoir capacity, mL (20 or 40 for SynchroMed II [medtronic_synchromed]).
    alarm_volume_mL : low-reservoir alarm volume, mL. Default 2 mL is an ASSUMPTION (see
        :data:`LOW_RESERVOIR_ALARM_ASSUMED_ML`); use the pump's programmed value.
    fill_date : calendar date of the fill (optional); dates in the result are rounded down to whole days.
    max_refill_interval_days : maximum time between refills, days (default 180 [stability2023]).

    Returns a :class:`PumpPlan`: delivery rate (ug/h and mg/h), volume per day (mL/day), days to the
    low-reservoir alarm ``(fill - alarm) / (mL/day)``, days to empty ``fill / (mL/day)``, and the refill due
    day = min(days to alarm, maximum refill interval), i.e. refill before the alarm volume is reached and
    never later than the maximum interval; ``refill_limited_by`` says which applies.
    """
    dose = v.real(daily_dose_ug, "daily_dose_ug", min_value=0.0, max_value=1e12, unit="ug/day")
    conc = v.in_range(concentration_ug_per_mL, "concentration_ug_per_mL", 1e-3, 1e6)  # issue 18 bounds
    v.in_range(reservoir_volume_mL, "reservoir_volume_mL", 0.0, 1e4)
    v.in_range(max_refill_interval_days, "max_refill_interval_days", 0.0, v.MAX_DAYS)
    if dose != 0.0 and not 1e-6 <= dose / conc <= 1e4:
        raise v.PKInputError(
            f"daily_dose_ug / concentration_ug_per_mL (the daily volume) must be 0 or 1e-06..1e4 mL/day; got "
            f"{dose / conc:g} mL/day (daily_dose_ug={daily_dose_ug!r}, concentration_ug_per_mL="
            f"{concentration_ug_per_mL!r})"
        )
    reservoir = v.positive(reservoir_volume_mL, "reservoir_volume_mL")
    fill = v.positive(fill_volume_mL, "fill_volume_mL")
    alarm = v.nonneg(alarm_volume_mL, "alarm_volume_mL")
    max_days = v.positive(max_refill_interval_days, "max_refill_interval_days")
    if fill > reservoir:
        raise v.PKInputError(
            f"fill_volume_mL must be at most reservoir_volume_mL={reservoir:g} mL; got {fill_volume_mL!r}"
        )
    if alarm >= reservoir:
        raise v.PKInputError(
            f"alarm_volume_mL must be below reservoir_volume_mL={reservoir:g} mL; got {alarm_volume_mL!r}"
        )
    if fill_date is not None and not isinstance(fill_date, _dt.date):
        raise v.PKInputError(f"fill_date must be a datetime.date or None; got {fill_date!r}")
    if isinstance(fill_date, _dt.datetime):
        fill_date = fill_date.date()

    flags = daily_dose_flags(dose) + concentration_flags(conc)
    if not any(math.isclose(reservoir, r) for r in RESERVOIR_VOLUMES_ML):
        flags.append(
            Flag(
                f"reservoir_volume_mL={reservoir:g} is not a SynchroMed II size (20 or 40 mL) "
                f"[medtronic_synchromed]; check it.",
                "reservoir_not_synchromed_size",
            )
        )
    if fill <= alarm:
        flags.append(
            Flag(
                f"fill_volume_mL={fill:g} is at or below alarm_volume_mL={alarm:g}: the low-reservoir alarm "
                f"sounds at once.",
                "fill_at_or_below_alarm",
            )
        )
    if math.isclose(alarm, LOW_RESERVOIR_ALARM_ASSUMED_ML):
        flags.append(
            Flag(
                f"The low-reservoir alarm volume of {alarm:g} mL is an assumed default (programmable; "
                "not confirmed in a primary source): use the pump's programmed value.",
                "alarm_volume_assumed_default",
            )
        )

    q = volume_mL_per_day(dose, conc)
    d_alarm = days_to_alarm(fill, alarm, q)
    d_empty = days_to_empty(fill, q)
    if d_alarm <= max_days:
        due, limited = d_alarm, "low-reservoir alarm"
    else:
        due, limited = max_days, "maximum refill interval"
    return PumpPlan(
        daily_dose_ug=dose,
        concentration_ug_per_mL=conc,
        fill_volume_mL=fill,
        reservoir_volume_mL=reservoir,
        alarm_volume_mL=alarm,
        max_refill_interval_days=max_days,
        rate_ug_per_h=rate_ug_per_h(dose),
        rate_mg_per_h=rate_mg_per_h(dose),
        volume_mL_per_day=q,
        days_to_alarm=d_alarm,
        days_to_empty=d_empty,
        refill_due_day=due,
        refill_limited_by=limited,
        fill_date=fill_date,
        alarm_date=_add_days(fill_date, d_alarm),
        empty_date=_add_days(fill_date, d_empty),
        latest_refill_date=_add_days(fill_date, due),
        flags=flags,
    )


# ---------------------------------------------------------------------------------------------------------
# failure scenarios
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PumpScenario(ScenarioCurves):
    """A pump scenario: CSF and plasma curves around a change in intrathecal delivery.

    Times are hours on the scenario clock (``times_h``; the failure is at ``failure_time_h``); the patient
    is at steady state on the pre-failure rate at the start. Concentrations in mg/L (= ug/mL).
    ``hours_to_csf_50pct`` / ``hours_to_csf_10pct``: hours after the failure until the CSF concentration
    first falls below 50 % / 10 % of its pre-failure level (``inf`` = never, e.g. an overdose).
    ``delivered_ratio``: delivered rate after / before the failure (0 for a stop).
    """

    name: str
    description: str
    times_h: np.ndarray
    csf_mg_per_L: np.ndarray
    plasma_mg_per_L: np.ndarray
    failure_time_h: float
    pre_failure_csf_mg_per_L: float
    pre_failure_plasma_mg_per_L: float
    hours_to_csf_50pct: float
    hours_to_csf_10pct: float
    delivered_ratio: float
    daily_dose_before_ug: float
    daily_dose_after_ug: float
    params: pk.PKParams
    events: tuple[Any, ...]
    warmup_h: float
    flags: list[str] = field(default_factory=list)

    _extra_columns = (("hours_since_failure", "hours_since_failure"),)  # in to_dataframe()

    @property
    def csf_ug_per_mL(self) -> np.ndarray:
        """CSF concentration in µg/mL (numerically equal to mg/L)."""
        return self.csf_mg_per_L

    @property
    def hours_since_failure(self) -> np.ndarray:
        """``times_h - failure_time_h``."""
        return self.times_h - self.failure_time_h

    def summary(self) -> dict[str, Any]:
        """Key numbers as a plain dict."""
        return {
            "scenario": self.name,
            "failure_time_h": self.failure_time_h,
            "pre_failure_csf_mg_per_L": self.pre_failure_csf_mg_per_L,
            "pre_failure_plasma_mg_per_L": self.pre_failure_plasma_mg_per_L,
            "delivered_ratio": self.delivered_ratio,
            "hours_to_csf_50pct": self.hours_to_csf_50pct,
            "hours_to_csf_10pct": self.hours_to_csf_10pct,
            "flags": list(self.flags),
        }


def _rate_change_scenario(
    name: str,
    description: str,
    daily_dose_before_ug: float,
    daily_dose_after_ug: float,
    failure_time_h: float,
    params: pk.PKParams | None,
    pre_h: float,
    post_h: float,
    step_h: float,
    flags: list[str],
) -> PumpScenario:
    """Steady intrathecal infusion at ``daily_dose_before_ug`` that changes to ``daily_dose_after_ug`` at
    ``failure_time_h`` (scenario clock). Shared by all failure scenarios."""
    p = default_params(params)
    before = v.nonneg(daily_dose_before_ug, "daily_dose_before_ug")
    after = v.nonneg(daily_dose_after_ug, "daily_dose_after_ug")
    t_fail = v.nonneg(failure_time_h, "failure_time_h")
    pre = v.nonneg(pre_h, "pre_h")
    post = v.positive(post_h, "post_h")
    step = v.positive(step_h, "step_h")
    if before == 0:
        raise v.PKInputError(
            f"daily_dose_before_ug must be > 0 µg/day for a pump scenario; got {daily_dose_before_ug!r}"
        )

    warm = warmup_h(p)
    tf_engine = t_fail + warm
    events: list[Any] = [
        pk.Infusion(
            start_h=0.0,
            stop_h=tf_engine,
            rate_mg_per_h=rate_mg_per_h(before),
            route="it",
            label="pump before the failure",
        )
    ]
    if after > 0:
        events.append(
            pk.Infusion(
                start_h=tf_engine,
                stop_h=math.inf,
                rate_mg_per_h=rate_mg_per_h(after),
                route="it",
                label="pump after the failure",
            )
        )

    def csf_at(t_engine: np.ndarray) -> np.ndarray:
        return pk.simulate(events, p, t_engine).csf_mg_per_L

    start = max(t_fail - pre, -warm)
    times = time_grid(start, t_fail + post, step)
    sim = pk.simulate(events, p, times + warm)
    ratio = after / before
    horizon = max(post, 40.0 * slowest_half_life_h(p))
    t50 = t10 = math.inf
    # the pre-failure levels are the values at the failure (CSF is continuous there), i.e. at the first point
    # of the crossing search grid: one engine call gives both, then all crossings are refined together
    grid = crossing_grid(tf_engine, horizon, step) if ratio < 0.5 else np.array([tf_engine])
    grid_sim = pk.simulate(events, p, grid)
    c_pre = float(grid_sim.csf_mg_per_L[0])
    p_pre = float(grid_sim.plasma_mg_per_L[0])
    if ratio < 0.5:
        fractions = [0.5, 0.1] if ratio < 0.1 else [0.5]
        hits = first_crossings(csf_at, grid, grid_sim.csf_mg_per_L, [f * c_pre for f in fractions])
        t50 = hits[0] - tf_engine
        if ratio < 0.1:
            t10 = hits[1] - tf_engine
    return PumpScenario(
        name=name,
        description=description,
        times_h=times,
        csf_mg_per_L=sim.csf_mg_per_L,
        plasma_mg_per_L=sim.plasma_mg_per_L,
        failure_time_h=t_fail,
        pre_failure_csf_mg_per_L=c_pre,
        pre_failure_plasma_mg_per_L=p_pre,
        hours_to_csf_50pct=t50,
        hours_to_csf_10pct=t10,
        delivered_ratio=ratio,
        daily_dose_before_ug=before,
        daily_dose_after_ug=after,
        params=p,
        events=tuple(events),
        warmup_h=warm,
        flags=flags,
    )


def _scenario_bounds(daily_dose_ug: Any = 1.0, step_h: Any = 0.1, **times_h: Any) -> None:
    """Bound checks (issue 18): each time/span 0..MAX_SPAN_H (10 years), step_h in (0, MAX_SPAN_H], a daily
    dose in ug/day 1e-9..1e12 (or 0), each named as the caller named it."""
    for name, value in times_h.items():
        v.time_h(value, name)
    v.real(step_h, "step_h", min_value=0.0, min_inclusive=False, max_value=v.MAX_SPAN_H)
    d = v.real(daily_dose_ug, "daily_dose_ug", min_value=0.0, max_value=1e12, unit="ug/day")
    if 0.0 < d < 1e-9:
        raise v.PKInputError(f"daily_dose_ug must be 0 or between 1e-09 and 1e+12 ug/day; got {d!r}")


def catheter_failure(
    daily_dose_ug: float,
    failure_time_h: float = 24.0,
    params: pk.PKParams | None = None,
    pre_h: float = 24.0,
    post_h: float = 72.0,
    step_h: float = 0.1,
) -> PumpScenario:
    """Catheter failure (disconnection, break, kink, occlusion) at ``failure_time_h``: delivery to the CSF
    stops although the pump still runs [saulino2016; label_gablofen]. Teaching simplification: drug leaking
    from a broken catheter into tissue is ignored (it would add a little to plasma)."""
    _scenario_bounds(daily_dose_ug, step_h, failure_time_h=failure_time_h, pre_h=pre_h, post_h=post_h)
    dose = v.positive(daily_dose_ug, "daily_dose_ug", unit="ug/day")
    return _rate_change_scenario(
        "catheter failure",
        f"Catheter fails at {failure_time_h:g} h: intrathecal delivery of {dose:g} µg/day stops.",
        dose,
        0.0,
        failure_time_h,
        params,
        pre_h,
        post_h,
        step_h,
        daily_dose_flags(dose)
        + [Flag("Intrathecal delivery interrupted: WITHDRAWAL risk [label_lioresal_it].", "withdrawal_risk")],
    )


def missed_refill(
    plan: PumpPlan,
    params: pk.PKParams | None = None,
    pre_h: float = 24.0,
    post_h: float = 72.0,
    step_h: float = 0.1,
) -> PumpScenario:
    """Missed refill: the reservoir of ``plan`` (see :func:`plan_pump`) runs dry at ``plan.hours_to_empty``
    after the fill (scenario clock: 0 = the fill) and delivery stops. The patient was on the same dose before
    the fill (steady state)."""
    if not isinstance(plan, PumpPlan):
        raise v.PKInputError(f"plan must be a PumpPlan from plan_pump(); got {plan!r}")
    _scenario_bounds(plan.daily_dose_ug, step_h, pre_h=pre_h, post_h=post_h)
    if plan.hours_to_empty > v.MAX_SPAN_H:
        raise v.PKInputError(
            f"plan empties after {plan.days_to_empty:g} days; allowed: at most {v.MAX_SPAN_H / 24:g} days"
        )
    if plan.daily_dose_ug <= 0:
        raise v.PKInputError(f"plan.daily_dose_ug must be > 0 µg/day; got {plan.daily_dose_ug!r}")
    t_empty = plan.hours_to_empty
    return _rate_change_scenario(
        "missed refill",
        f"Refill missed: the reservoir ({plan.fill_volume_mL:g} mL at "
        f"{plan.concentration_ug_per_mL:g} µg/mL, "
        f"{plan.daily_dose_ug:g} µg/day) runs dry after {plan.days_to_empty:.1f} days; the low-reservoir "
        f"alarm came {plan.days_to_empty - plan.days_to_alarm:.1f} days earlier.",
        plan.daily_dose_ug,
        0.0,
        t_empty,
        params,
        pre_h,
        post_h,
        step_h,
        list(plan.flags)
        + [
            Flag(
                "Empty reservoir: risk of WITHDRAWAL [label_lioresal_it; label_gablofen].", "withdrawal_risk"
            )
        ],
    )


def battery_end(
    daily_dose_ug: float,
    eri_time_h: float = 0.0,
    params: pk.PKParams | None = None,
    pre_h: float = 24.0,
    post_h: float = 72.0,
    step_h: float = 0.1,
) -> PumpScenario:
    """End of battery: the elective replacement indicator (ERI) sounds at ``eri_time_h`` and, if the pump is
    not replaced, it stops about 90 days later [medtronic_synchromed] (failure at eri_time_h + 2160 h).
    Refills are assumed to continue until then."""
    _scenario_bounds(daily_dose_ug, step_h, eri_time_h=eri_time_h, pre_h=pre_h, post_h=post_h)
    dose = v.positive(daily_dose_ug, "daily_dose_ug", unit="ug/day")
    eri = v.nonneg(eri_time_h, "eri_time_h")
    t_stop = eri + ERI_TO_STOP_DAYS * 24.0
    return _rate_change_scenario(
        "end of battery",
        f"ERI alarm at {eri:g} h; the pump is not replaced and stops {ERI_TO_STOP_DAYS:g} days later "
        f"(at {t_stop:g} h).",
        dose,
        0.0,
        t_stop,
        params,
        pre_h,
        post_h,
        step_h,
        daily_dose_flags(dose)
        + [
            Flag("Pump stopped at end of service: risk of WITHDRAWAL [label_lioresal_it].", "withdrawal_risk")
        ],
    )


def concentration_mixup(
    daily_dose_ug: float,
    programmed_concentration_ug_per_mL: float,
    filled_concentration_ug_per_mL: float,
    refill_time_h: float = 24.0,
    params: pk.PKParams | None = None,
    pre_h: float = 24.0,
    post_h: float = 72.0,
    step_h: float = 0.1,
) -> PumpScenario:
    """Concentration mix-up at a refill: the pump is programmed for ``programmed_concentration_ug_per_mL``
    but filled with ``filled_concentration_ug_per_mL``. The pump moves the volume it computes from the
    programmed concentration, so the delivered dose is ``daily_dose_ug x filled / programmed``: an OVERDOSE
    if the filled solution is stronger, an UNDERDOSE (withdrawal risk) if weaker. The CSF steady state changes
    by the same ratio (the model is linear). Before the refill the patient was at steady state on
    ``daily_dose_ug`` [saulino2016; label_lioresal_it]."""
    _scenario_bounds(daily_dose_ug, step_h, refill_time_h=refill_time_h, pre_h=pre_h, post_h=post_h)
    dose = v.positive(daily_dose_ug, "daily_dose_ug", unit="ug/day")
    c_prog = v.in_range(programmed_concentration_ug_per_mL, "programmed_concentration_ug_per_mL", 1e-3, 1e6)
    c_fill = v.in_range(filled_concentration_ug_per_mL, "filled_concentration_ug_per_mL", 1e-3, 1e6)
    ratio = c_fill / c_prog
    delivered = delivered_daily_dose_ug(dose, c_prog, c_fill)
    flags = concentration_flags(c_fill) + daily_dose_flags(delivered)
    if ratio > 1:
        flags.append(
            Flag(
                f"OVERDOSE: {ratio:g} times the programmed dose is delivered ({delivered:g} instead of "
                f"{dose:g} µg/day): empty the pump and consider CSF drainage [label_lioresal_it].",
                "mixup_overdose",
            )
        )
    elif ratio < 1:
        flags.append(
            Flag(
                f"UNDERDOSE: only {ratio:g} of the programmed dose is delivered ({delivered:g} instead of "
                f"{dose:g} µg/day): risk of WITHDRAWAL [label_lioresal_it].",
                "mixup_underdose",
            )
        )
    return _rate_change_scenario(
        "concentration mix-up",
        f"Refilled at {refill_time_h:g} h with {c_fill:g} µg/mL while programmed for {c_prog:g} µg/mL: "
        f"delivered dose x{ratio:g} ({delivered:g} µg/day instead of {dose:g} µg/day).",
        dose,
        delivered,
        refill_time_h,
        params,
        pre_h,
        post_h,
        step_h,
        flags,
    )
