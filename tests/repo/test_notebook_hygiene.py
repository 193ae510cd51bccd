"""Hygiene of every committed notebook (globbed, so new notebooks are covered automatically).

All notebooks: valid nbformat, kernelspec ``python3``, no committed outputs or execution counts.
notebooks/: one H1, the disclaimer and the licence footer.
notebooks/ and coursework/sources/: no ``%matplotlib`` magics (the apps module chooses the backend).
All notebooks: code lines of at most 99 characters (JupyterLab at 1280 px with the file browser open shows
about 100), except two otter-specific kinds of line (see ``long_code_lines``).
"""

import re
from pathlib import Path

import nbformat
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIRS = ("notebooks", "coursework/sources", "dashboards")
DISCLAIMER = "Educational model, not dosing advice"
LICENCE_LINE = (
    "Code: MIT License. Notebook text and figures: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)."
)
MATPLOTLIB_MAGIC = re.compile(r"^\s*%matplotlib\b", re.MULTILINE)
MAX_CODE_LINE = 99
TEST_CONFIG_START = '""" # BEGIN TEST CONFIG'
TEST_CONFIG_END = '""" # END TEST CONFIG'


def _find_notebooks(*dirs: str) -> list[Path]:
    found = []
    for d in dirs:
        found += [p for p in sorted((REPO_ROOT / d).rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts]
    return found


def _ids(paths: list[Path]) -> list[str]:
    return [p.relative_to(REPO_ROOT).as_posix() for p in paths]


ALL_NOTEBOOKS = _find_notebooks(*NOTEBOOK_DIRS)
STUDENT_NOTEBOOKS = _find_notebooks("notebooks")
NO_MAGIC_NOTEBOOKS = _find_notebooks("notebooks", "coursework/sources")


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def markdown_headings(source: str, level: int) -> list[str]:
    """ATX (``# x``), setext (``x`` over ``===``, level 1 only) and HTML headings, ignoring fenced code."""
    headings = []
    in_fence = False
    lines = source.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = re.match(r"^ {0,3}(#{1,6})(?:\s+(.*))?$", line)
        if m and len(m.group(1)) == level:
            headings.append((m.group(2) or "").strip())
        elif (
            level == 1
            and re.match(r"^ {0,3}=+\s*$", line)
            and i > 0
            and lines[i - 1].strip()
            and not lines[i - 1].lstrip().startswith("#")
        ):
            headings.append(lines[i - 1].strip())
    headings += re.findall(rf"<h{level}\b[^>]*>(.*?)</h{level}>", source, flags=re.IGNORECASE | re.DOTALL)
    return headings


def test_notebooks_are_found():
    assert STUDENT_NOTEBOOKS, "no notebooks found under notebooks/ (the glob is broken or the folder moved)"
    assert REPO_ROOT / "notebooks" / "00_start_here.ipynb" in STUDENT_NOTEBOOKS


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_valid_nbformat(path):
    nb = _read(path)
    assert nb.nbformat == 4, f"{path.name}: nbformat {nb.nbformat}, expected 4"
    nbformat.validate(nb)


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_kernelspec_is_python3(path):
    kernelspec = _read(path).metadata.get("kernelspec", {})
    assert kernelspec.get("name") == "python3", f"{path.name}: kernelspec {kernelspec!r}, expected python3"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_no_committed_outputs(path):
    dirty = [
        i
        for i, cell in enumerate(_read(path).cells)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not dirty, (
        f"{path.name}: code cells {dirty} have outputs or execution counts; clear them "
        "(Edit > Clear Outputs of All Cells, or `jupyter nbconvert --clear-output --inplace`) first"
    )


@pytest.mark.parametrize("path", NO_MAGIC_NOTEBOOKS, ids=_ids(NO_MAGIC_NOTEBOOKS))
def test_no_matplotlib_magic(path):
    bad = [
        i
        for i, cell in enumerate(_read(path).cells)
        if cell.cell_type == "code" and MATPLOTLIB_MAGIC.search(cell.source)
    ]
    assert not bad, f"{path.name}: cells {bad} use %matplotlib; baclofen_teach.apps sets the backend"


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=_ids(STUDENT_NOTEBOOKS))
def test_exactly_one_h1(path):
    cells = _read(path).cells
    h1 = [h for cell in cells if cell.cell_type == "markdown" for h in markdown_headings(cell.source, 1)]
    assert len(h1) == 1, f"{path.name}: expected exactly one H1 heading, found {len(h1)}: {h1}"


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=_ids(STUDENT_NOTEBOOKS))
def test_disclaimer_and_licence_footer(path):
    markdown = [cell.source for cell in _read(path).cells if cell.cell_type == "markdown"]
    text = "\n".join(markdown)
    assert DISCLAIMER in text, f"{path.name}: the disclaimer {DISCLAIMER!r} is missing"
    footer = [s for s in markdown if LICENCE_LINE in s]
    assert footer, f"{path.name}: the licence footer line is missing (exact wording: {LICENCE_LINE!r})"
    assert DISCLAIMER in footer[-1], f"{path.name}: the footer cell must also say {DISCLAIMER!r}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# Title\ntext", ["Title"]),
        ("## Sub\n# Title", ["Title"]),
        ("```python\n# a comment\n```\n", []),
        ("Title\n=====\n", ["Title"]),
        ("<h1>Title</h1>", ["Title"]),
        ("#hashtag, not a heading", []),
    ],
)
def test_h1_detection(source, expected):
    assert markdown_headings(source, 1) == expected


def long_code_lines(source: str, limit: int = MAX_CODE_LINE) -> list[tuple[int, int]]:
    """(line number, length) of the lines of a code cell longer than ``limit`` characters.

    Exempt (otter-grader syntax, see coursework/README.md): lines inside a test cell's
    ``\"\"\" # BEGIN TEST CONFIG`` ... ``\"\"\" # END TEST CONFIG`` YAML block (a ``failure_message``
    hint is one YAML string), and lines ending with ``# SOLUTION`` (otter needs the marker on the same
    line as the whole solution statement).
    """
    long = []
    in_config = False
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(TEST_CONFIG_START):
            in_config = True
        exempt = in_config or line.rstrip().endswith("# SOLUTION")
        if stripped.startswith(TEST_CONFIG_END):
            in_config = False
        if len(line) > limit and not exempt:
            long.append((number, len(line)))
    return long


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_code_lines_fit_the_editor(path):
    too_long = {
        i: lines
        for i, cell in enumerate(_read(path).cells)
        if cell.cell_type == "code" and (lines := long_code_lines(cell.source))
    }
    assert not too_long, (
        f"{path.name}: code lines longer than {MAX_CODE_LINE} characters (cell index: [(line, length)]): "
        f"{too_long}; wrap them (implicit string concatenation inside parentheses, one argument per line, "
        "an intermediate variable) so the ends are not hidden behind a horizontal scrollbar"
    )


def test_long_code_lines_rule():
    long_print = "print(" + '"x" * 200' + " + " + '"' + "y" * 100 + '")'
    assert long_code_lines("a = 1\n" + long_print) == [(2, len(long_print))]
    assert long_code_lines("x" * 99) == []
    assert long_code_lines("x" * 100) == [(1, 100)]
    solution = "q1_hours = " + "half_life_h * " * 8 + "1  # SOLUTION"
    assert len(solution) > 99 and long_code_lines(solution) == []
    config = (
        f'{TEST_CONFIG_START}\nfailure_message: "{"h" * 120}"\n{TEST_CONFIG_END}\n'
        f"assert {'q1_hours' * 15} > 0"
    )
    assert long_code_lines(config) == [(4, len(f"assert {'q1_hours' * 15} > 0"))]
