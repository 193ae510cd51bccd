"""OverdoseApp: oral and intrathecal curves, times above reported levels and management equal
baclofen_teach.overdose's numbers; route-specific controls; nothing is refused."""

from __future__ import annotations

import numpy as np
import pytest

from baclofen_teach import apps
from baclofen_teach import overdose as od
from baclofen_teach.apps.overdose_app import _IT_CONTROLS, _ORAL_CONTROLS

from .conftest import assert_ok, sweep


def expected(app: apps.OverdoseApp) -> od.OverdoseResult | od.ITOverdoseResult:
    if app.value("route") == "oral":
        therapy, s, d = app.value("therapy"), app.value("therapy_start_h"), app.value("therapy_duration_h")
        extra = {"none": [], "haemodialysis": [od.haemodialysis(s, d)], "cvvh": [od.haemofiltration(s, d)]}
        return od.oral_overdose(
            amount_mg=app.value("amount_mg"),
            kidneys=app.value("crcl_mL_per_min"),
            extracorporeal=extra[therapy],
            duration_h=96.0,
        )
    intended, rate = app.value("it_daily_dose_ug"), app.value("error_type") == "rate"
    return od.intrathecal_overdose(
        intended_daily_dose_ug=intended,
        delivered_daily_dose_ug=intended * app.value("error_factor") if rate else intended,
        bolus_ug=0.0 if rate else app.value("bolus_ug"),
        error_start_h=0.0,
        pump_emptied_at_h=app.value("drain_h"),
        csf_removed_mL=app.value("drain_mL"),
        csf_removed_at_h=app.value("drain_h"),
    )


def check_against_engine(app: apps.OverdoseApp, context: str) -> None:
    assert_ok(app, context)
    r = expected(app)
    if app.value("route") == "oral":
        assert app.ax_oral.get_visible() and not app.ax_it.get_visible()
        np.testing.assert_allclose(app.artists["plasma"].get_xdata(), r.times_h)
        np.testing.assert_allclose(app.artists["plasma"].get_ydata(), r.plasma_mg_per_L, rtol=1e-12)
        assert app.numbers["hours_above_therapeutic_max"] == pytest.approx(r.hours_above_therapeutic_max)
        assert app.numbers["peak_mg_per_L"] == pytest.approx(r.peak_mg_per_L)
        for row in r.exposure.itertuples():
            assert (
                f"{row.level_mg_per_L:g} mg/L: {row.hours_above:.1f} h [{row.source}]"
                in app.readouts["above_reported"]
            )
        assert app.artists["therapy"].get_visible() == (app.value("therapy") != "none")
        assert app.controls["amount_mg"].layout.display is None
        assert app.controls["drain_h"].layout.display == "none"
    else:
        assert app.ax_it.get_visible() and not app.ax_oral.get_visible()
        np.testing.assert_allclose(app.artists["csf"].get_xdata(), r.times_h)
        np.testing.assert_allclose(app.artists["csf"].get_ydata(), r.csf_mg_per_L, rtol=1e-12)
        assert app.artists["intended"].get_ydata()[0] == pytest.approx(r.intended_csf_mg_per_L)
        assert app.numbers["hours_above_2x_intended"] == pytest.approx(r.hours_above_2x_intended)
        assert app.numbers["csf_removed_fraction"] == pytest.approx(r.csf_removed_fraction)
        assert app.controls["drain_h"].layout.display is None
        assert app.controls["amount_mg"].layout.display == "none"
    for f in r.flags:
        assert f.rstrip(".") in app.readouts["status"], context


@pytest.mark.parametrize("route", ["oral", "intrathecal"])
def test_every_control_min_max_random(route: str) -> None:
    app = apps.OverdoseApp(route=route, therapy="haemodialysis", interactive=False)
    check_against_engine(app, "initial")
    # the other route's controls are hidden and do not enter this route's model
    shown = ("route", *(_ORAL_CONTROLS if route == "oral" else _IT_CONTROLS))
    for name, value in sweep(app, seed=5, n_random=1, names=shown):
        check_against_engine(app, f"{route}: {name}={value!r}")


def test_dialysis_shortens_time_above_in_kidney_failure() -> None:
    without = apps.OverdoseApp(amount_mg=600, crcl_mL_per_min=10, interactive=False)
    with_hd = apps.OverdoseApp(amount_mg=600, crcl_mL_per_min=10, therapy="haemodialysis", interactive=False)
    assert with_hd.numbers["hours_above_therapeutic_max"] < without.numbers["hours_above_therapeutic_max"]
    assert with_hd.numbers["removed_extracorporeal_mg"] > 0


def test_management_never_recommends_vomiting_or_physostigmine() -> None:
    app = apps.OverdoseApp(interactive=False)
    text = app.readouts["management"]
    assert (
        "Not recommended: induced vomiting" in text and "physostigmine" in text.split("Not recommended:")[1]
    )
    assert "<table" in app._table_html.value and "scope='col'" in app._table_html.value
    app.set(route="intrathecal")
    assert "empty the pump" in app.readouts["management"]


def test_management_readout_keeps_the_conditions_of_consider_steps() -> None:
    """Activated charcoal is only for early presentation with a protected airway: the readout must say so."""
    text = apps.OverdoseApp(interactive=False).readouts["management"]
    consider = text.split("Consider:")[1].split("Not recommended:")[0]
    assert "activated charcoal" in consider and "airway" in consider


def test_huge_overdose_is_simulated_and_flagged() -> None:
    app = apps.OverdoseApp(amount_mg=3000, interactive=False)
    assert "OVERESTIMATES" in app.readouts["status"] and "[leung2006]" in app.readouts["status"]
    check_against_engine(app, "3000 mg")


def test_static_text_has_key_numbers() -> None:
    app = apps.OverdoseApp(interactive=False)
    text = app.static()._repr_mimebundle_()["text/plain"]
    assert "Peak concentration: " in text and "Management (see the table): Recommended:" in text


def test_management_readout_and_table_keep_conditions_and_evidence() -> None:
    """Review rows 9-10: haemodialysis keeps its condition; with normal kidneys the benefit is uncertain,
    not 'not recommended'; the table shows the evidence each status rests on."""
    app = apps.OverdoseApp(interactive=False)
    text = app.readouts["management"]
    assert "haemodialysis in severe poisoning with kidney failure" in text.split("Consider:")[0]
    uncertain = text.split("Uncertain benefit:")[1].split("Not recommended:")[0]
    assert "haemodialysis with normal kidney function" in uncertain
    assert "haemodialysis" not in text.split("Not recommended:")[1]
    assert "<th scope='col'>Evidence</th>" in app._table_html.value
    assert "case report (n = 1" in app._table_html.value


def test_text_separates_concentration_from_recovery() -> None:
    """Review rows 12 and 15: the app does not call 0.08-0.4 mg/L a therapeutic range, and says that the
    curves are concentrations, with recovery lagging behind them."""
    app = apps.OverdoseApp(interactive=False)
    text = app.static()._repr_mimebundle_()["text/plain"]
    assert "therapeutic range" not in text.lower()
    assert "reference range" in text and "72 h" in app._caption()
    it = apps.OverdoseApp(route="intrathecal", interactive=False)
    it_text = it.static()._repr_mimebundle_()["text/plain"]
    assert "Model CSF concentration" in it_text and "coma of up to 72 h" in it_text
