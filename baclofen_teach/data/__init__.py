"""The package's data layer: every clinical table, read once and handed out as a copy.

Tables are the CSV files in this folder (``parameters``, ``references``, ``withdrawal_symptoms``, ...).
:func:`table` returns a fresh pandas DataFrame each call (the cached original is never exposed, so a caller
may change its copy freely).

Educational model, not dosing advice.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

__all__ = ["table", "table_names"]

#: pandas.read_csv options for tables that need them (the default reader turns empty cells into NaN).
_READ_OPTIONS: dict[str, dict[str, Any]] = {
    "published_half_lives": {
        "keep_default_na": False,
        "dtype": {"half_life_low_h": float, "half_life_high_h": float},
    },
}


def table_names() -> tuple[str, ...]:
    """Names of the tables in this folder (file names without ``.csv``), sorted."""
    files = resources.files(__name__).iterdir()
    return tuple(sorted(f.name[:-4] for f in files if f.name.endswith(".csv")))


def _stem(name: str) -> str:
    stem = name[:-4] if name.endswith(".csv") else name
    if stem not in table_names():
        raise KeyError(f"name: {name!r} is not a data table; allowed: {', '.join(table_names())}")
    return stem


@cache
def _read(stem: str) -> pd.DataFrame:
    with resources.files(__name__).joinpath(f"{stem}.csv").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, **_READ_OPTIONS.get(stem, {}))


def table(name: str) -> pd.DataFrame:
    """The data table ``name`` (e.g. ``"withdrawal_symptoms"``; ``".csv"`` optional) as a new DataFrame."""
    return _read(_stem(name)).copy()
