"""A work list as a lazy table model: keyset pages from ``services/worklists.py``, no cap.

Like the victim list model: the count and the first page run on the worker (``runner``), later pages are
fetched as the view scrolls (``canFetchMore``/``fetchMore``), sorting resets and refetches from the core.
The count is the core's ``WorkListService.count`` — the same number the workbench shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from fanguai_desk.services.desk import Desk
from fanguai_desk.services.worklists import WorkCursor, WorkFilter, WorkList, WorkRow
from fanguai_desk.ui.widgets import IdRole, RowRole

ModelIndex = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 200
Runner = Callable[[Callable[[Desk], Any], Callable[[Any], None], Callable[[Exception], None]], None]


@dataclass(frozen=True)
class WorkColumn:
    header: str
    value: Callable[[WorkRow], Any]
    sort: str | None = None  # the core's sort key (``worklists.SORTS``), None: not sortable
    color: Callable[[WorkRow], Any] | None = None


@dataclass(frozen=True)
class WorkQuery:
    kind: WorkList
    flt: WorkFilter = field(default_factory=WorkFilter)
    sort: str = "when"
    descending: bool | None = None


Loaded = tuple[int, list[WorkRow], WorkCursor | None]


def load_first(desk: Desk, q: WorkQuery) -> Loaded:
    rows, cursor = desk.worklists.page(q.kind, q.flt, sort=q.sort, descending=q.descending, limit=PAGE_SIZE)
    total = len(rows) if cursor is None else desk.worklists.count(q.kind, q.flt)
    return total, rows, cursor


class WorkListModel(QAbstractTableModel):
    total_changed = Signal(int)

    def __init__(self, columns: list[WorkColumn], desk_source: Callable[[], Desk | None], parent: Any = None,
                 runner: Runner | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._desk_source = desk_source
        self._runner = runner
        self.query: WorkQuery | None = None
        self._rows: list[WorkRow] = []
        self._cursor: WorkCursor | None = None
        self._total = 0
        self._generation = 0
        self._loading = False

    @property
    def total(self) -> int:
        return self._total

    def set_columns(self, columns: list[WorkColumn]) -> None:
        self.beginResetModel()
        self.columns = columns
        self.endResetModel()

    def set_query(self, q: WorkQuery) -> None:
        self._generation += 1
        generation = self._generation
        self.query = q
        if self._runner is None:
            desk = self._desk_source()
            self._apply(generation, load_first(desk, q) if desk is not None else (0, [], None))
            return
        self._loading = True
        self._runner(lambda d: load_first(d, q), lambda r: self._apply(generation, r),
                     lambda _e: self._apply(generation, (0, [], None)))

    def refresh(self) -> None:
        if self.query is not None:
            self.set_query(self.query)

    def _apply(self, generation: int, result: Loaded) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._loading = False
        self._total, self._rows, self._cursor = result
        self.endResetModel()
        self.total_changed.emit(self._total)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return (not parent.isValid() and not self._loading and self._cursor is not None
                and self._desk_source() is not None)

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        desk = self._desk_source()
        q = self.query
        if parent.isValid() or desk is None or q is None or self._cursor is None:
            return
        rows, cursor = desk.worklists.page(q.kind, q.flt, sort=q.sort, descending=q.descending,
                                           after=self._cursor, limit=PAGE_SIZE)
        self._cursor = cursor
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        if cursor is None and len(self._rows) != self._total:
            self._total = len(self._rows)
            self.total_changed.emit(self._total)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def row_at(self, index: ModelIndex) -> WorkRow | None:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self._rows[index.row()]

    @property
    def rows(self) -> list[WorkRow]:
        return list(self._rows)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.value(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and col.color is not None:
            return col.color(row)
        if role == IdRole:
            return row.id
        if role == RowRole:
            return row
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.query is None or not 0 <= column < len(self.columns) or self.columns[column].sort is None:
            return
        from dataclasses import replace

        self.set_query(replace(self.query, sort=self.columns[column].sort or "when",
                               descending=order == Qt.SortOrder.DescendingOrder))

    def sortable(self, column: int) -> bool:
        return self.columns[column].sort is not None
