"""The file view (issue 11): a masked birth date looks and behaves like the other masked fields (read-only
grey, nothing to type, clear or pick); a review flag offers closing only where it works — here, with a
note — and a flag received from a township says where it closes instead."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from fanguai_desk.store.models import ReviewFlag
from tests.ui.conftest import TIMEOUT_MS, register
from tests.ui.test_file_view import _open, _reveal


def _background(editor: QLineEdit):  # type: ignore[no-untyped-def]
    """The field's painted background, a few pixels in from its left edge (where no text is)."""
    image = editor.grab().toImage()
    return image.pixelColor(3, image.height() // 2).name()


def test_a_masked_birth_date_is_greyed_and_read_only_like_the_other_masked_fields(qtbot, desk, open_window) -> None:
    victim_id = register(desk, phone="13812345678")
    o = open_window(desk)
    view = _open(o, victim_id)
    form = view.profile.form
    birth, phone, rescue = form.editor("birth_date"), form.editor("phone"), form.editor("rescue_date")
    assert birth.isReadOnly() and birth.line.isReadOnly() and phone.isReadOnly()
    assert not birth.pick.isEnabled() and not birth.line.isClearButtonEnabled()
    # painted like the masked phone field, not like an editable date (the rescue date beside it)
    assert _background(birth.line) == _background(phone) != _background(rescue.line)
    if os.environ.get("FANGUAI_SCREENSHOT_DIR"):
        view.profile.grab().save(str(Path(os.environ["FANGUAI_SCREENSHOT_DIR"]) / "masked_birth_date.png"))
    # typing does nothing; the calendar cannot be opened
    birth.line.setFocus()
    qtbot.keyClicks(birth.line, "2001")
    assert birth.text() == "1995（仅显示年份）"
    _reveal(o, view)
    assert not birth.isReadOnly() and birth.pick.isEnabled() and birth.line.isClearButtonEnabled()
    assert _background(birth.line) == _background(rescue.line)


def test_a_flag_closes_with_a_note_here_and_a_townships_flag_says_where_it_closes(qtbot, desk, open_window) -> None:
    vid, _ = desk.victims.register({"alias": "己", "birth_date": "1990-03-01"})
    sid = desk.assistance.add(vid, {"service_type": "vocational_training", "start_date": "2025-09-01",
                                    "willing": True})
    desk.victims.edit(vid, {"birth_date": "2015-03-01"})
    with desk.tx() as s:  # as received from the township's laptop in its bundle (exchange/review_flags.py)
        s.add(ReviewFlag(victim_id=vid, record_type="service", record_id=sid, rule="school_age", source="township",
                         origin_installation="another-laptop"))
    o = open_window(desk)
    view = _open(o, vid)
    assert view.review_notice.isVisibleTo(view)
    [button] = view.review_notice.findChildren(QPushButton)  # one flag is this laptop's to close
    [note] = view.review_notice.findChildren(QLineEdit, "ReviewFlagNote")
    [where] = view.review_notice.findChildren(QLabel, "ReviewFlagOrigin")
    assert where.text() == "由青龙镇提出：只能在乡镇复核关闭，关闭结果随乡镇的下一个数据包传来。"
    assert note.placeholderText() == "复核说明：查到了什么、做了什么（可选）"
    if os.environ.get("FANGUAI_SCREENSHOT_DIR"):
        view.grab().save(str(Path(os.environ["FANGUAI_SCREENSHOT_DIR"]) / "review_flags.png"))
    note.setText("已核实，出生日期更正有据")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.review_notice.findChildren(QPushButton), timeout=TIMEOUT_MS)
    [closed] = [f for f in desk.review.flags(vid, include_closed=True) if f.status == "resolved"]
    assert closed.note == "已核实，出生日期更正有据" and closed.record_id == sid
    [still_open] = desk.review.open_flags(vid)  # the township's flag stays open here
    assert still_open.raised_at == "青龙镇" and not still_open.can_close
    assert view.review_notice.isVisibleTo(view)


def test_reviewed_flags_stay_visible_collapsed_with_who_when_and_note(qtbot, desk, open_window) -> None:
    """A flag closed here, and one closed at the township and received with its bundle, leave the open list
    but stay on the file: a collapsed 已复核 list with who closed each, when, and the note."""
    vid, _ = desk.victims.register({"alias": "庚", "birth_date": "1990-03-01"})
    sid = desk.assistance.add(vid, {"service_type": "vocational_training", "start_date": "2025-09-01",
                                    "willing": True})
    desk.victims.edit(vid, {"birth_date": "2015-03-01"})
    [local] = desk.review.open_flags(vid)
    desk.review.mark_reviewed(local.id, "已核实，出生日期更正有据")
    closer = desk.actor.user_id
    with desk.tx() as s:  # closed at the township, its closure received in the township's bundle
        s.add(ReviewFlag(victim_id=vid, record_type="service", record_id=sid, rule="school_age", source="township",
                         origin_installation="another-laptop", status="resolved", resolved_by=closer,
                         resolved_at=datetime(2026, 5, 6, 7, 8), resolution_note="乡镇已复核"))
    o = open_window(desk)
    view = _open(o, vid)
    assert not view.review_notice.isVisibleTo(view)  # nothing open
    assert view.reviewed_toggle.isVisibleTo(view) and view.reviewed_toggle.text() == "▸ 已复核（2）"
    assert not view.reviewed_list.isVisibleTo(view)  # collapsed
    qtbot.mouseClick(view.reviewed_toggle, Qt.MouseButton.LeftButton)
    assert view.reviewed_list.isVisibleTo(view) and view.reviewed_toggle.text() == "▾ 已复核（2）"
    texts = [w.text() for w in view.reviewed_list.findChildren(QLabel, "ReviewedFlag")]
    assert len(texts) == 2 and all(t.startswith("✓ ") and "复核人：" in t and "复核时间：" in t for t in texts)
    assert any("复核说明：已核实，出生日期更正有据" in t for t in texts)
    assert any("复核说明：乡镇已复核" in t and "2026" in t for t in texts)
    if os.environ.get("FANGUAI_SCREENSHOT_DIR"):
        view.grab().save(str(Path(os.environ["FANGUAI_SCREENSHOT_DIR"]) / "reviewed_flags.png"))
    qtbot.mouseClick(view.reviewed_toggle, Qt.MouseButton.LeftButton)
    assert not view.reviewed_list.isVisibleTo(view)
