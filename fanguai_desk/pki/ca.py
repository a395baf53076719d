"""The county's offline certificate authority.

The CA lives on the supervisor's laptop as a password-protected PKCS#12 file; nothing here touches
the network.  Users' certificate requests and the CA's certificates and CRLs travel as files.

Profile (RFC 5280):

* CA certificate: self-signed, ``basicConstraints`` CA:TRUE pathlen:0 (critical), ``keyUsage``
  keyCertSign + cRLSign (critical), SKI = AKI.
* Signing certificate: ``keyUsage`` digitalSignature + nonRepudiation (critical; pyHanko requires
  nonRepudiation by default), ``extKeyUsage`` emailProtection + Microsoft documentSigning
  (1.3.6.1.4.1.311.10.3.12, accepted by Adobe Reader and pyHanko).
* Encryption certificate: ``keyUsage`` keyEncipherment + dataEncipherment (critical),
  ``extKeyUsage`` emailProtection.
* Both: ``basicConstraints`` CA:FALSE, SKI, AKI, random 159-bit serial, and **no** CRL distribution
  point.  There is nothing to fetch from — the CRL is a file the laptops install — and a distribution
  point a validator cannot reach (certificates before issue 18 named the CA's directory entry) makes
  validators that look for revocation data online (pyHanko's CLI given only ``--trust county.crt``,
  Adobe) judge the signature invalid offline.  Revocation information travels instead *inside* the
  signed PDF (PAdES-B-LT: the CRL current at signing time in the document security store), matched to
  the certificate by issuer and authority key identifier; our own verifier requires a CRL from the
  trusted CA whenever one is installed (``reports/verify.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from fanguai_desk.domain.errors import UnlockError, ValidationError
from fanguai_desk.pki.keys import RSA_KEY_SIZE, RSA_PUBLIC_EXPONENT, public_key_der

DOCUMENT_SIGNING_OID = ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")  # Microsoft "Document Signing"
PKCS12_KDF_ROUNDS = 600_000
CLOCK_SKEW = timedelta(days=1)  # offline laptops' clocks drift: certificates start a day early
MIN_RSA_BITS = 2048
MAX_NAME_LENGTH = 64  # X.520 ub-common-name / ub-organization-name


class CertUsage(StrEnum):
    SIGNING = "signing"
    ENCRYPTION = "encryption"


@dataclass
class CountyCA:
    """The CA's private key and self-signed certificate (only ever held in memory)."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def name(self) -> str:
        return common_name(self.cert.subject) or ""


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware_utc(moment: datetime | None) -> datetime:
    """``moment`` in UTC (now if ``None``); naive datetimes are refused."""
    if moment is None:
        return utcnow()
    if moment.tzinfo is None:
        raise ValidationError("naive_datetime")
    return moment.astimezone(UTC)


def _check_name_part(value: str, code: str) -> str:
    value = value.strip()
    if not value or len(value) > MAX_NAME_LENGTH:
        raise ValidationError(code, max_length=MAX_NAME_LENGTH)
    return value


def common_name(name: x509.Name) -> str | None:
    """The first CN of a name as text (CJK allowed), or ``None``."""
    attrs = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not attrs:
        return None
    value = attrs[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def _add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _random_serial() -> int:
    return x509.random_serial_number()


def create_county_ca(
    name: str, organization: str, validity_years: int = 10, now: datetime | None = None
) -> CountyCA:
    """Create the county CA: a fresh RSA key and a self-signed CA certificate.

    ``name`` is the CA's common name (e.g. "某某县民政局数字证书中心"), ``organization`` the county
    civil-affairs bureau.  Chinese is fine (UTF8String).
    """
    cn = _check_name_part(name, "ca_name_invalid")
    org = _check_name_part(organization, "organization_invalid")
    if validity_years < 1 or validity_years > 30:
        raise ValidationError("validity_invalid")
    moment = aware_utc(now)
    key = rsa.generate_private_key(public_exponent=RSA_PUBLIC_EXPONENT, key_size=RSA_KEY_SIZE)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(_random_serial())
        .not_valid_before(moment - CLOCK_SKEW)
        .not_valid_after(_add_years(moment, validity_years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CountyCA(key=key, cert=cert)


def save_ca_pkcs12(ca: CountyCA, password: bytes) -> bytes:
    """The CA as a PKCS#12 file (PBES2 AES-256-CBC, PBKDF2, HMAC-SHA256) that openssl can read."""
    if not password:
        raise ValidationError("ca_password_empty")
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(PKCS12_KDF_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password)
    )
    return pkcs12.serialize_key_and_certificates(
        name=b"county-ca", key=ca.key, cert=ca.cert, cas=None, encryption_algorithm=encryption
    )


def load_ca_pkcs12(data: bytes, password: bytes) -> CountyCA:
    """Open a file written by :func:`save_ca_pkcs12`; a wrong password raises ``UnlockError("ca_password")``."""
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError) as exc:
        raise UnlockError("ca_password") from exc
    if not isinstance(key, rsa.RSAPrivateKey) or cert is None:
        raise ValidationError("ca_file_invalid")
    if public_key_der(key) != spki_der(cert):
        raise ValidationError("ca_file_invalid")
    if not is_ca_certificate(cert):
        raise ValidationError("ca_file_invalid")
    return CountyCA(key=key, cert=cert)


def spki_der(cert: x509.Certificate) -> bytes:
    """The certificate's SubjectPublicKeyInfo DER."""
    return cert.public_key().public_bytes(
        encoding=serialization.Encoding.DER, format=serialization.PublicFormat.SubjectPublicKeyInfo
    )


def is_ca_certificate(cert: x509.Certificate) -> bool:
    try:
        bc = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    return bc.ca


def _key_usage(usage: CertUsage) -> x509.KeyUsage:
    signing = usage is CertUsage.SIGNING
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,
        key_encipherment=not signing,
        data_encipherment=not signing,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def requested_usage(csr: x509.CertificateSigningRequest) -> CertUsage | None:
    """The usage a CSR asks for through its keyUsage extension request (``None`` if it names none)."""
    try:
        ku = csr.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None
    if ku.digital_signature or ku.content_commitment:
        return CertUsage.SIGNING
    if ku.key_encipherment:
        return CertUsage.ENCRYPTION
    return None


def load_csr(csr_pem: bytes) -> x509.CertificateSigningRequest:
    """Parse a PEM (or DER) CSR and check its self-signature."""
    try:
        if b"-----BEGIN" in csr_pem:
            csr = x509.load_pem_x509_csr(csr_pem)
        else:
            csr = x509.load_der_x509_csr(csr_pem)
    except ValueError as exc:
        raise ValidationError("csr_unreadable") from exc
    try:
        signature_ok = csr.is_signature_valid
    except Exception as exc:  # unsupported algorithm etc.
        raise ValidationError("csr_signature_invalid") from exc
    if not signature_ok:
        raise ValidationError("csr_signature_invalid")
    return csr


def issue_certificate(
    ca: CountyCA,
    csr_pem: bytes,
    usage: CertUsage,
    validity_days: int = 730,
    now: datetime | None = None,
    binding: x509.UnrecognizedExtension | None = None,
) -> x509.Certificate:
    """Issue a user certificate for a CSR written by :func:`fanguai_desk.pki.enrolment.build_enrolment`.

    The subject is taken from the CSR (the supervisor sees it before issuing); if the CSR names no
    organization, the CA's is added.  Errors: ``csr_unreadable``, ``csr_signature_invalid``,
    ``csr_key_unsupported`` (not RSA ≥ 2048), ``csr_usage_mismatch`` (the CSR asked for the other
    usage), ``validity_invalid``.
    """
    usage = CertUsage(usage)
    if validity_days < 1 or validity_days > 3660:
        raise ValidationError("validity_invalid")
    csr = load_csr(csr_pem)
    public_key = csr.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey) or public_key.key_size < MIN_RSA_BITS:
        raise ValidationError("csr_key_unsupported")
    asked = requested_usage(csr)
    if asked is not None and asked is not usage:
        raise ValidationError("csr_usage_mismatch")
    if common_name(csr.subject) is None:
        raise ValidationError("csr_subject_invalid")

    subject = csr.subject
    if not subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME):
        org = ca.cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        attrs = list(subject)
        at = sum(1 for a in attrs if a.oid == NameOID.COUNTRY_NAME)  # keep C first, then O
        subject = x509.Name(attrs[:at] + list(org) + attrs[at:])

    moment = aware_utc(now)
    not_before = max(moment - CLOCK_SKEW, ca.cert.not_valid_before_utc)
    not_after = min(moment + timedelta(days=validity_days), ca.cert.not_valid_after_utc)
    if not_after <= moment:
        raise ValidationError("ca_expired")
    ca_ski = ca.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    eku: list[ObjectIdentifier] = [ExtendedKeyUsageOID.EMAIL_PROTECTION]
    if usage is CertUsage.SIGNING:
        eku.append(DOCUMENT_SIGNING_OID)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.cert.subject)
        .public_key(public_key)
        .serial_number(_random_serial())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(usage), critical=True)
        .add_extension(x509.ExtendedKeyUsage(eku), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
    )
    if binding is not None:  # township/role binding, confirmed by the supervisor (pki/binding.py)
        builder = builder.add_extension(binding, critical=False)
    return builder.sign(ca.key, hashes.SHA256())


def crl_distribution_points(ca_cert: x509.Certificate) -> x509.CRLDistributionPoints:
    """A distribution point naming the CA's directory entry: what certificates issued before issue 18 carry
    (no longer added to new certificates, see the module docstring)."""
    return x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                full_name=[x509.DirectoryName(ca_cert.subject)],
                relative_name=None,
                reasons=None,
                crl_issuer=None,
            )
        ]
    )


def build_crl(
    ca: CountyCA,
    revoked: Sequence[tuple[int, datetime]],
    this_update: datetime | None = None,
    next_update_days: int = 30,
) -> bytes:
    """A DER CRL listing ``(serial, revocation time)`` pairs, valid for ``next_update_days``.

    The CRL number is the issue time in seconds since the epoch, so later CRLs have larger numbers.
    """
    if next_update_days < 1:
        raise ValidationError("validity_invalid")
    moment = aware_utc(this_update).replace(microsecond=0)
    ca_ski = ca.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(moment)
        .next_update(moment + timedelta(days=next_update_days))
        .add_extension(x509.CRLNumber(int(moment.timestamp())), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
    )
    seen: set[int] = set()
    for serial, when in revoked:
        if serial in seen:
            continue
        seen.add(serial)
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(min(aware_utc(when), moment))
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    crl = builder.sign(ca.key, hashes.SHA256())
    return crl.public_bytes(serialization.Encoding.DER)


def load_crl(data: bytes) -> x509.CertificateRevocationList:
    """Parse a DER or PEM CRL; ``ValidationError("crl_unreadable")`` otherwise."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError as exc:
        raise ValidationError("crl_unreadable") from exc
