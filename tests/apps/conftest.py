"""Helpers for the headless app tests: drive every control to its minimum, maximum and seeded random
values."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from typing import Any

import ipywidgets as W
import numpy as np
import pytest


def control_values(widget: W.Widget, rng: np.random.Generator, n_random: int = 3) -> list[Any]:
    """Minimum, maximum and ``n_random`` seeded random allowed values of one control."""
    if isinstance(widget, (W.Dropdown, W.ToggleButtons, W.RadioButtons)):
        return [opt[1] if isinstance(opt, tuple) else opt for opt in widget.options]
    if isinstance(widget, W.Checkbox):
        return [False, True]
    if isinstance(widget, W.FloatLogSlider):
        lo, hi = widget.min, widget.max
        exps = [lo, hi, *rng.uniform(lo, hi, n_random)]
        return [float(widget.base**e) for e in exps]
    lo, hi = widget.min, widget.max
    if isinstance(widget, W.IntSlider):
        return [int(lo), int(hi), *(int(v) for v in rng.integers(lo, hi + 1, n_random))]
    step = widget.step or 0.0
    vals = [float(lo), float(hi)]
    for v in rng.uniform(lo, hi, n_random):
        if step:
            v = lo + round((v - lo) / step) * step
        vals.append(float(min(max(v, lo), hi)))
    return vals


def sweep(
    app: Any, seed: int = 20260415, n_random: int = 3, names: tuple[str, ...] | None = None
) -> Iterator[tuple[str, Any]]:
    """Yield (control name, value) after setting each control (or each of ``names``) to each of its test
    values, in turn. Every other control keeps its current value. Any warning raised by the update is an
    error.
    """
    rng = np.random.default_rng(seed)
    for name, widget in list(app.controls.items()):
        if names is not None and name not in names:
            continue
        start = widget.value
        for value in control_values(widget, rng, n_random):
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                app.set(**{name: value})
            yield name, value
        app.set(**{name: start})


def assert_ok(app: Any, context: str = "") -> None:
    """No error in the status readout, all readouts are text and all numbers finite."""
    assert not app.readouts["status"].startswith("Error"), f"{context}: {app.readouts['status']}"
    assert all(isinstance(v, str) and v for v in app.readouts.values()), (context, app.readouts)
    for k, v in app.numbers.items():
        assert isinstance(v, float), (context, k, v)
        assert not math.isnan(v), (context, k)


@pytest.fixture(autouse=True)
def _no_warnings() -> Iterator[None]:
    """Every app test runs with warnings as errors: no warning may escape to a student."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
