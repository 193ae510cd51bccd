"""Tables never cut text short (issue 13): every DataFrame output of every notebook keeps its full cell text.

Each notebook in notebooks/ is executed (nbclient, as a student's Run All) and every table it shows, HTML or
plain text, is scanned for pandas' truncation marks: a cell ending in "..." or "…", or a "..." column.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
_TAG = re.compile(r"<[^>]+>")


def truncated_cells(html_table: str) -> list[str]:
    """Cells of an HTML table whose text pandas cut short."""
    out = []
    for raw in _CELL.findall(html_table):
        text = html.unescape(_TAG.sub("", raw)).strip()
        if text.endswith(("...", "…")):
            out.append(text[-80:])
    return out


def test_truncation_check_is_not_vacuous():
    import pandas as pd

    long = "secure the airway and support breathing (intubation and mechanical ventilation)"
    with pd.option_context("display.max_colwidth", 50):
        assert truncated_cells(pd.DataFrame({"step": [long]})._repr_html_())
    import baclofen_teach  # noqa: F401  (sets the package's display options)

    assert not truncated_cells(pd.DataFrame({"step": [long]})._repr_html_())
    assert long in pd.DataFrame({"step": [long]}).to_string()


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_table_output_is_cut_short(path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    problems = []
    tables = 0
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            page = data.get("text/html", "")
            if "<table" in page:
                tables += 1
                problems += [f"cell {i}: {t!r}" for t in truncated_cells(page)]
            text = data.get("text/plain", "")
            if "<table" in page and re.search(r"\.\.\.\s*$|\s\.\.\.\s", text, re.M):
                problems.append(f"cell {i}: plain-text table has '...': {text[:200]!r}")
    assert not problems, f"{path.name}: table text cut short:\n  " + "\n  ".join(problems)
