"""Regimen builders (they return event lists) and label-limit flags.

Every builder returns a :class:`Regimen`: a plain ``list`` of events (pass it straight to
:func:`~baclofen_teach.pk.simulate`) with an extra ``flags`` attribute listing anything above a label
limit. Flags never refuse: overdoses must stay simulable. Times in h (t = 0 is midnight of day 0 for
the clock-time builders), amounts in mg.

Educational model, not dosing advice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from baclofen_teach import data

from . import _validate as v
from .events import DOSE_ROUTES, Dose, Infusion, _is_event
from .flags import Flag, flag_codes
from .params import PKParams, renal_clearance_factor

__all__ = [
    "Regimen",
    "regimen_flags",
    "max_oral_mg_in_24h",
    "ORAL_MAX_MG_PER_DAY",
    "ORAL_MAX_SOURCE",
    "IT_EXPERIENCE_LIMIT_UG_PER_DAY",
    "PAEDIATRIC_MAX_MG_PER_DAY",
    "repeated_doses",
    "clock_time_doses",
    "label_titration",
    "taper",
    "taper_schedule",
    "taper_flags",
    "TITRATION_START_MG_PER_DOSE",
    "TITRATION_STEP_MG_PER_DOSE",
    "TITRATION_STEP_DAYS",
    "titration_dose_mg",
    "oral_regimen",
    "OVERDOSE_RANGE_MG_IN_24H",
    "AVOID_BELOW_CRCL_ML_PER_MIN",
    "missed_dose",
    "paediatric_regimen",
    "kidney_adjusted_dose_mg",
    "kidney_adjusted_regimen",
    "DEFAULT_TID_CLOCK_H",
    "SCREENING_BOLUSES_UG",
    "SCREENING_INTERVAL_H",
    "IT_MAINTENANCE_SPINAL_UG_PER_DAY",
]

#: Oral daily maxima by jurisdiction, mg/day: US labels 80 [label_us_tablets; label_ozobax]; UK 100 as NHS
#: clinical guidance gives it [nes_abi_spasticity] (the UK SmPC 4.2 text was not read for this course);
#: 100-120 only for carefully monitored patients in hospital [label_lioresal_intl].
#: There is no single EU label (national SmPCs differ); ``"EU"`` is kept only as a backward-compatible alias
#: of ``"UK"`` for old code and notebooks, and flags name it as the UK figure.
ORAL_MAX_MG_PER_DAY: dict[str, float] = {"US": 80.0, "UK": 100.0, "hospital": 120.0, "EU": 100.0}
#: How flags name the source of each maximum.
ORAL_MAX_SOURCE: dict[str, str] = {
    "US": "US label",
    "UK": "UK (NHS guidance)",
    "hospital": "hospital (international Lioresal label)",
    "EU": "UK (NHS guidance; key 'EU' is an alias, there is no single EU label)",
}
#: Paediatric oral maxima, mg/day: 40 under 8 years, 60 from 8 years [label_uk_smpc].
PAEDIATRIC_MAX_MG_PER_DAY: dict[str, float] = {"under_8": 40.0, "8_and_over": 60.0}
#: Intrathecal: experience above 1000 ug/day is limited [label_de_lioresal_it] (German label summary).
IT_EXPERIENCE_LIMIT_UG_PER_DAY: float = 1000.0
#: Intrathecal screening test boluses, ug, in order: 50 ug (1 mL of 50 ug/mL), then 75 ug and 100 ug if
#: the response is inadequate; a patient who does not respond to 100 ug is not a pump candidate
#: [label_lioresal_it, label_gablofen].
SCREENING_BOLUSES_UG: tuple[float, float, float] = (50.0, 75.0, 100.0)
#: Spacing of the screening boluses, h (each next bolus 24 h after the previous one)
#: [label_lioresal_it, label_gablofen].
SCREENING_INTERVAL_H: float = 24.0
#: Usual intrathecal maintenance range for spasticity of spinal origin, ug/day (low, high)
#: [label_lioresal_it].
IT_MAINTENANCE_SPINAL_UG_PER_DAY: tuple[float, float] = (300.0, 800.0)
#: Oral amount taken within any 24 h, mg, from which intake is flagged as overdose-size: coma, delirium and
#: seizures were reported only at ingestions of 200 mg or more [leung2006] (parameters.csv, set ``limits``).
OVERDOSE_RANGE_MG_IN_24H: float = data.param("limits", "oral_overdose_range_mg_in_24h")
#: Creatinine clearance, mL/min, below which baclofen is best avoided (a review: eGFR < 30 mL/min or on
#: dialysis) [wolf2018] (parameters.csv, set ``limits``).
AVOID_BELOW_CRCL_ML_PER_MIN: float = data.param("limits", "avoid_below_crcl_mL_per_min")
#: The label titration, per dose: start at 5 mg, add 5 mg every 3 days (US tablets: 5 mg TID for 3 days,
#: then 10, 15, 20 mg TID) [label_us_tablets].
TITRATION_START_MG_PER_DOSE: float = 5.0
TITRATION_STEP_MG_PER_DOSE: float = 5.0
TITRATION_STEP_DAYS: int = 3
#: Default clock times for three-times-daily dosing (08:00, 14:00, 20:00), h after midnight.
DEFAULT_TID_CLOCK_H: tuple[float, ...] = (8.0, 14.0, 20.0)


class Regimen(list):  # type: ignore[type-arg]
    """A list of events with ``flags`` (label-limit warnings) and a ``description``."""

    def __init__(self, events: Iterable[Any] = (), flags: Sequence[str] = (), description: str = ""):
        super().__init__(sorted(_event_list(events), key=_t))
        self.flags: list[str] = list(flags)
        self.description = description

    @property
    def doses(self) -> list[Dose]:
        """The :class:`Dose` events."""
        return [e for e in self if isinstance(e, Dose)]

    def daily_totals_mg(self) -> dict[int, float]:
        """Total oral+IV dose per calendar day (day index = floor(time_h / 24)), mg."""
        out: dict[int, float] = {}
        for d in self.doses:
            k = int(d.time_h // 24)
            out[k] = out.get(k, 0.0) + d.amount_mg
        return out

    def __add__(self, other: Any) -> Regimen:  # type: ignore[override]
        flags = self.flags + list(getattr(other, "flags", []))
        return Regimen(list(self) + list(other), flags, self.description)


def _t(e: Any) -> float:
    return e.time_h if hasattr(e, "time_h") else e.start_h


def _event_list(events: Any, name: str = "events") -> list[Any]:
    """The events as a list (a single event is accepted), each checked to be an event."""
    if _is_event(events):
        return [events]
    if isinstance(events, (str, bytes, dict)) or not isinstance(events, Iterable):
        raise v.PKInputError(
            f"{name} must be a list of Dose/Infusion/ClearanceWindow/RemoveFraction objects; got {events!r}"
        )
    out = list(events)
    for i, ev in enumerate(out):
        if not _is_event(ev):
            raise v.PKInputError(
                f"{name}[{i}] must be a Dose, Infusion, ClearanceWindow or RemoveFraction; got {ev!r}"
            )
    return out


def _clock_times(clock_times_h: Any, name: str = "clock_times_h") -> list[float]:
    """Clock times in h after midnight, each 0 <= h < 24, at least one."""
    if isinstance(clock_times_h, (str, bytes)) or not isinstance(clock_times_h, Iterable):
        raise v.PKInputError(f"{name} must be a sequence of clock times (0 <= h < 24); got {clock_times_h!r}")
    times = [
        v.real(c, f"{name}[{i}]", min_value=0.0, max_value=24.0, max_inclusive=False)
        for i, c in enumerate(clock_times_h)
    ]
    if not times:
        raise v.PKInputError(f"{name} must contain at least one time; got an empty sequence")
    return times


def _check_doses(n: int, what: str) -> None:
    if n > v.MAX_DOSES:
        raise v.PKInputError(f"{what} gives {n} doses; allowed: at most {v.MAX_DOSES} doses in one regimen")


# ------------------------------------------------------------------ flags
def max_oral_mg_in_24h(events: Sequence[Any]) -> float:
    """Largest total oral amount (mg) taken in any 24 h window [t, t + 24) that starts at a dose."""
    return _max_oral_24h([e for e in _event_list(events) if isinstance(e, Dose) and e.route == "oral"])


def _max_oral_24h(oral: list[Dose]) -> float:
    """:func:`max_oral_mg_in_24h` for a list of oral doses (in any order)."""
    if not oral:
        return 0.0
    times = np.array([e.time_h for e in oral])
    amounts = np.array([e.amount_mg for e in oral])
    if times.size > 1 and bool(np.any(times[1:] < times[:-1])):
        order = np.argsort(times, kind="stable")  # the order of a stable sort by time
        times = times[order]
        amounts = amounts[order]
    cum = np.concatenate([[0.0], np.cumsum(amounts)])
    end = np.searchsorted(times, times + 24.0, side="left")
    return float(np.max(cum[end] - cum[np.arange(times.size)]))


def regimen_flags(
    events: Sequence[Any], params: PKParams | None = None, jurisdiction: str = "US"
) -> list[Flag]:
    """Warnings for a regimen above label limits (never a refusal), as :class:`~baclofen_teach.pk.Flag`.

    Oral: any 24 h window above the jurisdiction maximum (US 80, UK 100, hospital 120 mg/day; ``"EU"`` is an
    alias of ``"UK"``; codes ``oral_above_label_max``, ``oral_above_hospital_max``), and the overdose range
    (>= 200 mg [leung2006]; ``oral_overdose_range``). Intrathecal: pump rate above 1000 ug/day
    (``it_rate_above_experience``), bolus above the 100 ug screening maximum
    (``it_bolus_above_screening_max``) [label_lioresal_it].
    """
    jur = v.choice(jurisdiction, "jurisdiction", tuple(k.lower() for k in ORAL_MAX_MG_PER_DAY))
    key = {k.lower(): k for k in ORAL_MAX_MG_PER_DAY}[jur]
    if params is not None and not isinstance(params, PKParams):
        raise v.PKInputError(f"params must be a PKParams or None; got {params!r}")
    flags: list[Flag] = []
    oral: list[Dose] = []
    it_rates: list[float] = []
    big_it: list[Dose] = []
    for e in _event_list(events):  # one pass over the events
        if isinstance(e, Dose):
            if e.route == "oral":
                oral.append(e)
            elif e.route == "it" and e.amount_mg > 0.1 + 1e-12:
                big_it.append(e)
        elif isinstance(e, Infusion) and e.route == "it":
            it_rates.append(e.rate_ug_per_day)
    mx = _max_oral_24h(oral)
    lim = ORAL_MAX_MG_PER_DAY[key]
    tol = 1e-9 * max(lim, 1.0)  # e.g. 3 x 80/3 mg is 80 mg, not a rounding-error excess
    if mx > lim + tol:
        flags.append(
            Flag(
                f"oral intake reaches {mx:g} mg in 24 h, above the {ORAL_MAX_SOURCE[key]} maximum of "
                f"{lim:g} mg/day",
                "oral_above_label_max",
                (_LABEL_SOURCE[key],),
            )
        )
    if mx > ORAL_MAX_MG_PER_DAY["hospital"] + tol and key != "hospital":
        flags.append(
            Flag(
                f"oral intake of {mx:g} mg in 24 h is above even the 120 mg/day hospital maximum",
                "oral_above_hospital_max",
                (_LABEL_SOURCE["hospital"],),
            )
        )
    if mx >= OVERDOSE_RANGE_MG_IN_24H:
        flags.append(
            Flag(
                f"oral intake of {mx:g} mg in 24 h is in the range where coma, delirium and seizures "
                f"were reported after overdose (>= {OVERDOSE_RANGE_MG_IN_24H:g} mg) [leung2006]",
                "oral_overdose_range",
            )
        )
    it_rate = sum(it_rates)
    if it_rate > IT_EXPERIENCE_LIMIT_UG_PER_DAY:
        flags.append(
            Flag(
                f"intrathecal infusion totals {it_rate:g} µg/day, above "
                f"{IT_EXPERIENCE_LIMIT_UG_PER_DAY:g} µg/day where label experience is limited "
                "[label_de_lioresal_it]",
                "it_rate_above_experience",
            )
        )
    for e in big_it:
        flags.append(
            Flag(
                f"intrathecal bolus of {e.amount_ug:g} µg at {e.time_h:g} h is above the 100 µg "
                "maximum screening bolus [label_lioresal_it]",
                "it_bolus_above_screening_max",
            )
        )
    return flags


#: The label behind each jurisdiction's oral maximum (see :data:`ORAL_MAX_MG_PER_DAY`).
_LABEL_SOURCE: dict[str, str] = {
    "US": "label_us_tablets",
    "UK": "label_uk_smpc",
    "EU": "label_uk_smpc",
    "hospital": "label_lioresal_intl",
}


def _route(route: str) -> str:
    return v.choice(route, "route", DOSE_ROUTES)


# ------------------------------------------------------------------ builders
def repeated_doses(
    amount_mg: float,
    tau_h: float,
    n_doses: int | None = None,
    *,
    start_h: float = 0.0,
    until_h: float | None = None,
    route: str = "oral",
    jurisdiction: str = "US",
) -> Regimen:
    """Equal doses every ``tau_h`` hours from ``start_h``: give ``n_doses`` or ``until_h`` (exclusive)."""
    a = v.amount(amount_mg, "amount_mg", unit="mg")
    tau = v.real(tau_h, "tau_h (hours)", min_value=0.0, min_inclusive=False, max_value=v.MAX_SPAN_H)
    t0 = v.time_h(start_h, "start_h", max_value=v.MAX_TIME_H)
    r = _route(route)
    if (n_doses is None) == (until_h is None):
        raise v.PKInputError(
            f"give exactly one of n_doses or until_h; got n_doses={n_doses!r}, until_h={until_h!r}"
        )
    if n_doses is not None:
        n = v.whole(n_doses, "n_doses", max_value=v.MAX_DOSES)
    else:
        end = v.real(until_h, "until_h (hours)", min_value=t0, max_value=v.MAX_TIME_H)
        span = (end - t0) / tau
        if span > v.MAX_DOSES:
            raise v.PKInputError(
                f"until_h={until_h!r} with tau_h={tau:g} h gives about {span:.3g} doses; allowed: at most "
                f"{v.MAX_DOSES} doses (until_h <= start_h + {v.MAX_DOSES} x tau_h)"
            )
        n = int(math.ceil(span - 1e-12))
    if n and t0 + (n - 1) * tau > v.MAX_TIME_H:
        raise v.PKInputError(
            f"n_doses={n} every tau_h={tau:g} h from start_h={t0:g} h would end after the latest time "
            f"allowed ({v.MAX_TIME_H:g} h)"
        )
    evs = [Dose(t0 + i * tau, a, r) for i in range(n)]
    return Regimen(evs, regimen_flags(evs, jurisdiction=jurisdiction), f"{a:g} mg {r} every {tau:g} h x {n}")


def clock_time_doses(
    amount_mg: float | Sequence[float],
    days: int,
    clock_times_h: Sequence[float] = DEFAULT_TID_CLOCK_H,
    *,
    start_day: int = 0,
    route: str = "oral",
    jurisdiction: str = "US",
) -> Regimen:
    """Doses at fixed clock times (h after midnight, 0 <= h < 24) on each of ``days`` days.

    ``amount_mg`` may be a single amount or one per clock time (e.g. a larger night dose).
    """
    times = _clock_times(clock_times_h)
    if isinstance(amount_mg, (str, bytes)):
        raise v.PKInputError(f"amount_mg must be a real number or one per clock time; got {amount_mg!r}")
    amts = [amount_mg] * len(times) if np.ndim(amount_mg) == 0 else list(amount_mg)  # type: ignore[arg-type]
    if len(amts) != len(times):
        raise v.PKInputError(
            f"amount_mg must be one amount or one per clock time ({len(times)}); got {len(amts)}"
        )
    amts = [v.amount(a, f"amount_mg[{i}]", unit="mg") for i, a in enumerate(amts)]
    nd = v.whole(days, "days", max_value=v.MAX_DAYS)
    d0 = v.whole(start_day, "start_day", max_value=v.MAX_DAYS)
    _check_doses(nd * len(times), f"days={nd} with {len(times)} clock times")
    r = _route(route)
    evs = [Dose(24.0 * (d0 + d) + c, a, r) for d in range(nd) for c, a in zip(times, amts, strict=True)]
    return Regimen(
        evs,
        regimen_flags(evs, jurisdiction=jurisdiction),
        f"{r} doses at {', '.join(f'{c:g} h' for c in times)} for {nd} days",
    )


def _whole(x: Any, name: str) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < 0:
        raise v.PKInputError(f"{name} must be a whole number >= 0; got {x!r}")
    return int(x)


def label_titration(
    target_mg_per_day: float = 60.0,
    *,
    jurisdiction: str = "US",
    days: int | None = None,
    start_mg_per_dose: float = TITRATION_START_MG_PER_DOSE,
    step_mg_per_dose: float = TITRATION_STEP_MG_PER_DOSE,
    step_days: int = TITRATION_STEP_DAYS,
    clock_times_h: Sequence[float] = DEFAULT_TID_CLOCK_H,
) -> Regimen:
    """The oral label titration: 5 mg three times daily, +5 mg per dose every 3 days, up to a target.

    US labels: 5 mg TID for 3 days, then 10, 15, 20 mg TID, further increases possible to a maximum
    of 80 mg/day [label_us_tablets; label_ozobax]; UK maximum 100 mg/day [nes_abi_spasticity]; 100-120 mg/day
    only in
    hospital [label_lioresal_intl]. A target above the jurisdiction's cap is built as asked and
    *flagged*. ``days`` defaults to the titration time plus 6 days at the target.
    """
    target = v.amount(target_mg_per_day, "target_mg_per_day", positive=True)
    jur = v.choice(jurisdiction, "jurisdiction", tuple(k.lower() for k in ORAL_MAX_MG_PER_DAY))
    key = {k.lower(): k for k in ORAL_MAX_MG_PER_DAY}[jur]
    start = v.amount(start_mg_per_dose, "start_mg_per_dose", positive=True)
    step = v.amount(step_mg_per_dose, "step_mg_per_dose", positive=True)
    sd = v.whole(step_days, "step_days", min_value=1, max_value=v.MAX_DAYS)
    times = _clock_times(clock_times_h)
    n_per_day = len(times)
    target_per_dose = target / n_per_day
    if target_per_dose <= 0.0:  # a subnormal target split over the clock times underflows to 0
        raise v.PKInputError(
            "target_mg_per_day must be a finite real number > 0 (per dose after the split); "
            f"got {target_mg_per_day!r}"
        )
    steps = max(0.0, (target_per_dose - start) / step)
    if days is None and (steps + 1) * sd + 6 > v.MAX_DAYS:
        raise v.PKInputError(
            f"target_mg_per_day={target:g} from start_mg_per_dose={start:g} in steps of "
            f"step_mg_per_dose={step:g} every step_days={sd} days needs about "
            f"{(steps + 1) * sd + 6:.3g} days; allowed: at most {v.MAX_DAYS} days (raise step_mg_per_dose, "
            "lower target_mg_per_day or give days)"
        )
    n_steps = max(0, math.ceil(steps - 1e-12))
    nd = (n_steps + 1) * sd + 6 if days is None else v.whole(days, "days", max_value=v.MAX_DAYS)
    _check_doses(nd * n_per_day, f"days={nd} with {n_per_day} clock times")
    evs: list[Dose] = []
    for d in range(nd):
        per_dose = titration_dose_mg(d, target_per_dose, start, step, sd)
        for c in times:
            evs.append(Dose(24.0 * d + c, per_dose, "oral", "titration"))
    flags = regimen_flags(evs, jurisdiction=key)
    cap = ORAL_MAX_MG_PER_DAY[key]
    if target > cap * (1 + 1e-12) and "oral_above_label_max" not in flag_codes(flags):
        flags.insert(
            0,
            Flag(
                f"target {target:g} mg/day is above the {ORAL_MAX_SOURCE[key]} maximum of {cap:g} mg/day",
                "oral_above_label_max",
                (_LABEL_SOURCE[key],),
            ),
        )
    return Regimen(evs, flags, f"label titration to {target:g} mg/day ({key} cap {cap:g} mg/day)")


def titration_dose_mg(
    day: int,
    target_mg_per_dose: float,
    start_mg_per_dose: float = TITRATION_START_MG_PER_DOSE,
    step_mg_per_dose: float = TITRATION_STEP_MG_PER_DOSE,
    step_days: int = TITRATION_STEP_DAYS,
) -> float:
    """Dose per administration (mg) on ``day`` (0-based) of the label titration: ``start_mg_per_dose`` plus
    ``step_mg_per_dose`` every ``step_days`` days, never above ``target_mg_per_dose`` [label_us_tablets]."""
    d = v.whole(day, "day", max_value=v.MAX_DAYS)
    target = v.amount(target_mg_per_dose, "target_mg_per_dose", positive=True)
    start = v.amount(start_mg_per_dose, "start_mg_per_dose", positive=True)
    step = v.amount(step_mg_per_dose, "step_mg_per_dose", positive=True)
    sd = v.whole(step_days, "step_days", min_value=1, max_value=v.MAX_DAYS)
    return min(start + step * (d // sd), target)


def oral_regimen(
    dose_mg: float,
    doses_per_day: int,
    days: int,
    schedule: str = "fixed",
    event: str = "none",
    event_day: int = 1,
) -> Regimen:
    """Oral doses evenly spaced, ``doses_per_day`` a day from time 0 for ``days`` days (the oral dosing app).

    ``schedule="titration"``: the dose per administration follows :func:`titration_dose_mg` (5 mg, +5 mg
    every 3 days [label_us_tablets]) until it reaches ``dose_mg``. ``event``: ``"missed"`` drops, and
    ``"doubled"`` doubles (a dose taken twice by mistake), the first dose of day ``event_day`` (day 1 starts
    at time 0). For the label's advice after a missed dose see :func:`missed_dose`.
    """
    amount_mg = v.amount(dose_mg, "dose_mg", unit="mg", positive=True)
    n = v.whole(doses_per_day, "doses_per_day", min_value=1, max_value=v.MAX_DOSES)
    nd = v.whole(days, "days", max_value=v.MAX_DAYS)
    _check_doses(nd * n, f"days={nd} with doses_per_day={n}")
    sched = v.choice(schedule, "schedule", ("fixed", "titration"))
    ev_kind = v.choice(event, "event", ("none", "missed", "doubled"))
    ev_day = v.whole(event_day, "event_day", max_value=v.MAX_DAYS)
    tau_h = 24.0 / n
    events: list[Dose] = []
    for i in range(nd * n):
        day = i // n  # 0-based
        amount = titration_dose_mg(day, amount_mg) if sched == "titration" else amount_mg
        label = ""
        if ev_kind != "none" and i == (ev_day - 1) * n:
            if ev_kind == "missed":
                continue
            amount *= 2.0
            label = "doubled dose"
        events.append(Dose(time_h=i * tau_h, amount_mg=amount, route="oral", label=label))
    what = "titration to " if sched == "titration" else ""
    return Regimen(events, regimen_flags(events), f"oral {what}{amount_mg:g} mg x {n}/day for {nd} days")


#: Why one definition: see :func:`taper_schedule` and docs/developers.md ("One linear taper").
TAPER_DEFINITION = "day k of a taper over N days (k = 0 .. N-1) gets d0 x (N - k) / (N + 1); zero from day N"


def taper_schedule(daily_dose_mg: float, taper_days: int, step_mg: float | None = None) -> np.ndarray:
    """Daily doses (mg/day) for day 0 .. taper_days of a taper from ``daily_dose_mg``; the last entry is 0.

    The package's one definition of a linear taper (used by :func:`taper` and by
    :func:`baclofen_teach.withdrawal.compare_taper`):

    * ``step_mg=None``: equal daily steps, day k gets ``daily_dose_mg * (taper_days - k) / (taper_days + 1)``,
      so every day-to-day fall in dose, the last one (to zero) included, is ``daily_dose_mg / (taper_days +
      1)``. Day 0 is the first day of the taper and already reduced (the day before it the dose was
      ``daily_dose_mg``); day ``taper_days`` is the first day without drug. A "taper over 14 days" is thus
      14 days on reduced doses.
    * ``step_mg`` given (e.g. 10 or 15 mg as in the French SmPC [label_fr_smpc]): the dose falls by
      ``step_mg`` (the last step may be smaller) with the steps spread evenly over ``taper_days`` days.
    * ``taper_days=0``: an abrupt stop, ``[0.0]``.

    Why this definition: the labels give no formula. The US label says only to reduce the dosage slowly
    [label_us_tablets]; the international label to withdraw gradually over about 1-2 weeks
    [label_lioresal_intl]; the French SmPC uses steps of 10 or 15 mg [label_fr_smpc]. Counting the taper's
    days as days on a reduced dose makes "over N days" mean exactly that, and no step is larger than the
    others. (An earlier ``pk.taper`` spent day 0 at the full dose; it now uses this schedule.)
    """
    d0 = v.real(
        daily_dose_mg,
        "daily_dose_mg",
        min_value=0.0,
        min_inclusive=False,
        max_value=v.MAX_AMOUNT_MG,
        unit="mg/day",
    )
    n_days = v.whole(taper_days, "taper_days", max_value=v.MAX_DAYS)
    if n_days == 0:
        return np.zeros(1)
    if step_mg is None:
        k = np.arange(n_days + 1, dtype=float)
        return d0 * (n_days - k) / (n_days + 1)
    step = v.amount(step_mg, "step_mg", positive=True)
    if d0 / step > v.MAX_DAYS:  # more steps than days allowed: refuse before building them
        raise v.PKInputError(
            f"step_mg={step:g} from {d0:g} mg/day needs {d0 / step:.3g} steps; allowed: at most "
            f"{v.MAX_DAYS} steps (step_mg >= daily_dose_mg / {v.MAX_DAYS})"
        )
    levels = np.maximum(d0 - step * np.arange(1, int(math.ceil(d0 / step - 1e-12)) + 1), 0.0)
    nonzero = levels[levels > 0]
    if nonzero.size == 0:  # one step reaches zero: the taper is an abrupt stop
        return np.zeros(n_days + 1)
    if nonzero.size > n_days:
        raise v.PKInputError(
            f"taper_days={n_days} is too short for step_mg={step:g} from {d0:g} mg/day: "
            f"{nonzero.size} non-zero steps need at least {nonzero.size} days"
        )
    idx = (np.arange(n_days) * nonzero.size) // n_days
    return np.append(nonzero[idx], 0.0)


def taper_flags(taper_days: int) -> list[Flag]:
    """A warning if a taper is shorter than the 1-2 weeks the labels advise [label_lioresal_intl]."""
    taper_days = v.whole(taper_days, "taper_days", max_value=v.MAX_DAYS)
    if 0 < taper_days < 7:
        return [
            Flag(
                f"a taper over {taper_days} days is shorter than the 1-2 weeks labels advise "
                "[label_lioresal_intl]",
                "taper_shorter_than_label",
            )
        ]
    return []


def taper(
    from_mg_per_day: float,
    over_days: int,
    *,
    start_day: int = 0,
    clock_times_h: Sequence[float] = DEFAULT_TID_CLOCK_H,
    step_days: int = 1,
    jurisdiction: str = "US",
) -> Regimen:
    """Linear taper from ``from_mg_per_day`` to zero over ``over_days`` days, reduced every ``step_days``.

    Labels advise withdrawing gradually over about 1-2 weeks (not abruptly) [label_lioresal_intl,
    label_fr_smpc]. The schedule is the package's one linear taper (:func:`taper_schedule`, where the choice
    is explained): with ``step_days=1``, day k of the taper (k = 0 .. over_days-1, from ``start_day``) gives
    from x (over_days - k) / (over_days + 1) mg/day, so day 0 is already reduced and the last dose is on day
    start_day + over_days - 1. With ``step_days`` = s > 1 the dose is held for s days at each of
    ceil(over_days / s) equal levels (level j: from x (L - j) / (L + 1), L levels). Doses are split equally
    over the clock times.
    """
    total = v.amount(from_mg_per_day, "from_mg_per_day")
    if isinstance(over_days, (int, np.integer)) and not isinstance(over_days, bool) and over_days == 0:
        raise v.PKInputError("over_days must be >= 1 (use an empty list to stop abruptly); got 0")
    nd = v.whole(over_days, "over_days", min_value=1, max_value=v.MAX_DAYS)
    sd = v.whole(step_days, "step_days", min_value=1, max_value=v.MAX_DAYS)
    d0 = v.whole(start_day, "start_day", max_value=v.MAX_DAYS)
    times = _clock_times(clock_times_h)
    n = len(times)
    _check_doses(nd * n, f"over_days={nd} with {n} clock times")
    n_levels = math.ceil(nd / sd)
    levels = taper_schedule(total, n_levels) if total > 0 else np.zeros(n_levels + 1)
    evs = []
    for k in range(nd):
        daily = float(levels[k // sd])
        for c in times:
            evs.append(Dose(24.0 * (d0 + k) + c, daily / n, "oral", "taper"))
    return Regimen(
        evs,
        taper_flags(nd) + regimen_flags(evs, jurisdiction=jurisdiction),
        f"taper {total:g} mg/day to 0 over {nd} days",
    )


def missed_dose(
    events: Sequence[Any],
    missed_index: int,
    remembered_at_h: float | None = None,
    *,
    strategy: str = "label",
    near_next_h: float = 2.0,
) -> Regimen:
    """Modify a regimen for one missed oral dose (index into its doses sorted by time).

    strategy:
      * ``"label"``: take the missed dose when remembered, unless the next dose is due within
        ``near_next_h`` hours; then skip it and carry on. Never double
        [label_ch_lioresal_pil; nhs_baclofen]. (The leaflet says "soon time for the next dose"; the NHS
        summary says less than 2 hours, the default ``near_next_h`` = 2 h [nhs_baclofen].)
      * ``"double"``: the error to avoid: skip it and take twice the dose at the next time.
      * ``"skip"``: simply skip it.
    """
    strat = v.choice(strategy, "strategy", ("label", "double", "skip"))
    flags0 = list(getattr(events, "flags", []))
    events = _event_list(events)
    doses = sorted((e for e in events if isinstance(e, Dose)), key=lambda e: e.time_h)
    others = [e for e in events if not isinstance(e, Dose)]
    i = _whole(missed_index, "missed_index")
    if i >= len(doses):
        raise v.PKInputError(f"missed_index must be < the number of doses in events ({len(doses)}); got {i}")
    near = v.real(near_next_h, "near_next_h (hours)", min_value=0.0, max_value=24.0)
    missed = doses[i]
    rest = doses[:i] + doses[i + 1 :]
    nxt = doses[i + 1] if i + 1 < len(doses) else None
    flags = flags0
    if strat == "label":
        t_r = (
            missed.time_h
            if remembered_at_h is None
            else v.real(
                remembered_at_h, "remembered_at_h (hours)", min_value=missed.time_h, max_value=v.MAX_TIME_H
            )
        )
        if nxt is not None and nxt.time_h - t_r <= near:
            desc = f"missed dose at {missed.time_h:g} h skipped (next dose due within {near:g} h)"
        else:
            rest.append(Dose(t_r, missed.amount_mg, missed.route, "missed dose taken late"))
            desc = f"missed dose at {missed.time_h:g} h taken late at {t_r:g} h"
    elif strat == "double":
        if nxt is None:
            raise v.PKInputError(f"missed_index {i} is the last dose: there is no next dose to double")
        j = rest.index(nxt)
        rest[j] = Dose(nxt.time_h, 2 * nxt.amount_mg, nxt.route, "doubled dose (error)")
        desc = f"missed dose at {missed.time_h:g} h, next dose doubled (not recommended)"
        flags.append(
            Flag(
                f"doubled dose of {2 * nxt.amount_mg:g} mg at {nxt.time_h:g} h: labels advise never "
                "to double a dose [label_ch_lioresal_pil; nhs_baclofen]",
                "doubled_dose",
            )
        )
    else:
        desc = f"missed dose at {missed.time_h:g} h skipped"
    evs = rest + others
    flags += [f for f in regimen_flags(evs) if f not in flags]
    return Regimen(evs, flags, desc)


def paediatric_regimen(
    weight_kg: float,
    age_y: float,
    mg_per_kg_per_day: float = 0.75,
    days: int = 7,
    *,
    clock_times_h: Sequence[float] = (7.0, 12.0, 17.0, 22.0),
) -> Regimen:
    """Weight-based oral dosing for a child, split over 4 daily doses by default.

    UK SmPC: start about 0.3 mg/kg/day, maintenance 0.75-2 mg/kg/day, maximum 40 mg/day under 8 years
    and 60 mg/day from 8 years [label_uk_smpc]; population PK supports about 2 mg/kg/day [he2014]. Doses
    above the age cap or above 2 mg/kg/day are built as asked and flagged. US labels: not established
    under 12 years [label_us_tablets].
    """
    w = v.real(weight_kg, "weight_kg", min_value=0.1, max_value=500.0)
    age = v.real(age_y, "age_y (years)", min_value=0.0, max_value=18.0, max_inclusive=False)
    mpk = v.real(mg_per_kg_per_day, "mg_per_kg_per_day", min_value=0.0, max_value=1e6)
    nd = v.whole(days, "days", max_value=v.MAX_DAYS)
    daily = w * mpk
    times = _clock_times(clock_times_h)
    n = len(times)
    _check_doses(nd * n, f"days={nd} with {n} clock times")
    evs = [Dose(24.0 * d + c, daily / n, "oral", "paediatric") for d in range(nd) for c in times]
    cap = PAEDIATRIC_MAX_MG_PER_DAY["under_8" if age < 8 else "8_and_over"]
    flags = []
    if daily > cap + 1e-9:
        flags.append(
            Flag(
                f"{daily:g} mg/day is above the paediatric maximum of {cap:g} mg/day for age "
                f"{'under 8' if age < 8 else '8 or over'} [label_uk_smpc]",
                "paediatric_above_max",
            )
        )
    if mpk > 2.0:
        flags.append(
            Flag(
                f"{mpk:g} mg/kg/day is above the 0.75-2 mg/kg/day maintenance range [label_uk_smpc]",
                "paediatric_above_maintenance_range",
            )
        )
    if w < 33.0:
        flags.append(
            Flag(
                "tablets are unsuitable under 33 kg; a liquid form would be used [label_uk_smpc]",
                "paediatric_tablets_unsuitable",
            )
        )
    if age < 12:
        flags.append(
            Flag(
                "US labels: safety and efficacy not established under 12 years [label_us_tablets]",
                "paediatric_us_not_established",
            )
        )
    return Regimen(evs, flags, f"{mpk:g} mg/kg/day for {w:g} kg ({daily:g} mg/day)")


def kidney_adjusted_dose_mg(dose_mg: float, crcl_mL_per_min: float) -> float:
    """Dose giving the same AUC as ``dose_mg`` at normal kidney function: dose x CL(CrCl)/CL(normal)
    (renal share of systemic clearance fe = 0.86, see :meth:`PKParams.renal`). 10 mg becomes 7.0 mg
    at CrCl 65, 4.8 mg at 40, 3.1 mg at 20 and 1.8 mg at 5 mL/min (reductions 30 %, 52 %, 69 %, 82 %).
    Vlavonou proposed reducing by 1/3, 1/2 and 2/3 in mild (CrCl 50-80), moderate (30-50) and severe
    (< 30 mL/min) CKD [vlavonou2014]; the model is within 5 points of each at the band midpoints
    (``tests/pk/test_pk_renal_published.py``), but it cuts less near the top of each band (17 % at
    CrCl 80, 43 % at 50, 60 % at 30 mL/min), because it is continuous and the proposal is one figure
    per band. Clinical texts go further: avoid at eGFR < 30 or on dialysis [wolf2018]; neurotoxicity
    has been reported at 5 mg/day on dialysis [cheong2020]. A teaching calculation of equal average
    exposure, not dosing advice."""
    d = v.amount(dose_mg, "dose_mg", unit="mg")
    return d * renal_clearance_factor(_crcl(crcl_mL_per_min))


def _crcl(x: Any) -> float:
    return v.in_range(x, "crcl_mL_per_min", *v.CRCL_RANGE_ML_PER_MIN)


def kidney_adjusted_regimen(events: Sequence[Any], crcl_mL_per_min: float) -> Regimen:
    """Scale every dose of a regimen by CL(CrCl)/CL(normal) (see :func:`kidney_adjusted_dose_mg`)."""
    crcl_mL_per_min = _crcl(crcl_mL_per_min)
    fac = renal_clearance_factor(crcl_mL_per_min)
    evs = _event_list(events)
    out = [Dose(e.time_h, e.amount_mg * fac, e.route, e.label) if isinstance(e, Dose) else e for e in evs]
    flags = []
    if crcl_mL_per_min < AVOID_BELOW_CRCL_ML_PER_MIN:
        flags.append(
            Flag(
                f"CrCl {crcl_mL_per_min:g} mL/min: baclofen is best avoided at eGFR < "
                f"{AVOID_BELOW_CRCL_ML_PER_MIN:g} mL/min or on dialysis; neurotoxicity reported even at "
                "5 mg/day [wolf2018, cheong2020]",
                "crcl_below_avoid",
            )
        )
    return Regimen(out, flags + regimen_flags(out), f"doses x {fac:.3f} for CrCl {crcl_mL_per_min:g} mL/min")
