"""Small shared widgets: the inline message banner, the password strength meter, optional date editors,
enum combo boxes, the record table and a generic read-only table model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from datetime import date as Day  # annotations inside OptionalDateEdit, whose date() shadows the name
from enum import StrEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from fanguai_desk.domain.dates import parse_typed_date
from fanguai_desk.domain.passwords import strength_score
from fanguai_desk.ui.i18n import format_date
from fanguai_desk.ui.labels import enum_label

ModelIndex = QModelIndex | QPersistentModelIndex

RowRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2

OVERDUE_COLOR = QColor("#b42318")
SOON_COLOR = QColor("#b54708")
MUTED_COLOR = QColor("#667085")


class Banner(QFrame):
    """A non-modal, inline message: errors, confirmations, warnings.  Tests read ``text()``.

    Calm layout: a banner placed above buttons keeps its space reserved while it is hidden
    (``retainSizeWhenHidden``), so showing or clearing a message never moves the buttons under the pointer; a
    new message replaces the old one, so a success never stays above an error.  A banner at the top of a page
    or a file (``reserve=False``) takes no space while it has nothing to say: a reserved empty band there only
    pushes the title and the content down, and what sits under it stretches to the bottom, so the page's
    buttons stay where they are when it shows."""

    KINDS = ("info", "success", "warning", "error")

    def __init__(self, parent: QWidget | None = None, *, reserve: bool = True) -> None:
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
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(reserve)
        self.setSizePolicy(policy)
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


class OptionalDateEdit(QWidget):
    """A date field that takes what people type — 2011-03-15, 2011/3/15, 20110315, 2011年3月15日 — or a date
    picked in the calendar, can be empty, and says what it understood (in reserved space beside it, so
    nothing moves).  The clear button (or emptying the text) empties it.  ``dateChanged`` is emitted with
    the new date (an invalid ``QDate`` when emptied) whenever the understood value changes."""

    dateChanged = Signal(QDate)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._committed: date | None = None
        self.line = QLineEdit()
        self.line.setObjectName("DateText")
        self.line.setClearButtonEnabled(True)
        self.line.setPlaceholderText(self.tr("e.g. 2011-03-15"))
        self.line.setMinimumWidth(120)
        self.line.textEdited.connect(self._typed)
        self.line.editingFinished.connect(self._normalise)
        self.pick = QToolButton()
        self.pick.setObjectName("DatePick")
        self.pick.setText("▾")
        self.pick.setToolTip(self.tr("Choose in the calendar"))
        self.pick.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        menu = QMenu(self.pick)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._prepare_calendar)
        self.pick.setMenu(menu)
        self.hint = QLabel()
        self.hint.setObjectName("DateHint")
        self.hint.setMinimumWidth(self.hint.fontMetrics().horizontalAdvance("0000年00月00日 ") + 8)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.pick)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.line)
        self.setMinimumWidth(150)

    # -- the value
    def value(self) -> date | None:
        """The date the text means now (also while typing).  Text that is no date is returned as it is —
        a ``str`` — so saving hands it to the core, which refuses it with the field named, rather than
        silently saving an empty date."""
        parsed, ok = self._parse(self.line.text())
        return parsed if ok else self.line.text()  # type: ignore[return-value]

    def set_value(self, value: date | None) -> None:
        self.line.setText(format_date_for_edit(value))
        self._commit(value)
        self._show_hint(True, value)

    def date(self) -> QDate:
        v = self._committed
        return QDate(v.year, v.month, v.day) if v else QDate()

    def setDate(self, value: QDate) -> None:
        self.set_value(date(value.year(), value.month(), value.day()) if value.isValid() else None)

    def text(self) -> str:
        return self.line.text()

    def is_understood(self) -> bool:
        """False while the text is not a date (the value is then the last one understood, or empty)."""
        return self._parse(self.line.text())[1]

    # -- read-only (a masked birth date): looks and behaves like the other masked fields — the text stays
    # readable and selectable in the theme's read-only grey (``QLineEdit:read-only``), nothing can be typed,
    # cleared or picked.  (Disabling the whole widget instead left the white field of an editable one.)
    def setReadOnly(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        self.line.setClearButtonEnabled(not read_only)
        self.pick.setEnabled(not read_only)

    def isReadOnly(self) -> bool:
        return self.line.isReadOnly()

    # -- reactions
    def _parse(self, text: str) -> tuple[Day | None, bool]:
        try:
            return parse_typed_date(text), True
        except ValueError:
            return None, False

    def _typed(self, text: str) -> None:
        value, ok = self._parse(text)
        self._show_hint(ok, value)
        if ok and value is None:
            self._commit(None)  # emptied (the clear button too): nothing more to wait for

    def _normalise(self) -> None:
        value, ok = self._parse(self.line.text())
        if ok:
            self.line.setText(format_date_for_edit(value))
            self._commit(value)
        self._show_hint(ok, value)

    def _picked(self, picked: QDate) -> None:
        self.setDate(picked)
        menu = self.pick.menu()
        if menu is not None:
            menu.close()
        self.line.setFocus(Qt.FocusReason.OtherFocusReason)

    def _prepare_calendar(self) -> None:
        self.calendar.setSelectedDate(self.date() if self._committed else QDate.currentDate())

    def _commit(self, value: Day | None) -> None:
        if value != self._committed:
            self._committed = value
            self.dateChanged.emit(self.date())

    def _show_hint(self, ok: bool, value: Day | None = None) -> None:
        self.hint.setProperty("bad", not ok)
        self.hint.style().unpolish(self.hint)
        self.hint.style().polish(self.hint)
        if not ok:
            self.hint.setText(self.tr("not a date"))
        else:
            self.hint.setText(format_date(value))
        self.line.setProperty("invalid", not ok)
        self.line.style().unpolish(self.line)
        self.line.style().polish(self.line)


def format_date_for_edit(value: date | None) -> str:
    return value.isoformat() if value else ""


class WheelGuard(QObject):
    """Application-wide: the mouse wheel changes no spin box, date or combo box that does not have the
    keyboard focus — it scrolls the page under it instead.  Installed once on the QApplication
    (``create_application``), so every form, including ones added later, gets it.

    Qt gives such widgets the focus on a wheel turn (``Qt.WheelFocus``), so their policy is lowered to
    ``StrongFocus`` as they are polished: a click or Tab focuses them, a wheel turn never does."""

    GUARDED = (QAbstractSpinBox, QComboBox)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(obj, self.GUARDED):
            if obj.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and isinstance(obj, self.GUARDED) and not obj.hasFocus():
            assert isinstance(event, QWheelEvent)
            scroll_wheel_of_page(obj, event)
            return True
        return False


def scroll_wheel_of_page(widget: QWidget, event: QWheelEvent) -> None:
    """Hand a wheel turn to the nearest scrolling ancestor (a form's scroll area), as if it got it."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    event.accept()
    if parent is None:
        return
    bar = parent.horizontalScrollBar() if event.angleDelta().y() == 0 else parent.verticalScrollBar()
    clone = QWheelEvent(QPointF(0, 0), event.globalPosition(), event.pixelDelta(), event.angleDelta(),
                        event.buttons(), event.modifiers(), event.phase(), event.inverted())
    QApplication.sendEvent(bar, clone)


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
        self._empty_text = ""

    def set_empty_text(self, text: str) -> None:
        """What the table says while it has no rows (why it is empty, or what to do), instead of a blank grid."""
        self._empty_text = text
        self.viewport().update()

    def empty_text(self) -> str:
        return self._empty_text

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self._empty_text and (model is None or model.rowCount() == 0):
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.viewport().rect().adjusted(16, 8, -16, -8),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self._empty_text)
            painter.end()

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
