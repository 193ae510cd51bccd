"""Evidence checks: every cited key exists, the evidence register is well formed, every notebook's numbered
reference list matches its markers, and every clinical number a student reads carries a citation or says that
it is model output (issue 11, item 6; docs/evidence.md).

These tests cannot check that a claim is *true*; they make every claim *checkable*: a sentence with a number
and a unit points to a reference, and the reference points to a source an instructor can open.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from baclofen_teach.data import CLAIMS_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "baclofen_teach" / "data"
SOURCES = sorted((ROOT / "coursework" / "sources").glob("[0-9][0-9]_*.ipynb"))
START_HERE = ROOT / "notebooks" / "00_start_here.ipynb"
STUDENT_NOTEBOOKS = [START_HERE, *SOURCES]

EVIDENCE_KINDS = {
    "label",
    "pk_study",
    "clinical_study",
    "trial",
    "case_report",
    "case_series",
    "review",
    "guideline",
    "secondary_monograph",
    "manufacturer",
}
CHECKED_AGAINST = {"full_text", "abstract", "label_section", "manufacturer_page", "secondary_text"}
CLAIM_COLUMNS = list(CLAIMS_COLUMNS)  # the schema has one home: baclofen_teach.data

# ----------------------------------------------------------------------------------------------------
# The sentence rule
# ----------------------------------------------------------------------------------------------------

#: Units that make a number clinical: amounts, volumes, concentrations (they start with an amount), times.
#: Percentages, years and dimensionless ratios are deliberately not included (they are mostly arithmetic or
#: study descriptions in this course); see docs/evidence.md.
_UNIT = (
    r"(?:mg|µg|μg|ug|mcg|ng|kg|g|mmol|µmol|mL|ml|µL|μL|L|cm|mmHg|h|hr|hrs|hours?|min|minutes?|days?|weeks?"
    r"|months?|°\s?[CF])"
    r"(?![A-Za-z0-9])"
)
_NUMBER = r"(?<![\w.])\d+(?:[.,]\d+)?"
#: A number and its unit, also hyphenated as an adjective ("a 10-mg tablet", "a 20-mL reservoir").
NUMBER_WITH_UNIT = re.compile(rf"{_NUMBER}(?:\s*|-)(?:±\s*\d+(?:[.,]\d+)?\s*)?{_UNIT}")
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundred)"
)
#: A spelled-out number with a time or amount unit ("every three days", "one to two weeks", "two hours").
WORD_NUMBER_WITH_UNIT = re.compile(
    rf"\b{_NUMBER_WORD}(?:[- ](?:to|or)[- ]{_NUMBER_WORD})?[- ]"
    r"(?:hours?|days?|weeks?|months?|minutes?|milligrams?|micrograms?)\b",
    re.IGNORECASE,
)
_UNIT_EXPR = rf"{_NUMBER}\s*{_UNIT}(?:/[A-Za-zµμ]+)*"
#: A pure unit conversion such as "1 mg = 1000 µg", "1 mg/L = 1 µg/mL = 1000 ng/mL" or "1 day = 24 h" states
#: no clinical fact.
_CONVERSION = re.compile(rf"(?:{_UNIT_EXPR}|\b1 day)(?:\s*=\s*{_UNIT_EXPR})+")
#: Numbered markers [3], [1, 2], [1-3], [9, 11-14] and key markers [perry1998].
NUMBERED_MARKER = re.compile(r"\[(\d+(?:\s*[-–]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-–]\s*\d+)?)*)\]")
KEY_MARKER = re.compile(r"\[([a-z][a-z0-9_]*[a-z0-9])\]")
#: Wording that says explicitly that a number is model output: "in the model", "the model gives", "the model
#: adult", "the model's", or what an interactive figure, slider, explorer or the engine shows (they run the
#: model). A bare mention of a model ("the model they fit") is not enough.
MODEL_OUTPUT = re.compile(
    r"\b(?:in (?:the|this|our|a|that) (?:[\w-]+ ){0,2}model|the model(?:'s)?(?: \w+)? "
    r"(?:gives|give|shows|predicts|puts|uses|computes|prints|reaches|returns|says|scales|assumes|treats)|"
    r"model (?:adult|child|patient|output|result|results|run|runs|value|values)|model's|"
    r"the course's (?:[\w-]+ ){0,2}model|"
    r"explorer|figure|sliders?|readouts?|simulat\w*|the engine|the cell below|printed|prints)\b",
    re.IGNORECASE,
)
#: Wording that marks a worked example, an invented case or a claim being tested (attributed to the web
#: article) rather than a statement of fact about baclofen.
SCENARIO = re.compile(
    r"\b(?:suppose|imagine|invented|in the story|for example|the article|article's|web article)\b|\be\.g\.",
    re.IGNORECASE,
)
#: Course logistics (study time, Binder sessions) are not clinical numbers.
LOGISTICS = re.compile(
    r"\*\*Time:\*\*|\bBinder\b|\bsession\b|\btakes about\b|^-?\s*about \*\*\d+ minutes", re.I
)
#: A sentence ends at . ! or ? followed by space and a capital, a digit or an opening mark, also when the stop
#: is inside closing emphasis ("... 100 mg a day.* The labels say:").
_SENTENCE_END = re.compile(
    r"(?<!e\.g\.)(?<!i\.e\.)(?:(?<=[.!?])|(?<=[.!?][*_])|(?<=[.!?]\*\*))\s+(?=[\"'(*\[A-Z0-9])"
)


def _strip_markup(text: str) -> str:
    """Remove what is not prose: fenced code, inline code, LaTeX math, HTML tags, link targets."""
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"`[^`]*`", "CODE", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.DOTALL)
    text = re.sub(r"\$[^$\n]*\$", "MATH", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return text


def split_sentences(markdown: str) -> list[str]:
    """Sentences of a markdown cell: headings dropped, each table row and list item on its own, then split on
    sentence ends. The text after a '## References' heading and the licence footer are not prose claims."""
    text = _strip_markup(markdown)
    text = re.split(r"^#{1,6}\s*References\b.*$", text, maxsplit=1, flags=re.MULTILINE)[0]
    blocks: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(r"^#{1,6}\s", stripped) or re.match(r"^\|?\s*:?-{2,}", stripped) or stripped == "---":
            blocks.append(" ".join(current))
            current = []
            continue
        if not stripped:
            blocks.append(" ".join(current))
            current = []
            continue
        if stripped.startswith("|") or re.match(r"^([-*+]|\d+\.)\s", stripped) or stripped.startswith(">"):
            blocks.append(" ".join(current))
            current = [stripped]
            continue
        current.append(stripped)
    blocks.append(" ".join(current))
    sentences: list[str] = []
    for block in blocks:
        block = block.strip()
        if block:
            sentences.extend(s.strip() for s in _SENTENCE_END.split(block) if s.strip())
    return sentences


#: Wording that attributes a number to a label, or states what is normal: such a sentence states a sourced
#: fact even if it also mentions the model or a scenario, so model or scenario wording does not exempt it. A
#: bold lead-in ("**Model versus label.**") is a heading, not an attribution.
ATTRIBUTION = re.compile(
    r"\b(?:labels?|label's|labels'|SmPC|prescribing information|package leaflet)\b|\bis normal\b",
    re.IGNORECASE,
)


def clinical_numbers(sentence: str) -> list[str]:
    """The number-with-unit matches of a sentence (digits or spelled-out numbers), ignoring pure unit
    conversions."""
    text = _CONVERSION.sub(" ", sentence)
    return NUMBER_WITH_UNIT.findall(text) + WORD_NUMBER_WITH_UNIT.findall(text)


def is_cited(sentence: str) -> bool:
    """True if the sentence carries a numbered or key citation marker."""
    return bool(NUMBERED_MARKER.search(sentence) or KEY_MARKER.search(sentence))


def attributes_to_a_source(sentence: str) -> bool:
    """True if the sentence (bold lead-in removed) attributes something to a label or says what is normal."""
    return bool(ATTRIBUTION.search(re.sub(r"^\W*\*\*[^*]+\*\*\s*", "", sentence)))


def is_exempt(sentence: str) -> bool:
    """True if the sentence carries a citation marker, or says it is model output or an invented scenario (and
    does not also attribute a number to a label), or is course logistics."""
    if is_cited(sentence) or LOGISTICS.search(sentence):
        return True
    says_model_or_scenario = bool(MODEL_OUTPUT.search(sentence) or SCENARIO.search(sentence))
    return says_model_or_scenario and not attributes_to_a_source(sentence)


def needs_citation(sentence: str) -> bool:
    """The rule: a sentence that states a number with a clinical unit needs a citation marker or has to say
    that the number is model output."""
    return bool(clinical_numbers(sentence)) and not is_exempt(sentence)


def is_exercise_cell(markdown: str) -> bool:
    """Exercise instructions ask for a number in a unit; they state no claim. They name an answer variable
    (`q1_percent`) or start with an '### Exercise' heading."""
    return bool(re.search(r"`q\d+\w*`", markdown) or re.match(r"\s*#{2,4}\s*Exercise\b", markdown))


# ----------------------------------------------------------------------------------------------------
# Notebook helpers
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    notebook: str
    cell_id: str
    cell_type: str
    source: str


def _cells(path: Path) -> list[Cell]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    name = path.relative_to(ROOT).as_posix()
    out = []
    for i, c in enumerate(nb["cells"]):
        src = c["source"] if isinstance(c["source"], str) else "".join(c["source"])
        out.append(Cell(name, str(c.get("id", f"#{i}")), c["cell_type"], src))
    return out


def _expand(marker_body: str) -> set[int]:
    nums: set[int] = set()
    for part in marker_body.split(","):
        part = part.strip()
        m = re.match(r"(\d+)\s*[-–]\s*(\d+)$", part)
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
            nums.update(range(lo, hi + 1))
        elif part.isdigit():
            nums.add(int(part))
    return nums


def _code_prose(source: str) -> str:
    """Comments and string literals of a code cell (what a student reads there); markers in code such as
    ``x[1]`` are indexing, not citations."""
    parts: list[str] = []
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if tok.type == tokenize.STRING and re.match(r"^[rRbBuU]*[fF]", tok.string):
                text = tok.string
                while re.search(r"\{[^{}]*\}", text):  # drop the {expressions} of an f-string
                    text = re.sub(r"\{[^{}]*\}", " ", text)
                parts.append(text)
            elif tok.type in (tokenize.COMMENT, tokenize.STRING):
                parts.append(tok.string)
            elif tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                parts.append(tok.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        parts = [ln.split("#", 1)[1] for ln in lines if "#" in ln]
    return "\n".join(parts)


def reference_list(path: Path) -> tuple[str | None, dict[int, str]]:
    """(cell id, {number: entry text}) of the notebook's numbered '## References' list."""
    for cell in _cells(path):
        if cell.cell_type != "markdown":
            continue
        m = re.search(r"^#{1,6}\s*References\b.*$", cell.source, flags=re.MULTILINE)
        if not m:
            continue
        entries: dict[int, str] = {}
        current: int | None = None
        for line in cell.source[m.end() :].splitlines():
            em = re.match(r"^\s*(\d+)\.\s+(.*)$", line)
            if em:
                current = int(em.group(1))
                entries[current] = em.group(2)
            elif current is not None and line.strip() and line.startswith((" ", "\t")):
                entries[current] += " " + line.strip()
            elif not line.strip() or line.startswith("#"):
                current = None if line.startswith("#") else current
            else:
                current = None
        return cell.cell_id, entries
    return None, {}


def used_markers(path: Path) -> dict[int, list[str]]:
    """{number: [cell ids]} of every numbered citation marker outside the reference list."""
    ref_cell, _ = reference_list(path)
    used: dict[int, list[str]] = {}
    for cell in _cells(path):
        if cell.cell_type == "markdown":
            text = _strip_markup(cell.source)
            if cell.cell_id == ref_cell:
                text = re.split(r"^#{1,6}\s*References\b.*$", text, maxsplit=1, flags=re.MULTILINE)[0]
        elif cell.cell_type == "code":
            text = _code_prose(cell.source)
        else:
            continue
        for m in NUMBERED_MARKER.finditer(text):
            for n in _expand(m.group(1)):
                used.setdefault(n, []).append(cell.cell_id)
    return used


def violations(path: Path) -> list[tuple[str, str, str]]:
    """(notebook, cell id, sentence) for every sentence that breaks the sentence rule."""
    out = []
    for cell in _cells(path):
        if cell.cell_type != "markdown" or is_exercise_cell(cell.source):
            continue
        for sentence in split_sentences(cell.source):
            if needs_citation(sentence):
                out.append((cell.notebook, cell.cell_id, sentence))
    return out


def _reference_rows() -> list[dict[str, str]]:
    with (DATA / "references.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _reference_keys() -> set[str]:
    return {r["key"] for r in _reference_rows()}


def _claims() -> list[dict[str, str]]:
    with (DATA / "claims.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ----------------------------------------------------------------------------------------------------
# Unit tests of the sentence rule itself
# ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The US maximum is 80 mg/day.",
        "Published half-lives run from 2.3 to 6.8 hours.",
        "Healthy kidneys clear about 100 mL/min of creatinine.",
        "The usual plasma range is 0.08 to 0.4 mg/L.",
        "Most adults need 300-800 µg/day into the spinal fluid.",
        "Hallucinations began 18 h after the last dose.",
        "69 ± 14 % of a dose is excreted unchanged, with a half-life of 6.8 ± 0.7 h.",
        "Published half-lives differ with the model they fit, from 2.3 to 6.8 h.",
        "With healthy kidneys 72 h is many half-lives.",
        # hyphenated number-unit adjectives, temperatures, pressures, lengths
        "A 10-mg tablet is the usual strength.",
        "The reservoir holds a 20-mL fill.",
        "A temperature above 38 °C is a warning sign.",
        "Blood pressure rose above 180 mmHg.",
        "The implant must lie no deeper than 2.5 cm.",
        # spelled-out numbers with a unit
        "The labels raise the dose every three days.",
        "Stop gradually over one to two weeks.",
        "No adult study finds two hours.",
        # model or scenario wording does not hide a number attributed to a label, or what is normal
        "With the model adult's half-life, steady state comes before the label's first step, three days in.",
        "The model scales clearance with CrCl (about 100 mL/min is normal).",
        "For example, the US label's maximum is 80 mg/day.",
    ],
)
def test_sentence_rule_flags_uncited_clinical_numbers(sentence: str) -> None:
    assert needs_citation(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The US maximum is 80 mg/day [10].",
        "Adults start at 5 mg three times a day [9, 11-14].",
        "The usual plasma range is 0.08 to 0.4 mg/L [perry1998].",
        "In the model the half-life is 3.8 h.",
        "The model gives a peak of 0.3 mg/L after 1.5 h.",
        "The figure shows a single 10 mg tablet.",
        "1 mg = 1000 µg, and 1 day = 24 h.",
        "| concentration | mg/L | 1 mg/L = 1 µg/mL = 1000 ng/mL |",
        "The article puts the half-life at about 2 hours.",
        "In the story, Sam does well on 400 µg a day.",
        "- **Time:** about 40 minutes.",
        "Move the half-life slider to 2 h and back.",
        "After five half-lives about 3 % is left.",
        "Suppose the dose is 20 mg every 8 hours.",
        "Every control label includes its unit, such as `dose (mg)` or `rate (µg/day)`.",
        "Baclofen is a muscle relaxant.",
        # the new patterns still accept cited, model and non-clinical sentences
        "A 10-mg tablet is the usual strength [3].",
        "The labels raise the dose every three days [9, 12].",
        "In the model each new dose level settles in well under a day, so the three days are not needed.",
        "**Model versus label versus clinic.** In the model the CSF is at 90 % within about 5 hours.",
        "The label says to reduce the dose slowly.",
        "Move the slider one step at a time, 1-2 times.",
        "Open it once or twice a day.",
    ],
)
def test_sentence_rule_accepts_cited_model_and_non_clinical_sentences(sentence: str) -> None:
    assert not needs_citation(sentence), sentence


def test_sentence_splitting_keeps_decimals_and_splits_table_rows() -> None:
    md = (
        "## Heading with 5 mg\n\nThe half-life is 6.8 h [3]. It is 2 h on the web.\n\n"
        "| study | t½ (h) |\n|---|---|\n| Kochak | 3.6 h |\n\n- a list item with 10 mg\n\n"
        "## References\n\n1. x 5 mg"
    )
    assert split_sentences(md) == [
        "The half-life is 6.8 h [3].",
        "It is 2 h on the web.",
        "| study | t½ (h) |",
        "| Kochak | 3.6 h |",
        "- a list item with 10 mg",
    ]
    flagged = [s for s in split_sentences(md) if needs_citation(s)]
    assert flagged == ["It is 2 h on the web.", "| Kochak | 3.6 h |", "- a list item with 10 mg"]


def test_sentence_splitting_after_closing_emphasis() -> None:
    md = "The article says: *do not go above 100 mg a day.* The labels say:"
    assert split_sentences(md) == ["The article says: *do not go above 100 mg a day.*", "The labels say:"]
    assert not [s for s in split_sentences(md) if needs_citation(s)]


def test_exercise_cells_are_not_claims() -> None:
    assert is_exercise_cell("### Exercise 1 (numeric)\n\nStore it in `q1_hours`, in hours (e.g. 12 h).")
    assert not is_exercise_cell("## 3. Linear axes\n\nA 20 mg dose.")


def test_numbered_marker_expansion() -> None:
    assert _expand("9, 11-14") == {9, 11, 12, 13, 14}
    assert _expand("1–3") == {1, 2, 3}
    assert _code_prose("x = lims[1]  # usual range [4]\nprint('see [5]')").count("[") == 2
    assert "[0]" not in _code_prose('print(f"day {days[mask][0]} [3]")')


# ----------------------------------------------------------------------------------------------------
# Reference keys exist
# ----------------------------------------------------------------------------------------------------


def test_references_csv_columns_and_vocabulary() -> None:
    rows = _reference_rows()
    assert rows and list(rows[0]) == ["key", "type", "citation", "identifier", "evidence_kind"]
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys)), "duplicate reference keys"
    bad = [(r["key"], r["evidence_kind"]) for r in rows if r["evidence_kind"] not in EVIDENCE_KINDS]
    assert not bad, f"references.csv rows with an empty or unknown evidence_kind: {bad}"


def test_notebook_reference_keys_exist() -> None:
    keys = _reference_keys()
    missing = []
    for path in [*STUDENT_NOTEBOOKS, *sorted((ROOT / "notebooks").glob("0[1-9]_*.ipynb"))]:
        for cell in _cells(path):
            text = cell.source if cell.cell_type == "markdown" else _code_prose(cell.source)
            for m in KEY_MARKER.finditer(text):
                if m.group(1) not in keys and ("_" in m.group(1) or re.search(r"\d{4}$", m.group(1))):
                    missing.append((cell.notebook, cell.cell_id, m.group(1)))
    assert not missing, f"reference keys used in notebooks but missing from references.csv: {missing}"


def test_data_table_sources_exist() -> None:
    keys = _reference_keys()
    missing = []
    for path in sorted(DATA.glob("*.csv")):
        if path.name in {"references.csv", "claims.csv"}:
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                for col in ("source", "sources"):
                    for key in re.split(r"[;,\s]+", row.get(col) or ""):
                        if key and key not in keys:
                            missing.append((path.name, i, col, key))
                for value in row.values():
                    for m in KEY_MARKER.finditer(value or ""):
                        if m.group(1) not in keys:
                            missing.append((path.name, i, "text", m.group(1)))
    assert not missing, f"data-table sources missing from references.csv: {missing}"


def _docstrings_and_comments(path: Path) -> Iterator[tuple[int, str]]:
    src = path.read_text(encoding="utf-8")
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type in (tokenize.COMMENT, tokenize.STRING):
            yield tok.start[0], tok.string


def test_docstring_reference_keys_exist() -> None:
    keys = _reference_keys()
    missing = []
    for path in sorted((ROOT / "baclofen_teach").rglob("*.py")):
        for line, text in _docstrings_and_comments(path):
            for m in re.finditer(r"\[([a-z][a-z0-9_]*(?:\s*[;,]\s*[a-z][a-z0-9_]*)*)\]", text):
                for key in re.split(r"\s*[;,]\s*", m.group(1)):
                    looks_like_key = bool(
                        re.search(r"\d{4}$", key)
                        or key.startswith(("label_", "mims_"))
                        or ("_" in key and len(key) >= 8)  # nhs_baclofen, not the index t_hi
                    )
                    if looks_like_key and key not in keys:
                        missing.append((path.relative_to(ROOT).as_posix(), line, key))
    assert not missing, f"docstring/comment keys missing from references.csv: {missing}"


# ----------------------------------------------------------------------------------------------------
# The evidence register
# ----------------------------------------------------------------------------------------------------


def test_claims_register_is_well_formed() -> None:
    with (DATA / "claims.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == CLAIM_COLUMNS
        rows = list(reader)
    assert rows, "the evidence register is empty"
    keys = _reference_keys()
    ids = [r["id"] for r in rows]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate claim ids: {dupes}"
    problems = []
    for r in rows:
        if not re.fullmatch(r"[A-Z]+-\d{2,3}", r["id"]):
            problems.append((r["id"], "id must look like GEN-01"))
        for key in re.split(r"\s*;\s*", r["reference_key"]):
            if key not in keys:
                problems.append((r["id"], f"reference_key {key!r} not in references.csv"))
        if r["evidence_kind"] not in EVIDENCE_KINDS:
            problems.append((r["id"], f"evidence_kind {r['evidence_kind']!r}"))
        if r["checked_against"] not in CHECKED_AGAINST:
            problems.append((r["id"], f"checked_against {r['checked_against']!r}"))
        for col in ("topic", "claim", "locator", "used_in"):
            if not r[col].strip():
                problems.append((r["id"], f"empty {col}"))
    assert not problems, problems


def test_claims_accessor_matches_file() -> None:
    from baclofen_teach import pk

    table = pk.claims()
    assert list(table.columns) == CLAIM_COLUMNS
    assert len(table) == len(_claims())
    refs = pk.references()
    assert set(refs["key"]) == _reference_keys()


def test_no_ai_written_or_unattributed_page_supports_a_claim() -> None:
    """An AI-written page (droracle.ai and the like) never supports a claim (COMMON.md)."""
    banned = re.compile(r"droracle|chatgpt|openai|perplexity", re.IGNORECASE)
    hits = [r["key"] for r in _reference_rows() if banned.search(r["citation"] + r["identifier"])]
    hits += [r["id"] for r in _claims() if banned.search(r["locator"] + r["claim"])]
    assert not hits, hits


def test_figures_seen_only_on_ai_written_pages_are_not_taught() -> None:
    """The '15-35 h' end-stage-kidney half-life was found only on an AI-written page (clinical review 2026-12,
    row 6); the cited case report says 'up to 34 h' after overdose."""
    pattern = re.compile(r"15\s*[-–]\s*35\s*h")
    files = [*sorted((ROOT / "baclofen_teach").rglob("*.py")), *sorted(DATA.glob("*.csv"))]
    files += [*STUDENT_NOTEBOOKS, *sorted((ROOT / "docs").glob("*.md"))]
    hits = [p.relative_to(ROOT).as_posix() for p in files if pattern.search(p.read_text(encoding="utf-8"))]
    assert not hits, hits


# ----------------------------------------------------------------------------------------------------
# Notebooks: reference lists match markers; the sentence rule
# ----------------------------------------------------------------------------------------------------


def _param(path: Path) -> object:
    return pytest.param(path, id=path.stem)


@pytest.mark.parametrize("path", [_param(p) for p in STUDENT_NOTEBOOKS])
def test_reference_list_matches_markers(path: Path) -> None:
    ref_cell, entries = reference_list(path)
    used = used_markers(path)
    keys = _reference_keys()
    problems = []
    for n, cells in sorted(used.items()):
        if n not in entries:
            problems.append(f"marker [{n}] (cells {sorted(set(cells))}) has no entry in the reference list")
    for n, text in sorted(entries.items()):
        if n not in used:
            problems.append(f"entry {n} is never cited: {text[:70]}")
        found = KEY_MARKER.findall(text)
        if not found:
            problems.append(f"entry {n} does not end with a [key]: {text[:70]}")
        problems += [f"entry {n}: key [{k}] not in references.csv" for k in found if k not in keys]
    if list(entries) != list(range(1, len(entries) + 1)):
        problems.append(f"entries are not numbered 1..{len(entries)}: {list(entries)}")
    assert not problems, f"{path.name} (reference cell {ref_cell}):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", [_param(p) for p in STUDENT_NOTEBOOKS])
def test_clinical_numbers_are_cited_or_model_output(path: Path) -> None:
    found = violations(path)
    msg = "\n".join(f"  {nb} cell {cid}: {s}" for nb, cid, s in found)
    assert not found, f"sentences with a clinical number and no citation or model wording:\n{msg}"
