from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from fanguai_desk.domain.errors import UnlockError, ValidationError
from fanguai_desk.pki.ca import (
    DOCUMENT_SIGNING_OID,
    CertUsage,
    CountyCA,
    build_crl,
    create_county_ca,
    issue_certificate,
    load_ca_pkcs12,
    load_crl,
    save_ca_pkcs12,
)
from fanguai_desk.pki.enrolment import EnrolmentRequest

from .conftest import CASEWORKER_CN, NOW


def _ext(cert: x509.Certificate, cls: Any) -> Any:
    return cert.extensions.get_extension_for_class(cls)


def test_county_ca_certificate_profile(county_ca: CountyCA) -> None:
    cert = county_ca.cert
    bc = _ext(cert, x509.BasicConstraints)
    assert bc.critical and bc.value.ca and bc.value.path_length == 0
    ku = _ext(cert, x509.KeyUsage)
    assert ku.critical and ku.value.key_cert_sign and ku.value.crl_sign and not ku.value.digital_signature
    ski = _ext(cert, x509.SubjectKeyIdentifier).value
    assert _ext(cert, x509.AuthorityKeyIdentifier).value.key_identifier == ski.digest
    cert.verify_directly_issued_by(cert)
    assert county_ca.name == "某某县民政局数字证书中心"
    assert cert.not_valid_before_utc < NOW < cert.not_valid_after_utc
    assert cert.not_valid_after_utc.year == NOW.year + 10


def test_ca_pkcs12_round_trip(county_ca: CountyCA) -> None:
    data = save_ca_pkcs12(county_ca, "县CA口令-2026".encode())
    loaded = load_ca_pkcs12(data, "县CA口令-2026".encode())
    assert loaded.cert == county_ca.cert
    assert loaded.key.private_numbers() == county_ca.key.private_numbers()


def test_ca_pkcs12_wrong_password_is_refused(county_ca: CountyCA) -> None:
    data = save_ca_pkcs12(county_ca, b"correct horse")
    with pytest.raises(UnlockError) as err:
        load_ca_pkcs12(data, b"wrong horse")
    assert err.value.code == "ca_password"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl command-line tool not installed")
def test_ca_pkcs12_opens_with_openssl(county_ca: CountyCA, tmp_path: Any) -> None:
    path = tmp_path / "ca.p12"
    path.write_bytes(save_ca_pkcs12(county_ca, b"pw-for-openssl"))
    result = subprocess.run(
        ["openssl", "pkcs12", "-in", str(path), "-passin", "pass:pw-for-openssl", "-nokeys"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert b"BEGIN CERTIFICATE" in result.stdout


def test_signing_certificate_profile_with_chinese_name(bundle: Any, county_ca: CountyCA) -> None:
    cert = bundle.signing_cert
    cert.verify_directly_issued_by(county_ca.cert)
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0]
    assert cn.value == CASEWORKER_CN
    assert cn._type.name == "UTF8String"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == "城关镇"
    # no O in the request: the CA filled in its own organization
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "某某县民政局"
    ku = _ext(cert, x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and ku.value.content_commitment
    assert not ku.value.key_encipherment and not ku.value.key_cert_sign
    eku = _ext(cert, x509.ExtendedKeyUsage).value
    assert set(eku) == {ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING_OID}
    assert not _ext(cert, x509.BasicConstraints).value.ca
    ca_ski = _ext(county_ca.cert, x509.SubjectKeyIdentifier).value.digest
    assert _ext(cert, x509.AuthorityKeyIdentifier).value.key_identifier == ca_ski
    # no distribution point nobody can reach: revocation data travels in the signed PDF (PAdES-B-LT)
    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    assert cert.not_valid_after_utc - NOW == timedelta(days=730)


def test_encryption_certificate_profile(bundle: Any) -> None:
    cert = bundle.encryption_cert
    ku = _ext(cert, x509.KeyUsage).value
    assert ku.key_encipherment and ku.data_encipherment
    assert not ku.digital_signature and not ku.content_commitment
    assert list(_ext(cert, x509.ExtendedKeyUsage).value) == [ExtendedKeyUsageOID.EMAIL_PROTECTION]


def test_encryption_certificate_works_as_cms_recipient(bundle: Any, user_keys: Any) -> None:
    envelope = (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data("回访数据".encode())
        .add_recipient(bundle.encryption_cert)
        .encrypt(pkcs7.serialization.Encoding.DER, [])
    )
    plain = pkcs7.pkcs7_decrypt_der(envelope, bundle.encryption_cert, user_keys.encryption, [])
    assert plain.decode() == "回访数据"


def test_serials_are_random_and_distinct(bundle: Any, county_ca: CountyCA) -> None:
    serials = {
        bundle.signing_cert.serial_number,
        bundle.encryption_cert.serial_number,
        county_ca.cert.serial_number,
    }
    assert len(serials) == 3
    assert all(s.bit_length() > 64 for s in serials)


def test_csr_with_broken_signature_is_refused(county_ca: CountyCA, enrolment: EnrolmentRequest) -> None:
    csr = x509.load_pem_x509_csr(enrolment.signing_csr)
    der = bytearray(csr.public_bytes(pkcs7.serialization.Encoding.DER))
    der[-5] ^= 0xFF  # inside the signature value
    with pytest.raises(ValidationError) as err:
        issue_certificate(county_ca, bytes(der), CertUsage.SIGNING, now=NOW)
    assert err.value.code == "csr_signature_invalid"
    with pytest.raises(ValidationError) as err:
        issue_certificate(county_ca, b"not a csr", CertUsage.SIGNING, now=NOW)
    assert err.value.code == "csr_unreadable"


def test_csr_asking_for_the_other_usage_is_refused(county_ca: CountyCA, enrolment: EnrolmentRequest) -> None:
    with pytest.raises(ValidationError) as err:
        issue_certificate(county_ca, enrolment.encryption_csr, CertUsage.SIGNING, now=NOW)
    assert err.value.code == "csr_usage_mismatch"


def test_certificate_never_outlives_the_ca(enrolment: EnrolmentRequest) -> None:
    short_ca = create_county_ca("短期测试CA", "某某县民政局", validity_years=1, now=NOW)
    cert = issue_certificate(short_ca, enrolment.signing_csr, CertUsage.SIGNING, validity_days=3000, now=NOW)
    assert cert.not_valid_after_utc == short_ca.cert.not_valid_after_utc


def test_crl_lists_revoked_serials_and_is_signed_by_the_ca(county_ca: CountyCA, bundle: Any) -> None:
    revoked_at = NOW + timedelta(days=3)
    der = build_crl(
        county_ca, [(bundle.signing_cert.serial_number, revoked_at)], this_update=NOW + timedelta(days=4)
    )
    crl = load_crl(der)
    assert crl.issuer == county_ca.cert.subject
    assert crl.is_signature_valid(county_ca.cert.public_key())  # type: ignore[arg-type]
    entry = crl.get_revoked_certificate_by_serial_number(bundle.signing_cert.serial_number)
    assert entry is not None and entry.revocation_date_utc == revoked_at
    assert crl.get_revoked_certificate_by_serial_number(bundle.encryption_cert.serial_number) is None
    assert crl.next_update_utc == NOW + timedelta(days=34)
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number > 0
    pem = crl.public_bytes(pkcs7.serialization.Encoding.PEM)
    assert load_crl(pem) == crl


def test_issued_signing_certificate_signs(bundle: Any, user_keys: Any) -> None:
    signature = user_keys.signing.sign(b"data", padding.PKCS1v15(), hashes.SHA256())
    bundle.signing_cert.public_key().verify(signature, b"data", padding.PKCS1v15(), hashes.SHA256())


def test_enrolment_request_subject_from_file(enrolment: EnrolmentRequest) -> None:
    parsed = EnrolmentRequest.from_file_bytes(enrolment.to_file_bytes())
    assert parsed.subject().get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == CASEWORKER_CN
