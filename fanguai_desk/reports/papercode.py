"""Paper verification codes: a QR code and a short code on every page of a signed print.

    FG1-<DOC>-<PAGE>-<CHECK>          e.g. FG1-K7QM3XWA-2-H4JD8KPQ

* ``DOC`` — the print's document id: 8 characters of RFC 4648 base32 (A–Z, 2–7; 40 random bits), the key of
  the registry's print log;
* ``PAGE`` — the page number (1-based, decimal);
* ``CHECK`` — 8 base32 characters (40 bits) of HMAC-SHA256 keyed with the print's own random secret (kept
  in the print log, never printed) over ``FG1|DOC|PAGE|PAGES|SIGNER-FINGERPRINT``: a code cannot be made up,
  nor moved to another page or another print, without the log's secret.

The QR code holds exactly the short code (QR alphanumeric mode, version 2, error correction M).  The SHA-256
of the *signed* PDF cannot be inside that PDF (signing changes the bytes it would describe): the print log
records it, with the signer's certificate fingerprint and the signing time, right after signing; verifying a
code looks the print up there (docs/paper-verification.md).  Core module: no Qt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field

import segno
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from fanguai_desk.domain.errors import ValidationError

VERSION = "FG1"
DOC_ID_CHARS = 8
CHECK_CHARS = 8
QR_SIZE = 13 * mm  # in the right margin, clear of the footer; 4.5 mm from the edge: printable anywhere
QR_EDGE = 4.5 * mm
_CODE = re.compile(r"^FG1-([A-Z2-7]{8})-([1-9][0-9]{0,3})-([A-Z2-7]{8})$")
# What people mistype when copying a code from paper: base32 has no 0, 1, 8 or 9.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B", "9": "G", " ": "-", "_": "-", "—": "-", "－": "-"})


def _b32(data: bytes, chars: int) -> str:
    return base64.b32encode(data).decode("ascii")[:chars]


def new_doc_id() -> str:
    return _b32(secrets.token_bytes(5), DOC_ID_CHARS)


def new_secret() -> str:
    return secrets.token_hex(32)


def check_value(secret_hex: str, doc_id: str, page: int, pages: int, signer_fingerprint: str) -> str:
    message = f"{VERSION}|{doc_id}|{page}|{pages}|{signer_fingerprint.lower()}".encode("ascii")
    return _b32(hmac.new(bytes.fromhex(secret_hex), message, hashlib.sha256).digest()[:5], CHECK_CHARS)


def format_code(doc_id: str, page: int, check: str) -> str:
    return f"{VERSION}-{doc_id}-{page}-{check}"


@dataclass(frozen=True)
class PaperCode:
    doc_id: str
    page: int
    check: str

    @property
    def text(self) -> str:
        return format_code(self.doc_id, self.page, self.check)


def parse_code(text: str) -> PaperCode:
    """A code as typed or decoded (case, spaces and look-alike digits forgiven); ``paper_code_invalid``."""
    cleaned = text.strip().upper().translate(_LOOKALIKES)
    cleaned = re.sub(r"-+", "-", cleaned)
    if cleaned.startswith("FGI-"):  # "FG1" typed with an I is turned back
        cleaned = "FG1-" + cleaned[4:]
    parts = cleaned.split("-")
    if len(parts) == 4 and parts[0] in ("FG1", "FGI"):
        parts[2] = parts[2].replace("O", "0").replace("I", "1").replace("B", "8").replace("G", "9")
        cleaned = "-".join(["FG1", *parts[1:]])
    match = _CODE.match(cleaned)
    if match is None:
        raise ValidationError("paper_code_invalid")
    return PaperCode(match.group(1), int(match.group(2)), match.group(3))


@dataclass
class PaperMark:
    """What the page decoration needs to print a page's code; remembers the page count it saw."""

    doc_id: str
    secret: str
    signer_fingerprint: str
    pages: int = field(default=0)

    def code(self, page: int, pages: int) -> str:
        self.pages = pages
        return format_code(self.doc_id, page, check_value(self.secret, self.doc_id, page, pages,
                                                          self.signer_fingerprint))


def draw_paper_code(canv: Canvas, code: str, font: str, text_right: float) -> None:
    """The QR code in the bottom-right corner (in the margin); the short code under the footer, ending at
    ``text_right``."""
    width, _height = canv._pagesize
    qr = segno.make(code, error="m", micro=False)
    matrix = qr.matrix
    n = len(matrix)
    border = 2
    module = QR_SIZE / (n + 2 * border)
    x0 = width - QR_EDGE - QR_SIZE
    y0 = QR_EDGE
    canv.saveState()
    canv.setFillColor(colors.white)
    canv.rect(x0, y0, QR_SIZE, QR_SIZE, stroke=0, fill=1)
    canv.setFillColor(colors.black)
    for r, row in enumerate(matrix):
        c = 0
        while c < n:  # one rectangle per run of dark modules
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                canv.rect(x0 + (border + start) * module, y0 + QR_SIZE - (border + r + 1) * module,
                          (c - start) * module, module, stroke=0, fill=1)
            else:
                c += 1
    canv.setFont(font, 6.5)
    canv.drawRightString(text_right, 6.5 * mm, f"纸质核验码：{code}")
    canv.restoreState()
