"""The grading commands of docs/instructors.md run as written and score two sample submissions of 01.

The test copies nothing but the autograder into a scratch folder (as a fresh clone after `make
assignments`: the build writes coursework/build/, which the test does with `build_source`), puts two
submissions in submissions/01_half_life/ and runs every other command of the guide's "Grading locally"
section with bash, from that folder:

- alice.ipynb: student ID "alice", every answer typed as a number rounded as the notebook prints it, the
  choice written " b" (lower case, a space): full marks;
- bob.ipynb: the same answers (copied from alice) under the ID "bob": only the choice question scores.

Each `otter run` takes 20-60 s on a busy machine, so the test is marked slow.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from baclofen_teach import pk
from baclofen_teach.apps.half_life import PUBLISHED_HALF_LIFE_RANGE_H
from baclofen_teach.coursework import variant_for
from baclofen_teach.coursework.build import REPO_ROOT, build_source

GUIDE = REPO_ROOT / "docs" / "instructors.md"


def _grading_commands() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("\n## Grading locally\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def _answers(student_id: str) -> dict[str, object]:
    v = variant_for("01_half_life", student_id, salt="")
    adult = pk.PKParams.adult(csf=False)
    low = pk.REFERENCE_RANGE_MG_PER_L[0]
    longest = PUBLISHED_HALF_LIFE_RANGE_H[1]
    return {
        "q1_percent": round(100 * pk.fraction_remaining(v["ex1_time_h"], adult.half_life_h), 1),
        "q2_choice": " b",
        "q3_hours": round(
            float(pk.time_to_fall_below(v["ex3_dose_mg"] / adult.v_L, low, v["ex3_half_life_h"])), 1
        ),
        "q4_conc_mg_per_L": round(v["ex4_dose_mg"] / adult.v_L * 2 ** (-v["ex4_time_h"] / longest), 2),
        "q5_percent": round(100 * pk.fraction_remaining(v["ex5_time_h"], longest), 1),
    }


def _submission(student: Path, dest: Path, student_id: str, answers: dict[str, object]) -> None:
    nb = nbformat.read(student, as_version=4)
    done = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        src = cell.source
        if re.search(r'^STUDENT_ID = ""', src, re.M):
            cell.source = src.replace('STUDENT_ID = ""', f"STUDENT_ID = {student_id!r}")
            done.add("id")
        for var, value in answers.items():
            if re.fullmatch(rf"{var} = \.\.\.", src.strip()):
                cell.source = f"{var} = {value!r}"
                done.add(var)
    assert done == {"id", *answers}, done
    nbformat.write(nb, dest)


def test_the_guide_documents_runnable_grading_commands():
    commands = _grading_commands()
    assert "make assignments" in commands
    assert any("baclofen_teach.coursework grade 01_half_life" in c for c in commands), commands


@pytest.mark.slow
def test_documented_grading_commands_score_two_sample_submissions(tmp_path):
    build_source(
        REPO_ROOT / "coursework" / "sources" / "01_half_life.ipynb",
        tmp_path / "notebooks",
        tmp_path / "coursework" / "build",
        run_tests=False,
    )
    (tmp_path / ".venv").symlink_to(REPO_ROOT / ".venv")
    subs = tmp_path / "submissions" / "01_half_life"
    subs.mkdir(parents=True)
    alice = _answers("alice")
    _submission(REPO_ROOT / "notebooks" / "01_half_life.ipynb", subs / "alice.ipynb", "alice", alice)
    _submission(REPO_ROOT / "notebooks" / "01_half_life.ipynb", subs / "bob.ipynb", "bob", alice)

    env = {k: v for k, v in os.environ.items() if k != "BACLOFEN_TEACH_SALT"}
    outputs = []
    for command in _grading_commands():
        if command == "make assignments":
            continue  # done above with build_source (the same build, without rebuilding all seven)
        run = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert run.returncode == 0, f"{command}\n{run.stdout}\n{run.stderr}"
        outputs.append(run.stdout + run.stderr)

    with (tmp_path / "results" / "01_half_life.csv").open() as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert rows["alice"]["student_id"] == "alice" and rows["bob"]["student_id"] == "bob"
    assert rows["alice"]["variant"] == variant_for("01_half_life", "alice", salt="").label
    assert float(rows["alice"]["total"]) == float(rows["alice"]["max"]) == 9
    assert float(rows["bob"]["total"]) == 1 and rows["bob"]["q2"] == "1"
    assert "Public Tests" not in "".join(outputs[:1]) and "No log found" not in outputs[0]
    # otter's own result file is there, as the guide says
    for student in ("alice", "bob"):
        results = json.loads((tmp_path / "results" / "01_half_life" / student / "results.json").read_text())
        assert {t["name"] for t in results["tests"]} >= {"q1", "q5"}
