"""Key pairs of laptop users and their encrypted storage.

Every user has two RSA key pairs: one to *sign* (reports, export bundles) and one to *decrypt*
(export bundles are CMS EnvelopedData, and ``cryptography``'s ``PKCS7EnvelopeBuilder`` only
supports RSA recipients).  Private keys never touch the disk in plaintext: they are kept as
encrypted PKCS#8 (PBES2, AES-256-CBC) under a secret the caller provides (typically a key derived
from the user's password by the store's key slots).
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from fanguai_desk.domain.errors import UnlockError, ValidationError

RSA_KEY_SIZE = 3072
RSA_PUBLIC_EXPONENT = 65537


def _generate() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=RSA_PUBLIC_EXPONENT, key_size=RSA_KEY_SIZE)


def generate_signing_key() -> rsa.RSAPrivateKey:
    """A fresh RSA-3072 key pair for signing reports and export bundles."""
    return _generate()


def generate_encryption_key() -> rsa.RSAPrivateKey:
    """A fresh RSA-3072 key pair to which export bundles are encrypted (CMS key transport)."""
    return _generate()


def encrypt_private_key(key: rsa.RSAPrivateKey, secret: bytes) -> bytes:
    """Serialize ``key`` as encrypted PKCS#8 DER (``BestAvailableEncryption`` under ``secret``)."""
    if not secret:
        raise ValidationError("private_key_secret_empty")
    return key.private_bytes(
        encoding=serialization.Encoding.DER,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.BestAvailableEncryption(secret),
    )


def decrypt_private_key(blob: bytes, secret: bytes) -> rsa.RSAPrivateKey:
    """Inverse of :func:`encrypt_private_key`.

    A wrong secret (or a damaged blob, which cannot be told apart) raises
    ``UnlockError("private_key_locked")``.
    """
    try:
        key = serialization.load_der_private_key(blob, password=secret or None)
    except (ValueError, TypeError) as exc:
        raise UnlockError("private_key_locked") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValidationError("private_key_not_rsa")
    return key


def public_key_der(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> bytes:
    """SubjectPublicKeyInfo DER of a key (handy to compare a key with a certificate)."""
    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    return public.public_bytes(
        encoding=serialization.Encoding.DER,
        format=serialization.PublicFormat.SubjectPublicKeyInfo,
    )
