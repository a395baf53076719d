from __future__ import annotations

from datetime import timedelta
from typing import Any

from fanguai_desk.pki.ca import CountyCA, build_crl
from fanguai_desk.pki.validation import CertStatus, certificate_status

from .conftest import NOW


def test_fresh_certificate_is_valid(bundle: Any, county_ca: CountyCA) -> None:
    assert certificate_status(bundle.signing_cert, county_ca.cert, [], NOW) is CertStatus.VALID


def test_revoked_certificate_is_reported_from_the_time_of_revocation(
    bundle: Any, county_ca: CountyCA
) -> None:
    revoked_at = NOW + timedelta(days=10)
    crl = build_crl(
        county_ca, [(bundle.signing_cert.serial_number, revoked_at)], this_update=NOW + timedelta(days=11)
    )
    assert (
        certificate_status(bundle.signing_cert, county_ca.cert, [crl], NOW + timedelta(days=12))
        is CertStatus.REVOKED
    )
    assert (
        certificate_status(bundle.signing_cert, county_ca.cert, [crl], NOW + timedelta(days=5))
        is CertStatus.VALID
    )
    assert (
        certificate_status(bundle.encryption_cert, county_ca.cert, [crl], NOW + timedelta(days=12))
        is CertStatus.VALID
    )


def test_crl_from_another_ca_is_ignored(bundle: Any, county_ca: CountyCA, other_ca: CountyCA) -> None:
    forged = build_crl(other_ca, [(bundle.signing_cert.serial_number, NOW)], this_update=NOW)
    assert certificate_status(bundle.signing_cert, county_ca.cert, [forged, b"junk"], NOW) is CertStatus.VALID


def test_expired_and_not_yet_valid(bundle: Any, county_ca: CountyCA) -> None:
    assert (
        certificate_status(bundle.signing_cert, county_ca.cert, [], NOW + timedelta(days=800))
        is CertStatus.EXPIRED
    )
    assert (
        certificate_status(bundle.signing_cert, county_ca.cert, [], NOW - timedelta(days=3))
        is CertStatus.NOT_YET_VALID
    )


def test_certificate_of_another_ca_is_untrusted(bundle: Any, other_ca: CountyCA) -> None:
    assert certificate_status(bundle.signing_cert, other_ca.cert, [], NOW) is CertStatus.UNTRUSTED
