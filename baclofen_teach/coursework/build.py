"""Build student notebooks and autograders from the coursework source notebooks.

For every source notebook ``coursework/sources/NN_name.ipynb`` (solutions and tests, otter-grader 7
"assign" format, conventions in coursework/README.md) :func:`build_all` writes

- ``notebooks/NN_name.ipynb``: the student notebook (answers replaced by ``...``, hidden tests removed,
  a ``grader.check("qN")`` cell after each question, public tests in the notebook metadata), and
- ``coursework/build/NN_name-autograder.zip`` and ``coursework/build/NN_name-solutions.ipynb``: what an
  instructor needs to grade with ``otter run``.

Before running ``otter assign`` the source is validated (config cell, self-check setup cell, tests
written as ``assert`` statements, no ordinary cell reading an answer variable). After it, the student
notebook is normalised so that the output is byte-for-byte deterministic: no outputs or execution
counts, a fixed kernelspec, only whitelisted metadata, and cell ids derived from the cell contents.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import hashlib
import io
import logging
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE_PATTERN = re.compile(r"^\d\d_[a-z0-9_]+$")

#: The assignment config every source must carry (``name`` must equal the file stem).
REQUIRED_CONFIG: dict[str, Any] = {
    "init_cell": False,
    "check_all_cell": False,
    "export_cell": False,
    "run_tests": True,
    "generate": True,
    "tests": {"files": False, "ok_format": True},
}

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}
CELL_METADATA_KEYS = ("deletable", "editable", "jupyter", "tags")

_BLOCK_RE = re.compile(r"^\s*#\s*(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS|PROMPT)\b", re.IGNORECASE)
_CONFIG_RE = re.compile(r"^\s*#\s*ASSIGNMENT\s+CONFIG\b", re.IGNORECASE)
_TEST_CONFIG_RE = re.compile(r'^(?:.\s*=\s*)?""?"?\s*#\s*BEGIN\s*TEST\s*CONFIG', re.IGNORECASE)
_END_TEST_CONFIG_RE = re.compile(r'^""?"?\s*#\s*END\s*TEST\s*CONFIG', re.IGNORECASE)


class CourseworkError(ValueError):
    """A source notebook breaks the coursework conventions (the message says which and where)."""


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build_source` wrote for one source notebook."""

    name: str
    student: Path
    autograder: Path | None
    solutions: Path | None
    questions: tuple[str, ...]


def source_paths(sources_dir: Path | None = None, names: list[str] | None = None) -> list[Path]:
    """The source notebooks ``NN_name.ipynb`` in ``sources_dir``, sorted (optionally only ``names``)."""
    sources_dir = Path(sources_dir) if sources_dir is not None else REPO_ROOT / "coursework" / "sources"
    found = sorted(p for p in sources_dir.glob("*.ipynb") if SOURCE_PATTERN.match(p.stem))
    if names:
        wanted = {n.removesuffix(".ipynb") for n in names}
        missing = wanted - {p.stem for p in found}
        if missing:
            raise CourseworkError(f"no source notebook for {sorted(missing)} in {sources_dir}")
        found = [p for p in found if p.stem in wanted]
    return found


# --------------------------------------------------------------------------------------------------
# validation of a source notebook


def _src(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _where(name: str, index: int) -> str:
    return f"{name}.ipynb, cell {index + 1}"


def _parse_config(nb: Any, name: str) -> dict[str, Any]:
    if not nb.cells or nb.cells[0].cell_type != "raw" or not _CONFIG_RE.match(_src(nb.cells[0])):
        raise CourseworkError(
            f"{_where(name, 0)}: the first cell must be the Raw '# ASSIGNMENT CONFIG' cell "
            "(copy it from coursework/README.md)"
        )
    config = yaml.safe_load(_src(nb.cells[0]))
    if not isinstance(config, dict):
        raise CourseworkError(f"{_where(name, 0)}: the assignment config is not a YAML mapping")
    if config.get("name") != name:
        raise CourseworkError(
            f"{_where(name, 0)}: 'name: {config.get('name')}' must equal the file name without "
            f".ipynb: 'name: {name}'"
        )
    rest = {k: v for k, v in config.items() if k != "name"}
    if rest != REQUIRED_CONFIG:
        raise CourseworkError(
            f"{_where(name, 0)}: the assignment config must be exactly the one in coursework/README.md "
            f"(only 'name' changes); expected {REQUIRED_CONFIG}, found {rest}"
        )
    return config


def _check_setup_cell(nb: Any, name: str) -> int:
    pattern = re.compile(r"""^grader\s*=\s*SelfCheck\(\s*["']([^"']+)["']\s*\)\s*$""", re.MULTILINE)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        m = pattern.search(_src(cell))
        if m:
            if m.group(1) != f"{name}.ipynb":
                raise CourseworkError(
                    f'{_where(name, i)}: the setup cell must say SelfCheck("{name}.ipynb"), '
                    f'not SelfCheck("{m.group(1)}")'
                )
            if "from baclofen_teach.coursework import SelfCheck" not in _src(cell):
                raise CourseworkError(
                    f"{_where(name, i)}: the setup cell must import SelfCheck with "
                    "'from baclofen_teach.coursework import SelfCheck'"
                )
            return i
    raise CourseworkError(
        f'{name}.ipynb: no self-check setup cell (`grader = SelfCheck("{name}.ipynb")`) was found; '
        "copy it from coursework/README.md, section 2"
    )


def _assigned_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def _loaded_names(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _parse_code(source: str, where: str) -> ast.Module:
    # IPython magics and shell escapes are not Python: blank them for the static checks.
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError as e:
        raise CourseworkError(f"{where}: invalid Python syntax: {e.msg} (line {e.lineno})") from e


def _check_test_cell(source: str, where: str) -> None:
    lines = source.splitlines()
    body_start = 0
    if lines and _TEST_CONFIG_RE.match(lines[0]):
        for j, line in enumerate(lines):
            if j > 0 and _END_TEST_CONFIG_RE.match(line):
                body_start = j + 1
                config = yaml.safe_load("\n".join(lines[1:j]))
                if not isinstance(config, dict):
                    raise CourseworkError(f"{where}: the test config is not a YAML mapping")
                unknown = set(config) - {"hidden", "points", "success_message", "failure_message"}
                if unknown:
                    raise CourseworkError(f"{where}: unknown test config keys {sorted(unknown)}")
                break
        else:
            raise CourseworkError(f'{where}: """ # BEGIN TEST CONFIG without """ # END TEST CONFIG')
    tree = _parse_code("\n".join(lines[body_start:]), where)
    if not tree.body:
        raise CourseworkError(f"{where}: empty test cell")
    for node in tree.body:
        if isinstance(node, ast.Expr):
            raise CourseworkError(
                f"{where}: line {node.lineno + body_start} of this test is a bare expression; "
                "write tests as `assert` statements (a bare expression is compared with stored output)"
            )


def validate_source(nb: Any, name: str) -> list[str]:
    """Check a source notebook against coursework/README.md; return its question names.

    Raises:
        CourseworkError: naming the notebook, the cell and the rule that is broken.
    """
    _parse_config(nb, name)
    setup_index = _check_setup_cell(nb, name)

    questions: list[str] = []
    answer_vars: dict[str, str] = {}  # variable -> question
    stack: list[str] = []
    question = ""
    for i, cell in enumerate(nb.cells[1:], start=1):
        source = _src(cell)
        if cell.cell_type == "raw":
            m = _BLOCK_RE.match(source)
            if not m:
                continue
            kind, block = m.group(1).upper(), m.group(2).upper()
            if kind == "BEGIN":
                if block == "QUESTION":
                    if stack:
                        raise CourseworkError(f"{_where(name, i)}: BEGIN QUESTION inside another block")
                    config = yaml.safe_load(source)
                    if not isinstance(config, dict) or not config.get("name"):
                        raise CourseworkError(f"{_where(name, i)}: the question needs 'name: qN'")
                    question = str(config["name"])
                    if not re.fullmatch(r"q\d+[a-z]?", question):
                        raise CourseworkError(
                            f"{_where(name, i)}: question names are q1, q2, ... ('{question}')"
                        )
                    if question in questions:
                        raise CourseworkError(f"{_where(name, i)}: question name {question} is used twice")
                    if "points" not in config:
                        raise CourseworkError(f"{_where(name, i)}: question {question} needs 'points:'")
                    if i < setup_index:
                        raise CourseworkError(
                            f"{_where(name, i)}: question {question} comes before the self-check setup cell"
                        )
                    questions.append(question)
                elif not stack:
                    raise CourseworkError(f"{_where(name, i)}: BEGIN {block} outside a question")
                stack.append(block)
            else:
                if not stack or stack[-1] != block:
                    raise CourseworkError(
                        f"{_where(name, i)}: END {block} does not close an open BEGIN {block}"
                    )
                stack.pop()
            continue
        if cell.cell_type != "code":
            continue
        where = _where(name, i)
        block = stack[-1] if stack else ""
        if block == "TESTS":
            _check_test_cell(source, where)
            continue
        tree = _parse_code(source, where)
        if block == "SOLUTION":
            for var in _assigned_names(tree):
                answer_vars.setdefault(var, question)
            continue
        used = sorted(v for v in _loaded_names(tree) if v in answer_vars)
        if used:
            raise CourseworkError(
                f"{where}: this cell uses the answer variable(s) {used} (from "
                f"{', '.join(sorted({answer_vars[v] for v in used}))}); in the student notebook they are "
                "`...`. Recompute the value from the package instead (coursework/README.md, section 7)"
            )
    if stack:
        raise CourseworkError(f"{name}.ipynb: unclosed block(s) at the end: {stack}")
    if not questions:
        raise CourseworkError(f"{name}.ipynb: no questions (# BEGIN QUESTION) found")
    return questions


# --------------------------------------------------------------------------------------------------
# normalisation of the generated notebooks


def _cell_id(cell: Any, seen: dict[str, int]) -> str:
    digest = hashlib.sha1(f"{cell.cell_type}\0{_src(cell)}".encode()).hexdigest()[:12]
    n = seen.get(digest, 0)
    seen[digest] = n + 1
    return digest if n == 0 else f"{digest}-{n}"


def normalise_notebook(nb: Any, name: str, source_rel: str) -> Any:
    """Return a copy of ``nb`` with deterministic content: no outputs, fixed metadata and cell ids."""
    nb = copy.deepcopy(nb)
    nb.nbformat, nb.nbformat_minor = 4, 5
    otter_meta = nb.metadata.get("otter")
    metadata: dict[str, Any] = {
        "baclofen_teach": {
            "generated_from": source_rel,
            "note": "Generated by `make assignments`: edit the source notebook, not this file.",
        },
        "kernelspec": dict(KERNELSPEC),
        "language_info": dict(LANGUAGE_INFO),
    }
    if otter_meta is not None:
        metadata["otter"] = otter_meta
    nb.metadata = nbformat.from_dict(metadata)
    seen: dict[str, int] = {}
    for cell in nb.cells:
        cell.source = _src(cell).rstrip("\n")
        cell.metadata = nbformat.from_dict(
            {k: cell.metadata[k] for k in CELL_METADATA_KEYS if k in cell.get("metadata", {})}
        )
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
        if not cell.get("attachments"):
            cell.pop("attachments", None)
        cell.id = _cell_id(cell, seen)
    nbformat.validate(nb)
    return nb


def notebook_text(nb: Any) -> str:
    """Serialise a notebook deterministically (sorted keys, one-space indent, final newline)."""
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def _strip_source(nb: Any) -> Any:
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


# --------------------------------------------------------------------------------------------------
# building


def _run_otter_assign(master: Path, out_dir: Path, run_tests: bool) -> str:
    from otter.assign import main as otter_assign

    log = io.StringIO()
    handler = logging.StreamHandler(log)
    otter_logger = logging.getLogger("otter")
    otter_logger.addHandler(handler)
    try:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            otter_assign(str(master), str(out_dir), no_pdfs=True, no_run_tests=not run_tests)
    except Exception as e:
        raise CourseworkError(f"otter assign failed for {master.name}: {e}\n{log.getvalue()}") from e
    finally:
        otter_logger.removeHandler(handler)
    return log.getvalue()


def build_source(
    source: Path,
    notebooks_dir: Path,
    build_dir: Path | None,
    *,
    run_tests: bool = True,
    root: Path | None = None,
) -> BuildResult:
    """Build one source notebook: write the student notebook and (if ``build_dir``) the autograder.

    Args:
        source: ``coursework/sources/NN_name.ipynb``.
        notebooks_dir: where the student notebook ``NN_name.ipynb`` is written.
        build_dir: where ``NN_name-autograder.zip`` and ``NN_name-solutions.ipynb`` go (None: skip).
        run_tests: let ``otter assign`` run every test against the solutions (slower, stricter).
        root: the repository root, to record the source path relative to it in the metadata.
    """
    source = Path(source)
    name = source.stem
    nb = nbformat.read(source, as_version=4)
    questions = validate_source(nb, name)
    try:
        source_rel = source.resolve().relative_to((root or REPO_ROOT).resolve()).as_posix()
    except ValueError:
        source_rel = source.name

    with tempfile.TemporaryDirectory(prefix=f"coursework-{name}-") as tmp:
        tmp_path = Path(tmp)
        master = tmp_path / "src" / f"{name}.ipynb"
        master.parent.mkdir()
        nbformat.write(_strip_source(nb), master)
        out = tmp_path / "out"
        _run_otter_assign(master, out, run_tests)

        student = nbformat.read(out / "student" / f"{name}.ipynb", as_version=4)
        checks = [q for q in questions if f'grader.check("{q}")' in {_src(c) for c in student.cells}]
        if checks != questions:
            raise CourseworkError(
                f"{name}.ipynb: otter assign made check cells for {checks}, expected {questions}; "
                "does every question have a public test (one without # HIDDEN)?"
            )
        missing = [q for q in questions if q not in student.metadata.get("otter", {}).get("tests", {})]
        if missing:
            raise CourseworkError(f"{name}.ipynb: no public test for {missing}")
        student = normalise_notebook(student, name, source_rel)
        notebooks_dir = Path(notebooks_dir)
        notebooks_dir.mkdir(parents=True, exist_ok=True)
        student_path = notebooks_dir / f"{name}.ipynb"
        _write_if_changed(student_path, notebook_text(student))

        autograder_path = solutions_path = None
        if build_dir is not None:
            build_dir = Path(build_dir)
            build_dir.mkdir(parents=True, exist_ok=True)
            zips = sorted((out / "autograder").glob(f"{name}-autograder_*.zip"))
            if len(zips) != 1:
                raise CourseworkError(f"{name}.ipynb: expected one autograder zip, found {zips}")
            autograder_path = build_dir / f"{name}-autograder.zip"
            shutil.copyfile(zips[0], autograder_path)
            solutions = nbformat.read(out / "autograder" / f"{name}.ipynb", as_version=4)
            for cell in solutions.cells:  # its self-checks read its own metadata (hidden tests too)
                if cell.cell_type == "code":
                    cell.source = _src(cell).replace(
                        f'SelfCheck("{name}.ipynb")', f'SelfCheck("{name}-solutions.ipynb")'
                    )
            solutions_path = build_dir / f"{name}-solutions.ipynb"
            _write_if_changed(solutions_path, notebook_text(normalise_notebook(solutions, name, source_rel)))
    return BuildResult(name, student_path, autograder_path, solutions_path, tuple(questions))


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def build_all(
    sources_dir: Path | None = None,
    notebooks_dir: Path | None = None,
    build_dir: Path | None = None,
    *,
    names: list[str] | None = None,
    run_tests: bool = True,
) -> list[BuildResult]:
    """Build every source notebook (or only ``names``); see :func:`build_source`."""
    notebooks_dir = notebooks_dir if notebooks_dir is not None else REPO_ROOT / "notebooks"
    build_dir = build_dir if build_dir is not None else REPO_ROOT / "coursework" / "build"
    return [
        build_source(p, notebooks_dir, build_dir, run_tests=run_tests)
        for p in source_paths(sources_dir, names)
    ]
