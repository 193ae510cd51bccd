"""Baclofen overdose: oral ingestion with normal or failed kidneys, extracorporeal removal, intrathecal
overdose with emptying of the pump and CSF drainage, and the management table.

Educational model, not dosing advice. Not a guide to treating a patient: call a poisons centre.

Model caveats stated to students:

* The engine is linear. The US label says absorption may depend on dose and fall as the dose rises
  [label_us_tablets], so after very large ingestions the model probably *overestimates* concentrations
  (flagged from 200 mg taken within 24 h, the overdose range of [leung2006]: see
  :data:`LARGE_INGESTION_MG_IN_24H`).
* Concentrations reported with serious toxicity (:func:`toxicity_reports`) are values measured in single
  patients or small series. They are reported values, not thresholds: toxicity depends on the person,
  co-ingestants (alcohol, diazepam, tricyclic antidepressants aggravate the picture [label_pms_baclofen]) and
  time, and clinical recovery can lag behind the fall in serum levels (symptoms despite undetectable levels
  [perry1998]; coma of up to 72 h after intrathecal overdose [label_lioresal_it_druglib]).
* Haemodialysis is extra plasma clearance during a session: 2.14 mL/s = 7.7 L/h [brvar2007]; continuous
  veno-venous haemofiltration (CVVH) 2.4 L/h [cvvh2014]. The benefit is large when the kidneys have failed
  (it replaces missing clearance) and small with normal kidneys (little removal measured in one case
  [clintox2020]). The product monograph indicates haemodialysis in *severe* poisoning with kidney failure
  [label_pms_baclofen]; an EXTRIP systematic review with recommendations exists [ghannoum2021], whose wording
  was not read for this course.
* CSF drainage after an intrathecal overdose removes a fraction of the CSF drug amount at one instant:
  fraction = drained volume / CSF volume. Default volume: the total adult CSF volume, 130 mL (range
  100-160 mL [ijt2018]), i.e. the drained CSF is assumed to be a well-mixed sample of all CSF; 30-40 mL then
  removes 23-31 %. This is the conservative choice: the model's apparent CSF volume (``v_csf_L``, 65 mL) is a
  kinetic fit that reflects the concentration gradient near the catheter, not a physical pool; using it
  (``csf_volume_basis="apparent"``) gives 46-62 % and shows the upper end of what drainage could do. A
  teaching simplification either way [label_lioresal_it].
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from baclofen_teach import data, pk
from baclofen_teach import validation as v
from baclofen_teach.pk import Flag
from baclofen_teach.pump import daily_dose_flags, rate_mg_per_h
from baclofen_teach.scenario import (
    MAX_GRID_POINTS,
    ScenarioCurves,
    default_params,
    removed_by_windows,
    slowest_half_life_h,
    time_above,
    time_above_levels,
    time_grid,
    warmup_h,
)

__all__ = [
    "THERAPEUTIC_MAX_MG_PER_L",
    "LARGE_INGESTION_MG_IN_24H",
    "HAEMODIALYSIS_CL_L_PER_H",
    "CVVH_CL_L_PER_H",
    "KIDNEY_FAILURE_CRCL_ML_PER_MIN",
    "STATUSES",
    "management_table",
    "toxicity_reports",
    "kidney_params",
    "haemodialysis",
    "haemofiltration",
    "OverdoseResult",
    "oral_overdose",
    "compare_extracorporeal",
    "ITOverdoseResult",
    "intrathecal_overdose",
    "compare_it_interventions",
    "csf_removal_fraction",
]

THERAPEUTIC_MAX_MG_PER_L: float = float(pk.THERAPEUTIC_RANGE_MG_PER_L[1])
"""Upper end of the reported reference range 0.08-0.40 mg/L, a laboratory normal range [perry1998]; no
validated therapeutic range exists [knutsson1974]. The name is kept for compatibility."""

HAEMODIALYSIS_CL_L_PER_H: float = pk.HAEMODIALYSIS_CL_L_PER_H
"""Haemodialysis clearance of baclofen, 2.14 mL/s = 7.7 L/h (one patient, 4 h bicarbonate dialysis)
[brvar2007]: the engine's :data:`baclofen_teach.pk.HAEMODIALYSIS_CL_L_PER_H` (parameters.csv)."""

CVVH_CL_L_PER_H: float = pk.CVVH_CL_L_PER_H
"""Continuous veno-venous haemofiltration clearance, 2.4 L/h (case report) [cvvh2014]: the engine's
:data:`baclofen_teach.pk.CVVH_CL_L_PER_H` (parameters.csv)."""

KIDNEY_FAILURE_CRCL_ML_PER_MIN: float = 10.0
"""Creatinine clearance used for 'failed kidneys' in the examples, mL/min. A teaching choice (kidney failure
is a CrCl below about 15 mL/min); pass your own value to :func:`kidney_params`."""

LARGE_INGESTION_MG_IN_24H: float = pk.OVERDOSE_RANGE_MG_IN_24H
"""Oral amount taken within any 24 h (mg, :func:`baclofen_teach.pk.max_oral_mg_in_24h`) from which
:func:`oral_overdose` flags that the linear model probably OVERESTIMATES concentrations. 200 mg is where coma,
delirium and seizures began in an overdose series (only at >= 200 mg [leung2006]), 2.5 times the US label
maximum of 80 mg/day [label_us_tablets]. The label says absorption may fall as the dose rises
[label_us_tablets] but names no dose, so this is a teaching choice that marks overdose-size amounts; ordinary
regimens (e.g. 10 mg three times a day) are not flagged. The engine's
:data:`baclofen_teach.pk.OVERDOSE_RANGE_MG_IN_24H` (parameters.csv, set ``limits``)."""

STATUSES: tuple[str, ...] = ("recommended", "consider", "uncertain benefit", "not recommended")
SETTINGS: tuple[str, ...] = ("oral", "intrathecal")


# ---------------------------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------------------------
def management_table(setting: str | None = None) -> pd.DataFrame:
    """Overdose management steps: columns setting (oral / intrathecal / both), step, status
    (recommended / consider / uncertain benefit / not recommended), reason, source (reference keys) and
    evidence (the kind of evidence the status rests on, e.g. "case report (n = 1)").

    ``setting="oral"`` or ``"intrathecal"`` returns the steps for that route plus those marked ``both``.
    There is no antidote; care is supportive [label_pms_baclofen; label_lioresal_it_druglib]. Induced vomiting
    and physostigmine are not recommended [aact_ipecac2004; label_lioresal_it_druglib; delhaas1991;
    physostigmine_failure].
    """
    df = data.table("overdose_management")
    if setting is None:
        return df
    s = {"it": "intrathecal", "po": "oral"}.get(setting, setting) if isinstance(setting, str) else setting
    if s not in SETTINGS:
        raise v.PKInputError(
            f"setting must be 'oral', 'intrathecal' (aliases 'po', 'it') or None; got {setting!r}"
        )
    return df[df["setting"].isin([s, "both"])].reset_index(drop=True)


def toxicity_reports() -> pd.DataFrame:
    """Concentrations (and ingested doses) reported with serious toxicity, plus the reported reference range.

    Columns: report, population, kind, conc_low_mg_per_L, conc_high_mg_per_L, dose_low_mg, dose_high_mg,
    note, source. These are *reported values*, not thresholds [perry1998; brvar2007; clintox2020;
    cvvh2014; leung2006].
    """
    return data.table("toxicity_reports")


@cache
def _reported_levels() -> tuple[tuple[str, float, str], ...]:
    """(label, level mg/L, source) for every concentration reported with serious toxicity (read once)."""
    out: list[tuple[str, float, str]] = []
    df = toxicity_reports()
    for _, r in df[df["kind"] == "reported with serious toxicity"].iterrows():
        lo, hi = r["conc_low_mg_per_L"], r["conc_high_mg_per_L"]
        if pd.isna(lo):
            continue
        if lo == hi:
            out.append((f"{r['report']} (reported value)", float(lo), r["source"]))
        else:  # the low end of a range measured at varying times (0.049 mg/L in [perry1998]) is below
            # the top of the reported reference range, so only the highest reported value is used as a marker
            out.append((f"{r['report']} (highest reported)", float(hi), r["source"]))
    return tuple(out)


# ---------------------------------------------------------------------------------------------------------
# parameters and extracorporeal windows
# ---------------------------------------------------------------------------------------------------------
def kidney_params(kidneys: str | float = "normal") -> pk.PKParams:
    """Parameter set for ``kidneys``: ``"normal"`` (:meth:`pk.PKParams.adult`), ``"failed"`` (CrCl
    :data:`KIDNEY_FAILURE_CRCL_ML_PER_MIN`), or a creatinine clearance in mL/min (engine's kidney
    constructor: renal fraction of CL scaled by creatinine clearance [cockcroft1976; vlavonou2014])."""
    if isinstance(kidneys, str):
        if kidneys == "normal":
            return pk.PKParams.adult()
        if kidneys == "failed":
            return pk.PKParams.renal(KIDNEY_FAILURE_CRCL_ML_PER_MIN)
        raise v.PKInputError(
            f"kidneys must be 'normal', 'failed' or a creatinine clearance in mL/min; got {kidneys!r}"
        )
    v.real(kidneys, "kidneys (creatinine clearance, mL/min)", min_value=0.0, max_value=1000.0)
    return pk.PKParams.renal(v.nonneg(kidneys, "kidneys (creatinine clearance)"))


#: Extracorporeal windows are the engine's (one definition; re-exported for the notebooks):
#: :func:`baclofen_teach.pk.haemodialysis` (default 7.7 L/h for 4 h [brvar2007]) and
#: :func:`baclofen_teach.pk.haemofiltration` (CVVH, default 2.4 L/h for 24 h [cvvh2014]).
haemodialysis = pk.haemodialysis
haemofiltration = pk.haemofiltration


# ---------------------------------------------------------------------------------------------------------
# oral overdose
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OverdoseResult(ScenarioCurves):
    """Oral overdose: plasma and CSF curves (mg/L) on ``times_h`` (hours after the first ingestion) and
    exposure numbers computed exactly (crossings refined by root finding, to the end of elimination).

    ``hours_above_therapeutic_max``: total hours with plasma above 0.4 mg/L [perry1998];
    ``time_below_therapeutic_max_h``: when plasma finally falls to 0.4 mg/L (0 if it never exceeded it);
    ``exposure``: hours above each concentration *reported* with serious toxicity (reported values, not
    thresholds); ``removed_extracorporeal_mg``: drug removed by dialysis/haemofiltration windows (exact).
    """

    times_h: np.ndarray
    plasma_mg_per_L: np.ndarray
    csf_mg_per_L: np.ndarray
    doses: tuple[tuple[float, float], ...]
    params: pk.PKParams
    events: tuple[Any, ...]
    peak_mg_per_L: float
    peak_time_h: float
    hours_above_therapeutic_max: float
    time_below_therapeutic_max_h: float
    exposure: pd.DataFrame
    removed_extracorporeal_mg: float
    total_dose_mg: float
    flags: list[str] = field(default_factory=list)

    @property
    def plasma_ug_per_mL(self) -> np.ndarray:
        """Plasma concentration in µg/mL (numerically equal to mg/L)."""
        return self.plasma_mg_per_L

    def plasma_at(self, times_h: Any) -> np.ndarray:
        """Exact plasma concentration, mg/L, at any times (h >= 0): the plasma half of
        :meth:`concentrations_at`."""
        return self.concentrations_at(times_h)[0]

    def hours_above(self, level_mg_per_L: float) -> float:
        """Total hours with plasma above ``level_mg_per_L`` (exact crossings)."""
        # issue 18: no "for ever" below the model's tail
        lvl = v.in_range(level_mg_per_L, "level_mg_per_L", 1e-6, 1e6)
        return time_above(self.plasma_at, lvl, *self._horizon())[0]

    def _horizon(self) -> tuple[float, float, float]:
        windows = [e for e in self.events if isinstance(e, pk.ClearanceWindow)]
        last = _last_event_h(self.doses, windows)
        fine_until = last + 48.0 + _tail_h(self.params) / 12.0
        t_end = last + _tail_h(self.params) + 48.0
        return t_end, fine_until, 0.02


def _last_event_h(dl: Sequence[tuple[float, float]], windows: Sequence[Any]) -> float:
    """Latest dose time or window edge (a never-ending window counts by its start)."""
    edges = [w.stop_h if math.isfinite(w.stop_h) else w.start_h for w in windows]
    return max(max(t for t, _ in dl), max(edges, default=0.0))


def _tail_h(p: pk.PKParams) -> float:
    """60 half-lives of the slowest process, absorption included (slow ka: flip-flop kinetics)."""
    return 60.0 * max(slowest_half_life_h(p), math.log(2.0) / p.ka_per_h)


def _parse_doses(
    amount_mg: float | None, doses: Iterable[tuple[float, float]] | None
) -> list[tuple[float, float]]:
    if (amount_mg is None) == (doses is None):
        raise v.PKInputError(
            "give exactly one of amount_mg (a single ingestion at 0 h) or doses "
            f"(a list of (time_h, amount_mg)); got amount_mg={amount_mg!r}, doses={doses!r}"
        )
    if amount_mg is not None:
        return [(0.0, v.positive(amount_mg, "amount_mg", unit="mg"))]
    out = []
    try:
        items = list(doses)  # type: ignore[arg-type]
    except TypeError:
        raise v.PKInputError(f"doses must be a list of (time_h, amount_mg) pairs; got {doses!r}") from None
    if not items:
        raise v.PKInputError("doses must contain at least one (time_h, amount_mg) pair; got []")
    for i, d in enumerate(items):
        if not isinstance(d, (tuple, list)) or len(d) != 2:
            raise v.PKInputError(f"doses[{i}] must be a (time_h, amount_mg) pair; got {d!r}")
        out.append(
            (
                v.nonneg(d[0], f"doses[{i}] time_h"),
                v.positive(d[1], f"doses[{i}] amount_mg", unit="mg"),
            )
        )
    return sorted(out)


def oral_overdose(
    amount_mg: float | None = None,
    doses: Iterable[tuple[float, float]] | None = None,
    kidneys: str | float = "normal",
    params: pk.PKParams | None = None,
    extracorporeal: Sequence[pk.ClearanceWindow] = (),
    duration_h: float = 96.0,
    step_h: float = 0.1,
) -> OverdoseResult:
    """Simulate an oral overdose: one ingestion of ``amount_mg`` at 0 h, or staggered ``doses``
    [(time_h, amount_mg), ...]; any amount is accepted (flags, never refusal). ``flags``: the engine's
    label-limit warnings, the linear-model caveat when :data:`LARGE_INGESTION_MG_IN_24H` (200 mg) or more
    is taken within 24 h [leung2006; label_us_tablets], and impaired kidney function.

    Kidney function: ``kidneys="normal"``, ``"failed"`` or a creatinine clearance in mL/min
    (:func:`kidney_params`), or pass ``params`` directly (then ``kidneys`` is ignored). ``extracorporeal``:
    :func:`haemodialysis` / :func:`haemofiltration` windows. Curves on 0..``duration_h`` every ``step_h``;
    exposure numbers are computed to the end of elimination.
    """
    dl = _parse_doses(amount_mg, doses)
    for i, (t, a) in enumerate(dl):  # issue 18 bounds: times 0..MAX_SPAN_H, amounts <= 1e9 mg (flagged)
        name = "amount_mg" if amount_mg is not None else f"doses[{i}]"
        v.time_h(t, f"{name} time_h")
        v.amount(a, name if amount_mg is not None else f"{name} amount_mg")
    v.time_h(duration_h, "duration_h")
    v.real(step_h, "step_h", min_value=0.0, min_inclusive=False, max_value=v.MAX_SPAN_H)
    p = default_params(params) if params is not None else kidney_params(kidneys)
    dur = v.positive(duration_h, "duration_h")
    step = v.positive(step_h, "step_h")
    if not isinstance(extracorporeal, (pk.ClearanceWindow, list, tuple)):
        raise v.PKInputError(f"extracorporeal must be a list of pk.ClearanceWindow; got {extracorporeal!r}")
    windows = [extracorporeal] if isinstance(extracorporeal, pk.ClearanceWindow) else list(extracorporeal)
    for i, w in enumerate(windows):
        if not isinstance(w, pk.ClearanceWindow):
            raise v.PKInputError(
                f"extracorporeal[{i}] must be a pk.ClearanceWindow (see haemodialysis()); got {w!r}"
            )
        if not math.isfinite(w.stop_h):
            raise v.PKInputError(
                f"extracorporeal[{i}] must end (a finite duration_h) for the exposure numbers; got {w!r}"
            )
        v.time_h(w.start_h, f"extracorporeal[{i}].start_h")
    events: list[Any] = [
        pk.Dose(time_h=t, amount_mg=a, route="oral", label="ingestion") for t, a in dl
    ] + windows
    times = time_grid(0.0, dur, step)
    sim = pk.simulate(events, p, times)
    total = sum(a for _, a in dl)

    def plasma_at(t: np.ndarray) -> np.ndarray:
        return pk.simulate(events, p, t).plasma_mg_per_L

    last = _last_event_h(dl, windows)
    t_end = last + _tail_h(p) + 48.0
    fine_until = last + 48.0 + _tail_h(p) / 12.0  # 5 slowest half-lives: a slow-absorption peak is inside
    reported = _reported_levels()
    peak_grid = np.linspace(0.0, fine_until, min(int(fine_until / 0.01), MAX_GRID_POINTS - 1) + 1)
    # one engine call on the search grids, then every crossing of every level and the peak refined together
    above, plasma_peak = time_above_levels(
        plasma_at,
        [THERAPEUTIC_MAX_MG_PER_L] + [lvl for _, lvl, _ in reported],
        t_end,
        fine_until,
        0.02,
        peak_grid=peak_grid,
    )
    assert plasma_peak is not None
    h_ther, t_below = above[0]
    rows = []
    for (label, lvl, src), (h, t_last) in zip(reported, above[1:], strict=True):
        rows.append(
            {
                "report": label,
                "level_mg_per_L": lvl,
                "hours_above": h,
                "time_below_h": t_last if h > 0 else 0.0,
                "source": src,
            }
        )
    t_peak, c_peak = float(plasma_peak[0]), float(plasma_peak[1])

    flags = list(sim.flags)
    in_24h = pk.max_oral_mg_in_24h(events)
    if in_24h >= LARGE_INGESTION_MG_IN_24H:
        flags.append(
            Flag(
                f"Linear model: {in_24h:g} mg taken within 24 h is an overdose-size amount "
                f"(>= {LARGE_INGESTION_MG_IN_24H:g} mg [leung2006]); the US label says absorption may "
                "fall as the dose rises, so after such a large ingestion the model probably OVERESTIMATES "
                "concentrations [label_us_tablets].",
                "linear_model_overestimates",
            )
        )
    if p.cl_L_per_h < 0.5 * pk.PKParams.adult().cl_L_per_h:
        flags.append(
            Flag(
                "Impaired kidney function: baclofen accumulates and toxicity can occur even at usual "
                "doses [chen1997; elhusseini2011]; in severe poisoning with kidney failure haemodialysis is "
                "indicated [label_pms_baclofen] (it cleared baclofen about as well as normal kidneys in one "
                "patient [brvar2007]); peritoneal dialysis (CAPD) [renfail2003] and CVVH [cvvh2014] have "
                "also been used.",
                "impaired_kidney_function",
            )
        )
    return OverdoseResult(
        times_h=times,
        plasma_mg_per_L=sim.plasma_mg_per_L,
        csf_mg_per_L=sim.csf_mg_per_L,
        doses=tuple(dl),
        params=p,
        events=tuple(events),
        peak_mg_per_L=c_peak,
        peak_time_h=t_peak,
        hours_above_therapeutic_max=h_ther,
        time_below_therapeutic_max_h=t_below if h_ther > 0 else 0.0,
        exposure=pd.DataFrame(rows),
        removed_extracorporeal_mg=removed_by_windows(events, p),
        total_dose_mg=total,
        flags=flags,
    )


def compare_extracorporeal(
    amount_mg: float = 1200.0,
    start_h: float = 6.0,
    haemodialysis_h: float = 4.0,
    haemofiltration_h: float = 24.0,
    kidneys: Sequence[str | float] = ("normal", "failed"),
    haemodialysis_cl_L_per_h: float = HAEMODIALYSIS_CL_L_PER_H,
    haemofiltration_cl_L_per_h: float = CVVH_CL_L_PER_H,
) -> pd.DataFrame:
    """How much haemodialysis (7.7 L/h [brvar2007]) and CVVH (2.4 L/h [cvvh2014]) started at ``start_h``
    shorten exposure after ingesting ``amount_mg``, with normal versus failed kidneys.

    One row per (kidneys, therapy): body clearance, hours above 0.4 mg/L, when plasma finally falls below
    0.4 mg/L, hours saved against no therapy (and as % of the untreated hours), drug removed by the therapy
    (mg, exact) and as % of the dose. The gain is much larger when the kidneys have failed, because the
    machine replaces missing clearance; with normal kidneys it adds to an already fast elimination
    [clintox2020: little removal in one case with normal kidneys].

    Caveats: the model's half-life with failed kidneys (CrCl 10 mL/min) is about 17 h (27 h with none),
    of the order of the half-lives of up to 34 h reported after overdose [cvvh2014] (an abstract that does
    not state kidney function); real patients vary around it; and the one
    measured haemodialysis clearance [brvar2007] is higher than the removal seen in a patient with normal
    kidneys (3.05 mg in a 3 h session against 42 mg in the urine over 24 h [clintox2020]), so with normal
    kidneys the model overstates it. Vary ``haemodialysis_cl_L_per_h`` to explore.
    """
    amt = v.amount(amount_mg, "amount_mg", unit="mg", positive=True)
    hd_cl = v.real(
        haemodialysis_cl_L_per_h,
        "haemodialysis_cl_L_per_h",
        min_value=0.0,
        max_value=v.CLEARANCE_RANGE_L_PER_H[1],
    )
    cv_cl = v.real(
        haemofiltration_cl_L_per_h,
        "haemofiltration_cl_L_per_h",
        min_value=0.0,
        max_value=v.CLEARANCE_RANGE_L_PER_H[1],
    )
    v.time_h(start_h, "start_h")  # issue 18: bounds named as the caller named them
    for nm, val in (("haemodialysis_h", haemodialysis_h), ("haemofiltration_h", haemofiltration_h)):
        v.real(val, nm, min_value=0.0, min_inclusive=False, max_value=v.MAX_SPAN_H)
    if isinstance(kidneys, str) or not isinstance(kidneys, Iterable):
        raise v.PKInputError(f"kidneys must be a sequence such as ('normal', 'failed'); got {kidneys!r}")
    rows = []
    for k in kidneys:
        p = kidney_params(k)
        therapies: list[tuple[str, list[pk.ClearanceWindow]]] = [
            ("none", []),
            (f"haemodialysis {haemodialysis_h:g} h", [haemodialysis(start_h, haemodialysis_h, hd_cl)]),
            (f"CVVH {haemofiltration_h:g} h", [haemofiltration(start_h, haemofiltration_h, cv_cl)]),
        ]
        base_hours = math.nan
        for name, win in therapies:
            r = oral_overdose(amt, params=p, extracorporeal=win)
            if name == "none":
                base_hours = r.hours_above_therapeutic_max
            # extra clearance never lengthens exposure: a negative difference is rounding (issue 18)
            saved = max(base_hours - r.hours_above_therapeutic_max, 0.0)
            rows.append(
                {
                    "kidneys": k if isinstance(k, str) else f"CrCl {k:g} mL/min",
                    "therapy": name,
                    "cl_body_L_per_h": p.cl_L_per_h,
                    "hours_above_0.4_mg_per_L": r.hours_above_therapeutic_max,
                    "time_below_0.4_mg_per_L_h": r.time_below_therapeutic_max_h,
                    "hours_saved": saved,
                    "hours_saved_pct": 100.0 * saved / base_hours if base_hours > 0 else 0.0,
                    "removed_by_therapy_mg": r.removed_extracorporeal_mg,
                    "removed_pct_of_dose": 100.0 * r.removed_extracorporeal_mg / amt,
                }
            )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------------------
# intrathecal overdose
# ---------------------------------------------------------------------------------------------------------
def csf_removal_fraction(
    csf_removed_mL: float,
    csf_volume_basis: str = "total",
    params: pk.PKParams | None = None,
    csf_volume_mL: float | None = None,
) -> float:
    """Fraction of the CSF drug amount removed by draining ``csf_removed_mL``.

    ``csf_volume_basis="total"`` (default): drained volume / total CSF volume (``csf_volume_mL``, default
    130 mL, range 100-160 mL [ijt2018]); ``"apparent"``: drained volume / the model's apparent CSF volume
    ``params.v_csf_L`` (65 mL in the adult set). See the module docstring for why ``"total"`` is the default.
    """
    vol = v.nonneg(csf_removed_mL, "csf_removed_mL")
    if params is not None:
        default_params(params)  # issue 18: a wrong type is refused by name
    if csf_volume_mL is not None:
        v.in_range(csf_volume_mL, "csf_volume_mL", 1.0, 1e4)
    if csf_volume_basis == "total":  # the engine's well-mixed fraction, pk.csf_drain_fraction
        basis = (
            pk.CSF_TOTAL_VOLUME_L * 1000.0
            if csf_volume_mL is None
            else v.positive(csf_volume_mL, "csf_volume_mL")
        )
        if vol <= basis:
            return pk.csf_drain_fraction(vol, basis)
    elif csf_volume_basis == "apparent":
        if csf_volume_mL is not None:
            raise v.PKInputError(
                f"csf_volume_mL must be None with csf_volume_basis='apparent'; got {csf_volume_mL!r}"
            )
        basis = default_params(params).v_csf_L * 1000.0
    else:
        raise v.PKInputError(f"csf_volume_basis must be 'total' or 'apparent'; got {csf_volume_basis!r}")
    if vol > basis:
        raise v.PKInputError(
            f"csf_removed_mL must be at most the CSF volume used ({basis:g} mL, basis {csf_volume_basis!r}), "
            f"got {csf_removed_mL!r}"
        )
    return vol / basis


@dataclass(frozen=True)
class ITOverdoseResult(ScenarioCurves):
    """Intrathecal overdose: CSF and plasma curves (mg/L) on the scenario clock ``times_h`` (the error
    starts at ``error_start_h``; the patient was at steady state on the intended dose before).

    ``intended_csf_mg_per_L``: CSF steady state on the intended dose; ``peak_csf_mg_per_L``;
    ``hours_above_2x_intended``: total hours with CSF above twice the intended level (exact crossings);
    ``hours_to_intended``: hours after the error until CSF is finally back within 10 % of the intended
    level (<= 1.1 x intended; 0 if it never rose above it; inf if never, e.g. the pump keeps delivering the
    wrong dose); ``csf_removed_fraction``: fraction of the CSF amount removed at ``csf_removed_at_h``.
    """

    times_h: np.ndarray
    csf_mg_per_L: np.ndarray
    plasma_mg_per_L: np.ndarray
    error_start_h: float
    intended_csf_mg_per_L: float
    peak_csf_mg_per_L: float
    hours_above_2x_intended: float
    hours_to_intended: float
    pump_emptied_at_h: float | None
    csf_removed_at_h: float | None
    csf_removed_fraction: float
    params: pk.PKParams
    events: tuple[Any, ...]
    warmup_h: float
    flags: list[str] = field(default_factory=list)

    @property
    def csf_ug_per_mL(self) -> np.ndarray:
        """CSF concentration in µg/mL (numerically equal to mg/L)."""
        return self.csf_mg_per_L


def intrathecal_overdose(
    intended_daily_dose_ug: float,
    delivered_daily_dose_ug: float | None = None,
    bolus_ug: float = 0.0,
    error_start_h: float = 0.0,
    pump_emptied_at_h: float | None = None,
    csf_removed_mL: float = 0.0,
    csf_removed_at_h: float | None = None,
    csf_volume_basis: str = "total",
    csf_volume_mL: float | None = None,
    params: pk.PKParams | None = None,
    pre_h: float = 6.0,
    post_h: float = 48.0,
    step_h: float = 0.05,
) -> ITOverdoseResult:
    """Intrathecal overdose from a programming or concentration error and/or a bolus error.

    Before ``error_start_h`` the pump delivers ``intended_daily_dose_ug`` (ug/day, steady state). From
    ``error_start_h`` it delivers ``delivered_daily_dose_ug`` (default: unchanged) and a bolus of ``bolus_ug``
    (ug) enters the CSF at ``error_start_h`` (e.g. a refill into the wrong port). Interventions
    [label_lioresal_it]: ``pump_emptied_at_h`` stops all intrathecal input from that time;
    ``csf_removed_mL`` of CSF drained at ``csf_removed_at_h`` removes the fraction
    :func:`csf_removal_fraction` of the CSF amount at that instant.
    """
    p = default_params(params)
    for nm, val in (("error_start_h", error_start_h), ("pre_h", pre_h), ("post_h", post_h)):
        v.time_h(val, nm)  # issue 18: times 0..MAX_SPAN_H (10 years), named as the caller named them
    for nm, val in (("pump_emptied_at_h", pump_emptied_at_h), ("csf_removed_at_h", csf_removed_at_h)):
        if val is not None:
            v.time_h(val, nm)
    v.real(step_h, "step_h", min_value=0.0, min_inclusive=False, max_value=v.MAX_SPAN_H)
    v.real(csf_removed_mL, "csf_removed_mL", min_value=0.0)
    for nm, val, u in (
        ("intended_daily_dose_ug", intended_daily_dose_ug, "ug/day"),
        ("delivered_daily_dose_ug", delivered_daily_dose_ug, "ug/day"),
        ("bolus_ug", bolus_ug, "ug"),
    ):
        if val is not None:
            v.real(val, nm, min_value=0.0, max_value=1e12, unit=u)
    intended = v.positive(intended_daily_dose_ug, "intended_daily_dose_ug", unit="ug/day")
    delivered = (
        intended
        if delivered_daily_dose_ug is None
        else v.nonneg(delivered_daily_dose_ug, "delivered_daily_dose_ug", unit="ug/day")
    )
    bolus = v.nonneg(bolus_ug, "bolus_ug", unit="ug")
    t_err = v.nonneg(error_start_h, "error_start_h")
    pre = v.nonneg(pre_h, "pre_h")
    post = v.positive(post_h, "post_h")
    step = v.positive(step_h, "step_h")
    t_empty = None if pump_emptied_at_h is None else v.nonneg(pump_emptied_at_h, "pump_emptied_at_h")
    if t_empty is not None and t_empty < t_err:
        raise v.PKInputError(
            f"pump_emptied_at_h must be >= error_start_h ({t_err:g} h); got {pump_emptied_at_h!r}"
        )
    frac = csf_removal_fraction(csf_removed_mL, csf_volume_basis, p, csf_volume_mL)
    t_drain = None
    if frac > 0:
        if csf_removed_at_h is None:
            raise v.PKInputError("csf_removed_at_h must be given (hours) when csf_removed_mL > 0; got None")
        t_drain = v.nonneg(csf_removed_at_h, "csf_removed_at_h")
    elif csf_removed_at_h is not None:
        v.nonneg(csf_removed_at_h, "csf_removed_at_h")

    warm = warmup_h(p)
    te = t_err + warm
    stop_all = math.inf if t_empty is None else t_empty + warm
    events: list[Any] = [pk.Infusion(0.0, te, rate_mg_per_h(intended), "it", "intended delivery")]
    if delivered > 0 and stop_all > te:
        events.append(pk.Infusion(te, stop_all, rate_mg_per_h(delivered), "it", "delivery after the error"))
    if bolus > 0:
        events.append(pk.Dose(te, float(pk.ug_to_mg(bolus)), "it", "bolus error"))
    if t_drain is not None:
        events.append(pk.CsfDrain(t_drain + warm, frac))

    r = rate_mg_per_h(intended)
    c_int = r / p.cl_csf_L_per_h + p.csf_plasma_ratio * r / p.cl_L_per_h  # exact steady state
    start = max(t_err - pre, -warm)
    times = time_grid(start, t_err + post, step)
    sim = pk.simulate(events, p, times + warm)

    def csf_at(t_engine: np.ndarray) -> np.ndarray:
        return pk.simulate(events, p, t_engine).csf_mg_per_L

    last = max(
        [te, stop_all if math.isfinite(stop_all) else te, (t_drain + warm) if t_drain is not None else te]
    )
    horizon = last + _tail_h(p) + 48.0
    dense = np.linspace(te, last + 48.0, min(int((last + 48.0 - te) / 0.005), MAX_GRID_POINTS - 1) + 1)
    jumps: list[float] = []
    if t_drain is not None:  # the left limit just before a drainage (values are right-continuous)
        dense = np.sort(np.append(dense, t_drain + warm - 1e-9))
        jumps = [t_drain + warm]  # so that a crossing by the drop is bracketed at once
    # one engine call on the search grids, then both levels' crossings and the peak refined together
    per_level, csf_peak = time_above_levels(
        csf_at, [2.0 * c_int, 1.1 * c_int], horizon, last + 48.0, 0.01, peak_grid=dense, extra_points=jumps
    )
    assert csf_peak is not None
    (tot, _), (h10, last_down) = per_level
    h_to_int = 0.0 if h10 == 0 else (last_down - te if math.isfinite(last_down) else math.inf)
    peak = float(max(csf_peak[1], c_int))
    if t_empty is None:  # the pump keeps delivering: the supremum includes the new steady state (exact)
        r_del = rate_mg_per_h(delivered)
        peak = max(peak, r_del / p.cl_csf_L_per_h + p.csf_plasma_ratio * r_del / p.cl_L_per_h)

    flags = daily_dose_flags(delivered) if delivered != intended else []
    if bolus > pk.SCREENING_BOLUSES_UG[-1]:
        flags.append(
            Flag(
                f"bolus_ug={bolus:g}: a {bolus:g} µg bolus is above the 100 µg maximum screening bolus "
                "[label_lioresal_it].",
                "it_bolus_above_screening_max",
            )
        )
    if delivered > intended or bolus > 0:
        flags.append(
            Flag(
                "OVERDOSE: no antidote; empty the pump, support breathing, consider CSF drainage "
                "[label_lioresal_it]. Recovery is slower than the CSF curve: coma of up to 72 h is described "
                "[label_lioresal_it_druglib].",
                "it_overdose_management",
            )
        )
    if t_empty is not None:
        flags.append(
            Flag(
                "After the pump is emptied there is no intrathecal delivery: plan reintroduction and watch "
                "for withdrawal; overdose has followed reintroduction [label_lioresal_it; delhaas1991].",
                "pump_emptied_reintroduction",
            )
        )
    if frac > 0:
        flags.append(
            Flag(
                f"CSF drainage of {csf_removed_mL:g} mL removes {100 * frac:.0f} % of the CSF drug "
                f"(basis: {csf_volume_basis} CSF volume; a teaching simplification).",
                "csf_drainage_fraction",
            )
        )
    return ITOverdoseResult(
        times_h=times,
        csf_mg_per_L=sim.csf_mg_per_L,
        plasma_mg_per_L=sim.plasma_mg_per_L,
        error_start_h=t_err,
        intended_csf_mg_per_L=c_int,
        peak_csf_mg_per_L=peak,
        hours_above_2x_intended=tot,
        hours_to_intended=h_to_int,
        pump_emptied_at_h=t_empty,
        csf_removed_at_h=t_drain,
        csf_removed_fraction=frac,
        params=p,
        events=tuple(events),
        warmup_h=warm,
        flags=flags,
    )


def compare_it_interventions(
    intended_daily_dose_ug: float = 600.0,
    delivered_daily_dose_ug: float | None = 2400.0,
    bolus_ug: float = 0.0,
    detected_at_h: float = 6.0,
    csf_removed_mL: Sequence[float] = (30.0, 40.0),
    csf_volume_basis: str = "total",
    params: pk.PKParams | None = None,
) -> pd.DataFrame:
    """Compare interventions after an intrathecal overdose that starts at 0 h and is detected at
    ``detected_at_h``: none; empty the pump; empty the pump and drain each of ``csf_removed_mL``
    [label_lioresal_it].

    Columns: intervention, csf_at_detection_mg_per_L, csf_1h_after_mg_per_L, peak_csf_mg_per_L,
    hours_above_2x_intended, hours_to_intended, csf_removed_fraction.
    """
    t = v.time_h(detected_at_h, "detected_at_h")  # issue 18: 0..MAX_SPAN_H (10 years)
    if isinstance(csf_removed_mL, str) or not isinstance(csf_removed_mL, Iterable):
        raise v.PKInputError(f"csf_removed_mL must be a sequence of volumes in mL; got {csf_removed_mL!r}")
    plans: list[tuple[str, dict[str, Any]]] = [("none", {}), ("empty the pump", {"pump_emptied_at_h": t})]
    for ml in csf_removed_mL:
        plans.append(
            (
                f"empty the pump + drain {ml:g} mL CSF",
                {"pump_emptied_at_h": t, "csf_removed_mL": ml, "csf_removed_at_h": t},
            )
        )
    rows = []
    for name, kw in plans:
        r = intrathecal_overdose(
            intended_daily_dose_ug,
            delivered_daily_dose_ug,
            bolus_ug,
            0.0,
            csf_volume_basis=csf_volume_basis,
            params=params,
            **kw,
        )
        _, c = r.concentrations_at([t, t + 1.0])
        rows.append(
            {
                "intervention": name,
                "csf_at_detection_mg_per_L": float(c[0]),
                "csf_1h_after_mg_per_L": float(c[1]),
                "peak_csf_mg_per_L": r.peak_csf_mg_per_L,
                "hours_above_2x_intended": r.hours_above_2x_intended,
                "hours_to_intended": r.hours_to_intended,
                "csf_removed_fraction": r.csf_removed_fraction,
            }
        )
    return pd.DataFrame(rows)
