"""The app contract (apps/__init__.py, docs/developers.md "Widget apps"), for every app in apps.ALL_APPS:
an out-of-range value is explained, not raised; an unknown control raises TypeError; an off-grid value is
snapped like the browser slider; static() gives a PNG with alt text, the readouts and the disclaimer; a
blitted update equals a full redraw."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
import pytest

from baclofen_teach import apps

from .conftest import assert_ok


def _float_slider(app: apps.BaseApp) -> tuple[str, W.FloatSlider]:
    name, widget = next((n, w) for n, w in app.controls.items() if isinstance(w, W.FloatSlider) and w.step)
    return name, widget


@pytest.fixture(params=apps.ALL_APPS)
def app(request: pytest.FixtureRequest) -> apps.BaseApp:
    return getattr(apps, request.param)(interactive=False)


def test_out_of_range_value_is_explained_not_raised(app: apps.BaseApp) -> None:
    name, widget = _float_slider(app)
    before, readouts = widget.value, dict(app.readouts)
    app.set(**{name: widget.max * 10 + 1})
    assert app.value(name) == before
    assert "outside the allowed range" in app.readouts["status"] and name in app.readouts["status"]
    assert {k: v for k, v in app.readouts.items() if k != "status"} == {
        k: v for k, v in readouts.items() if k != "status"
    }
    app.set(**{name: "ten"})
    assert "not a number" in app.readouts["status"] and app.value(name) == before


def test_unknown_control_raises_type_error(app: apps.BaseApp) -> None:
    with pytest.raises(TypeError, match="unknown control"):
        app.set(no_such_control=1)


def test_off_grid_value_is_snapped(app: apps.BaseApp) -> None:
    name, widget = _float_slider(app)
    off = widget.min + 1.37 * widget.step
    app.set(**{name: off})
    snapped = app.value(name)
    assert snapped != off and abs(snapped - off) <= widget.step / 2 + 1e-9
    assert "between the slider's steps" in app.readouts["status"]
    assert_ok(app, f"{name}={off}")


def test_static_has_png_alt_text_readouts_and_disclaimer(app: apps.BaseApp) -> None:
    fig = app.static()
    assert fig.png.startswith(b"\x89PNG")
    bundle = fig._repr_mimebundle_()
    assert 'alt="' in bundle["text/html"] and len(app._alt_text()) > 80
    for key, text in app.readouts.items():
        if key != "status":
            assert text in bundle["text/plain"], key
    assert apps.DISCLAIMER in bundle["text/plain"]


def test_blitted_update_equals_full_draw(app: apps.BaseApp) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    name, widget = _float_slider(app)
    app.draw()
    target = min(widget.value + widget.step, widget.max)
    if target == widget.value:
        target = widget.value - widget.step
    app.set(**{name: target})
    app.draw()
    blitted = np.asarray(app.figure.canvas.buffer_rgba()).copy()
    FigureCanvasAgg.draw(app.figure.canvas)
    full = np.asarray(app.figure.canvas.buffer_rgba())
    # blitting draws the changed artists on top of the cached background, so where a curve crosses a spine
    # or a grid line the order differs: measured 0.04 % (HalfLifeApp) to 0.22 % (PumpApp, RoutesApp) of the
    # pixels; any real fault (a stale curve, a missing artist) changes far more
    assert np.mean(np.any(blitted != full, axis=-1)) < 0.004


def test_legends_are_outside_the_axes_and_nothing_is_clipped(app: apps.BaseApp) -> None:
    """A legend inside the axes hides curves and is redrawn on every blitted update (7-8 ms of the
    CohortApp and MonitoringApp updates); above the axes it is part of the cached background. A legend
    placed beside the axes says so with ``bt_outside``."""
    from baclofen_teach import plotting

    inside = [
        ax.get_ylabel() or ax.get_title()
        for ax in app.figure.axes
        if ax.get_legend() is not None and not getattr(ax.get_legend(), "bt_outside", False)
    ]
    assert inside == [], f"{type(app).__name__}: legend inside the axes of {inside}"
    assert plotting.clipped_artists(app.figure) == []
