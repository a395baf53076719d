"""Small shared widgets: the inline message banner, the password strength meter, optional date editors,
enum combo boxes, the record table and a generic read-only table model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.passwords import strength_score
from fanguai_desk.ui.i18n import qt_date_format
from fanguai_desk.ui.labels import enum_label

ModelIndex = QModelIndex | QPersistentModelIndex

RowRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2

OVERDUE_COLOR = QColor("#b42318")
SOON_COLOR = QColor("#b54708")
MUTED_COLOR = QColor("#667085")


class Banner(QFrame):
    """A non-modal, inline message: errors, confirmations, warnings.  Tests read ``text()``."""

    KINDS = ("info", "success", "warning", "error")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self._label = QLabel()
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._action = QPushButton()
        self._action.setObjectName("BannerAction")
        self._action.hide()
        self._close = QPushButton("×")
        self._close.setObjectName("BannerClose")
        self._close.setFixedWidth(28)
        self._close.setFlat(True)
        self._close.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._action)
        layout.addWidget(self._close)
        self._callback: Callable[[], None] | None = None
        self._action.clicked.connect(self._run_action)
        self.hide()

    def show_message(self, text: str, kind: str = "info", action: tuple[str, Callable[[], None]] | None = None) -> None:
        self.setProperty("kind", kind if kind in self.KINDS else "info")
        self.style().unpolish(self)
        self.style().polish(self)
        self._label.setText(text)
        if action is not None:
            self._action.setText(action[0])
            self._callback = action[1]
            self._action.show()
        else:
            self._callback = None
            self._action.hide()
        self.show()

    def error(self, text: str, action: tuple[str, Callable[[], None]] | None = None) -> None:
        self.show_message(text, "error", action)

    def success(self, text: str) -> None:
        self.show_message(text, "success")

    def clear(self) -> None:
        self._label.clear()
        self._callback = None
        self.hide()

    def text(self) -> str:
        return self._label.text() if not self.isHidden() else ""

    def kind(self) -> str:
        return str(self.property("kind") or "")

    def _run_action(self) -> None:
        if self._callback is not None:
            self._callback()


class StrengthMeter(QWidget):
    """0 (very weak) … 4 (strong), from the core's estimate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.label = QLabel()
        self.label.setObjectName("Muted")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.label)
        self.update_for("")

    def update_for(self, password: str) -> int:
        score = strength_score(password) if password else 0
        names = [self.tr("very weak"), self.tr("weak"), self.tr("fair"), self.tr("strong"), self.tr("very strong")]
        self.bar.setValue(score if password else 0)
        self.bar.setVisible(bool(password))
        self.bar.setProperty("score", score)
        self.bar.style().unpolish(self.bar)
        self.bar.style().polish(self.bar)
        self.label.setText(self.tr("Strength: %1").replace("%1", names[score]) if password else "")
        return score


_EMPTY_DATE = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date editor with a calendar that can also be empty (shown as "—"); Delete empties it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(qt_date_format())
        self.setMinimumDate(_EMPTY_DATE)
        self.setSpecialValueText("—")
        self.setDate(_EMPTY_DATE)
        self.setMinimumWidth(150)

    def value(self) -> date | None:
        d = self.date()
        if d == _EMPTY_DATE:
            return None
        return date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(QDate(value.year, value.month, value.day) if value else _EMPTY_DATE)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.value() is None:
            self.setDate(QDate.currentDate())  # open the calendar on today, not on 1900
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentSectionIndex() == 0:
            self.set_value(None)
            return
        super().keyPressEvent(event)


class EnumCombo(QComboBox):
    """A combo box over an enum's values, labelled in the user's language; optionally with a blank."""

    def __init__(self, enum_cls: type[StrEnum], *, blank: str | None = None,
                 values: Sequence[StrEnum] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enum_cls = enum_cls
        if blank is not None:
            self.addItem(blank, None)
        for member in values if values is not None else list(enum_cls):
            self.addItem(enum_label(member), member.value)

    def value(self) -> StrEnum | None:
        data = self.currentData()
        return self.enum_cls(data) if data is not None else None

    def set_value(self, value: StrEnum | str | None) -> None:
        raw = value.value if isinstance(value, StrEnum) else value
        index = self.findData(raw)
        self.setCurrentIndex(max(0, index))


class RecordTable(QTableView):
    """A read-only table of records: whole rows, keyboard friendly; Enter or double-click opens a row."""

    open_requested = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(30)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setHighlightSections(False)
        self.setTabKeyNavigation(False)
        self.doubleClicked.connect(self.open_requested)

    MAX_FITTED_WIDTH = 320

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        if isinstance(model, RowsModel):  # small lists: columns as wide as their content
            model.modelReset.connect(self.fit_columns)

    def fit_columns(self) -> None:
        model = self.model()
        if model is None:
            return
        for c in range(model.columnCount() - 1):
            self.resizeColumnToContents(c)
            self.setColumnWidth(c, min(self.columnWidth(c) + 12, self.MAX_FITTED_WIDTH))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.open_requested.emit(index)
                return
        super().keyPressEvent(event)

    def selected_row(self) -> Any:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return index.data(RowRole)


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    color: Callable[[Any], QColor | None] | None = None
    align_right: bool = False


class RowsModel(QAbstractTableModel):
    """A read-only model over a list of row objects (dataclasses from the services)."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.value(row)
            return "" if value is None else str(value)
        if role == RowRole:
            return row
        if role == IdRole:
            return getattr(row, "id", None)
        if role == Qt.ItemDataRole.ForegroundRole and col.color is not None:
            return col.color(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def row_at(self, index: ModelIndex) -> Any:
        return self.rows[index.row()] if index.isValid() and index.row() < len(self.rows) else None


class CountCard(QPushButton):
    """A dashboard number: big count, caption under it; clicking opens the list it counts."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CountCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.number = QLabel("–")
        self.number.setObjectName("CardNumber")
        self.caption = QLabel(caption)
        self.caption.setObjectName("CardCaption")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        self.setMinimumHeight(88)
        self.setMinimumWidth(150)

    def set_count(self, n: int, alert: bool = False) -> None:
        self.number.setText(str(n))
        self.setProperty("alert", bool(alert and n > 0))
        self.style().unpolish(self)
        self.style().polish(self)
        self.number.style().unpolish(self.number)
        self.number.style().polish(self.number)


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    label.setObjectName("PageTitle" if level == 1 else "SectionTitle")
    return label


def muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("Muted")
    label.setWordWrap(True)
    return label
