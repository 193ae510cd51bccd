"""Tests of :func:`baclofen_teach._numerics.refine_brackets` (many crossings and maxima of one vectorised
curve refined together), including the cross-check against ``scipy.optimize.elementwise`` that backs the
module docstring's reason for keeping it."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baclofen_teach import pk
from baclofen_teach._numerics import refine_brackets


def test_scenario_modules_do_not_import_scipy() -> None:
    """The scenario modules refine with _numerics, not scipy (see its docstring for why): a notebook that
    only runs scenarios does not pay the import of scipy.optimize (about 0.5 s)."""
    import subprocess
    import sys

    code = (
        "import sys; import baclofen_teach.pump, baclofen_teach.overdose, baclofen_teach.withdrawal, "
        "baclofen_teach.pk; from baclofen_teach import pump, overdose;"
        "pl = pump.plan_pump(daily_dose_ug=400, concentration_ug_per_mL=500, fill_volume_mL=20);"
        "sc = pump.catheter_failure(daily_dose_ug=400, failure_time_h=48);"
        "r = overdose.oral_overdose(amount_mg=300);"
        "print('scipy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stdout + out.stderr


# ------------------------------------------------------------------------------ vectorised refine_brackets


class _Counted:
    """A vectorised curve that counts its calls and checks it only ever gets ascending distinct points."""

    def __init__(self, f) -> None:  # noqa: ANN001
        self.f, self.calls = f, 0

    def __call__(self, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        assert t.ndim == 1 and np.all(np.diff(t) > 0), "points must be ascending and distinct"
        self.calls += 1
        return self.f(t)


def _brackets(f, grid: np.ndarray, levels) -> list[tuple[float, float, float, float, float]]:  # noqa: ANN001
    v = f(grid)
    out = []
    for lvl in levels:
        above = v > lvl
        for i in np.flatnonzero(above[1:] != above[:-1]):
            out.append((grid[i], grid[i + 1], v[i], v[i + 1], lvl))
    return out


@settings(max_examples=60, deadline=None)
@given(
    k=st.floats(0.01, 5.0),
    levels=st.lists(st.floats(0.001, 0.999), min_size=1, max_size=12),
    step=st.sampled_from([0.01, 0.1, 0.37, 1.0]),
)
def test_refine_brackets_all_levels_of_a_decay_at_once(k: float, levels: list[float], step: float) -> None:
    """Every crossing of exp(-k t) refined together: closed form to 1e-9 relative, a few calls in all."""
    f = _Counted(lambda t: np.exp(-k * t))
    t_end = -math.log(min(levels)) / k + 2 * step
    grid = np.arange(0.0, t_end + step, step)
    br = _brackets(f.f, grid, levels)
    roots, peaks, calls = refine_brackets(f, br, xtol=1e-10)
    exact = np.array([-math.log(lvl) / k for *_, lvl in br])
    np.testing.assert_allclose(roots, exact, rtol=1e-9, atol=1e-10)
    assert all(a <= r <= b for r, (a, b, *_) in zip(roots, br, strict=True))  # never leaves its bracket
    assert peaks == [] and calls == f.calls <= 6


def test_refine_brackets_jump_is_bracketed_in_bounded_calls() -> None:
    """A discontinuity across the level (e.g. a CSF drainage): the bracket closes on the jump; never worse
    than a 16-section search (16-fold shrink per call)."""
    jump = 1.0 / 3.0
    f = _Counted(lambda t: np.where(t < jump, 1.0, 0.0) + 0.01 * t)
    (root,), _, calls = refine_brackets(f, [(0.0, 1.0, 1.0, 0.01, 0.5)], xtol=1e-10)
    assert abs(root - jump) <= 1e-10
    assert calls <= math.ceil(math.log(1.0 / 1e-10) / math.log(16)) + 1


def test_refine_brackets_kinked_crossing() -> None:
    # slope changes at the root itself (e.g. an infusion stopping at the crossing)
    f = _Counted(lambda t: np.where(t < 0.3, 0.3 - t, 2.0 * (0.3 - t)))
    (root,), _, _ = refine_brackets(f, [(0.25, 0.4, 0.05, -0.2, 0.0)], xtol=1e-12)
    assert root == pytest.approx(0.3, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(ka=st.floats(0.2, 5.0), ke=st.floats(0.05, 0.5))
def test_refine_brackets_peak_and_crossings_together(ka: float, ke: float) -> None:
    """The Bateman peak and both crossings of half the peak, refined in the same few calls."""
    if abs(ka - ke) < 1e-3:
        return
    tmax = math.log(ka / ke) / (ka - ke)
    f = _Counted(lambda t: (np.exp(-ke * t) - np.exp(-ka * t)) / (ka - ke))
    cmax = float(f.f(np.array([tmax]))[0])
    grid = np.linspace(0.0, 12 * tmax + 40.0 / ke, 4001)
    v = f.f(grid)
    i = int(np.argmax(v))
    peak = (grid[i - 1], grid[i], grid[i + 1], v[i - 1], v[i], v[i + 1])
    br = _brackets(f.f, grid, [0.5 * cmax])
    roots, [(x, fx)], calls = refine_brackets(f, br, [peak], xtol=1e-10)
    assert x == pytest.approx(tmax, rel=1e-6)  # a maximum is flat: its place is defined to ~sqrt(eps)
    assert fx == pytest.approx(cmax, rel=1e-13) and fx >= v[i]
    np.testing.assert_allclose(f.f(roots), 0.5 * cmax, rtol=1e-9)
    assert len(roots) == 2 and calls == f.calls <= 6


def test_refine_brackets_peak_at_a_corner_and_at_an_end() -> None:
    corner = 0.5013  # steep rise, slow fall: the parabola through three grid points misses the corner
    f = _Counted(lambda t: 1.0 - np.where(t < corner, 10.0 * (corner - t), 0.1 * (t - corner)))
    grid = np.linspace(0.0, 1.0, 11)
    v = f.f(grid)
    i = int(np.argmax(v))
    bracket = (grid[i - 1], grid[i], grid[i + 1], v[i - 1], v[i], v[i + 1])
    _, [(x, fx)], calls = refine_brackets(f, peaks=[bracket])
    assert x == pytest.approx(corner, abs=1e-10) and fx == pytest.approx(1.0, abs=1e-9)
    assert calls <= 12
    g = _Counted(lambda t: np.exp(-t))  # decreasing: the maximum is the left end
    _, [(x, fx)], calls = refine_brackets(g, peaks=[(0.0, 0.0, 0.1, 1.0, 1.0, math.exp(-0.1))])
    assert (x, fx) == (0.0, 1.0) and calls == 1


def test_refine_brackets_rejects_bad_brackets() -> None:
    f = np.exp
    with pytest.raises(ValueError, match=r"roots\[0\]"):
        refine_brackets(f, [(0.0, 1.0, 1.0, 0.5, 0.1)])  # both ends above the level
    with pytest.raises(ValueError, match=r"roots\[0\]"):
        refine_brackets(f, [(1.0, 0.0, 0.5, 1.0, 0.7)])  # a > b
    with pytest.raises(ValueError, match=r"peaks\[0\]"):
        refine_brackets(f, peaks=[(0.0, 0.5, 1.0, 2.0, 1.0, 0.5)])  # f(x) below f(lo)
    assert refine_brackets(f) == (pytest.approx(np.empty(0)), [], 0)


@pytest.mark.parametrize("curve", ["oral-staggered-dialysis", "it-csf-drain-jump"])
def test_refine_brackets_matches_scipy_find_root_in_fewer_engine_calls(curve: str) -> None:
    """The reason _numerics is kept (its docstring): on engine curves like the scenarios', all crossings agree
    with scipy.optimize.elementwise.find_root (Chandrupatla, xatol 1e-10 h) to 1e-10 h, and refine_brackets
    needs fewer pk.simulate calls (find_root: one per iteration, plus its two calls on the bracket ends)."""
    from scipy.optimize import elementwise

    p = pk.PKParams.adult()
    if curve == "oral-staggered-dialysis":
        events = [pk.Dose(0.0, 800.0, "oral"), pk.Dose(1.5, 400.0, "oral"), pk.Dose(30.0, 600.0, "oral")]
        events += [pk.haemodialysis(6.0), pk.haemodialysis(30.0)]
        p, levels, grid, out = p.with_(cl_L_per_h=0.1 * p.cl_L_per_h), [1.0, 5.0, 10.0], 0.02, "plasma"
    else:  # a CSF drainage 6 h into a fourfold intrathecal infusion: the fall across both levels is a jump
        events = [pk.Infusion(0.0, 100.0, 4 * 0.025, "it"), pk.CsfDrain(6.0, 0.3)]
        levels, grid, out = [2.5, 3.0], 0.35, "csf"  # 6 h is inside a grid interval

    def engine(t: np.ndarray) -> np.ndarray:
        return getattr(pk.simulate(events, p, t), f"{out}_mg_per_L")

    g = np.arange(0.0, 100.0 + grid, grid)
    br = _brackets(engine, g, levels)
    assert len(br) >= (6 if curve == "it-csf-drain-jump" else 2)
    f = _Counted(engine)
    roots, _, calls = refine_brackets(f, br, xtol=1e-10)
    a, b, lvl = (np.array([r[i] for r in br]) for i in (0, 1, 4))
    sp = _Counted(engine)
    res = elementwise.find_root(
        lambda x, c: sp(np.unique(x))[np.unique(x, return_inverse=True)[1]] - c,
        (a, b),
        args=(lvl,),
        tolerances={"xatol": 1e-10, "xrtol": 0.0, "fatol": 0.0, "frtol": 0.0},
    )
    assert np.all(res.success)
    np.testing.assert_allclose(roots, res.x, rtol=0, atol=1e-10)
    assert calls == f.calls < sp.calls
