"""Python-side update cost of each widget app: control change -> model -> artists updated -> drawn.

For each app, one or two controls are stepped through ~30 values (like arrow-key presses) and each update is
timed as ``app.set(name=value)`` (model, artists, readouts) plus ``app.draw()`` (the app's real drawing path:
restore the cached background and draw the changed artists; a full draw when axis limits change) on an Agg
canvas, i.e. everything the kernel does except sending the PNG diff to the browser.

Printed next to it, from the same run: the model alone, a full ``FigureCanvasAgg.draw`` of the same figure
(what a naive redraw would cost) and a baseline: a one-line sine plot updated with ``set_ydata`` + full draw.
Target: median update <= 30 ms on a 2-core machine. Numbers are printed, never asserted.

Run: ``.venv/bin/python benchmarks/bench_apps.py``
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from baclofen_teach import apps, plotting

N_UPDATES = 30
TARGET_MS = 30.0

# (app class name, constructor kwargs, control, values to step through)
CASES: list[tuple[str, dict[str, Any], str, list[Any]]] = [
    ("HalfLifeApp", {}, "half_life_h", [round(3.0 + 0.1 * i, 1) for i in range(N_UPDATES)]),
    ("HalfLifeApp", {}, "dose_mg", [20.0 + i for i in range(N_UPDATES)]),
    ("OralDosingApp", {}, "dose_mg", [10.0 + 2.5 * (i % 8) for i in range(N_UPDATES)]),
    ("OralDosingApp", {}, "crcl_mL_per_min", [100.0 - 5 * (i % 12) for i in range(N_UPDATES)]),
    ("RoutesApp", {}, "it_ug_per_day", [500.0 + 10 * i for i in range(N_UPDATES)]),
    ("PumpApp", {"scenario": "catheter"}, "daily_dose_ug", [500.0 + 25 * (i % 10) for i in range(N_UPDATES)]),
    ("PumpApp", {"scenario": "catheter"}, "failure_day", [10.0 + (i % 10) for i in range(N_UPDATES)]),
    ("OverdoseApp", {}, "amount_mg", [600.0 + 10 * i for i in range(N_UPDATES)]),
    ("OverdoseApp", {"route": "intrathecal"}, "drain_h", [2.0 + 0.5 * i for i in range(N_UPDATES)]),
    ("CohortApp", {}, "dose_mg", [10.0 + 5 * (i % 12) for i in range(N_UPDATES)]),
    # a new kidney function draws the 500-patient cohort again (the other controls reuse it)
    ("CohortApp", {}, "crcl_mL_per_min", [100.0 - 5 * (i % 12) for i in range(N_UPDATES)]),
    ("MonitoringApp", {}, "seed", [1 + i for i in range(N_UPDATES)]),
    ("MonitoringApp", {}, "t1_h", [0.25 * (1 + i % 24) for i in range(N_UPDATES)]),
]


def _median_ms(fn: Callable[[int], Any], n: int) -> float:
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(times)


def baseline_sine_ms() -> float:
    """One-line sine plot: set_ydata + full Agg draw (the trivial plot of the browser benchmark)."""
    fig = plotting.new_figure(6.0, 3.5)
    ax = fig.subplots()
    x = np.linspace(0, 10, 400)
    (line,) = ax.plot(x, np.sin(x))
    fig.canvas.draw()

    def step(i: int) -> None:
        line.set_ydata(np.sin((1 + 0.1 * i) * x))
        fig.canvas.draw()

    return _median_ms(step, N_UPDATES)


def bench_case(cls_name: str, kwargs: dict[str, Any], control: str, values: list[Any]) -> dict[str, float]:
    app = getattr(apps, cls_name)(interactive=False, **kwargs)
    app.draw()
    canvas = app.figure.canvas

    def update(i: int) -> None:
        app.set(**{control: values[i]})
        app.draw()

    def model(i: int) -> None:
        app._compute()

    update_ms = _median_ms(update, len(values))
    assert app.readouts["status"].find("Error") < 0, app.readouts["status"]
    model_ms = _median_ms(model, min(10, len(values)))
    full_ms = _median_ms(lambda i: FigureCanvasAgg.draw(canvas), 5)
    return {"update": update_ms, "model": model_ms, "full_draw": full_ms}


def main() -> list[tuple[str, dict[str, float]]]:
    gc.collect()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"bench_apps: Python-side update per control change, median of {N_UPDATES} (load avg {load:.1f})")
    base = baseline_sine_ms()
    print(f"  baseline one-line sine plot, set_ydata + full draw: {base:6.1f} ms")
    header = (
        f"  {'app.control':38s} {'update+draw':>11s} {'model':>7s} {'full draw':>9s} {'vs sine':>7s}  target"
    )
    print(header)
    rows = []
    for cls_name, kwargs, control, values in CASES:
        r = bench_case(cls_name, kwargs, control, values)
        ok = "ok" if r["update"] <= TARGET_MS else f"> {TARGET_MS:g} ms"
        label = f"{cls_name}.{control}" + (
            f" ({', '.join(f'{k}={v}' for k, v in kwargs.items())})" if kwargs else ""
        )
        print(
            f"  {label:38s} {r['update']:8.1f} ms {r['model']:5.1f} ms {r['full_draw']:6.1f} ms "
            f"{r['update'] / base:6.2f}x  {ok}"
        )
        rows.append((label, r))
    return rows


if __name__ == "__main__":
    main()
