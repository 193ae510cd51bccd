"""Benchmark: the scenario results' crossing and peak refinement, ``_numerics.refine_brackets`` against
``scipy.optimize.elementwise`` (``find_root`` and ``find_minimum``) on the same problems, in the same run.

For each scenario (oral, IV, intrathecal, overdose, pump and withdrawal), the script runs the real result
once while recording every ``refine_brackets`` problem it solves (brackets built from the engine's values
on the search grid), then solves the same problems with scipy: all roots in one vectorised ``find_root``
(``xatol`` 1e-10 h, the tolerance of the package and its tests; ``xrtol = fatol = frtol = 0``) and the
peak with ``find_minimum`` on ``-f`` (its 3-point bracket: the best grid point and its neighbours).
The curve is ``pk.simulate``, whose cost is mostly per call, so the number that matters is the number of
engine calls. scipy is counted at its best: the curve is memoised, so the bracket ends it evaluates
first (two separate calls for ``find_root``, three for ``find_minimum``) cost nothing, like the grid
values refine_brackets is given. Printed per problem: engine calls of each, refinement time (best of 5)
and the largest difference of the roots (h) and of the peak (time in h, value relative); then the whole
scenario's time and engine calls with the package as it is. Run:
``.venv/bin/python benchmarks/bench_scenarios.py``. Prints numbers, never asserts timings.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from bench_simulate import best_of
from scipy.optimize import elementwise

from baclofen_teach import _numerics, overdose, pk, pump, scenario, withdrawal

XTOL = 1e-10  # h: the package's tolerance (scenario.first_crossings, time_above_levels) and the tests'
ADULT = pk.PKParams.adult()


class Memo:
    """The curve, memoised; ``calls`` counts only the calls that needed the engine."""

    def __init__(self, f: Callable[[np.ndarray], np.ndarray], known: list[tuple[float, float]]) -> None:
        self.f, self.calls = f, 0
        self.memo = {float(x): float(y) for x, y in known}

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        flat = x.ravel().tolist()
        need = sorted({t for t in flat if t not in self.memo})
        if need:
            self.calls += 1
            vals = np.asarray(self.f(np.array(need)), dtype=float).tolist()
            self.memo.update(zip(need, vals, strict=True))
        return np.array([self.memo[t] for t in flat]).reshape(x.shape)


def iv_bolus_and_infusion() -> Any:
    """No scenario module takes IV doses; the toolkit on an IV bolus plus a 12 h infusion (peak at 0 h)."""
    ev = [pk.Dose(0.0, 20.0, "iv"), pk.Infusion(0.0, 12.0, 2.0, "iv")]

    def f(t: np.ndarray) -> np.ndarray:
        return pk.simulate(ev, ADULT, np.asarray(t, dtype=float)).plasma_mg_per_L

    return scenario.time_above_levels(
        f, [0.2, 0.5, 1.0], 200.0, 30.0, 0.02, peak_grid=np.linspace(0, 30, 3001)
    )


CASES: dict[str, Callable[[], Any]] = {
    "oral overdose 1200 mg": lambda: overdose.oral_overdose(1200.0, duration_h=96.0),
    "oral 10 mg tid x 15": lambda: overdose.oral_overdose(doses=[(8.0 * i, 10.0) for i in range(15)]),
    "oral staggered, dialysis": lambda: overdose.oral_overdose(
        doses=[(0.0, 800.0), (1.5, 400.0), (30.0, 600.0)],
        kidneys="failed",
        extracorporeal=[overdose.haemodialysis(6.0), overdose.haemofiltration(12.0, 24.0)],
    ),
    "IV bolus + infusion": iv_bolus_and_infusion,
    "IT overdose fourfold": lambda: overdose.intrathecal_overdose(600.0, 2400.0),
    "IT bolus, empty, drain": lambda: overdose.intrathecal_overdose(
        600.0, 2400.0, bolus_ug=500.0, pump_emptied_at_h=6.0, csf_removed_mL=40.0, csf_removed_at_h=6.0
    ),
    "pump catheter failure": lambda: pump.catheter_failure(600.0, failure_time_h=24.0),
    "pump catheter, renal": lambda: pump.catheter_failure(
        100.0, failure_time_h=0.0, params=pk.PKParams.renal(10.0), step_h=0.02
    ),
    "pump missed refill": lambda: pump.missed_refill(pump.plan_pump(600.0, 2000.0, 20.0)),
    "pump battery end": lambda: pump.battery_end(600.0, eri_time_h=100.0),
    "pump mix-up (under)": lambda: pump.concentration_mixup(600.0, 2000.0, 50.0),
    "withdrawal oral 60 mg/d": lambda: withdrawal.oral_withdrawal(
        60.0, doses_per_day=3, days_on=7, params=ADULT
    ),
}


def record(make: Callable[[], Any]) -> list[tuple[Any, list[Any], list[Any], tuple[Any, ...]]]:
    """The refine_brackets problems (f, roots, peaks, result) that one scenario result solves."""
    real = _numerics.refine_brackets
    rec: list[tuple[Any, list[Any], list[Any], tuple[Any, ...]]] = []

    def recording(f, roots=(), peaks=(), **kw):  # noqa: ANN001, ANN003, ANN202
        out = real(f, roots, peaks, **kw)
        rec.append((f, list(roots), list(peaks), out))
        return out

    scenario.refine_brackets, withdrawal.refine_brackets = recording, recording  # type: ignore[assignment]
    try:
        make()
    finally:
        scenario.refine_brackets, withdrawal.refine_brackets = real, real  # type: ignore[assignment]
    return rec


def scipy_solve(
    f: Any, roots: list[Any], peaks: list[Any], peak_tol: dict[str, float] | None
) -> dict[str, Any]:
    known = [(r[0], r[2]) for r in roots] + [(r[1], r[3]) for r in roots]
    known += [(q[i], q[i + 3]) for q in peaks for i in range(3)]
    m = Memo(f, known)
    out: dict[str, Any] = {"roots": np.empty(0), "peak": None, "peak_ok": True}
    if roots:
        a, b, lvl = (np.array([r[i] for r in roots]) for i in (0, 1, 4))
        res = elementwise.find_root(
            lambda x, c: m(x) - c,
            (a, b),
            args=(lvl,),
            tolerances={"xatol": XTOL, "xrtol": 0.0, "fatol": 0.0, "frtol": 0.0},
        )
        assert np.all(res.success), res.status
        out["roots"] = res.x
    out["root_calls"] = m.calls
    for lo, x, hi, flo, fx, fhi in peaks:
        if not (lo < x < hi and flo < fx >= fhi):  # find_minimum needs x1 < x2 < x3, f(x1) > f(x2) <= f(x3)
            out["peak_ok"] = False
            continue
        res = elementwise.find_minimum(lambda t: -m(t), (lo, x, hi), tolerances=peak_tol, maxiter=200)
        out["peak"] = (float(res.x), float(-res.f_x))
    out["calls"] = m.calls
    return out


def main() -> None:
    peak_tols: dict[str, dict[str, float] | None] = {
        "default": None,
        "xatol 1e-10": {"xatol": XTOL, "xrtol": 0.0, "fatol": 0.0, "frtol": 0.0},
    }
    head = (
        f"{'problem':28s} {'roots':>5s} {'peak':>4s} | {'refine_brackets':>15s} | scipy calls: roots, "
        f"{'+peak (default tol; xatol 1e-10)':33s} | {'time rb / scipy':>16s} | "
        "max|dx| roots h, peak dt h, df rel"
    )
    print(head)
    tot = {"rb": 0, "sp": 0, "t_rb": 0.0, "t_sp": 0.0}
    with_scipy: dict[str, int] = {}  # engine calls of the refinement if scipy did what it can
    for name, make in CASES.items():
        rec = record(make)
        with_scipy[name] = -sum(r[3][2] for r in rec)
        for k, (f, roots, peaks, (r_out, p_out, rb_calls)) in enumerate(rec):
            label = name if len(rec) == 1 else f"{name} ({k + 1}/{len(rec)})"
            sp = {key: scipy_solve(f, roots, peaks, tol) for key, tol in peak_tols.items()}
            t_rb = best_of(
                lambda f=f, roots=roots, peaks=peaks: _numerics.refine_brackets(f, roots, peaks), 5
            )
            t_sp = best_of(lambda f=f, roots=roots, peaks=peaks: scipy_solve(f, roots, peaks, None), 5)
            dx = float(np.max(np.abs(r_out - sp["default"]["roots"]))) if roots else math.nan
            if peaks and sp["default"]["peak_ok"]:
                (xr, fr), (xs, fs) = p_out[0], sp["default"]["peak"]
                peak_s = f"{xs - xr:+.1e}, {(fs - fr) / fr:+.1e}"
                peak_calls = f"+{sp['default']['calls'] - sp['default']['root_calls']}; "
                peak_calls += f"+{sp['xatol 1e-10']['calls'] - sp['xatol 1e-10']['root_calls']}"
            elif peaks:  # refine_brackets would still refine this peak: its calls for the peak alone
                peak_s, peak_calls = "-", "invalid 3-point bracket (corner)"
                with_scipy[name] += _numerics.refine_brackets(f, peaks=peaks)[2]
            else:
                peak_s, peak_calls = "-", "-"
            with_scipy[name] += sp["default"]["calls"]
            print(
                f"{label:28s} {len(roots):5d} {len(peaks):4d} | {rb_calls:15d} | "
                f"{sp['default']['root_calls']:11d}, {peak_calls:33s} | "
                f"{t_rb * 1e3:6.2f} / {t_sp * 1e3:6.2f} ms | {dx:.1e}, {peak_s}"
            )
            tot["rb"] += rb_calls
            tot["sp"] += sp["default"]["calls"]
            tot["t_rb"] += t_rb
            tot["t_sp"] += t_sp
    print(
        f"total engine calls in the refinement: refine_brackets {tot['rb']}, scipy {tot['sp']} (scipy's "
        "peak at default tolerances, corner peaks not counted); refinement time "
        f"{tot['t_rb'] * 1e3:.1f} ms vs {tot['t_sp'] * 1e3:.1f} ms (ratio scipy / refine_brackets "
        f"{tot['t_sp'] / tot['t_rb']:.2f})"
    )
    print(
        f"\n{'whole scenario result (package as is)':40s} {'engine calls':>12s} {'time, best of 5':>16s}"
        "   engine calls with scipy where it can (memoised ends; +2 per find_root, +3 per find_minimum "
        "without)"
    )
    for name, make in CASES.items():
        real, count = pk.simulate, [0]

        def counting(*args, count=count, real=real, **kwargs):  # noqa: ANN002, ANN003, ANN202
            count[0] += 1
            return real(*args, **kwargs)

        pk.simulate = counting
        try:
            make()
        finally:
            pk.simulate = real
        print(
            f"{name:40s} {count[0]:12d} {best_of(make, 5) * 1e3:13.1f} ms   {count[0] + with_scipy[name]:d}"
        )


if __name__ == "__main__":
    main()
