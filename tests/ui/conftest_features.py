"""Fixtures for the feature pages (exchange, reports, certificates, maintenance).

Imported by their test modules (``from tests.ui.conftest_features import *``): the registries with real
certificates come from ``tests/exchange/conftest.py`` (built once per session, copied per test); a page is
shown on its own, on a real signed-in context, with a navigator that records what it was asked to open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from fanguai_desk.services.desk import Desk
from fanguai_desk.ui.context import AppContext
from tests.exchange.conftest import CA_PASSWORD, Templates, open_desk, templates
from tests.ui.conftest import TIMEOUT_MS, wait_idle

__all__ = ["CA_PASSWORD", "TIMEOUT_MS", "Harness", "Templates", "harness", "open_desk", "sup_dir", "templates",
           "town_a_dir"]


class RecordingNav:
    def __init__(self) -> None:
        self.opened: list[str] = []
        self.navigated: list[str] = []

    def navigate(self, key: str, **filters: Any) -> None:
        self.navigated.append(key)

    def open_file(self, victim_id: str, tab: str | None = None, select_id: str | None = None) -> None:
        self.opened.append(victim_id)


class Harness:
    """One page or panel on a signed-in context."""

    def __init__(self, qtbot: Any, desk: Desk, make: Callable[[AppContext, RecordingNav], QWidget]) -> None:
        self.qtbot = qtbot
        self.desk = desk
        self.ctx = AppContext(desk.registry.data_dir)
        self.ctx.sign_in(desk)
        self.nav = RecordingNav()
        self.page: Any = make(self.ctx, self.nav)
        qtbot.addWidget(self.page)
        self.page.resize(1200, 700)
        self.page.show()
        if hasattr(self.page, "activate"):
            self.page.activate()
        self.wait()

    def wait(self) -> None:
        wait_idle(self.qtbot, self.ctx)

    def until(self, predicate: Callable[[], bool]) -> None:
        self.qtbot.waitUntil(predicate, timeout=TIMEOUT_MS)
        self.wait()

    def close(self) -> None:
        self.ctx.tasks.wait_for_done()
        self.page.hide()
        desk = self.ctx.desk
        if desk is not None:
            desk.close()


@pytest.fixture
def harness(qtbot: Any, zh_app: QApplication) -> Iterator[Callable[..., Harness]]:
    made: list[Harness] = []

    def make(desk: Desk, factory: Callable[[AppContext, RecordingNav], QWidget]) -> Harness:
        h = Harness(qtbot, desk, factory)
        made.append(h)
        return h

    yield make
    for h in made:
        h.close()


@pytest.fixture
def sup_dir(templates: Templates, tmp_path: Path) -> Path:
    return templates.copy("sup", tmp_path)


@pytest.fixture
def town_a_dir(templates: Templates, tmp_path: Path) -> Path:
    return templates.copy("town_a", tmp_path)
