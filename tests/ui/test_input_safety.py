"""Input is never lost or changed by accident: the mouse wheel, typed dates, leaving unsaved forms."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QPoint, QPointF, Qt
from PySide6.QtGui import QInputMethodEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QComboBox, QMessageBox, QSpinBox, QWidget

from fanguai_desk.domain.dates import parse_typed_date
from fanguai_desk.store.clock import local_today
from fanguai_desk.ui.widgets import OptionalDateEdit
from tests.ui.conftest import TIMEOUT_MS, register


def wheel(widget: QWidget, steps: int = -1) -> None:
    """One synthetic notch of the mouse wheel over the middle of ``widget`` (negative = towards the user)."""
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type like a user: ASCII as key clicks, Chinese as an input method commits it (Pinyin IME)."""
    for chunk in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def _scroll_area(widget: QWidget) -> QAbstractScrollArea:
    parent = widget.parentWidget()
    while not isinstance(parent, QAbstractScrollArea):
        assert parent is not None
        parent = parent.parentWidget()
    return parent


def _open_followups(o, victim_id: str):
    o.window.open_file(victim_id, "followups")
    view = next(v for v in o.window.pages["victims"].file_views() if v.victim_id == victim_id)
    o.qtbot.waitUntil(lambda: view.loaded_once, timeout=TIMEOUT_MS)
    return view.followups


@pytest.mark.parametrize("text, expected", [
    ("2011-03-15", date(2011, 3, 15)), ("2011/3/15", date(2011, 3, 15)), ("20110315", date(2011, 3, 15)),
    ("2011年3月15日", date(2011, 3, 15)), ("２０１１．３．１５", date(2011, 3, 15)), (" 2011.03.15 ", date(2011, 3, 15)),
    ("", None)])
def test_typed_dates_are_understood(text: str, expected: date | None) -> None:
    assert parse_typed_date(text) == expected


@pytest.mark.parametrize("text", ["2011-02-30", "15/3/2011", "2011315", "三月", "2011-3"])
def test_what_is_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_typed_date(text)


def test_wheel_over_an_unfocused_date_combo_or_spin_box_scrolls_the_page_instead(qtbot, desk, open_window) -> None:
    victim_id = register(desk)
    o = open_window(desk)
    tab = _open_followups(o, victim_id)
    o.window.resize(1366, 600)  # small enough that the form scrolls
    qtbot.wait(50)
    next_date = tab.form.editor("next_visit_date")
    method = tab.form.editor("method")
    assert isinstance(next_date, OptionalDateEdit) and isinstance(method, QComboBox)
    before_date, before_method = next_date.value(), method.currentIndex()
    area = _scroll_area(method)
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0, "the form should be taller than its page at 768 px - 168"
    bar.setValue(0)
    o.window.nav.setFocus()
    wheel(method)
    wheel(next_date.line)
    assert method.currentIndex() == before_method and next_date.value() == before_date
    assert bar.value() > 0  # the page scrolled instead
    # A spin box anywhere in the app gets the same guard (it is installed on the application).
    spin = QSpinBox()
    qtbot.addWidget(spin)
    spin.setRange(0, 10)
    spin.setValue(5)
    spin.show()
    wheel(spin)
    assert spin.value() == 5
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus, timeout=TIMEOUT_MS)
    wheel(spin)  # with the keyboard focus, the wheel is the user's deliberate choice
    assert spin.value() == 4
    # Qt would give a wheel-turned combo the focus; the guard lowers that to click/Tab focus.
    assert method.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_a_date_field_takes_typed_dates_shows_what_it_understood_and_can_be_cleared(qtbot, zh_app) -> None:
    field = OptionalDateEdit()
    qtbot.addWidget(field)
    field.show()
    changes: list[object] = []
    field.dateChanged.connect(changes.append)
    for typed, expected in (("2011-03-15", date(2011, 3, 15)), ("2012/3/5", date(2012, 3, 5)),
                            ("20130102", date(2013, 1, 2)), ("2014年3月15日", date(2014, 3, 15))):
        field.line.clear()
        field.line.setFocus()
        type_text(qtbot, field.line, typed)
        assert field.value() == expected
        assert field.hint.text() == f"{expected.year}年{expected.month}月{expected.day}日"
        qtbot.keyClick(field.line, Qt.Key.Key_Tab)
        field.line.editingFinished.emit()
        assert field.text() == expected.isoformat() and field.value() == expected
    assert len(changes) == 4
    field.line.clear()
    qtbot.keyClicks(field.line, "2011-02-30")
    assert field.hint.text() == "不是有效日期" and not field.is_understood()
    field.line.selectAll()
    qtbot.keyClick(field.line, Qt.Key.Key_Delete)  # emptied: no date
    assert field.value() is None and field.hint.text() == "" and field.is_understood()
    assert changes[-1] == QDate() and len(changes) == 5


def test_a_typed_date_reaches_the_core(qtbot, desk, open_window) -> None:
    victim_id = register(desk)
    o = open_window(desk)
    tab = _open_followups(o, victim_id)
    tab.form.editor("method").set_value("home_visit")
    visit_day = local_today() - timedelta(days=2)
    editor = tab.form.editor("actual_date")
    editor.line.clear()
    type_text(qtbot, editor.line, f"{visit_day.year}年{visit_day.month}月{visit_day.day}日")
    editor.line.editingFinished.emit()
    qtbot.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "回访已记录" in tab.banner.text(), timeout=TIMEOUT_MS)
    done = [r for r in desk.followups.list(victim_id=victim_id, include_done=True) if r.actual_date]
    assert [r.actual_date for r in done] == [visit_day]


def test_leaving_an_unsaved_form_anywhere_asks_first(qtbot, desk, open_window, monkeypatch) -> None:
    o = open_window(desk)
    o.window.navigate("cases")
    page = o.window.pages["cases"]
    o.wait()
    assert not o.window.has_unsaved_input()
    page.form.editor("police_case_ref").setText("A5101002026110001")
    assert o.window.has_unsaved_input()  # any Form in any page counts, not only the files
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: asked.append(box.text()))
    o.window.close()
    assert asked and "未保存" in asked[0]
    assert o.window.isVisible()  # nothing closed until the user says so
