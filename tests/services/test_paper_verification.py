"""Prints verifiable from paper: every page of a signed print carries a QR code and a short code; the print
log answers genuine or not, which document and page, who signed it when, and whether a later print supersedes
it.  A QR code decoded (zxing-cpp) from a page rendered by pdftoppm verifies; forged codes do not."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.reports.papercode import check_value, format_code, parse_code
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.paper import FORGED, GENUINE, UNKNOWN, decode_image
from fanguai_desk.store.models import AuditEntry, PrintLog
from tests.services import test_reports
from tests.services.test_reports import ReportRegistries

# The report tests' session registries (a county CA, a township laptop, caseworker cw1 with a certificate).
report_registries = test_reports.report_registries
town_path = test_reports.town_path
cw1 = test_reports.cw1

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")


def render_pages(pdf: bytes, tmp_path: Path, dpi: int = 200) -> list[Path]:
    src = tmp_path / "print.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(src), str(tmp_path / "page")], check=True)
    return sorted(tmp_path.glob("page-*.png"))


def test_every_page_of_a_signed_print_carries_a_code_that_verifies(cw1: Desk, report_registries: ReportRegistries,
                                                                   tmp_path: Path) -> None:
    pdf = cw1.reports.file_summary(report_registries.victim_id)
    pages = render_pages(pdf, tmp_path)
    with cw1.read() as s:
        row = s.scalars(select(PrintLog)).one()
    assert row.pages == len(pages) and row.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert row.report == "file_summary" and row.record_id == report_registries.victim_id
    service = cw1.paper
    for number, page in enumerate(pages, start=1):
        texts = decode_image(page.read_bytes())
        assert len(texts) == 1
        code = parse_code(texts[0])
        assert (code.doc_id, code.page) == (row.doc_id, number)
        verdict = service.verify_image(page.read_bytes())
        assert verdict.status == GENUINE and verdict.page == number and verdict.pages == len(pages)
        assert verdict.signer_name == "李晓梅" and verdict.pdf_sha256 == row.pdf_sha256
        assert verdict.signer_fingerprint == row.signer_fingerprint and verdict.superseded_by is None
    # typed by hand, in lower case with spaces and a look-alike O for 0: still the same code
    typed = texts[0].lower().replace("-", " ")
    assert service.verify(typed).status == GENUINE

    # a later print of the same file supersedes this one
    cw1.reports.file_summary(report_registries.victim_id)
    later = service.verify(texts[0])
    assert later.status == GENUINE and later.superseded_by is not None and later.superseded_by != row.doc_id

    with cw1.read() as s:
        audits = list(s.scalars(select(AuditEntry).where(AuditEntry.record_type == "print")))
    assert audits and all("verify_paper" in a.detail for a in audits)


def test_forged_and_altered_codes_do_not_verify(cw1: Desk, report_registries: ReportRegistries) -> None:
    cw1.reports.followup_record(report_registries.visit_id)
    with cw1.read() as s:
        row = s.scalars(select(PrintLog)).one()
    service = cw1.paper
    real = format_code(row.doc_id, 1, check_value(row.secret, row.doc_id, 1, row.pages, row.signer_fingerprint))
    assert service.verify(real).status == GENUINE
    # the right check for another page, or another page number with this check
    assert service.verify(format_code(row.doc_id, row.pages + 1, check_value(
        row.secret, row.doc_id, row.pages + 1, row.pages, row.signer_fingerprint))).status == FORGED
    assert service.verify(format_code(row.doc_id, 2, parse_code(real).check)).status == FORGED
    # one character of the check changed
    check = parse_code(real).check
    altered = check[:-1] + ("A" if check[-1] != "A" else "B")
    assert service.verify(format_code(row.doc_id, 1, altered)).status == FORGED
    # made up: no such print
    assert service.verify("FG1-AAAAAAAA-1-AAAAAAAA").status == UNKNOWN
    # a check made with another secret (someone who knows the format but not the log)
    fake = check_value("00" * 32, row.doc_id, 1, row.pages, row.signer_fingerprint)
    assert service.verify(format_code(row.doc_id, 1, fake)).status == FORGED
    for bad in ("", "hello", "FG1-ABC-1-ABCDEFGH", "FG2-ABCDEFGH-1-ABCDEFGH"):
        with pytest.raises(ValidationError) as err:
            service.verify(bad)
        assert err.value.code == "paper_code_invalid"


def test_unsigned_drafts_carry_no_code_and_no_log(cw1: Desk, report_registries: ReportRegistries,
                                                  tmp_path: Path) -> None:
    pdf = cw1.reports.followup_record(report_registries.visit_id, sign=False)
    assert all(decode_image(p.read_bytes()) == [] for p in render_pages(pdf, tmp_path, dpi=100))
    with cw1.read() as s:
        assert s.scalars(select(PrintLog)).first() is None
    with pytest.raises(ValidationError) as err:
        cw1.paper.verify_image(render_pages(pdf, tmp_path / "x", dpi=100)[0].read_bytes()
                                       if (tmp_path / "x").mkdir() is None else b"")
    assert err.value.code == "paper_image_no_code"
    with pytest.raises(ValidationError) as err:
        cw1.paper.verify_image(b"not an image")
    assert err.value.code == "paper_image_unreadable"


def test_cli_verify_paper_by_code_and_by_photo(cw1: Desk, report_registries: ReportRegistries, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from fanguai_desk.cli import main
    from tests.conftest import USER_PASSWORD

    pdf = cw1.reports.followup_record(report_registries.visit_id)
    page = render_pages(pdf, tmp_path)[0]
    code = decode_image(page.read_bytes())[0]
    data_dir = str(cw1.registry.data_dir)
    cw1.registry.close()
    monkeypatch.setenv("FANGUAI_PASSWORD", USER_PASSWORD)
    capsys.readouterr()
    assert main(["--data", data_dir, "--user", "cw1", "verify-paper", code]) == 0
    out = capsys.readouterr().out
    assert "真实" in out and "第 1 页" in out and "李晓梅" in out and "北京时间" in out
    assert main(["--data", data_dir, "--user", "cw1", "verify-paper", "--image", str(page)]) == 0
    assert "真实" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        main(["--data", data_dir, "--user", "cw1", "verify-paper", "FG1-AAAAAAAA-1-AAAAAAAA"])
    assert exit_.value.code == 1
    assert "无法确认" in capsys.readouterr().out
