"""Give every notebook the exact ``language_info`` of this environment's kernel (Binder image build only).

JupyterLab writes the kernel's full ``language_info`` (codemirror mode, Python version, ...) into a notebook's
metadata when the kernel starts. The course notebooks carry only ``{"name": "python"}`` (the exact version
depends on the machine), so every notebook showed "unsaved changes" as soon as it opened. In the Binder image
the version is known: postBuild stamps it, and the notebooks open unchanged. (Locally the notebooks are left
alone, so that git shows no changes.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def kernel_language_info() -> dict:
    from ipykernel.ipkernel import IPythonKernel

    return json.loads(json.dumps(IPythonKernel.language_info))


def main(folders: list[str]) -> None:
    info = kernel_language_info()
    for folder in folders:
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            nb = json.loads(path.read_text())
            if nb.get("metadata", {}).get("language_info") != info:
                nb.setdefault("metadata", {})["language_info"] = info
                path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
                print(f"stamped {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["notebooks", "dashboards"])
