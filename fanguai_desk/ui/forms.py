"""A small form builder: fields described once, laid out in a grid, values as the plain dicts the core's
``services/fields.py`` coerces, and errors shown inline under the field they are about.

Live checks run the same domain rules the core applies (DNA content in any text, the GB 11643 check digit)
when the user leaves a field, so the reason appears before saving; the save itself is always decided by
the core, whose error is shown the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.dna import ensure_no_dna
from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.domain.idnumber import parse_id_number
from fanguai_desk.ui.labels import field_label
from fanguai_desk.ui.messages import error_field, error_text
from fanguai_desk.ui.widgets import Banner, EnumCombo, OptionalDateEdit

Check = Callable[[Any], None]


@dataclass
class F:
    """One field.  ``kind``: text, multiline, date, int, bool, enum, choice (``choices``: (label, value))."""

    key: str
    kind: str = "text"
    enum: type[StrEnum] | None = None
    required: bool = False
    placeholder: str = ""
    label: str | None = None
    choices: Sequence[tuple[str, Any]] = ()
    blank: bool = True
    wide: bool = False  # spans both columns of a two-column form
    check: Check | None = None
    minimum: int = 0
    maximum: int = 9999
    enum_values: Sequence[StrEnum] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def check_id_number(value: Any) -> None:
    if isinstance(value, str) and value.strip():
        parse_id_number(value)


class Form(QWidget):
    """Fields in a grid (one or two columns), each with its inline error label."""

    changed = Signal()

    def __init__(self, fields: Sequence[F], columns: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = {f.key: f for f in fields}
        self.editors: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self._baseline: dict[str, Any] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        row, col = 0, 0
        for f in fields:
            editor = self._make_editor(f)
            self.editors[f.key] = editor
            text = f.label if f.label is not None else field_label(f.key)
            label = QLabel(text + (" *" if f.required else ""))
            label.setObjectName("FieldLabel")
            label.setBuddy(editor)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            label.setContentsMargins(0, 0 if f.kind == "bool" else 6, 0, 0)
            self.labels[f.key] = label
            error = QLabel()
            error.setObjectName("FieldError")
            error.setWordWrap(True)
            error.hide()
            self.errors[f.key] = error
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 6)
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(error)
            if f.wide or columns == 1:
                if col != 0:
                    row, col = row + 1, 0
                grid.addWidget(label, row, 0)
                grid.addWidget(cell, row, 1, 1, 2 * columns - 1)
                row += 1
            else:
                grid.addWidget(label, row, col * 2)
                grid.addWidget(cell, row, col * 2 + 1)
                col += 1
                if col == columns:
                    row, col = row + 1, 0
        for c in range(columns):
            grid.setColumnStretch(c * 2 + 1, 1)
        self._baseline = self.values()  # an untouched form has no unsaved input

    # ------------------------------------------------------------------ editors

    def _make_editor(self, f: F) -> QWidget:
        editor: QWidget
        if f.kind == "multiline":
            edit = QPlainTextEdit()
            edit.setPlaceholderText(f.placeholder)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(int(f.extra.get("height", 64)))
            edit.textChanged.connect(self.changed)
            edit.installEventFilter(self)
            editor = edit
        elif f.kind == "date":
            d = OptionalDateEdit()
            d.dateChanged.connect(self.changed)
            d.dateChanged.connect(lambda _d, key=f.key: self._run_check(key))
            editor = d
        elif f.kind == "int":
            spin = QSpinBox()
            spin.setRange(f.minimum, f.maximum)
            if f.blank:
                spin.setSpecialValueText("—")
            spin.valueChanged.connect(self.changed)
            editor = spin
        elif f.kind == "bool":
            box = QCheckBox(f.placeholder)
            box.toggled.connect(self.changed)
            box.toggled.connect(lambda _v, key=f.key: self._run_check(key))
            editor = box
        elif f.kind == "enum":
            assert f.enum is not None
            combo = EnumCombo(f.enum, blank="—" if f.blank else None, values=f.enum_values)
            combo.currentIndexChanged.connect(self.changed)
            combo.currentIndexChanged.connect(lambda _i, key=f.key: self._run_check(key))
            editor = combo
        elif f.kind == "choice":
            choice = QComboBox()
            if f.blank:
                choice.addItem("—", None)
            for text, value in f.choices:
                choice.addItem(text, value)
            choice.currentIndexChanged.connect(self.changed)
            editor = choice
        else:
            line = QLineEdit()
            line.setPlaceholderText(f.placeholder)
            line.textChanged.connect(self.changed)
            line.editingFinished.connect(lambda key=f.key: self._run_check(key))
            editor = line
        editor.setObjectName(f"field_{f.key}")
        return editor

    def eventFilter(self, obj: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.FocusOut:
            for key, editor in self.editors.items():
                if editor is obj:
                    self._run_check(key)
        return False

    def editor(self, key: str) -> Any:
        return self.editors[key]

    # ------------------------------------------------------------------ values

    def value(self, key: str) -> Any:
        f = self.fields[key]
        w = self.editors[key]
        if f.kind == "multiline":
            assert isinstance(w, QPlainTextEdit)
            return w.toPlainText()
        if f.kind == "date":
            assert isinstance(w, OptionalDateEdit)
            return w.value()
        if f.kind == "int":
            assert isinstance(w, QSpinBox)
            return None if f.blank and w.value() == w.minimum() else w.value()
        if f.kind == "bool":
            assert isinstance(w, QCheckBox)
            return w.isChecked()
        if f.kind == "enum":
            assert isinstance(w, EnumCombo)
            v = w.value()
            return v.value if v is not None else None
        if f.kind == "choice":
            assert isinstance(w, QComboBox)
            return w.currentData()
        assert isinstance(w, QLineEdit)
        return w.text()

    def set_value(self, key: str, value: Any) -> None:
        f = self.fields[key]
        w = self.editors[key]
        if f.kind == "multiline":
            assert isinstance(w, QPlainTextEdit)
            w.setPlainText(value or "")
        elif f.kind == "date":
            assert isinstance(w, OptionalDateEdit)
            w.set_value(value if isinstance(value, date) else None)
        elif f.kind == "int":
            assert isinstance(w, QSpinBox)
            w.setValue(int(value) if value is not None else w.minimum())
        elif f.kind == "bool":
            assert isinstance(w, QCheckBox)
            w.setChecked(bool(value))
        elif f.kind == "enum":
            assert isinstance(w, EnumCombo)
            w.set_value(value)
        elif f.kind == "choice":
            assert isinstance(w, QComboBox)
            if value not in (None, "") and w.findData(value) < 0:
                w.addItem(str(value), value)  # a stored value outside the list is kept, never silently blanked
            w.setCurrentIndex(max(0, w.findData(value)))
        else:
            assert isinstance(w, QLineEdit)
            w.setText("" if value is None else str(value))

    def values(self, keys: Sequence[str] | None = None) -> dict[str, Any]:
        """Plain values for the core: text as typed (the core trims), dates as dates, enums as codes."""
        return {k: self.value(k) for k in (keys or self.fields)}

    def set_values(self, values: dict[str, Any], *, baseline: bool = True) -> None:
        for key, value in values.items():
            if key in self.fields:
                self.set_value(key, value)
        if baseline:
            self._baseline = self.values()
        self.clear_errors()

    def changed_values(self) -> dict[str, Any]:
        """Only what the user changed since ``set_values`` (what an edit sends, with the loaded version)."""
        now = self.values()
        return {k: v for k, v in now.items() if self._baseline.get(k) != v}

    def rebaseline(self, key: str | None = None) -> None:
        """Treat the current value(s) as saved: after a save, or when the UI itself changed a field."""
        if key is None:
            self._baseline = self.values()
        else:
            self._baseline[key] = self.value(key)

    def is_dirty(self) -> bool:
        return bool(self.changed_values())

    def reset(self) -> None:
        for key in self.fields:
            self.set_value(key, None)
        self._baseline = self.values()
        self.clear_errors()

    def set_read_only(self, key: str, read_only: bool) -> None:
        w = self.editors[key]
        if isinstance(w, QLineEdit | QPlainTextEdit | OptionalDateEdit):
            w.setReadOnly(read_only)
        else:
            w.setEnabled(not read_only)

    # ------------------------------------------------------------------ errors

    def clear_errors(self) -> None:
        for key, label in self.errors.items():
            label.clear()
            label.hide()
            self.editors[key].setProperty("invalid", False)
            self._repolish(self.editors[key])

    def set_field_error(self, key: str, text: str) -> None:
        label = self.errors[key]
        label.setText(text)
        label.show()
        editor = self.editors[key]
        editor.setProperty("invalid", True)
        self._repolish(editor)

    def clear_field_error(self, key: str) -> None:
        self.errors[key].clear()
        self.errors[key].hide()
        self.editors[key].setProperty("invalid", False)
        self._repolish(self.editors[key])

    def show_error(self, error: BaseException) -> bool:
        """Show a core error under its field; False if it names no field of this form."""
        key = error_field(error)
        if key is None or key not in self.fields:
            return False
        self.set_field_error(key, error_text(error))
        editor = self.editors[key]
        if not editor.hasFocus():
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def visible_errors(self) -> list[str]:
        return [label.text() for label in self.errors.values() if not label.isHidden() and label.text()]

    def _run_check(self, key: str) -> None:
        f = self.fields[key]
        value = self.value(key)
        try:
            if f.kind in ("text", "multiline") and isinstance(value, str) and value.strip():
                ensure_no_dna(key, value)
            if f.check is not None:
                f.check(value)
        except FanguaiError as exc:
            self.set_field_error(key, error_text(exc))
            return
        self.clear_field_error(key)

    @staticmethod
    def _repolish(w: QWidget) -> None:
        w.style().unpolish(w)
        w.style().polish(w)


def report(form: Form, banner: Banner, error: BaseException) -> None:
    """Show an error where it belongs: under its field if it names one, else in the banner."""
    if form.show_error(error):
        banner.clear()
    else:
        banner.error(error_text(error))
