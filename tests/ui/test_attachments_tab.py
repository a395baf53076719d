"""The 附件 tab: add a scanned consent form, preview it from memory, export it, open a copy in another program
(only after confirming; the copy is gone when the registry locks), remove it (administrator)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.ui.attachments_tab import AttachmentsTab
from tests.services.test_attachments import MARKER, files_containing, pdf_bytes, png_bytes
from tests.ui.conftest import TIMEOUT_MS, register
from tests.ui.test_file_view import _open


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "systmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_add_preview_export_open_and_remove(qtbot, desk, open_window, tmp_path: Path, private_tmp: Path) -> None:
    victim_id = register(desk)
    o = open_window(desk)
    view = _open(o, victim_id, "attachments")
    tab = view.tab("attachments")
    assert isinstance(tab, AttachmentsTab) and view.tabs.tabText(view.tabs.indexOf(tab)) == "附件"

    scan = tmp_path / "src" / "consent.png"
    scan.parent.mkdir()
    scan.write_bytes(png_bytes(size=(600, 800)))
    tab.title_edit.setText("知情同意书")
    tab.add_path(scan)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=TIMEOUT_MS)
    assert "已添加附件" in tab.banner.text()
    pdf = tmp_path / "src" / "解救证明.pdf"
    pdf.write_bytes(pdf_bytes("rescue certificate"))
    tab.add_path(pdf)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=TIMEOUT_MS)

    image_row = next(i for i, r in enumerate(tab.model.rows) if r.media_type == "image/png")
    tab.table.selectRow(image_row)
    tab.preview_selected()
    qtbot.waitUntil(lambda: tab.stack.currentIndex() == 1, timeout=TIMEOUT_MS)
    pixmap = tab.image_label.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    if os.environ.get("FANGUAI_SCREENSHOTS"):
        view.grab().save(str(Path(os.environ["FANGUAI_SCREENSHOTS"]) / "attachments-image.png"))

    tab.table.selectRow(1 - image_row)
    tab.preview_selected()
    qtbot.waitUntil(lambda: tab.stack.currentWidget() is tab.pdf_view, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: tab.pdf_document.pageCount() == 1, timeout=TIMEOUT_MS)
    if os.environ.get("FANGUAI_SCREENSHOTS"):
        view.grab().save(str(Path(os.environ["FANGUAI_SCREENSHOTS"]) / "attachments-pdf.png"))

    tab.table.selectRow(image_row)
    out = tmp_path / "exported.png"
    tab.export_to(out)
    qtbot.waitUntil(out.exists, timeout=TIMEOUT_MS)
    assert out.read_bytes() == scan.read_bytes()

    tab.open_external(confirmed=False, launch=False)  # refused without the warning confirmed: nothing written
    qtbot.waitUntil(lambda: tab.banner.kind() == "error", timeout=TIMEOUT_MS)
    assert o.ctx.external_copies.folder is None
    tab.open_external(confirmed=True, launch=False)
    qtbot.waitUntil(lambda: hasattr(tab, "last_external"), timeout=TIMEOUT_MS)
    copy = tab.last_external
    assert copy.read_bytes() == scan.read_bytes()
    o.ctx.lock()
    assert not copy.exists() and files_containing(private_tmp, MARKER.encode()) == []


def test_remove_is_for_an_administrator_and_audited(qtbot, desk, open_window, tmp_path: Path) -> None:
    victim_id = register(desk)
    src = tmp_path / "a.png"
    src.write_bytes(png_bytes())
    info = desk.attachments.add(victim_id, src, title="残疾证")
    o = open_window(desk)
    view = _open(o, victim_id, "attachments")
    tab = view.tab("attachments")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=TIMEOUT_MS)
    assert not tab.remove_button.isHidden()
    tab.table.selectRow(0)
    tab.remove_selected()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=TIMEOUT_MS)
    assert AuditAction.DELETE in {e.action for e in desk.victims.audit_trail(victim_id)} or \
        desk.attachments.list(victim_id) == []
    assert info.id not in {a.id for a in desk.attachments.list(victim_id)}
