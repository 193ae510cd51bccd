"""Answer-leakage audit: does a student notebook, run unanswered, show the answers of its own questions?

:func:`audit` executes a student notebook (``notebooks/NN_name.ipynb``) top to bottom with every answer
left as ``...`` (nbclient, in the notebook's folder, for a given student ID), and collects everything a
student sees: every text output, rendered table (HTML, tags removed, ``alt`` text kept), markdown cell,
widget text and figure text (titles, axis labels, legends, annotations; not the tick labels, which are the
scale a student reads from). It then plays a student who copies: for each question it tries every visible
number the notebook prints (outputs, tables, figure and widget text) and every number of the markdown
written with the answer's unit (read from the variable name: ``_percent`` -> "%", ``_hours`` -> "h",
``_mg_per_L`` -> "mg/L" ...; markdown numbers without the unit are ages, years, counts), and every
letter the visible text states as an answer (e.g. "answer C"). A number counts when it is the answer written
at some precision (17.1 h shown as "17 h", "17.1 h" or "17.08 h"); the question's tests from the source
notebook, public and hidden, then run against it in the notebook's own state at that question (so a
precision counts only if the tolerance accepts it). The best score per question is what copying earns; a
question *leaks* if copying earns anything. A "predict" question that accepts any letter counts as
copyable (no reasoning needed).

Choice answers stated in words are found by the phrases declared in :data:`ANSWER_PHRASES` (per notebook,
per question or prediction variable); declare them when you convert a notebook.

Command line: ``python -m baclofen_teach.coursework leakage [NN_name ...] [--id ID ...]`` prints the table.
"""

from __future__ import annotations

import ast
import copy
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

from baclofen_teach.coursework.build import REPO_ROOT, _src

#: Phrases that state a choice answer in words, per notebook: question name (or prediction variable)
#: -> phrases (case-insensitive). Any of them visible in an unanswered run is a leak.
ANSWER_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "01_half_life": {
        "prediction": ("time doubles", "doubles the time", "doubling the half-life doubles"),
    },
    # >>> 02_oral_dosing: its entries go between these two markers (one helper per notebook)
    "02_oral_dosing": {
        "q3": ("same time to steady state", "time to steady state is unchanged"),
        "prediction": ("not to twice the usual peak", "raises the peak, but not"),
    },
    # <<< 02_oral_dosing
    # >>> 03_special_populations: its entries go between these two markers (one helper per notebook)
    "03_special_populations": {
        "prediction": ("roughly doubles or more", "trough roughly doubles"),
        "q3": ("why the others are wrong",),
    },
    # <<< 03_special_populations
    # >>> 04_oral_vs_intrathecal: its entries go between these two markers (one helper per notebook)
    "04_oral_vs_intrathecal": {
        "prediction": ("twice the level", "proportional to the rate", "steady state doubles"),
    },
    # <<< 04_oral_vs_intrathecal
    # >>> 05_pump_and_withdrawal: its entries go between these two markers (one helper per notebook)
    "05_pump_and_withdrawal": {
        "prediction": ("one-day fall several times smaller", "times smaller than the abrupt"),
    },
    # <<< 05_pump_and_withdrawal
    # >>> 06_overdose: its entries go between these two markers (one helper per notebook)
    "06_overdose": {
        "prediction": ("saves more than twice as many hours when the kidneys have failed",),
    },
    # <<< 06_overdose
    # >>> 07_evaluating_sources: its entries go between these two markers (one helper per notebook)
    "07_evaluating_sources": {
        "prediction": ("six days later",),
        # the scorecard's verdicts, as the scorecard cell prints them
        "q4": (
            "the half-life is about 2 hours: wrong",
            "practically all of it is gone after 72 hours: partly",
            "adults start at 5 mg three times a day: correct",
            "the dose goes up by 5 mg every 5 days: wrong",
            "the maximum is 100 mg a day: partly",
            "the tablets can be inhaled: wrong",
            "with lithium it worsens an overactive thyroid: wrong",
            "| partly |",
            "| correct |",
        ),
    },
    # <<< 07_evaluating_sources
    # >>> 08_virtual_patients: its entries go between these two markers (one helper per notebook)
    "08_virtual_patients": {
        "q3": ("troughs on three days give no slope", "all at the same time after a dose"),
        "prediction": ("half-life comes out too long", "falls too slowly"),
        "q5": ("would not catch the tablet", "the 24 h total does not catch"),
    },
    # <<< 08_virtual_patients
}

_NUMBER = re.compile(r"(?<![\w.])[-\u2212]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_STATED_LETTER = re.compile(r"\b(?:[Aa]nswer|[Oo]ption|[Cc]hoice)\s+\(?([A-D])\b|\(([A-D])\)")
_TAG = re.compile(r"<[^>]+>")
_ALT = re.compile(r"""\balt=["']([^"']*)["']""")

_HARVEST_SETUP = """\
def _leak_setup():
    import matplotlib.backend_bases as _bb
    import matplotlib.text as _mtext

    texts = []
    original = _bb.FigureCanvasBase.print_figure

    def print_figure(self, *args, **kwargs):
        fig = self.figure
        ticks = set()
        for ax in fig.get_axes():
            for axis in (ax.xaxis, ax.yaxis):
                ticks.update(id(t) for t in axis.get_ticklabels(which="both"))
                ticks.add(id(axis.get_offset_text()))
        for t in fig.findobj(_mtext.Text):
            if id(t) not in ticks and t.get_visible() and t.get_text().strip():
                texts.append(t.get_text())
        return original(self, *args, **kwargs)

    _bb.FigureCanvasBase.print_figure = print_figure
    return texts


_leak_figure_texts = _leak_setup()
_leak_envs = {}
del _leak_setup"""

_PROBE = """\
_leak_envs[{q!r}] = dict(globals())
exec({code!r}, _leak_envs[{q!r}])"""

_EVALUATE = """\
def _leak_evaluate(spec):
    import itertools
    import json
    import numbers

    def score(env, tests):
        total = 0.0
        for code, points in tests:
            try:
                exec(code, dict(env))
            except BaseException:
                continue
            total += points
        return total

    report = {{}}
    for q in spec["questions"]:
        env = _leak_envs.get(q["name"])
        if env is None:
            report[q["name"]] = {{"error": "not reached"}}
            continue
        solved = score(env, q["tests"])
        shortlists = {{}}
        kinds = {{}}
        for var in q["vars"]:
            value = env.get(var)
            if isinstance(value, str):
                kinds[var] = "choice"
                letters = ["A", "B", "C", "D"]
                each = []
                for letter in letters:
                    trial = dict(env)
                    trial[var] = letter
                    each.append(score(trial, q["tests"]))
                if min(each) == max(each) == solved and len(q["vars"]) == 1:
                    shortlists[var] = ["A"]
                    kinds[var] = "any letter"
                else:
                    shortlists[var] = sorted(set(spec["letters"]) | set(q.get("stated", [])))
            elif isinstance(value, numbers.Real) and not isinstance(value, bool):
                kinds[var] = "number"
                target = float(value)
                pool = spec["numbers"][var]
                # the answer itself, as written at some precision (17.1 as "17", "17.1", "17.08" ...);
                # the tests then decide whether that precision is accepted
                forms = {{round(target, d) for d in range(5)}}
                written = [c for c in pool if any(abs(c - f) <= 1e-9 * max(1.0, abs(f)) for f in forms)]
                shortlists[var] = list(dict.fromkeys(written + pool[:1]))
            else:
                kinds[var] = type(value).__name__
                shortlists[var] = []
        best, best_values = 0.0, None
        if all(shortlists.values()):
            for combo in itertools.product(*(shortlists[v] for v in q["vars"])):
                trial = dict(env)
                trial.update(zip(q["vars"], combo))
                s = score(trial, q["tests"])
                if s > best:
                    best, best_values = s, dict(zip(q["vars"], combo))
        report[q["name"]] = {{
            "solved": solved,
            "copy": best,
            "copied": best_values,
            "kinds": kinds,
        }}
    print(json.dumps(report, default=str))


_leak_evaluate(json.loads({spec!r}))"""


@dataclass
class Question:
    name: str
    points: float
    solution: str
    answer_vars: list[str]
    tests: list[tuple[str, float]]


@dataclass
class QuestionResult:
    name: str
    points: float
    copy_score: float
    copied: dict[str, Any] | None
    kinds: dict[str, str]
    solved_score: float


@dataclass
class Audit:
    """The outcome of :func:`audit` for one notebook and one student ID."""

    notebook: str
    student_id: str
    questions: list[QuestionResult]
    phrase_leaks: dict[str, list[str]] = field(default_factory=dict)
    visible_text: str = ""

    @property
    def total(self) -> float:
        return sum(q.points for q in self.questions)

    @property
    def copy_score(self) -> float:
        return sum(q.copy_score for q in self.questions)

    @property
    def copy_fraction(self) -> float:
        return self.copy_score / self.total if self.total else 0.0

    def leaking(self) -> list[str]:
        """Questions whose points copying earns, with what was copied, plus answers stated in words."""
        out = [
            f"{q.name} ({q.copy_score:g}/{q.points:g}: {q.copied})" for q in self.questions if q.copy_score
        ]
        out += [f"{k} stated in words: {v}" for k, v in self.phrase_leaks.items()]
        return out


def parse_source(path: Path) -> list[Question]:
    """The questions of a source notebook: points, solution code, answer variables and tests with points."""
    nb = nbformat.read(path, as_version=4)
    questions: list[Question] = []
    block: list[str] = []
    current: dict[str, Any] = {}
    for cell in nb.cells:
        text = _src(cell)
        if cell.cell_type == "raw":
            m = re.match(r"^\s*#\s*(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS)\b", text, re.IGNORECASE)
            if not m:
                continue
            kind, what = m.group(1).upper(), m.group(2).upper()
            if kind == "BEGIN":
                block.append(what)
                if what == "QUESTION":
                    config = yaml.safe_load(text)
                    current = {
                        "name": str(config["name"]),
                        "points": float(config["points"]),
                        "sol": [],
                        "tests": [],
                    }
            else:
                block.pop()
                if what == "QUESTION":
                    questions.append(_finish(current))
            continue
        if cell.cell_type != "code" or not block:
            continue
        if block[-1] == "SOLUTION":
            current["sol"].append(text)
        elif block[-1] == "TESTS":
            current["tests"].append(text)
    return questions


def _finish(current: dict[str, Any]) -> Question:
    solution = "\n".join(current["sol"])
    tree = ast.parse(solution)
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id not in names:
            names.append(node.id)
    tests: list[tuple[str, float | None]] = []
    for code in current["tests"]:
        points = None
        m = re.match(r'^\s*"""\s*#\s*BEGIN TEST CONFIG(.*?)"""\s*#\s*END TEST CONFIG', code, re.DOTALL)
        if m:
            config = yaml.safe_load(m.group(1)) or {}
            points = config.get("points")
        tests.append((code, None if points is None else float(points)))
    fixed = sum(p for _, p in tests if p is not None)
    free = [t for t in tests if t[1] is None]
    share = (current["points"] - fixed) / len(free) if free else 0.0
    return Question(
        current["name"],
        current["points"],
        solution,
        names,
        [(code, share if p is None else p) for code, p in tests],
    )


def _visible_outputs(cell: Any) -> list[str]:
    texts: list[str] = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            texts.append(out.get("text", ""))
        data = out.get("data", {})
        if "text/html" in data:
            page = data["text/html"]
            page = "".join(page) if isinstance(page, list) else page
            texts += _ALT.findall(page)
            texts.append(_TAG.sub(" ", page))
        elif "text/plain" in data:
            plain = data["text/plain"]
            texts.append("".join(plain) if isinstance(plain, list) else plain)
        if "text/markdown" in data:
            texts.append(str(data["text/markdown"]))
    return [html.unescape(t) for t in texts]


def _widget_texts(nb: Any) -> list[str]:
    state = (
        nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    )
    texts: list[str] = []
    for model in state.values():
        s = model.get("state", {})
        for key in ("value", "description", "placeholder"):
            if isinstance(s.get(key), str) and not s.get(key, "").startswith("data:"):
                texts.append(html.unescape(_TAG.sub(" ", s[key])))
        for out in s.get("outputs", []) or []:
            texts += _visible_outputs({"outputs": [out]})
    return texts


def numbers_in(text: str) -> list[float]:
    """Every number written in ``text`` (a unicode minus counts as a minus)."""
    found = []
    for m in _NUMBER.finditer(text):
        try:
            found.append(float(m.group(0).replace("\u2212", "-")))
        except ValueError:
            continue
    return list(dict.fromkeys(found))


#: Units read from the end of an answer variable's name, as they are written after a number.
_UNITS: tuple[tuple[str, str], ...] = (
    ("_percent_left", r"%"),
    ("_percent", r"%"),
    ("_hours", r"h\b|hours?\b"),
    ("_h", r"h\b|hours?\b"),
    ("_days_to_alarm", r"days?\b|d\b"),
    ("_refill_due_day", r"days?\b|d\b"),
    ("_days", r"days?\b|d\b"),
    ("_mg_per_L", r"mg/L\b"),
    ("_mL_per_min", r"mL/min\b"),
    ("_mg_per_day", r"mg/day\b|mg a day\b"),
)


def _unit(var: str) -> str | None:
    for suffix, pattern in _UNITS:
        if var.endswith(suffix):
            return pattern
    return None


def numbers_with_unit(text: str, unit: str) -> list[float]:
    """Every number in ``text`` written with the unit ``unit`` (a regex), e.g. "17.1 h", "8.66 %"."""
    pattern = re.compile(_NUMBER.pattern + r"\s*(?:" + unit + ")")
    found = []
    for m in pattern.finditer(text):
        number = _NUMBER.match(m.group(0))
        if number:
            found.append(float(number.group(0).replace("\u2212", "-")))
    return list(dict.fromkeys(found))


def stated_letters(text: str) -> list[str]:
    """Letters that the text states as an answer ("answer C", "option B", "(D)")."""
    return sorted({a or b for a, b in _STATED_LETTER.findall(text)})


def audit(
    name: str,
    student_id: str = "",
    *,
    notebooks_dir: Path | None = None,
    sources_dir: Path | None = None,
    timeout: int = 300,
) -> Audit:
    """Execute ``notebooks/<name>.ipynb`` unanswered for ``student_id`` and play a copying student."""
    from nbclient import NotebookClient

    notebooks_dir = Path(notebooks_dir or REPO_ROOT / "notebooks")
    sources_dir = Path(sources_dir or REPO_ROOT / "coursework" / "sources")
    questions = parse_source(sources_dir / f"{name}.ipynb")
    nb = nbformat.read(notebooks_dir / f"{name}.ipynb", as_version=4)
    solutions = {q.name: q.solution for q in questions}

    cells = [nbformat.v4.new_code_cell(_HARVEST_SETUP)]
    original: list[Any] = []
    for cell in nb.cells:
        cell = copy.deepcopy(cell)
        if cell.cell_type == "code" and student_id and re.search(r"^STUDENT_ID\s*=", _src(cell), re.M):
            cell.source = re.sub(
                r"^STUDENT_ID\s*=.*$", f"STUDENT_ID = {student_id!r}", _src(cell), flags=re.M
            )
        cells.append(cell)
        original.append(cell)
        m = re.fullmatch(r'grader\.check\("(q\w+)"\)', _src(cell).strip())
        if m and m.group(1) in solutions:
            cells.append(nbformat.v4.new_code_cell(_PROBE.format(q=m.group(1), code=solutions[m.group(1)])))
    nb.cells = cells
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(notebooks_dir)}}
    )
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        texts: list[str] = []
        prose: list[str] = []
        for cell in original:
            if cell.cell_type == "markdown":
                prose.append(_src(cell))
            elif cell.cell_type == "code":
                texts += _visible_outputs(cell)
        figure = nbformat.v4.new_code_cell("import json\nprint(json.dumps(_leak_figure_texts))")
        nb.cells.append(figure)
        client.execute_cell(figure, len(nb.cells) - 1)
        texts += json.loads(_stdout(figure))
        client.set_widgets_metadata()
        texts += _widget_texts(nb)
        printed = "\n".join(texts)
        visible = printed + "\n" + "\n".join(prose)
        spec = {
            "numbers": {
                var: list(
                    dict.fromkeys(
                        numbers_in(printed)
                        + (numbers_with_unit("\n".join(prose), _unit(var)) if _unit(var) else [])
                    )
                )
                for q in questions
                for var in q.answer_vars
            },
            "letters": stated_letters(visible),
            "questions": [{"name": q.name, "vars": q.answer_vars, "tests": q.tests} for q in questions],
        }
        phrases = ANSWER_PHRASES.get(name, {})
        lowered = visible.lower()
        phrase_leaks = {k: [p for p in v if p.lower() in lowered] for k, v in phrases.items()}
        phrase_leaks = {k: v for k, v in phrase_leaks.items() if v}
        for q in spec["questions"]:
            if q["name"] in phrase_leaks:
                q["stated"] = ["A", "B", "C", "D"]  # the answer is stated: the copier finds it
        evaluate = nbformat.v4.new_code_cell(_EVALUATE.format(spec=json.dumps(spec)))
        nb.cells.append(evaluate)
        client.execute_cell(evaluate, len(nb.cells) - 1)
        report = json.loads(_stdout(evaluate))
    results = []
    for q in questions:
        r = report[q.name]
        if "error" in r:
            raise RuntimeError(f"{name} {q.name}: {r['error']}")
        results.append(QuestionResult(q.name, q.points, r["copy"], r["copied"], r["kinds"], r["solved"]))
    return Audit(name, student_id, results, phrase_leaks, visible)


def _stdout(cell) -> str:
    """All of a cell's stdout, joined (a busy kernel may split one print into several stream outputs)."""
    return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")


def format_audits(audits: list[Audit]) -> str:
    """A plain-text table: notebook, ID, copy-the-numbers score, leaking questions."""
    lines = []
    for a in audits:
        leaks = "; ".join(a.leaking()) or "none"
        sid = a.student_id or "(default)"
        lines.append(
            f"{a.notebook} {sid}: copy score {a.copy_score:g}/{a.total:g} ({100 * a.copy_fraction:.0f} %); "
            f"leaks: {leaks}"
        )
    return "\n".join(lines)
