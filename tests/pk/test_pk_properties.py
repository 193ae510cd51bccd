"""Hypothesis properties of simulate: linearity, time shift, superposition, non-negativity, mass balance."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import simpson

from baclofen_teach import pk

SETTINGS = settings(max_examples=25, deadline=None)

params_st = st.builds(
    pk.PKParams,
    ka_per_h=st.floats(0.05, 5.0),
    cl_L_per_h=st.floats(0.5, 20.0),
    v_L=st.floats(5.0, 100.0),
    f_oral=st.floats(0.1, 1.0),
    csf_plasma_ratio=st.sampled_from([0.0, 0.05, 0.12, 1.0]),
    v_csf_L=st.floats(0.03, 0.2),
    cl_csf_L_per_h=st.floats(0.01, 0.1),
)

# event times on a quarter-hour lattice so that shifting them is exact in floating point
quarter_h = st.integers(0, 120).map(lambda k: k / 4)
dose_st = st.builds(
    pk.Dose, time_h=quarter_h, amount_mg=st.floats(0.0, 100.0), route=st.sampled_from(["oral", "iv", "it"])
)
inf_st = st.builds(
    lambda a, d, r, route: pk.Infusion(a, a + d, r, route),
    quarter_h,
    quarter_h,
    st.floats(0.0, 2.0),
    st.sampled_from(["iv", "it"]),
)
events_st = st.lists(st.one_of(dose_st, inf_st), min_size=1, max_size=6)

T = np.linspace(0.0, 60.0, 241)


def _close(a: np.ndarray, b: np.ndarray, rtol: float = 1e-9) -> None:
    scale = max(float(np.max(np.abs(b))), 1e-300)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * scale)


@SETTINGS
@given(params_st, events_st, st.floats(0.0, 50.0))
def test_linearity_in_dose(p: pk.PKParams, events: list, factor: float) -> None:
    scaled = [
        pk.Dose(e.time_h, e.amount_mg * factor, e.route)
        if isinstance(e, pk.Dose)
        else pk.Infusion(e.start_h, e.stop_h, e.rate_mg_per_h * factor, e.route)
        for e in events
    ]
    a = pk.simulate(events, p, T)
    b = pk.simulate(scaled, p, T)
    _close(b.plasma_mg_per_L, factor * a.plasma_mg_per_L)
    _close(b.csf_mg_per_L, factor * a.csf_mg_per_L)


@SETTINGS
@given(params_st, events_st, st.integers(0, 400).map(lambda k: k / 4))
def test_time_shift_invariance(p: pk.PKParams, events: list, shift: float) -> None:
    shifted = [
        pk.Dose(e.time_h + shift, e.amount_mg, e.route)
        if isinstance(e, pk.Dose)
        else pk.Infusion(e.start_h + shift, e.stop_h + shift, e.rate_mg_per_h, e.route)
        for e in events
    ]
    a = pk.simulate(events, p, T)
    b = pk.simulate(shifted, p, T + shift)
    _close(b.plasma_mg_per_L, a.plasma_mg_per_L, rtol=1e-8)
    _close(b.csf_mg_per_L, a.csf_mg_per_L, rtol=1e-8)


@SETTINGS
@given(params_st, events_st, events_st)
def test_superposition(p: pk.PKParams, ev1: list, ev2: list) -> None:
    a = pk.simulate(ev1, p, T)
    b = pk.simulate(ev2, p, T)
    ab = pk.simulate(ev1 + ev2, p, T)
    _close(ab.plasma_mg_per_L, a.plasma_mg_per_L + b.plasma_mg_per_L)
    _close(ab.csf_mg_per_L, a.csf_mg_per_L + b.csf_mg_per_L)


@SETTINGS
@given(params_st, dose_st, st.floats(0.0, 1.0))
def test_split_dose_equals_whole_dose(p: pk.PKParams, d: pk.Dose, share: float) -> None:
    whole = pk.simulate([d], p, T)
    split = pk.simulate(
        [
            pk.Dose(d.time_h, d.amount_mg * share, d.route),
            pk.Dose(d.time_h, d.amount_mg * (1 - share), d.route),
        ],
        p,
        T,
    )
    _close(split.plasma_mg_per_L, whole.plasma_mg_per_L)


@SETTINGS
@given(params_st, events_st)
def test_non_negative_and_finite(p: pk.PKParams, events: list) -> None:
    s = pk.simulate(events, p, T)
    for arr in (s.plasma_mg_per_L, s.csf_mg_per_L, s.gut_mg):
        assert np.all(np.isfinite(arr)) and np.all(arr >= 0.0)


@settings(max_examples=10, deadline=None)
@given(params_st, events_st, st.floats(0.0, 10.0), st.floats(0.0, 1.0))
def test_mass_balance(p: pk.PKParams, events: list, extra_cl: float, drain: float) -> None:
    """Input = gut + plasma + CSF + eliminated (integral of CL*C_p, incl. dialysis) + removed by a drain."""
    win = pk.ClearanceWindow(5.0, 12.0, extra_cl)
    rem = pk.CsfDrain(20.0, drain)
    evs = [*events, win, rem]
    end = 40.0
    cuts = {0.0, end, 5.0, 12.0, 20.0}
    for e in events:
        cuts.update([e.time_h] if isinstance(e, pk.Dose) else [e.start_h, e.stop_h])
    cuts = sorted(c for c in cuts if 0.0 <= c <= end)
    elim = 0.0
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        ts = np.linspace(a, b, 1001)
        ts[-1] = b - 1e-12 * max(b, 1.0)  # left limit at the next event
        cp = pk.simulate(evs, p, ts).plasma_mg_per_L
        cl = p.cl_L_per_h + (extra_cl if 5.0 <= a < 12.0 else 0.0)
        elim += cl * _simpson(cp, ts)
    removed = drain * pk.simulate([*events, win], p, [20.0]).csf_mg[0]
    s = pk.simulate(evs, p, [end])
    body = s.gut_mg[-1] + s.plasma_mg[-1] + s.csf_mg[-1]
    total_in = s.dose_input_mg[-1]
    assert body + elim + removed == pytest.approx(total_in, rel=1e-7, abs=1e-12)  # Simpson error ~1e-8


def _simpson(y: np.ndarray, x: np.ndarray) -> float:
    return float(simpson(y, x=x))
