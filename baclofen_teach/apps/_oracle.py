"""The visual oracle of the apps: the canvas must equal a full, non-blitted redraw of the same state.

Used by the headless tests (``tests/apps/test_render_oracle.py``), the browser tests
(``tests/browser/test_apps_browser.py``) and the benchmarks. Three pieces:

* :func:`full_render` renders an app's figure from scratch with Agg (no cached background, no blitting) at
  the figure's own pixel size, as an ``(height, width, 3)`` uint8 array;
* :func:`mismatch` is the fraction of pixels that differ visibly between two such images;
* :func:`keyboard_step` says which key a keyboard user presses on a control to change it by one step, and the
  value the control then holds (what the browser's slider or menu does), so a model-side copy of an app can
  follow a browser page step by step.

Educational model, not dosing advice.
"""

from __future__ import annotations

import contextlib
import io
import math
from typing import Any

import ipywidgets as W
import numpy as np

__all__ = ["full_render", "mismatch", "keyboard_step", "png_to_rgb", "MISMATCH_TOLERANCE"]

#: A pixel differs "visibly" when one of its channels differs by more than this (0-255).
PIXEL_THRESHOLD = 48
#: Largest fraction of visibly different pixels still accepted as "the same picture" (0.2 %): a lost axis
#: frame, tick labels or a legend changes 2-10 % of a 900 x 400 canvas; a single stray 1-px line ~0.1 %.
MISMATCH_TOLERANCE = 0.002


def png_to_rgb(data: bytes) -> np.ndarray:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("RGB"))


def full_render(app: Any) -> np.ndarray:
    """The app's figure drawn from scratch with Agg at its own dpi and size (RGB uint8)."""
    from baclofen_teach import plotting

    lock = getattr(app, "_lock", None)
    if lock is None:
        return png_to_rgb(plotting.figure_png(app.figure))
    with lock:
        return png_to_rgb(plotting.figure_png(app.figure))


def canvas_rgb(app: Any) -> np.ndarray:
    """What the app's own canvas holds now (after its blitted updates), RGB uint8. A non-interactive app
    (Agg canvas) draws only on request: it is drawn here, through the same blitting path."""
    with getattr(app, "_lock", contextlib.nullcontext()):
        if not app.interactive:
            app.draw()
        return np.asarray(app.figure.canvas.buffer_rgba())[..., :3].copy()


def mismatch(a: np.ndarray, b: np.ndarray, threshold: int = PIXEL_THRESHOLD) -> float:
    """Fraction of pixels whose largest channel difference exceeds ``threshold``; 1.0 if sizes differ."""
    if a.shape != b.shape:
        return 1.0
    diff = np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=-1)
    return float((diff > threshold).mean())


def _options(widget: W.Widget) -> list[Any]:
    return [opt[1] if isinstance(opt, tuple) else opt for opt in widget.options]


def keyboard_step(widget: W.Widget) -> tuple[str, Any] | None:
    """``(key, new value)`` of one keyboard step on ``widget``: ArrowRight on a slider (ArrowLeft at its
    maximum), ArrowDown in a menu (ArrowUp on its last option), Space on a checkbox.
    None if it cannot move."""
    if isinstance(widget, W.Checkbox):
        return "Space", not widget.value
    if isinstance(widget, W.Dropdown | W.ToggleButtons | W.RadioButtons):
        opts = _options(widget)
        if len(opts) < 2:
            return None
        i = opts.index(widget.value)
        return ("ArrowDown", opts[i + 1]) if i + 1 < len(opts) else ("ArrowUp", opts[i - 1])
    if isinstance(widget, W.FloatLogSlider):
        exp = math.log(widget.value, widget.base)
        k = round((exp - widget.min) / widget.step)
        n = round((widget.max - widget.min) / widget.step)
        k2 = k + 1 if k < n else k - 1
        key = "ArrowRight" if k2 > k else "ArrowLeft"
        return key, float(f"{widget.base ** (widget.min + k2 * widget.step):.12g}")
    if isinstance(widget, W.IntSlider):
        step = widget.step or 1
        new = widget.value + step if widget.value + step <= widget.max else widget.value - step
        return ("ArrowRight" if new > widget.value else "ArrowLeft"), int(new)
    if isinstance(widget, W.FloatSlider):
        step = widget.step
        k = round((widget.value - widget.min) / step)
        n = math.floor((widget.max - widget.min) / step + 1e-9)
        k2 = k + 1 if k < n else k - 1
        key = "ArrowRight" if k2 > k else "ArrowLeft"
        return key, float(f"{widget.min + k2 * step:.12g}")
    return None
