from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.pki import keys
from fanguai_desk.pki.ca import CertUsage, CountyCA, issue_certificate
from fanguai_desk.pki.enrolment import EnrolmentRequest, IssuedBundle, build_enrolment, check_installable

from .conftest import NOW


def test_enrolment_file_round_trip_keeps_chinese_subject(enrolment: EnrolmentRequest) -> None:
    data = enrolment.to_file_bytes()
    assert data.startswith(b"# fanguai_desk enrolment request v1")
    assert b"PRIVATE KEY" not in data
    parsed = EnrolmentRequest.from_file_bytes(data)
    assert parsed.signing_csr.strip() == enrolment.signing_csr.strip()
    assert parsed.encryption_csr.strip() == enrolment.encryption_csr.strip()
    subject = parsed.subject()
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "欧阳晓梅"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == "城关镇"
    assert subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "caseworker"


def test_enrolment_file_order_does_not_matter(enrolment: EnrolmentRequest) -> None:
    swapped = EnrolmentRequest(signing_csr=enrolment.encryption_csr, encryption_csr=enrolment.signing_csr)
    parsed = EnrolmentRequest.from_file_bytes(swapped.to_file_bytes())
    assert parsed.signing_csr.strip() == enrolment.signing_csr.strip()


def test_enrolment_file_with_one_request_is_refused(enrolment: EnrolmentRequest) -> None:
    with pytest.raises(ValidationError) as err:
        EnrolmentRequest.from_file_bytes(enrolment.signing_csr)
    assert err.value.code == "enrolment_file_invalid"


def test_enrolment_rejects_unknown_role_and_same_key(user_keys: Any) -> None:
    with pytest.raises(ValidationError) as err:
        build_enrolment(user_keys.signing, user_keys.encryption, "张三", "城关镇", "boss")
    assert err.value.code == "unknown_role"
    with pytest.raises(ValidationError) as err:
        build_enrolment(user_keys.signing, user_keys.signing, "张三", "城关镇", "caseworker")
    assert err.value.code == "enrolment_same_key"
    with pytest.raises(ValidationError):
        build_enrolment(user_keys.signing, user_keys.encryption, "", "城关镇", "caseworker")


def test_enrolment_with_county_keeps_it(user_keys: Any, county_ca: CountyCA) -> None:
    req = build_enrolment(
        user_keys.signing, user_keys.encryption, "王芳", "河西乡", "supervisor", county="某某县民政局"
    )
    cert = issue_certificate(county_ca, req.signing_csr, CertUsage.SIGNING, now=NOW)
    assert [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)] == [
        "某某县民政局"
    ]


def test_issued_bundle_file_round_trip_and_install(
    bundle: IssuedBundle, user_keys: Any, county_ca: CountyCA
) -> None:
    data = bundle.to_file_bytes()
    parsed = IssuedBundle.from_file_bytes(data)
    assert parsed == bundle
    check_installable(parsed, user_keys.signing, user_keys.encryption, expected_ca=county_ca.cert, now=NOW)


def test_bundle_for_other_keys_is_refused(bundle: IssuedBundle, user_keys: Any) -> None:
    stranger = keys.generate_signing_key()
    with pytest.raises(ValidationError) as err:
        check_installable(bundle, stranger, user_keys.encryption, now=NOW)
    assert err.value.code == "certificate_key_mismatch"
    swapped = replace(bundle, signing_cert=bundle.encryption_cert, encryption_cert=bundle.signing_cert)
    with pytest.raises(ValidationError) as err:
        check_installable(swapped, user_keys.encryption, user_keys.signing, now=NOW)
    assert err.value.code == "certificate_usage_mismatch"


def test_certificate_from_another_ca_is_refused(
    bundle: IssuedBundle, user_keys: Any, enrolment: EnrolmentRequest, other_ca: CountyCA, county_ca: CountyCA
) -> None:
    foreign = issue_certificate(other_ca, enrolment.signing_csr, CertUsage.SIGNING, now=NOW)
    mixed = replace(bundle, signing_cert=foreign)
    with pytest.raises(ValidationError) as err:
        check_installable(mixed, user_keys.signing, user_keys.encryption, now=NOW)
    assert err.value.code == "certificate_not_from_ca"
    # a self-consistent bundle from the other county is refused when our CA is expected
    foreign_enc = issue_certificate(other_ca, enrolment.encryption_csr, CertUsage.ENCRYPTION, now=NOW)
    theirs = IssuedBundle(signing_cert=foreign, encryption_cert=foreign_enc, ca_cert=other_ca.cert)
    check_installable(theirs, user_keys.signing, user_keys.encryption, now=NOW)
    with pytest.raises(ValidationError) as err:
        check_installable(
            theirs, user_keys.signing, user_keys.encryption, expected_ca=county_ca.cert, now=NOW
        )
    assert err.value.code == "certificate_not_from_ca"


def test_expired_certificate_is_refused(bundle: IssuedBundle, user_keys: Any) -> None:
    with pytest.raises(ValidationError) as err:
        check_installable(bundle, user_keys.signing, user_keys.encryption, now=NOW + timedelta(days=731))
    assert err.value.code == "certificate_expired"


def test_bundle_file_without_ca_is_refused(bundle: IssuedBundle) -> None:
    pems = b"".join(
        c.public_bytes(serialization.Encoding.PEM) for c in (bundle.signing_cert, bundle.encryption_cert)
    )
    with pytest.raises(ValidationError) as err:
        IssuedBundle.from_file_bytes(pems)
    assert err.value.code == "certificate_file_invalid"
