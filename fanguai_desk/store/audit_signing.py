"""Checking the audit log's signatures (docs/security-model.md, "An audit log a key holder cannot rewrite").

Each entry written by a user with an installed signing certificate carries an RSA PKCS#1 v1.5 / SHA-256
signature over its chain hash, made with that user's private signing key (which only they can unlock:
it is encrypted under their own user key).  A signature is good when

* the certificate it names (by SHA-256) is stored in this registry (``pki_objects``: installed, retired,
  issued, or the copy kept for the audit log), was issued by the trusted county CA and has the signing
  profile — expiry and revocation do not matter: they say nothing about when the entry was written;
* the certificate's binding names the entry's user (certificates without a binding: any user);
* the signature verifies over the entry's hash.

The hash covers the entry and, through ``prev_hash``, everything before it; so a good signature by another
user proves the whole chain up to that entry is as they saw it.
"""

from __future__ import annotations

import base64

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.pki.binding import binding_of
from fanguai_desk.pki.ca import CertUsage
from fanguai_desk.pki.enrolment import certificate_usage
from fanguai_desk.store.audit import SignatureCheck
from fanguai_desk.store.models import AuditEntry, PkiObject

CERT_KINDS = ("certificate", "retired_certificate", "issued_certificate", "audit_certificate")
TRUSTED_CA_KIND = "trusted_ca"


def _load(data: bytes) -> x509.Certificate | None:
    try:
        return x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)
    except ValueError:
        return None


def signature_checker(session: Session) -> SignatureCheck:
    """A check for :func:`fanguai_desk.store.audit.verify_signatures`, over the certificates stored here."""
    ca_row = session.scalar(select(PkiObject.data).where(PkiObject.kind == TRUSTED_CA_KIND))
    ca = _load(ca_row) if ca_row else None
    stored = {fp: data for fp, data in session.execute(
        select(PkiObject.fingerprint, PkiObject.data).where(PkiObject.kind.in_(CERT_KINDS))).tuples() if fp}
    keys: dict[str, tuple[rsa.RSAPublicKey, str] | None] = {}

    def signer_key(fp: str) -> tuple[rsa.RSAPublicKey, str] | None:
        if fp not in keys:
            keys[fp] = None
            cert = _load(stored[fp]) if fp in stored else None
            if cert is not None and ca is not None and certificate_usage(cert) is CertUsage.SIGNING:
                try:
                    cert.verify_directly_issued_by(ca)
                except (ValueError, TypeError, InvalidSignature):
                    return None
                public = cert.public_key()
                binding = binding_of(cert)
                if isinstance(public, rsa.RSAPublicKey):
                    keys[fp] = (public, binding.user_id if binding else "")
        return keys[fp]

    def check(entry: AuditEntry, fp: str, signature: str) -> str | None:
        found = signer_key(fp)
        if found is None:
            return "signer_unknown"
        public, bound_user = found
        if bound_user and entry.user_id != bound_user:
            return "signature_invalid"
        try:
            public.verify(base64.b64decode(signature), entry.hash.encode("ascii"), padding.PKCS1v15(),
                          hashes.SHA256())
        except (InvalidSignature, ValueError):
            return "signature_invalid"
        return None

    return check


def sign_hash(key: rsa.RSAPrivateKey, digest: str) -> str:
    return base64.b64encode(key.sign(digest.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())).decode("ascii")
