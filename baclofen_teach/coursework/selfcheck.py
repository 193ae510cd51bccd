"""Student-facing self-checks with honest wording ("Self-check, not a grade").

Every generated student notebook has, before its first question, the cell::

    from baclofen_teach.coursework import SelfCheck

    grader = SelfCheck("01_half_life.ipynb")

and each question ends with a generated ``grader.check("q1")`` cell. The result says plainly that it is
a self-check, not a grade; on failure it shows only the author's hints (the ``failure_message`` of the
failed tests), never the test code, which would give the answer away. When a test raises
:class:`~baclofen_teach.coursework.checks.AnswerFormatError` (an answer written as text, a choice that is
not a letter), only that format hint is shown, never a pharmacology hint.

The tests are the public tests that ``otter assign`` stored in the notebook's own metadata
(``metadata.otter.tests``, OK format), so several notebooks can share one folder without their
``tests/q1.py`` files colliding. They are run here exactly as otter-grader runs OK-format tests (each
test case is a doctest run in the notebook's global namespace), but without importing otter, which
takes several seconds, and without writing otter's ``.OTTER_LOG`` file next to the notebook.

While an instructor grades with ``otter run``, otter has switched itself to grading mode before the
student's cells run; ``check`` then hands over to ``otter.Notebook.check``, which runs the autograder's
full tests (hidden ones included) and records the result as usual.
"""

from __future__ import annotations

import doctest
import html
import inspect
import io
import json
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from textwrap import dedent
from typing import Any

from baclofen_teach.coursework.checks import AnswerFormatError

NOT_A_GRADE = "Self-check, not a grade"
DEFAULT_HINT = (
    "Re-read the question, check the unit and the form of the answer, and run the cells above again."
)

_PASS_COLOUR = "#1a7f37"  # dark green, 5.1:1 on white
_FAIL_COLOUR = "#9a4d00"  # dark orange, 6.0:1 on white


@dataclass
class SelfCheckResult:
    """The outcome of one self-check, shown in the notebook as plain text and as HTML.

    Attributes:
        question: the question name, e.g. ``"q1"``.
        passed: whether every test of the question passed.
        hints: the hints of the failed tests (empty when passed).
        messages: the success messages of the tests (shown when passed).
        problem: set instead of a result when the check could not run at all.
    """

    question: str
    passed: bool
    hints: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    problem: str | None = None

    def lines(self) -> tuple[str, list[str]]:
        if self.problem is not None:
            return f"{NOT_A_GRADE}: {self.question} could not be checked.", [self.problem]
        if self.passed:
            return f"{NOT_A_GRADE}: {self.question} passed.", list(self.messages)
        return f"{NOT_A_GRADE}: {self.question} \N{EM DASH} not yet.", [f"Hint: {h}" for h in self.hints]

    def text(self) -> str:
        """The result as plain text: a status line, then hints or messages, one per line."""
        head, body = self.lines()
        return "\n".join([head, *body])

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        head, body = self.lines()
        label, _, status = head.partition(": ")
        colour = _PASS_COLOUR if self.passed and self.problem is None else _FAIL_COLOUR
        parts = [
            '<div class="baclofen-selfcheck" role="status">',
            f'<p><strong>{html.escape(label)}:</strong> <span style="color: {colour};">'
            f"{html.escape(status)}</span></p>",
            *(f"<p>{html.escape(b)}</p>" for b in body),
            "</div>",
        ]
        return "".join(parts)


class _Runner(doctest.DocTestRunner):
    """A doctest runner that remembers the first :class:`AnswerFormatError` (its message is a hint)."""

    format_hint: str | None = None

    def report_unexpected_exception(self, out, test, example, exc_info):  # noqa: ANN001, ANN201
        if self.format_hint is None and isinstance(exc_info[1], AnswerFormatError):
            self.format_hint = str(exc_info[1])
        return super().report_unexpected_exception(out, test, example, exc_info)


def _run_case(name: str, code: str, global_env: dict[str, Any]) -> tuple[bool, str | None]:
    code = dedent(code)
    examples = [e for e in doctest.DocTestParser().parse(code, name) if isinstance(e, doctest.Example)]
    test = doctest.DocTest(examples, global_env, name, None, None, code)
    runner = _Runner(verbose=False)
    sink = io.StringIO()
    with redirect_stdout(sink), redirect_stderr(sink):
        outcome = runner.run(test, out=sink.write, clear_globs=False)
    return outcome.failed == 0, runner.format_hint


def run_ok_case(name: str, code: str, global_env: dict[str, Any]) -> bool:
    """Run one OK-format test case (a doctest) in ``global_env``, as otter-grader 7 does.

    Output printed by the test is swallowed. Returns whether every example passed.
    """
    return _run_case(name, code, global_env)[0]


def _otter_grading_mode() -> bool:
    otter = sys.modules.get("otter")
    return bool(otter is not None and getattr(otter.Notebook, "_grading_mode", False))


class SelfCheck:
    """Runs a notebook's public tests and reports "Self-check, not a grade".

    Args:
        nb_path: the notebook's file name, relative to the working directory (the notebook's own
            folder in JupyterLab, Voila and nbval). Its metadata holds the tests.

    The constructor never raises: if the notebook file cannot be read (e.g. it was renamed), each
    check says so instead of crashing the notebook halfway.
    """

    def __init__(self, nb_path: str):
        self.nb_path = nb_path
        self.tests: dict[str, dict[str, Any]] = {}
        self.problem: str | None = None
        if not isinstance(nb_path, (str, os.PathLike)):  # an int would open a file descriptor (0: stdin)
            hint = "the notebook's file name as text, e.g. '01_half_life.ipynb'"
            self.problem = f"nb_path must be {hint}; got {nb_path!r}."
            return
        try:
            with open(nb_path, encoding="utf-8") as f:
                metadata = json.load(f).get("metadata", {})
        except (OSError, ValueError) as e:
            self.problem = (
                f"the notebook file nb_path={nb_path!r} could not be read from the folder {os.getcwd()!r} "
                f"({type(e).__name__}). Open the notebook under its original name, from its own folder, "
                "and run this notebook from the top."
            )
            return
        otter_meta = metadata.get("otter", {})
        tests = otter_meta.get("tests") or {}
        if tests and otter_meta.get("OK_FORMAT") is not True:
            self.problem = f"the tests in {nb_path!r} are not in the OK format this self-check runs."
            return
        self.tests = tests

    def questions(self) -> list[str]:
        """The names of the questions this notebook can check."""
        return sorted(self.tests)

    def check(self, question: str, global_env: dict[str, Any] | None = None) -> Any:
        """Run the tests of ``question`` against the notebook's variables.

        Returns a :class:`SelfCheckResult` (during ``otter run`` grading, otter's own result object).
        """
        if global_env is None:
            frame = inspect.currentframe()
            caller = frame.f_back if frame is not None else None
            if caller is None:  # pragma: no cover - CPython always has frames
                raise RuntimeError("SelfCheck.check could not find the notebook's variables")
            global_env = caller.f_globals
        if _otter_grading_mode():
            import otter

            return otter.Notebook().check(question, global_env)
        if self.problem is not None:
            return SelfCheckResult(question, passed=False, problem=self.problem)
        if not isinstance(global_env, dict):
            raise ValueError(
                f"global_env must be a dict of the notebook's variables (or None); got {global_env!r}"
            )
        if not isinstance(question, str) or question not in self.tests:
            known = ", ".join(self.questions()) or "none"
            raise ValueError(
                f"question must be one of {known} (the self-checks of {self.nb_path}); got {question!r}"
            )
        return self._run(question, self.tests[question], global_env)

    @staticmethod
    def _run(question: str, spec: dict[str, Any], global_env: dict[str, Any]) -> SelfCheckResult:
        suites = spec.get("suites", [])
        cases = [case for suite in suites for case in suite.get("cases", [])]
        hints: list[str] = []
        messages: list[str] = []
        format_hints: list[str] = []
        passed_all = True
        for i, case in enumerate(cases):
            passed, format_hint = _run_case(f"{question} {i}", case["code"], global_env)
            passed_all &= passed
            if format_hint and format_hint not in format_hints:
                format_hints.append(format_hint)
            note = case.get("success_message") if passed else case.get("failure_message")
            bucket = messages if passed else hints
            if note and note not in bucket:
                bucket.append(note)
        if passed_all:
            return SelfCheckResult(question, passed=True, messages=messages)
        if format_hints:  # the form of the answer is wrong: say how to write it, not how to solve it
            return SelfCheckResult(question, passed=False, hints=format_hints)
        return SelfCheckResult(question, passed=False, hints=hints or [DEFAULT_HINT])
