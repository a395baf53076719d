"""Is a user certificate good right now?  (Used by import to check a bundle's author.)

Our PKI is one level deep (county CA → user), so this is a direct check with ``cryptography``:
issued by the CA, inside both validity periods, not on any CRL the CA signed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import rsa

from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.pki.ca import aware_utc, is_ca_certificate, load_crl


class CertStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    UNTRUSTED = "untrusted"


def crl_from_ca(crl: x509.CertificateRevocationList, ca_cert: x509.Certificate) -> bool:
    """Whether ``crl`` is signed by ``ca_cert`` (and names it as issuer)."""
    if crl.issuer != ca_cert.subject:
        return False
    public_key = ca_cert.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        return False
    return crl.is_signature_valid(public_key)


def revocation_time(
    cert: x509.Certificate, ca_cert: x509.Certificate, crls: Sequence[bytes]
) -> datetime | None:
    """When the CA revoked ``cert`` according to any of ``crls`` it signed (``None``: not revoked).

    CRLs that do not parse or are not signed by ``ca_cert`` are ignored (they could be from
    another county); the caller decides whether a missing CRL matters.
    """
    found: datetime | None = None
    for data in crls:
        try:
            crl = load_crl(data)
        except ValidationError:
            continue
        if not crl_from_ca(crl, ca_cert):
            continue
        entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if entry is not None:
            when = entry.revocation_date_utc
            found = when if found is None else min(found, when)
    return found


def certificate_status(
    cert: x509.Certificate, ca_cert: x509.Certificate, crls: Sequence[bytes], at: datetime
) -> CertStatus:
    """Status of a user certificate at ``at`` against the county CA and its CRLs.

    Precedence: untrusted (not from this CA, or the CA itself unusable) → revoked (on a CRL with a
    revocation time at or before ``at``) → not yet valid / expired → valid.
    """
    moment = aware_utc(at)
    if not is_ca_certificate(ca_cert) or cert.issuer != ca_cert.subject:
        return CertStatus.UNTRUSTED
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return CertStatus.UNTRUSTED
    revoked_at = revocation_time(cert, ca_cert, crls)
    if revoked_at is not None and revoked_at <= moment:
        return CertStatus.REVOKED
    if moment < cert.not_valid_before_utc or moment < ca_cert.not_valid_before_utc:
        return CertStatus.NOT_YET_VALID
    if moment > cert.not_valid_after_utc or moment > ca_cert.not_valid_after_utc:
        return CertStatus.EXPIRED
    return CertStatus.VALID
