"""CohortApp: plotted median, band and patient equal population.simulate_cohort; update time; kidneys."""

from __future__ import annotations

import time

import numpy as np
import pytest

from baclofen_teach import apps, pk
from baclofen_teach import population as pop

from .conftest import assert_ok


def test_plotted_curves_equal_the_population_model() -> None:
    app = apps.CohortApp(interactive=False)
    app.set(dose_mg=25.0, interval_h=8, crcl_mL_per_min=40.0, patient=7)
    assert_ok(app, "cohort")
    t = np.arange(0.0, 168.0, 0.5)
    doses = [pk.Dose(time_h=8.0 * k, amount_mg=25.0, route="oral") for k in range(21)]
    conc = pop.simulate_cohort(pop.draw_cohort("simon2018", 500, seed=2026, crcl_mL_per_min=40.0), doses, t)
    s = pop.summarise(conc, t)
    np.testing.assert_allclose(app.artists["median"].get_ydata(), s.median_mg_per_L, rtol=1e-12)
    np.testing.assert_allclose(app.artists["patient"].get_ydata(), conc[7], rtol=1e-12)
    assert app.numbers["fraction_above"] == float(s.fraction_above_range[-1])
    assert "mg/L" in app.readouts["median_trough"]


def test_worse_kidney_function_raises_the_median() -> None:
    app = apps.CohortApp(interactive=False)
    normal = app.numbers["median_trough_mg_per_L"]
    app.set(crcl_mL_per_min=10.0)
    assert app.numbers["median_trough_mg_per_L"] > 2 * normal


def test_update_is_fast() -> None:
    app = apps.CohortApp(interactive=False)
    times = []
    for d in (10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0):
        t0 = time.perf_counter()
        app.set(dose_mg=d)
        times.append(time.perf_counter() - t0)
    print("median update", np.median(times))
    assert np.median(times) < 0.030 * 2  # 30 ms target (17 ms measured); 2x slack on the shared machine


def test_cached_unit_dose_curves_follow_every_control() -> None:
    """The app simulates 1 mg doses once per population and interval and scales by the dose: after any
    sequence of changes the plotted curves and fractions equal a direct simulation of that state."""
    app = apps.CohortApp(interactive=False)
    t = np.arange(0.0, 168.0, 0.5)
    for change in (
        {"dose_mg": 35.0},
        {"interval_h": 12},
        {"dose_mg": 80.0},
        {"crcl_mL_per_min": 25.0},
        {"model": "chevillard2017", "patient": 499},
        {"interval_h": 6, "dose_mg": 5.0},
    ):
        app.set(**change)
        assert_ok(app, str(change))
        tau, dose = float(app.value("interval_h")), float(app.value("dose_mg"))
        cohort = pop.draw_cohort(
            app.value("model"), 500, seed=2026, crcl_mL_per_min=app.value("crcl_mL_per_min")
        )
        doses = [
            pk.Dose(time_h=tau * k, amount_mg=dose, route="oral") for k in range(int(np.ceil(168 / tau)))
        ]
        conc = pop.simulate_cohort(cohort, doses, t)
        s = pop.summarise(conc, t)
        a = app.artists
        np.testing.assert_allclose(
            a["median"].get_ydata(), s.median_mg_per_L, rtol=1e-12, err_msg=str(change)
        )
        np.testing.assert_allclose(a["patient"].get_ydata(), conc[app.value("patient")], rtol=1e-12)
        assert app.numbers["p95_mg_per_L"] == pytest.approx(float(s.p95_mg_per_L[-1]), rel=1e-12)
        assert app.numbers["fraction_below"] == float(s.fraction_below_range[-1])
        assert app.numbers["fraction_above"] == float(s.fraction_above_range[-1])


def test_dose_steps_around_the_default_keep_one_y_axis() -> None:
    """The default 20 mg every 8 h sat on a step of the y limit (0.5 mg/L): 20 -> 25 mg doubled the axis, so
    a higher dose made the band look lower and every such key press redrew the whole figure (issue 13,
    benchmarks/README.md). Doses of 5-45 mg now share one axis (at least 0-1 mg/L); the curves always fit."""
    app = apps.CohortApp(interactive=False)
    limits = set()
    for d in range(5, 50, 5):
        app.set(dose_mg=float(d))
        limits.add(app.ax.get_ylim())
    assert limits == {(0.0, 1.0)}
    for d in (20.0, 50.0, 100.0):
        app.set(dose_mg=d, crcl_mL_per_min=10.0)
        band_top = max(float(p.vertices[:, 1].max()) for p in app.artists["band"].get_paths())
        top = max(float(app.artists["patient"].get_ydata().max()), band_top)
        assert app.ax.get_ylim()[0] == 0.0 and top < app.ax.get_ylim()[1]
