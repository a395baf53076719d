"""数据交换 page: export at a township, preview and import at the county, refusals, conflict review."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from fanguai_desk.domain.enums import FileStatus
from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.services.victims import VictimQuery
from fanguai_desk.store.models import Victim
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.pages.exchange import ExchangePage
from tests.helpers import AUDIT_TABLES, content_fingerprint
from tests.ui.conftest_features import *  # noqa: F403 (fixtures)
from tests.ui.conftest_features import Templates, open_desk


def _page(harness, path: Path):
    return harness(open_desk(path), lambda ctx, nav: ExchangePage(ctx, nav))


def _export_with_page(harness, templates: Templates, town: Path, tmp_path: Path) -> Path:
    cert = tmp_path / "supervisor.crt"
    cert.write_bytes(templates.sup_cert)
    h = _page(harness, town)
    page = h.page
    assert not page.is_reviewer or page.tabs.count() >= 1
    page.set_recipient(cert)
    out = tmp_path / "usb" / "bundle.p7m"
    out.parent.mkdir()
    page.export_to(out)
    h.until(lambda: page.banner.text() != "")
    assert page.banner.kind() == "success", page.banner.text()
    assert out.exists() and page.last_export.sequence == 1
    assert "档案" in page.export_result.text()
    h.close()
    return out


def test_export_then_preview_then_import_through_the_page(harness, templates, sup_dir, town_a_dir,
                                                          tmp_path) -> None:
    bundle = _export_with_page(harness, templates, town_a_dir, tmp_path)

    h = _page(harness, sup_dir)
    page = h.page
    # empty review tables say why they are empty instead of showing a blank grid
    assert page.history_table.empty_text() == "还没有导入过数据包。" and page.history.rowCount() == 0
    assert "没有冲突" in page.conflict_table.empty_text() and "没有待复核" in page.duplicate_table.empty_text()
    page.preview_file(bundle)
    h.until(lambda: page.preview is not None)
    text = page.preview_label.text()
    assert "签名" in text and "档案 60" in text
    need = f"导入约需 {-(-page.preview.disk_needed // 2**20)} MB 可用磁盘空间"  # said before the import starts
    assert need in text and f"现有 {page.preview.disk_free // 2**20} MB" in text and page.preview.disk_needed > 0
    assert page.import_button.isEnabled()
    assert h.ctx.desk.exchange.imported() == []  # preview wrote nothing

    page.import_now()
    h.until(lambda: page.last_import is not None)
    assert "新增" in page.report_label.text()
    assert page.banner.kind() == "success"
    h.until(lambda: page.history.rowCount() == 1)
    page.history_table.selectRow(0)
    assert "新增" in page.history_report.toPlainText()
    # the sending laptop by its township and the signer by name, never an installation id
    shown = [page.history.index(0, c).data() for c in range(page.history.columnCount())]
    assert "青龙镇的电脑" in shown and "青龙镇社工" in shown
    assert page.preview is None and "来自青龙镇的电脑" in page.history_report.toPlainText()
    installation = page.history.row_at(page.history.index(0, 0)).laptop.installation_id
    assert not any(installation[:8] in str(x) for x in shown)


def test_tampered_bundle_is_refused_and_nothing_changes(harness, templates, sup_dir, town_a_dir,
                                                        tmp_path) -> None:
    bundle = _export_with_page(harness, templates, town_a_dir, tmp_path)
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01
    bundle.write_bytes(bytes(data))

    h = _page(harness, sup_dir)
    page = h.page
    before = content_fingerprint(h.ctx.desk)
    page.preview_file(bundle)
    h.until(lambda: page.banner.kind() == "error" and page.banner.text() != "")
    refusals = {error_text(ExchangeError(code, part="envelope")) for code in ("bundle_altered", "bundle_malformed")}
    assert page.banner.text() in refusals
    assert "已拒绝" in page.preview_label.text()
    assert "Traceback" not in page.banner.text()
    assert not page.import_button.isEnabled()
    page.import_now()  # nothing to import: the preview failed
    h.wait()
    assert content_fingerprint(h.ctx.desk) == before

    # the next bundle arrives, the first one never will: a gap, imported only when asked explicitly
    d = open_desk(town_a_dir)
    (tmp_path / "second.p7m").write_bytes(d.exchange.export(templates.sup_cert).bundle)
    d.close()
    page.preview_file(tmp_path / "second.p7m")
    h.until(lambda: page.preview is not None)
    assert "1 个数据包尚未导入" in page.preview_label.text()
    page.import_now()
    h.until(lambda: page.banner.kind() == "warning")
    # refused (a gap): nothing written but the audit entry saying so
    assert "仍然导入" in page.banner._action.text()
    assert [t for t in content_fingerprint(h.ctx.desk) if t[0] not in AUDIT_TABLES] == \
        [t for t in before if t[0] not in AUDIT_TABLES]
    page.banner._action.click()
    h.until(lambda: page.last_import is not None)
    assert page.last_import.preview.gap == 1 and page.banner.kind() == "success"


def test_conflict_is_resolved_from_the_review_screen(harness, templates, sup_dir, town_a_dir) -> None:
    def export() -> bytes:
        d = open_desk(town_a_dir)
        try:
            return d.exchange.export(templates.sup_cert).bundle
        finally:
            d.close()

    s = open_desk(sup_dir)
    s.exchange.import_bundle(export())
    s.close()
    d = open_desk(town_a_dir)
    vid = d.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=1)[0].id
    d.victims.edit(vid, {"ethnicity": "彝族"})
    d.close()
    s = open_desk(sup_dir)
    s.victims.edit(vid, {"ethnicity": "藏族"})
    s.exchange.import_bundle(export())
    s.close()

    h = _page(harness, sup_dir)
    page = h.page
    h.until(lambda: page.conflicts.rowCount() == 1)
    assert "（1）" in page.tabs.tabText(page.tabs.indexOf(page.conflicts_tab))
    model = page.conflicts
    shown = [model.index(0, c).data() for c in range(model.columnCount())]
    assert "藏族" in shown and "彝族" in shown
    # the file by its number, masked name and township; the field in words; the laptop by its township
    with h.ctx.desk.read() as s:
        number = s.get(Victim, vid).file_number
    assert shown[0].startswith(number) and shown[0].endswith("（青龙镇）") and "*" in shown[0]
    assert "民族" in shown and "青龙镇的电脑" in shown and not any(vid[:8] in str(x) for x in shown)
    page.tabs.setCurrentWidget(page.conflicts_tab)
    page.conflict_table.selectRow(0)
    assert page.take_incoming.isEnabled()
    h.qtbot.mouseClick(page.take_incoming, Qt.MouseButton.LeftButton)
    h.until(lambda: page.conflicts.rowCount() == 0 and page.banner.kind() == "success")
    assert h.ctx.desk.victims.open_file(vid, audit_read=False).victim.ethnicity == "彝族"


def test_receipt_written_at_the_county_and_taken_in_at_the_township(harness, templates, sup_dir, town_a_dir,
                                                                     tmp_path) -> None:
    """The supervisor's receipt round trip through the page (no CLI): the county writes it, the township takes
    it in, and the delivery status says in words what arrived — supervisors by name, laptops by township."""
    bundle = _export_with_page(harness, templates, town_a_dir, tmp_path)
    d = open_desk(sup_dir)
    d.exchange.import_bundle(bundle)
    d.close()
    h = _page(harness, sup_dir)
    page = h.page
    page.refresh()
    h.until(lambda: "青龙镇的电脑" in page.delivery_text.text())
    status = page.delivery_text.text()
    st = h.ctx.desk.exchange.status()
    assert st.received[0].installation_id[:8] not in status and st.received[0].epoch[:8] not in status
    assert not page.write_receipt_button.isHidden()
    receipt = tmp_path / "usb" / "receipt"
    page.write_receipt_to(receipt)
    h.until(lambda: page.banner.kind() == "success")
    assert (tmp_path / "usb" / "receipt.p7s").exists() and "回执" in page.banner.text()
    h.close()

    h = _page(harness, town_a_dir)
    page = h.page
    page.refresh()
    h.until(lambda: page.delivery_text.text() != "")
    assert not page.read_receipt_button.isHidden()
    # a file that is not a receipt: refused in Chinese words, nothing written
    junk = tmp_path / "usb" / "junk.p7s"
    junk.write_bytes(b"not a receipt")
    before = content_fingerprint(h.ctx.desk)
    page.read_receipt_from(junk)
    h.until(lambda: page.banner.kind() == "error")
    assert "Traceback" not in page.banner.text() and "reason" not in page.banner.text()
    assert content_fingerprint(h.ctx.desk) == before
    page.read_receipt_from(tmp_path / "usb" / "receipt.p7s")
    h.until(lambda: page.last_receipt is not None)
    assert page.banner.kind() == "success" and "督导确认" in page.banner.text()
    h.until(lambda: "上次回执" in page.delivery_text.text())
    text = page.delivery_text.text()
    assert "青龙镇" in text or "督导" in text
    assert page.last_receipt.acked_through > 0


def test_receipt_buttons_follow_the_permission_table_and_what_the_laptop_did(harness, templates, sup_dir,
                                                                              town_a_dir, tmp_path) -> None:
    """Issue 15 residual: a township's administrator saw "write a receipt".  The page asks the services' own
    table (``AppContext.can``: the role and what this laptop is) and shows "write" only on the county's laptop
    once bundles were imported and "take in" only on a township laptop once bundles were sent — per role, on
    both sides."""
    from fanguai_desk.domain.enums import Role
    from fanguai_desk.services.desk import Desk
    from tests.conftest import USER_PASSWORD

    def add_user(path: Path, login: str, role: Role, township: str | None) -> None:
        d = open_desk(path)
        d.users.add(login, USER_PASSWORD, role, township, display_name=login)
        d.close()

    def shown(path: Path, login: str | None = None) -> tuple[bool, bool, bool]:
        desk = open_desk(path) if login is None else Desk.unlock(path, login, USER_PASSWORD)
        h = harness(desk, lambda ctx, nav: ExchangePage(ctx, nav))
        page = h.page
        page.refresh()
        h.until(lambda: page.delivery_text.text() != "" or not page.receipt_hint.isHidden())
        out = (not page.write_receipt_button.isHidden(), not page.read_receipt_button.isHidden(),
               not page.receipt_hint.isHidden())
        h.close()
        return out

    # the county before its first import: nothing to write a receipt about, nothing sent either
    assert shown(sup_dir) == (False, False, True)
    bundle = _export_with_page(harness, templates, town_a_dir, tmp_path)
    d = open_desk(sup_dir)
    d.exchange.import_bundle(bundle)
    d.close()
    add_user(sup_dir, "sup_role", Role.SUPERVISOR, None)
    add_user(sup_dir, "county_cw", Role.CASEWORKER, "县民政局")
    assert shown(sup_dir) == (True, False, False)  # the county's administrator (holds exchange.import)
    assert shown(sup_dir, "sup_role") == (True, False, False)
    assert shown(sup_dir, "county_cw") == (False, False, True)  # no exchange.import: never, even at the county
    # the township: its administrator is no county — never "write"
    add_user(town_a_dir, "town_cw", Role.CASEWORKER, "青龙镇")
    assert shown(town_a_dir) == (False, True, False)
    assert shown(town_a_dir, "town_cw") == (False, True, False)


def test_tabs_and_the_county_authority_follow_the_role_and_the_laptop(harness, sup_dir, town_a_dir) -> None:
    """Issue 15 residual: a township administrator saw the import, conflict, duplicate and history tabs and the
    county-authority box.  Per role × laptop, the page shows what the services' table allows (no hand masking:
    ``AppContext.can``); the county's laptop has no export tab."""
    from fanguai_desk.domain.enums import Installation, Role
    from fanguai_desk.services.desk import Desk
    from tests.conftest import USER_PASSWORD

    county_tabs = ["导入", "冲突", "疑似重复", "导入记录"]
    expected = {
        (Installation.TOWNSHIP, Role.ADMIN): (["导出", "送达与回执"], False),
        (Installation.TOWNSHIP, Role.SUPERVISOR): (["导出", "送达与回执"], False),
        (Installation.TOWNSHIP, Role.CASEWORKER): (["导出", "送达与回执"], False),
        (Installation.COUNTY, Role.ADMIN): ([*county_tabs, "送达与回执"], True),
        (Installation.COUNTY, Role.SUPERVISOR): ([*county_tabs, "送达与回执"], True),
        (Installation.COUNTY, Role.CASEWORKER): (["送达与回执"], False),
    }
    for path, kind, township in ((town_a_dir, Installation.TOWNSHIP, "青龙镇"),
                                 (sup_dir, Installation.COUNTY, "县民政局")):
        d = open_desk(path)
        d.users.add("sup_role", USER_PASSWORD, Role.SUPERVISOR, None, display_name="督导")
        d.users.add("cw_role", USER_PASSWORD, Role.CASEWORKER, township, display_name="社工")
        d.close()
        for role, login in ((Role.ADMIN, None), (Role.SUPERVISOR, "sup_role"), (Role.CASEWORKER, "cw_role")):
            def sign_in(path: Path = path, login: str | None = login) -> Desk:
                return open_desk(path) if login is None else Desk.unlock(path, login, USER_PASSWORD)

            tabs, authority = expected[(kind, role)]
            titles, laptop, write_hidden = _exchange_tabs(harness, sign_in())
            assert titles == tabs, (kind, role, titles)
            assert ("县级电脑" if kind is Installation.COUNTY else "乡镇电脑") in laptop
            assert write_hidden or kind is Installation.COUNTY
            assert _authority_shown(harness, sign_in()) == (authority, authority), (kind, role)


def _exchange_tabs(harness, desk) -> tuple[list[str], str, bool]:
    h = harness(desk, lambda ctx, nav: ExchangePage(ctx, nav))
    page = h.page
    page.refresh()
    h.until(lambda: page.delivery_text.text() != "" or not page.receipt_hint.isHidden())
    titles = [page.tabs.tabText(i).split("（")[0].split(" (")[0] for i in range(page.tabs.count())]
    out = titles, page.installation_label.text(), page.write_receipt_button.isHidden()
    h.close()
    return out


def _authority_shown(harness, desk) -> tuple[bool, bool]:
    from fanguai_desk.ui.pages.certificates import CertificatesPanel

    c = harness(desk, lambda ctx, nav: CertificatesPanel(ctx))
    panel = c.page
    panel.refresh()
    c.until(lambda: panel.state is not None)
    out = panel.ca_box.isVisible(), panel.export_enc_button.isVisible()
    c.close()
    return out


def test_the_demo_is_a_township_laptop_with_its_export_tab(harness, demo_desk) -> None:
    """``fanguai-desk demo`` makes a township laptop (the manual's export screenshot): export and delivery."""
    from fanguai_desk.domain.enums import Installation

    assert demo_desk.installation is Installation.TOWNSHIP
    h = harness(demo_desk, lambda ctx, nav: ExchangePage(ctx, nav))
    page = h.page
    page.refresh()
    h.until(lambda: page.delivery_text.text() != "" or not page.receipt_hint.isHidden())
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["导出", "送达与回执"]
    assert page.tabs.currentWidget() is page.export_tab


def test_a_large_set_is_imported_through_the_page_with_the_helper_process(harness, templates, sup_dir, town_a_dir,
                                                                          tmp_path, monkeypatch) -> None:
    """The import's helper process (exchange/preparing.py) started from the desktop app's worker thread: the
    page's import of a bundle set goes through it (threshold forced to 0) and says what it added."""
    from fanguai_desk.exchange.preparing import Preparer
    from fanguai_desk.services import exchange as exchange_service

    monkeypatch.setattr(exchange_service, "HELPER_FROM_RECORDS", 0)
    used: list[bool] = []
    enter = Preparer.__enter__

    def spied(self: Preparer) -> Preparer:
        out = enter(self)
        used.append(self.uses_helper)
        return out

    monkeypatch.setattr(Preparer, "__enter__", spied)
    d = open_desk(town_a_dir)
    try:
        out = d.exchange.export(templates.sup_cert, out=tmp_path / "set.p7m", part_files=16)
    finally:
        d.close()
    assert len(out.parts) > 1
    h = _page(harness, sup_dir)
    page = h.page
    page.preview_file(tmp_path / "set.p7m")
    h.until(lambda: page.preview is not None)
    page.import_now()
    h.until(lambda: page.last_import is not None)
    assert page.banner.kind() == "success", page.banner.text()
    assert "新增" in page.report_label.text() and used == [True]
    assert h.ctx.desk.victims.count() == page.last_import.report.added["victim"] > 0
