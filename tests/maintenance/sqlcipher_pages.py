"""Test-only reader of SQLCipher 4 pages: decrypts every page of a database file and every frame of its WAL
with the raw database key, so tests can search what is *physically* left on disk (free pages, deleted
cells, old page images) — not just what SQL still returns.

SQLCipher 4 defaults: 4096-byte pages, 80 reserved bytes at the end of each page (16-byte IV + 64-byte
HMAC-SHA512), AES-256-CBC.  Page 1 starts with the 16-byte salt in clear.  With a raw key
(``PRAGMA key = "x'…'"``) the AES key is the raw key itself.  WAL frames are a 24-byte header followed by
one page encrypted the same way.  (The product never does this: it is how the tests look under the hood.)
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
WAL_HEADER = 32
FRAME_HEADER = 24


def _decrypt_page(page: bytes, key: bytes, first: bool) -> bytes:
    start = 16 if first else 0
    iv = page[PAGE - RESERVE:PAGE - RESERVE + 16]
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(page[start:PAGE - RESERVE]) + dec.finalize()


def decrypted_database(path: Path, key: bytes) -> bytes:
    data = path.read_bytes()
    return b"".join(_decrypt_page(data[i:i + PAGE], key, i == 0) for i in range(0, len(data) - PAGE + 1, PAGE))


def decrypted_wal(path: Path, key: bytes) -> bytes:
    if not path.exists():
        return b""
    data = path.read_bytes()
    out = []
    pos = WAL_HEADER
    while pos + FRAME_HEADER + PAGE <= len(data):
        page_no = int.from_bytes(data[pos:pos + 4], "big")
        out.append(_decrypt_page(data[pos + FRAME_HEADER:pos + FRAME_HEADER + PAGE], key, page_no == 1))
        pos += FRAME_HEADER + PAGE
    return b"".join(out)


def contains_text(blob: bytes, text: str) -> bool:
    return any(enc in blob for enc in (text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")))
