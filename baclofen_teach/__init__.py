"""baclofen_teach: tested decay and dosing models of baclofen for teaching.

Educational model, not dosing advice.
"""

__version__ = "0.1.0"


def _tables_never_truncate() -> None:
    """Every table a notebook shows keeps its full text: pandas cuts cells at 50 characters by default
    ("secure the airway and support breathing (intub..."), which in a management table is a safety problem.
    Long text wraps in the rendered HTML table instead. pandas is imported by the models anyway."""
    import pandas as pd

    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_columns", None)
    pd.set_option("display.width", 110)


_tables_never_truncate()
