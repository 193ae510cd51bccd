"""Virtual patients: between-subject variability of oral baclofen from published population-PK models.

Each model (:data:`MODELS`) is a typical parameter set of ``parameters.csv`` (``PKParams.population`` for
the adults with alcohol use disorder [simon2018; marsot2013; chevillard2017], ``PKParams.child`` for children
with cerebral palsy [he2014]) plus the between-subject variability the study reports (rows ``iiv_<model>``
of ``parameters.csv``, read from the abstracts). What is assumed where a study reports less is said in the
rows' notes and here, plainly:

- the reported IIV percentage is taken as the SD (omega) of a log-normal random effect,
  ``P_i = P_typical x exp(eta_i)``, ``eta_i ~ N(0, omega^2)`` (the abstracts do not say how their percentage
  was computed; read as a coefficient of variation instead, a large one would give a smaller omega, e.g.
  86 % -> sqrt(ln(1 + 0.86^2)) = 0.74);
- no abstract reports correlations between the random effects: they are drawn independent;
- a variance the abstract does not give (ka for all but [simon2018]) is 0;
- the child model [he2014] (two compartments, transit absorption) is reduced to one compartment with the
  adult typical ka of [simon2018] (``param("adult", "ka_per_h")``);
- a proportional residual error is reported only by [simon2018] (24 %, its form not given); it is used for
  every model, as a proportional error on the log scale (measured = true x exp(0.24 z)). [marsot2013]
  reports an additive residual error, 0.096 mg/L: it is kept in ``parameters.csv`` as data only, and the
  24 % proportional error is used for that model too; [chevillard2017] and [he2014] give no residual error
  in the abstract text read.

Covariates go through the existing models: creatinine clearance scales CL through
``pk.renal_clearance_factor``; weight scales the child model's CL/F and V/F linearly (``PKParams.child``).
Adult models have no weight covariate (none was found in [simon2018; marsot2013; chevillard2017]).

What is modelled: oral doses, plasma only (one compartment, CSF influx off: ``csf=False``), so a cohort with
zero variability is exactly ``pk.simulate`` with ``PKParams.population(model, csf=False)``. The cohort is
simulated in one vectorised computation (closed-form superposition over doses with numpy broadcasting).

Educational model, not dosing advice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import pk
from . import validation as v
from .data import param, rows

__all__ = [
    "MODELS",
    "Cohort",
    "CohortSummary",
    "PopulationModel",
    "RegimenSummary",
    "draw_cohort",
    "model",
    "models_table",
    "regimen_summary",
    "simulate_cohort",
    "summarise",
]

Array = NDArray[np.float64]

#: Most patients in one cohort.
MAX_PATIENTS: int = 1_000_000
#: Most values one :func:`simulate_cohort` call computes (patients x report times, and patients x doses):
#: 10 million (80 MB per array), so that a cohort stays bounded in memory (a million patients x 2,001 times
#: would need 15 GB per array).
MAX_COHORT_CELLS: int = 10_000_000
#: Largest multiplier of the published variability (10 x the omegas: far beyond any study, still finite).
MAX_VARIABILITY: float = 10.0


@dataclass(frozen=True)
class PopulationModel:
    """A published population model: the variances of the log-normal random effects and the residual error.

    ``omega_*`` are SDs of ``eta`` (log scale); ``residual_prop`` the proportional residual SD (log scale).
    ``assumptions`` says in words what the study did not report."""

    name: str
    omega_ka: float
    omega_cl: float
    omega_v: float
    residual_prop: float
    child: bool
    source: str
    assumptions: str


def _iiv(set_name: str, name: str) -> float:
    try:
        return param(set_name, name)
    except KeyError:
        return 0.0


def _build_models() -> dict[str, PopulationModel]:
    resid = param("iiv_simon2018", "residual_prop")
    out: dict[str, PopulationModel] = {}
    for name, child in (
        ("simon2018", False),
        ("marsot2013", False),
        ("chevillard2017", False),
        ("he2014", True),
    ):
        s = f"iiv_{name}"
        missing = [
            label
            for label, key in (("ka", "omega_ka"), ("V/F", "omega_v"))
            if _iiv(s, key) == 0.0  # not reported in the abstract
        ]
        note = "IIV % taken as omega; no correlation reported -> independent log-normal"
        if missing:
            note += f"; variability of {', '.join(missing)} not reported -> 0"
        additive = _iiv(s, "residual_add_mg_per_L")
        if additive:
            note += (
                f"; residual error reported as additive {additive:g} mg/L (kept as data only) -> "
                "proportional 24 % of [simon2018] used"
            )
        elif name != "simon2018":
            note += "; residual error not reported -> 24 % of [simon2018]"
        if child:
            note += (
                "; typical ka not given (transit absorption model; its transit-time IIV, 83.7 %, not "
                "used) -> adult ka of [simon2018]; "
                "two compartments reduced to one, weight-scaled CL/F and V/F"
            )
        out[name] = PopulationModel(
            name=name,
            omega_ka=_iiv(s, "omega_ka"),
            omega_cl=_iiv(s, "omega_cl"),
            omega_v=_iiv(s, "omega_v"),
            residual_prop=resid,
            child=child,
            source=name,
            assumptions=note,
        )
    return out


#: The population models by name: ``simon2018``, ``marsot2013``, ``chevillard2017`` (adults with alcohol use
#: disorder) and ``he2014`` (children 2-17 y with cerebral palsy; weight-scaled).
MODELS: dict[str, PopulationModel] = _build_models()


def model(name: str) -> PopulationModel:
    """The population model called ``name`` (one of :data:`MODELS`)."""
    return MODELS[_model_name(name)]


def _model_name(name: object) -> str:
    if isinstance(name, str) and name.strip().lower() in MODELS:
        return name.strip().lower()
    raise v.PKInputError(
        f"name (the population model) must be one of {', '.join(repr(m) for m in MODELS)}; got {name!r}"
    )


def typical_params(
    name: str, *, weight_kg: float = 70.0, crcl_mL_per_min: float | None = None
) -> pk.PKParams:
    """The typical patient of model ``name`` as engine parameters (CSF off), with the covariates applied."""
    m = model(name)
    p = pk.PKParams.child(weight_kg, csf=False) if m.child else pk.PKParams.population(name, csf=False)
    if crcl_mL_per_min is not None:
        p = pk.PKParams.renal(crcl_mL_per_min, base=p)
    return p


@dataclass(frozen=True)
class Cohort:
    """A virtual cohort: per-patient apparent oral parameters (arrays of length ``n``) and covariates."""

    model: str
    ka_per_h: Array
    cl_over_f_L_per_h: Array
    v_over_f_L: Array
    weight_kg: Array
    crcl_mL_per_min: Array
    seed: int

    @property
    def n(self) -> int:
        """Number of patients."""
        return int(self.ka_per_h.size)

    @property
    def half_life_h(self) -> Array:
        """Elimination half-life of each patient, h."""
        return math.log(2.0) * self.v_over_f_L / self.cl_over_f_L_per_h

    def patient(self, i: int) -> pk.PKParams:
        """Patient ``i`` as engine parameters (CSF off), for ``pk.simulate``."""
        i = v.whole(i, "i", min_value=0, max_value=self.n - 1)
        f = param("adult", "f_oral")
        return pk.PKParams.from_apparent(
            ka_per_h=float(self.ka_per_h[i]),
            cl_over_f_L_per_h=float(self.cl_over_f_L_per_h[i]),
            v_over_f_L=float(self.v_over_f_L[i]),
            f_oral=f,
            name=f"{self.model} patient {i}",
        )


def _per_patient(value: ArrayLike, name: str, n: int, *, lo: float, hi: float, positive: bool) -> Array:
    arr = v.array(value, name, min_value=lo, min_inclusive=not positive, max_value=hi)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if arr.shape != (n,):
        raise v.PKInputError(f"{name} must be a number or an array of length n={n}; got shape {arr.shape}")
    return arr.astype(float)


def draw_cohort(
    name: str = "simon2018",
    n: int = 1000,
    *,
    seed: int = 0,
    weight_kg: ArrayLike = 70.0,
    crcl_mL_per_min: ArrayLike | None = None,
    variability: float = 1.0,
) -> Cohort:
    """A seeded virtual cohort of ``n`` patients of population model ``name``.

    Parameters
    ----------
    name
        One of :data:`MODELS`.
    n
        Number of patients (a whole number from 1 to :data:`MAX_PATIENTS`, 1,000,000).
    seed
        Seed of ``numpy.random.default_rng``, a whole number >= 0 (same seed, same cohort).
    weight_kg
        Body weight, kg: a number or one per patient (a covariate of the child model only).
    crcl_mL_per_min
        Creatinine clearance, mL/min (number or one per patient); ``None``: the model's population as studied.
    variability
        Multiplier of every omega, 0 to :data:`MAX_VARIABILITY` (0 gives n copies of the typical patient;
        1 the published variability).
    """
    m = model(name)
    n = v.whole(n, "n", min_value=1, max_value=MAX_PATIENTS)
    seed = v.whole(seed, "seed", min_value=0)
    scale = v.in_range(variability, "variability", 0.0, MAX_VARIABILITY)
    w = _per_patient(
        weight_kg, "weight_kg", n, lo=v.WEIGHT_RANGE_KG[0], hi=v.WEIGHT_RANGE_KG[1], positive=False
    )
    rng = np.random.default_rng(seed)
    eta = rng.standard_normal((3, n)) * scale
    eta *= np.array([m.omega_ka, m.omega_cl, m.omega_v])[:, None]
    if m.child:
        ka0 = param("adult", "ka_per_h")
        cl0 = param("child", "cl_over_f_L_per_h_per_kg") * w
        v0 = param("child", "v_over_f_L_per_kg") * w
    else:
        ka0 = param(name, "ka_per_h")
        cl0 = np.full(n, param(name, "cl_over_f_L_per_h"))
        v0 = np.full(n, param(name, "v_over_f_L"))
    if crcl_mL_per_min is None:
        crcl = np.full(n, np.nan)
        factor = np.ones(n)
    else:
        lo, hi = v.CRCL_RANGE_ML_PER_MIN
        crcl = _per_patient(crcl_mL_per_min, "crcl_mL_per_min", n, lo=lo, hi=hi, positive=False)
        uniq, inverse = np.unique(crcl, return_inverse=True)
        factor = np.array([pk.renal_clearance_factor(float(c)) for c in uniq])[inverse]
    return Cohort(
        model=m.name,
        ka_per_h=ka0 * np.exp(eta[0]),
        cl_over_f_L_per_h=cl0 * factor * np.exp(eta[1]),
        v_over_f_L=v0 * np.exp(eta[2]),
        weight_kg=w,
        crcl_mL_per_min=crcl,
        seed=seed,
    )


def _oral_doses(doses: Sequence[pk.Dose] | pk.Dose) -> tuple[Array, Array]:
    if isinstance(doses, pk.Dose):  # one dose, as pk.simulate accepts one event
        doses = [doses]
    if not isinstance(doses, Sequence) or isinstance(doses, str) or not doses:
        raise v.PKInputError(f"doses must be a non-empty list of oral pk.Dose events; got {doses!r}")
    for d in doses:
        if not isinstance(d, pk.Dose) or d.route != "oral":
            raise v.PKInputError(f"doses must contain oral pk.Dose events only; got {d!r}")
    order = np.argsort([d.time_h for d in doses], kind="stable")
    t = np.array([doses[i].time_h for i in order], dtype=float)
    a = np.array([doses[i].amount_mg for i in order], dtype=float)
    return t, a


def simulate_cohort(cohort: Cohort, doses: Sequence[pk.Dose] | pk.Dose, times_h: ArrayLike) -> Array:
    """Plasma concentrations, mg/L, of every patient at ``times_h``: an array of shape (n, len(times_h)).

    ``doses``: oral :class:`pk.Dose` events (a list, a ``pk.Regimen`` or one dose); ``times_h``: ascending
    times, h, from 0 to ``MAX_TIME_H``. At most :data:`MAX_COHORT_CELLS` values per call (patients x times
    and patients x doses): simulate fewer patients or fewer times beyond that.

    One vectorised computation: for each exponential (elimination k = CL/V, absorption ka) the sums over
    doses ``S_j = sum_{d <= j} A_d exp(-r (t_j - t_d))`` are built by a recursion over the doses (n x doses),
    then each output time uses the sum of its last dose, ``exp(-r (t - t_j)) S_j`` (Bateman superposition).
    Where ka and k coincide within 1e-9 (relative), ka is moved by that amount (error of the same order).
    """
    if not isinstance(cohort, Cohort):
        raise v.PKInputError(f"cohort must be a population.Cohort; got {cohort!r}")
    t = v.array(times_h, "times_h", ndim1=True, ascending=True, min_value=0.0, max_value=v.MAX_TIME_H)
    td, amount = _oral_doses(doses)
    for what, size in (("times_h", t.size), ("doses", td.size)):
        if cohort.n * size > MAX_COHORT_CELLS:
            raise v.PKInputError(
                f"{what} must give at most {MAX_COHORT_CELLS:,} values with the cohort (patients x {what}); "
                f"got {cohort.n:,} patients x {size:,} = {cohort.n * size:,}: simulate fewer patients or "
                f"fewer {'times' if what == 'times_h' else 'doses'}"
            )
    ka = cohort.ka_per_h[:, None]
    k = (cohort.cl_over_f_L_per_h / cohort.v_over_f_L)[:, None]
    close = np.abs(ka - k) < 1e-9 * k
    ka = np.where(close, k * (1.0 + 1e-9), ka)
    coef = (ka / (ka - k)) / cohort.v_over_f_L[:, None]  # per mg of dose (F already in V/F)
    last = np.searchsorted(td, t, side="right") - 1  # index of the last dose at or before t (-1: none)
    given = last >= 0
    j = np.where(given, last, 0)
    gaps = np.diff(td)
    since = np.where(given, t - td[j], 0.0)  # times before the first dose: 0 (set to 0 below), no overflow
    out = np.zeros((cohort.n, t.size))
    for rate, sign in ((k, 1.0), (ka, -1.0)):
        s = np.empty((cohort.n, td.size))
        s[:, 0] = amount[0]
        if td.size > 1:
            decay = np.exp(-rate * gaps[None, :])
            for i in range(1, td.size):  # over doses (tens), not over patients
                s[:, i] = s[:, i - 1] * decay[:, i - 1] + amount[i]
        term = s[:, j]
        term *= np.exp(-rate * since[None, :])
        out += sign * term
    out *= coef
    out[:, ~given] = 0.0
    np.maximum(out, 0.0, out=out)  # rounding below zero just after a dose
    return out


@dataclass(frozen=True)
class CohortSummary:
    """Median and 5-95 % prediction band over time, and the fractions outside the reference range.

    ``fraction_above_mg_per_L`` is the fraction of patients above ``toxic_mg_per_L`` at each time;
    ``fraction_below_range`` / ``fraction_above_range`` those below / above ``pk.REFERENCE_RANGE_MG_PER_L``
    (0.08-0.40 mg/L [perry1998], a laboratory reference range, not a therapeutic target)."""

    times_h: Array
    median_mg_per_L: Array
    p05_mg_per_L: Array
    p95_mg_per_L: Array
    fraction_below_range: Array
    fraction_above_range: Array
    toxic_mg_per_L: float
    fraction_above_toxic: Array


def summarise(
    conc_mg_per_L: ArrayLike, times_h: ArrayLike, *, toxic_mg_per_L: float | None = None
) -> CohortSummary:
    """Median, 5 and 95 % percentiles over patients and the fractions out of range at each time.

    ``toxic_mg_per_L`` defaults to the upper end of the reference range, 0.40 mg/L [perry1998] (a level above
    the range, not a proven toxic threshold: pass a reported toxic level where one applies)."""
    c = v.array(conc_mg_per_L, "conc_mg_per_L", min_value=0.0)
    t = v.array(times_h, "times_h", ndim1=True, ascending=True)
    if c.ndim != 2 or c.shape[1] != t.size or c.shape[0] < 1:
        raise v.PKInputError(
            f"conc_mg_per_L must have shape (n_patients >= 1, {t.size}) to match times_h; got {c.shape}"
        )
    lo, hi = pk.REFERENCE_RANGE_MG_PER_L
    tox = (
        hi
        if toxic_mg_per_L is None
        else v.real(
            toxic_mg_per_L,
            "toxic_mg_per_L",
            min_value=0.0,
            min_inclusive=False,
            max_value=v.MAX_CONC_MG_PER_L,
        )
    )
    p05, med, p95 = np.percentile(c, [5.0, 50.0, 95.0], axis=0)
    return CohortSummary(
        times_h=t,
        median_mg_per_L=med,
        p05_mg_per_L=p05,
        p95_mg_per_L=p95,
        fraction_below_range=np.mean(c < lo, axis=0),
        fraction_above_range=np.mean(c > hi, axis=0),
        toxic_mg_per_L=tox,
        fraction_above_toxic=np.mean(c > tox, axis=0),
    )


def _population(set_name: str) -> str:
    """The ``population`` column of the set's IIV rows in ``parameters.csv`` (who was studied)."""
    return next(r["population"] for r in rows("parameters") if r["set"] == set_name)


def models_table():  # noqa: ANN201 - a pandas DataFrame (pandas imported lazily)
    """The population models as a table: typical values (per kg for the child model), between-subject
    variability (the omegas as %, 0 where the study reports none) and what is assumed, with the source key.

    Columns: ``model``, ``population``, ``ka_per_h``, ``cl_over_f`` (L/h, or L/h/kg), ``v_over_f`` (L, or
    L/kg), ``iiv_ka_percent``, ``iiv_cl_percent``, ``iiv_v_percent``, ``residual_percent``, ``assumed``,
    ``source``."""
    import pandas as pd

    rows = []
    for name, m in MODELS.items():
        if m.child:
            ka = param("adult", "ka_per_h")
            cl = param("child", "cl_over_f_L_per_h_per_kg")
            vv = param("child", "v_over_f_L_per_kg")
        else:
            ka, cl, vv = (param(name, k) for k in ("ka_per_h", "cl_over_f_L_per_h", "v_over_f_L"))
        rows.append(
            {
                "model": name,
                "population": _population(f"iiv_{name}") + (" (per kg)" if m.child else ""),
                "ka_per_h": ka,
                "cl_over_f": cl,
                "v_over_f": vv,
                "iiv_ka_percent": round(100 * m.omega_ka, 1),
                "iiv_cl_percent": round(100 * m.omega_cl, 1),
                "iiv_v_percent": round(100 * m.omega_v, 1),
                "residual_percent": round(100 * m.residual_prop, 1),
                "assumed": m.assumptions,
                "source": m.source,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class RegimenSummary:
    """The key numbers of a cohort on one oral regimen at the end of the simulated days (the last grid
    time), and the whole :class:`CohortSummary` over time."""

    dose_mg: float
    interval_h: float
    crcl_mL_per_min: float
    model: str
    median_mg_per_L: float
    p05_mg_per_L: float
    p95_mg_per_L: float
    fraction_below: float
    fraction_above: float
    summary: CohortSummary

    @property
    def percent_above(self) -> float:
        """Patients above the reference range at the end, %."""
        return 100.0 * self.fraction_above

    @property
    def percent_below(self) -> float:
        """Patients below the reference range at the end, %."""
        return 100.0 * self.fraction_below


#: The teaching cohort of the virtual-cohort app and :func:`regimen_summary` (one home): 500 patients,
#: seed 2026, 7 days on a 30-minute grid (500 x 336 values keeps the app's update under 30 ms).
TEACHING_COHORT_N: int = 500
TEACHING_COHORT_SEED: int = 2026
TEACHING_COHORT_DAYS: float = 7.0
TEACHING_COHORT_STEP_H: float = 0.5


def regimen_summary(
    dose_mg: float,
    interval_h: float,
    *,
    crcl_mL_per_min: float = 100.0,
    name: str = "simon2018",
    n: int = TEACHING_COHORT_N,
    seed: int = TEACHING_COHORT_SEED,
    days: float = TEACHING_COHORT_DAYS,
    step_h: float = TEACHING_COHORT_STEP_H,
) -> RegimenSummary:
    """A seeded cohort of ``n`` patients of model ``name`` on ``dose_mg`` every ``interval_h`` hours for
    ``days`` days (grid of ``step_h`` h), summarised at the last grid time.

    The defaults are those of the virtual-cohort app (``apps.CohortApp``: 500 patients, seed 2026, 7 days,
    30-minute grid), so its readouts and this function give the same numbers."""
    dose = v.positive(dose_mg, "dose_mg", unit="mg")
    tau = v.real(interval_h, "interval_h", min_value=1.0, max_value=48.0)
    crcl = v.nonneg(crcl_mL_per_min, "crcl_mL_per_min")
    span = v.real(days, "days", min_value=1.0, max_value=60.0) * 24.0
    step = v.real(step_h, "step_h", min_value=0.01, max_value=24.0)
    n_patients = v.whole(n, "n", min_value=1, max_value=MAX_PATIENTS)
    n_times = int(np.ceil(span / step))
    if n_patients * n_times > MAX_COHORT_CELLS:
        raise v.PKInputError(
            f"n, days and step_h must give at most {MAX_COHORT_CELLS:,} values (patients x times); got "
            f"n={n_patients:,} x {n_times:,} times (days={days!r}, step_h={step_h!r})"
        )
    cohort = draw_cohort(name, n_patients, seed=seed, crcl_mL_per_min=crcl)
    t = np.arange(0.0, span, step)
    doses = [pk.Dose(time_h=tau * k, amount_mg=dose, route="oral") for k in range(int(np.ceil(span / tau)))]
    s = summarise(simulate_cohort(cohort, doses, t), t)
    return RegimenSummary(
        dose_mg=dose,
        interval_h=tau,
        crcl_mL_per_min=crcl,
        model=cohort.model,
        median_mg_per_L=float(s.median_mg_per_L[-1]),
        p05_mg_per_L=float(s.p05_mg_per_L[-1]),
        p95_mg_per_L=float(s.p95_mg_per_L[-1]),
        fraction_below=float(s.fraction_below_range[-1]),
        fraction_above=float(s.fraction_above_range[-1]),
        summary=s,
    )
