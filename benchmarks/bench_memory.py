"""Memory as a Binder student meets it (issue 13): kernel RSS per notebook, the whole course in one session,
and Voila reloads.

Printed:

* each notebook's kernel peak RSS (``VmHWM``) after Run All (nbclient, one fresh kernel per notebook);
  target <= 160 MiB each;
* the whole course in one session: the notebooks visited one after the other as a student would, with the
  course settings (closing a tab shuts its kernel down: one kernel at a time) and without them (every kernel
  left running, what students had before); target <= 600 MiB for kernels (server not counted);
* ``--voila``: three page loads of dashboards/dashboards.ipynb in Voila with the course's culling settings
  (binder/write_lab_settings.py), then the number of kernels still alive after the cull interval; target <= 1.

    .venv/bin/python benchmarks/bench_memory.py            # ~1-2 min
    .venv/bin/python benchmarks/bench_memory.py --voila    # + ~3 min (waits for Voila's cull interval)
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024
NOTEBOOK_TARGET_MIB = 160
COURSE_TARGET_MIB = 600


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return psutil.Process(pid).memory_info().rss


def run_notebook(path: Path, keep: list) -> tuple[int, int]:
    """Run All in a fresh kernel; returns (peak RSS, current RSS) in bytes. The client is kept alive (its
    kernel running) in ``keep`` when given, as when a student leaves the tab open."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.km = client.create_kernel_manager()
    client.start_new_kernel()
    client.start_new_kernel_client()
    try:
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        pid = client.km.provisioner.process.pid
        peak, now = _peak_rss(pid), psutil.Process(pid).memory_info().rss
    finally:
        if keep is None:
            client._cleanup_kernel()
        else:
            keep.append(client)
    return peak, now


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voila", action="store_true", help="also measure Voila reloads and culling")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"{'notebook':34s} {'peak RSS':>10s} {'after run':>10s}")
    worst = 0.0
    for path in notebooks:
        peak, now = run_notebook(path, keep=None)
        worst = max(worst, peak / MiB)
        print(f"{path.name:34s} {peak / MiB:8.0f} MiB {now / MiB:8.0f} MiB")
    print(f"largest notebook kernel: {worst:.0f} MiB (target <= {NOTEBOOK_TARGET_MIB} MiB)")
    # One session without the course settings: every kernel stays alive.
    kept: list = []
    for path in notebooks:
        run_notebook(path, keep=kept)
    total = sum(psutil.Process(c.km.provisioner.process.pid).memory_info().rss for c in kept)
    for c in kept:
        c._cleanup_kernel()
    print(
        f"whole course, tabs left open (no kernelShutdown): {len(kept)} kernels, {total / MiB:.0f} MiB; "
        f"with the course settings one kernel at a time: at most {worst:.0f} MiB "
        f"(target <= {COURSE_TARGET_MIB} MiB)"
    )
    if args.voila:
        voila_reloads()


def voila_reloads() -> None:
    sys.path.insert(0, str(ROOT / "binder"))
    import write_lab_settings as W

    with tempfile.TemporaryDirectory() as tmp:
        W.main(["--prefix", tmp])
        env = dict(os.environ, JUPYTER_CONFIG_PATH=f"{tmp}/etc/jupyter", JUPYTER_PLATFORM_DIRS="1")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cmd = [sys.executable, "-m", "voila", "dashboards.ipynb", "--no-browser", f"--port={port}"]
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT / "dashboards",
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 120
            loads = 0
            while loads < 3 and time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(url, timeout=120).close()
                    loads += 1
                except OSError:
                    time.sleep(0.5)

            def kernels() -> list:
                kids = psutil.Process(proc.pid).children(recursive=True)
                return [k for k in kids if "ipykernel" in " ".join(k.cmdline())]

            print(
                f"voila: {loads} page loads -> {len(kernels())} kernels, "
                f"{sum(k.memory_info().rss for k in kernels()) / MiB:.0f} MiB"
            )
            wait = W.VOILA_CULL_IDLE_TIMEOUT_S + 2 * W.VOILA_CULL_INTERVAL_S
            time.sleep(wait)
            print(
                f"voila: after {wait} s (cull timeout + 2 intervals): {len(kernels())} kernels left "
                "(target <= 1)"
            )
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
