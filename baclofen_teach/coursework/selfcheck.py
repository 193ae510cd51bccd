"""Student-facing self-checks: otter-grader's ``Notebook`` with honest wording.

Every generated student notebook starts its exercises with::

    from baclofen_teach.coursework import SelfCheck

    grader = SelfCheck("01_half_life.ipynb")

and each question ends with ``grader.check("q1")``. The result says plainly that it is a
self-check, not a grade, and on failure shows only the author's hints (the ``failure_message``
of the failed public tests), never the test code, which would give the answer away.

Tests are read from the notebook's own metadata (``metadata.otter.tests``), so several
notebooks can share one folder without their ``tests/q1.py`` files colliding. Nothing is
written to disk (otter's ``.OTTER_LOG`` is not created).

During grading (``otter run``) otter switches to grading mode; the check then runs the
autograder's full tests (including hidden ones) and is recorded by otter as usual.
"""

from __future__ import annotations

import html
import inspect
from typing import Any

import otter
from otter.test_files import TestFile

NOT_A_GRADE = "Self-check, not a grade"
DEFAULT_HINT = "Re-read the question, check the units, and run the cells above again."


class SelfCheckResult:
    """The outcome of one self-check, shown in the notebook as plain text and HTML.

    Attributes:
        question: the question name, e.g. ``"q1"``.
        passed: whether every public test of the question passed.
        hints: the hints of the failed tests (empty when passed).
        messages: success messages of passed tests (shown when passed).
    """

    def __init__(self, question: str, passed: bool, hints: list[str], messages: list[str]):
        self.question = question
        self.passed = passed
        self.hints = hints
        self.messages = messages

    @classmethod
    def from_test_file(cls, question: str, result: TestFile) -> SelfCheckResult:
        hints: list[str] = []
        messages: list[str] = []
        for tcr in result.test_case_results:
            tc = tcr.test_case
            if tcr.passed:
                if tc.success_message and tc.success_message not in messages:
                    messages.append(tc.success_message)
            elif tc.failure_message and tc.failure_message not in hints:
                hints.append(tc.failure_message)
        passed = bool(result.passed_all)
        if not passed and not hints:
            hints.append(DEFAULT_HINT)
        return cls(question, passed, hints if not passed else [], messages if passed else [])

    def text(self) -> str:
        """The result as one or more lines of plain text."""
        if self.passed:
            lines = [f"{NOT_A_GRADE}: {self.question} passed."]
            lines += self.messages
        else:
            lines = [f"{NOT_A_GRADE}: {self.question} \N{EM DASH} not yet."]
            lines += [f"Hint: {h}" for h in self.hints]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else "#9a4d00"  # green / dark orange, both readable on white
        status = "passed." if self.passed else "\N{EM DASH} not yet."
        body = self.messages if self.passed else [f"Hint: {h}" for h in self.hints]
        parts = [
            f'<div class="baclofen-selfcheck" role="status">'
            f"<p><strong>{NOT_A_GRADE}:</strong> <code>{html.escape(self.question)}</code> "
            f'<span style="color: {colour};">{status}</span></p>'
        ]
        parts += [f"<p>{html.escape(b)}</p>" for b in body]
        parts.append("</div>")
        return "".join(parts)


class SelfCheck(otter.Notebook):
    """otter's ``Notebook`` whose ``check`` says "Self-check, not a grade".

    Args:
        nb_path: the notebook's file name, relative to the working directory (the folder the
            notebook is in, in JupyterLab, Voila and nbval). Its metadata holds the public tests.
    """

    def __init__(self, nb_path: str):
        # tests_dir="" makes otter read the tests from the notebook metadata even if a
        # folder called tests/ happens to exist next to the notebook.
        super().__init__(nb_path, tests_dir="")

    def _log_event(self, *args: Any, **kwargs: Any) -> None:
        """Write no ``.OTTER_LOG`` (we do not use otter's log-based export)."""

    def check(self, question: str, global_env: dict[str, Any] | None = None) -> Any:
        """Run the public tests of ``question`` against the notebook's variables.

        Returns a :class:`SelfCheckResult` (otter's own result object while grading).
        """
        if global_env is None:
            frame = inspect.currentframe()
            assert frame is not None and frame.f_back is not None
            global_env = frame.f_back.f_globals
        result = super().check(question, global_env)
        if type(self)._grading_mode:
            return result
        return SelfCheckResult.from_test_file(question, result)
