"""Enrolment: a user's certificate request file, and the certificate file the CA gives back.

Flow (no network; files on a USB stick):

1. On the user's laptop, :func:`build_enrolment` makes two CSRs (signing, encryption) from keys
   that never leave the laptop; :meth:`EnrolmentRequest.to_file_bytes` writes them to one file.
2. On the supervisor's laptop, :func:`fanguai_desk.pki.ca.issue_certificate` is called for each
   CSR and the results go into an :class:`IssuedBundle` file together with the CA certificate.
3. Back on the user's laptop, :func:`check_installable` verifies the bundle against the user's
   keys before the registry stores it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from fanguai_desk.domain.enums import Role
from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.pki.binding import Binding
from fanguai_desk.pki.ca import (
    MAX_NAME_LENGTH,
    CertUsage,
    aware_utc,
    is_ca_certificate,
    load_csr,
    requested_usage,
    spki_der,
)
from fanguai_desk.pki.keys import public_key_der

ENROLMENT_HEADER = (
    b"# fanguai_desk enrolment request v1\n"
    b"# Two PKCS#10 certificate requests: the first for signing, the second for encryption.\n"
    b"# Take this file to the county certificate authority. It holds no private key.\n"
)
BUNDLE_HEADER = (
    b"# fanguai_desk issued certificates v1\n"
    b"# 1: signing certificate, 2: encryption certificate, 3: county CA certificate.\n"
    b"# Install this file on the laptop that wrote the enrolment request.\n"
)
_CSR_BLOCK = re.compile(
    rb"-----BEGIN CERTIFICATE REQUEST-----\r?\n.*?-----END CERTIFICATE REQUEST-----", re.DOTALL
)
_CERT_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----\r?\n.*?-----END CERTIFICATE-----", re.DOTALL)
MAX_FILE_BYTES = 256 * 1024


@dataclass
class EnrolmentRequest:
    signing_csr: bytes  # PEM
    encryption_csr: bytes  # PEM

    def to_file_bytes(self) -> bytes:
        return (
            ENROLMENT_HEADER
            + b"\n# signing\n"
            + self.signing_csr.strip()
            + b"\n\n# encryption\n"
            + self.encryption_csr.strip()
            + b"\n"
        )

    @classmethod
    def from_file_bytes(cls, data: bytes) -> EnrolmentRequest:
        """Parse an enrolment file; each CSR's signature is checked.

        The two requests are told apart by the key usage they ask for (the file's order is the
        fallback).  Errors: ``enrolment_file_invalid``, ``csr_unreadable``, ``csr_signature_invalid``.
        """
        if len(data) > MAX_FILE_BYTES:
            raise ValidationError("enrolment_file_invalid")
        blocks = _CSR_BLOCK.findall(data)
        if len(blocks) != 2:
            raise ValidationError("enrolment_file_invalid")
        csrs = [load_csr(block) for block in blocks]
        usages = [requested_usage(csr) for csr in csrs]
        if usages == [CertUsage.ENCRYPTION, CertUsage.SIGNING]:
            blocks.reverse()
        elif usages[0] == usages[1] and usages[0] is not None:
            raise ValidationError("enrolment_file_invalid")
        if spki_der_csr(csrs[0]) == spki_der_csr(csrs[1]):
            raise ValidationError("enrolment_file_invalid")  # one key for both usages: refuse
        return cls(signing_csr=blocks[0] + b"\n", encryption_csr=blocks[1] + b"\n")

    def subject(self) -> x509.Name:
        return load_csr(self.signing_csr).subject


def spki_der_csr(csr: x509.CertificateSigningRequest) -> bytes:
    return csr.public_key().public_bytes(
        encoding=serialization.Encoding.DER, format=serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _name_value(value: str, code: str) -> str:
    value = value.strip()
    if not value or len(value) > MAX_NAME_LENGTH:
        raise ValidationError(code, max_length=MAX_NAME_LENGTH)
    return value


def _csr(key: rsa.RSAPrivateKey, subject: x509.Name, usage: CertUsage, binding: Binding | None = None) -> bytes:
    signing = usage is CertUsage.SIGNING
    key_usage = x509.KeyUsage(
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
    builder = x509.CertificateSigningRequestBuilder().subject_name(subject).add_extension(key_usage, critical=True)
    if binding is not None:  # the township/role binding the supervisor confirms at `ca issue`
        builder = builder.add_extension(binding.extension(), critical=False)
    csr = builder.sign(key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM)


def build_enrolment(
    signing_key: rsa.RSAPrivateKey,
    encryption_key: rsa.RSAPrivateKey,
    common_name: str,
    township: str,
    role: str,
    *,
    county: str = "",
    township_id: str = "",
    user_id: str = "",
) -> EnrolmentRequest:
    """Two CSRs with subject CN=<user's name>, O=<county>, OU=<township>, title=<role>.

    All strings are UTF8String, so Chinese names work.  ``county`` may be left empty: the CA then
    puts its own organization in the certificate.
    """
    if public_key_der(signing_key) == public_key_der(encryption_key):
        raise ValidationError("enrolment_same_key")
    try:
        role_value = Role(role)
    except ValueError as exc:
        raise ValidationError("unknown_role") from exc
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if county.strip():
        attributes.append(
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _name_value(county, "county_invalid"))
        )
    attributes += [
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, _name_value(township, "township_invalid")),
        x509.NameAttribute(NameOID.TITLE, role_value.value),
        x509.NameAttribute(NameOID.COMMON_NAME, _name_value(common_name, "common_name_invalid")),
    ]
    subject = x509.Name(attributes)
    binding = Binding(township.strip(), role_value.value,
                      "" if role_value is Role.SUPERVISOR else township_id, user_id)
    return EnrolmentRequest(
        signing_csr=_csr(signing_key, subject, CertUsage.SIGNING, binding),
        encryption_csr=_csr(encryption_key, subject, CertUsage.ENCRYPTION, binding),
    )


def certificate_usage(cert: x509.Certificate) -> CertUsage | None:
    """Which of our two profiles a user certificate follows (by its keyUsage)."""
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None
    if ku.key_cert_sign:
        return None
    if ku.digital_signature and ku.content_commitment:
        return CertUsage.SIGNING
    if ku.key_encipherment:
        return CertUsage.ENCRYPTION
    return None


@dataclass
class IssuedBundle:
    signing_cert: x509.Certificate
    encryption_cert: x509.Certificate
    ca_cert: x509.Certificate

    def to_file_bytes(self) -> bytes:
        pem = [
            c.public_bytes(serialization.Encoding.PEM).strip()
            for c in (self.signing_cert, self.encryption_cert, self.ca_cert)
        ]
        return (
            BUNDLE_HEADER
            + b"\n# signing\n"
            + pem[0]
            + b"\n\n# encryption\n"
            + pem[1]
            + b"\n\n# county CA\n"
            + pem[2]
            + b"\n"
        )

    @classmethod
    def from_file_bytes(cls, data: bytes) -> IssuedBundle:
        """Parse a bundle file: three certificates, told apart by their extensions.

        Error: ``certificate_file_invalid``.
        """
        if len(data) > MAX_FILE_BYTES:
            raise ValidationError("certificate_file_invalid")
        blocks = _CERT_BLOCK.findall(data)
        if len(blocks) != 3:
            raise ValidationError("certificate_file_invalid")
        try:
            certs = [x509.load_pem_x509_certificate(b) for b in blocks]
        except ValueError as exc:
            raise ValidationError("certificate_file_invalid") from exc
        cas = [c for c in certs if is_ca_certificate(c)]
        signing = [c for c in certs if not is_ca_certificate(c) and certificate_usage(c) is CertUsage.SIGNING]
        encryption = [
            c for c in certs if not is_ca_certificate(c) and certificate_usage(c) is CertUsage.ENCRYPTION
        ]
        if len(cas) != 1 or len(signing) != 1 or len(encryption) != 1:
            raise ValidationError("certificate_file_invalid")
        return cls(signing_cert=signing[0], encryption_cert=encryption[0], ca_cert=cas[0])


def check_installable(
    bundle: IssuedBundle,
    signing_key: rsa.RSAPrivateKey,
    encryption_key: rsa.RSAPrivateKey,
    *,
    expected_ca: x509.Certificate | None = None,
    now: datetime | None = None,
) -> None:
    """Refuse a bundle that does not belong to these keys, or to this county, or is out of date.

    Raises ``ValidationError`` with code ``certificate_key_mismatch`` (a certificate is for another
    key), ``certificate_usage_mismatch`` (signing/encryption swapped or wrong profile),
    ``certificate_not_from_ca`` (not issued by the bundle's CA — or, when ``expected_ca`` is given,
    the bundle's CA is not that one), ``certificate_expired`` or ``certificate_not_yet_valid``.
    """
    moment = aware_utc(now)
    if spki_der(bundle.signing_cert) != public_key_der(signing_key):
        raise ValidationError("certificate_key_mismatch")
    if spki_der(bundle.encryption_cert) != public_key_der(encryption_key):
        raise ValidationError("certificate_key_mismatch")
    if certificate_usage(bundle.signing_cert) is not CertUsage.SIGNING:
        raise ValidationError("certificate_usage_mismatch")
    if certificate_usage(bundle.encryption_cert) is not CertUsage.ENCRYPTION:
        raise ValidationError("certificate_usage_mismatch")
    ca_cert = bundle.ca_cert
    if not is_ca_certificate(ca_cert):
        raise ValidationError("certificate_not_from_ca")
    if expected_ca is not None and expected_ca.fingerprint(hashes.SHA256()) != ca_cert.fingerprint(
        hashes.SHA256()
    ):
        raise ValidationError("certificate_not_from_ca")
    try:
        ca_cert.verify_directly_issued_by(ca_cert)
        bundle.signing_cert.verify_directly_issued_by(ca_cert)
        bundle.encryption_cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature) as exc:
        raise ValidationError("certificate_not_from_ca") from exc
    for cert in (bundle.signing_cert, bundle.encryption_cert, ca_cert):
        if moment > cert.not_valid_after_utc:
            raise ValidationError("certificate_expired")
        if moment < cert.not_valid_before_utc:
            raise ValidationError("certificate_not_yet_valid")
