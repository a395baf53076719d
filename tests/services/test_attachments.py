"""Encrypted attachments: stored only inside the encrypted registry, typed by content, size-limited,
DNA-checked (name, title, a PDF's text layer), audited on every view and export, removed without trace."""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from fanguai_desk.cli import main
from fanguai_desk.domain.enums import AuditAction, Role
from fanguai_desk.domain.errors import AccessDenied, NotFound, RuleViolation, ValidationError
from fanguai_desk.services.attachments import CHUNK_SIZE, ExternalCopies
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.models import AttachmentChunk, AuditEntry
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD
from tests.helpers import content_fingerprint
from tests.maintenance.sqlcipher_pages import contains_text, decrypted_database, decrypted_wal

MARKER = "ATTACH-MARKER-7f3a9c"


def png_bytes(marker: str = MARKER, size: tuple[int, int] = (40, 30)) -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", marker)  # a plaintext chunk: findable in any file that holds the bytes
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def pdf_bytes(text: str) -> bytes:
    buf = io.BytesIO()
    canv = Canvas(buf, pageCompression=0)
    canv.drawString(72, 720, text)
    canv.showPage()
    canv.save()
    return buf.getvalue()


def tiff_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("L", (20, 20), 128).save(buf, "TIFF")
    return buf.getvalue()


def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The process's temp folder, redirected so the test can see everything written there."""
    folder = tmp_path / "systmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    yield folder


@pytest.fixture
def victim(desk: Desk) -> str:
    vid, _ = desk.victims.register({"name": "附件测试", "sex": "F", "birth_date": "1990-01-01"})
    return vid


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    path = src / name
    path.write_bytes(data)
    return path


def files_containing(root: Path, needle: bytes) -> list[Path]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and needle in path.read_bytes():
            hits.append(path)
    return hits


def test_add_preview_export_and_cleanup_leave_no_plaintext_on_disk(desk: Desk, victim: str, tmp_path: Path,
                                                                  private_tmp: Path) -> None:
    data = png_bytes()
    src = write(tmp_path, "同意书.png", data)
    info = desk.attachments.add(victim, src, title="知情同意书")
    assert info.media_type == "image/png" and info.size == len(data)

    got_info, got = desk.attachments.content(info.id)
    assert got == data and got_info.title == "知情同意书"
    assert Image.open(io.BytesIO(got)).size == (40, 30)

    copies = ExternalCopies()
    with pytest.raises(ValidationError) as err:
        copies.open_copy(desk.attachments, info.id, confirmed=False)
    assert err.value.code == "attachment_external_not_confirmed" and copies.folder is None
    copy = copies.open_copy(desk.attachments, info.id, confirmed=True)
    assert copy.read_bytes() == data and copy.parent.parent == private_tmp
    if os.name == "posix":
        assert copy.parent.stat().st_mode & 0o777 == 0o700
    copies.remove_all()
    assert not copy.exists() and not copy.parent.exists()

    needle = MARKER.encode()
    desk.registry.close()
    assert files_containing(desk.registry.data_dir, needle) == []
    assert files_containing(private_tmp, needle) == []
    # positive control: the decrypted pages do hold it (so "not found" means "encrypted", not "absent")
    key = desk.database_key
    data_dir = desk.registry.data_dir
    physical = decrypted_database(data_dir / "registry.db", key) + decrypted_wal(data_dir / "registry.db-wal", key)
    assert contains_text(physical, MARKER)


def test_large_file_is_stored_in_chunks_and_read_back_whole(desk: Desk, victim: str, tmp_path: Path) -> None:
    data = png_bytes() + os.urandom(CHUNK_SIZE * 2 + 123)  # still a PNG by its first bytes
    info = desk.attachments.add(victim, write(tmp_path, "scan.png", data))
    with desk.read() as s:
        sizes = [len(d) for d in s.scalars(select(AttachmentChunk.data).where(
            AttachmentChunk.attachment_id == info.id).order_by(AttachmentChunk.seq))]
    assert len(sizes) == 3 and max(sizes) == CHUNK_SIZE and sum(sizes) == len(data)
    assert desk.attachments.content(info.id)[1] == data
    out = tmp_path / "out.png"
    desk.attachments.export(info.id, out)
    assert out.read_bytes() == data


@pytest.mark.parametrize("maker,media", [(tiff_bytes, "image/tiff"), (jpeg_bytes, "image/jpeg"),
                                         (lambda: pdf_bytes("consent form"), "application/pdf")])
def test_type_is_taken_from_the_content_not_the_name(desk: Desk, victim: str, tmp_path: Path,
                                                     maker: object, media: str) -> None:
    assert callable(maker)
    info = desk.attachments.add(victim, write(tmp_path, "scan.dat", maker()))
    assert info.media_type == media


def test_refusals_write_nothing(desk: Desk, victim: str, tmp_path: Path) -> None:
    before = content_fingerprint(desk)
    cases: list[tuple[Path, str | None, type[Exception], str]] = [
        (write(tmp_path, "fake.pdf", b"MZ\x90\x00 not a pdf at all"), None, ValidationError,
         "attachment_type_unsupported"),
        (write(tmp_path, "DNA比对结果.png", png_bytes()), None, RuleViolation, "dna_data"),
        (write(tmp_path, "Y-STR.pdf", pdf_bytes("x")), None, RuleViolation, "dna_data"),
        (write(tmp_path, "scan.png", png_bytes()), "DNA比对结果：支持生物学母亲关系", RuleViolation, "dna_data"),
        (write(tmp_path, "report.pdf", pdf_bytes("D8S1179: 12,14  D21S11: 28,30  TH01: 9.3  FGA: 22,24")), None,
         RuleViolation, "dna_data"),
        (write(tmp_path, "empty.png", b""), None, ValidationError, "attachment_empty"),
    ]
    for path, title, exc, code in cases:
        with pytest.raises(exc) as err:
            desk.attachments.add(victim, path, title=title)
        assert err.value.code == code, path.name
    assert content_fingerprint(desk) == before


def test_size_limit_is_a_setting_with_a_clear_refusal(desk: Desk, victim: str, tmp_path: Path) -> None:
    assert desk.settings().attachment_max_mb == 20
    desk.update_settings({"attachment_max_mb": 1})
    big = write(tmp_path, "big.png", png_bytes() + b"\0" * (1024 * 1024))
    before = content_fingerprint(desk)
    with pytest.raises(ValidationError) as err:
        desk.attachments.add(victim, big)
    assert err.value.code == "attachment_too_large" and err.value.params["max_mb"] == 1
    assert content_fingerprint(desk) == before
    from fanguai_desk.messages import render
    assert "1 MB" in render(err.value)


def test_every_view_and_export_is_audited_and_only_an_admin_removes(desk: Desk, caseworker: Desk, victim: str,
                                                                    tmp_path: Path) -> None:
    info = caseworker.attachments.add(victim, write(tmp_path, "a.png", png_bytes()), title="解救证明")
    caseworker.attachments.content(info.id)
    caseworker.attachments.export(info.id, tmp_path / "a-out.png")
    with pytest.raises(AccessDenied):
        caseworker.attachments.remove(info.id)
    with desk.read() as s:
        entries = [(e.action, json.loads(e.detail).get("purpose")) for e in
                   s.scalars(select(AuditEntry).where(AuditEntry.record_id == info.id).order_by(AuditEntry.seq))]
        details = " ".join(e.detail for e in s.scalars(select(AuditEntry)))
    assert entries == [(AuditAction.CREATE, None), (AuditAction.READ, "preview"), (AuditAction.EXPORT, "export")]
    assert "解救证明" not in details and "a.png" not in details  # ids and codes only

    desk.attachments.remove(info.id)
    assert desk.attachments.list(victim) == []
    with pytest.raises(NotFound):
        desk.attachments.content(info.id)
    physical = decrypted_database(desk.registry.data_dir / "registry.db", desk.database_key)
    assert not contains_text(physical, MARKER)  # secure_delete + WAL checkpoint: no page image left


def test_another_townships_attachment_looks_like_none(desk: Desk, tmp_path: Path) -> None:
    vid, _ = desk.victims.register({"name": "本镇人", "sex": "F"})
    info = desk.attachments.add(vid, write(tmp_path, "a.png", png_bytes()))
    desk.users.add("cw2", USER_PASSWORD, Role.CASEWORKER, _other_township(desk), display_name="外镇社工")
    other = Desk.unlock(desk.registry.data_dir, "cw2", USER_PASSWORD)
    try:
        with pytest.raises(NotFound):
            other.attachments.content(info.id)
        with pytest.raises(NotFound):
            other.attachments.list(vid)
    finally:
        other.registry.close()


def _other_township(desk: Desk) -> str:
    from fanguai_desk.store.models import Township

    with desk.tx() as s:
        s.add(Township(code="510102", name="白虎乡"))
    return "白虎乡"


def test_cli_add_list_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    reg = tmp_path / "reg"
    assert main(["--data", str(reg), "init", "--admin", "admin", "--township", "青龙镇"]) == 0
    person = tmp_path / "p.json"
    person.write_text(json.dumps({"name": "命令行附件", "sex": "F"}), "utf-8")
    capsys.readouterr()
    assert main(["--json", "--data", str(reg), "victim", "add", "--from-json", str(person)]) == 0
    vid = json.loads(capsys.readouterr().out)["id"]
    src = write(tmp_path, "consent.png", png_bytes())
    assert main(["--json", "--data", str(reg), "attachment", "add", vid, str(src), "--title", "同意书"]) == 0
    att = json.loads(capsys.readouterr().out)["id"]
    assert main(["--json", "--data", str(reg), "attachment", "list", vid]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["title"] for r in listed] == ["同意书"]
    out = tmp_path / "exported.png"
    assert main(["--data", str(reg), "attachment", "export", att, "--out", str(out)]) == 0
    assert out.read_bytes() == src.read_bytes()
    bad = write(tmp_path, "DNA.png", png_bytes())
    capsys.readouterr()
    assert main(["--data", str(reg), "attachment", "add", vid, str(bad)]) == 1
    err = capsys.readouterr().err
    assert "DNA" in err and "Traceback" not in err


def test_an_attachment_can_hang_off_a_visit_of_the_same_file_only(desk: Desk, victim: str, tmp_path: Path) -> None:
    visit, _next = desk.followups.record({"actual_date": "2025-03-01", "method": "home_visit"}, victim_id=victim)
    info = desk.attachments.add(victim, write(tmp_path, "visit.png", png_bytes()), parent_type="followup",
                                parent_id=visit)
    assert (info.parent_type, info.parent_id) == ("followup", visit)
    other, _ = desk.victims.register({"name": "另一人", "sex": "M"})
    before = content_fingerprint(desk)
    with pytest.raises(NotFound):
        desk.attachments.add(other, write(tmp_path, "x.png", png_bytes()), parent_type="followup", parent_id=visit)
    with pytest.raises(ValidationError):
        desk.attachments.add(victim, write(tmp_path, "y.png", png_bytes()), parent_type="case", parent_id=visit)
    assert content_fingerprint(desk) == before
