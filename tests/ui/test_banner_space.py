"""A banner at the top of a page or a file takes no space while it has nothing to say (issue 15 residual:
an empty ~60 px band sat above every page title on a 768-px laptop), and still shows when it has."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel, QWidget

from fanguai_desk.services import statistics
from fanguai_desk.ui.file_view import VictimFileView
from tests.ui.conftest import TIMEOUT_MS, register


def _top(widget: QWidget, window: QWidget) -> int:
    return widget.mapTo(window, QPoint(0, 0)).y()


def _title(page: QWidget) -> QLabel:
    return next(label for label in page.findChildren(QLabel, "PageTitle") if label.isVisible())


def test_with_no_banner_the_page_title_sits_at_the_top_and_a_banner_still_shows(qtbot, desk, open_window,
                                                                                 monkeypatch) -> None:
    # From 1 January to 15 February the county's dashboard rightly shows last year's report reminder: this test
    # is about a page with nothing to say, so it runs as on any other day of the year.
    monkeypatch.setattr(statistics, "annual_report_due", lambda today: None)
    o = open_window(desk)
    window = o.window
    page = window.pages["dashboard"]
    qtbot.waitUntil(lambda: page.data is not None, timeout=TIMEOUT_MS)
    assert not window.banner.isVisible() and not page.banner.isVisible()
    stack_top = _top(window.stack, window)
    title = _title(page)
    # only the page's own margins above the title, no reserved band (it was ~60 px)
    assert _top(title, window) - stack_top < 30
    assert window.banner.height() == 0 or window.stack.geometry().top() == 0
    first_card = page.cards["followups_overdue"]
    gap = _top(first_card, window) - (_top(page.subtitle, window) + page.subtitle.height())
    assert gap < 30  # and none between the date and the cards

    before = _top(title, window)
    window.banner.show_message("电脑时钟似乎不准", "warning")
    page.banner.error("工作台数据未能读取")
    qtbot.waitUntil(lambda: window.banner.isVisible() and window.banner.height() > 20, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: _top(title, window) > before, timeout=TIMEOUT_MS)
    assert _top(window.stack, window) >= _top(window.banner, window) + window.banner.height()
    assert page.banner.isVisible() and page.banner.text() == "工作台数据未能读取"
    assert page.banner.geometry().height() > 20

    window.banner.clear()
    page.banner.clear()
    qtbot.waitUntil(lambda: _top(title, window) == before, timeout=TIMEOUT_MS)

    # the audit log: its table right under the description; a message pushes the table, not the buttons
    window.navigate("audit")
    audit = window.pages["audit"]
    o.wait()
    intro = next(label for label in audit.findChildren(QLabel, "Muted") if label.isVisible())
    table_top = _top(audit.table, window)
    assert table_top - (_top(intro, window) + intro.height()) < 30
    button_top = _top(audit.verify, window)
    audit.banner.success("哈希链完整")
    qtbot.waitUntil(lambda: _top(audit.table, window) > table_top, timeout=TIMEOUT_MS)
    assert _top(audit.verify, window) == button_top


def test_a_file_shows_its_tabs_right_under_its_header_until_it_has_a_message(qtbot, desk, open_window) -> None:
    victim_id = register(desk)
    o = open_window(desk)
    o.window.open_file(victim_id)
    view = o.window.pages["victims"].findChild(VictimFileView)
    qtbot.waitUntil(lambda: view is not None and view.loaded_once, timeout=TIMEOUT_MS)
    o.wait()
    tabs_top = _top(view.tabs, view)
    header = view.findChild(QWidget, "FileHeader")
    header_bottom = (_top(header, view) + header.height()) if header is not None else 0
    assert not view.banner.isVisible()
    assert tabs_top - header_bottom < 30
    view.banner.success("档案已保存")
    qtbot.waitUntil(lambda: _top(view.tabs, view) > tabs_top, timeout=TIMEOUT_MS)
    assert view.banner.isVisible() and view.banner.text() == "档案已保存"
    view.banner.clear()
    qtbot.waitUntil(lambda: _top(view.tabs, view) == tabs_top, timeout=TIMEOUT_MS)
