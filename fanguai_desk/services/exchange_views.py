"""What the county's review screens show of conflicts, possible duplicates and imported bundles.

A caseworker finds a file by its number (档案编号) and township, and a laptop by the township it was set up for
— never by a record id.  These views are built here, in the core, so the GUI and the CLI show the same thing:

* a **laptop** is named by the township it was set up for (the first township created on it, which travels
  with its bundles; township names are unique in a registry), and marked when it is this laptop;
* a **file** by its number, its township and its masked name (``domain.masking``, a hidden name as
  ``*******``);
* a conflict's two **values** are decoded to their type (a date, an enum, a yes/no) and masked by the one
  table ``domain.masking.IDENTITY_MASKS``: a name conflict shows 张** against 张*; the clear values are seen
  only by opening the file and revealing it (audited).

Nothing here writes, and nothing here is worded: the front ends put the words around these facts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.domain.masking import HIDDEN_NAME, IDENTITY_MASKS, mask_field, mask_name
from fanguai_desk.exchange.importer import stored_value
from fanguai_desk.store.models import (
    MODEL_BY_RECORD_TYPE,
    Case,
    DuplicateFlag,
    ImportedBundle,
    LegalAidReferral,
    MergeConflict,
    PkiObject,
    ReferralEvent,
    Township,
    User,
    Victim,
)

__all__ = ["ConflictView", "DuplicateView", "FileRef", "ImportView", "Laptop", "conflict_views", "duplicate_views",
           "import_views", "laptops"]


@dataclass(frozen=True)
class Laptop:
    """A laptop (installation) as people know it: the township it was set up for."""

    installation_id: str
    township: str | None  # None: nothing from that laptop has arrived here yet
    this_laptop: bool = False


@dataclass(frozen=True)
class FileRef:
    """A file as a list shows it: its number, township and masked name."""

    victim_id: str
    file_number: str
    township: str | None
    name: str  # masked (张**), or ``*******`` for a hidden name; "" when the file has none


@dataclass(frozen=True)
class ConflictView:
    id: str
    record_type: str
    record_id: str
    field: str
    local_value: Any  # typed (date, enum, bool, int, str) and masked when the field identifies someone
    incoming_value: Any
    masked: bool  # the values are masked: compare them by opening the file and revealing it
    file: FileRef | None  # the file the record belongs to (None for a township, a user or a case)
    record_label: str | None  # a record outside a file: the case's police number, the township, the staff member
    laptop: Laptop | None  # where the incoming value came from
    created_at: datetime


@dataclass(frozen=True)
class DuplicateView:
    id: str
    reason: str  # domain.duplicates: same_id_number | same_name_birth_sex
    file: FileRef  # the file that arrived
    other: FileRef  # the file already here
    laptop: Laptop | None  # the laptop whose bundle brought the first file
    created_at: datetime
    status: str


@dataclass(frozen=True)
class ImportView:
    bundle_id: str
    sequence: int
    kind: str  # records | statistics | transfer
    created_at: datetime
    imported_at: datetime
    laptop: Laptop
    signed_by: str | None  # the signer's name (a staff member) from their certificate
    report: str  # the import report (JSON, counts only)


# ---------------------------------------------------------------------------------------------- laptops


def _pairs(result: Any) -> dict[str, Any]:
    return {a: b for a, b in result}


def laptops(s: Session, local_installation: str, ids: Iterable[str] = ()) -> dict[str, Laptop]:
    """Every laptop this registry knows of (the ones that set up a township here), plus ``ids``."""
    out: dict[str, Laptop] = {}
    for inst, name in s.execute(select(Township.origin_installation, Township.name)
                                .order_by(Township.created_at, Township.id)):
        if inst not in out:
            out[inst] = Laptop(inst, name, inst == local_installation)
    for inst in ids:
        if inst not in out:
            out[inst] = Laptop(inst, None, inst == local_installation)
    return out


# ---------------------------------------------------------------------------------------------- files


def _file_refs(s: Session, victim_ids: Iterable[str]) -> dict[str, FileRef]:
    ids = sorted(set(victim_ids))
    out: dict[str, FileRef] = {}
    for i in range(0, len(ids), 500):
        rows = s.execute(select(Victim.id, Victim.file_number, Township.name, Victim.name, Victim.alias,
                                Victim.hidden_name)
                         .join(Township, Township.id == Victim.township_id, isouter=True)
                         .where(Victim.id.in_(ids[i:i + 500])))
        for vid, number, township, name, alias, hidden in rows:
            shown = HIDDEN_NAME if hidden else mask_name(name or alias)
            out[vid] = FileRef(vid, number, township, shown)
    return out


def _owning_files(s: Session, rows: Sequence[MergeConflict]) -> tuple[dict[str, str], dict[str, str]]:
    """record id → the file (victim id) it belongs to; record id → a label for records outside a file."""
    owner: dict[str, str] = {}
    label: dict[str, str] = {}
    by_type: dict[str, set[str]] = {}
    for c in rows:
        by_type.setdefault(c.record_type, set()).add(c.record_id)
    for rtype, ids in by_type.items():
        model = MODEL_BY_RECORD_TYPE.get(rtype)
        if model is None:
            continue
        id_list = sorted(ids)
        if model is Victim:
            owner.update({i: i for i in s.scalars(select(Victim.id).where(Victim.id.in_(id_list)))})
        elif model is ReferralEvent:
            owner.update(_pairs(s.execute(select(ReferralEvent.id, LegalAidReferral.victim_id)
                                        .join(LegalAidReferral, LegalAidReferral.id == ReferralEvent.referral_id)
                                        .where(ReferralEvent.id.in_(id_list)))))
        elif "victim_id" in model.__table__.columns:
            owner.update(_pairs(s.execute(select(model.id, model.victim_id).where(model.id.in_(id_list)))))
        elif model is Case:
            label.update({i: ref for i, ref in s.execute(select(Case.id, Case.police_case_ref)
                                                         .where(Case.id.in_(id_list))) if ref})
        elif model is Township:
            label.update(_pairs(s.execute(select(Township.id, Township.name).where(Township.id.in_(id_list)))))
        elif model is User:
            label.update(_pairs(s.execute(select(User.id, User.display_name).where(User.id.in_(id_list)))))
    return owner, label


def _masked(record_type: str, field: str, text: str | None, hidden_name: bool) -> Any:
    model = MODEL_BY_RECORD_TYPE.get(record_type)
    if model is None or field not in model.__table__.columns:
        return None if text is None else "…"  # a record type this version does not know: show nothing of it
    value = stored_value(model.__table__.columns[field], text)
    if hidden_name and model is Victim and field in ("name", "alias") and value:
        return HIDDEN_NAME
    return mask_field(field, value)


# ---------------------------------------------------------------------------------------------- the views


def _bundle_laptops(s: Session, bundle_ids: Iterable[str], local_installation: str) -> dict[str, Laptop]:
    ids = sorted({b for b in bundle_ids if b})
    origin = _pairs(s.execute(select(ImportedBundle.bundle_id, ImportedBundle.origin_installation)
                            .where(ImportedBundle.bundle_id.in_(ids)))) if ids else {}
    known = laptops(s, local_installation, origin.values())
    return {b: known[inst] for b, inst in origin.items()}


def conflict_views(s: Session, rows: Sequence[MergeConflict], local_installation: str) -> list[ConflictView]:
    owner, label = _owning_files(s, rows)
    files = _file_refs(s, owner.values())
    hidden = {vid for vid, in s.execute(select(Victim.id).where(Victim.id.in_(sorted(set(owner.values()))),
                                                                Victim.hidden_name.is_(True)))} if owner else set()
    by_bundle = _bundle_laptops(s, (c.bundle_id for c in rows), local_installation)
    out = []
    for c in rows:
        vid = owner.get(c.record_id)
        is_hidden = vid in hidden
        out.append(ConflictView(
            c.id, c.record_type, c.record_id, c.field,
            _masked(c.record_type, c.field, c.local_value, is_hidden),
            _masked(c.record_type, c.field, c.incoming_value, is_hidden),
            c.field in IDENTITY_MASKS, files.get(vid) if vid else None, label.get(c.record_id),
            by_bundle.get(c.bundle_id), c.created_at))
    return out


def duplicate_views(s: Session, rows: Sequence[DuplicateFlag], local_installation: str) -> list[DuplicateView]:
    files = _file_refs(s, [i for d in rows for i in (d.victim_id, d.other_victim_id)])
    by_bundle = _bundle_laptops(s, (d.bundle_id for d in rows if d.bundle_id), local_installation)

    def ref(vid: str) -> FileRef:  # a file deleted since it was flagged: no number to show
        return files.get(vid) or FileRef(vid, "", None, "")

    return [DuplicateView(d.id, d.reason, ref(d.victim_id), ref(d.other_victim_id),
                          by_bundle.get(d.bundle_id) if d.bundle_id else None, d.created_at, d.status) for d in rows]


def signer_name(cert: x509.Certificate) -> str:
    """The signer's common name (a staff member, e.g. 青龙镇社工) as it is kept in an import report."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return (str(names[0].value) if names else cert.subject.rfc4514_string())[:100]


def _issued_names(s: Session, fingerprints: Iterable[str]) -> dict[str, str]:
    """Signer names of imports made before the report kept them, from the certificates this laptop knows."""
    wanted = sorted(set(fingerprints))
    out: dict[str, str] = {}
    if not wanted:
        return out
    for fp, data in s.execute(select(PkiObject.fingerprint, PkiObject.data).where(PkiObject.fingerprint.in_(wanted))):
        try:
            out[fp] = signer_name(x509.load_pem_x509_certificate(data))
        except ValueError:
            continue
    return out


def import_views(s: Session, rows: Sequence[ImportedBundle], local_installation: str) -> list[ImportView]:
    known = laptops(s, local_installation, (b.origin_installation for b in rows))
    reports: dict[str, dict[str, Any]] = {}
    for b in rows:
        try:
            doc = json.loads(b.report or "{}")
        except ValueError:
            doc = {}
        reports[b.bundle_id] = doc if isinstance(doc, dict) else {}
    missing = [b.author_fingerprint for b in rows if not isinstance(reports[b.bundle_id].get("signed_by"), str)]
    names = _issued_names(s, missing)
    out = []
    for b in rows:
        signed = reports[b.bundle_id].get("signed_by")
        out.append(ImportView(b.bundle_id, b.sequence, b.kind, b.created_at, b.imported_at,
                              known[b.origin_installation],
                              signed if isinstance(signed, str) else names.get(b.author_fingerprint), b.report))
    return out
