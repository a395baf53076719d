"""Session-scoped PKI material: RSA key generation is the slow part, so it happens once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from fanguai_desk.pki import keys
from fanguai_desk.pki.ca import CertUsage, CountyCA, create_county_ca, issue_certificate
from fanguai_desk.pki.enrolment import EnrolmentRequest, IssuedBundle, build_enrolment

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
CASEWORKER_CN = "欧阳晓梅"
TOWNSHIP = "城关镇"
COUNTY = "某某县民政局"


@dataclass(frozen=True)
class UserKeys:
    signing: rsa.RSAPrivateKey
    encryption: rsa.RSAPrivateKey


@pytest.fixture(scope="session")
def county_ca() -> CountyCA:
    return create_county_ca("某某县民政局数字证书中心", COUNTY, now=NOW)


@pytest.fixture(scope="session")
def other_ca() -> CountyCA:
    return create_county_ca("另一县民政局数字证书中心", "另一县民政局", now=NOW)


@pytest.fixture(scope="session")
def user_keys() -> UserKeys:
    return UserKeys(signing=keys.generate_signing_key(), encryption=keys.generate_encryption_key())


@pytest.fixture(scope="session")
def enrolment(user_keys: UserKeys) -> EnrolmentRequest:
    return build_enrolment(user_keys.signing, user_keys.encryption, CASEWORKER_CN, TOWNSHIP, "caseworker")


@pytest.fixture(scope="session")
def bundle(county_ca: CountyCA, enrolment: EnrolmentRequest) -> IssuedBundle:
    request = EnrolmentRequest.from_file_bytes(enrolment.to_file_bytes())
    return IssuedBundle(
        signing_cert=issue_certificate(county_ca, request.signing_csr, CertUsage.SIGNING, now=NOW),
        encryption_cert=issue_certificate(county_ca, request.encryption_csr, CertUsage.ENCRYPTION, now=NOW),
        ca_cert=county_ca.cert,
    )
