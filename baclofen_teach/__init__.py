"""baclofen_teach: tested decay and dosing models of baclofen for teaching.

Educational model, not dosing advice.
"""

__version__ = "0.1.0"


def _tables_never_truncate() -> None:
    """Every table a notebook shows keeps its full text: pandas cuts cells at 50 characters by default
    ("secure the airway and support breathing (intub..."), which in a management table is a safety problem.
    Long text wraps in the rendered HTML table instead.

    Set as soon as pandas is imported (now if it already is), without importing it here: ``import
    baclofen_teach.apps`` does not need pandas and should stay fast.
    """
    import sys

    def configure(pd: object) -> None:
        pd.set_option("display.max_colwidth", None)  # type: ignore[attr-defined]
        pd.set_option("display.max_columns", None)  # type: ignore[attr-defined]

    if "pandas" in sys.modules and hasattr(sys.modules["pandas"], "set_option"):
        configure(sys.modules["pandas"])
        return
    import importlib.abc
    import importlib.machinery

    class _AfterPandas(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):  # noqa: ANN001, ANN201
            if name != "pandas":
                return None
            sys.meta_path.remove(self)
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return spec
            loader, exec_module = spec.loader, spec.loader.exec_module

            def exec_and_configure(module):  # noqa: ANN001, ANN202
                exec_module(module)
                configure(module)

            loader.exec_module = exec_and_configure  # type: ignore[method-assign]
            return spec

    if not any(isinstance(f, _AfterPandas) for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterPandas())


_tables_never_truncate()
