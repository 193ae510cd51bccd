"""Bad constructor keywords of every widget app never crash the notebook: the app is built, the control keeps
its value and the status line names the keyword, shows the value and says what is allowed
(``apps.CohortApp(dose_mg=-1)``; the contract in ``baclofen_teach/apps/__init__.py``). numpy scalars of an
allowed value are accepted without a complaint. The other keywords (``interactive``, ``HalfLifeApp(v_L=)``,
``PumpApp(fill_date=)``) are reported the same way.

Lean by default: one construction per app and bad-value class, every control at once (each control's
message is independent); ``-m slow`` builds one app per control and value.

Educational model, not dosing advice.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import ipywidgets as W
import numpy as np
import pytest

from baclofen_teach import apps

#: Bad values for numeric sliders (each refused: not a number, not finite, not whole or out of range).
NUMERIC_BAD: dict[str, Any] = {
    "nan": math.nan,
    "inf": math.inf,
    "text": "abc",
    "text_number": "20",
    "bool": True,
    "np_bool": np.bool_(True),
    "none": None,
    "list": [20.0],
    "complex": 1 + 1j,
    "huge_int": 10**400,
    "huge": 1e300,
    "negative_huge": -1e300,
}
CHOICE_BAD: dict[str, Any] = {"unknown": "nope", "int": 12345, "none": None, "list": ["x"], "bool": True}
DEFAULT_CLASSES = ("text_number", "bool", "huge_int")  # the default run; -m slow tries all


def _controls(name: str) -> dict[str, W.Widget]:
    return getattr(apps, name)(interactive=False).controls


CONTROLS = {name: _controls(name) for name in apps.ALL_APPS}


def _bad_for(widget: W.Widget, label: str) -> Any:
    if isinstance(widget, (W.Dropdown, W.ToggleButtons, W.RadioButtons)):
        keys = list(CHOICE_BAD)
        return CHOICE_BAD[keys[list(NUMERIC_BAD).index(label) % len(keys)]]
    return NUMERIC_BAD[label]


def _assert_reported(app: Any, name: str, value: Any) -> None:
    status = app.readouts["status"]
    assert f"{name} =" in status, f"{type(app).__name__}({name}={value!r}): status {status!r}"
    line = status[status.index(f"{name} =") :]
    assert "kept" in line or "used" in line, line
    assert any(w in line for w in ("allowed", "one of", "must be")), line


@pytest.mark.parametrize("label", DEFAULT_CLASSES)
@pytest.mark.parametrize("app_name", apps.ALL_APPS)
def test_bad_control_keywords_are_reported_not_raised(app_name: str, label: str) -> None:
    controls = CONTROLS[app_name]
    kw = {name: _bad_for(w, label) for name, w in controls.items()}
    app = getattr(apps, app_name)(interactive=False, **kw)
    for name in controls:
        _assert_reported(app, name, kw[name])
        assert app.value(name) == controls[name].value  # kept the default


@pytest.mark.slow
@pytest.mark.parametrize("label", list(NUMERIC_BAD))
@pytest.mark.parametrize("app_name", apps.ALL_APPS)
def test_bad_control_keywords_one_by_one(app_name: str, label: str) -> None:
    for name, w in CONTROLS[app_name].items():
        value = _bad_for(w, label)
        _assert_reported(getattr(apps, app_name)(interactive=False, **{name: value}), name, value)


@pytest.mark.parametrize("app_name", apps.ALL_APPS)
def test_numpy_scalars_of_allowed_values_are_accepted(app_name: str) -> None:
    controls = CONTROLS[app_name]
    kw: dict[str, Any] = {}
    for name, w in controls.items():
        if isinstance(w, (W.Dropdown, W.ToggleButtons, W.RadioButtons)):
            kw[name] = np.str_(w.value) if isinstance(w.value, str) else np.float64(w.value)
        elif isinstance(w, W.IntSlider):
            kw[name] = np.int64(w.value)
        else:
            kw[name] = np.float64(w.value)
    app = getattr(apps, app_name)(interactive=np.bool_(False), **kw)
    status = app.readouts["status"]
    assert not any(f"{name} =" in status for name in controls), status


@pytest.mark.parametrize(
    ("app_name", "kw", "value"),
    [
        ("HalfLifeApp", "v_L", "abc"),
        ("HalfLifeApp", "v_L", [43.7]),
        ("HalfLifeApp", "v_L", -43.7),
        ("HalfLifeApp", "v_L", math.inf),
        ("PumpApp", "fill_date", "2026-01-05"),
        ("PumpApp", "fill_date", 5),
        ("CohortApp", "interactive", "False"),
    ],
)
def test_other_constructor_keywords_are_reported_not_raised(app_name: str, kw: str, value: Any) -> None:
    base = {} if kw == "interactive" else {"interactive": False}
    app = getattr(apps, app_name)(**base, **{kw: value})
    _assert_reported(app, kw, value)


def test_valid_other_keywords_are_taken() -> None:
    assert apps.HalfLifeApp(interactive=False, v_L=np.float64(50.0)).v_L == 50.0
    pump = apps.PumpApp(interactive=False, fill_date=dt.date(2026, 1, 5))
    assert pump.fill_date == dt.date(2026, 1, 5) and "fill_date =" not in pump.readouts["status"]
