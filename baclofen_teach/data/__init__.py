"""The package's data layer: every clinical table, read once and handed out as a copy.

Tables are the CSV files in this folder. Each clinical number the code uses is a row of
``parameters.csv`` (set, name, value, unit, population, source, note) or of a topic table
(``withdrawal_symptoms``, ``overdose_management``, ``toxicity_reports``, ``published_half_lives`` ...);
every row names its source, a key of ``references.csv``. The evidence register ``claims.csv`` lists each
clinical claim a student reads with its reference and locator.

* :func:`table` -- a table as a new pandas DataFrame (the cached original is never exposed);
* :func:`rows` -- a table as a list of dicts of strings (no pandas, for the engine's import time);
* :func:`param` -- one number of ``parameters.csv``, e.g. ``param("dialysis", "hd_cl_L_per_h")``;
  :func:`param_sets` -- the sets in the order they first appear;
* :func:`references`, :func:`reference_keys` -- the bibliography; :func:`claims` -- the evidence register.

Add a table: put ``name.csv`` here (it ships with the package: ``pyproject.toml`` includes ``data/*.csv``)
and read it with ``table("name")``. Add a parameter: append a row at the END of ``parameters.csv``.

Educational model, not dosing advice.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "CLAIMS_COLUMNS",
    "claims",
    "param",
    "param_sets",
    "reference_keys",
    "references",
    "rows",
    "table",
    "table_names",
]

#: Columns of the evidence register ``claims.csv``.
CLAIMS_COLUMNS: tuple[str, ...] = (
    "id",
    "topic",
    "claim",
    "value",
    "unit",
    "reference_key",
    "locator",
    "evidence_kind",
    "checked_against",
    "used_in",
)

#: pandas.read_csv options for tables that need them (the default reader turns empty cells into NaN).
_READ_OPTIONS: dict[str, dict[str, Any]] = {
    "published_half_lives": {
        "keep_default_na": False,
        "dtype": {"half_life_low_h": float, "half_life_high_h": float},
    },
    "claims": {"dtype": str, "keep_default_na": False},
    "references": {"dtype": str, "keep_default_na": False},
}


@cache
def table_names() -> tuple[str, ...]:
    """Names of the tables in this folder (file names without ``.csv``), sorted."""
    files = resources.files(__name__).iterdir()
    return tuple(sorted(f.name[:-4] for f in files if f.name.endswith(".csv")))


def _stem(name: str) -> str:
    stem = name[:-4] if isinstance(name, str) and name.endswith(".csv") else name
    if stem not in table_names():
        raise KeyError(f"name: {name!r} is not a data table; allowed: {', '.join(table_names())}")
    return stem


@cache
def _frame(stem: str) -> Any:
    import pandas as pd  # lazily: the engine reads its numbers through rows(), without pandas

    with resources.files(__name__).joinpath(f"{stem}.csv").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, **_READ_OPTIONS.get(stem, {}))


@cache
def _rows(stem: str) -> tuple[dict[str, str], ...]:
    with resources.files(__name__).joinpath(f"{stem}.csv").open("r", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def table(name: str) -> Any:
    """The data table ``name`` (e.g. ``"withdrawal_symptoms"``; ``".csv"`` optional) as a new DataFrame."""
    return _frame(_stem(name)).copy()


def rows(name: str) -> list[dict[str, str]]:
    """The data table ``name`` as a list of new dicts (column -> text), in file order."""
    return [dict(r) for r in _rows(_stem(name))]


@cache
def _params() -> dict[tuple[str, str], float]:
    return {(r["set"], r["name"]): float(r["value"]) for r in _rows("parameters")}


def param(set_name: str, name: str) -> float:
    """One value of ``parameters.csv``, e.g. ``param("adult", "cl_over_f_L_per_h")`` (the unit is in the
    name and in the row's ``unit`` column)."""
    try:
        return _params()[(set_name, name)]
    except KeyError:
        raise KeyError(f"no parameter {name!r} in set {set_name!r} of parameters.csv") from None


def param_sets() -> tuple[str, ...]:
    """The parameter sets of ``parameters.csv`` (``adult``, ``simon2018``, ...), in file order."""
    return tuple(dict.fromkeys(r["set"] for r in _rows("parameters")))


def references() -> Any:
    """The reference list as a pandas DataFrame (``baclofen_teach/data/references.csv``): columns ``key``,
    ``type``, ``citation``, ``identifier`` (DOI, PMID or label set id) and ``evidence_kind``, all text. Every
    ``[key]`` in the package, its tables and notebooks is a row here (docs/evidence.md)."""
    return table("references")


@cache
def reference_keys() -> frozenset[str]:
    """Every key of ``references.csv`` (what a ``[key]`` citation may name)."""
    return frozenset(r["key"] for r in _rows("references"))


def claims() -> Any:
    """The evidence register as a pandas DataFrame of text (``baclofen_teach/data/claims.csv``): one row per
    clinical claim the course teaches, with ``id``, ``topic``, ``claim``, ``value``, ``unit``,
    ``reference_key``, ``locator`` (label section, table or "abstract"), ``evidence_kind``,
    ``checked_against`` (what was read: full_text, abstract, label_section, manufacturer_page,
    secondary_text) and ``used_in`` (:data:`CLAIMS_COLUMNS`); an empty table with those columns if the file
    is absent.

    To check a claim: find its row (``claims().query("id == 'GEN-01'")``), read the key and locator, and open
    the identifier of that key in :func:`references`. See docs/evidence.md.

    >>> from baclofen_teach import pk
    >>> t = pk.claims()
    >>> {"id", "reference_key", "locator", "checked_against"} <= set(t.columns)
    True
    """
    if "claims" not in table_names():
        import pandas as pd

        return pd.DataFrame(columns=list(CLAIMS_COLUMNS), dtype=str)
    return table("claims")
