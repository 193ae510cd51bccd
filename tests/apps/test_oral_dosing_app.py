"""OralDosingApp: the plotted curve and readouts equal the engine's numbers for every control's min, max and
seeded random values; titration, missed and doubled doses, kidney function and flags."""

from __future__ import annotations

import numpy as np
import pytest

from baclofen_teach import apps, pk
from baclofen_teach.apps.oral_dosing import build_oral_events

from .conftest import assert_ok, sweep


def expected_events(app: apps.OralDosingApp) -> list[pk.Dose]:
    """Independent reconstruction of the regimen from the control values."""
    n, days = app.value("doses_per_day"), app.value("days")
    dose, schedule = app.value("dose_mg"), app.value("schedule")
    ev, ev_day = app.value("event"), app.value("event_day")
    out = []
    for day in range(days):
        per_dose = min(dose, 5.0 * (day // 3 + 1)) if schedule == "titration" else dose
        for j in range(n):
            t = day * 24.0 + j * 24.0 / n
            amount = per_dose
            if ev != "none" and day == ev_day - 1 and j == 0:
                if ev == "missed":
                    continue
                amount = 2 * per_dose
            out.append(pk.Dose(time_h=t, amount_mg=amount, route="oral"))
    return out


def check_against_engine(app: apps.OralDosingApp, context: str) -> None:
    assert_ok(app, context)
    p = pk.PKParams.renal(app.value("crcl_mL_per_min")).with_(ka_per_h=app.value("ka_per_h"))
    line = app.artists["plasma"]
    t_h = np.asarray(line.get_xdata()) * 24.0
    assert t_h[0] == 0.0 and t_h[-1] == pytest.approx(24.0 * app.value("days"))
    sim = pk.simulate(expected_events(app), p, t_h)
    np.testing.assert_allclose(line.get_ydata(), sim.plasma_mg_per_L, rtol=1e-12, atol=1e-15, err_msg=context)
    last = sim.plasma_mg_per_L[t_h >= t_h[-1] - 24.0]
    assert app.numbers["cmax_mg_per_L"] == pytest.approx(last.max(), rel=1e-12)
    assert app.numbers["cmin_mg_per_L"] == pytest.approx(last.min(), rel=1e-12)
    assert app.readouts["cmax"] == f"{last.max():.3f} mg/L"
    assert app.numbers["half_life_h"] == pytest.approx(p.half_life_h)
    n = app.value("doses_per_day")
    final = app.value("dose_mg")
    if app.value("schedule") == "titration":
        final = min(final, 5.0 * ((app.value("days") - 1) // 3 + 1))
    css = pk.css_avg(final, 24.0 / n, p.cl_L_per_h, f=p.f_oral)
    assert app.numbers["css_avg_mg_per_L"] == pytest.approx(css, rel=1e-12)
    assert app.artists["css_avg"].get_ydata()[0] == pytest.approx(css, rel=1e-12)
    assert app.readouts["css_avg"] == f"{css:.3f} mg/L"
    for f in sim.flags:
        assert f in app.readouts["status"], context


def test_every_control_min_max_random() -> None:
    app = apps.OralDosingApp(interactive=False)
    check_against_engine(app, "initial")
    for name, value in sweep(app):
        check_against_engine(app, f"{name}={value!r}")


def test_sweep_with_titration_and_events() -> None:
    app = apps.OralDosingApp(schedule="titration", event="doubled", event_day=2, days=10)
    for name, value in sweep(app, seed=7, n_random=2):
        check_against_engine(app, f"{name}={value!r}")


def test_build_oral_events_label_titration() -> None:
    ev = build_oral_events(20.0, 3, 12, schedule="titration")
    amounts = [e.amount_mg for e in ev]
    assert amounts == [5.0] * 9 + [10.0] * 9 + [15.0] * 9 + [20.0] * 9  # +5 mg per dose every 3 days
    assert [e.time_h for e in ev[:4]] == [0.0, 8.0, 16.0, 24.0]


def test_missed_and_doubled_dose() -> None:
    base = build_oral_events(10.0, 2, 3)
    missed = build_oral_events(10.0, 2, 3, event="missed", event_day=2)
    doubled = build_oral_events(10.0, 2, 3, event="doubled", event_day=2)
    assert len(missed) == len(base) - 1 and 24.0 not in [e.time_h for e in missed]
    assert [e.amount_mg for e in doubled if e.time_h == 24.0] == [20.0]


def test_steady_state_average_matches_simulated_average() -> None:
    """After 7 days (>> 5 half-lives) the simulated mean over the last day equals F*D/(CL*tau)."""
    app = apps.OralDosingApp(days=7, interactive=False)
    line = app.artists["plasma"]
    t, c = np.asarray(line.get_xdata()) * 24.0, np.asarray(line.get_ydata())
    last = t >= t[-1] - 24.0
    mean = np.trapezoid(c[last], t[last]) / 24.0
    assert mean == pytest.approx(app.numbers["css_avg_mg_per_L"], rel=2e-3)


def test_kidney_failure_raises_exposure_and_is_flagged() -> None:
    normal = apps.OralDosingApp(interactive=False)
    severe = apps.OralDosingApp(crcl_mL_per_min=10, interactive=False)
    assert severe.numbers["css_avg_mg_per_L"] > 2 * normal.numbers["css_avg_mg_per_L"]
    assert (
        "severe kidney impairment" in severe.readouts["status"] and "[wolf2018]" in severe.readouts["status"]
    )


def test_above_label_maximum_is_flagged_not_refused() -> None:
    app = apps.OralDosingApp(dose_mg=100, doses_per_day=4, interactive=False)
    assert app.numbers["daily_dose_mg"] == 400
    assert (
        "above the US label maximum" in app.readouts["status"]
        and "simulated anyway" in app.readouts["status"]
    )
    check_against_engine(app, "400 mg/day")


def test_bad_inputs_are_explained() -> None:
    app = apps.OralDosingApp(interactive=False)
    app.set(schedule="weekly")
    assert "is not one of" in app.readouts["status"] and app.value("schedule") == "fixed"
    app.set(doses_per_day=2.5)
    assert "whole number" in app.readouts["status"]


def test_static_and_units() -> None:
    app = apps.OralDosingApp(interactive=False)
    text = app.static()._repr_mimebundle_()["text/plain"]
    assert "Cmax, last day: " in text and "mg/L" in text
    assert app.ax.get_xlabel() == "Time after the first dose (days)"
    assert app.ax.get_ylabel() == "Plasma concentration (mg/L)"
    for name, w in app.controls.items():
        if name not in ("schedule", "event"):
            assert w.description.endswith(")"), name
