"""HalfLifeApp: plotted data and readouts equal the engine's closed forms for every control's min, max and
seeded random values; bad input is explained, never raised."""

from __future__ import annotations

import numpy as np
import pytest

from baclofen_teach import apps, pk

from .conftest import assert_ok, sweep


@pytest.fixture(params=[False, True], ids=["agg", "ipympl"])
def app(request: pytest.FixtureRequest) -> apps.HalfLifeApp:
    return apps.HalfLifeApp(interactive=request.param)


def check_against_engine(app: apps.HalfLifeApp, context: str) -> None:
    assert_ok(app, context)
    dose = app.value("dose_mg")
    th = app.value("half_life_h")
    thr = app.value("threshold_mg_per_L")
    t_read = app.value("time_h")
    v = pk.PKParams.adult().v_L
    c0 = dose / v
    for name in ("lin", "log"):
        line = app.artists[f"curve_{name}"]
        t = np.asarray(line.get_xdata())
        np.testing.assert_allclose(
            line.get_ydata(), c0 * pk.fraction_remaining(t, th), rtol=1e-12, err_msg=context
        )
        assert app.artists[f"threshold_{name}"].get_ydata()[0] == pytest.approx(thr)
        assert app.artists[f"five_{name}"].get_xdata()[0] == pytest.approx(5 * th)
        assert app.artists[f"read_{name}"].get_xdata()[0] == pytest.approx(t_read)
        assert t[-1] >= 5 * th and t[-1] >= t_read, context  # the curve reaches the markers
    t_thr = pk.time_to_fall_below(c0, thr, th)
    assert app.numbers["time_to_threshold_h"] == pytest.approx(t_thr, rel=1e-12)
    assert app.numbers["fraction_left"] == pytest.approx(pk.fraction_remaining(t_read, th), rel=1e-12)
    assert app.numbers["c0_mg_per_L"] == pytest.approx(c0, rel=1e-12)
    assert app.readouts["c0"] == f"{c0:.3g} mg/L"
    if t_thr > 0:
        assert app.readouts["time_to_threshold"].startswith(f"{t_thr:.1f} h")
    assert app.readouts["five_half_lives"].startswith(f"{5 * th:.1f} h")


def test_every_control_min_max_random(app: apps.HalfLifeApp) -> None:
    check_against_engine(app, "initial")
    n = 0
    for name, value in sweep(app):
        check_against_engine(app, f"{name}={value!r}")
        n += 1
    assert n >= 4 * 5


def test_constructor_kwargs_are_initial_values() -> None:
    app = apps.HalfLifeApp(dose_mg=40, half_life_h=6.8, threshold_mg_per_L=0.01, time_h=48, interactive=False)
    assert (app.value("dose_mg"), app.value("half_life_h"), app.value("time_h")) == (40, 6.8, 48)
    assert app.value("threshold_mg_per_L") == pytest.approx(0.01)
    check_against_engine(app, "kwargs")


def test_published_range_band_is_2_3_to_6_8_h() -> None:
    app = apps.HalfLifeApp(interactive=False)
    assert apps.half_life.PUBLISHED_HALF_LIFE_RANGE_H == (2.3, 6.8)
    assert app.readouts["status"] == "OK"
    app.set(half_life_h=10.0)
    assert "outside the published oral range 2.3–6.8 h" in app.readouts["status"]


def test_out_of_range_value_is_explained_not_raised() -> None:
    app = apps.HalfLifeApp(interactive=False)
    before = app.readouts["c0"]
    app.set(dose_mg=1e6)
    assert "dose_mg = 1e+06 mg is outside the allowed range 1 to 2500 mg" in app.readouts["status"]
    assert app.value("dose_mg") == 20 and app.readouts["c0"] == before
    app.set(dose_mg="ten")
    assert "not a number" in app.readouts["status"]
    app.set(half_life_h=float("nan"))
    assert "not a finite number" in app.readouts["status"]


def test_off_grid_value_is_snapped_like_the_browser_slider() -> None:
    """The browser slider snaps a value to its step and sends it back: the kernel snaps first."""
    app = apps.HalfLifeApp(half_life_h=4.57, interactive=False)
    assert app.value("half_life_h") == 4.6
    assert "between the slider's steps; used 4.6 h" in app.readouts["status"]
    check_against_engine(app, "snapped")
    app.set(threshold_mg_per_L=0.08)
    assert app.value("threshold_mg_per_L") == 0.08 and "Note" not in app.readouts["status"]


def test_unknown_control_name_raises_type_error() -> None:
    app = apps.HalfLifeApp(interactive=False)
    with pytest.raises(TypeError, match="unknown control"):
        app.set(dose=10)


def test_overdose_amount_is_flagged_and_simulated() -> None:
    app = apps.HalfLifeApp(dose_mg=1000, interactive=False)
    assert "overdose-size" in app.readouts["status"] and "[leung2006]" in app.readouts["status"]
    check_against_engine(app, "overdose")


def test_static_has_png_alt_text_and_key_numbers() -> None:
    app = apps.HalfLifeApp(half_life_h=5.0, interactive=False)
    fig = app.static()
    assert fig.png.startswith(b"\x89PNG")
    bundle = fig._repr_mimebundle_()
    assert (
        '<img src="data:image/png;base64,' in bundle["text/html"] and 'alt="Two panels' in bundle["text/html"]
    )
    assert "Five half-lives: 25.0 h" in bundle["text/plain"]
    assert app.readouts["time_to_threshold"] in bundle["text/plain"]
    assert "Educational model, not dosing advice." in bundle["text/plain"]


def test_controls_have_units_bounds_and_readable_labels() -> None:
    app = apps.HalfLifeApp(interactive=False)
    for name, w in app.controls.items():
        assert w.description.endswith(")") and "(" in w.description, name
        assert w.style.description_width == "initial", name
    assert app.controls["dose_mg"].continuous_update  # cheap update: follow the drag


def test_live_widget_display_and_update_in_place() -> None:
    app = apps.HalfLifeApp()
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    fig, line = app.figure, app.artists["curve_lin"]
    app.set(half_life_h=3.0)
    assert app.figure is fig and app.artists["curve_lin"] is line  # created once, updated in place
    assert "bt-app-halflife" in app.widget._dom_classes
    desc = app._description_html.value  # text alternative of the live canvas, kept up to date
    assert "Text description of the figure" in desc and "half-life of 3 h" in desc


def test_draw_blits_and_matches_full_draw() -> None:
    """The cached-background update gives the same pixels as a full redraw."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    app = apps.HalfLifeApp(interactive=False)
    app.draw()
    app.set(time_h=30)
    app.draw()
    blitted = np.asarray(app.figure.canvas.buffer_rgba()).copy()
    FigureCanvasAgg.draw(app.figure.canvas)
    full = np.asarray(app.figure.canvas.buffer_rgba())
    assert np.mean(np.any(blitted != full, axis=-1)) < 0.002
