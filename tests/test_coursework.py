"""Coursework pipeline: source notebook -> student notebook + autograder -> self-checks and grading.

(a) the committed student notebooks are exactly what their sources regenerate (and the pipeline itself
    is exercised on tests/fixtures/coursework/example.ipynb, so this file can fail even before any
    source exists);
(b) ``otter run`` with the generated autograder scores a blank student notebook 0 on every question and
    the solutions full marks (fixture always; every real source, marked slow);
(c) the self-checks say "Self-check, not a grade", give hints without the test code, and agree with
    otter's own test runner.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from baclofen_teach.coursework import NOT_A_GRADE, SelfCheck, SelfCheckResult
from baclofen_teach.coursework.build import (
    REQUIRED_CONFIG,
    CourseworkError,
    build_source,
    source_paths,
    validate_source,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURE = REPO_ROOT / "tests" / "fixtures" / "coursework" / "example.ipynb"
FIXTURE_QUESTIONS = ("q1", "q2", "q3", "q4")
FIXTURE_POINTS = {"q1": 2.0, "q2": 1.0, "q3": 1.0, "q4": 1.0}
SOURCES = source_paths(REPO_ROOT / "coursework" / "sources")
SOURCE_IDS = [p.stem for p in SOURCES]


def _text(cell) -> str:
    return "".join(cell.source) if isinstance(cell.source, list) else cell.source


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory):
    """The fixture source built once: student notebook, autograder zip and solutions notebook."""
    out = tmp_path_factory.mktemp("coursework")
    result = build_source(FIXTURE, out / "notebooks", out / "build", run_tests=False)
    return result


def _otter_run(submission: Path, autograder: Path) -> dict[str, tuple[float, float]]:
    """Grade ``submission`` with ``otter run`` (its Python API, in a scratch folder); score per question."""
    from otter.run import main as otter_run

    work = submission.parent / f"grade-{submission.stem}"
    work.mkdir()
    shutil.copyfile(submission, work / submission.name)
    cwd = os.getcwd()
    try:
        os.chdir(work)
        with contextlib.redirect_stdout(io.StringIO()):
            results = otter_run(
                submission.name, autograder=str(autograder), output_dir=str(work), no_logo=True
            )
    finally:
        os.chdir(cwd)
    scores = {name: (float(r.score), float(r.possible)) for name, r in results.results.items()}
    # otter also wrote results.json, the file an instructor would read
    written = json.loads((work / "results.json").read_text())
    assert {t["name"] for t in written["tests"]} >= set(scores)
    return scores


# ---------------------------------------------------------------------------------------------------
# (a) generation: content and determinism


def test_fixture_student_notebook_content(fixture_build):
    nb = nbformat.read(fixture_build.student, as_version=4)
    nbformat.validate(nb)
    assert fixture_build.questions == FIXTURE_QUESTIONS
    assert nb.metadata.kernelspec.name == "python3"
    assert set(nb.metadata) == {"baclofen_teach", "kernelspec", "language_info", "otter"}
    sources = [_text(c) for c in nb.cells]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert all(c.cell_type != "raw" for c in nb.cells), "otter block delimiters leaked into the notebook"
    # answers blanked, a check cell after each question, the setup cell kept
    answers = [
        s for s, c in zip(sources, nb.cells, strict=True) if "otter_answer_cell" in c.metadata.get("tags", [])
    ]
    assert answers == ["q1_hours = ...", "q2_choice = ...", "q3_prediction = ...", "q4_conc_mg_per_L = ..."]
    assert [s for s in sources if s.startswith("grader.check")] == [
        f'grader.check("{q}")' for q in FIXTURE_QUESTIONS
    ]
    assert 'grader = SelfCheck("example.ipynb")' in "\n".join(sources)
    text = fixture_build.student.read_text()
    assert "# SOLUTION" not in text and "math.log2(10) * half_life_h  #" not in text
    # public tests in the metadata, hidden tests stripped
    tests = nb.metadata.otter.tests
    assert sorted(tests) == list(FIXTURE_QUESTIONS)
    cases = [case for t in tests.values() for case in t["suites"][0]["cases"]]
    assert all(not case["hidden"] for case in cases)
    assert "13.29" not in text, "a hidden test leaked into the student notebook"
    assert all(case.get("failure_message") for case in cases), "every public test gives a hint"
    # ids are unique and derived from content, not random
    ids = [c.id for c in nb.cells]
    assert len(set(ids)) == len(ids)


def test_fixture_solutions_notebook_keeps_hidden_tests(fixture_build):
    nb = nbformat.read(fixture_build.solutions, as_version=4)
    text = fixture_build.solutions.read_text()
    assert "13.29" in text and "math.log2(10) * half_life_h" in text
    assert 'SelfCheck("example-solutions.ipynb")' in "\n".join(_text(c) for c in nb.cells)
    assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")


def test_fixture_build_is_byte_identical_when_repeated(fixture_build, tmp_path):
    again = build_source(FIXTURE, tmp_path / "notebooks", None, run_tests=False)
    assert again.student.read_bytes() == fixture_build.student.read_bytes()


def test_there_are_no_stray_sources():
    """Every notebook in coursework/sources follows the NN_name pattern (others would be ignored)."""
    stray = [
        p.name
        for p in (REPO_ROOT / "coursework" / "sources").glob("*.ipynb")
        if p.stem not in SOURCE_IDS and ".ipynb_checkpoints" not in p.parts
    ]
    assert not stray, f"source notebooks not named NN_name.ipynb are not built: {stray}"


@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_committed_student_notebook_matches_source(source, tmp_path):
    built = build_source(source, tmp_path, None, run_tests=False)
    committed = REPO_ROOT / "notebooks" / built.student.name
    assert committed.exists(), f"notebooks/{committed.name} is missing: run `make assignments` and commit it"
    assert committed.read_bytes() == built.student.read_bytes(), (
        f"notebooks/{committed.name} differs from what coursework/sources/{source.name} generates: "
        "edit the source, run `make assignments` and commit both"
    )


# ---------------------------------------------------------------------------------------------------
# validation of sources


def _fixture_nb():
    return nbformat.read(FIXTURE, as_version=4)


def _find(nb, text: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if text in _text(c))


def test_fixture_is_valid():
    assert validate_source(_fixture_nb(), "example") == list(FIXTURE_QUESTIONS)


def test_validation_rejects_a_wrong_config_name():
    with pytest.raises(CourseworkError, match="must equal the file name"):
        validate_source(_fixture_nb(), "01_half_life")


def test_validation_rejects_a_changed_config():
    nb = _fixture_nb()
    nb.cells[0].source = _text(nb.cells[0]).replace("files: false", "files: true")
    with pytest.raises(CourseworkError, match="exactly the one in coursework/README.md"):
        validate_source(nb, "example")
    assert REQUIRED_CONFIG["tests"] == {"files": False, "ok_format": True}


def test_validation_requires_the_setup_cell():
    nb = _fixture_nb()
    del nb.cells[_find(nb, "grader = SelfCheck")]
    with pytest.raises(CourseworkError, match="no self-check setup cell"):
        validate_source(nb, "example")


def test_validation_rejects_bare_expression_tests():
    nb = _fixture_nb()
    i = _find(nb, '# HIDDEN\nassert q2_choice == "C"')
    nb.cells[i].source = '# HIDDEN\nq2_choice == "C"'
    with pytest.raises(CourseworkError, match="bare expression"):
        validate_source(nb, "example")


def test_validation_rejects_later_cells_reading_answers():
    nb = _fixture_nb()
    i = _find(nb, "for h in (half_life_h")
    nb.cells[i].source = 'print(f"You predicted {q3_prediction}")'
    with pytest.raises(CourseworkError, match=r"answer variable\(s\) \['q3_prediction'\]"):
        validate_source(nb, "example")


def test_validation_rejects_unclosed_blocks():
    nb = _fixture_nb()
    del nb.cells[_find(nb, "# END QUESTION")]
    with pytest.raises(CourseworkError):
        validate_source(nb, "example")


# ---------------------------------------------------------------------------------------------------
# (c) self-check wording and semantics


def _student_tests(fixture_build) -> dict:
    return json.loads(fixture_build.student.read_text())["metadata"]["otter"]["tests"]


def _env(**answers) -> dict:
    import math

    env = {"math": math, "half_life_h": 4.0, "c0_mg_per_L": 0.4}
    blank = {"q1_hours": ..., "q2_choice": ..., "q3_prediction": ..., "q4_conc_mg_per_L": ...}
    env.update(blank)
    env.update(answers)
    return env


SOLVED = {"q1_hours": 13.3, "q2_choice": "C", "q3_prediction": "A", "q4_conc_mg_per_L": 0.1}
WRONG = {"q1_hours": 40.0, "q2_choice": "B", "q3_prediction": "maybe", "q4_conc_mg_per_L": 10.0}


def test_self_check_wording_when_not_yet(fixture_build, monkeypatch):
    monkeypatch.chdir(fixture_build.student.parent)
    grader = SelfCheck(fixture_build.student.name)
    result = grader.check("q1", _env())
    assert isinstance(result, SelfCheckResult) and not result.passed
    text, page = repr(result), result._repr_html_()
    assert text.startswith(f"{NOT_A_GRADE}: q1 \N{EM DASH} not yet.")
    assert "Hint: Each half-life halves what is left." in text
    assert NOT_A_GRADE in page and "Hint: Each half-life halves" in page
    for shown in (text, page):  # the test code (and so the answer) is never shown
        assert "assert" not in shown and "log2" not in shown and "Traceback" not in shown


def test_self_check_wording_when_passed(fixture_build, monkeypatch):
    monkeypatch.chdir(fixture_build.student.parent)
    grader = SelfCheck(fixture_build.student.name)
    for q in FIXTURE_QUESTIONS:
        result = grader.check(q, _env(**SOLVED))
        assert result.passed, q
        assert repr(result) == f"{NOT_A_GRADE}: {q} passed."
        assert NOT_A_GRADE in result._repr_html_() and "passed." in result._repr_html_()


def test_self_check_reads_the_callers_variables(fixture_build, monkeypatch):
    monkeypatch.chdir(fixture_build.student.parent)
    grader = SelfCheck(fixture_build.student.name)
    env = _env(q2_choice="C")
    exec("result = grader.check('q2')", env | {"grader": grader}, env)  # noqa: S102
    assert env["result"].passed


def test_self_check_agrees_with_otter_test_runner(fixture_build, monkeypatch):
    """Our lightweight runner and otter's OKTestFile give the same verdict on every public test."""
    from otter.test_files.ok_test import OKTestFile

    monkeypatch.chdir(fixture_build.student.parent)
    grader = SelfCheck(fixture_build.student.name)
    for answers in ({}, SOLVED, WRONG, {"q1_hours": "13.3"}, {"q4_conc_mg_per_L": 0.115}):
        for q, spec in _student_tests(fixture_build).items():
            otter_test = OKTestFile.from_spec(copy.deepcopy(spec))
            with contextlib.redirect_stdout(io.StringIO()):
                otter_test.run(_env(**answers))
            ours = grader.check(q, _env(**answers))
            assert ours.passed == otter_test.passed_all, (q, answers)


def test_self_check_without_its_notebook_file_does_not_crash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = SelfCheck("renamed.ipynb").check("q1", {})
    assert not result.passed
    assert repr(result).startswith(f"{NOT_A_GRADE}: q1 could not be checked.")
    assert "renamed.ipynb" in repr(result)


def test_self_check_unknown_question_names_the_known_ones(fixture_build, monkeypatch):
    monkeypatch.chdir(fixture_build.student.parent)
    with pytest.raises(ValueError, match="q1, q2, q3, q4"):
        SelfCheck(fixture_build.student.name).check("q9", {})


def test_student_notebook_runs_unanswered_in_its_folder(fixture_build):
    """Top to bottom, every answer `...`, working directory = the notebook's folder (as nbval/Lab)."""
    from nbclient import NotebookClient

    nb = nbformat.read(fixture_build.student, as_version=4)
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(fixture_build.student.parent)}},
    )
    client.execute()
    checks = [c for c in nb.cells if c.cell_type == "code" and _text(c).startswith("grader.check")]
    assert len(checks) == len(FIXTURE_QUESTIONS)
    for q, cell in zip(FIXTURE_QUESTIONS, checks, strict=True):
        (out,) = cell.outputs
        assert out.data["text/plain"].startswith(f"{NOT_A_GRADE}: {q} \N{EM DASH} not yet.\nHint: ")
        assert NOT_A_GRADE in out.data["text/html"]
    assert not (fixture_build.student.parent / ".OTTER_LOG").exists()


# ---------------------------------------------------------------------------------------------------
# (b) grading with otter run


def test_otter_run_scores_blank_zero_and_solutions_full_on_fixture(fixture_build, tmp_path):
    blank = tmp_path / "blank.ipynb"
    shutil.copyfile(fixture_build.student, blank)
    solved = tmp_path / "solved.ipynb"
    shutil.copyfile(fixture_build.solutions, solved)
    assert _otter_run(blank, fixture_build.autograder) == {q: (0.0, p) for q, p in FIXTURE_POINTS.items()}
    assert _otter_run(solved, fixture_build.autograder) == {q: (p, p) for q, p in FIXTURE_POINTS.items()}


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_otter_run_scores_blank_zero_and_solutions_full(source, tmp_path):
    built = build_source(source, tmp_path / "notebooks", tmp_path / "build", run_tests=False)
    blank = tmp_path / "blank.ipynb"
    shutil.copyfile(built.student, blank)
    solved = tmp_path / "solved.ipynb"
    shutil.copyfile(built.solutions, solved)
    blank_scores = _otter_run(blank, built.autograder)
    solved_scores = _otter_run(solved, built.autograder)
    assert sorted(blank_scores) == sorted(built.questions)
    assert all(score == 0 for score, _ in blank_scores.values()), blank_scores
    assert all(score == possible > 0 for score, possible in solved_scores.values()), solved_scores
