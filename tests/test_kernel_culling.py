"""Kernels do not pile up (issue 13): the settings binder/write_lab_settings.py writes for Binder and
`make lab`, and the culling they turn on, checked on a real Jupyter Server and a real Voila with short
timeouts."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_notebook

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "binder"))
import write_lab_settings as W  # noqa: E402

SHORT = ["--MappingKernelManager.cull_idle_timeout=3", "--MappingKernelManager.cull_interval=1"]


def test_settings_written_for_lab_server_and_voila(tmp_path):
    W.main(["--prefix", str(tmp_path)])
    lab = json.loads((tmp_path / "share/jupyter/lab/settings/overrides.json").read_text())
    assert lab["@jupyterlab/notebook-extension:tracker"]["kernelShutdown"] is True
    assert lab["@jupyterlab/apputils-extension:notification"]["checkForUpdates"] is False
    server = json.loads((tmp_path / "etc/jupyter/jupyter_server_config.d/baclofen_teach.json").read_text())
    voila = json.loads((tmp_path / "etc/jupyter/voila.json").read_text())
    for cfg, timeout in ((server, W.CULL_IDLE_TIMEOUT_S), (voila, W.VOILA_CULL_IDLE_TIMEOUT_S)):
        mkm = cfg["MappingKernelManager"]
        assert mkm["cull_idle_timeout"] == timeout > 0
        assert 0 < mkm["cull_interval"] <= timeout
        assert mkm["cull_connected"] is False  # a student's open notebook is never culled
    # idempotent, and other settings in the same files are kept
    W.main(["--prefix", str(tmp_path)])
    assert json.loads((tmp_path / "etc/jupyter/voila.json").read_text()) == voila


def test_the_lab_setting_names_exist_in_jupyterlab_schemas():
    schemas = Path(sys.prefix) / "share/jupyter/lab/schemas"
    for plugin, settings in W.LAB_OVERRIDES.items():
        package, name = plugin.split(":")
        schema = json.loads((schemas / package / f"{name}.json").read_text())
        for key in settings:
            assert key in schema["properties"], f"{plugin}: no setting {key!r}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(cmd: list[str], cwd: Path, env: dict, url: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=60).close()
            return proc
        except OSError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail(f"server did not start: {cmd}")


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def _kernels(proc: subprocess.Popen) -> list[psutil.Process]:
    """Live kernel processes under ``proc`` (a culled kernel that has exited, or is a zombie, is not one)."""
    alive = []
    for p in psutil.Process(proc.pid).children(recursive=True):
        try:
            if p.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(p.cmdline()):
                alive.append(p)
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return alive


def _env(tmp_path: Path) -> dict:
    W.main(["--prefix", str(tmp_path / "env")])
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_PATH=str(tmp_path / "env/etc/jupyter"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_PLATFORM_DIRS="1",
    )
    env.pop("JUPYTER_TOKEN", None)
    return env


def _wait_until(predicate, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return predicate()


@pytest.mark.slow
def test_server_culls_idle_unconnected_kernels(tmp_path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
    ]
    cmd += [
        "--IdentityProvider.token=",
        "--ServerApp.disable_check_xsrf=True",
        f"--ServerApp.root_dir={tmp_path}",
        *SHORT,
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    proc = _start(cmd, tmp_path, _env(tmp_path), url + "/api/status")
    try:
        for _ in range(2):
            req = urllib.request.Request(url + "/api/kernels", data=b"{}", method="POST")
            urllib.request.urlopen(req, timeout=60).close()

        def listed() -> list:
            with urllib.request.urlopen(url + "/api/kernels", timeout=10) as r:
                return json.load(r)

        assert len(listed()) == 2
        assert _wait_until(lambda: listed() == [], 30), f"kernels not culled: {listed()}"
    finally:
        _stop(proc)


@pytest.mark.slow
def test_three_voila_reloads_leave_at_most_one_kernel(tmp_path):
    nb = new_notebook(cells=[new_code_cell("import ipywidgets as w\nw.IntSlider(value=3)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "d.ipynb")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    cmd = [sys.executable, "-m", "voila", "d.ipynb", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"]
    proc = _start([*cmd, *SHORT], tmp_path, _env(tmp_path), url)
    try:
        for _ in range(2):  # the start-up request above was the first page load
            urllib.request.urlopen(url, timeout=60).close()
        assert len(_kernels(proc)) >= 2, "each page load should have started a kernel"
        assert _wait_until(lambda: len(_kernels(proc)) <= 1, 30), f"{len(_kernels(proc))} kernels left"
    finally:
        _stop(proc)
