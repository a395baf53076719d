"""The victim list model: masked rows fetched lazily from the core, a page at a time.

``rowCount`` is what has been fetched; ``total`` is the core's count for the query.  The view asks for more
(``canFetchMore``/``fetchMore``) as the user scrolls, so 100,000 files scroll without loading 100,000 rows.
Pages are keyset queries (``VictimService.page``, ``services/paging.py``: the rows of ``VictimService.list_rows``
in the same order, without OFFSET), so row 99,800 comes as fast as row 200.
Sorting resets the model and refetches from the core with ``VictimQuery(sort=…, descending=…)``.
The model holds no Desk: it asks ``desk_source()`` each time, which is None while the registry is locked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from fanguai_desk.domain.enums import FileStatus, IdentityStatus
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.paging import Cursor
from fanguai_desk.services.victims import VictimQuery, VictimRow
from fanguai_desk.ui.i18n import format_date
from fanguai_desk.ui.labels import enum_label
from fanguai_desk.ui.widgets import MUTED_COLOR, OVERDUE_COLOR, IdRole, RowRole

ModelIndex = QModelIndex | QPersistentModelIndex

VictimIdRole = IdRole
VictimRowRole = RowRole

PAGE_SIZE = 200

# (key, sort key in VictimQuery or None)
COLUMNS: list[tuple[str, str | None]] = [
    ("file_number", "file_number"),
    ("name", "name"),
    ("sex", None),
    ("age", None),
    ("id_number", None),
    ("township", None),
    ("placement", None),
    ("rescue_date", "rescue_date"),
    ("status", "status"),
]


Runner = Callable[[Callable[[Desk], Any], Callable[[Any], None], Callable[[Exception], None]], None]
Loaded = tuple[int, list[VictimRow], Cursor | None]


def load_first_page(desk: Desk, query: VictimQuery) -> Loaded:
    page = desk.victims.page(query, limit=PAGE_SIZE)
    total = len(page.rows) if page.next is None else desk.victims.count(query)
    return total, page.rows, page.next


class VictimTableModel(QAbstractTableModel):
    total_changed = Signal(int)
    loading = Signal(bool)

    def __init__(self, desk_source: Callable[[], Desk | None], parent: Any = None,
                 runner: Runner | None = None) -> None:
        """``runner`` (``AppContext.call``) runs the count and first page on the worker; without it (tests of
        the model alone) they run here.  Later pages are small keyset queries, fetched as the view scrolls."""
        super().__init__(parent)
        self._desk_source = desk_source
        self._runner = runner
        self._query = VictimQuery()
        self._pending: VictimQuery | None = None
        self._generation = 0
        self._rows: list[VictimRow] = []
        self._cursor: Cursor | None = None
        self._total = 0

    # ------------------------------------------------------------------ query

    @property
    def query(self) -> VictimQuery:
        """The query whose rows the model shows (a newer one may still be loading)."""
        return self._query

    @property
    def total(self) -> int:
        return self._total

    def is_loading(self) -> bool:
        return self._pending is not None

    def set_query(self, query: VictimQuery) -> None:
        """Reset to the first page of ``query`` (sorting, searching and filtering all come here)."""
        self._generation += 1
        generation = self._generation
        if self._runner is None:
            desk = self._desk_source()
            self._apply(generation, query, load_first_page(desk, query) if desk is not None else (0, [], None))
            return
        self._pending = query
        self.loading.emit(True)
        self._runner(lambda desk: load_first_page(desk, query),
                     lambda result: self._apply(generation, query, result),
                     lambda _exc: self._apply(generation, query, (0, [], None)))

    def _apply(self, generation: int, query: VictimQuery, result: Loaded) -> None:
        if generation != self._generation:
            return  # a newer query was asked for meanwhile (the user kept typing)
        self.beginResetModel()
        self._query = query
        self._pending = None
        self._total, self._rows, self._cursor = result
        self.endResetModel()
        self.loading.emit(False)
        self.total_changed.emit(self._total)

    def refresh(self) -> None:
        self.set_query(self._pending or self._query)

    def clear(self) -> None:
        self._generation += 1
        self._pending = None
        self.beginResetModel()
        self._rows = []
        self._cursor = None
        self._total = 0
        self.endResetModel()
        self.total_changed.emit(0)

    def update(self, **changes: Any) -> None:
        self.set_query((self._pending or self._query)._replace(**changes))

    # ------------------------------------------------------------------ lazy fetching

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or self._pending is not None:
            return False
        return len(self._rows) < self._total and self._desk_source() is not None

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        desk = self._desk_source()
        if parent.isValid() or desk is None or self._pending is not None:
            return
        start = len(self._rows)
        if self._cursor is None:  # the last page is in
            self._total = start
            self.total_changed.emit(self._total)
            return
        page = desk.victims.page(self._query, after=self._cursor, limit=PAGE_SIZE)
        rows, cursor = page.rows, page.next
        if not rows:
            self._total = start  # the list shrank under us (a file was closed or deleted elsewhere)
            self.total_changed.emit(self._total)
            return
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self._cursor = cursor
        self.endInsertRows()
        if cursor is None:
            self._total = len(self._rows)
            self.total_changed.emit(self._total)

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def row(self, i: int) -> VictimRow:
        return self._rows[i]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        key = COLUMNS[section][0]
        return {
            "file_number": self.tr("File number"),
            "name": self.tr("Name"),
            "sex": self.tr("Sex"),
            "age": self.tr("Age"),
            "id_number": self.tr("ID number"),
            "township": self.tr("Township"),
            "placement": self.tr("Placement"),
            "rescue_date": self.tr("Rescued on"),
            "status": self.tr("Status"),
        }[key]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == VictimIdRole:
            return row.id
        if role == VictimRowRole:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and key == "placement":
            return enum_label(row.placement_state) or None
        if role == Qt.ItemDataRole.ToolTipRole and key == "name":
            tips = []
            if row.identity_status is IdentityStatus.UNKNOWN:
                tips.append(enum_label(row.identity_status))
            if row.attention_flag:
                tips.append(self.tr("Flagged for attention"))
            return "\n".join(tips) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.status is FileStatus.CLOSED:
                return MUTED_COLOR
            if key == "name" and row.attention_flag:
                return OVERDUE_COLOR
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "age":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: VictimRow, key: str) -> str:
        if key == "file_number":
            return row.file_number
        if key == "name":
            name = row.display_name
            if row.identity_status is IdentityStatus.UNKNOWN:
                name = self.tr("%1 (identity unknown)").replace("%1", name)
            return ("★ " if row.attention_flag else "") + name
        if key == "sex":
            return enum_label(row.sex)
        if key == "age":
            return "" if row.age is None else str(row.age)
        if key == "id_number":
            return row.id_number_masked
        if key == "township":
            return row.township
        if key == "placement":
            return enum_label(row.placement_state)
        if key == "rescue_date":
            return format_date(row.rescue_date)
        if key == "status":
            return enum_label(row.status)
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        self.update(sort=key, descending=order == Qt.SortOrder.DescendingOrder)

    @staticmethod
    def sortable(column: int) -> bool:
        return COLUMNS[column][1] is not None
