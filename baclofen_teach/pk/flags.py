"""Structured warnings: a :class:`Flag` is the text a student reads plus a code and its sources.

Flags never refuse: an overdose is simulated and flagged. Code decides on a flag's ``code`` (a stable
identifier, e.g. ``"oral_above_label_max"``), never on its wording; ``sources`` are the reference keys
(``baclofen_teach/data/references.csv``) the text cites. A flag *is* its text (a ``str`` subclass), so
notebooks print, join and compare flags as before.

Educational model, not dosing advice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ._validate import PKInputError

__all__ = ["Flag", "flag_codes"]

_CITATION = re.compile(r"\[([a-z][a-z0-9_]*(?:\s*[;,]\s*[a-z][a-z0-9_]*)*)\]")


class Flag(str):
    """A warning: its text (the string itself), a ``code`` and ``sources`` (reference keys).

    ``sources`` default to the keys cited in the text as ``[key]`` or ``[key1; key2]``.

    >>> f = Flag("above 1000 µg/day, where experience is limited [label_lioresal_it]", "it_dose_limited")
    >>> f.code, f.sources
    ('it_dose_limited', ('label_lioresal_it',))
    """

    code: str
    sources: tuple[str, ...]

    def __new__(cls, text: str, code: str = "", sources: Iterable[str] | None = None) -> Flag:
        obj = super().__new__(cls, text)
        obj.code = str(code)
        if sources is None:
            keys = [k.strip() for m in _CITATION.finditer(text) for k in re.split(r"[;,]", m.group(1))]
            obj.sources = tuple(dict.fromkeys(keys))
        else:
            obj.sources = tuple(sources)
        return obj

    def __reduce__(self) -> tuple[type[Flag], tuple[str, str, tuple[str, ...]]]:
        return (Flag, (str(self), self.code, self.sources))


def flag_codes(flags: Sequence[str]) -> set[str]:
    """The codes of the :class:`Flag` items in ``flags`` (plain strings have none)."""
    if isinstance(flags, (str, bytes)) or not isinstance(flags, Iterable):
        raise PKInputError(f"flags must be a list of warnings (str or Flag); got {flags!r}")
    return {f.code for f in flags if isinstance(f, Flag) and f.code}
