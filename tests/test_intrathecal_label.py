"""The model's intrathecal (IT) predictions checked against the intrathecal label's pharmacokinetics.

Label numbers: Swiss professional information for Lioresal Intrathecal, chapter Pharmacokinetics
[label_ch_lioresal_it], stored in ``parameters.csv`` (set ``csf_label``): distribution volume after a bolus
22-157 mL; lumbar CSF steady state 130-1240 ng/mL at 50-1200 ug/day, reached within 1-2 days; plasma during
infusion at most 5 ng/mL; CSF half-life 1-5 h after a bolus. Where the model disagrees, the test pins the
size of the disagreement and checks that the student material discloses it (no silent agreement, no silent
disagreement).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from baclofen_teach import pk, pump

ROOT = Path(__file__).resolve().parents[1]
P = pk.PKParams.adult()
LN2 = math.log(2.0)


def label(name: str) -> float:
    return pk.param_value("csf_label", name)


def csf_ss_ng_per_mL(daily_dose_ug: float, p: pk.PKParams = P) -> float:
    """Model CSF steady state R / CL_csf in ng/mL (mg/L x 1000)."""
    return pump.rate_mg_per_h(daily_dose_ug) / p.cl_csf_L_per_h * 1000.0


def simulate_infusion(daily_dose_ug: float, p: pk.PKParams, times_h: np.ndarray) -> pk.SimulationResult:
    ev = [
        pk.Infusion(start_h=0.0, stop_h=math.inf, rate_mg_per_h=pump.rate_mg_per_h(daily_dose_ug), route="it")
    ]
    return pk.simulate(ev, p, times_h)


def notebook_text(name: str) -> str:
    nb = json.loads((ROOT / "coursework/sources" / name).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_label_numbers_are_in_the_parameter_table() -> None:
    assert (label("v_dist_bolus_mL_low"), label("v_dist_bolus_mL_high")) == (22.0, 157.0)
    assert (label("css_lumbar_ng_per_mL_low"), label("css_lumbar_ng_per_mL_high")) == (130.0, 1240.0)
    assert (label("css_daily_dose_ug_low"), label("css_daily_dose_ug_high")) == (50.0, 1200.0)
    assert (label("css_time_days_low"), label("css_time_days_high")) == (1.0, 2.0)
    assert label("plasma_during_it_ng_per_mL_max") == 5.0
    assert (label("csf_half_life_h_low"), label("csf_half_life_h_high")) == (1.0, 5.0)


def test_model_csf_volume_within_label_distribution_volume() -> None:
    assert label("v_dist_bolus_mL_low") <= P.v_csf_L * 1000.0 <= label("v_dist_bolus_mL_high")


def test_model_csf_half_life_within_published_range() -> None:
    assert label("csf_half_life_h_low") <= P.csf_half_life_h <= label("csf_half_life_h_high")


def test_model_csf_clearance_within_clearances_implied_by_label_steady_state() -> None:
    """If the lowest label concentration belongs to the lowest dose and the highest to the highest, the label
    implies CSF clearances of about 16 and 40 mL/h; the model's 30 mL/h lies between them."""
    lo = pump.rate_ug_per_h(label("css_daily_dose_ug_low")) / (label("css_lumbar_ng_per_mL_low") / 1000.0)
    hi = pump.rate_ug_per_h(label("css_daily_dose_ug_high")) / (label("css_lumbar_ng_per_mL_high") / 1000.0)
    assert lo == pytest.approx(16.0, abs=0.1) and hi == pytest.approx(40.3, abs=0.1)
    assert lo <= P.cl_csf_L_per_h * 1000.0 <= hi


def test_pump_steady_state_vs_label_lumbar_csf() -> None:
    """DISAGREEMENT, disclosed: the model's steady state is strictly proportional to the dose, so across
    50-1200 ug/day it spans 69-1667 ng/mL, wider than the label's 130-1240 ng/mL at both ends (by less than
    a factor of 2). The simulated pump curve reaches the formula value."""
    d_lo, d_hi = label("css_daily_dose_ug_low"), label("css_daily_dose_ug_high")
    m_lo, m_hi = csf_ss_ng_per_mL(d_lo), csf_ss_ng_per_mL(d_hi)
    assert m_lo == pytest.approx(69.4, abs=0.1) and m_hi == pytest.approx(1666.7, abs=0.1)
    sim = simulate_infusion(d_hi, P, np.array([400.0]))
    assert sim.csf_mg_per_L[0] * 1000.0 == pytest.approx(m_hi, rel=2e-3)  # + a trace from plasma influx
    assert m_lo < label("css_lumbar_ng_per_mL_low") and m_hi > label("css_lumbar_ng_per_mL_high")
    assert (
        0.5 <= m_lo / label("css_lumbar_ng_per_mL_low") and m_hi / label("css_lumbar_ng_per_mL_high") <= 2.0
    )
    text = notebook_text("04_oral_vs_intrathecal.ipynb")
    assert "130" in text and "1240" in text and "69" in text and "1667" in text


def test_plasma_during_infusion_vs_label() -> None:
    """Plasma at steady state is R / CL (all intrathecal drug drains to blood). At or below 900 ug/day the
    model stays under the label's 5 ng/mL; at 1200 ug/day it gives 6.3 ng/mL, 25 % above: disclosed."""
    ceiling = label("plasma_during_it_ng_per_mL_max")
    t = np.array([500.0])
    for dose in (50.0, 300.0, 800.0, 900.0):
        assert simulate_infusion(dose, P, t).plasma_mg_per_L[0] * 1000.0 < ceiling
    at_max = simulate_infusion(label("css_daily_dose_ug_high"), P, t).plasma_mg_per_L[0] * 1000.0
    assert at_max == pytest.approx(pump.rate_mg_per_h(1200.0) / P.cl_L_per_h * 1000.0, rel=1e-6)
    assert 1.0 < at_max / ceiling < 1.3
    assert "5 ng/mL" in notebook_text("04_oral_vs_intrathecal.ipynb")


def _hours_to_fraction_of_ss(p: pk.PKParams, fraction: float) -> float:
    t = np.linspace(0.0, 96.0, 19201)
    csf = simulate_infusion(400.0, p, t).csf_mg_per_L
    return float(t[np.argmax(csf >= fraction * csf_ss_ng_per_mL(400.0, p) / 1000.0)])


def test_time_to_csf_steady_state_vs_label() -> None:
    """Label: CSF steady state within 1-2 days, 'based on the measured CSF half-life'. DISAGREEMENT,
    disclosed: with the model's 1.5 h half-life, 97 % of steady state (5 half-lives) comes within 8 h. With
    the published upper value of 5 h it comes at about 25 h, inside the label's 1-2 days."""
    t97_model = _hours_to_fraction_of_ss(P, 0.97)
    assert t97_model < 10.0
    slow = P.with_(v_csf_L=P.cl_csf_L_per_h * 5.0 / LN2)
    assert slow.csf_half_life_h == pytest.approx(5.0)
    t97_slow = _hours_to_fraction_of_ss(slow, 0.97)
    assert 24.0 * label("css_time_days_low") <= t97_slow <= 24.0 * label("css_time_days_high")
    text = notebook_text("04_oral_vs_intrathecal.ipynb")
    assert "1–2 days" in text or "1-2 days" in text
