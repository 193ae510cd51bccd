"""Write the course's JupyterLab, Jupyter Server and Voila settings into the active environment.

Used by binder/postBuild (Binder) and `make lab`. Everything goes under ``sys.prefix`` (or ``--prefix``), so
nothing in the user's home folder changes:

* ``share/jupyter/lab/settings/overrides.json``: no news or update toast; closing a notebook's tab shuts its
  kernel down (``kernelShutdown``), so kernels do not pile up as a student visits the eight notebooks
  (eight idle kernels used about 1.2 GiB, more than a Binder session may have);
* ``etc/jupyter/jupyter_server_config.d/baclofen_teach.json``: the server culls kernels idle for
  ``CULL_IDLE_TIMEOUT_S`` that no tab is connected to (a student's open notebook is never culled);
* ``etc/jupyter/voila.json``: the same for standalone Voila, whose page reloads each left a kernel behind.

Run ``python binder/write_lab_settings.py --print`` to see the settings without writing them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

#: A kernel nobody is connected to is shut down after this long idle (seconds), checked every CULL_INTERVAL_S.
CULL_IDLE_TIMEOUT_S = 600
CULL_INTERVAL_S = 60
#: Voila pages are dashboards: a closed or reloaded page's kernel is of no further use.
VOILA_CULL_IDLE_TIMEOUT_S = 120
VOILA_CULL_INTERVAL_S = 30

LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"kernelShutdown": True},
}


def kernel_culling(timeout_s: int, interval_s: int) -> dict:
    return {
        "MappingKernelManager": {
            "cull_idle_timeout": timeout_s,
            "cull_interval": interval_s,
            "cull_connected": False,
            "cull_busy": False,
        }
    }


SERVER_CONFIG = kernel_culling(CULL_IDLE_TIMEOUT_S, CULL_INTERVAL_S)
VOILA_CONFIG = kernel_culling(VOILA_CULL_IDLE_TIMEOUT_S, VOILA_CULL_INTERVAL_S)


def _merge(path: Path, settings: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(path.read_text()) if path.exists() else {}
    for key, value in settings.items():
        if isinstance(value, dict) and isinstance(current.get(key), dict):
            current[key] = {**current[key], **value}
        else:
            current[key] = value
    path.write_text(json.dumps(current, indent=2) + "\n")
    print(f"wrote {path}")


def targets(prefix: Path) -> dict[Path, dict]:
    return {
        prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json": LAB_OVERRIDES,
        prefix / "etc" / "jupyter" / "jupyter_server_config.d" / "baclofen_teach.json": SERVER_CONFIG,
        prefix / "etc" / "jupyter" / "voila.json": VOILA_CONFIG,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", type=Path, default=Path(sys.prefix), help="environment prefix")
    parser.add_argument("--print", action="store_true", help="print the settings, write nothing")
    args = parser.parse_args(argv)
    for path, settings in targets(args.prefix).items():
        if args.print:
            print(f"{path}:\n{json.dumps(settings, indent=2)}")
        else:
            _merge(path, settings)


if __name__ == "__main__":
    main()
