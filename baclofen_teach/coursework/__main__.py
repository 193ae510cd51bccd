"""Command line: ``python -m baclofen_teach.coursework build [NN_name ...]`` (``make assignments``)."""

from __future__ import annotations

import argparse
import difflib
import sys
import tempfile
import time
from pathlib import Path

from baclofen_teach.coursework.build import REPO_ROOT, CourseworkError, build_all, source_paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m baclofen_teach.coursework",
        description="Generate student notebooks and autograders from coursework/sources "
        "(see coursework/README.md).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="regenerate notebooks/NN_name.ipynb and coursework/build/*")
    build.add_argument("names", nargs="*", help="only these notebooks, e.g. 01_half_life (default: all)")
    build.add_argument("--sources", type=Path, default=REPO_ROOT / "coursework" / "sources")
    build.add_argument("--notebooks", type=Path, default=REPO_ROOT / "notebooks")
    build.add_argument("--build-dir", type=Path, default=REPO_ROOT / "coursework" / "build")
    build.add_argument(
        "--no-run-tests", action="store_true", help="skip running the tests against the solutions (faster)"
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="build into a temporary folder and fail if a committed student notebook is out of date",
    )
    leak = sub.add_parser(
        "leakage",
        help="run student notebooks unanswered and report which answers are visible and what copying scores",
    )
    leak.add_argument("names", nargs="*", help="only these notebooks (default: all)")
    leak.add_argument("--id", action="append", default=None, help="student ID (repeatable; default: no ID)")
    grade = sub.add_parser(
        "grade", help="grade submissions with otter run and write results/NN_name.csv (docs/instructors.md)"
    )
    grade.add_argument("notebook", help="e.g. 01_half_life")
    grade.add_argument("submissions", nargs="+", type=Path, help="the submitted .ipynb files")
    grade.add_argument(
        "--autograder", type=Path, default=None, help="default: coursework/build/NN_name-autograder.zip"
    )
    grade.add_argument(
        "--results", type=Path, default=Path("results"), help="output folder (default: results)"
    )
    args = parser.parse_args(argv)
    if args.command == "grade":
        from baclofen_teach.coursework.grading import grade as grade_submissions

        try:
            grade_submissions(
                args.notebook, args.submissions, autograder=args.autograder, results=args.results
            )
        except (FileNotFoundError, ValueError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        return 0
    if args.command == "leakage":
        return _leakage(args)

    try:
        paths = source_paths(args.sources, args.names)
        if not paths:
            print(f"No source notebooks (NN_name.ipynb) in {args.sources}: nothing to build.")
            return 0
        if args.check:
            return _check(args, [p.stem for p in paths])
        for path in paths:
            start = time.perf_counter()
            (result,) = build_all(
                args.sources,
                args.notebooks,
                args.build_dir,
                names=[path.stem],
                run_tests=not args.no_run_tests,
            )
            print(
                f"{result.name}: {len(result.questions)} questions -> {_rel(result.student)}, "
                f"{_rel(result.autograder)} ({time.perf_counter() - start:.1f} s)"
            )
    except CourseworkError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


def _leakage(args: argparse.Namespace) -> int:
    from baclofen_teach.coursework.leakage import audit, format_audits

    ids = args.id or [""]
    for path in source_paths(None, args.names):
        for sid in ids:
            print(format_audits([audit(path.stem, sid)]), flush=True)
    return 0


def _check(args: argparse.Namespace, names: list[str]) -> int:
    stale = 0
    with tempfile.TemporaryDirectory() as tmp:
        results = build_all(args.sources, Path(tmp), None, names=names, run_tests=False)
        for result in results:
            committed = args.notebooks / result.student.name
            new = result.student.read_text(encoding="utf-8")
            old = committed.read_text(encoding="utf-8") if committed.exists() else ""
            if new != old:
                stale += 1
                print(f"{_rel(committed)} is out of date with its source: run `make assignments`")
                diff = difflib.unified_diff(
                    old.splitlines(), new.splitlines(), "committed", "regenerated", lineterm=""
                )
                print("\n".join(list(diff)[:40]))
    return 1 if stale else 0


def _rel(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
