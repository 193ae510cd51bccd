"""Coursework: self-checks for students and the build of student notebooks and autograders.

Source notebooks (solutions and tests, otter-grader "assign" format) live in
``coursework/sources/NN_name.ipynb``; ``python -m baclofen_teach.coursework build`` (``make assignments``)
writes the student notebooks to ``notebooks/`` and the autograders to ``coursework/build/``;
``python -m baclofen_teach.coursework grade`` grades submissions (docs/instructors.md).
See coursework/README.md for the authoring conventions, per-student variants and fair checks.
"""

from baclofen_teach.coursework.checks import AnswerFormatError, close_enough, letter, number, reveal
from baclofen_teach.coursework.selfcheck import NOT_A_GRADE, SelfCheck, SelfCheckResult
from baclofen_teach.coursework.variants import VARIANTS, Variant, course_salt, tolerance, variant_for

__all__ = [
    "NOT_A_GRADE",
    "VARIANTS",
    "AnswerFormatError",
    "SelfCheck",
    "SelfCheckResult",
    "Variant",
    "letter",
    "close_enough",
    "course_salt",
    "number",
    "reveal",
    "tolerance",
    "variant_for",
]
