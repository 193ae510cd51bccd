"""One data layer (baclofen_teach.data): every table read once, handed out as a copy; every parameter row
read by the code; every source a reference; nothing else opens the package's data files."""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import pytest

from baclofen_teach import data, pk

PACKAGE = Path(__file__).resolve().parents[2] / "baclofen_teach"

#: Rows kept as documentation of a range that the code does not use (merged from the intrathecal branch):
#: the single-study and chronic-infusion CSF half-lives beside the label's 1-5 h. Read them in a test, or
#: remove them, and this exemption goes.
UNREAD_DOCUMENTATION_ROWS = {
    ("csf_label", "csf_half_life_h_study_low"),
    ("csf_label", "csf_half_life_h_chronic"),
}


def test_table_returns_a_copy() -> None:
    a = data.table("withdrawal_symptoms")
    a.loc[0, "symptom"] = "changed"
    assert data.table("withdrawal_symptoms.csv").loc[0, "symptom"] != "changed"
    r = data.rows("parameters")
    r[0]["value"] = "-1"
    assert data.rows("parameters")[0]["value"] != "-1"


def test_unknown_table_names_the_choices() -> None:
    with pytest.raises(KeyError, match="parameters"):
        data.table("parameter")


def test_every_parameter_row_is_read_by_the_code() -> None:
    """No number sits in parameters.csv that nothing reads (and then drifts from a literal in code). A row
    may be read by the package or, for label figures the model is checked against, by a test."""
    files = [*PACKAGE.rglob("*.py"), *(PACKAGE.parent / "tests").rglob("*.py")]
    source = "\n".join(p.read_text(encoding="utf-8") for p in files if p.name != "test_data_layer.py")
    unread = {(r["set"], r["name"]) for r in data.rows("parameters") if f'"{r["name"]}"' not in source}
    assert unread <= UNREAD_DOCUMENTATION_ROWS


def test_every_source_is_a_reference() -> None:
    keys = data.reference_keys()
    for r in data.rows("parameters"):
        assert {k.strip() for k in r["source"].split(";")} <= keys, (r["set"], r["name"], r["source"])
    for name in ("withdrawal_symptoms", "risk_factors", "withdrawal_management", "overdose_management"):
        for cell in data.table(name)["source"].dropna():
            assert {k.strip() for k in str(cell).replace(",", ";").split(";") if k.strip()} <= keys, (
                name,
                cell,
            )


def test_references_and_claims_are_reachable() -> None:
    refs = data.references()
    assert list(refs.columns) == ["key", "type", "citation", "identifier", "evidence_kind"]
    assert set(refs["key"]) == data.reference_keys()
    assert tuple(data.claims().columns) == data.CLAIMS_COLUMNS


def test_population_sets_come_from_the_table() -> None:
    assert pk.POPULATION_SETS == ("simon2018", "marsot2013", "chevillard2017")
    assert all(pk.PKParams.population(s).name == s for s in pk.POPULATION_SETS)


def _opens_data(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("read_csv", "DictReader", "files"):
            return True
    return False


def test_only_the_data_layer_opens_data_files() -> None:
    openers = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if _opens_data(p)}
    assert openers <= {"data/__init__.py", "coursework/build.py", "coursework/selfcheck.py"}


def test_parameter_file_is_well_formed() -> None:
    with (PACKAGE / "data" / "parameters.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len({(r["set"], r["name"]) for r in rows}) == len(rows)  # no duplicate (set, name)
    assert all(float(r["value"]) == float(r["value"]) and r["unit"] and r["source"] for r in rows)
