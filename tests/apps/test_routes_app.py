"""RoutesApp: plotted plasma and CSF curves equal the engine's; ratios in the readouts; ug/mg explicit."""

from __future__ import annotations

import numpy as np
import pytest

from baclofen_teach import apps, pk

from .conftest import assert_ok, sweep


def check_against_engine(app: apps.RoutesApp, context: str) -> None:
    assert_ok(app, context)
    oral, n = app.value("oral_mg_per_day"), app.value("oral_doses_per_day")
    it_ug, days = app.value("it_ug_per_day"), app.value("days")
    p = pk.PKParams.adult()
    t = np.asarray(app.artists["plasma_oral"].get_xdata())
    assert t[-1] == pytest.approx(24.0 * days)
    oral_ev = [pk.Dose(time_h=i * 24.0 / n, amount_mg=oral / n, route="oral") for i in range(n * days)]
    it_ev = [pk.Infusion(start_h=0.0, stop_h=np.inf, rate_mg_per_h=it_ug / 1000.0 / 24.0, route="it")]
    so, si = pk.simulate(oral_ev, p, t), pk.simulate(it_ev, p, t)
    for key, want in (
        ("plasma_oral", so.plasma_mg_per_L),
        ("plasma_it", si.plasma_mg_per_L),
        ("csf_oral", so.csf_mg_per_L),
        ("csf_it", si.csf_mg_per_L),
    ):
        np.testing.assert_allclose(
            app.artists[key].get_ydata(), want, rtol=1e-12, atol=1e-18, err_msg=context
        )
    assert app.numbers["dose_ratio"] == pytest.approx(oral * 1000.0 / it_ug)
    # averages over the last day: exact (mass balance), and close to a trapezoid on the plotted grid
    day = (t[-1] - 24.0, t[-1])
    (po, co), (pi, ci) = pk.mean_concentrations(oral_ev, p, *day), pk.mean_concentrations(it_ev, p, *day)
    assert app.numbers["plasma_ratio"] == pytest.approx(po / pi, rel=1e-12)
    assert app.numbers["csf_ratio"] == pytest.approx(ci / co, rel=1e-12)
    last = t >= t[-1] - 24.0
    mean = lambda c: np.trapezoid(c[last], t[last]) / 24.0  # noqa: E731
    assert app.numbers["plasma_ratio"] == pytest.approx(
        mean(so.plasma_mg_per_L) / mean(si.plasma_mg_per_L), rel=1e-3
    )
    assert app.numbers["csf_ratio"] == pytest.approx(mean(si.csf_mg_per_L) / mean(so.csf_mg_per_L), rel=1e-3)
    assert app.readouts["csf_ratio"] == f"{app.numbers['csf_ratio']:.0f} times higher with the pump"


def test_every_control_min_max_random() -> None:
    app = apps.RoutesApp(interactive=False)
    check_against_engine(app, "initial")
    for name, value in sweep(app):
        check_against_engine(app, f"{name}={value!r}")


def test_typical_doses_give_about_100_fold_ratios() -> None:
    """60 mg/day oral vs 600 ug/day IT: dose ratio 100; plasma about 100 times lower with the pump
    [label_lioresal_it]; CSF much higher with the pump."""
    app = apps.RoutesApp(oral_mg_per_day=60, it_ug_per_day=600, interactive=False)
    assert app.numbers["dose_ratio"] == pytest.approx(100.0)
    assert 50 < app.numbers["plasma_ratio"] < 200
    assert app.numbers["csf_ratio"] > 10
    assert app.readouts["dose_ratio"].startswith("100 times: 60 mg/day = 60,000 µg/day")


def test_it_above_experience_limit_is_flagged() -> None:
    app = apps.RoutesApp(it_ug_per_day=2000, interactive=False)
    assert "above 1000 µg/day" in app.readouts["status"] and "simulated anyway" in app.readouts["status"]


def test_log_axes_units_and_static() -> None:
    app = apps.RoutesApp(interactive=False)
    assert app.ax_plasma.get_yscale() == "log" and app.ax_csf.get_yscale() == "log"
    assert app.ax_csf.get_ylabel() == "CSF concentration (mg/L)"
    assert app.controls["it_ug_per_day"].description == "Intrathecal daily dose (µg/day)"
    text = app.static()._repr_mimebundle_()["text/plain"]
    assert "Daily dose ratio, oral / intrathecal: 120 times" in text
