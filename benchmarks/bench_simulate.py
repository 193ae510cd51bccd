"""Benchmark: one year of oral baclofen every 8 h on a 1-minute grid, CSF compartment on.

1,095 doses, 525,600 time points. Prints the time of ``pk.simulate`` as a ratio to one ``np.exp``
over the same grid (target: at most 8) and as a ratio to ``scipy.integrate.solve_ivp`` (LSODA,
rtol 1e-8) on the same problem. Timings are printed, never asserted.

Run: ``.venv/bin/python benchmarks/bench_simulate.py`` (add ``--full-ode`` to time the ODE solver on
the whole year instead of the first 30 days, scaled up linearly).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.integrate import solve_ivp

from baclofen_teach import pk


def best_of(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Best wall time of ``repeat`` calls, s."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def ode_reference(p: pk.PKParams, dose_mg: float, tau_h: float, n_doses: int, t: np.ndarray) -> np.ndarray:
    """Plasma concentration by LSODA (rtol 1e-8), restarted at each dose; returns C_p at ``t``."""
    q = p.csf_plasma_ratio * p.cl_csf_L_per_h

    def rhs(_t: float, x: np.ndarray) -> list[float]:
        g, a, c = x
        cp, cc = a / p.v_L, c / p.v_csf_L
        return [
            -p.ka_per_h * g,
            p.ka_per_h * g - (p.cl_L_per_h + q) * cp + p.cl_csf_L_per_h * cc,
            q * cp - p.cl_csf_L_per_h * cc,
        ]

    out = np.empty_like(t)
    x = np.zeros(3)
    for k in range(n_doses):
        a, b = k * tau_h, (k + 1) * tau_h
        x[0] += p.f_oral * dose_mg
        sel = (t >= a) & (t < b)
        sol = solve_ivp(rhs, (a, b), x, method="LSODA", rtol=1e-8, atol=1e-12, t_eval=np.append(t[sel], b))
        out[sel] = sol.y[1, :-1] / p.v_L
        x = sol.y[:, -1]
    return out


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the results."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--full-ode", action="store_true", help="run solve_ivp on the full year (slow)")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args(argv)

    p = pk.PKParams.adult()  # CSF on
    tau, n_doses, dose = 8.0, 1095, 10.0
    t = np.arange(525_600) / 60.0  # one year, 1-minute grid, h
    events = pk.repeated_doses(dose, tau, n_doses=n_doses)

    sim = pk.simulate(events, p, t)  # warm-up
    t_sim = best_of(lambda: pk.simulate(events, p, t), args.repeat)
    x = -p.ke_per_h * (t % tau)
    t_exp = best_of(lambda: np.exp(x), args.repeat)

    ode_days = 365 if args.full_ode else 30
    n_ode = ode_days * 3
    t_ode_grid = t[t < n_ode * tau]
    t0 = time.perf_counter()
    ref = ode_reference(p, dose, tau, n_ode, t_ode_grid)
    t_ode = (time.perf_counter() - t0) * (n_doses / n_ode)
    err = np.max(np.abs(sim.plasma_mg_per_L[: t_ode_grid.size] - ref)) / np.max(ref)

    print(f"problem: {n_doses} oral doses every {tau:g} h, {t.size} time points (1-min grid), CSF on")
    print(f"pk.simulate            : {t_sim * 1e3:8.2f} ms (best of {args.repeat})")
    print(f"np.exp over the grid   : {t_exp * 1e3:8.2f} ms")
    print(f"ratio simulate / np.exp: {t_sim / t_exp:8.2f}   (target <= 8)")
    scope = (
        "full year" if args.full_ode else f"first {ode_days} days, scaled x{n_doses / n_ode:.2f} to a year"
    )
    print(f"solve_ivp LSODA rtol 1e-8: {t_ode:8.2f} s ({scope})")
    print(f"ratio solve_ivp / simulate: {t_ode / t_sim:8.0f}x")
    print(f"max |simulate - LSODA| / max C over the ODE horizon: {err:.1e}")

    # secondary: the per-point (general) path, used when events are not equally spaced on the grid
    tid = pk.clock_time_doses(dose, 365)  # 08:00, 14:00, 20:00: unequal intervals
    t_tid = best_of(lambda: pk.simulate(tid, p, t), max(2, args.repeat // 2))
    print(
        f"general path (TID at 08/14/20 h, same grid): {t_tid * 1e3:8.2f} ms = {t_tid / t_exp:6.1f} x np.exp"
    )


if __name__ == "__main__":
    main()
