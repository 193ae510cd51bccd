"""Drug-level monitoring with a hidden patient: sample, measure, estimate, propose a dose, check.

The package draws a hidden adult patient from the population model of [simon2018] (log-normal IIV of ka,
CL/F and V/F; see :mod:`baclofen_teach.population` for what is assumed) from an integer seed (the
student's variant seed). The patient takes a fixed oral regimen (default 20 mg every 8 h) long enough to be
at steady state. The student chooses up to three sampling times within one dosing interval at steady state
(``0 < t <= tau`` hours after a dose); each measured level is the true level times ``exp(0.24 z)``, the
24 % residual variability of [simon2018] applied on the log scale (an assumption about the error model's
form, see ``parameters.csv``, ``iiv_simon2018``).

Two estimates of clearance and half-life:

- **log-linear regression** (needs two samples or more): the slope of ln(level) against time gives k and the
  half-life; two oral levels cannot give V/F (nor F), so CL/F = k x (V/F of the population), the usual
  shortcut. Samples taken during absorption bias k low (the student learns to sample
  after the peak).
- **maximum a posteriori (MAP) Bayesian estimate** with the population model as prior: minimise
  ``sum((ln C_obs - ln C_pred)^2) / sigma^2 + eta_CL^2 / omega_CL^2 + eta_V^2 / omega_V^2`` over
  (eta_CL, eta_V) with ``scipy.optimize.minimize``; ka is held at its typical value (three samples cannot
  identify it well; the hidden patient's own ka varies, so this is a real model misspecification).

A dose proposal for a target average steady-state level: ``dose per interval = C_avg x CL/F x tau``. The
check compares each estimate and the proposed dose with the hidden truth. Proposed doses above the label
maximum are flagged, never refused.

Educational model, not dosing advice.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

from . import pk
from . import population as pop
from . import validation as v

__all__ = [
    "MAX_SAMPLES",
    "Check",
    "Estimate",
    "HiddenPatient",
    "check",
    "compare_designs",
    "dose_flags",
    "hidden_patient",
    "map_estimate",
    "measure",
    "propose_dose_mg",
    "regression_estimate",
    "steady_state_mg_per_L",
]

Array = NDArray[np.float64]

#: At most this many hidden patients in :func:`compare_designs` (about a second per design and 100 patients).
MAX_DESIGN_PATIENTS: int = 1000
#: Doses per interval :func:`compare_designs` accepts, mg (the levels then stay inside LEVEL_RANGE_MG_PER_L).
DESIGN_DOSE_RANGE_MG: tuple[float, float] = (0.1, 1000.0)
#: Up to three blood samples in one dosing interval (the exercise's rule).
MAX_SAMPLES: int = 3
_MODEL = "simon2018"
#: Dosing intervals, h, the monitoring functions accept (the exercise uses 8 h).
TAU_RANGE_H: tuple[float, float] = (1.0, 48.0)
#: Measured and target levels, mg/L, the monitoring functions accept (1 ng/mL... 1000 mg/L: beyond any
#: assay, overdoses included).
LEVEL_RANGE_MG_PER_L: tuple[float, float] = (1e-6, 1e3)
#: Most sample times an estimate takes (the exercise allows MAX_SAMPLES; studies may take more).
MAX_ESTIMATE_SAMPLES: int = 100
#: Typical values of the prior [simon2018] (parameters.csv, set simon2018).
_KA0, _CL0, _V0 = (pk.param_value(_MODEL, n) for n in ("ka_per_h", "cl_over_f_L_per_h", "v_over_f_L"))


@dataclass(frozen=True)
class HiddenPatient:
    """The hidden truth: apparent oral parameters and the regimen (dose every ``tau_h`` hours)."""

    seed: int
    ka_per_h: float
    cl_over_f_L_per_h: float
    v_over_f_L: float
    dose_mg: float
    tau_h: float

    @property
    def half_life_h(self) -> float:
        """True elimination half-life, h."""
        return math.log(2.0) * self.v_over_f_L / self.cl_over_f_L_per_h


def hidden_patient(seed: int, *, dose_mg: float = 20.0, tau_h: float = 8.0) -> HiddenPatient:
    """A hidden adult patient drawn from the population model of [simon2018] with ``seed``."""
    s = v.whole(seed, "seed", min_value=0)
    d = v.amount(dose_mg, "dose_mg", unit="mg", positive=True)
    tau = _tau(tau_h)
    c = pop.draw_cohort(_MODEL, 1, seed=s)
    return HiddenPatient(
        seed=s,
        ka_per_h=float(c.ka_per_h[0]),
        cl_over_f_L_per_h=float(c.cl_over_f_L_per_h[0]),
        v_over_f_L=float(c.v_over_f_L[0]),
        dose_mg=d,
        tau_h=tau,
    )


def _tau(tau_h: float) -> float:
    return v.in_range(tau_h, "tau_h", *TAU_RANGE_H)


def _patient(patient: object) -> HiddenPatient:
    if not isinstance(patient, HiddenPatient):
        raise v.PKInputError(
            f"patient must be a monitoring.HiddenPatient (from hidden_patient); got {patient!r}"
        )
    return patient


def steady_state_mg_per_L(
    t_after_dose_h: Array,
    *,
    ka_per_h: float,
    cl_over_f_L_per_h: Array,
    v_over_f_L: Array,
    dose_mg: float,
    tau_h: float,
) -> Array:
    """Steady-state plasma level, mg/L, ``t`` h after a dose (one compartment, first-order absorption; closed
    form, broadcasting over arrays of CL/F and V/F).

    ``t_after_dose_h`` from 0 to ``tau_h`` (one dosing interval); ``tau_h`` in :data:`TAU_RANGE_H`; ka in
    the engine's rate-constant range; CL/F and V/F in its clearance and volume ranges."""
    tau = _tau(tau_h)
    t = v.array(t_after_dose_h, "t_after_dose_h", min_value=0.0, max_value=tau)
    ka = v.in_range(ka_per_h, "ka_per_h", *v.RATE_CONSTANT_RANGE_PER_H)
    cl = v.array(cl_over_f_L_per_h, "cl_over_f_L_per_h", min_value=v.CLEARANCE_RANGE_L_PER_H[0])
    cl = _at_most(cl, "cl_over_f_L_per_h", v.CLEARANCE_RANGE_L_PER_H[1])
    vv = v.array(v_over_f_L, "v_over_f_L", min_value=v.VOLUME_RANGE_L[0], max_value=v.VOLUME_RANGE_L[1])
    dose = v.amount(dose_mg, "dose_mg", unit="mg")
    try:
        shape = np.broadcast_shapes(t.shape, cl.shape, vv.shape)
    except ValueError:
        raise v.PKInputError(
            "t_after_dose_h, cl_over_f_L_per_h and v_over_f_L must broadcast together; got shapes "
            f"{t.shape}, {cl.shape} and {vv.shape}"
        ) from None
    del shape
    with np.errstate(over="ignore", under="ignore"):
        return np.maximum(_steady_state(t, ka, cl, vv, dose, tau), 0.0)  # rounding below zero at t = 0


def _at_most(arr: Array, name: str, hi: float) -> Array:
    if arr.size and bool(np.any(arr > hi)):
        raise v.PKInputError(f"{name} must be <= {hi:g}; got {float(arr[arr > hi].ravel()[0])!r}")
    return arr


def _steady_state(
    t_after_dose_h: Array,
    ka_per_h: float,
    cl_over_f_L_per_h: Array,
    v_over_f_L: Array,
    dose_mg: float,
    tau_h: float,
) -> Array:
    """The closed form of :func:`steady_state_mg_per_L`, unchecked (the MAP objective's inner loop)."""
    k = np.asarray(cl_over_f_L_per_h) / np.asarray(v_over_f_L)
    ka = np.where(np.abs(ka_per_h - k) < 1e-9 * k, k * (1 + 1e-9), ka_per_h)
    t = np.asarray(t_after_dose_h, dtype=float)
    acc_k = np.exp(-k * t) / (1.0 - np.exp(-k * tau_h))
    acc_a = np.exp(-ka * t) / (1.0 - np.exp(-ka * tau_h))
    return dose_mg * ka / (np.asarray(v_over_f_L) * (ka - k)) * (acc_k - acc_a)


def _times(sample_times_h: Sequence[float], tau_h: float, max_n: int = MAX_SAMPLES) -> Array:
    t = v.array(sample_times_h, "sample_times_h", ndim1=True, min_value=0.0, min_inclusive=False)
    if t.size == 0 or t.size > max_n:
        raise v.PKInputError(f"sample_times_h must hold 1 to {max_n} times; got {t.size}")
    if np.any(t > tau_h):
        raise v.PKInputError(
            f"sample_times_h must lie in one dosing interval, 0 < t <= {tau_h:g} h after a dose; "
            f"got {t.tolist()}"
        )
    return t


def measure(
    patient: HiddenPatient, sample_times_h: Sequence[float], *, noise_seed: int | None = None
) -> Array:
    """Measured levels, mg/L, at ``sample_times_h`` h after a steady-state dose, with the published residual
    error (24 % [simon2018], log scale). ``noise_seed`` defaults to the patient's seed."""
    patient = _patient(patient)
    t = _times(sample_times_h, patient.tau_h)
    seed = patient.seed if noise_seed is None else v.whole(noise_seed, "noise_seed", min_value=0)
    true = _steady_state_kw(
        t,
        ka_per_h=patient.ka_per_h,
        cl_over_f_L_per_h=patient.cl_over_f_L_per_h,
        v_over_f_L=patient.v_over_f_L,
        dose_mg=patient.dose_mg,
        tau_h=patient.tau_h,
    )
    rng = np.random.default_rng([seed, 1])
    sigma = pop.model(_MODEL).residual_prop
    return true * np.exp(sigma * rng.standard_normal(t.size))


@dataclass(frozen=True)
class Estimate:
    """An estimate of CL/F, L/h, V/F, L, and the half-life, h (NaN where the method cannot estimate)."""

    method: str
    cl_over_f_L_per_h: float
    v_over_f_L: float
    half_life_h: float


def _steady_state_kw(
    t: Array, *, ka_per_h: float, cl_over_f_L_per_h: float, v_over_f_L: float, dose_mg: float, tau_h: float
) -> Array:
    return _steady_state(t, ka_per_h, cl_over_f_L_per_h, v_over_f_L, dose_mg, tau_h)


def _samples(sample_times_h: Sequence[float], levels_mg_per_L: Sequence[float]) -> tuple[Array, Array]:
    """Validated sample times (> 0 h, at most MAX_ESTIMATE_SAMPLES) and one level per time (in
    LEVEL_RANGE_MG_PER_L)."""
    t = v.array(
        sample_times_h,
        "sample_times_h",
        ndim1=True,
        min_value=0.0,
        min_inclusive=False,
        max_value=v.MAX_SPAN_H,
    )
    if t.size == 0 or t.size > MAX_ESTIMATE_SAMPLES:
        raise v.PKInputError(f"sample_times_h must hold 1 to {MAX_ESTIMATE_SAMPLES} times; got {t.size}")
    lo, hi = LEVEL_RANGE_MG_PER_L
    c = v.array(levels_mg_per_L, "levels_mg_per_L", ndim1=True, min_value=lo, max_value=hi)
    if t.shape != c.shape:
        raise v.PKInputError(
            f"levels_mg_per_L must have one level per time of sample_times_h ({t.size}); got {c.size}"
        )
    return t, c


def regression_estimate(sample_times_h: Sequence[float], levels_mg_per_L: Sequence[float]) -> Estimate:
    """Log-linear regression: k = -slope of ln(level) vs time; CL/F = k x population V/F. Needs >= 2
    samples at different times (otherwise NaN: one level gives no slope; also NaN when the levels do not
    fall, as during absorption)."""
    t, c = _samples(sample_times_h, levels_mg_per_L)
    v_pop = pk.param_value(_MODEL, "v_over_f_L")
    if t.size < 2 or np.ptp(t) == 0:
        return Estimate("regression", math.nan, v_pop, math.nan)
    slope = np.polyfit(t, np.log(c), 1)[0]
    k = -float(slope)
    if not k > 0 or not math.isfinite(k):  # rising levels (absorption phase): no elimination estimate
        return Estimate("regression", math.nan, v_pop, math.nan)
    return Estimate("regression", k * v_pop, v_pop, math.log(2.0) / k)


def _objective(eta: Array, t: Array, log_c: Array, dose_mg: float, tau_h: float) -> Array:
    """MAP objective for eta of shape (2, ...) (vectorised for the grid posterior in the tests)."""
    m = pop.MODELS[_MODEL]
    cl = _CL0 * np.exp(eta[0])
    vv = _V0 * np.exp(eta[1])
    pred = _steady_state(t.reshape((-1,) + (1,) * (np.ndim(cl))), _KA0, cl, vv, dose_mg, tau_h)
    pred = np.maximum(pred, np.finfo(float).tiny)  # a level rounded to 0 far from the prior: finite log
    resid = (log_c.reshape((-1,) + (1,) * np.ndim(cl)) - np.log(pred)) / m.residual_prop
    return np.sum(resid**2, axis=0) + (eta[0] / m.omega_cl) ** 2 + (eta[1] / m.omega_v) ** 2


def map_objective(
    eta_cl: Array,
    eta_v: Array,
    sample_times_h: Sequence[float],
    levels_mg_per_L: Sequence[float],
    *,
    dose_mg: float,
    tau_h: float,
) -> Array:
    """-2 log posterior (up to a constant) at (eta_CL, eta_V), broadcasting over arrays (grid posterior)."""
    t = v.array(sample_times_h, "sample_times_h", ndim1=True)
    c = v.array(levels_mg_per_L, "levels_mg_per_L", ndim1=True, min_value=0.0, min_inclusive=False)
    return _objective(np.array(np.broadcast_arrays(eta_cl, eta_v)), t, np.log(c), dose_mg, tau_h)


#: Largest |eta| of a MAP estimate (exp(30) ~ 1e13 times the typical value: never reached by real levels).
_ETA_BOUND = 30.0


def map_estimate(
    sample_times_h: Sequence[float],
    levels_mg_per_L: Sequence[float],
    *,
    dose_mg: float = 20.0,
    tau_h: float = 8.0,
) -> Estimate:
    """Maximum a posteriori estimate of CL/F and V/F with the [simon2018] population model as prior
    (``scipy.optimize.minimize``, BFGS from the typical values); works with one sample (then the prior
    decides V/F and mostly the half-life)."""
    t, c = _samples(sample_times_h, levels_mg_per_L)
    d = v.amount(dose_mg, "dose_mg", unit="mg", positive=True)
    tau = _tau(tau_h)
    if np.any(t > tau):
        raise v.PKInputError(
            f"sample_times_h must lie in one dosing interval, 0 < t <= tau_h = {tau:g} h after a dose; "
            f"got {t.tolist()}"
        )
    log_c = np.log(c)
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        res = optimize.minimize(
            lambda e: float(_objective(e, t, log_c, d, tau)),
            x0=np.zeros(2),
            method="BFGS",
            options={"gtol": 1e-8},
        )
        x = res.x
        if not (
            np.all(np.isfinite(x)) and math.isfinite(float(res.fun))
        ):  # far from the prior: bounded search
            x = optimize.minimize(
                lambda e: float(_objective(e, t, log_c, d, tau)),
                x0=np.zeros(2),
                method="L-BFGS-B",
                bounds=[(-_ETA_BOUND, _ETA_BOUND)] * 2,
            ).x
    x = np.clip(x, -_ETA_BOUND, _ETA_BOUND)
    cl = pk.param_value(_MODEL, "cl_over_f_L_per_h") * math.exp(x[0])
    vv = pk.param_value(_MODEL, "v_over_f_L") * math.exp(x[1])
    return Estimate("MAP", cl, vv, math.log(2.0) * vv / cl)


def propose_dose_mg(cl_over_f_L_per_h: float, target_avg_mg_per_L: float, *, tau_h: float = 8.0) -> float:
    """Dose per interval, mg, for a target average steady-state level: C_avg x CL/F x tau (large doses are
    flagged by :func:`check`, never refused). The target in :data:`LEVEL_RANGE_MG_PER_L`."""
    cl = v.in_range(cl_over_f_L_per_h, "cl_over_f_L_per_h", *v.CLEARANCE_RANGE_L_PER_H)
    target = v.in_range(target_avg_mg_per_L, "target_avg_mg_per_L", *LEVEL_RANGE_MG_PER_L)
    return target * cl * _tau(tau_h)


@dataclass(frozen=True)
class Check:
    """Relative errors (estimate / truth - 1) of each estimate and of the proposed dose, and flags."""

    cl_error: dict[str, float]
    half_life_error: dict[str, float]
    dose_error: float
    true_dose_mg: float
    flags: tuple[pk.Flag, ...]


def dose_flags(dose_mg: float, *, tau_h: float = 8.0) -> tuple[pk.Flag, ...]:
    """The course's label flags (:func:`baclofen_teach.pk.regimen_flags`: any 24 h above the US maximum, the
    hospital maximum, the overdose range) for ``dose_mg`` every ``tau_h`` hours, taken over two days: a
    proposed dose is flagged, never refused."""
    d = v.amount(dose_mg, "dose_mg", unit="mg")
    return tuple(pk.regimen_flags(pk.repeated_doses(d, _tau(tau_h), until_h=48.0)))


def check(
    patient: HiddenPatient, estimates: Sequence[Estimate], proposed_dose_mg: float, target_avg_mg_per_L: float
) -> Check:
    """How far each estimate and the proposed dose are from the hidden truth (relative errors)."""
    patient = _patient(patient)
    if isinstance(estimates, Estimate):  # one estimate
        estimates = [estimates]
    if not isinstance(estimates, Sequence) or isinstance(estimates, str):
        raise v.PKInputError(f"estimates must be a list of monitoring.Estimate; got {estimates!r}")
    for e in estimates:
        if not isinstance(e, Estimate):
            raise v.PKInputError(f"estimates must contain monitoring.Estimate objects only; got {e!r}")
    dose = v.amount(proposed_dose_mg, "proposed_dose_mg", unit="mg")
    true_dose = propose_dose_mg(patient.cl_over_f_L_per_h, target_avg_mg_per_L, tau_h=patient.tau_h)
    flags = dose_flags(dose, tau_h=patient.tau_h)
    return Check(
        cl_error={e.method: e.cl_over_f_L_per_h / patient.cl_over_f_L_per_h - 1.0 for e in estimates},
        half_life_error={e.method: e.half_life_h / patient.half_life_h - 1.0 for e in estimates},
        dose_error=dose / true_dose - 1.0,
        true_dose_mg=true_dose,
        flags=tuple(flags),
    )


def compare_designs(
    designs: Mapping[str, Sequence[float]],
    *,
    n_patients: int = 100,
    first_seed: int = 1000,
    dose_mg: float = 20.0,
    tau_h: float = 8.0,
):  # noqa: ANN201 - a pandas DataFrame (pandas imported lazily)
    """How well each sampling design estimates the half-life over ``n_patients`` seeded hidden patients
    (seeds ``first_seed``, ``first_seed + 1``, ...): for the regression and the MAP estimate, the share of
    patients with an estimate and the median of (estimate / truth - 1), signed (bias) and absolute, in %.

    Columns: ``design``, ``samples``, ``regression_estimated_percent``, ``regression_bias_percent``,
    ``regression_error_percent``, ``map_bias_percent``, ``map_error_percent``."""
    import pandas as pd

    if not isinstance(designs, Mapping) or not designs:
        raise v.PKInputError(f"designs must be a non-empty mapping name -> sample times; got {designs!r}")
    n = v.whole(n_patients, "n_patients", min_value=1, max_value=MAX_DESIGN_PATIENTS)
    # a comparison of sampling designs on ordinary doses (overdoses: the overdose scenarios); keeps the
    # simulated levels inside the levels the estimates accept (LEVEL_RANGE_MG_PER_L)
    dose_mg = v.in_range(dose_mg, "dose_mg", *DESIGN_DOSE_RANGE_MG, unit="mg")
    first = v.whole(first_seed, "first_seed", min_value=0, max_value=2**32)
    patients = [hidden_patient(s, dose_mg=dose_mg, tau_h=tau_h) for s in range(first, first + n)]
    rows = []
    for label, times in designs.items():
        t = _times(times, tau_h)
        reg, post = [], []
        for p in patients:
            c = measure(p, t)
            reg.append(regression_estimate(t, c).half_life_h / p.half_life_h - 1.0)
            post.append(map_estimate(t, c, dose_mg=dose_mg, tau_h=tau_h).half_life_h / p.half_life_h - 1.0)
        r, m = np.array(reg), np.array(post)
        ok = np.isfinite(r)
        rows.append(
            {
                "design": str(label),
                "samples": ", ".join(f"{x:g} h" for x in t),
                "regression_estimated_percent": 100.0 * float(np.mean(ok)),
                "regression_bias_percent": 100.0 * float(np.median(r[ok])) if ok.any() else math.nan,
                "regression_error_percent": 100.0 * float(np.median(np.abs(r[ok]))) if ok.any() else math.nan,
                "map_bias_percent": 100.0 * float(np.median(m)),
                "map_error_percent": 100.0 * float(np.median(np.abs(m))),
            }
        )
    return pd.DataFrame(rows)
