from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from fanguai_desk.domain.errors import UnlockError, ValidationError
from fanguai_desk.pki import keys


def _plain_der(key: Any) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def test_generated_keys_are_rsa_3072(user_keys: Any) -> None:
    assert user_keys.signing.key_size == 3072
    assert user_keys.encryption.key_size == 3072
    assert keys.public_key_der(user_keys.signing) != keys.public_key_der(user_keys.encryption)


def test_private_key_round_trips_under_its_secret(user_keys: Any) -> None:
    blob = keys.encrypt_private_key(user_keys.signing, b"derived-secret-32-bytes-long....")
    restored = keys.decrypt_private_key(blob, b"derived-secret-32-bytes-long....")
    assert _plain_der(restored) == _plain_der(user_keys.signing)


def test_encrypted_private_key_holds_no_plaintext_key_material(user_keys: Any) -> None:
    blob = keys.encrypt_private_key(user_keys.signing, b"secret")
    plain = _plain_der(user_keys.signing)
    private_exponent = user_keys.signing.private_numbers().d.to_bytes(384, "big")
    assert plain not in blob
    assert private_exponent[:32] not in blob
    # PKCS#8 EncryptedPrivateKeyInfo with PBES2 (OID 1.2.840.113549.1.5.13)
    assert bytes.fromhex("06092a864886f70d01050d") in blob[:40]


def test_wrong_secret_raises_private_key_locked(user_keys: Any) -> None:
    blob = keys.encrypt_private_key(user_keys.encryption, b"right")
    with pytest.raises(UnlockError) as err:
        keys.decrypt_private_key(blob, b"wrong")
    assert err.value.code == "private_key_locked"
    with pytest.raises(UnlockError):
        keys.decrypt_private_key(blob[:-10], b"right")


def test_empty_secret_is_refused(user_keys: Any) -> None:
    with pytest.raises(ValidationError) as err:
        keys.encrypt_private_key(user_keys.signing, b"")
    assert err.value.code == "private_key_secret_empty"
