"""The architecture's one-way dependencies, checked on the source (STYLE.md: "Nothing below ui/ imports Qt")."""

from __future__ import annotations

import ast
from pathlib import Path

from fanguai_desk.services.desk import Desk
from fanguai_desk.services.unit_of_work import UnitOfWork

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


# ------------------------------------------------------------------ services: one unit of work, one composition root

SERVICES = PACKAGE / "services"
COMPOSITION_ROOT = "fanguai_desk.services.desk"


def service_imports(path: Path) -> set[str]:
    """The ``fanguai_desk.services`` modules a file imports — at module level, inside functions and under
    TYPE_CHECKING alike (a type-only import is still a dependency a reader has to follow)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "fanguai_desk.services":
            found |= {f"fanguai_desk.services.{a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("fanguai_desk.services."):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("fanguai_desk.services.")}
    return found


def services_graph() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(SERVICES.glob("*.py")):
        module = f"fanguai_desk.services.{path.stem}"
        graph[module] = service_imports(path) - {module}
    return graph


def service_classes() -> set[str]:
    """Every use-case service: the classes in services/ built on ServiceBase."""
    names = set()
    for path in SERVICES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id == "ServiceBase"
                                                      for b in node.bases):
                names.add(node.name)
    return names


def test_no_service_imports_the_composition_root() -> None:
    """Services receive the unit of work (services/unit_of_work.py), never the Desk: nothing in the core imports
    services/desk.py, not even for a type."""
    offenders = []
    for layer in ("services", "store", "domain", "exchange", "reports", "pki"):
        for path in package_files(layer):
            if path == SERVICES / "desk.py":
                continue
            if COMPOSITION_ROOT in service_imports(path):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert not offenders, offenders
    assert COMPOSITION_ROOT not in {m for deps in services_graph().values() for m in deps}


def test_the_unit_of_work_knows_no_service() -> None:
    assert service_imports(SERVICES / "unit_of_work.py") == set()
    assert service_imports(SERVICES / "base.py") == {"fanguai_desk.services.unit_of_work"}


def test_services_import_graph_has_no_cycle() -> None:
    graph = services_graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for dep in sorted(graph.get(module, ())):
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep):], dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[module] = 2

    for module in graph:
        if module not in state:
            visit(module, [module])
    assert not cycles, cycles


def test_every_service_is_built_in_one_place_only() -> None:
    """Each ServiceBase subclass is constructed exactly once, in the composition root — not by another
    service, not by the CLI or the UI, not by a test (they ask the Desk: ``desk.exchange``)."""
    classes = service_classes()
    assert {"VictimService", "ExchangeService", "PkiService", "TransferService"} <= classes
    built: dict[str, list[str]] = {name: [] for name in classes}
    tests = PACKAGE.parent / "tests"
    for path in [*PACKAGE.rglob("*.py"), *tests.rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else \
                    node.func.attr if isinstance(node.func, ast.Attribute) else None
                if name in built:
                    built[name].append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    root = "fanguai_desk/services/desk.py"
    wrong = {name: places for name, places in built.items()
             if len(places) != 1 or not places[0].startswith(root + ":")}
    assert not wrong, wrong


def test_services_hold_the_unit_of_work_not_the_desk(desk: Desk) -> None:
    from functools import cached_property

    from fanguai_desk.services.base import ServiceBase

    names = [n for n, v in vars(Desk).items() if isinstance(v, cached_property)]
    services = [getattr(desk, n) for n in names]
    assert all(isinstance(s, ServiceBase) for s in services)
    assert {type(s).__name__ for s in services} == service_classes()  # every service is reachable from the Desk
    assert all(s.uow is desk.uow and isinstance(s.uow, UnitOfWork) for s in services)
    assert all(getattr(desk, n) is s for n, s in zip(names, services, strict=True))  # built once per Desk
    # the wiring: collaborators are the Desk's own instances
    assert desk.exchange.pki is desk.pki and desk.exchange.transfers is desk.transfer
    assert desk.transfer.lifecycle is desk.lifecycle and desk.dashboard.review is desk.review
