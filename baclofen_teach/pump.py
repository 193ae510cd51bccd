"""Intrathecal baclofen pump: refill arithmetic and delivery-failure scenarios.

Educational model, not dosing advice.

Clinic quantities for intrathecal baclofen are in micrograms; the engine (:mod:`baclofen_teach.pk`) works in
milligrams and hours. Every name here carries its unit (``daily_dose_ug``, ``concentration_ug_per_mL``,
``rate_ug_per_h``, ``rate_mg_per_h``) and the only conversions are :func:`ug_to_mg` and :func:`mg_to_ug`.
Doses are never refused for being large: implausible values (a likely 1000-fold unit error, doses beyond
label experience) are returned as human-readable ``flags``. Only physically meaningless input (negative or
non-finite volumes, a fill larger than the reservoir, a non-positive concentration) raises ``ValueError``.

Sources: product strengths 50, 500, 1000 and 2000 ug/mL [label_lioresal_it; label_gablofen]; maximum refill
interval 180 days for commercial pumps [stability2023]; the pump stops about 90 days after the elective
replacement indicator (ERI) [medtronic_synchromed]; the low-reservoir alarm volume is programmable and its
default of about 2 mL is *unverified*, so it is a parameter with an assumed default
(:data:`LOW_RESERVOIR_ALARM_ASSUMED_ML`).
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "UG_PER_MG",
    "PRODUCT_CONCENTRATIONS_UG_PER_ML",
    "RESERVOIR_VOLUMES_ML",
    "LOW_RESERVOIR_ALARM_ASSUMED_ML",
    "MAX_REFILL_INTERVAL_DAYS",
    "ERI_TO_STOP_DAYS",
    "LIMITED_EXPERIENCE_ABOVE_UG_PER_DAY",
    "ug_to_mg",
    "mg_to_ug",
    "rate_ug_per_h",
    "rate_mg_per_h",
    "volume_mL_per_day",
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
"""Marketed intrathecal strengths, ug/mL: Lioresal Intrathecal 50, 500, 2000; Gablofen 50, 500, 1000, 2000
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
[medtronic_synchromed]."""

LIMITED_EXPERIENCE_ABOVE_UG_PER_DAY: float = 1000.0
"""Label: experience with intrathecal doses above 1000 ug/day is limited [label_lioresal_it]."""

LOWEST_REPORTED_MAINTENANCE_UG_PER_DAY: float = 24.0
"""Lowest maintenance dose in the label's paediatric range 24-1199 ug/day [label_lioresal_it]; below it a
daily dose is flagged as a possible unit error."""

UNIT_ERROR_ABOVE_UG_PER_DAY: float = 3000.0
"""Above this (three times the label's limited-experience level) a daily dose is flagged as a probable
1000-fold unit error. A teaching choice, not a clinical limit."""


# ---------------------------------------------------------------------------------------------------------
# validation helpers (shared with withdrawal.py and overdose.py)
# ---------------------------------------------------------------------------------------------------------
def _finite(name: str, value: Any) -> float:
    """Return ``value`` as a float or raise ValueError naming the parameter."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number, got {value!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return x


def _nonneg(name: str, value: Any, unit: str = "") -> float:
    x = _finite(name, value)
    if x < 0:
        raise ValueError(f"{name} must be >= 0{(' ' + unit) if unit else ''}, got {value!r}")
    return x


def _positive(name: str, value: Any, unit: str = "") -> float:
    x = _finite(name, value)
    if x <= 0:
        raise ValueError(f"{name} must be > 0{(' ' + unit) if unit else ''}, got {value!r}")
    return x


def _nonneg_or_inf(name: str, value: Any, unit: str = "") -> float:
    """Allow +inf (e.g. 'never'), otherwise a finite value >= 0."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == math.inf:
        return math.inf
    return _nonneg(name, value, unit)


# ---------------------------------------------------------------------------------------------------------
# unit conversions and pure arithmetic
# ---------------------------------------------------------------------------------------------------------
def _convert(name: str, value: float | np.ndarray, factor: float) -> float | np.ndarray:
    if np.ndim(value) == 0:
        return _finite(name, value) * factor
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers, got {value!r}")
    return arr * factor


def ug_to_mg(amount_ug: float | np.ndarray) -> float | np.ndarray:
    """Convert micrograms to milligrams (divide by 1000). Works on floats and arrays."""
    return _convert("amount_ug", amount_ug, 1.0 / UG_PER_MG)


def mg_to_ug(amount_mg: float | np.ndarray) -> float | np.ndarray:
    """Convert milligrams to micrograms (multiply by 1000). Works on floats and arrays."""
    return _convert("amount_mg", amount_mg, UG_PER_MG)


def rate_ug_per_h(daily_dose_ug: float) -> float:
    """Hourly delivery rate in ug/h of a continuous daily dose in ug/day (divide by 24)."""
    return _nonneg("daily_dose_ug", daily_dose_ug, "ug/day") / 24.0


def rate_mg_per_h(daily_dose_ug: float) -> float:
    """Hourly delivery rate in mg/h (the engine's unit) of a daily dose in ug/day: ug/day / 24 / 1000."""
    return rate_ug_per_h(daily_dose_ug) / UG_PER_MG


def volume_mL_per_day(daily_dose_ug: float, concentration_ug_per_mL: float) -> float:
    """Volume pumped per day, mL/day = daily dose (ug/day) / drug concentration (ug/mL)."""
    d = _nonneg("daily_dose_ug", daily_dose_ug, "ug/day")
    c = _positive("concentration_ug_per_mL", concentration_ug_per_mL, "ug/mL")
    return d / c


def days_to_alarm(fill_volume_mL: float, alarm_volume_mL: float, volume_per_day_mL: float) -> float:
    """Days from a fill until the low-reservoir alarm: (fill volume - alarm volume) / daily volume.

    Returns 0 if the fill is already at or below the alarm volume and ``inf`` if nothing is pumped.
    """
    fill = _nonneg("fill_volume_mL", fill_volume_mL, "mL")
    alarm = _nonneg("alarm_volume_mL", alarm_volume_mL, "mL")
    q = _nonneg("volume_per_day_mL", volume_per_day_mL, "mL/day")
    if fill <= alarm:
        return 0.0
    return math.inf if q == 0 else (fill - alarm) / q


def days_to_empty(fill_volume_mL: float, volume_per_day_mL: float) -> float:
    """Days from a fill until the reservoir is empty: fill volume / daily volume (``inf`` if nothing is
    pumped). The model ignores the pump's small non-deliverable dead volume."""
    fill = _nonneg("fill_volume_mL", fill_volume_mL, "mL")
    q = _nonneg("volume_per_day_mL", volume_per_day_mL, "mL/day")
    return math.inf if q == 0 else fill / q


def battery_stop_day(eri_day: float) -> float:
    """Day on which the pump stops if it is not replaced: ERI day + 90 days [medtronic_synchromed]."""
    return _nonneg("eri_day", eri_day, "days") + ERI_TO_STOP_DAYS


def daily_dose_flags(daily_dose_ug: float) -> list[str]:
    """Warnings (never errors) for an intrathecal daily dose in ug/day.

    Flags a dose below the lowest reported maintenance dose (24 ug/day [label_lioresal_it]: a dose in mg typed
    as ug?), above 1000 ug/day (limited label experience [label_lioresal_it]) and above 3000 ug/day
    (probable 1000-fold unit error).
    """
    d = _nonneg("daily_dose_ug", daily_dose_ug, "ug/day")
    flags: list[str] = []
    if 0 < d < LOWEST_REPORTED_MAINTENANCE_UG_PER_DAY:
        flags.append(
            f"daily_dose_ug={d:g} ug/day is below the lowest reported intrathecal maintenance dose "
            f"({LOWEST_REPORTED_MAINTENANCE_UG_PER_DAY:g} ug/day) [label_lioresal_it]: check for a mg/ug "
            f"mix-up ({d:g} mg/day would be {d * UG_PER_MG:g} ug/day)."
        )
    if d > UNIT_ERROR_ABOVE_UG_PER_DAY:
        flags.append(
            f"daily_dose_ug={d:g} ug/day ({d / UG_PER_MG:g} mg/day) is far above any reported intrathecal "
            f"dose: OVERDOSE or a 1000-fold unit error (mg or ng entered as ug?)."
        )
    elif d > LIMITED_EXPERIENCE_ABOVE_UG_PER_DAY:
        flags.append(
            f"daily_dose_ug={d:g} ug/day is above {LIMITED_EXPERIENCE_ABOVE_UG_PER_DAY:g} ug/day, where "
            f"experience is limited [label_lioresal_it]."
        )
    return flags


def concentration_flags(concentration_ug_per_mL: float) -> list[str]:
    """Warnings for a drug concentration in ug/mL that is not a marketed strength
    [label_lioresal_it; label_gablofen]."""
    c = _positive("concentration_ug_per_mL", concentration_ug_per_mL, "ug/mL")
    if any(math.isclose(c, s) for s in PRODUCT_CONCENTRATIONS_UG_PER_ML):
        return []
    strengths = ", ".join(f"{s:g}" for s in PRODUCT_CONCENTRATIONS_UG_PER_ML)
    msg = (
        f"concentration_ug_per_mL={c:g} is not a marketed strength ({strengths} ug/mL) "
        f"[label_lioresal_it; label_gablofen]: it needs compounding or dilution; double-check it."
    )
    if c < 10.0 or c > 3000.0:
        msg += f" Is it in mg/mL? ({c:g} mg/mL would be {c * UG_PER_MG:g} ug/mL.)"
    return [msg]


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
        from baclofen_teach import pk

        start = _finite("start_h", start_h)
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
    dose = _nonneg("daily_dose_ug", daily_dose_ug, "ug/day")
    conc = _positive("concentration_ug_per_mL", concentration_ug_per_mL, "ug/mL")
    reservoir = _positive("reservoir_volume_mL", reservoir_volume_mL, "mL")
    fill = _positive("fill_volume_mL", fill_volume_mL, "mL")
    alarm = _nonneg("alarm_volume_mL", alarm_volume_mL, "mL")
    max_days = _positive("max_refill_interval_days", max_refill_interval_days, "days")
    if fill > reservoir:
        raise ValueError(
            f"fill_volume_mL must be at most reservoir_volume_mL={reservoir:g} mL, got {fill_volume_mL!r}"
        )
    if alarm >= reservoir:
        raise ValueError(
            f"alarm_volume_mL must be below reservoir_volume_mL={reservoir:g} mL, got {alarm_volume_mL!r}"
        )
    if fill_date is not None and not isinstance(fill_date, _dt.date):
        raise ValueError(f"fill_date must be a datetime.date or None, got {fill_date!r}")
    if isinstance(fill_date, _dt.datetime):
        fill_date = fill_date.date()

    flags = daily_dose_flags(dose) + concentration_flags(conc)
    if not any(math.isclose(reservoir, r) for r in RESERVOIR_VOLUMES_ML):
        flags.append(
            f"reservoir_volume_mL={reservoir:g} is not a SynchroMed II size (20 or 40 mL) "
            f"[medtronic_synchromed]; check it."
        )
    if fill <= alarm:
        flags.append(
            f"fill_volume_mL={fill:g} is at or below alarm_volume_mL={alarm:g}: the low-reservoir alarm "
            f"sounds at once."
        )
    if math.isclose(alarm, LOW_RESERVOIR_ALARM_ASSUMED_ML):
        flags.append(
            "alarm_volume_mL=2 mL is an assumed default (programmable; not confirmed in a primary source): "
            "use the pump's programmed value."
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
