"""deploy/config.yaml parses and its resources follow from the measured numbers recorded in docs/deploy.md."""

import math
import re
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
GUIDE = REPO_ROOT / "docs" / "deploy.md"
CONFIG = REPO_ROOT / "deploy" / "config.yaml"


def measured() -> dict[str, float]:
    """The 'measured per student' table of docs/deploy.md, as {row label: number}."""
    rows = {}
    for label, value in re.findall(r"^\| ([^|]+?) \| ([0-9.]+) \|$", GUIDE.read_text(), flags=re.M):
        rows[label] = float(value)
    return rows


def mb(text: str) -> int:
    assert text.endswith("M"), text
    return int(text[:-1])


def expected() -> dict[str, float]:
    m = measured()
    kernel, server, students = m["kernel peak RSS (MB)"], m["server peak RSS (MB)"], m["students at once"]
    return {
        "memory_guarantee_mb": math.ceil((kernel + server) / 64) * 64 + 64,
        "memory_limit_mb": math.ceil((server + 4 * kernel) / 256) * 256,
        "cpu_guarantee": 2 / students,  # the benchmark machine has 2 cores
        "cpu_limit": 1.0,
    }


def test_config_parses_and_has_the_pieces() -> None:
    config = yaml.safe_load(CONFIG.read_text())
    assert config["cull"]["enabled"] is True and config["cull"]["timeout"] > 0
    assert "cull_idle_timeout" in config["hub"]["extraConfig"]["kernel-culling"]
    assert config["singleuser"]["image"]["name"]


def test_resources_match_the_measured_numbers() -> None:
    single = yaml.safe_load(CONFIG.read_text())["singleuser"]
    want = expected()
    assert mb(single["memory"]["guarantee"]) == want["memory_guarantee_mb"]
    assert mb(single["memory"]["limit"]) == want["memory_limit_mb"]
    assert math.isclose(single["cpu"]["guarantee"], want["cpu_guarantee"])
    assert math.isclose(single["cpu"]["limit"], want["cpu_limit"])
    guide = GUIDE.read_text()
    assert f"**{want['memory_guarantee_mb']}M**" in guide and f"**{want['memory_limit_mb']}M**" in guide


def test_guide_is_linked() -> None:
    assert "docs/deploy.md" in (REPO_ROOT / "README.md").read_text()
    assert "deploy.md" in (REPO_ROOT / "docs" / "instructors.md").read_text()
    for n in range(8):
        assert f"notebooks%2F0{n}_" in GUIDE.read_text()
