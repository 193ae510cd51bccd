"""docs/developers.md exists, every file it names exists, and nothing points to a missing guide."""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DOC = REPO_ROOT / "docs" / "developers.md"


def test_every_named_file_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    paths = set(re.findall(r"`([\w./-]+\.(?:py|csv|md|ipynb))(?:::\w+)?`", text))
    concrete = {p for p in paths if "NN" not in p and "<" not in p and "/" in p}
    assert len(concrete) > 20
    missing = []
    for p in sorted(concrete):
        candidates = [REPO_ROOT / p, REPO_ROOT / "baclofen_teach" / p]
        if not any(c.exists() for c in candidates):
            missing.append(p)
    assert missing == []


def test_no_reference_to_a_missing_guide() -> None:
    hits = [
        str(p.relative_to(REPO_ROOT))
        for p in (REPO_ROOT / "baclofen_teach").rglob("*.py")
        if "GUIDE.md" in p.read_text(encoding="utf-8")
    ]
    assert hits == []
