"""PAdES signatures on the reports: pyHanko validation against the county CA, tampering, trust,
revocation, and what poppler's pdfsig says."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.pki.ca import build_crl
from fanguai_desk.reports.followup import render_followup_record
from fanguai_desk.reports.signing import sign_pdf, to_asn1_cert
from fanguai_desk.reports.verify import verify_pdf

KINDS = ("followup", "file_summary", "annual")
Poppler = Callable[..., str]


def _byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    matches = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert matches, "no /ByteRange"
    a, b, c, d = (int(x) for x in matches[-1])
    return a, b, c, d


@pytest.mark.parametrize("kind", KINDS)
def test_signed_report_validates_with_pyhanko_against_the_county_ca(
    kind: str, signed_reports: dict[str, bytes], report_pki: Any
) -> None:
    reader = PdfFileReader(io.BytesIO(signed_reports[kind]))
    (embedded,) = reader.embedded_signatures
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    for crls, mode in (([], "soft-fail"), ([report_pki.crl], "hard-fail")):
        context = ValidationContext(
            trust_roots=[to_asn1_cert(report_pki.ca.cert)],
            crls=crls,
            allow_fetching=False,
            revocation_mode=mode,
        )
        status = validate_pdf_signature(embedded, context)
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        assert status.bottom_line
        assert status.md_algorithm == "sha256"
    result = verify_pdf(signed_reports[kind], [report_pki.ca.cert], [report_pki.crl])
    assert result.summary_code == "valid"
    assert (result.signed, result.intact, result.trusted, result.revoked) == (True, True, True, False)
    assert result.covers_whole_document
    assert result.signer == "李晓梅"
    assert result.signed_at is not None
    assert abs(result.signed_at - datetime.now(UTC)) < timedelta(minutes=10)


@pytest.mark.parametrize("kind", KINDS)
def test_one_byte_changed_in_the_signed_range_is_detected(
    kind: str, signed_reports: dict[str, bytes], report_pki: Any
) -> None:
    pdf = signed_reports[kind]
    a, b, c, d = _byte_range(pdf)
    assert a == 0 and c + d == len(pdf)
    first = [a + round(i * (b - 1) / 9) for i in range(10)]  # spread over the original document
    second = [c + 1, c + d // 2, c + d - 8]  # the signature dictionary's revision and trailer
    for position in first + second:
        tampered = bytearray(pdf)
        tampered[position] ^= 0x01
        try:
            result = verify_pdf(bytes(tampered), [report_pki.ca.cert])
        except ValidationError as err:
            assert err.code == "pdf_unreadable"
            continue
        assert not result.intact or not result.signed or result.summary_code == "tampered", position
        assert not (result.trusted and result.intact), position


def test_changed_signature_value_is_detected(signed_reports: dict[str, bytes], report_pki: Any) -> None:
    pdf = bytearray(signed_reports["followup"])
    _a, b, c, _d = _byte_range(bytes(pdf))
    contents = bytes(pdf[b:c])
    first_non_zero = b + next(i for i, ch in enumerate(contents) if ch not in b"<0") + 4
    pdf[first_non_zero] = ord("0") if pdf[first_non_zero] != ord("0") else ord("1")
    result = verify_pdf(bytes(pdf), [report_pki.ca.cert])
    assert not result.intact and not result.trusted and result.summary_code == "tampered"


def test_signature_from_another_county_is_untrusted(
    signed_reports: dict[str, bytes], unsigned_reports: dict[str, bytes], report_pki: Any, sign_report: Any
) -> None:
    foreign_ca = report_pki.foreign_signer.ca_cert
    result = verify_pdf(signed_reports["followup"], [foreign_ca])
    assert result.intact and not result.trusted and result.summary_code == "untrusted"
    foreign = sign_report(unsigned_reports["followup"], report_pki.foreign_signer)
    result = verify_pdf(foreign, [report_pki.ca.cert], [report_pki.crl])
    assert result.intact and not result.trusted and result.summary_code == "untrusted"
    assert result.signer == "钱多多"


def test_revoked_signer_is_reported(
    unsigned_reports: dict[str, bytes], report_pki: Any, sign_report: Any
) -> None:
    signed = sign_report(unsigned_reports["followup"], report_pki.revoked_signer)
    result = verify_pdf(signed, [report_pki.ca.cert], [report_pki.crl])
    assert result.intact and result.revoked and not result.trusted
    assert result.summary_code == "revoked"
    assert result.signer == "赵建国"
    # pyHanko itself agrees
    (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    context = ValidationContext(
        trust_roots=[to_asn1_cert(report_pki.ca.cert)],
        crls=[report_pki.crl],
        allow_fetching=False,
        revocation_mode="require",  # the certificate names no distribution point: the CRL must be required
    )
    assert validate_pdf_signature(embedded, context).revoked
    # without the CRL the laptop cannot know
    assert verify_pdf(signed, [report_pki.ca.cert]).summary_code == "valid"


def test_outdated_crl_is_reported_but_revocation_still_counts(
    signed_reports: dict[str, bytes], unsigned_reports: dict[str, bytes], report_pki: Any, sign_report: Any
) -> None:
    old = datetime.now(UTC) - timedelta(days=45)
    stale = build_crl(report_pki.ca, [(report_pki.revoked_signer.cert.serial_number, old)], this_update=old)
    result = verify_pdf(signed_reports["followup"], [report_pki.ca.cert], [stale])
    assert result.intact and not result.trusted and result.summary_code == "crl_outdated"
    revoked = sign_report(unsigned_reports["followup"], report_pki.revoked_signer)
    assert verify_pdf(revoked, [report_pki.ca.cert], [stale]).summary_code == "revoked"


def test_unsigned_and_garbled_pdfs(unsigned_reports: dict[str, bytes], report_pki: Any) -> None:
    result = verify_pdf(unsigned_reports["followup"], [report_pki.ca.cert])
    assert not result.signed and result.summary_code == "unsigned"
    for garbage in (b"", b"%PDF-1.7\n garbage", b"\x00" * 100):
        with pytest.raises(ValidationError) as err:
            verify_pdf(garbage, [report_pki.ca.cert])
        assert err.value.code == "pdf_unreadable"


def test_update_appended_after_signing_is_flagged(signed_reports: dict[str, bytes], report_pki: Any) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_reports["followup"]))
    info = writer.trailer["/Info"].get_object()
    info[generic.NameObject("/Title")] = generic.TextStringObject("篡改")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue(), [report_pki.ca.cert])
    assert result.intact  # the signed bytes are untouched …
    assert not result.covers_whole_document  # … but something was added after them
    assert result.summary_code in {"modified_after_signing", "tampered"}


def test_countersignature_in_a_new_visible_field(signed_reports: dict[str, bytes], report_pki: Any) -> None:
    supervisor = report_pki.signer
    twice = sign_pdf(
        signed_reports["followup"],
        supervisor.key,
        supervisor.cert,
        [supervisor.ca_cert],
        signer_name="审核人",
        reason="审核",
        location="某某县民政局",
        field_name="Signature2",
        visible_box=(60, 60, 250, 140),
        page=0,
    )
    result = verify_pdf(twice, [report_pki.ca.cert])
    assert result.signature_count == 2 and result.summary_code == "valid"
    # the first signature still holds, covering its own revision
    first = PdfFileReader(io.BytesIO(twice)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[to_asn1_cert(report_pki.ca.cert)], allow_fetching=False)
    status = validate_pdf_signature(first, context)
    assert status.intact and status.trusted and status.coverage == SignatureCoverageLevel.ENTIRE_REVISION


def test_signing_refuses_a_used_field_and_a_foreign_key(
    signed_reports: dict[str, bytes], unsigned_reports: dict[str, bytes], report_pki: Any
) -> None:
    s = report_pki.signer
    with pytest.raises(ValidationError) as err:
        sign_pdf(
            signed_reports["followup"], s.key, s.cert, [s.ca_cert], signer_name="x", reason="", location=""
        )
    assert err.value.code == "signature_field_already_signed"
    other = report_pki.revoked_signer
    with pytest.raises(ValidationError) as err:
        sign_pdf(unsigned_reports["followup"], other.key, s.cert, [], signer_name="x", reason="", location="")
    assert err.value.code == "certificate_key_mismatch"


def test_invisible_signature_when_no_field_is_reserved(report_pki: Any) -> None:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 700, "plain")
    canvas.save()
    s = report_pki.signer
    signed = sign_pdf(
        buffer.getvalue(), s.key, s.cert, [s.ca_cert], signer_name="李晓梅", reason="", location=""
    )
    assert verify_pdf(signed, [report_pki.ca.cert]).summary_code == "valid"


def test_pdfsig_finds_the_valid_signature(signed_reports: dict[str, bytes], poppler: Poppler) -> None:
    output = poppler("pdfsig", signed_reports["followup"])
    assert "Signature #1" in output
    assert "Signature Validation: Signature is Valid." in output
    assert "李晓梅" in output
    assert "Total document signed" in output
    assert "ETSI.CAdES.detached" in output


def test_render_and_sign_a_followup_record_twice_in_one_process(
    make_followup: Any, report_pki: Any, sign_report: Any
) -> None:
    """Fonts registered once serve every later print (speed: ``fanguai-desk bench``)."""
    render_followup_record(make_followup())
    signed = sign_report(render_followup_record(make_followup()), report_pki.signer)
    assert signed.startswith(b"%PDF")


def test_expired_signer_certificate_is_reported(signed_reports: dict[str, bytes], report_pki: Any) -> None:
    later = datetime.now(UTC) + timedelta(days=800)
    result = verify_pdf(signed_reports["followup"], [report_pki.ca.cert], at=later)
    assert result.intact and not result.trusted and result.summary_code == "certificate_expired"
    # a foreign signer stays "untrusted" whatever the date
    assert verify_pdf(signed_reports["followup"], [], at=later).summary_code == "untrusted"


def test_a_pdf_signed_with_an_encryption_certificate_is_refused(
    unsigned_reports: dict[str, bytes], report_pki: Any
) -> None:
    """Only a signing certificate signs (issue 12): an encryption certificate's signature never counts."""
    from fanguai_desk.pki import keys
    from fanguai_desk.pki.ca import CertUsage, issue_certificate
    from fanguai_desk.pki.enrolment import build_enrolment

    signing, encryption = keys.generate_signing_key(), keys.generate_encryption_key()
    request = build_enrolment(signing, encryption, "孙小红", "城关镇", "caseworker")
    enc_cert = issue_certificate(report_pki.ca, request.encryption_csr, CertUsage.ENCRYPTION)
    signed = sign_pdf(unsigned_reports["followup"], encryption, enc_cert, [report_pki.ca.cert],
                      signer_name="孙小红", reason="", location="")
    result = verify_pdf(signed, [report_pki.ca.cert], [report_pki.crl])
    assert not result.trusted and result.summary_code == "not_signing_certificate"
