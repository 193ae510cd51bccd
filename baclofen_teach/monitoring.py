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
    "hidden_patient",
    "map_estimate",
    "measure",
    "propose_dose_mg",
    "regression_estimate",
    "steady_state_mg_per_L",
]

Array = NDArray[np.float64]

#: Up to three blood samples in one dosing interval (the exercise's rule).
MAX_SAMPLES: int = 3
_MODEL = "simon2018"
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
    s = int(v.real(seed, "seed", min_value=0))
    d = v.positive(dose_mg, "dose_mg", unit="mg")
    tau = v.real(tau_h, "tau_h", min_value=1.0, max_value=48.0)
    c = pop.draw_cohort(_MODEL, 1, seed=s)
    return HiddenPatient(
        seed=s,
        ka_per_h=float(c.ka_per_h[0]),
        cl_over_f_L_per_h=float(c.cl_over_f_L_per_h[0]),
        v_over_f_L=float(c.v_over_f_L[0]),
        dose_mg=d,
        tau_h=tau,
    )


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
    form, broadcasting over arrays of CL/F and V/F)."""
    k = np.asarray(cl_over_f_L_per_h) / np.asarray(v_over_f_L)
    ka = np.where(np.abs(ka_per_h - k) < 1e-9 * k, k * (1 + 1e-9), ka_per_h)
    t = np.asarray(t_after_dose_h, dtype=float)
    acc_k = np.exp(-k * t) / (1.0 - np.exp(-k * tau_h))
    acc_a = np.exp(-ka * t) / (1.0 - np.exp(-ka * tau_h))
    return dose_mg * ka / (np.asarray(v_over_f_L) * (ka - k)) * (acc_k - acc_a)


def _times(sample_times_h: Sequence[float], tau_h: float) -> Array:
    t = v.array(sample_times_h, "sample_times_h", ndim1=True, min_value=0.0, min_inclusive=False)
    if t.size == 0 or t.size > MAX_SAMPLES:
        raise v.PKInputError(f"sample_times_h must hold 1 to {MAX_SAMPLES} times; got {t.size}")
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
    t = _times(sample_times_h, patient.tau_h)
    true = steady_state_mg_per_L(
        t,
        ka_per_h=patient.ka_per_h,
        cl_over_f_L_per_h=patient.cl_over_f_L_per_h,
        v_over_f_L=patient.v_over_f_L,
        dose_mg=patient.dose_mg,
        tau_h=patient.tau_h,
    )
    rng = np.random.default_rng([patient.seed if noise_seed is None else int(noise_seed), 1])
    sigma = pop.model(_MODEL).residual_prop
    return true * np.exp(sigma * rng.standard_normal(t.size))


@dataclass(frozen=True)
class Estimate:
    """An estimate of CL/F, L/h, V/F, L, and the half-life, h (NaN where the method cannot estimate)."""

    method: str
    cl_over_f_L_per_h: float
    v_over_f_L: float
    half_life_h: float


def regression_estimate(sample_times_h: Sequence[float], levels_mg_per_L: Sequence[float]) -> Estimate:
    """Log-linear regression: k = -slope of ln(level) vs time; CL/F = k x population V/F. Needs >= 2
    samples at different times (otherwise NaN: one level gives no slope)."""
    t = v.array(sample_times_h, "sample_times_h", ndim1=True)
    c = v.array(levels_mg_per_L, "levels_mg_per_L", ndim1=True, min_value=0.0, min_inclusive=False)
    if t.shape != c.shape:
        raise v.PKInputError(
            f"levels_mg_per_L must have one level per sample time; got {c.size} for {t.size}"
        )
    v_pop = pk.param_value(_MODEL, "v_over_f_L")
    if t.size < 2 or np.ptp(t) == 0:
        return Estimate("regression", math.nan, v_pop, math.nan)
    slope = np.polyfit(t, np.log(c), 1)[0]
    k = -float(slope)
    if k <= 0:  # rising levels (absorption phase): no elimination estimate
        return Estimate("regression", math.nan, v_pop, math.nan)
    return Estimate("regression", k * v_pop, v_pop, math.log(2.0) / k)


def _objective(eta: Array, t: Array, log_c: Array, dose_mg: float, tau_h: float) -> Array:
    """MAP objective for eta of shape (2, ...) (vectorised for the grid posterior in the tests)."""
    m = pop.MODELS[_MODEL]
    cl = _CL0 * np.exp(eta[0])
    vv = _V0 * np.exp(eta[1])
    pred = steady_state_mg_per_L(
        t.reshape((-1,) + (1,) * (np.ndim(cl))),
        ka_per_h=_KA0,
        cl_over_f_L_per_h=cl,
        v_over_f_L=vv,
        dose_mg=dose_mg,
        tau_h=tau_h,
    )
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
    t = v.array(sample_times_h, "sample_times_h", ndim1=True)
    c = v.array(levels_mg_per_L, "levels_mg_per_L", ndim1=True, min_value=0.0, min_inclusive=False)
    if t.shape != c.shape or t.size == 0:
        raise v.PKInputError(
            f"levels_mg_per_L must have one level per sample time; got {c.size} for {t.size}"
        )
    d = v.positive(dose_mg, "dose_mg", unit="mg")
    tau = v.positive(tau_h, "tau_h")
    log_c = np.log(c)
    res = optimize.minimize(
        lambda e: float(_objective(e, t, log_c, d, tau)),
        x0=np.zeros(2),
        method="BFGS",
        options={"gtol": 1e-8},
    )
    cl = pk.param_value(_MODEL, "cl_over_f_L_per_h") * math.exp(res.x[0])
    vv = pk.param_value(_MODEL, "v_over_f_L") * math.exp(res.x[1])
    return Estimate("MAP", cl, vv, math.log(2.0) * vv / cl)


def propose_dose_mg(cl_over_f_L_per_h: float, target_avg_mg_per_L: float, *, tau_h: float = 8.0) -> float:
    """Dose per interval, mg, for a target average steady-state level: C_avg x CL/F x tau (large doses are
    flagged by :func:`check`, never refused)."""
    cl = v.positive(cl_over_f_L_per_h, "cl_over_f_L_per_h")
    target = v.positive(target_avg_mg_per_L, "target_avg_mg_per_L")
    return target * cl * v.positive(tau_h, "tau_h")


@dataclass(frozen=True)
class Check:
    """Relative errors (estimate / truth - 1) of each estimate and of the proposed dose, and flags."""

    cl_error: dict[str, float]
    half_life_error: dict[str, float]
    dose_error: float
    true_dose_mg: float
    flags: tuple[pk.Flag, ...]


def check(
    patient: HiddenPatient, estimates: Sequence[Estimate], proposed_dose_mg: float, target_avg_mg_per_L: float
) -> Check:
    """How far each estimate and the proposed dose are from the hidden truth (relative errors)."""
    dose = v.nonneg(proposed_dose_mg, "proposed_dose_mg", unit="mg")
    true_dose = propose_dose_mg(patient.cl_over_f_L_per_h, target_avg_mg_per_L, tau_h=patient.tau_h)
    flags: list[pk.Flag] = []
    daily = dose * 24.0 / patient.tau_h
    us_max = pk.ORAL_MAX_MG_PER_DAY["US"]
    if daily > us_max:
        flags.append(
            pk.Flag(
                f"The proposed dose, {daily:g} mg/day, is above the US label maximum of {us_max:g} mg/day "
                "[label_ozobax]: simulated, not refused; educational model, not dosing advice.",
                code="oral_above_label_max",
            )
        )
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
    n = int(v.real(n_patients, "n_patients", min_value=1, max_value=5000))
    first = int(v.real(first_seed, "first_seed", min_value=0))
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
