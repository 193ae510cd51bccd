"""Binder links come from one setting (binder/repository.json): README, CITATION.cff and docs/instructors.md
agree with it, and until the repository is published the README says so in visible text."""

import re
import subprocess
import sys

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "binder"))
import binder_links as B  # noqa: E402


def test_links_agree_with_the_setting():
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "binder" / "binder_links.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_binder_link_names_the_configured_repository():
    repo, published = B.load()
    for name in ("README.md", "docs/instructors.md"):
        text = (REPO_ROOT / name).read_text()
        for found in re.findall(r"mybinder\.org/v2/gh/([^/\s]+/[^/\s]+)/", text):
            assert found == repo, f"{name}: Binder link to {found}, setting says {repo}"
    assert f'repository-code: "https://github.com/{repo}"' in (REPO_ROOT / "CITATION.cff").read_text()
    readme = (REPO_ROOT / "README.md").read_text()
    visible = re.sub(r"<!--.*?-->", "", readme, flags=re.S)
    assert ("Not published yet" in visible) == (not published)


def test_generator_rewrites_everything_for_another_repository():
    new = B.rewrite("someone/fork", published=True)
    for path, text in new.items():
        assert "someone/fork" in text, path
        assert "baclofen-teach/baclofen_teach" not in text, path
    assert "Not published yet" not in new[REPO_ROOT / "README.md"]
