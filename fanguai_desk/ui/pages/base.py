"""What every page of the main window has: the context, a way to navigate, refresh-when-shown."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtWidgets import QWidget

from fanguai_desk.ui.context import AppContext


class Navigator(Protocol):
    def navigate(self, key: str, **filters: Any) -> None: ...

    def open_file(self, victim_id: str, tab: str | None = None, select_id: str | None = None) -> None: ...


class Page(QWidget):
    """A page is refreshed when it becomes visible after something changed.  No visible strings here."""

    #: Which ``AppContext.data_changed`` kinds make this page stale (empty: any).
    depends_on: tuple[str, ...] = ()

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.ctx = ctx
        self.nav = nav
        self._stale = True
        ctx.data_changed.connect(self._data_changed)
        ctx.unlocked.connect(self._mark_stale)

    def _data_changed(self, kind: str) -> None:
        if not self.depends_on or kind in self.depends_on or kind == "*":
            self._mark_stale()

    def _mark_stale(self) -> None:
        self._stale = True
        if self.isVisible() and not self.ctx.is_locked:
            self.refresh()

    def activate(self, **filters: Any) -> None:
        """Called when the user navigates here (with the filters of a dashboard click, if any)."""
        if filters:
            self.apply_filters(**filters)
        elif self._stale:
            self.refresh()

    def apply_filters(self, **filters: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        self._stale = False
