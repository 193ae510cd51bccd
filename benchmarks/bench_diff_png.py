"""What a blitted update sends to the browser: size and encoding time of ipympl's diff PNG, no browser.

ipympl (matplotlib's ``backend_webagg_core.get_diff_image``) sends, after each draw, a PNG of the pixels that
changed since the last frame (unchanged pixels transparent black). This script steps one control of an app
on an Agg canvas through the app's own drawing path, builds that same diff image for every step and prints
the mean PNG size, the PNG encoding time (Pillow, as ipympl), the fraction of changed pixels and how many
steps changed the axis limits (a full redraw). For CohortApp it also tries picture variants (solid band
colour, no antialiasing, fewer grid lines, one curve at a time): which part of the picture makes the PNG big.

Run: ``.venv/bin/python benchmarks/bench_diff_png.py``
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.colors import to_rgb
from PIL import Image

from baclofen_teach import apps, plotting


def _buffer(app: Any) -> np.ndarray:
    app.draw()  # non-interactive app: the blitting path on its Agg canvas
    return np.asarray(app.figure.canvas.buffer_rgba()).copy()


def _diff_png(prev: np.ndarray, cur: np.ndarray, reps: int = 5) -> tuple[int, float, float]:
    """(PNG bytes, encoding ms, changed fraction) of the diff image, as get_diff_image builds it."""
    old, new = prev.view(np.uint32).squeeze(2), cur.view(np.uint32).squeeze(2)
    changed = new != old
    data = np.where(changed, new, 0).view(np.uint8).reshape((*new.shape, 4))
    t0 = time.perf_counter()
    for _ in range(reps):
        with io.BytesIO() as png:
            Image.fromarray(data).save(png, format="png")
            size = len(png.getvalue())
    return size, (time.perf_counter() - t0) / reps * 1e3, float(changed.mean())


def measure(app: Any, control: str, values: list[Any]) -> tuple[float, float, float, int]:
    """Mean kB, mean encoding ms, mean changed fraction, number of steps that changed the axis limits."""
    app.set(**{control: values[0]})
    prev = _buffer(app)
    rows, rescaled = [], 0
    for v in values[1:]:
        limits = [ax.get_ylim() for ax in app.figure.axes]
        app.set(**{control: v})
        cur = _buffer(app)
        rescaled += limits != [ax.get_ylim() for ax in app.figure.axes]
        rows.append(_diff_png(prev, cur))
        prev = cur
    kb, ms, frac = (float(np.mean(col)) for col in zip(*rows, strict=True))
    return kb / 1e3, ms, frac, rescaled


def _solid_band(app: Any) -> None:
    band = app.artists["band"]
    rgb = np.array(to_rgb(plotting.PALETTE[0]))
    band.set_facecolor(tuple(0.25 * rgb + 0.75))  # the same colour as alpha 0.25 over white, opaque
    band.set_alpha(None)


def _hide(*names: str) -> Callable[[Any], None]:
    return lambda app: [app.artists[n].set_visible(False) for n in names]


COHORT_VARIANTS: dict[str, Callable[[Any], None]] = {
    "as shipped": lambda app: None,
    "band in a solid colour (no alpha)": _solid_band,
    "band antialiasing off": lambda app: app.artists["band"].set_antialiased(False),
    "horizontal grid lines only": lambda app: app.ax.grid(False, axis="x"),
    "no grid lines": lambda app: app.ax.grid(False),
    "curves' antialiasing off": lambda app: [
        app.artists[k].set_antialiased(False) for k in ("median", "patient")
    ],
    "curves 1.5 px instead of 2": lambda app: [
        app.artists[k].set_linewidth(1.5) for k in ("median", "patient")
    ],
    "only the band changes (curves hidden)": _hide("median", "patient"),
    "only the median changes": _hide("band", "patient"),
    "only the patient changes": _hide("band", "median"),
}


def main() -> None:
    toggle = [20.0, 25.0, 20.0, 25.0, 20.0]  # what bench_browser_latency.py presses (ArrowRight/ArrowLeft)
    sweep = [5.0 * k for k in range(1, 21)]  # 5 -> 100 mg, one step at a time
    print("bench_diff_png: ipympl diff PNG per update (mean over steps), Agg, no browser")
    print(f"  {'case':64s} {'PNG':>8s} {'encode':>8s} {'changed':>8s} {'rescaled':>9s}")

    def row(label: str, app: Any, control: str, values: list[Any]) -> None:
        kb, ms, frac, resc = measure(app, control, values)
        print(f"  {label:64s} {kb:5.1f} kB {ms:5.1f} ms {100 * frac:6.1f} % {resc:4d}/{len(values) - 1}")

    row(
        "HalfLifeApp half_life_h 3.0 <-> 3.5 h",
        apps.HalfLifeApp(interactive=False),
        "half_life_h",
        [3.0, 3.5, 3.0, 3.5, 3.0],
    )
    for label, tweak in COHORT_VARIANTS.items():
        app = apps.CohortApp(interactive=False)
        tweak(app)
        row(f"CohortApp dose 20 <-> 25 mg, {label}", app, "dose_mg", toggle)
    row("CohortApp dose 5 -> 100 mg, as shipped", apps.CohortApp(interactive=False), "dose_mg", sweep)


if __name__ == "__main__":
    main()
