"""Reusable widget apps: one call in a notebook gives controls, a live figure and text readouts.

Contract (GUIDE.md, "Widget apps")::

    from baclofen_teach import apps
    app = apps.HalfLifeApp(dose_mg=20)   # also OralDosingApp, RoutesApp, PumpApp, OverdoseApp
    app.static()      # PNG with alt text + key numbers as text (no browser needed; GitHub, nbviewer, nbval)
    app               # last expression of a cell: the live widget
    app.controls      # dict name -> ipywidget (labels carry units)
    app.figure        # the matplotlib Figure (created once, artists updated in place)
    app.readouts      # dict name -> str (also shown as text, in an aria-live region, under the figure)
    app.set(dose_mg=40, half_life_h=6)   # change controls programmatically, one update

Extras: ``app.numbers`` (dict name -> float behind the readouts, unit in the key), ``app.artists`` (named
artists updated in place), ``app.widget`` (the root ipywidget), ``app.value(name)``.

Safety: nothing a student types crashes the notebook. ``set()`` with a value outside a control's range keeps
the old value and explains the allowed range in ``app.readouts["status"]``; model errors are shown there too.
Overdose-size inputs are simulated and flagged, never refused. An unknown control name raises ``TypeError``
(a typo should not pass silently).

Backend decision (measured, see ``benchmarks/README.md`` and ``benchmarks/bench_browser_latency.py``)
---------------------------------------------------------------------------------------------------
Each app draws with an **ipympl canvas** (an ipywidget) created without pyplot, so notebooks never call
``%matplotlib`` and no global backend is changed. Updates call ``set_data`` on the existing artists and then
``canvas.draw_idle()``; ipympl sends only the changed pixels.

The alternative, a fixed-size ``Output`` widget re-displaying a PNG with ``clear_output(wait=True)``, was
measured against it in the same Chromium (Debian /usr/bin/chromium, Voila 0.5.13, 2-core machine), keyboard
ArrowRight on the slider handle to changed pixels (median of 20 presses):

* one-panel sine plot, 6 x 3.5 in: ipympl 82 ms, Output 66 ms;
* two-panel figure like the apps' (9 x 3.6 in, log axis, shaded band): ipympl 113 ms, Output 133 ms;
* flicker: with ``wait=True`` and a fixed height, neither showed a frame without an image or a layout jump.

On the app-sized figures ipympl is faster (it sends a PNG diff rather than a whole new image and the browser
does not decode and re-lay-out a new ``<img>``), and it keeps zoom, pan and "save figure" in the toolbar, so
ipympl is the choice. The app numbers are printed by ``benchmarks/bench_browser_latency.py`` next to a trivial
sine plot measured in the same run.

Without a front end (plain pytest, nbval) the same code runs: ``draw_idle`` is then only a message, the
artists still hold the data, and ``static()`` renders with Agg.

Educational model, not dosing advice.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._base import DISCLAIMER, BaseApp

__all__ = [
    "BaseApp",
    "DISCLAIMER",
    "HalfLifeApp",
    "OralDosingApp",
    "RoutesApp",
    "PumpApp",
    "OverdoseApp",
    "ALL_APPS",
]

_MODULES = {
    "HalfLifeApp": "half_life",
    "OralDosingApp": "oral_dosing",
    "RoutesApp": "routes",
    "PumpApp": "pump_app",
    "OverdoseApp": "overdose_app",
}

#: Names of every app class, in teaching order.
ALL_APPS: tuple[str, ...] = tuple(_MODULES)


def __getattr__(name: str) -> Any:
    """Import each app lazily, so that one app's module does not need the others' dependencies."""
    if name in _MODULES:
        module = importlib.import_module(f".{_MODULES[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_MODULES))
