"""Reusable widget apps: one call in a notebook gives controls, a live figure and text readouts.

Contract (docs/developers.md, "Widget apps")::

    from baclofen_teach import apps
    app = apps.HalfLifeApp(dose_mg=20)   # also OralDosingApp, RoutesApp, PumpApp, OverdoseApp, CohortApp,
                                         # MonitoringApp
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
``%matplotlib`` and no global backend is changed. The figure is built once; an update calls ``set_data`` on
the existing artists, restores a cached background (axes, ticks, labels, legend) and draws only the changed
artists (blitting), then ipympl sends the changed pixels as a PNG diff. A full redraw happens only when axis
limits change; limits move in "nice" steps so that most key presses do not change them.

The alternative, a fixed-size ``Output`` widget re-displaying a whole PNG with ``clear_output(wait=True)``,
was measured against ipympl in the same Chromium (Debian /usr/bin/chromium, Voila 0.5.13, shared 2-core
machine): keyboard ArrowRight/ArrowLeft on the slider handle to the first frame with changed pixels, median of
10 presses, targets interleaved (``benchmarks/bench_browser_latency.py``; 13:19 UTC, load average 1.3; in
brackets an earlier run at load average 4.5):

===============================================  ==================  ==================
figure, full redraw on every change              ipympl canvas       Output + PNG
===============================================  ==================  ==================
one-line sine plot, 6 x 3.5 in                   103 ms (151 ms)     109 ms (145 ms)
two panels like the apps' (9 x 3.6 in, log axis)  186 ms (279 ms)     188 ms (268 ms)
===============================================  ==================  ==================

With a full redraw the two are equal within noise, and neither flickers (no frame without a decoded image,
no change of the box height, thanks to ``wait=True`` and a fixed size). ipympl wins because it keeps the
canvas: only there can an update redraw just the changed artists. The five apps then take 66-89 ms, 0.64-0.86
times the trivial sine plot's 103 ms in the same run (target: within 1.5 times). ipympl also gives zoom, pan
and "save figure" in the toolbar. Python side (``benchmarks/bench_apps.py``, same session): median update +
draw 2.6-9.5 ms per app against 31 ms for a full redraw of the one-line sine plot.

Without a front end (plain pytest, nbval) the same code runs: ``draw_idle`` is then only a message, the
artists still hold the data, and ``static()`` renders with Agg.

Educational model, not dosing advice.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "BaseApp",
    "DISCLAIMER",
    "HalfLifeApp",
    "OralDosingApp",
    "RoutesApp",
    "PumpApp",
    "OverdoseApp",
    "CohortApp",
    "MonitoringApp",
    "ALL_APPS",
]

_MODULES = {
    "HalfLifeApp": "half_life",
    "OralDosingApp": "oral_dosing",
    "RoutesApp": "routes",
    "PumpApp": "pump_app",
    "OverdoseApp": "overdose_app",
    "CohortApp": "cohort_app",
    "MonitoringApp": "monitoring_app",
}

#: Names of every app class, in teaching order.
ALL_APPS: tuple[str, ...] = tuple(_MODULES)


def __getattr__(name: str) -> Any:
    """Import each app lazily, so that one app's module does not need the others' dependencies, and
    ``import baclofen_teach.apps`` stays cheap (matplotlib and ipywidgets load with the first app used:
    about 1.5 s of the import on a quiet machine; see benchmarks/bench_student_speed.py)."""
    if name in ("BaseApp", "DISCLAIMER"):
        return getattr(importlib.import_module("._base", __name__), name)
    if name in _MODULES:
        module = importlib.import_module(f".{_MODULES[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_MODULES))
