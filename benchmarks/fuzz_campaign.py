"""Fuzzing campaign over the public API (re-creates the December 2026 reliability review's probe classes).

Every public callable (derived from the exports, see ``tests/fuzz/registry.py``) is called with bad and
extreme values of each parameter, one probe per forked child with a wall-time limit and an address-space cap;
every result is scanned for NaN, infinity and negative numbers (documented "never" infinities and "not
estimable" NaNs excepted, and anything already in the valid base call's result). Plus end-to-end probes:
extreme ``PKParams`` fields through ``simulate``, ``catheter_failure`` and ``oral_overdose``.

    .venv/bin/python benchmarks/fuzz_campaign.py [--timeout 10] [--json out.json] [--code DIR]

``--code DIR`` runs against another copy of the package (a directory holding ``baclofen_teach/``), e.g. the
code before a fix: ``git archive HEAD~1 baclofen_teach | tar -x -C /tmp/before``.

Outcome classes (as in the review): pass (named ValueError), pass (valid input accepted, clean output),
pass (tolerated TypeError for a wrong type); fail: silent acceptance of an invalid value, ValueError not
naming the parameter, other exception type, silent inf / NaN / negative, valid input refused, hang,
MemoryError. Calls slower than 1 s are counted separately.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import os
import pickle
import resource
import select
import signal
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _setup(code_dir: str | None) -> None:
    if code_dir:
        sys.path.insert(0, str(Path(code_dir).resolve()))
    sys.path.insert(1 if code_dir else 0, str(ROOT))


# --------------------------------------------------------------------------------------------- values
def value_classes(kind: str) -> dict[str, tuple[str, Any]]:
    """label -> (expectation, value); expectation: 'invalid' (must be refused), 'boundary' (refused by name
    or accepted with a clean result), 'accept' (must be accepted)."""
    import numpy as np

    from baclofen_teach import pk

    num = {
        "nan": ("invalid", math.nan),
        "np_nan": ("invalid", np.float64("nan")),
        "-inf": ("invalid", -math.inf),
        "neg": ("invalid", -1.0),
        "neg_tiny": ("invalid", -1e-300),
        "str_num": ("invalid", "5"),
        "str": ("invalid", "abc"),
        "None": ("invalid", None),
        "bool_True": ("invalid", True),
        "complex": ("invalid", 1 + 1j),
        "dict": ("invalid", {}),
        "+inf": ("boundary", math.inf),
        "zero": ("boundary", 0.0),
        "huge": ("boundary", 1e300),
        "tiny": ("boundary", 1e-300),
        "subnormal": ("boundary", 5e-324),
        "max_float": ("boundary", 1.7976931348623157e308),
        "huge_1e12": ("boundary", 10**12),
        "big_1e4": ("boundary", 10_000),
    }
    if kind == "real":
        num.update({"list1": ("invalid", [1.0]), "arr2d": ("invalid", np.array([[1.0, 2.0]]))})
        return num
    if kind == "array":
        num.update(
            {
                "list1": ("boundary", [1.0]),
                "arr2d": ("boundary", np.array([[1.0, 2.0]])),
                "arr_empty": ("boundary", np.array([])),
                "arr_bool": ("invalid", np.array([True, True])),
                "arr_str": ("invalid", np.array(["a", "b"])),
                "ragged": ("invalid", [[1.0], [1.0, 2.0]]),
                "complex_arr": ("invalid", np.array([1.0, 1 + 1j])),
            }
        )
        return num
    if kind == "count":
        return {
            "float": ("invalid", 1.5),
            "neg": ("invalid", -1),
            "nan": ("invalid", math.nan),
            "str_num": ("invalid", "5"),
            "bool_True": ("invalid", True),
            "None": ("invalid", None),
            "zero": ("boundary", 0),
            "huge_1e12": ("boundary", 10**12),
            "big_1e4": ("boundary", 10_000),
            "huge_float": ("invalid", 1e300),
            "np_i64": ("accept", np.int64(2)),
        }
    if kind in ("choice", "bool", "object"):
        return {
            "unknown": ("invalid", "nope"),
            "str_False": ("invalid", "False"),
            "int": ("invalid", 1),
            "list": ("invalid", [1.0]),
            "dict": ("invalid", {}),
        }
    if kind == "kidneys":  # a name or a creatinine clearance in mL/min
        return {
            "unknown": ("invalid", "nope"),
            "neg": ("invalid", -1.0),
            "nan": ("invalid", math.nan),
            "list": ("invalid", [50.0]),
            "bool_True": ("invalid", True),
            "zero": ("boundary", 0.0),
            "huge": ("boundary", 1e300),
            "subnormal": ("boundary", 5e-324),
        }
    if kind == "scenario_times":  # scenario clock: negative times (before the event) are valid
        return {
            "str": ("invalid", "abc"),
            "list_str": ("invalid", ["a", "b"]),
            "arr_bool": ("invalid", np.array([False, True])),
            "complex_arr": ("invalid", np.array([0.0, 1 + 1j])),
            "ragged": ("invalid", [[1.0], [1.0, 2.0]]),
            "neg_huge": ("invalid", [-1e9]),
            "huge": ("boundary", [0.0, 1e300]),
        }
    if kind == "times":
        return {
            "unsorted": ("invalid", [2.0, 1.0]),
            "neg": ("invalid", [-1.0, 1.0]),
            "nan": ("invalid", [0.0, math.nan]),
            "str": ("invalid", "abc"),
            "list_str": ("invalid", ["a", "b"]),
            "arr_bool": ("invalid", np.array([False, True])),
            "complex_arr": ("invalid", np.array([0.0, 1 + 1j])),
            "arr2d": ("invalid", np.array([[0.0, 1.0]])),
            "ragged": ("invalid", [[1.0], [1.0, 2.0]]),
            "huge": ("boundary", np.linspace(0.0, 1e300, 49)),
            "tiny_spacing": ("boundary", np.linspace(0.0, 1e-300, 49)),
            "empty": ("boundary", np.array([])),
        }
    if kind == "conc":
        return {
            "neg": ("invalid", np.full(49, -1.0)),
            "nan": ("invalid", np.full(49, math.nan)),
            "str": ("invalid", "abc"),
            "huge": ("boundary", np.full(49, 1e300)),
            "wrong_len": ("invalid", np.ones(3)),
        }
    if kind == "events":
        return {
            "str": ("invalid", "abc"),
            "ints": ("invalid", [1, 2]),
            "mixed": ("invalid", [pk.Dose(0.0, 10.0), "x"]),
            "dict": ("invalid", {}),
            "nested": ("invalid", [[pk.Dose(0.0, 10.0)]]),
            "single_event": ("boundary", pk.Dose(0.0, 10.0)),
            "empty": ("boundary", []),
            "late": ("boundary", [pk.Dose(8e4, 10.0)]),
        }
    if kind == "clock":
        return {
            "empty": ("invalid", []),
            "above_24": ("invalid", [25.0]),
            "eq_24": ("invalid", [24.0]),
            "negative": ("invalid", [-1.0]),
            "str_item": ("invalid", ["8"]),
            "str": ("invalid", "8"),
            "nan": ("invalid", [math.nan]),
        }
    if kind == "doses":
        return {
            "time_1e6h": ("boundary", [(1e6, 300.0)]),
            "time_1e300": ("boundary", [(1e300, 5.0)]),
            "str": ("invalid", "abc"),
            "empty": ("invalid", []),
            "bad_pair": ("invalid", [(1.0,)]),
            "amount_max_float": ("boundary", [(0.0, 1.7976931348623157e308)]),
        }
    if kind == "windows":

        def mk(*a: Any) -> Any:
            return pk.ClearanceWindow(*a)

        return {
            "far_future": ("boundary", ("lazy", (8e4, 8e4 + 4.0, 7.7))),
            "inf_window": ("boundary", ("lazy", (6.0, math.inf, 5.0))),
            "huge_cl": ("boundary", ("lazy", (6.0, 10.0, 1e4))),
            "str_item": ("invalid", ["x"]),
            "str": ("invalid", "abc"),
        }
    if kind == "cohort_conc":  # (n_patients, len(times_h)) levels of summarise; the base has 20 x 49
        return {
            "neg": ("invalid", np.full((20, 49), -1.0)),
            "nan": ("invalid", np.full((20, 49), math.nan)),
            "inf": ("invalid", np.full((20, 49), math.inf)),
            "str": ("invalid", "abc"),
            "complex": ("invalid", np.full((20, 49), 1 + 1j)),
            "bool": ("invalid", np.ones((20, 49), dtype=bool)),
            "one_d": ("invalid", np.ones(49)),
            "wrong_len": ("invalid", np.ones((20, 3))),
            "no_patients": ("invalid", np.ones((0, 49))),
            "ragged": ("invalid", [[1.0], [1.0, 2.0]]),
            "huge": ("boundary", np.full((20, 49), 1e300)),
            "list": ("accept", np.ones((20, 49)).tolist()),
        }
    if kind == "samples":  # sample times in one dosing interval at steady state, 0 < t <= tau (8 h)
        return {
            "empty": ("invalid", []),
            "zero": ("invalid", [0.0]),
            "neg": ("invalid", [-1.0, 2.0]),
            "beyond_tau": ("invalid", [9.0]),
            "nan": ("invalid", [1.0, math.nan, 7.0]),
            "inf": ("invalid", [1.0, math.inf, 7.0]),
            "str": ("invalid", "abc"),
            "list_str": ("invalid", ["1", "2", "3"]),
            "bool": ("invalid", [True, True, True]),
            "nested": ("invalid", [[1.5, 4.0, 7.5]]),
            "ragged": ("invalid", [[1.0], [1.0, 2.0]]),
            "dict": ("invalid", {}),
            "None": ("invalid", None),
            "many": ("invalid", list(np.linspace(0.5, 8.0, 500))),
            "same_time": ("boundary", [4.0, 4.0, 4.0]),
            "close": ("boundary", [1.0, 1.0 + 1e-12, 1.0 + 2e-12]),
            "np_arr": ("accept", np.array([1.5, 4.0, 7.5])),
            "tuple": ("accept", (1.5, 4.0, 7.5)),
        }
    if kind == "levels":  # measured levels, mg/L, one per sample time (3 in the base call)
        return {
            "empty": ("invalid", []),
            "zero": ("invalid", [0.3, 0.0, 0.1]),
            "neg": ("invalid", [0.3, -0.2, 0.1]),
            "nan": ("invalid", [0.3, math.nan, 0.1]),
            "inf": ("invalid", [0.3, math.inf, 0.1]),
            "str": ("invalid", "abc"),
            "bool": ("invalid", [True, True, True]),
            "complex": ("invalid", [0.3, 0.2j, 0.1]),
            "wrong_len": ("invalid", [0.3, 0.2]),
            "nested": ("invalid", [[0.3, 0.2, 0.1]]),
            "None": ("invalid", None),
            "huge": ("boundary", [1e300, 1e300, 1e300]),
            "tiny": ("boundary", [1e-300, 1e-300, 1e-300]),
            "subnormal": ("boundary", [5e-324, 5e-324, 5e-324]),
            "spread": ("boundary", [1e9, 1.0, 1e-9]),
            "rising": ("boundary", [0.1, 0.2, 0.3]),
            "np_arr": ("accept", np.array([0.3, 0.2, 0.1])),
        }
    if kind == "estimates":
        from baclofen_teach import monitoring

        est = monitoring.Estimate("MAP", 10.0, 60.0, 4.2)
        return {
            "str": ("invalid", "abc"),
            "ints": ("invalid", [1, 2]),
            "mixed": ("invalid", [est, "x"]),
            "dict": ("invalid", {}),
            "number": ("invalid", 3.0),
            "None": ("invalid", None),
            "empty": ("boundary", []),
            "single": ("accept", est),
            "tuple": ("accept", (est,)),
        }
    if kind == "answer":  # a student's numeric answer: a format hint (AnswerFormatError), never a crash
        return {
            "text_unit": ("hint", "11 %"),
            "text": ("hint", "abc"),
            "text_num": ("hint", "11"),
            "ellipsis": ("hint", ...),
            "None": ("hint", None),
            "bool": ("hint", True),
            "np_bool": ("hint", np.bool_(True)),
            "nan": ("hint", math.nan),
            "inf": ("hint", math.inf),
            "complex": ("hint", 1 + 1j),
            "list": ("hint", [11.0]),
            "array1": ("hint", np.array([11.0])),
            "dict": ("hint", {}),
            "huge_int": ("hint", 10**400),
            "np_f64": ("accept", np.float64(11.0)),
            "np_i64": ("accept", np.int64(11)),
            "np0d": ("accept", np.array(11.0)),
            "int": ("accept", 11),
        }
    if kind == "letter_answer":
        return {
            "two": ("hint", "AB"),
            "unknown": ("hint", "E"),
            "empty": ("hint", ""),
            "ellipsis": ("hint", ...),
            "None": ("hint", None),
            "int": ("hint", 1),
            "list": ("hint", ["B"]),
            "bool": ("hint", True),
            "spaced": ("accept", " b "),
            "np_str": ("accept", np.str_("B")),
        }
    if kind == "options":  # the letters an author offers (default "ABCD")
        return {
            "empty": ("invalid", ""),
            "lower": ("invalid", "abcd"),
            "repeat": ("invalid", "AAB"),
            "digits": ("invalid", "1234"),
            "int": ("invalid", 4),
            "None": ("invalid", None),
            "list": ("invalid", ["A", "B"]),
            "dict": ("invalid", {}),
            "two": ("accept", "AB"),
            "np_str": ("accept", np.str_("ABC")),
        }
    if kind == "callable":
        return {"int": ("invalid", 5), "str": ("invalid", "abc"), "None": ("invalid", None)}
    if kind == "mapping":
        return {"list": ("invalid", [1]), "str": ("invalid", "abc"), "int": ("invalid", 5)}
    if kind == "opt_text":
        return {"int": ("invalid", 5), "list": ("invalid", ["x"]), "bytes": ("invalid", b"x")}
    if kind == "nb_path":  # SelfCheck never raises: a bad path is reported by every check
        return {
            "fd_0": ("report", 0),
            "int": ("report", 5),
            "None": ("report", None),
            "list": ("report", ["x.ipynb"]),
            "missing": ("report", "no_such_notebook.ipynb"),
            "directory": ("report", "."),
            "not_json": ("report", str(ROOT / "README.md")),
        }
    if kind in ("seq_real", "seq_kidneys"):
        return {
            "scalar": ("invalid", 30.0),
            "str": ("invalid", "normal"),
            "items_bad": ("invalid", [math.nan]),
        }
    return {}


def _materialise(value: Any) -> Any:
    from baclofen_teach import pk

    if isinstance(value, tuple) and len(value) == 2 and value[0] == "lazy":
        return [pk.ClearanceWindow(*value[1])]
    return value


# --------------------------------------------------------------------------------------------- probes
def _names_param(msg: str, param: str) -> bool:
    return param in msg


def _run_in_child(fn: Any, timeout: float, post: Any = None) -> tuple[Any, ...]:
    """('ok', result_scan, dt, note) / ('raise', (type, msg), dt) / ('hang', None, dt) / ('memory', msg, dt).

    ``post(result)`` (in the child) gives the note: the text a probe judges (an app's status line, a
    self-check's problem)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
        except (ValueError, OSError):
            pass
        t0 = time.perf_counter()
        try:
            res = fn()
            from tests.fuzz.registry import scan

            note = post(res) if post is not None else None
            payload: Any = ("ok", scan(res), time.perf_counter() - t0, note)
        except MemoryError as exc:
            payload = ("memory", str(exc)[:200], time.perf_counter() - t0)
        except BaseException as exc:  # noqa: BLE001
            payload = (
                "raise",
                (type(exc).__name__, [c.__name__ for c in type(exc).__mro__], str(exc)[:400]),
                time.perf_counter() - t0,
            )
        try:
            data = pickle.dumps(payload)
        except Exception:  # noqa: BLE001
            data = pickle.dumps(("raise", ("PickleError", [], "unpicklable"), 0.0))
        with os.fdopen(w, "wb") as fh:
            fh.write(data)
        os._exit(0)
    os.close(w)
    t0 = time.perf_counter()
    chunks = []
    deadline = t0 + timeout
    with os.fdopen(r, "rb") as fh:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return "hang", None, timeout
            ready, _, _ = select.select([fh], [], [], left)
            if ready:
                chunk = os.read(fh.fileno(), 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        return "crash", status, time.perf_counter() - t0
    return pickle.loads(b"".join(chunks))


def classify(expect: str, param: str, outcome: tuple[Any, ...], base_problems: set[str]) -> str:
    kind, info = outcome[0], outcome[1]
    note = outcome[3] if len(outcome) > 3 else None
    if kind == "hang":
        return "fail: hang"
    if kind == "memory":
        return "fail: MemoryError"
    if kind == "crash":
        return "fail: crash"
    if kind == "raise":
        name, mro, msg = info
        if name == "MemoryError":
            return "fail: MemoryError"
        if expect == "report":  # must never raise (an app constructor, SelfCheck)
            return f"fail: exception escaped ({name})"
        if expect == "hint" or (expect == "accept" and name == "AnswerFormatError"):
            if name == "AnswerFormatError":
                return (
                    "pass: format hint (AnswerFormatError)"
                    if expect == "hint" and msg.strip()
                    else "fail: valid answer refused"
                )
            return f"fail: other exception ({name}) instead of a format hint"
        if "ValueError" in mro:
            if expect == "accept":
                return (
                    "fail: valid input refused (named)"
                    if param in msg
                    else "fail: valid input refused (not named)"
                )
            return (
                "pass: named ValueError"
                if _names_param(msg, param)
                else "fail: ValueError not naming the parameter"
            )
        if name == "TypeError" and expect == "invalid":
            return "pass (tolerated): TypeError for a wrong type"
        return f"fail: other exception ({name})"
    new = [(p, b) for p, b in info if f"{p}:{b}" not in base_problems]
    if expect == "report":
        if not note:
            return "fail: silent acceptance"
        return (
            "pass: reported by name (no exception)"
            if param in note
            else "fail: report not naming the parameter"
        )
    if expect == "accept_quiet" and note and param in note:
        return "fail: valid input refused (named)"
    if expect in ("invalid", "hint"):
        return "fail: silent acceptance"
    kinds = {b for _, b in new}
    for bad in ("nan", "inf", "negative", "-inf"):
        if bad in kinds:
            return {
                "nan": "fail: silent NaN",
                "inf": "fail: silent inf",
                "negative": "fail: silent negative",
                "-inf": "fail: silent negative",
            }[bad]
    if any(b.startswith("raises") for b in kinds):
        return "fail: other exception (in a result property)"
    return "pass: valid input accepted, clean output"


def e2e_probes() -> list[tuple[str, str, str, Any]]:
    """(function, parameter, label, thunk) for extreme PKParams fields through three scenarios."""
    import numpy as np

    from baclofen_teach import overdose, pk, pump

    p = pk.PKParams.adult()
    evs = [
        pk.Dose(0.0, 10.0),
        pk.Dose(2.0, 5.0, "iv"),
        pk.Dose(3.0, 0.05, "it"),
        pk.Infusion(4.0, 30.0, 0.02, "it"),
        pk.Infusion(1.0, math.inf, 0.1, "iv"),
        pk.ClearanceWindow(6.0, 10.0, 7.7),
        pk.RemoveFraction(12.0, "csf", 0.3),
    ]
    t2 = np.linspace(0.0, 48.0, 97)
    out = []
    for field in ("ka_per_h", "cl_L_per_h", "v_L", "csf_plasma_ratio", "v_csf_L", "cl_csf_L_per_h"):
        for label, val in (
            ("huge", 1e300),
            ("tiny", 1e-300),
            ("subnormal", 5e-324),
            ("max_float", 1.7976931348623157e308),
        ):
            for fname, thunk in (
                ("e2e.simulate", lambda f=field, x=val: pk.simulate(evs, p.with_(**{f: x}), t2)),
                (
                    "e2e.catheter_failure",
                    lambda f=field, x=val: pump.catheter_failure(500.0, params=p.with_(**{f: x})),
                ),
                (
                    "e2e.oral_overdose",
                    lambda f=field, x=val: overdose.oral_overdose(600.0, params=p.with_(**{f: x})),
                ),
            ):
                out.append((fname, field, label, thunk))
    try:
        from baclofen_teach import population as pop
    except ImportError:  # a package from before issue 14
        return out
    week = np.linspace(0.0, 168.0, 2001)
    tid = [pk.Dose(8.0 * i, 20.0) for i in range(21)]
    years = [pk.Dose(6.0 * i, 10.0) for i in range(20_000)]
    # a large cohort: a clear refusal naming the parameter, or a bounded computation; never MemoryError
    big = [
        (
            "times_h",
            "1e6 patients x 2001 times",
            lambda: pop.simulate_cohort(pop.draw_cohort(n=1_000_000), tid, week),
        ),
        (
            "doses",
            "1e6 patients x 20000 doses",
            lambda: pop.simulate_cohort(pop.draw_cohort(n=1_000_000), years, [1.0]),
        ),
        (
            "times_h",
            "1e5 patients x 20001 times",
            lambda: pop.simulate_cohort(pop.draw_cohort(n=100_000), tid, np.linspace(0.0, 168.0, 20_001)),
        ),
        (
            "crcl_mL_per_min",
            "1e6 patients, CrCl per patient",
            lambda: pop.draw_cohort(n=1_000_000, crcl_mL_per_min=np.linspace(0.0, 150.0, 1_000_000)),
        ),
    ]
    for field, label, thunk in big:
        out.append(("e2e.simulate_cohort", field, label, thunk))
    return out


def app_probes() -> list[tuple[str, str, str, str, Any]]:
    """(app, keyword, label, expectation, value) for every constructor keyword of every app: the controls
    (``apps.CohortApp(dose_mg=-1)``) and the other keywords (``interactive``, ``v_L``, ``fill_date``).

    Expectation ``report``: the constructor returns and the status line names the keyword;
    ``accept_quiet``: the constructor returns and the status line has no complaint about it."""
    import datetime as dt

    import ipywidgets as W
    import numpy as np

    from baclofen_teach import apps

    out: list[tuple[str, str, str, str, Any]] = []
    for app_name in apps.ALL_APPS:
        cls = getattr(apps, app_name)
        app = cls(interactive=False)
        for ctrl, w in app.controls.items():
            v0 = w.value
            if isinstance(w, (W.Dropdown, W.ToggleButtons, W.RadioButtons)):
                opt = v0
                classes = {
                    "unknown": ("report", "nope"),
                    "int": ("report", 12345),
                    "None": ("report", None),
                    "list": ("report", [opt]),
                    "dict": ("report", {}),
                    "bool": ("report", True),
                }
                if isinstance(opt, str):
                    classes["np_str"] = ("accept_quiet", np.str_(opt))
                else:
                    classes["np_num"] = ("accept_quiet", np.float64(opt))
                    classes["str_num"] = ("report", str(opt))
            elif isinstance(w, W.Checkbox):
                classes = {
                    "str": ("report", "False"),
                    "int": ("report", 1),
                    "None": ("report", None),
                    "np_bool": ("accept_quiet", np.bool_(not v0)),
                }
            else:
                lo, hi = (w.base**w.min, w.base**w.max) if isinstance(w, W.FloatLogSlider) else (w.min, w.max)
                classes = {
                    "nan": ("report", math.nan),
                    "np_nan": ("report", np.float64("nan")),
                    "+inf": ("report", math.inf),
                    "-inf": ("report", -math.inf),
                    "below": ("report", lo - 1.0),
                    "above": ("report", hi * 10.0 + 1.0),
                    "huge": ("report", 1e300),
                    "huge_int": ("report", 10**400),
                    "str": ("report", "abc"),
                    "str_num": ("report", str(v0)),
                    "None": ("report", None),
                    "bool_True": ("report", True),
                    "np_bool": ("report", np.bool_(True)),
                    "complex": ("report", 1 + 1j),
                    "list": ("report", [v0]),
                    "dict": ("report", {}),
                    "arr1": ("report", np.array([v0])),
                    "np_f64": ("accept_quiet", np.float64(v0)),
                    "np0d": ("accept_quiet", np.array(v0)),
                }
                if isinstance(w, W.IntSlider):
                    classes["fraction"] = ("report", v0 + 0.5)
                    classes["np_i64"] = ("accept_quiet", np.int64(v0))
            for label, (expect, value) in classes.items():
                out.append((app_name, ctrl, label, expect, value))
        extras: dict[str, dict[str, tuple[str, Any]]] = {
            "interactive": {
                "str": ("report", "False"),
                "None": ("report", None),
                "list": ("report", [True]),
                "np_bool": ("accept_quiet", np.bool_(False)),
            }
        }
        if app_name == "HalfLifeApp":
            extras["v_L"] = {
                "nan": ("report", math.nan),
                "+inf": ("report", math.inf),
                "neg": ("report", -43.7),
                "zero": ("report", 0.0),
                "huge": ("report", 1e300),
                "str": ("report", "abc"),
                "str_num": ("report", "43.7"),
                "list": ("report", [43.7]),
                "bool_True": ("report", True),
                "complex": ("report", 1 + 1j),
                "np_f64": ("accept_quiet", np.float64(43.7)),
                "int": ("accept_quiet", 44),
            }
        if app_name == "PumpApp":
            extras["fill_date"] = {
                "str": ("report", "2026-01-01"),
                "int": ("report", 5),
                "list": ("report", [dt.date(2026, 1, 1)]),
                "bool_True": ("report", True),
                "date": ("accept_quiet", dt.date(2026, 1, 1)),
                "datetime": ("accept_quiet", dt.datetime(2026, 1, 1, 8, 0)),
            }
        for kw, classes in extras.items():
            for label, (expect, value) in classes.items():
                out.append((app_name, kw, label, expect, value))
    return out


def classify_app(expect: str, kw: str, outcome: tuple[Any, ...]) -> str:
    kind = outcome[0]
    if kind == "hang":
        return "fail: hang"
    if kind in ("memory", "crash"):
        return f"fail: {'MemoryError' if kind == 'memory' else 'crash'}"
    if kind == "raise":
        return f"fail: exception escaped the constructor ({outcome[1][0]})"
    status = outcome[3] or ""
    mentioned = f"{kw} =" in status or f"{kw}=" in status
    if expect == "report":
        if mentioned:
            return "pass: reported by name in the status line (no exception)"
        return "fail: silent acceptance"
    return "fail: valid input refused (named)" if mentioned else "pass: valid input accepted, clean output"


def _value_shown(value: Any, text: str) -> bool:
    cands = {repr(value), str(value)}
    try:
        cands.add(f"{float(value):g}")
    except (TypeError, ValueError, OverflowError):
        pass
    return any(c in text for c in cands)


def _allowed_shown(text: str) -> bool:
    return any(m in text for m in ("allowed", "one of", "True or False", "must be", " to "))


def _selfcheck_problem(check: Any) -> str:
    return str(getattr(check, "problem", "") or "")


def _app_status(app: Any) -> str:
    return str(app.readouts.get("status", ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--json", default=None)
    ap.add_argument("--code", default=None, help="directory holding the baclofen_teach package to test")
    ap.add_argument(
        "--only",
        default=None,
        help="comma-separated substrings of the qualified names to probe ('apps': apps)",
    )
    ap.add_argument("--no-apps", action="store_true", help="skip the app constructor probes")
    ap.add_argument("--no-e2e", action="store_true", help="skip the end-to-end PKParams probes")
    args = ap.parse_args()
    _setup(args.code)
    import baclofen_teach
    from tests.fuzz import registry as reg

    print(f"package: {Path(baclofen_teach.__file__).parent}", file=sys.stderr)
    only = args.only.split(",") if args.only else []
    callees = [c for c in reg.public_callables() if not only or any(o in c.qualname for o in only)]
    rows: list[dict[str, Any]] = []
    slow: list[str] = []
    t_start = time.perf_counter()
    for c in callees:
        try:
            base_out = _run_in_child(lambda c=c: c.fn(**reg.base_kwargs(c)), args.timeout)
        except Exception as exc:  # noqa: BLE001
            base_out = ("raise", (type(exc).__name__, [], str(exc)), 0.0)
        base_problems = {f"{p}:{b}" for p, b in base_out[1]} if base_out[0] == "ok" else set()
        base_problems |= set(getattr(reg, "DOCUMENTED_NAN", {}).get(c.qualname, ()))
        if base_out[0] != "ok":
            print(f"base call of {c.qualname} failed: {base_out[1]}", file=sys.stderr)
        for prm in c.params:
            sp = reg.spec_for(c, prm.name)
            if sp is None:
                continue
            classes = dict(value_classes(sp.kind))
            if sp.kind in ("real", "array") and sp.base is not None and isinstance(sp.base, (int, float)):
                import numpy as np

                classes["np0d"] = ("accept", np.array(float(sp.base)))
                classes["np_f32"] = ("accept", np.float64(sp.base))
                if (
                    math.isfinite(sp.base)
                    and float(sp.base) == int(sp.base)
                    and not (sp.lo_open and sp.base == 0)
                ):
                    classes["np_i64"] = ("accept", np.int64(int(sp.base)))
            if sp.kind in ("real", "array") and sp.lo < 0:  # negative numbers are valid here
                for lab in ("neg", "neg_tiny"):
                    if lab in classes:
                        classes[lab] = ("accept", classes[lab][1])
            if prm.default is None:
                classes.pop("None", None)
            if sp.inf_ok:
                classes.pop("+inf", None)
            for label, (expect, value) in classes.items():

                def thunk(c: Any = c, prm: Any = prm, value: Any = value) -> Any:
                    return c.fn(**reg.call_kwargs(c, prm.name, _materialise(value)))

                post = _selfcheck_problem if sp.kind == "nb_path" else None
                out = _run_in_child(thunk, args.timeout, post=post)
                verdict = classify(expect, prm.name, out, base_problems)
                if out[2] > 1.0 and out[0] != "hang":
                    slow.append(f"{c.qualname}({prm.name}={label}): {out[2]:.1f} s")
                rows.append(
                    {
                        "function": c.qualname,
                        "parameter": prm.name,
                        "value": label,
                        "verdict": verdict,
                        "detail": str(out[1])[:300],
                        "seconds": round(out[2], 3),
                    }
                )
    if not args.no_apps and (not only or "apps" in only):
        from baclofen_teach import apps

        for app_name, kw, label, expect, value in app_probes():

            def mk(app_name: str = app_name, kw: str = kw, value: Any = value) -> Any:
                base = {} if kw == "interactive" else {"interactive": False}
                return getattr(apps, app_name)(**base, **{kw: value})

            out = _run_in_child(mk, args.timeout, post=_app_status)
            status = out[3] if out[0] == "ok" and len(out) > 3 else ""
            rows.append(
                {
                    "function": f"apps.{app_name}",
                    "parameter": kw,
                    "value": label,
                    "verdict": classify_app(expect, kw, out),
                    "detail": str(status if out[0] == "ok" else out[1])[:300],
                    "seconds": round(out[2], 3),
                    "value_shown": bool(status) and _value_shown(value, status),
                    "allowed_shown": bool(status) and _allowed_shown(status),
                }
            )
    from baclofen_teach import overdose, pk, pump

    e2e_base: dict[str, set[str]] = {}
    e2e = [] if args.no_e2e or (only and "e2e" not in only) else e2e_probes()
    for fname, thunk in (
        ("e2e.simulate", lambda: pk.simulate(reg.EVS, reg.P, reg.T)),
        ("e2e.catheter_failure", lambda: pump.catheter_failure(500.0)),
        ("e2e.oral_overdose", lambda: overdose.oral_overdose(600.0)),
    ):
        o = _run_in_child(thunk, args.timeout)
        e2e_base[fname] = {f"{p}:{b}" for p, b in o[1]} if o[0] == "ok" else set()
    for fname, field, label, thunk in e2e:
        out = _run_in_child(thunk, args.timeout)
        rows.append(
            {
                "function": fname,
                "parameter": field,
                "value": label,
                "verdict": classify("boundary", field, out, e2e_base.get(fname, set())),
                "detail": str(out[1])[:300],
                "seconds": round(out[2], 3),
            }
        )
    elapsed = time.perf_counter() - t_start
    counts = collections.Counter(r["verdict"] for r in rows)
    failing_fns = sorted({r["function"] for r in rows if r["verdict"].startswith("fail")})
    failing_params = sorted(
        {(r["function"], r["parameter"]) for r in rows if r["verdict"].startswith("fail")}
    )
    print(
        f"callables probed: {len(callees)} (+3 end-to-end); "
        f"parameters: {sum(len(c.params) for c in callees)}; "
        f"probes: {len(rows)}; {elapsed:.0f} s"
    )
    for verdict, n in sorted(counts.items(), key=lambda kv: (not kv[0].startswith("pass"), -kv[1])):
        print(f"  {n:6d}  {verdict}")
    nfail = sum(n for v, n in counts.items() if v.startswith("fail"))
    print(f"failures: {nfail} probes in {len(failing_fns)} functions ({len(failing_params)} parameters)")
    for fn in failing_fns:
        kinds = collections.Counter(
            r["verdict"] for r in rows if r["function"] == fn and r["verdict"].startswith("fail")
        )
        print(f"  {fn}: " + ", ".join(f"{k[6:]} x{n}" for k, n in kinds.items()))
    app_reports = [r for r in rows if r["verdict"].startswith("pass: reported by name in the status")]
    if app_reports:
        print(
            f"app status messages naming the keyword: {len(app_reports)}; showing the value: "
            f"{sum(r['value_shown'] for r in app_reports)}; saying what is allowed: "
            f"{sum(r['allowed_shown'] for r in app_reports)}"
        )
    print(f"calls slower than 1 s: {len(slow)}")
    for s in slow[:40]:
        print(f"  {s}")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "counts": counts, "slow": slow}, indent=1))


if __name__ == "__main__":
    main()
