"""Grade submissions with the generated autograder and write one CSV summary (docs/instructors.md).

``python -m baclofen_teach.coursework grade 01_half_life submissions/01_half_life/*.ipynb`` runs
``otter run`` (otter-grader's local grading, no Docker) on every submission, one at a time, in a scratch
copy, and writes

- ``results/01_half_life/<student>/results.json`` (otter's own result file) and ``log.txt`` (everything
  otter and the notebook's kernel printed: otter's banner, its "No log found" note, kernel warnings);
- ``results/01_half_life.csv``: one row per submission with the file, the student ID typed in the
  notebook, its variant code, the score of every question and the total.

The folders are created. The CSV leaves out otter's "Public Tests" row, which has no score (NaN) in
otter's own summary because our student notebooks carry their public tests in their metadata.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from baclofen_teach.coursework.variants import VARIANTS, normalise_id, variant_for


@dataclass
class Graded:
    """One graded submission."""

    student: str
    path: Path
    student_id: str
    variant: str
    scores: dict[str, tuple[float, float]]

    @property
    def total(self) -> float:
        return sum(s for s, _ in self.scores.values())

    @property
    def possible(self) -> float:
        return sum(p for _, p in self.scores.values())


def submission_id(path: Path) -> str | None:
    """The ``STUDENT_ID = "..."`` typed in a submission (None if the notebook has no ID cell)."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable submission is reported by otter itself
        return None
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "".join(cell.source) if isinstance(cell.source, list) else cell.source
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "STUDENT_ID"
            ):
                try:
                    return str(ast.literal_eval(node.value)).strip()
                except ValueError:
                    return "(not a plain text ID)"
    return None


@contextlib.contextmanager
def _all_output_to(log: Path):
    """Send Python's and the child processes' stdout/stderr (file descriptors 1 and 2) to ``log``."""
    sys.stdout.flush()
    sys.stderr.flush()
    with log.open("w", encoding="utf-8") as f:
        saved = os.dup(1), os.dup(2)
        os.dup2(f.fileno(), 1)
        os.dup2(f.fileno(), 2)
        try:
            with contextlib.redirect_stdout(f), contextlib.redirect_stderr(f):
                yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def grade_one(notebook: str, submission: Path, autograder: Path, out_dir: Path) -> Graded:
    """Grade one submission with ``otter run``; results and log go to ``out_dir`` (created)."""
    from otter.run import main as otter_run

    out_dir = out_dir.resolve()
    autograder = autograder.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    sid = submission_id(submission)
    if notebook in VARIANTS and sid is not None:
        variant = variant_for(notebook, sid).label
    else:
        variant = "-"
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        work = Path(tmp) / submission.name
        shutil.copyfile(submission, work)
        cwd = os.getcwd()
        try:
            os.chdir(tmp)
            with _all_output_to(out_dir / "log.txt"):
                results = otter_run(
                    work.name,
                    autograder=str(autograder.resolve()),
                    output_dir=str(out_dir.resolve()),
                    no_logo=True,
                )
        finally:
            os.chdir(cwd)
    scores = {
        name: (float(r.score), float(r.possible))
        for name, r in sorted(results.results.items())
        if r.possible  # otter's "Public Tests" pseudo-row has no points
    }
    shown = sid if sid is not None else "(no ID cell)"
    return Graded(
        submission.stem, submission, shown if normalise_id(sid) else "(none: default)", variant, scores
    )


def grade(
    notebook: str, submissions: list[Path], *, autograder: Path | None = None, results: Path = Path("results")
) -> list[Graded]:
    """Grade ``submissions`` of ``notebook``; write ``results/<notebook>.csv``; return the grades."""
    notebook = notebook.removesuffix(".ipynb")
    autograder = autograder or Path("coursework") / "build" / f"{notebook}-autograder.zip"
    if not autograder.exists():
        raise FileNotFoundError(
            f"no autograder {autograder}: run `make assignments` first (or give --autograder PATH)"
        )
    if not submissions:
        raise ValueError("no submissions given (e.g. submissions/01_half_life/*.ipynb)")
    graded = []
    for path in submissions:
        g = grade_one(notebook, Path(path), autograder, results / notebook / Path(path).stem)
        per_q = ", ".join(f"{q} {sc:g}/{p:g}" for q, (sc, p) in g.scores.items())
        print(
            f"{Path(path).name}: ID {g.student_id}, variant {g.variant}: "
            f"{g.total:g}/{g.possible:g} ({per_q})",
            flush=True,
        )
        graded.append(g)
    seen: dict[str, list[str]] = {}
    for g in graded:
        if g.variant not in ("-", "default"):
            seen.setdefault(normalise_id(g.student_id), []).append(Path(g.path).name)
    for sid, files in sorted(seen.items()):
        if len(files) > 1:
            print(f"note: {len(files)} submissions use the same student ID {sid!r}: {', '.join(files)}")
    questions = sorted({q for g in graded for q in g.scores})
    csv_path = results / f"{notebook}.csv"
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "file", "student_id", "variant", *questions, "total", "max"])
        for g in graded:
            writer.writerow(
                [
                    g.student,
                    str(g.path),
                    g.student_id,
                    g.variant,
                    *(f"{g.scores[q][0]:g}" if q in g.scores else "" for q in questions),
                    f"{g.total:g}",
                    f"{g.possible:g}",
                ]
            )
    print(
        f"wrote {csv_path} ({len(graded)} submissions); "
        f"otter's own output is in {results / notebook}/*/log.txt"
    )
    return graded


__all__ = ["Graded", "grade", "grade_one", "submission_id"]
