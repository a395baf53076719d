"""Is this paper copy genuine?  Checking the code printed on every page of a signed report.

The code (``fanguai_desk.reports.papercode``) names a print in the print log and carries a check keyed with
that print's secret.  The answer says: genuine or not; which document (report kind, file number) and page;
who signed it and when (Beijing time in the UI); the SHA-256 of the signed PDF and the signer certificate's
fingerprint (to compare with an electronic copy); and whether a later signed print of the same record
supersedes it.  Works offline, on the laptop that printed and, after an import, at the county.
"""

from __future__ import annotations

import hmac
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.reports.papercode import check_value, parse_code
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.store.models import PrintLog

GENUINE = "genuine"
UNKNOWN = "unknown"  # no such print in this registry's log (forged, or printed on a laptop not yet imported)
FORGED = "forged"  # the print exists but the check does not match (altered code, wrong page)
MAX_IMAGE_BYTES = 40 * 1024 * 1024


@dataclass(frozen=True)
class PaperVerdict:
    status: str  # genuine | unknown | forged
    code: str
    doc_id: str
    page: int
    pages: int | None = None
    report: str | None = None
    file_number: str | None = None
    signer_name: str | None = None
    signer_fingerprint: str | None = None
    signed_at: datetime | None = None  # naive UTC
    pdf_sha256: str | None = None
    superseded_by: str | None = None  # doc id of the newest later print of the same record
    superseded_at: datetime | None = None

    @property
    def genuine(self) -> bool:
        return self.status == GENUINE


def decode_image(data: bytes) -> list[str]:
    """The texts of the QR codes found in a scan or photo (PNG, JPEG, TIFF…), decoded in memory."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError("paper_image_unreadable")
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError("paper_image_unreadable") from None
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    return [r.text for r in zxingcpp.read_barcodes(image)]


class PaperService(ServiceBase):
    def verify(self, text: str) -> PaperVerdict:
        """Check a code as typed or decoded; ``paper_code_invalid`` when it is not a code at all."""
        code = parse_code(text)
        with self.uow.tx() as s:
            row = s.get(PrintLog, code.doc_id)
            if row is None:
                verdict = PaperVerdict(UNKNOWN, code.text, code.doc_id, code.page)
            elif code.page > row.pages or not hmac.compare_digest(
                    check_value(row.secret, row.doc_id, code.page, row.pages, row.signer_fingerprint), code.check):
                verdict = PaperVerdict(FORGED, code.text, code.doc_id, code.page)
            else:
                later = None
                if row.record_id is not None:
                    later = s.scalars(select(PrintLog).where(PrintLog.report == row.report,
                                                             PrintLog.record_id == row.record_id,
                                                             PrintLog.signed_at > row.signed_at)
                                      .order_by(PrintLog.signed_at.desc()).limit(1)).first()
                verdict = PaperVerdict(
                    GENUINE, code.text, row.doc_id, code.page, row.pages, row.report, row.file_number,
                    row.signer_name, row.signer_fingerprint, row.signed_at, row.pdf_sha256,
                    later.doc_id if later else None, later.signed_at if later else None)
            self.uow.audit(s, AuditAction.READ, "print", code.doc_id, purpose="verify_paper", result=verdict.status)
        return verdict

    def verify_image(self, data: bytes) -> PaperVerdict:
        """Decode the QR code of a scanned page and check it (the first code of this program found)."""
        for text in decode_image(data):
            try:
                parse_code(text)
            except ValidationError:
                continue
            return self.verify(text)
        raise ValidationError("paper_image_no_code")
