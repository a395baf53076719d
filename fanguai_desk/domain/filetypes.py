"""What a file is, by its content (magic bytes), never by its name.

Attachments may be PDF, JPEG, PNG or TIFF; anything else is refused, whatever its extension says.
"""

from __future__ import annotations

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"

ATTACHMENT_TYPES = (PDF, JPEG, PNG, TIFF)
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", TIFF: ".tif"}
#: Bytes :func:`sniff` needs to see.
SNIFF_BYTES = 16

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)


def sniff(head: bytes) -> str | None:
    """The media type of a file starting with ``head``, or ``None`` when it is none of the accepted kinds."""
    for magic, media_type in _SIGNATURES:
        if head.startswith(magic):
            return media_type
    return None


def is_image(media_type: str) -> bool:
    return media_type in (JPEG, PNG, TIFF)
