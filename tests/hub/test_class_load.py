"""A shortened class on a real JupyterHub (benchmarks/bench_class.py): 3 students, one small notebook.

Runs the hub, the proxy, three servers and kernels on 127.0.0.1, all started and stopped here. Checks the
per-student run (0 errors, slider moved through the widget comm protocol), the fault drills (one student's
kernel killed mid-run gets a clear error and a restart works, the others are unaffected; a hub restart keeps
the running servers and the saved notebooks intact) and the idle culling of kernels and servers.
"""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

_BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_class.py"
_spec = importlib.util.spec_from_file_location("bench_class", _BENCH)
assert _spec is not None and _spec.loader is not None
bench_class = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench_class", bench_class)
_spec.loader.exec_module(bench_class)

pytestmark = [pytest.mark.hub, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def report() -> dict:
    if bench_class.find_chp() is None:
        msg = "configurable-http-proxy missing: npm install --prefix .ci/node configurable-http-proxy@5"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    culling = bench_class.HubConfig(
        kernel_cull_idle_s=5,
        kernel_cull_interval_s=2,
        server_cull_idle_s=20,
        server_cull_every_s=5,
        activity_interval_s=5,
    )
    return bench_class.run_class(
        students=3,
        notebook="notebooks/01_half_life.ipynb",
        updates=20,
        kill_student=0,
        hub_restart=True,
        culling=culling,
    )


def test_every_student_ran_without_errors(report: dict) -> None:
    for student in report["students"]:
        assert student["errors"] == [], student
        assert student["run_all_s"] > 0
        assert student["update_p50_ms"] > 0 and student["update_p95_ms"] >= student["update_p50_ms"]
        assert student["kernel_peak_rss_mb"] > 50
        assert student["kernel_cpu_s"] > 0
    assert report["total"]["errors"] == 0


def test_killed_kernel_gives_a_clear_error_and_restart_works(report: dict) -> None:
    victim, *others = report["students"]
    assert "kernel died" in victim["fault"] or "no answer from the kernel" in victim["fault"], victim["fault"]
    assert "restart the kernel" in victim["fault"] or "may have died" in victim["fault"]
    assert victim["errors"] == []  # after the restart, Run All and 20 slider moves succeeded
    assert all(o["fault"] == "" and o["errors"] == [] for o in others)


def test_hub_restart_keeps_servers_and_saved_notebooks(report: dict) -> None:
    restart = report["hub_restart"]
    assert len(restart["servers_alive_while_hub_down"]) == 3
    assert restart["notebooks_intact"] == [True, True, True]


def test_idle_kernels_and_servers_are_culled(report: dict) -> None:
    culling = report["culling"]
    assert culling["kernels_culled"], culling
    assert culling["servers_culled"], culling
