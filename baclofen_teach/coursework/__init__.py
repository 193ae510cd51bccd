"""Coursework: self-checks for students and the build of student notebooks and autograders.

Source notebooks (solutions and tests, otter-grader "assign" format) live in
``coursework/sources/NN_name.ipynb``; ``python -m baclofen_teach.coursework build`` (``make assignments``)
writes the student notebooks to ``notebooks/`` and the autograders to ``coursework/build/``.
See coursework/README.md for the authoring conventions.
"""

from baclofen_teach.coursework.selfcheck import NOT_A_GRADE, SelfCheck, SelfCheckResult

__all__ = ["NOT_A_GRADE", "SelfCheck", "SelfCheckResult"]
