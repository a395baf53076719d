"""The bundle envelope: CMS (RFC 5652) as S/MIME, so that standard tools open it too.

    bundle = S/MIME EnvelopedData (AES-256-CBC, RSA key transport to the supervisor's encryption cert)
               └─ S/MIME SignedData, opaque (the payload embedded; the author's signing cert included)
                    └─ payload (gzip'd JSON lines, see docs/exchange-format.md)

which is exactly what ``openssl cms -decrypt -recip sup.crt -inkey sup.key -in B | openssl cms -verify
-CAfile county.crt`` unwraps.  Building uses ``cryptography``'s PKCS#7 builders; the signature is checked
with pyHanko's CMS validation (``validate_sig_integrity``) and the certificate against the county CA and
its CRLs by ``pki.validation``.

EnvelopedData with CBC is not authenticated on its own, and a MIME parser forgives a lot; so opening is
strict: the outer and inner MIME texts must be byte-for-byte the canonical form we write (headers, base64
line length, line endings), and any deviation is "altered".  Together with the signature over the payload
this makes every single-byte change to a bundle a refusal.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms as asn1_cms
from asn1crypto import core as asn1_core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.serialization import pkcs7
from pyhanko.sign.validation.generic_cms import validate_sig_integrity

from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.pki.ca import CertUsage
from fanguai_desk.pki.enrolment import certificate_usage
from fanguai_desk.pki.validation import CertStatus, certificate_status


class ExchangeError(FanguaiError):
    code = "bundle_malformed"


ENVELOPED_HEADER = (
    b"MIME-Version: 1.0\n"
    b'Content-Disposition: attachment; filename="smime.p7m"\n'
    b'Content-Type: application/pkcs7-mime; smime-type="enveloped-data"; name="smime.p7m"\n'
    b"Content-Transfer-Encoding: base64\n\n"
)
SIGNED_HEADER = (
    b"MIME-Version: 1.0\n"
    b'Content-Disposition: attachment; filename="smime.p7m"\n'
    b'Content-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"\n'
    b"Content-Transfer-Encoding: base64\n\n"
)
MAX_BUNDLE_BYTES = 2 * 1024**3


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def sign_and_encrypt(payload: bytes, signer_key: rsa.RSAPrivateKey, signer_cert: x509.Certificate,
                     recipient_cert: x509.Certificate) -> bytes:
    """SignedData (author) inside EnvelopedData (supervisor), both as S/MIME.

    Both layers are built as DER and wrapped as application/pkcs7-mime entities (RFC 8551 §3.3/§3.5.2)
    here: cryptography's own S/MIME output writes the signed layer as multipart/signed (which mangles
    binary content) and costs several extra copies of a 100 MB bundle; DER + our wrapping keeps peak
    memory at a few times the payload.  The text is exactly what cryptography's S/MIME encoder writes
    (same headers, 64-column base64), which ``openssl cms`` reads by default."""
    signed_der = (pkcs7.PKCS7SignatureBuilder().set_data(payload)
                  .add_signer(signer_cert, signer_key, hashes.SHA256())
                  .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
    inner = _canonical_base64(signed_der, SIGNED_HEADER)
    del signed_der
    enveloped_der = (pkcs7.PKCS7EnvelopeBuilder().set_data(inner).add_recipient(recipient_cert)
                     .set_content_encryption_algorithm(algorithms.AES256)
                     .encrypt(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
    del inner
    return _canonical_base64(enveloped_der, ENVELOPED_HEADER)


_CHUNK = 48 * 1024  # DER bytes per comparison step: 64 KiB of base64, 1024 lines


def _strict_mime_body(data: bytes, header: bytes, what: str) -> bytes:
    """The DER inside one of our MIME texts, or ExchangeError if the text is not exactly canonical.

    Canonical = ``header`` + base64 in 64-column lines, each ending in LF.  Compared whole (chunk by
    chunk, without building a second copy of a large bundle), so no byte can change unnoticed."""
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
    if not data.startswith(header):
        raise ExchangeError("bundle_malformed", part=what)
    view = memoryview(data)
    try:
        der = base64.b64decode(view[len(header):], validate=False)
    except ValueError:
        raise ExchangeError("bundle_malformed", part=what) from None
    try:  # a truncated file decodes to an incomplete DER structure: say "malformed", not "altered"
        asn1_core.load(der, strict=True)
    except ValueError:
        raise ExchangeError("bundle_malformed", part=what) from None
    offset = len(header)
    for start in range(0, len(der), _CHUNK):
        piece = _canonical_base64(der[start:start + _CHUNK])
        if view[offset:offset + len(piece)] != piece:
            raise ExchangeError("bundle_altered", part=what)
        offset += len(piece)
    if offset != len(data):
        raise ExchangeError("bundle_altered", part=what)
    return der


def _canonical_base64(der: bytes, prefix: bytes = b"") -> bytes:
    b64 = memoryview(base64.b64encode(der))
    out = io.BytesIO()
    out.write(prefix)
    for i in range(0, len(b64), 64):
        out.write(b64[i:i + 64])
        out.write(b"\n")
    return out.getvalue()


@dataclass(frozen=True)
class OpenedBundle:
    payload: bytes
    signer_cert: x509.Certificate
    signer_status: CertStatus
    recipient_fingerprint: str


def unwrap(bundle: bytes) -> bytes:
    """The EnvelopedData DER of a bundle file (strictly canonical S/MIME), or ExchangeError."""
    if not bundle or len(bundle) > MAX_BUNDLE_BYTES:
        raise ExchangeError("bundle_malformed", part="envelope")
    return _strict_mime_body(bundle, ENVELOPED_HEADER, "envelope")


def recipients_in(enveloped_der: bytes) -> list[tuple[str, int]]:
    """(issuer DN, serial) of each recipient, read without decrypting — to say "not for you" plainly."""
    try:
        info = asn1_cms.ContentInfo.load(enveloped_der, strict=True)
        if info["content_type"].native != "enveloped_data":
            raise ExchangeError("bundle_malformed", part="envelope")
        out = []
        for ri in info["content"]["recipient_infos"]:
            rid = ri.chosen["rid"]
            if rid.name != "issuer_and_serial_number":
                continue
            out.append((rid.chosen["issuer"].human_friendly, int(rid.chosen["serial_number"].native)))
        return out
    except ExchangeError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError):
        raise ExchangeError("bundle_malformed", part="envelope") from None


def recipients_of(bundle: bytes) -> list[tuple[str, int]]:
    return recipients_in(unwrap(bundle))


def open_bundle(bundle: bytes, recipient_key: rsa.RSAPrivateKey, recipient_cert: x509.Certificate,
                ca_cert: x509.Certificate, crls: Sequence[bytes], at: datetime) -> OpenedBundle:
    """Decrypt, check the signature over the payload, check the author's certificate.  In that order:
    not addressed to us → altered / bad signature → author not trusted / expired / revoked."""
    return open_enveloped(unwrap(bundle), recipient_key, recipient_cert, ca_cert, crls, at)


def open_enveloped(enveloped_der: bytes, recipient_key: rsa.RSAPrivateKey, recipient_cert: x509.Certificate,
                   ca_cert: x509.Certificate, crls: Sequence[bytes], at: datetime) -> OpenedBundle:
    signed_der = decrypt_enveloped(enveloped_der, recipient_key, recipient_cert)
    payload, signer_cert, status = verify_signed_der(signed_der, ca_cert, crls, at)
    return OpenedBundle(payload, signer_cert, status, fingerprint(recipient_cert))


def decrypt_enveloped(enveloped_der: bytes, recipient_key: rsa.RSAPrivateKey,
                      recipient_cert: x509.Certificate) -> bytes:
    """The first half of :func:`open_enveloped`: the SignedData DER inside, its signature not checked yet (a
    caller that owns the ciphertext lets it go before the check, which holds several copies of the content)."""
    if not any(serial == recipient_cert.serial_number for _issuer, serial in recipients_in(enveloped_der)):
        raise ExchangeError("bundle_not_for_us")
    try:
        inner = pkcs7.pkcs7_decrypt_der(enveloped_der, recipient_cert, recipient_key, [])
    except ValueError:
        raise ExchangeError("bundle_altered", part="envelope") from None
    return _strict_mime_body(inner, SIGNED_HEADER, "signature")


def sign_only(payload: bytes, signer_key: rsa.RSAPrivateKey, signer_cert: x509.Certificate) -> bytes:
    """S/MIME SignedData (opaque, canonical form as inside a bundle) for what needs no secrecy (receipts)."""
    signed_der = (pkcs7.PKCS7SignatureBuilder().set_data(payload)
                  .add_signer(signer_cert, signer_key, hashes.SHA256())
                  .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
    return _canonical_base64(signed_der, SIGNED_HEADER)


def open_signed(data: bytes, ca_cert: x509.Certificate, crls: Sequence[bytes],
                at: datetime) -> tuple[bytes, x509.Certificate]:
    """The payload and signer of a canonical S/MIME SignedData, checked like a bundle's inner layer."""
    if not data or len(data) > MAX_BUNDLE_BYTES:
        raise ExchangeError("bundle_malformed", part="signature")
    payload, signer, _status = verify_signed_der(_strict_mime_body(data, SIGNED_HEADER, "signature"), ca_cert,
                                                 crls, at)
    return payload, signer


def verify_signed_der(signed_der: bytes, ca_cert: x509.Certificate, crls: Sequence[bytes],
                      at: datetime) -> tuple[bytes, x509.Certificate, CertStatus]:
    """Signature over the content, signer certificate from the county CA, valid, a signing certificate."""
    try:
        info = asn1_cms.ContentInfo.load(signed_der, strict=True)
        if info["content_type"].native != "signed_data":
            raise ExchangeError("bundle_altered", part="signature")
        sd = info["content"]
        payload = sd["encap_content_info"]["content"].native
        signer_infos = list(sd["signer_infos"])
        certs = [c.chosen for c in sd["certificates"] if c.name == "certificate"]
    except ExchangeError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError):
        raise ExchangeError("bundle_altered", part="signature") from None
    if not isinstance(payload, bytes) or len(signer_infos) != 1 or not certs:
        raise ExchangeError("bundle_altered", part="signature")
    signer_info = signer_infos[0]
    sid = signer_info["sid"]
    signer_asn1: asn1_x509.Certificate | None = None
    for c in certs:
        if sid.name == "issuer_and_serial_number" and c.serial_number == sid.chosen["serial_number"].native \
                and c.issuer == sid.chosen["issuer"]:
            signer_asn1 = c
    if signer_asn1 is None:
        raise ExchangeError("bundle_altered", part="signature")
    digest_algo = signer_info["digest_algorithm"]["algorithm"].native
    if digest_algo not in ("sha256", "sha384", "sha512"):
        raise ExchangeError("bundle_altered", part="signature")
    digest = hashlib.new(digest_algo, payload).digest()
    try:
        intact, valid = validate_sig_integrity(signer_info, signer_asn1, "data", digest)
    except Exception:  # pyHanko raises several types for malformed signer infos
        raise ExchangeError("bundle_altered", part="signature") from None
    if not (intact and valid):
        raise ExchangeError("bundle_altered", part="signature")
    signer_cert = x509.load_der_x509_certificate(signer_asn1.dump())
    status = certificate_status(signer_cert, ca_cert, crls, at)
    if status is not CertStatus.VALID:
        raise ExchangeError(f"author_{status.value}", signer=fingerprint(signer_cert))
    if certificate_usage(signer_cert) is not CertUsage.SIGNING:  # an encryption certificate never signs
        raise ExchangeError("bundle_signer_not_signing", signer=fingerprint(signer_cert))
    return payload, signer_cert, status
