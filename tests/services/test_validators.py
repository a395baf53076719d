"""Signatures every validator accepts as they are: certificates without an unreachable CRL location, the CRL
current at signing time embedded in the PDF (PAdES-B-LT, document security store), pyHanko's own CLI given
only ``--trust county.crt`` judges the signature valid offline, and the stamp shows Beijing time."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import DocumentSecurityStore

from fanguai_desk.services.desk import Desk
from tests.services import test_reports
from tests.services.test_reports import ReportRegistries

report_registries = test_reports.report_registries
town_path = test_reports.town_path
cw1 = test_reports.cw1

PYHANKO = shutil.which("pyhanko") or str(Path(sys.executable).with_name("pyhanko"))


def test_signed_print_embeds_the_county_crl_in_the_document_security_store(
        cw1: Desk, report_registries: ReportRegistries) -> None:
    pdf = cw1.reports.followup_record(report_registries.visit_id)
    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(pdf)))
    crls = [x509.load_der_x509_crl(ref.get_object().data) for ref in dss.crls]  # stream references
    assert crls and all(c.issuer == report_registries.ca_cert.subject for c in crls)
    cert = x509.load_pem_x509_certificate(_signer_pem(cw1))
    with pytest.raises(x509.ExtensionNotFound):  # nothing a validator would try to fetch
        cert.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    assert cw1.reports.verify(pdf).summary_code == "valid"


def _signer_pem(desk: Desk) -> bytes:
    from cryptography.hazmat.primitives import serialization


    return desk.pki.signing_material().cert.public_bytes(serialization.Encoding.PEM)


@pytest.mark.skipif(not Path(PYHANKO).exists(), reason="pyHanko's CLI (pyhanko-cli, dev extra) not installed")
def test_pyhanko_cli_with_only_the_county_certificate_judges_the_print_valid(
        cw1: Desk, report_registries: ReportRegistries, tmp_path: Path) -> None:
    signed = tmp_path / "record.pdf"
    signed.write_bytes(cw1.reports.followup_record(report_registries.visit_id))
    county = tmp_path / "county.crt"
    county.write_bytes(report_registries.ca_pem)
    for command in ("validate", "adesverify"):
        run = subprocess.run([PYHANKO, "sign", command, "--trust", str(county), "--trust-replace", str(signed)],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, (command, run.stdout[-500:], run.stderr[-500:])
    run = subprocess.run([PYHANKO, "sign", "validate", "--trust", str(county), "--trust-replace", str(signed)],
                         capture_output=True, text=True, timeout=120)
    assert ":INTACT:TRUSTED" in run.stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_the_stamp_shows_beijing_time(cw1: Desk, report_registries: ReportRegistries, tmp_path: Path) -> None:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(cw1.reports.followup_record(report_registries.visit_id))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "北京时间" in text and "UTC" not in text


def test_a_change_after_the_embedded_validation_data_is_still_caught(cw1: Desk,
                                                                     report_registries: ReportRegistries) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    pdf = cw1.reports.followup_record(report_registries.visit_id)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    info = writer.trailer["/Info"].get_object()
    info[generic.NameObject("/Title")] = generic.TextStringObject("篡改")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    result = cw1.reports.verify(out.getvalue())
    assert result.intact and not result.covers_whole_document and result.summary_code == "modified_after_signing"


@pytest.mark.skipif(shutil.which("pdfsig") is None or shutil.which("certutil") is None,
                    reason="pdfsig (poppler-utils) and certutil (libnss3-tools) needed")
def test_pdfsig_with_the_county_certificate_trusted_judges_the_print_valid(
        cw1: Desk, report_registries: ReportRegistries, tmp_path: Path) -> None:
    signed = tmp_path / "record.pdf"
    signed.write_bytes(cw1.reports.followup_record(report_registries.visit_id))
    county = tmp_path / "county.crt"
    county.write_bytes(report_registries.ca_pem)
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "county", "-t", "CT,C,C", "-i", str(county)],
                   check=True, capture_output=True)
    out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(signed)], capture_output=True, text=True,
                         timeout=120).stdout
    assert "Signature is Valid." in out and "Certificate is Trusted." in out
