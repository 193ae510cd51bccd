"""Benchmark: a virtual cohort of 1,000 patients for 7 days on a 15-minute grid (672,000 output points)
against one engine call for one patient on a 672,000-point grid, in the same run; peak memory by tracemalloc.

Targets (issue 14): cohort time <= 10 x the engine call, peak memory <= 100 MB. Run:
``.venv/bin/python benchmarks/bench_population.py``.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
from bench_simulate import best_of

from baclofen_teach import pk
from baclofen_teach import population as pop


def run() -> dict[str, float]:
    doses = [pk.Dose(time_h=8.0 * i, amount_mg=20.0, route="oral") for i in range(21)]
    grid = np.arange(672) * 0.25
    cohort = pop.draw_cohort("simon2018", 1000, seed=0)
    long_grid = np.linspace(0.0, 168.0, 672_000)
    p = pop.typical_params("simon2018")
    engine_s = best_of(lambda: pk.simulate(doses, p, long_grid), 5)
    cohort_s = best_of(lambda: pop.simulate_cohort(cohort, doses, grid), 5)
    tracemalloc.start()
    pop.simulate_cohort(cohort, doses, grid)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "engine_672k_points_ms": engine_s * 1e3,
        "cohort_1000x672_ms": cohort_s * 1e3,
        "ratio": cohort_s / engine_s,
        "peak_MB": peak / 1e6,
    }


if __name__ == "__main__":
    r = run()
    for k, val in r.items():
        print(f"{k}: {val:.2f}")
    ok = r["ratio"] <= 10.0 and r["peak_MB"] <= 100.0
    print("PASS" if ok else "FAIL", "(targets: ratio <= 10, peak <= 100 MB)")
    raise SystemExit(0 if ok else 1)
