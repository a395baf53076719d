"""PkiService on real registries: the county CA on the supervisor's laptop, enrolment, installation,
revocation lists — and every refusal leaves the registry unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from fanguai_desk.domain.errors import AccessDenied, NotFound, UnlockError, ValidationError
from fanguai_desk.pki.ca import build_crl, create_county_ca, load_ca_pkcs12, load_crl, spki_der
from fanguai_desk.pki.enrolment import IssuedBundle
from fanguai_desk.pki.keys import public_key_der
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.pki import cert_fingerprint
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD
from tests.helpers import content_fingerprint
from tests.services.test_reports import (
    CA_PASSWORD,
    CHEAP_PKCS12_ROUNDS,
    ReportRegistries,
    build_report_registries,
)


@pytest.fixture(scope="session")
def registries(tmp_path_factory: pytest.TempPathFactory) -> ReportRegistries:
    root = tmp_path_factory.getbasetemp() / "report-registries"
    root.mkdir(exist_ok=True)
    return build_report_registries(root)


@pytest.fixture(autouse=True)
def _cheap_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the flow, not key strength: RSA-2048 (the minimum the CA accepts) and a cheap
    PKCS#12 KDF keep them fast.  The report tests sign with production-size keys."""
    monkeypatch.setattr("fanguai_desk.pki.keys.RSA_KEY_SIZE", 2048)
    monkeypatch.setattr("fanguai_desk.pki.ca.RSA_KEY_SIZE", 2048)
    monkeypatch.setattr("fanguai_desk.pki.ca.PKCS12_KDF_ROUNDS", CHEAP_PKCS12_ROUNDS)


@pytest.fixture
def sup(registries: ReportRegistries, tmp_path: Path) -> Iterator[Desk]:
    d = Desk.unlock(registries.copy("sup", tmp_path), "admin", ADMIN_PASSWORD)
    yield d
    d.registry.close()


@pytest.fixture
def town(registries: ReportRegistries, tmp_path: Path) -> Path:
    return registries.copy("town", tmp_path)


def unlock(path: Path, login: str) -> Desk:
    return Desk.unlock(path, login, ADMIN_PASSWORD if login == "admin" else USER_PASSWORD)


def test_installed_certificates_match_the_users_keys_and_trust_the_county_ca(
        town: Path, registries: ReportRegistries) -> None:
    cw1 = unlock(town, "cw1")
    try:
        pki = cw1.pki
        material = pki.signing_material()
        assert spki_der(material.cert) == public_key_der(material.key)
        assert material.chain == (registries.ca_cert,)
        assert {c.purpose for c in pki.my_certificates()} == {"signing", "encryption"}
        enc = x509.load_pem_x509_certificate(pki.export_encryption_certificate())
        assert enc.extensions.get_extension_for_class(x509.KeyUsage).value.key_encipherment
        assert pki.trusted_ca() == registries.ca_cert
    finally:
        cw1.registry.close()
    admin = unlock(town, "admin")  # the trusted CA is the laptop's; the certificates are cw1's own
    try:
        assert admin.pki.trusted_ca() == registries.ca_cert
        assert admin.pki.my_certificates() == []
        with pytest.raises(NotFound) as err:
            admin.pki.signing_material()
        assert err.value.code == "keys_not_enrolled"
    finally:
        admin.registry.close()


def test_issue_install_and_the_refusals_that_change_nothing(town: Path, sup: Desk) -> None:
    cw2 = unlock(town, "cw2")
    try:
        pki, ca = cw2.pki, sup.pki
        request = pki.enrol("王建国")
        with pytest.raises(NotFound) as err:
            pki.signing_material()
        assert err.value.code == "certificate_not_installed"
        before_sup = content_fingerprint(sup)
        with pytest.raises(UnlockError):
            ca.ca_issue(request, "wrong CA password")
        assert content_fingerprint(sup) == before_sup
        bundle = ca.ca_issue(request, CA_PASSWORD, validity_days=365)
        # a bundle for somebody else's keys is refused
        other = unlock(town, "cw1").pki
        before = content_fingerprint(cw2)
        with pytest.raises(ValidationError) as verr:
            other.install(bundle)
        assert verr.value.code == "certificate_key_mismatch"
        other.uow.registry.close()
        assert content_fingerprint(cw2) == before
        pki.install(bundle)
        issued = IssuedBundle.from_file_bytes(bundle)
        assert pki.signing_material().cert == issued.signing_cert
        listed = {c.serial for c in ca.issued()}
        assert format(issued.signing_cert.serial_number, "x") in listed
        # enrolling again replaces the keys, and the certificates issued for the old ones go with them
        pki.enrol()
        assert pki.my_certificates() == []
    finally:
        cw2.registry.close()


def test_only_one_county_ca_and_only_supervisors_or_admins_run_it(sup: Desk, town: Path) -> None:
    with pytest.raises(ValidationError) as err:
        sup.pki.ca_init("另一个证书中心", "示例县民政局", CA_PASSWORD)
    assert err.value.code == "ca_exists"
    cw1 = unlock(town, "cw1")
    try:
        before = content_fingerprint(cw1)
        with pytest.raises(AccessDenied):
            cw1.pki.ca_init("乡镇证书中心", "青龙镇", CA_PASSWORD)
        with pytest.raises(AccessDenied):
            cw1.pki.ca_pkcs12()
        assert content_fingerprint(cw1) == before
    finally:
        cw1.registry.close()
    admin = unlock(town, "admin")
    try:  # a township laptop's administrator: not the county authority (store/installation.py)
        before = content_fingerprint(admin)
        with pytest.raises(AccessDenied) as township:
            admin.pki.ca_init("某中心", "某局", CA_PASSWORD)
        assert township.value.code == "county_installation_only"
        assert content_fingerprint(admin) == before
    finally:
        admin.registry.close()
    with pytest.raises(ValidationError) as short:
        sup.pki.ca_init("某中心", "某局", "short")
    assert short.value.code == "password_too_short"


def test_revocation_lists_are_published_installed_and_never_rolled_back(
        sup: Desk, town: Path, registries: ReportRegistries) -> None:
    ca = sup.pki
    before = content_fingerprint(sup)
    for bad, code in ((["zz-not-hex"], "serial_invalid"), (["abc123"], "certificate_unknown")):
        with pytest.raises((ValidationError, NotFound)) as err:
            ca.ca_revoke(bad, CA_PASSWORD)
        assert err.value.code == code
    with pytest.raises(UnlockError):
        ca.ca_revoke([registries.signing_serial], "wrong CA password")
    assert content_fingerprint(sup) == before

    first = ca.ca_crl(CA_PASSWORD)  # nothing revoked yet
    assert len(list(load_crl(first))) == 0
    crl = ca.ca_revoke([registries.signing_serial], CA_PASSWORD)
    entry = load_crl(crl).get_revoked_certificate_by_serial_number(int(registries.signing_serial, 16))
    assert entry is not None
    assert next(c for c in ca.issued() if c.serial == registries.signing_serial).revoked_at is not None

    cw1 = unlock(town, "cw1")
    try:
        pki = cw1.pki
        pki.install_crl(crl)
        assert pki.crls() == [load_crl(crl).public_bytes(serialization.Encoding.DER)]
        # an older list (one that does not yet revoke the certificate) is refused: no silent un-revoking
        before_town = content_fingerprint(cw1)
        county = load_ca_pkcs12(ca.ca_pkcs12(), CA_PASSWORD.encode())
        older = build_crl(county, [], this_update=datetime.now(UTC) - timedelta(days=1))
        with pytest.raises(ValidationError) as err:
            pki.install_crl(older)
        assert err.value.code == "crl_older"
        # a list signed by another county's CA is refused
        foreign = create_county_ca("外县证书中心", "外县民政局")
        with pytest.raises(ValidationError) as ferr:
            pki.install_crl(build_crl(foreign, []))
        assert ferr.value.code == "crl_not_from_ca"
        assert content_fingerprint(cw1) == before_town
    finally:
        cw1.registry.close()


def test_the_ca_backup_is_the_encrypted_pkcs12_and_fingerprints_identify_the_ca(
        sup: Desk, registries: ReportRegistries) -> None:
    from cryptography.hazmat.primitives.serialization import pkcs12

    data = sup.pki.ca_pkcs12()
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(data, None)
    key, cert, _ = pkcs12.load_key_and_certificates(data, CA_PASSWORD.encode())
    assert key is not None and cert == registries.ca_cert
    assert cert_fingerprint(cert) == cert_fingerprint(registries.ca_cert)
