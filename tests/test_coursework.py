"""Coursework pipeline: source notebook -> student notebook + autograder -> self-checks and grading.

(a) the committed student notebooks are exactly what their sources regenerate (and the pipeline itself
    is exercised on tests/fixtures/coursework/example.ipynb, so this file can fail even before any
    source exists);
(b) ``otter run`` with the generated autograder scores a blank student notebook 0 on every question and
    the solutions full marks. On the fixture both submissions go through ``otter run``. Each ``otter run``
    costs 10-30 s (a fresh kernel importing otter and the notebook's packages), so for every real source
    (marked slow) one real ``otter run`` grades the solutions, and probe cells added after each check
    cell run the autograder's tests (hidden included) with otter's test runner against the answers
    blanked exactly as in the student notebook; the fixture test checks that this probe agrees with a
    real blank run;
(c) the self-checks say "Self-check, not a grade", give hints without the test code, and agree with
    otter's own test runner.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import io
import json
import os
import re
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


PROBE_CELL = """\
def _coursework_blank_probe():
    # Grade question {q!r} as a blank submission would be graded at this point: the answers of
    # questions up to this one replaced exactly as in the student notebook, the autograder's tests
    # (hidden ones included) run by otter's own test runner.
    import json
    import os

    import otter
    from otter.nbmeta_config import NBMetadataConfig
    from otter.test_files import create_test_file

    tests_dir = otter.Notebook._tests_dir_override
    path = os.path.join(tests_dir, {q!r} + ".py")
    solved = create_test_file(path, NBMetadataConfig())
    solved.run(dict(globals()))
    env = dict(globals())
    for name in {removed!r}:
        env.pop(name, None)
    exec({blank_code!r}, env)
    test = create_test_file(path, NBMetadataConfig())
    test.run(env)
    with open({out!r}, "a") as f:
        record = {{"q": {q!r}, "score": test.score, "solved": solved.score, "possible": test.possible}}
        f.write(json.dumps(record) + "\\n")


_coursework_blank_probe()
del _coursework_blank_probe"""


def _blank_probe_submission(solutions: Path, student: Path, out: Path, dest: Path) -> None:
    """The solutions notebook plus, after each check cell, a cell that grades that question blank.

    The blank version of a question is taken from the student notebook (its ``otter_answer_cell``
    cells, e.g. ``q1_hours = ...``); the names the solution cells assign are removed first. This is
    exact because answer cells only bind names and no later cell reads them (the build enforces it).
    """
    sol = nbformat.read(solutions, as_version=4)
    stu = nbformat.read(student, as_version=4)

    def by_question(nb, tag):
        groups, current = {}, []
        for cell in nb.cells:
            if tag in cell.metadata.get("tags", []):
                current.append(_text(cell))
            m = re.fullmatch(r'grader\.check\("(q\w+)"\)', _text(cell).strip())
            if m:
                groups[m.group(1)], current = current, []
        return groups

    solution_code = by_question(sol, "otter_assign_solution_cell")
    blank_code = by_question(stu, "otter_answer_cell")
    assert solution_code.keys() == blank_code.keys() and solution_code
    removed: list[str] = []  # names bound by the solutions so far
    blank_so_far: list[str] = []  # the student's answer cells so far
    cells = []
    for cell in sol.cells:
        cells.append(cell)
        m = re.fullmatch(r'grader\.check\("(q\w+)"\)', _text(cell).strip())
        if m:
            q = m.group(1)
            for code in solution_code[q]:
                tree = ast.parse(code)
                removed += [
                    n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
                ]
            blank_so_far += blank_code[q]
            code = PROBE_CELL.format(
                q=q, removed=sorted(set(removed)), blank_code="\n".join(blank_so_far), out=str(out)
            )
            cells.append(nbformat.v4.new_code_cell(code))
    sol.cells = cells
    nbformat.write(sol, dest)


def _grade_solutions_with_blank_probe(built, tmp_path: Path):
    """Grade the solutions with a real `otter run`; return (scores per question, blank probe records)."""
    probe_out = tmp_path / "blank_scores.jsonl"
    submission = tmp_path / "solved.ipynb"
    _blank_probe_submission(built.solutions, built.student, probe_out, submission)
    solved_scores = _otter_run(submission, built.autograder)
    assert sorted(solved_scores) == sorted(built.questions)
    assert all(score == possible > 0 for score, possible in solved_scores.values()), solved_scores
    probe = {r["q"]: r for r in map(json.loads, probe_out.read_text().splitlines())}
    assert sorted(probe) == sorted(built.questions)
    for q, r in probe.items():
        # the probe's plumbing works: the same tests on the same (unblanked) variables give full marks
        assert r["solved"] == r["possible"] == solved_scores[q][1], r
    return solved_scores, probe


def test_otter_run_scores_blank_zero_and_solutions_full_on_fixture(fixture_build, tmp_path):
    """Both submissions through a real `otter run`; the blank probe agrees with the real blank run."""
    blank = tmp_path / "blank.ipynb"
    shutil.copyfile(fixture_build.student, blank)
    blank_scores = _otter_run(blank, fixture_build.autograder)
    assert blank_scores == {q: (0.0, p) for q, p in FIXTURE_POINTS.items()}
    solved_scores, probe = _grade_solutions_with_blank_probe(fixture_build, tmp_path)
    assert solved_scores == {q: (p, p) for q, p in FIXTURE_POINTS.items()}
    assert {q: (r["score"], r["possible"]) for q, r in probe.items()} == blank_scores


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=SOURCE_IDS)
def test_otter_run_scores_solutions_full_and_blank_zero(source, tmp_path):
    """One real `otter run` per source (it costs 10-30 s, so not two): the solutions score full marks,
    and at each check point the autograder's tests, run by otter against the blanked answers, score 0."""
    built = build_source(source, tmp_path / "notebooks", tmp_path / "build", run_tests=False)
    _, probe = _grade_solutions_with_blank_probe(built, tmp_path)
    for q, r in probe.items():
        assert r["score"] == 0, f"{source.stem} {q}: a blank answer scores {r['score']}/{r['possible']}"
