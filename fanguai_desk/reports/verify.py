"""Check a signed report: who signed, when, intact or tampered, trusted, revoked.

Trust is the county CA only (no system trust store), nothing is fetched from the network, and
revocation comes from CRL files the laptop has installed.  With CRLs, revocation checking is
``require`` (the signer's certificate must be covered by a valid CRL of the trusted CA); without,
``soft-fail``.  When the only problem is that the installed CRL is out of date (past its
next-update time) the result is ``crl_outdated``: untrusted until a fresh CRL is installed.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.pki.ca import CertUsage, aware_utc, load_crl
from fanguai_desk.pki.enrolment import certificate_usage
from fanguai_desk.pki.validation import revocation_time
from fanguai_desk.reports.signing import quiet_pyhanko_logging, to_asn1_cert

log = logging.getLogger(__name__)
quiet_pyhanko_logging()


@dataclass
class PdfVerification:
    signed: bool
    signer: str | None  # the signer certificate's common name
    signed_at: datetime | None  # signing time claimed by the signer (PAdES-B-B has no timestamp)
    intact: bool  # the signed bytes are unchanged and the signature is cryptographically valid
    trusted: bool  # chains to a trusted county CA, usages right, not revoked, valid at the check time
    revoked: bool
    covers_whole_document: bool  # nothing was appended after the signature
    # unsigned | valid | tampered | revoked | crl_outdated | certificate_expired |
    # certificate_not_yet_valid | untrusted | modified_after_signing
    summary_code: str
    signature_count: int = 0  # signatures in the file (the fields above describe the last one)


def _unsigned() -> PdfVerification:
    return PdfVerification(
        signed=False,
        signer=None,
        signed_at=None,
        intact=False,
        trusted=False,
        revoked=False,
        covers_whole_document=False,
        summary_code="unsigned",
    )


def _broken(count: int, signed_at: datetime | None) -> PdfVerification:
    return PdfVerification(
        signed=True,
        signer=None,
        signed_at=signed_at,
        intact=False,
        trusted=False,
        revoked=False,
        covers_whole_document=False,
        summary_code="tampered",
        signature_count=count,
    )


def _signer_name(status: Any) -> str | None:
    try:
        native = status.signing_cert.subject.native
    except Exception:
        return None
    cn = native.get("common_name") if isinstance(native, dict) else None
    return str(cn) if cn else None


def _listed_on_crl(
    status: Any, trust_roots: Sequence[x509.Certificate], der_crls: Sequence[bytes], moment: datetime
) -> bool:
    """Revocation is final: a CRL from a trusted CA that lists the signer counts even when that CRL
    is past its next-update time (pyhanko-certvalidator then only says "try later")."""
    if not der_crls:
        return False
    try:
        signer_cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    except Exception:
        return False
    for root in trust_roots:
        if signer_cert.issuer != root.subject:
            continue
        when = revocation_time(signer_cert, root, der_crls)
        if when is not None and when <= moment:
            return True
    return False


def _outside_validity(status: Any, trust_roots: Sequence[x509.Certificate], moment: datetime) -> str | None:
    """``certificate_expired`` / ``certificate_not_yet_valid`` when the signer's certificate is
    outside its validity period at the check time (PAdES-B-B has no timestamp to prove that the
    signature was made while it was valid)."""
    try:
        signer_cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    except Exception:
        return None
    if not any(signer_cert.issuer == root.subject for root in trust_roots):
        return None  # not ours: "untrusted" says more than "expired"
    if moment > signer_cert.not_valid_after_utc:
        return "certificate_expired"
    if moment < signer_cert.not_valid_before_utc:
        return "certificate_not_yet_valid"
    return None


_INFO_MAINTENANCE_KEYS = frozenset({"/ModDate", "/Producer"})


def _reachable(obj: Any, found: set[int], depth: int = 0) -> None:
    """Object numbers of every indirect object reachable from ``obj`` (the DSS: arrays and dicts)."""
    if depth > 8:
        return
    if isinstance(obj, generic.IndirectObject):
        if obj.idnum in found:
            return
        found.add(obj.idnum)
        obj = obj.get_object()
    if isinstance(obj, generic.DictionaryObject):
        for key in obj:
            _reachable(obj.raw_get(key), found, depth + 1)
    elif isinstance(obj, generic.ArrayObject):
        for item in obj:
            _reachable(item, found, depth + 1)


def _only_validation_data_after(reader: PdfFileReader, embedded: Any) -> bool:
    """True when every revision after the signed one only adds validation data: the DSS and what it holds,
    the catalog with nothing changed but its /DSS entry, and the info dictionary with nothing changed but
    its modification date and producer.  Anything else (a new page, an edited title …) is a modification."""
    try:
        signed_rev = embedded.signed_revision
        old_root = reader.get_historical_root(signed_rev)
        new_root = reader.root
        allowed = {reader.root_ref.idnum}
        if "/DSS" in new_root:
            _reachable(new_root.raw_get("/DSS"), allowed)
        if {k: old_root.raw_get(k) for k in old_root if k != "/DSS"} != \
                {k: new_root.raw_get(k) for k in new_root if k != "/DSS"}:
            return False
        info_ref = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
        for rev in range(signed_rev + 1, reader.xrefs.total_revisions):
            for ref in reader.xrefs.explicit_refs_in_revision(rev):
                if ref.idnum in allowed:
                    continue
                if isinstance(info_ref, generic.IndirectObject) and ref.idnum == info_ref.idnum:
                    old_info = reader.get_historical_resolver(signed_rev)(info_ref.reference)
                    new_info = info_ref.get_object()
                    if {k: v for k, v in old_info.items() if k not in _INFO_MAINTENANCE_KEYS} == \
                            {k: v for k, v in new_info.items() if k not in _INFO_MAINTENANCE_KEYS}:
                        continue
                return False
        return True
    except Exception:  # a structure we cannot follow is not "only validation data"
        return False


def _signed_with_signing_certificate(status: Any) -> bool:
    try:
        signer_cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    except Exception:
        return False
    return certificate_usage(signer_cert) is CertUsage.SIGNING


def _der_crls(crls: Sequence[bytes]) -> list[bytes]:
    return [load_crl(data).public_bytes(serialization.Encoding.DER) for data in crls]


def verify_pdf(
    pdf: bytes,
    trust_roots: Sequence[x509.Certificate],
    crls: Sequence[bytes] = (),
    at: datetime | None = None,
) -> PdfVerification:
    """Verify the last signature in ``pdf`` against ``trust_roots`` (the county CA certificate).

    An unsigned PDF gives ``signed=False``; a PDF that cannot be parsed raises
    ``ValidationError("pdf_unreadable")``; an unreadable CRL ``ValidationError("crl_unreadable")``.
    ``at`` is the validation time (default: now).
    """
    der_crls = _der_crls(crls)
    moment = aware_utc(at)
    revocation_unknown = False
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        filled_fields = list(fields.enumerate_sig_fields(reader, filled_status=True))
    except Exception as exc:  # the parser raises many error types on garbage
        raise ValidationError("pdf_unreadable") from exc
    if not filled_fields:
        return _unsigned()
    try:
        signatures = list(reader.embedded_regular_signatures)
    except Exception as exc:  # a signature container that does not even parse
        log.info("pdf signature unreadable", extra={"error": type(exc).__name__})
        return _broken(len(filled_fields), None)
    if not signatures:  # only document timestamps
        return _unsigned()
    embedded = signatures[-1]
    context = ValidationContext(
        trust_roots=[to_asn1_cert(c) for c in trust_roots],
        crls=der_crls,
        allow_fetching=False,
        # With a CRL installed, one from the trusted CA must cover the signer (certificates carry no
        # distribution point since issue 18, so "hard-fail" — check if declared — would not look at it).
        revocation_mode="require" if der_crls else "soft-fail",
        moment=moment,
    )
    try:
        status = validate_pdf_signature(embedded, context)
        if der_crls and not status.trusted and not status.revoked and status.intact and status.valid:
            # Distinguish "the installed CRL is out of date / does not cover this certificate"
            # from "not from our CA": the same check without requiring revocation data.
            relaxed = ValidationContext(
                trust_roots=[to_asn1_cert(c) for c in trust_roots],
                allow_fetching=False,
                revocation_mode="soft-fail",
                moment=moment,
            )
            if validate_pdf_signature(embedded, relaxed).trusted:
                revocation_unknown = True
    except Exception as exc:  # malformed CMS, unreadable byte range …: the signature does not hold
        log.info("pdf signature could not be validated", extra={"error": type(exc).__name__})
        try:
            signed_at = embedded.self_reported_timestamp
        except Exception:
            signed_at = None
        return _broken(len(signatures), signed_at)
    intact = bool(status.intact and status.valid)
    signing_only = _signed_with_signing_certificate(status)
    revoked = bool(status.revoked) or _listed_on_crl(status, trust_roots, der_crls, moment)
    trusted = bool(status.trusted) and intact and not revoked
    # PAdES-B-LT adds the document security store (certificates, CRL) after the signature: that update is
    # signature maintenance, not a change to the document.
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and _only_validation_data_after(reader, embedded))
    if not intact or not status.docmdp_ok:
        code = "tampered"
    elif not signing_only:  # an encryption certificate never signs (docs/security-model.md)
        code = "not_signing_certificate"
        trusted = False
    elif revoked:
        code = "revoked"
    elif revocation_unknown:
        code = "crl_outdated"
    elif not trusted and (period := _outside_validity(status, trust_roots, moment)) is not None:
        code = period
    elif not trusted:
        code = "untrusted"
    elif not whole:
        code = "modified_after_signing"
    else:
        code = "valid"
    return PdfVerification(
        signed=True,
        signer=_signer_name(status),
        signed_at=status.signer_reported_dt,
        intact=intact,
        trusted=trusted,
        revoked=revoked,
        covers_whole_document=whole,
        summary_code=code,
        signature_count=len(signatures),
    )
