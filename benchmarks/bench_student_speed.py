"""Speed as a student feels it (issue 13): opening a notebook until all its cells have run, and importing the
apps.

Printed:

* per notebook, the time from starting its kernel to the end of Run All (kernel start, imports, every cell;
  nbclient, the kernel JupyterLab would start), next to a baseline notebook measured in the same run and
  interleaved with the course notebooks (numpy + matplotlib, one figure); target: each at most 2x the
  baseline;
* ``import baclofen_teach.apps`` in a fresh Python process (median of 5; target <= 0.8 s on the development
  machine) and, separately, the first app class (which loads matplotlib and ipywidgets), so nothing hides.

    .venv/bin/python benchmarks/bench_student_speed.py [rounds, default 1]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
RATIO_TARGET = 2.0
IMPORT_TARGET_S = 0.8

BASELINE = new_notebook(
    cells=[
        new_code_cell("import numpy as np\nimport matplotlib.pyplot as plt"),
        new_code_cell(
            "x = np.linspace(0, 10, 400)\nfig, ax = plt.subplots()\nax.plot(x, np.sin(x))\nplt.show()"
        ),
    ]
)


def open_and_run_all(nb, cwd: Path) -> float:
    nb = nbformat.from_dict(nb) if not isinstance(nb, nbformat.NotebookNode) else nb
    t0 = time.perf_counter()
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return time.perf_counter() - t0


def _in_fresh_process(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    times: dict[str, list[float]] = {"baseline": []}
    for _ in range(rounds):
        for path in notebooks:
            times["baseline"].append(open_and_run_all(nbformat.from_dict(BASELINE), ROOT))
            nb = nbformat.read(path, as_version=4)
            times.setdefault(path.name, []).append(open_and_run_all(nb, path.parent))
    base = statistics.median(times["baseline"])
    print(f"{'notebook':34s} {'open -> all run':>16s} {'x baseline':>11s}")
    print(f"{'baseline (numpy + matplotlib)':34s} {base:14.1f} s {1.0:10.2f}")
    for name, ts in times.items():
        if name != "baseline":
            t = statistics.median(ts)
            flag = "" if t / base <= RATIO_TARGET else f"  (over {RATIO_TARGET:g}x)"
            print(f"{name:34s} {t:14.1f} s {t / base:10.2f}{flag}")
    imp = [
        _in_fresh_process(
            "import time; t = time.perf_counter(); import baclofen_teach.apps; print(time.perf_counter() - t)"
        )
        for _ in range(5)
    ]
    first = [
        _in_fresh_process(
            "import time, baclofen_teach.apps as a; t = time.perf_counter(); a.HalfLifeApp; "
            "print(time.perf_counter() - t)"
        )
        for _ in range(3)
    ]
    numpy_mpl = [
        _in_fresh_process(
            "import time; t = time.perf_counter(); import numpy, matplotlib.figure; "
            "print(time.perf_counter() - t)"
        )
        for _ in range(3)
    ]
    print(
        f"import baclofen_teach.apps: {statistics.median(imp):.3f} s (target <= {IMPORT_TARGET_S} s); "
        f"first app class (matplotlib, ipywidgets, model): {statistics.median(first):.2f} s; "
        f"for scale, import numpy + matplotlib.figure: {statistics.median(numpy_mpl):.2f} s"
    )


if __name__ == "__main__":
    main()
