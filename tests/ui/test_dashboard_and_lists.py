"""The workbench: its numbers are the core's, and each opens the list of exactly what it counts."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fanguai_desk.services.dashboard import Dashboard
from fanguai_desk.ui.file_view import VictimFileView
from tests.ui.conftest import TIMEOUT_MS


def _dashboard(o) -> tuple[object, Dashboard]:
    page = o.window.pages["dashboard"]
    o.qtbot.waitUntil(lambda: page.data is not None, timeout=TIMEOUT_MS)
    return page, page.data


def test_dashboard_numbers_open_their_filtered_lists(qtbot, demo_desk, open_window) -> None:
    o = open_window(demo_desk)
    page, _d = _dashboard(o)
    expected = demo_desk.dashboard.compute()
    assert page.cards["followups_overdue"].number.text() == str(expected.followups_overdue)
    assert page.cards["unidentified_count"].number.text() == str(expected.unidentified_count)
    assert page.cards["followups_overdue"].property("alert") is (expected.followups_overdue > 0)

    qtbot.mouseClick(page.cards["followups_overdue"], Qt.MouseButton.LeftButton)
    visits = o.window.pages["followups"]
    assert o.window.current_key() == "followups" and visits.mode == "overdue"
    o.wait()
    assert visits.model.total == expected.followups_overdue  # the lazy list's count is the workbench's

    o.window.navigate("dashboard")
    qtbot.mouseClick(page.cards["unidentified_count"], Qt.MouseButton.LeftButton)
    victims = o.window.pages["victims"]
    assert o.window.current_key() == "victims"
    assert victims.list.unidentified.isChecked()
    o.wait()
    assert victims.list.model.total == expected.unidentified_count

    o.window.navigate("dashboard")
    qtbot.mouseClick(page.cards["services_overdue"], Qt.MouseButton.LeftButton)
    o.wait()
    assert o.window.pages["services"].model.total == expected.services_overdue

    o.window.navigate("dashboard")
    qtbot.mouseClick(page.cards["referrals_overdue"], Qt.MouseButton.LeftButton)
    o.wait()
    assert o.window.pages["legal_aid"].model.total == expected.referrals_overdue

    # placement counts open the list of files in that state
    o.window.navigate("dashboard")
    state, _label, count = page.placements.rows[0]
    page.placement_table.open_requested.emit(page.placements.index(0, 0))
    o.wait()
    assert victims.list.model.total == count
    assert victims.list.placement.value() == state


def test_a_visit_in_the_work_list_opens_its_file_at_the_visit(qtbot, demo_desk, open_window) -> None:
    o = open_window(demo_desk)
    o.window.navigate("followups", mode="overdue")
    visits = o.window.pages["followups"]
    o.wait()
    row = visits.model.rows[0]
    visits.table.selectRow(0)
    qtbot.mouseClick(visits.record_button, Qt.MouseButton.LeftButton)
    view = o.window.pages["victims"].tabs.currentWidget()
    assert isinstance(view, VictimFileView) and view.victim_id == row.victim_id
    qtbot.waitUntil(lambda: view.loaded_once, timeout=TIMEOUT_MS)
    assert view.tabs.currentWidget() is view.followups
    assert view.followups.form.value("planned_visit") == row.id


def test_every_page_opens(qtbot, demo_desk, open_window) -> None:
    o = open_window(demo_desk)
    for key in ("cases", "legal_aid", "placements", "reports", "exchange", "audit", "settings"):
        o.window.navigate(key)
        o.wait()
        assert o.window.current_key() == key
    audit = o.window.pages["audit"]
    assert audit.model.rowCount() > 0
    qtbot.mouseClick(audit.verify, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "审计日志完整" in audit.banner.text(), timeout=TIMEOUT_MS)
    cases = o.window.pages["cases"]
    assert cases.model.rowCount() == len(demo_desk.cases.list())
    # With every page built, the window still fits a 1366×768 township laptop (taskbar and title bar aside):
    # a page taller than that scrolls rather than pushing the window's lower part off the screen.
    for key in ("dashboard", "victims", "followups"):
        o.window.navigate(key)
        o.wait()
    need = o.window.minimumSizeHint()
    assert need.width() <= 1366 and need.height() <= 680, need


def test_dashboard_charts_show_the_protected_county_figures(qtbot, demo_desk, open_window) -> None:
    from datetime import date

    from fanguai_desk.services.statistics import KeyChart, KeyFigures, annual_report_due, key_figures

    o = open_window(demo_desk)
    page, _d = _dashboard(o)
    panel = page.key_figures
    qtbot.waitUntil(lambda: panel.figures is not None, timeout=TIMEOUT_MS * 4)
    expected = key_figures(demo_desk)
    assert [c.marks for c in panel.figures.charts] == [c.marks for c in expected.charts]
    assert len(panel.charts) == 3 and all(w.isVisible() for w in panel.charts)
    files = panel.charts[0]
    assert files.values() == [int(m) if m.isdigit() else None for m in expected.charts[0].marks]
    image = files.grab().toImage()  # really painted: the bars' colour is in the picture
    assert image.width() > 100
    # a suppressed cell has no bar, only its mark
    panel.show_figures(KeyFigures(2027, date(2027, 1, 10), (KeyChart("sex", "t", ("女", "男"), ("12", "<5")),),
                                  None))
    assert panel.charts[0].values() == [12, None] and "<5" in panel.charts[0].toolTip()

    # from 1 January to 15 February the county is reminded that last year's report is due
    assert annual_report_due(date(2027, 1, 1)) == date(2027, 2, 15)
    assert annual_report_due(date(2027, 2, 15)) == date(2027, 2, 15)
    assert annual_report_due(date(2027, 2, 16)) is None and annual_report_due(date(2026, 12, 31)) is None
    page._show_key_figures(KeyFigures(2027, date(2027, 1, 10), expected.charts, date(2027, 2, 15)))
    assert page.banner.isVisible() and "2026" in page.banner._label.text()


def test_no_card_caption_shows_a_bare_placeholder_before_the_counts_arrive(demo_desk, open_window) -> None:
    """The counts load off the UI thread; the captions are complete from the first paint (seen under Wine)."""
    o = open_window(demo_desk)
    page = o.window.pages["dashboard"]
    captions = [card.caption.text() for card in page.cards.values()]
    assert captions and not [c for c in captions if "%1" in c or "%2" in c]
