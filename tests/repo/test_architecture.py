"""The package's structure rules (docs/developers.md, "Layers and the import rule"), checked on the AST.

1. No module imports a private name (``_x``) of another module, except inside one subpackage (``pk``,
   ``apps``, ``coursework``), and no private module (``pk._validate``) is imported from outside its package.
2. Layers import one way: base (units, _numerics, data, plotting, coursework) -> engine (pk, validation)
   -> scenarios (scenario -> pump -> withdrawal -> overdose) -> apps. Lazy (function-level) imports count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "baclofen_teach"

#: The one allowed import of a private module from outside its package: the public face of the validator
#: re-exports the implementation in pk/_validate.py (kept there while another branch hardens it).
ALLOWED_PRIVATE_MODULE_IMPORTS = {("baclofen_teach.validation", "baclofen_teach.pk._validate")}

#: Scenario modules in import order: each may import only the ones before it.
SCENARIO_ORDER = (
    "baclofen_teach.scenario",
    "baclofen_teach.pump",
    "baclofen_teach.withdrawal",
    "baclofen_teach.overdose",
    "baclofen_teach.population",
    "baclofen_teach.monitoring",
    "baclofen_teach.errors",
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _imports(path: Path) -> list[tuple[str, str | None, int]]:
    """(module imported, name imported from it or None, line) for every first-party import in ``path``."""
    mod = _module_name(path)
    package = mod if _is_package(path) else mod.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names if a.name.startswith("baclofen_teach")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("baclofen_teach"):
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                if (PACKAGE.parent / Path(*sub.split("."))).with_suffix(".py").exists() or (
                    PACKAGE.parent / Path(*sub.split("."))
                ).is_dir():
                    out.append((sub, None, node.lineno))  # a submodule
                else:
                    out.append((target, a.name, node.lineno))
    return out


FILES = sorted(PACKAGE.rglob("*.py"))


def _private_import_violations(path: Path) -> list[str]:
    importer = _module_name(path)
    bad = []
    for target, name, line in _imports(path):
        target_pkg = target.rpartition(".")[0]
        # a private module, e.g. baclofen_teach.pk._validate, only from inside its package
        last = target.rpartition(".")[2]
        if last.startswith("_") and not last.startswith("__"):
            inside = importer == target_pkg or importer.startswith(target_pkg + ".")
            if not inside and (importer, target) not in ALLOWED_PRIVATE_MODULE_IMPORTS:
                bad.append(f"{importer}:{line} imports the private module {target}")
        # a private name of another module, only inside one subpackage (not between top-level modules)
        if name is not None and name.startswith("_") and not name.startswith("__") and target != importer:
            importer_pkg = importer if _is_package(path) else importer.rpartition(".")[0]
            if not (target_pkg == importer_pkg != "baclofen_teach"):
                bad.append(f"{importer}:{line} imports the private name {name} from {target}")
    return bad


def _layer(mod: str) -> tuple[int, int]:
    """(layer, rank inside the scenario layer)."""
    if mod in SCENARIO_ORDER:
        return 2, SCENARIO_ORDER.index(mod)
    if mod.startswith("baclofen_teach.apps"):
        return 3, 0
    if mod.startswith("baclofen_teach.pk") or mod == "baclofen_teach.validation":
        return 1, 0
    return 0, 0  # units, _numerics, data, plotting, coursework, the package itself


def _layer_violations(path: Path) -> list[str]:
    importer = _module_name(path)
    lay, rank = _layer(importer)
    bad = []
    for target, _, line in _imports(path):
        if target == "baclofen_teach":  # the package itself (its __init__ holds only the version)
            continue
        t_lay, t_rank = _layer(target)
        if t_lay > lay or (t_lay == lay == 2 and t_rank > rank):
            bad.append(f"{importer}:{line} (layer {lay}) imports {target} (layer {t_lay}), an upper one")
    return bad


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_names_across_modules(path: Path) -> None:
    assert _private_import_violations(path) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layers_import_one_way(path: Path) -> None:
    assert _layer_violations(path) == []


def test_the_rules_catch_violations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks find a private import between scenario modules and an upward import (not vacuous)."""
    fake = tmp_path / "baclofen_teach"
    (fake / "pk").mkdir(parents=True)
    (fake / "pk" / "__init__.py").write_text("from baclofen_teach import pump\n")
    (fake / "pump.py").write_text("")
    (fake / "withdrawal.py").write_text("from baclofen_teach.pump import _time_grid\n")
    (fake / "scenario.py").write_text("from baclofen_teach.apps import x\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake)
    assert _private_import_violations(fake / "withdrawal.py")
    assert _layer_violations(fake / "pk" / "__init__.py")
    assert _layer_violations(fake / "scenario.py")
    assert not _layer_violations(fake / "withdrawal.py")
