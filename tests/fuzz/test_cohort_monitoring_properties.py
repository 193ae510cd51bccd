"""Property tests of the virtual cohort and the drug-level monitoring (issue 14's modules) over extreme but
valid inputs: every result finite and non-negative (or NaN exactly where documented), bounded in memory.

The default profile draws a few examples per property; ``pytest tests/fuzz -m slow`` draws many more.

Educational model, not dosing advice.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baclofen_teach import monitoring as mo
from baclofen_teach import pk
from baclofen_teach import population as pop
from baclofen_teach import validation as v

FAST = settings(settings.get_profile("fuzz"), max_examples=12)
LONG = settings(settings.get_profile("fuzz_long"), max_examples=150)


def _log_uniform(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.one_of(
        st.sampled_from([lo, hi]),
        st.floats(math.log10(lo), math.log10(hi)).map(lambda e: min(max(10.0**e, lo), hi)),
    )


@st.composite
def cohorts(draw: st.DrawFn) -> pop.Cohort:
    name = draw(st.sampled_from(sorted(pop.MODELS)))
    n = draw(st.integers(1, 40))
    crcl = draw(st.one_of(st.none(), st.floats(0.0, 1000.0)))
    return pop.draw_cohort(
        name,
        n,
        seed=draw(st.integers(0, 2**32)),
        weight_kg=draw(st.floats(*v.WEIGHT_RANGE_KG)),
        crcl_mL_per_min=crcl,
        variability=draw(st.floats(0.0, pop.MAX_VARIABILITY)),
    )


oral_doses = st.lists(
    st.builds(pk.Dose, st.floats(0.0, 2000.0), _log_uniform(1e-6, 1e5), st.just("oral")),
    min_size=1,
    max_size=8,
)
report_times = st.lists(st.floats(0.0, v.MAX_TIME_H), min_size=1, max_size=40).map(sorted)


def _cohort_is_clean(c: pop.Cohort, doses: list[pk.Dose], times: list[float]) -> None:
    conc = pop.simulate_cohort(c, doses, times)
    assert conc.shape == (c.n, len(times))
    assert np.all(np.isfinite(conc)) and np.all(conc >= 0.0)
    for field in (c.ka_per_h, c.cl_over_f_L_per_h, c.v_over_f_L, c.half_life_h):
        assert np.all(np.isfinite(field)) and np.all(field > 0.0)
    s = pop.summarise(conc, times)
    assert np.all(s.p05_mg_per_L <= s.median_mg_per_L) and np.all(s.median_mg_per_L <= s.p95_mg_per_L)
    for frac in (s.fraction_below_range, s.fraction_above_range, s.fraction_above_toxic):
        assert np.all((frac >= 0.0) & (frac <= 1.0))


@FAST
@given(c=cohorts(), doses=oral_doses, times=report_times)
def test_simulate_cohort_finite_and_non_negative(
    c: pop.Cohort, doses: list[pk.Dose], times: list[float]
) -> None:
    _cohort_is_clean(c, doses, times)


@pytest.mark.slow
@LONG
@given(c=cohorts(), doses=oral_doses, times=report_times)
def test_simulate_cohort_finite_and_non_negative_long(
    c: pop.Cohort, doses: list[pk.Dose], times: list[float]
) -> None:
    _cohort_is_clean(c, doses, times)


def test_large_cohorts_are_refused_by_name_not_out_of_memory() -> None:
    """A million patients x 2,001 times needed 15 GiB per array (MemoryError): now a clear refusal."""
    big = pop.draw_cohort(n=pop.MAX_PATIENTS)
    week = np.linspace(0.0, 168.0, 2001)
    with pytest.raises(v.PKInputError, match="times_h must give at most 10,000,000 values"):
        pop.simulate_cohort(big, [pk.Dose(0.0, 20.0)], week)
    with pytest.raises(v.PKInputError, match="doses must give at most"):
        pop.simulate_cohort(big, [pk.Dose(6.0 * i, 10.0) for i in range(20)], [1.0])
    with pytest.raises(v.PKInputError, match="n must be a whole number >= 1 and <= 1,000,000"):
        pop.draw_cohort(n=10**7)
    assert pop.simulate_cohort(big, pk.Dose(0.0, 20.0), [1.0, 2.0]).shape == (pop.MAX_PATIENTS, 2)


@st.composite
def samples(draw: st.DrawFn) -> tuple[list[float], list[float], float, float]:
    tau = draw(st.floats(*mo.TAU_RANGE_H))
    k = draw(st.integers(1, mo.MAX_SAMPLES))
    times = sorted(draw(st.lists(st.floats(1e-3, tau), min_size=k, max_size=k)))
    levels = draw(st.lists(_log_uniform(*mo.LEVEL_RANGE_MG_PER_L), min_size=k, max_size=k))
    dose = draw(_log_uniform(1e-3, 1e5))
    return times, levels, dose, tau


def _estimates_are_clean(times: list[float], levels: list[float], dose: float, tau: float) -> None:
    est = mo.map_estimate(times, levels, dose_mg=dose, tau_h=tau)
    for x in (est.cl_over_f_L_per_h, est.v_over_f_L, est.half_life_h):
        assert math.isfinite(x) and x > 0.0, est
    reg = mo.regression_estimate(times, levels)  # NaN by design when it cannot estimate, never inf
    assert (math.isnan(reg.half_life_h) and math.isnan(reg.cl_over_f_L_per_h)) or (
        math.isfinite(reg.half_life_h) and reg.half_life_h > 0 and math.isfinite(reg.cl_over_f_L_per_h)
    ), reg


@FAST
@given(s=samples())
def test_map_estimate_finite_for_any_valid_samples(s: tuple[list[float], list[float], float, float]) -> None:
    _estimates_are_clean(*s)


@pytest.mark.slow
@LONG
@given(s=samples())
def test_map_estimate_finite_for_any_valid_samples_long(
    s: tuple[list[float], list[float], float, float],
) -> None:
    _estimates_are_clean(*s)


@FAST
@given(
    ka=_log_uniform(*v.RATE_CONSTANT_RANGE_PER_H),
    cl=_log_uniform(*v.CLEARANCE_RANGE_L_PER_H),
    vol=_log_uniform(*v.VOLUME_RANGE_L),
    dose=_log_uniform(1e-6, v.MAX_AMOUNT_MG),
    tau=st.floats(*mo.TAU_RANGE_H),
)
def test_steady_state_finite_and_non_negative(
    ka: float, cl: float, vol: float, dose: float, tau: float
) -> None:
    t = np.linspace(0.0, tau, 33)
    c = mo.steady_state_mg_per_L(
        t, ka_per_h=ka, cl_over_f_L_per_h=cl, v_over_f_L=vol, dose_mg=dose, tau_h=tau
    )
    assert np.all(np.isfinite(c)) and np.all(c >= 0.0)
    grid = mo.steady_state_mg_per_L(  # broadcasting over arrays of CL/F and V/F, as the grid posterior does
        t[:, None, None],
        ka_per_h=ka,
        cl_over_f_L_per_h=np.array([[cl], [cl / 2 + 1e-5]]),
        v_over_f_L=np.array([[vol, vol * 0.5 + 1e-5]]),
        dose_mg=dose,
        tau_h=tau,
    )
    assert grid.shape == (33, 2, 2) and np.all(np.isfinite(grid)) and np.all(grid >= 0.0)
    with pytest.raises(v.PKInputError, match="broadcast"):
        mo.steady_state_mg_per_L(
            t, ka_per_h=ka, cl_over_f_L_per_h=[cl, cl], v_over_f_L=vol, dose_mg=dose, tau_h=tau
        )
