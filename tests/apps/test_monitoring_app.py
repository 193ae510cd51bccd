"""MonitoringApp: levels and estimates equal baclofen_teach.monitoring; "no sample" explained; fast."""

from __future__ import annotations

import math
import time

import numpy as np

from baclofen_teach import apps
from baclofen_teach import monitoring as mo

from .conftest import assert_ok


def test_readouts_equal_the_monitoring_module() -> None:
    app = apps.MonitoringApp(interactive=False)
    app.set(seed=12, t1_h=2.0, t2_h=7.5, t3_h=0.0, target_mg_per_L=0.25)
    assert_ok(app, "monitoring")
    p = mo.hidden_patient(12)
    levels = mo.measure(p, [2.0, 7.5])
    est = mo.map_estimate([2.0, 7.5], levels)
    np.testing.assert_allclose(app.artists["samples"].get_ydata(), levels, rtol=1e-12)
    assert math.isclose(app.numbers["map_cl_L_per_h"], est.cl_over_f_L_per_h, rel_tol=1e-9)
    assert math.isclose(app.numbers["dose_mg"], mo.propose_dose_mg(est.cl_over_f_L_per_h, 0.25), rel_tol=1e-9)


def test_trough_only_has_no_regression_and_no_sample_is_explained() -> None:
    app = apps.MonitoringApp(interactive=False)
    app.set(t1_h=0.0, t2_h=8.0, t3_h=0.0)
    assert math.isnan(app.numbers["regression_half_life_h"])
    assert "two samples" in app.readouts["regression"]
    app.set(t2_h=0.0)
    assert "sample" in app.readouts["status"].lower()


def test_update_is_fast() -> None:
    app = apps.MonitoringApp(interactive=False)
    times = []
    for s in range(1, 8):
        t0 = time.perf_counter()
        app.set(seed=s)
        times.append(time.perf_counter() - t0)
    assert np.median(times) < 0.030 * 2  # 30 ms target (13 ms measured); 2x slack on the shared machine


def _vermillion_pixels(app: apps.MonitoringApp) -> int:
    """Pixels of the measured-level markers (the only vermillion artist) in a full redraw."""
    from baclofen_teach import plotting
    from baclofen_teach.apps import _oracle as O

    rgb = O.full_render(app).astype(int)
    r, g, b = (int(plotting.OKABE_ITO["vermillion"][i : i + 2], 16) for i in (1, 3, 5))
    return int((np.abs(rgb - np.array([r, g, b])).max(axis=-1) < 40).sum())


def test_a_trough_sample_at_the_end_of_the_interval_is_drawn_whole() -> None:
    """The default design samples the trough at 8 h, the right edge of the axes: its marker was clipped to
    a half dot (and the spine drew over it)."""
    app = apps.MonitoringApp(interactive=False)
    app.set(t1_h=0.0, t2_h=4.0, t3_h=0.0)
    inside = _vermillion_pixels(app)
    app.set(t2_h=8.0)
    at_edge = _vermillion_pixels(app)
    assert inside > 20
    assert at_edge >= 0.9 * inside, f"trough marker at 8 h shows {at_edge} of {inside} pixels"


def test_sample_time_messages_name_the_unit() -> None:
    """An out-of-range sample time is explained in hours (the label's "(h; 0 = none)" became the unit)."""
    app = apps.MonitoringApp(interactive=False)
    for name in ("t1_h", "t2_h", "t3_h"):
        before = app.value(name)
        app.set(**{name: 9.0})
        assert f"outside the allowed range 0 to 8 h; kept {before:g} h." in app.readouts["status"], (
            app.readouts["status"]
        )
        assert "0 = none" in app.controls[name].description  # the label still says how to drop a sample
