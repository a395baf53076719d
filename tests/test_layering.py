"""The architecture's one-way dependencies, checked on the source (STYLE.md: "Nothing below ui/ imports Qt")."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "fanguai_desk"


def imports_of(path: Path) -> list[tuple[str, bool]]:
    """(module, at module level?) for every import in a file."""
    tree = ast.parse(path.read_text("utf-8"))
    top = set(map(id, tree.body))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.module, id(node) in top))
    return out


def package_files(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py")) if (PACKAGE / sub).is_dir() else [PACKAGE / sub]


def test_nothing_outside_ui_imports_qt_at_module_level() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        for module, top_level in imports_of(path):
            if module.split(".")[0] in ("PySide6", "shiboken6", "PyQt6", "PyQt5") and top_level:
                offenders.append(str(path.relative_to(PACKAGE)))
    assert not offenders, offenders


def test_core_layers_do_not_import_upwards() -> None:
    rules = {
        "domain": ("fanguai_desk.store", "fanguai_desk.services", "fanguai_desk.ui", "fanguai_desk.cli",
                   "fanguai_desk.exchange", "fanguai_desk.reports", "fanguai_desk.pki", "sqlalchemy"),
        "store": ("fanguai_desk.services", "fanguai_desk.ui", "fanguai_desk.cli", "fanguai_desk.commands"),
        "pki": ("fanguai_desk.store", "fanguai_desk.services", "fanguai_desk.ui", "fanguai_desk.cli"),
        "reports": ("fanguai_desk.store", "fanguai_desk.services", "fanguai_desk.ui", "fanguai_desk.cli"),
        "exchange": ("fanguai_desk.services", "fanguai_desk.ui", "fanguai_desk.cli"),
        "services": ("fanguai_desk.ui", "fanguai_desk.cli", "fanguai_desk.commands"),
    }
    offenders = []
    for layer, forbidden in rules.items():
        for path in package_files(layer):
            for module, _top in imports_of(path):
                if module.startswith(forbidden):
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert not offenders, offenders
