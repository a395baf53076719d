"""Calm layout: a label on every field (issue 15 — "an unlabelled method box").  Walks every page, every tab of
each page and every tab of a file, and fails on a visible input with nothing that names it: no form-row label,
no label whose buddy it is, no label just before it in its row, no placeholder and no accessible name."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from fanguai_desk.ui.main_window import NAV_KEYS
from tests.ui.conftest import TIMEOUT_MS


def _layout_holding(widget: QWidget) -> QLayout | None:
    parent = widget.parentWidget()
    if parent is None or parent.layout() is None:
        return None
    stack = [parent.layout()]
    while stack:
        lay = stack.pop()
        if lay.indexOf(widget) >= 0:
            return lay
        stack += [lay.itemAt(i).layout() for i in range(lay.count()) if lay.itemAt(i).layout() is not None]
    return None


def _named(w: QWidget, buddies: set[int]) -> bool:
    if w.accessibleName() or id(w) in buddies:
        return True
    if isinstance(w, QLineEdit | QPlainTextEdit | QTextEdit | QComboBox) and w.placeholderText():
        return True
    if isinstance(w, QComboBox) and w.count() and w.itemData(0) is None and w.itemText(0):
        return True  # a filter whose "any" item names it: 全部乡镇, 全部状态
    lay = _layout_holding(w)
    if isinstance(lay, QFormLayout):
        row, _role = lay.getWidgetPosition(w)
        label = lay.itemAt(row, QFormLayout.ItemRole.LabelRole) if row >= 0 else None
        return label is not None and label.widget() is not None and bool(getattr(label.widget(), "text", str)())
    if isinstance(lay, QGridLayout):
        row, col, _rs, _cs = lay.getItemPosition(lay.indexOf(w))
        left = lay.itemAtPosition(row, col - 1) if col > 0 else None
        above = lay.itemAtPosition(row - 1, col) if row > 0 else None
        return any(item is not None and isinstance(item.widget(), QLabel) and item.widget().text()
                   for item in (left, above))
    if isinstance(lay, QBoxLayout):
        i = lay.indexOf(w)
        before = [lay.itemAt(j).widget() for j in range(i)]
        return any(isinstance(b, QLabel) and b.text() for b in before)
    return False


def unlabelled(root: QWidget) -> list[str]:
    buddies = {id(lbl.buddy()) for lbl in root.findChildren(QLabel) if lbl.buddy() is not None}
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or not isinstance(w, QComboBox | QAbstractSpinBox | QLineEdit | QPlainTextEdit):
            continue
        if isinstance(w, QLineEdit) and isinstance(w.parentWidget(), QComboBox | QAbstractSpinBox):
            continue  # the editor inside a combo or spin box
        if isinstance(w, QPlainTextEdit | QLineEdit) and w.isReadOnly():
            continue  # a panel showing text, not a field
        if not _named(w, buddies):
            # a field inside a form row's compound widget: named by the row
            p = w.parentWidget()
            lay = _layout_holding(p) if p is not None else None
            if isinstance(lay, QFormLayout) and _named(p, buddies):
                continue
            shown = w.currentText() if isinstance(w, QComboBox) else ""
            out.append(f"{type(w).__name__} {w.objectName()} {shown} @{type(lay).__name__}")
    return out


def test_every_visible_field_has_a_label(qtbot, demo_desk, open_window) -> None:
    o = open_window(demo_desk)
    found: dict[str, list[str]] = {}
    for key in NAV_KEYS:
        o.window.navigate(key)
        o.wait()
        tab_sets = o.window.pages[key].findChildren(QTabWidget) or [None]
        for tabs in tab_sets:
            for i in range(tabs.count() if tabs is not None and tabs.isVisible() else 1):
                if tabs is not None:
                    tabs.setCurrentIndex(i)
                o.wait()
                qtbot.wait(20)
                bad = unlabelled(o.window)
                if bad:
                    found[f"{key}:{tabs.tabText(i) if tabs is not None else ''}"] = bad
    victims = o.window.pages["victims"]
    o.window.open_file(victims.list.model.row(0).id)
    view = victims.file_views()[0]
    qtbot.waitUntil(lambda: view.loaded_once, timeout=TIMEOUT_MS)
    for i in range(view.tabs.count()):
        view.tabs.setCurrentIndex(i)
        o.wait()
        qtbot.wait(20)
        bad = unlabelled(o.window)
        if bad:
            found[f"file:{view.tabs.tabText(i)}"] = bad
    assert not found, found
