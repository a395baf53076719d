"""PAdES signatures on reports (pyHanko), with a visible stamp that can show Chinese.

Offline, so the level is PAdES-B-B: a CMS signature (SHA-256, RSA PKCS#1 v1.5) with the signer's
certificate and the county CA certificate embedded, ``/SubFilter /ETSI.CAdES.detached``, no
timestamp authority.

The visible stamp: pyHanko's own text stamp needs HarfBuzz (``uharfbuzz``) for non-Latin text and
cannot read a ``.ttc`` collection, so the stamp is drawn with ReportLab in the shipped font (embedded
as a subset, like the reports) and placed in the signature widget as a form XObject.  The stamp style
is a :class:`TextStampStyle` subclass only so that pyHanko hands it the signing time it also puts in
the CMS ``signingTime`` attribute — the time on the stamp and in the signature are the same.
"""

from __future__ import annotations

import binascii
import io
import logging
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding as asym_padding
from cryptography.hazmat.primitives.asymmetric import rsa
from pyhanko.pdf_utils import content as pdf_content
from pyhanko.pdf_utils import layout as pdf_layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph

from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.pki.ca import is_ca_certificate, load_crl, spki_der
from fanguai_desk.pki.keys import public_key_der
from fanguai_desk.reports.fonts import register_fonts

log = logging.getLogger(__name__)

DEFAULT_FIELD_NAME = "Signature1"
# pyHanko formats the signing time (UTC) with this; CjkStampStyle parses it back and shows Beijing time.
STAMP_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
#: China Standard Time (no daylight saving): a fixed offset, so no time-zone database is needed (Windows).
BEIJING = timezone(timedelta(hours=8), "北京时间")


def beijing_text(moment: datetime) -> str:
    """``2026-11-30 16:20:05 北京时间`` (a naive value is UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S") + " 北京时间"

STAMP_BORDER = colors.HexColor("#1F4E8C")
STAMP_FONT_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0)


def quiet_pyhanko_logging() -> None:
    """pyHanko and its certificate validator log warnings with tracebacks that quote certificate
    subjects (people's names).  Our logs must not carry personal data, so they are limited to
    CRITICAL; our own code logs the outcome without names."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


quiet_pyhanko_logging()


def to_asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _to_asn1_key(key: rsa.RSAPrivateKey) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(
        encoding=serialization.Encoding.DER,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    return asn1_keys.PrivateKeyInfo.load(der)


def _open_incremental(pdf: bytes) -> IncrementalPdfFileWriter:
    try:
        return IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # pyHanko raises several parser error types
        raise ValidationError("pdf_unreadable") from exc


def _widget_box(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    """Whole-point widget rectangle that covers ``box`` with 1 pt to spare on each side, so the
    opaque stamp hides the dashed placeholder the report drew there."""
    x0, y0, x1, y1 = (float(v) for v in box)
    if x1 <= x0 or y1 <= y0:
        raise ValidationError("signature_box_invalid")
    return math.floor(x0 - 1), math.floor(y0 - 1), math.ceil(x1 + 1), math.ceil(y1 + 1)


def add_signature_field(
    pdf: bytes, field_name: str, *, page: int, box: tuple[float, float, float, float]
) -> bytes:
    """Add an empty, visible signature field (an incremental update) at ``box`` on ``page`` (0-based)."""
    writer = _open_incremental(pdf)
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=_widget_box(box))
    fields.append_signature_field(writer, spec)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------- stamp


def render_stamp_pdf(width: float, height: float, lines: Sequence[tuple[str, str]], title: str) -> bytes:
    """A one-page PDF of exactly ``width`` × ``height`` points showing ``title`` and label/value lines.

    The text shrinks until it fits the box.
    """
    font = register_fonts()
    buffer = io.BytesIO()
    canv = Canvas(buffer, pagesize=(width, height), initialFontName=font)
    canv.setTitle("signature appearance")
    canv.setFillColor(colors.white)
    canv.setStrokeColor(STAMP_BORDER)
    canv.setLineWidth(2)
    canv.rect(1, 1, width - 2, height - 2, stroke=1, fill=1)
    pad = 4.0
    avail_w, avail_h = width - 2 * pad, height - 2 * pad
    story: list[Paragraph] = []
    for size in STAMP_FONT_SIZES:  # largest size at which everything fits
        head = ParagraphStyle(
            "stamp-head", fontName=font, fontSize=size + 0.5, leading=(size + 0.5) * 1.3,
            textColor=STAMP_BORDER, wordWrap="CJK",
        )  # fmt: skip
        body = ParagraphStyle("stamp-body", fontName=font, fontSize=size, leading=size * 1.3, wordWrap="CJK")
        story = [Paragraph(_escape(title), head)]
        story += [Paragraph(_escape(label + value), body) for label, value in lines]
        if sum(p.wrap(avail_w, avail_h)[1] for p in story) <= avail_h:
            break
    # At the smallest size whatever still does not fit (a very long reason or location — they come
    # last) is left out; the signer and the time always show.
    frame = Frame(pad, pad, avail_w, avail_h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    frame.addFromList(story, canv)
    canv.showPage()
    canv.save()
    return buffer.getvalue()


def _stamp_time(ts: str) -> str:
    try:
        return beijing_text(datetime.strptime(ts, STAMP_TIME_FORMAT))
    except ValueError:
        return ts


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _PdfBytesPage(pdf_content.PdfContent):
    """First page of an in-memory PDF as content (pyHanko's ``ImportedPdfPage`` wants a file name)."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__()
        self._pdf = pdf

    def render(self) -> bytes:
        writer = self._ensure_writer
        reader = PdfFileReader(io.BytesIO(self._pdf))
        xobj = writer.import_page_as_xobject(reader, page_ix=0)
        name = "/Stamp" + binascii.hexlify(uuid.uuid4().bytes).decode("ascii")
        self.resources.xobject[name] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode("ascii") + b" Do"


@dataclass(frozen=True)
class CjkStampStyle(TextStampStyle):
    """Visible signature appearance drawn with ReportLab in the shipped CJK font."""

    title: str = "电子签名（PAdES）"
    timestamp_format: str = STAMP_TIME_FORMAT

    def create_stamp(self, writer: Any, box: pdf_layout.BoxConstraints, text_params: dict[str, Any]) -> Any:
        lines = [
            ("签名人：", str(text_params.get("signer", ""))),
            ("签名时间：", _stamp_time(str(text_params.get("ts", "")))),
        ]
        if text_params.get("reason"):
            lines.append(("事由：", str(text_params["reason"])))
        if text_params.get("location"):
            lines.append(("地点：", str(text_params["location"])))
        stamp_pdf = render_stamp_pdf(float(box.width), float(box.height), lines, self.title)
        static = StaticStampStyle(
            background=_PdfBytesPage(stamp_pdf),
            border_width=0,
            background_opacity=1.0,
            background_layout=pdf_layout.SimpleBoxLayoutRule(
                x_align=pdf_layout.AxisAlignment.ALIGN_MIN,
                y_align=pdf_layout.AxisAlignment.ALIGN_MIN,
                margins=pdf_layout.Margins.uniform(0),
            ),
        )
        return static.create_stamp(writer, box, {})


# ---------------------------------------------------------------- signing


def certificate_fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate (DER), lower-case hex: what the print log and paper codes name."""
    return cert.fingerprint(hashes.SHA256()).hex()


def signing_time(pdf: bytes) -> datetime:
    """The signing time the last signature of ``pdf`` carries (CMS ``signingTime``), naive UTC."""
    reader = PdfFileReader(io.BytesIO(pdf))
    moment = reader.embedded_signatures[-1].self_reported_timestamp
    if moment is None:
        return datetime.now(UTC).replace(tzinfo=None)
    return moment.astimezone(UTC).replace(tzinfo=None)


_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


class _InMemoryKeySigner(signers.SimpleSigner):
    """``SimpleSigner`` re-parses (and re-validates) the private key for every signature, which
    costs ~170 ms for RSA-3072; this one signs with the ``cryptography`` key object it was given."""

    def __init__(self, key: rsa.RSAPrivateKey, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            algo = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:
            algo = None
        hash_algo = _HASHES.get(digest_algorithm)
        if algo != "rsassa_pkcs1v15" or hash_algo is None:
            return super().sign_raw(data, digest_algorithm)
        return self._key.sign(data, asym_padding.PKCS1v15(), hash_algo)


def sign_pdf(
    pdf: bytes,
    signing_key: rsa.RSAPrivateKey,
    signing_cert: x509.Certificate,
    chain: Sequence[x509.Certificate],
    *,
    signer_name: str,
    reason: str,
    location: str,
    field_name: str = DEFAULT_FIELD_NAME,
    visible_box: tuple[float, float, float, float] | None = None,
    page: int = -1,
    crls: Sequence[bytes] = (),
) -> bytes:
    """Sign ``pdf`` and return the signed PDF (the original plus incremental updates).

    With ``crls`` (the county CRLs installed on this laptop) the level is PAdES-B-LT: the signer's chain
    is validated at signing time against the county CA (``chain``'s CA certificate), offline, with the CRL
    *required*, and the CRL and certificates used are embedded in the document security store — so a
    validator needs no network to check revocation.  If the installed CRL cannot vouch for the certificate
    (out of date), the signature is made at PAdES-B-B as before; our verifier then judges by the laptop's
    CRL at verification time.  Without ``crls``: PAdES-B-B.

    If the PDF has an empty signature field called ``field_name`` (every report reserves one in its
    signature block), the signature goes there and ``visible_box`` is ignored.  Otherwise a new field
    is made: visible at ``visible_box`` (``(x0, y0, x1, y1)`` in points) on ``page`` (0-based, -1 =
    last) if given, else invisible.

    ``chain`` is the rest of the chain to embed (the county CA certificate).  Errors:
    ``pdf_unreadable``, ``certificate_key_mismatch``, ``signature_field_already_signed``.
    """
    if spki_der(signing_cert) != public_key_der(signing_key):
        raise ValidationError("certificate_key_mismatch")
    writer = _open_incremental(pdf)
    try:
        existing = list(fields.enumerate_sig_fields(writer, with_name=field_name))
    except Exception as exc:
        raise ValidationError("pdf_unreadable") from exc
    new_field_spec: fields.SigFieldSpec | None = None
    if existing:
        _name, value, _ref = existing[0]
        if value is not None:
            raise ValidationError("signature_field_already_signed")
    else:
        new_field_spec = fields.SigFieldSpec(
            sig_field_name=field_name,
            on_page=page,
            box=_widget_box(visible_box) if visible_box is not None else None,
        )
    signer = _InMemoryKeySigner(
        signing_key,
        signing_cert=to_asn1_cert(signing_cert),
        signing_key=_to_asn1_key(signing_key),
        cert_registry=SimpleCertificateStore.from_certs([to_asn1_cert(c) for c in chain]),
    )
    roots = [c for c in chain if is_ca_certificate(c)]
    embed = bool(crls) and bool(roots)
    while True:
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason or None,
            location=location or None,
            name=signer_name or None,
            embed_validation_info=embed,
            validation_context=ValidationContext(
                trust_roots=[to_asn1_cert(c) for c in roots], crls=[_der_crl(c) for c in crls],
                allow_fetching=False, revocation_mode="require") if embed else None,
        )
        pdf_signer = signers.PdfSigner(
            meta, signer=signer, stamp_style=CjkStampStyle(), new_field_spec=new_field_spec
        )
        try:
            out = pdf_signer.sign_pdf(
                writer,
                appearance_text_params={"reason": reason, "location": location},
            )
            break
        except (SigningError, PathValidationError, PathBuildingError) as exc:
            if not embed:
                raise
            log.info("revocation data not embedded", extra={"error": type(exc).__name__})
            embed = False
            writer = _open_incremental(pdf)
    signed: bytes = out.getvalue()
    log.info("pdf signed", extra={"field": field_name, "bytes": len(signed), "ltv": embed})
    return signed


def _der_crl(data: bytes) -> bytes:
    return load_crl(data).public_bytes(serialization.Encoding.DER)
