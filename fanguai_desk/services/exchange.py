"""Township export and supervisor import of encrypted, signed bundles (see exchange/ and docs/exchange-format.md).

Import checks, in this order, and refuses with one code per reason:
not addressed to this supervisor → altered (any byte) / bad signature → author's certificate not from the
county CA, expired or revoked → payload format or schema unknown → replay (sequence or bundle already seen)
or gap (an earlier bundle missing: a warning the supervisor may accept) → any record breaking a core rule.
The merge runs in one transaction: a refused, failed or interrupted import changes nothing.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from cryptography import x509
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.domain.errors import AccessDenied, FanguaiError, ValidationError
from fanguai_desk.domain.permissions import Permission, installation_refusal
from fanguai_desk.exchange.audit_head import check_and_remember as check_audit_head
from fanguai_desk.exchange.audit_head import header_fields as audit_head_fields
from fanguai_desk.exchange.authorisation import Authoriser
from fanguai_desk.exchange.bundle_set import (
    MAX_PART_INFLATED,
    PartEntry,
    check_files,
    check_part_header,
    entry_for,
    is_list,
    part_file_name,
    read_list,
    too_large,
)
from fanguai_desk.exchange.delivery import held_through, holdings, next_sequence, sent_bundle
from fanguai_desk.exchange.digest import Table, difference, id_key
from fanguai_desk.exchange.envelope import (
    ExchangeError,
    decrypt_enveloped,
    fingerprint,
    open_signed,
    recipients_in,
    sign_and_encrypt,
    sign_only,
    unwrap,
    verify_signed_der,
)
from fanguai_desk.exchange.exporter import (
    EXPORT_ORDER,
    PART_BYTES,
    PART_FILES,
    ExportSelection,
    PartSpec,
    build_records_payload,
    build_statistics_payload,
    plan_parts,
)
from fanguai_desk.exchange.importer import ImportReport, Merger, stored_value
from fanguai_desk.exchange.payload import FORMAT, FORMAT_VERSION, PayloadWriter, read_lines
from fanguai_desk.exchange.preparing import HELPER_FROM_RECORDS, Preparer, prepare_line
from fanguai_desk.exchange.receipts import decode_receipt, encode_receipt, receipt_content
from fanguai_desk.exchange.review_flags import store_review_flags
from fanguai_desk.pki.binding import binding_of
from fanguai_desk.pki.ca import CertUsage
from fanguai_desk.pki.enrolment import certificate_usage
from fanguai_desk.progress import Progress, Steps, one_step
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.exchange_views import (
    ConflictView,
    DuplicateView,
    ImportView,
    Laptop,
    conflict_views,
    duplicate_views,
    import_views,
    laptops,
    signer_name,
)
from fanguai_desk.services.pki import PkiService, load_certificate
from fanguai_desk.services.unit_of_work import UnitOfWork
from fanguai_desk.store.atomic import atomic_write_bytes
from fanguai_desk.store.clock import utcnow
from fanguai_desk.store.closed_files import LIFECYCLE_WRITE
from fanguai_desk.store.deferred_indexes import DeferredIndexes, worth_deferring
from fanguai_desk.store.engine import (
    PAGE_CACHE_MIN_KIB,
    bulk_cache_kib,
    larger_page_cache,
    refresh_statistics,
)
from fanguai_desk.store.journal import Epoch, current_epoch, journal_head
from fanguai_desk.store.models import (
    MODEL_BY_RECORD_TYPE,
    ChangeJournal,
    DuplicateFlag,
    ExchangePeer,
    ImportedBundle,
    MergeConflict,
    ReceivedStatistics,
    SentBundle,
    Tombstone,
    new_uuid,
)
from fanguai_desk.store.schema import known_revisions


@dataclass(frozen=True)
class ExportOutcome:
    bundle: bytes
    bundle_id: str
    sequence: int
    counts: dict[str, int]
    tombstones: int
    kind: str
    scope: str = "full"
    changes_from: int | None = None
    changes_to: int | None = None
    parts: tuple[str, ...] = ()  # a bundle set: the part files written beside ``bundle`` (the set's list)


HISTORY_IN_HEADER = 64  # earlier bundles' (number, from, to) in each header, so the county can name a lost one


def acked_for(peer: ExchangePeer, epoch: Epoch) -> int:
    """What the supervisor's last receipt says it holds of this laptop's current epoch."""
    if peer.acked_epoch == epoch.id:
        return peer.acked_through or 0
    if peer.acked_epoch is not None and peer.acked_epoch == epoch.parent:
        return min(peer.acked_through or 0, epoch.base)
    return 0


@dataclass
class BundlePreview:
    """What a bundle holds, read and verified before anything is written."""

    bundle_id: str
    kind: str
    sequence: int
    created_at: datetime
    author: str  # the signer certificate's subject (a staff member, not a victim)
    origin_installation: str
    counts: dict[str, int] = field(default_factory=dict)
    tombstones: int = 0
    gap: int = 0  # how many earlier bundles from this laptop were never imported
    missing_changes: tuple[int, int] | None = None  # (held, first change of this bundle): what is missing
    missing_sequences: list[int] = field(default_factory=list)  # the bundle numbers that carried it
    disk_needed: int = 0  # bytes of free disk the import needs (its write-ahead log), see import_disk_need
    disk_free: int = 0  # bytes free on the registry's disk when the bundle was read
    laptop: Laptop | None = None  # the sending laptop by the township it was set up for (services/exchange_views)


@dataclass
class ImportOutcome:
    preview: BundlePreview
    report: ImportReport
    dry_run: bool
    # the exporting laptop's audit chain against the last head kept for it: "extends"/"first" are fine;
    # "rewritten", "truncated", "unverifiable", "missing" must be looked into (exchange/audit_head.py)
    audit_chain: str = "first"


MAX_BUNDLE_FILE = 2 * 1024**3


def import_disk_need(inflated_bytes: int) -> int:
    """Free disk an import needs before it starts: the one transaction's write-ahead log holds every page it
    writes (the rows, their indexes, journal and sync rows: measured 1.42 × the records' inflated size for a
    whole county of 100,000 files), and when it commits the database grows by as much while that log still
    exists (together 2.83 ×) — three times the inflated size, plus a margin."""
    return 3 * inflated_bytes + 64 * 1024**2


def _declared_rows(entries: Sequence[PartEntry]) -> dict[str, int]:
    """Table → rows a bundle set's list declares (counted per record type in each part)."""
    rows: dict[str, int] = {}
    for entry in entries:
        for record_type, n in entry.counts.items():
            model = MODEL_BY_RECORD_TYPE.get(record_type)
            if model is not None and isinstance(n, int):
                rows[model.__tablename__] = rows.get(model.__tablename__, 0) + n
    # every record inserted is numbered in the change journal by a trigger (store/journal.py): a row each
    rows[ChangeJournal.__tablename__] = sum(rows.values())
    return rows


def free_disk(folder: Path) -> int:
    """Bytes free on the disk holding ``folder`` (the registry's data folder)."""
    return shutil.disk_usage(folder).free


def check_v2_header(header: dict[str, Any]) -> None:
    """The v2 fields (docs/exchange-format.md): delivery by change number and the bundle set."""
    delivery, bundle_set = header.get("delivery"), header.get("set")
    if not isinstance(delivery, dict) or not isinstance(bundle_set, dict):
        raise ExchangeError("bundle_malformed", part="header")
    ints = ("epoch_base", "changes_from", "changes_to", "resend_of")
    if not isinstance(delivery.get("epoch"), str) or not isinstance(delivery.get("epoch_base"), int) \
            or not all(delivery.get(k) is None or (isinstance(delivery[k], int) and not isinstance(delivery[k], bool)
                                                   and delivery[k] >= 0) for k in ints) \
            or (delivery.get("changes_from") is None) != (delivery.get("changes_to") is None) \
            or not (delivery.get("epoch_parent") is None or isinstance(delivery["epoch_parent"], str)):
        raise ExchangeError("bundle_malformed", part="header")
    history = delivery.get("history") or []
    if not isinstance(history, list) or not all(
            isinstance(h, list) and len(h) == 3 and all(isinstance(x, int) for x in h) for h in history):
        raise ExchangeError("bundle_malformed", part="header")
    part, parts = bundle_set.get("part"), bundle_set.get("parts")
    if not isinstance(part, int) or not isinstance(parts, int) or isinstance(part, bool) or isinstance(parts, bool) \
            or not isinstance(bundle_set.get("set_id"), str) or (not (part, parts) == (1, 1) and not 0 <= part <= parts):
        raise ExchangeError("bundle_format_unknown", found=f"set part {part}/{parts}")


def delivery_columns(header: dict[str, Any]) -> dict[str, Any]:
    delivery = header.get("delivery")
    if not isinstance(delivery, dict):
        return {}
    return {"epoch": delivery["epoch"], "epoch_parent": delivery.get("epoch_parent"),
            "epoch_base": delivery.get("epoch_base"), "changes_from": delivery.get("changes_from"),
            "changes_to": delivery.get("changes_to")}


def gap_error(preview: BundlePreview) -> ExchangeError:
    """Name exactly what is missing (the front ends say how to ask the township for it)."""
    # the laptop by its township (or, for one never heard from, the signer's name): never its installation id
    laptop = (preview.laptop.township if preview.laptop is not None else None) or subject_name(preview.author)
    numbers = ", ".join(str(n) for n in preview.missing_sequences) or "?"
    first = str(preview.missing_sequences[0]) if preview.missing_sequences else "?"
    changes = "?" if preview.missing_changes is None else \
        f"{preview.missing_changes[0] + 1}–{preview.missing_changes[1]}"
    return ExchangeError("bundle_gap", missing=preview.gap, sequences=numbers, laptop=laptop, changes=changes,
                         first=first)


def subject_name(subject: str) -> str:
    """The CN of an RFC 4514 subject ("CN=青龙镇社工,OU=青龙镇,…" → "青龙镇社工")."""
    parts = dict(p.split("=", 1) for p in subject.split(",") if "=" in p)
    return parts.get("CN", subject)[:100]


def read_bundle(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BUNDLE_FILE:
            raise ExchangeError("bundle_malformed", part="envelope")
        return path.read_bytes()
    except OSError:
        raise ExchangeError("bundle_unreadable") from None


class ReceivedTransfer(Protocol):
    @property
    def outcome(self) -> ImportOutcome | None: ...


class TransferReceiver(Protocol):
    """What the import hands a transfer bundle to: ``services/transfer.py``, wired in by the composition root
    (``services/desk.py``), so that this module need not import the one that imports it."""

    def receive(self, bundle: bytes | Path, *, dry_run: bool = False) -> ReceivedTransfer: ...

    def receive_opened(self, payload: bytes, signer: x509.Certificate, recipient_fp: str, *,
                       header: dict[str, Any] | None = None, dry_run: bool = False) -> ReceivedTransfer: ...


class ExchangeService(ServiceBase):
    def __init__(self, desk: UnitOfWork, *, pki: PkiService, transfers: TransferReceiver) -> None:
        super().__init__(desk)
        self.pki = pki
        self.transfers = transfers

    # ------------------------------------------------------------------ export (township)

    def export(self, recipient_cert_pem: bytes, *, victim_ids: Sequence[str] | None = None,
               statistics_only: bool = False, year: int | None = None,
               write: Callable[[bytes], None] | None = None, include_attachments: bool = False,
               catch_up: bool = False, resend: int | None = None,
               progress: Progress | None = None, out: Path | None = None,
               part_files: int | None = None, part_bytes: int | None = None) -> ExportOutcome:
        """Build, sign and encrypt a bundle (docs/exchange-format.md, "Delivery").

        Records travel by change number, never by time: a normal export carries every change after the
        last one *written* to this supervisor; ``catch_up`` every change after what the supervisor's last
        signed receipt says it holds (everything, without a receipt); ``resend`` re-creates the changes of
        an earlier bundle number (its current state) under a new number.  The bundle number is committed
        before the file is written (a number is never used twice, even if the export is killed); ``write``
        (e.g. an atomic file write) runs before the export is recorded as written.  ``progress`` hears the
        stages of ``STAGES["export"]`` (fanguai_desk/progress.py).

        ``out``: the service writes the file itself (atomically), and an export of more than ``part_files``
        files (default ``PART_FILES``) or ``part_bytes`` of inflated payload (default ``PART_BYTES``) becomes a
        *bundle set* — ``out`` is then the set's signed list and the
        parts are written beside it (exchange/bundle_set.py), one part in memory at a time.  With ``write``
        alone the export is always one bundle, held whole in memory."""
        self.uow.require(Permission.EXPORT)
        recipient = load_certificate(recipient_cert_pem)
        if certificate_usage(recipient) is not CertUsage.ENCRYPTION:
            raise ValidationError("certificate_usage_mismatch")
        pki = self.pki
        material = pki.signing_material()
        ca = pki.trusted_ca()
        if ca is not None:
            from fanguai_desk.pki.validation import CertStatus, certificate_status

            status = certificate_status(recipient, ca, pki.crls(), datetime.now(UTC))
            if status is not CertStatus.VALID:
                raise ExchangeError(f"recipient_{status.value}")
        rfp = fingerprint(recipient)
        bundle_id = new_uuid()
        kind = "statistics" if statistics_only else "records"
        chosen = bool(victim_ids)
        # 1. Hand out the bundle number and decide the change range; committed before anything is written.
        with self.uow.tx() as s:
            epoch = current_epoch(s)
            assert epoch is not None
            peer = s.get(ExchangePeer, rfp) or ExchangePeer(recipient_fingerprint=rfp, last_sequence=0,
                                                            sent_through=0, acked_through=0)
            peer.recipient_subject = recipient.subject.rfc4514_string()[:300]
            if peer.epoch != epoch.id:
                # First export, first after the upgrade to numbered delivery, or first after a restore: what
                # was written before the fork still counts; bundle numbers start again in the new epoch.
                peer.sent_through = min(peer.sent_through or 0, epoch.base) \
                    if peer.epoch is not None and peer.epoch == epoch.parent else 0
                peer.epoch = epoch.id
            head = journal_head(s)
            changes: tuple[int, int] | None = None
            resend_of: int | None = None
            if statistics_only or chosen:
                scope = "statistics" if statistics_only else "selection"
            elif resend is not None:
                earlier = sent_bundle(s, rfp, epoch.id, resend)
                if earlier is None or earlier.changes_from is None or earlier.changes_to is None:
                    raise ExchangeError("resend_unknown", sequence=resend)
                changes, scope, resend_of = (earlier.changes_from, earlier.changes_to), "resend", resend
            elif catch_up:
                changes, scope = (acked_for(peer, epoch), head), "catch_up"
            else:
                low = peer.sent_through or 0
                changes, scope = (low, head), ("incremental" if low else "full")
            sequence = next_sequence(s, rfp, epoch.id)
            history = [[b.sequence, b.changes_from, b.changes_to] for b in s.scalars(
                select(SentBundle).where(SentBundle.recipient_fingerprint == rfp, SentBundle.epoch == epoch.id,
                                         SentBundle.changes_from.is_not(None))
                .order_by(SentBundle.sequence.desc()).limit(HISTORY_IN_HEADER))][::-1]
            s.add(SentBundle(bundle_id=bundle_id, recipient_fingerprint=rfp, epoch=epoch.id, sequence=sequence,
                             kind=scope, changes_from=changes[0] if changes else None,
                             changes_to=changes[1] if changes else None, resend_of=resend_of, state="reserved"))
            peer.last_sequence = sequence
            peer.last_bundle_id = bundle_id
            peer.last_export_at = utcnow()
            s.add(peer)
            head_fields = audit_head_fields(s, rfp[:16])  # the chain head travels (exchange/audit_head.py)
        header: dict[str, Any] = {
            "bundle_id": bundle_id, "created_at": utcnow().isoformat(),
            "schema_revision": self.uow.registry.schema_revision, "registry_id": self.uow.registry.registry_id,
            "installation_id": self.uow.registry.installation_id, "author_user_id": self.uow.actor.user_id,
            "author_cert_sha256": fingerprint(material.cert), "recipient_cert_sha256": rfp,
            "sequence": sequence, "scope": scope,
            "delivery": {"epoch": epoch.id, "epoch_parent": epoch.parent, "epoch_base": epoch.base,
                         "changes_from": changes[0] if changes else None,
                         "changes_to": changes[1] if changes else None, "resend_of": resend_of,
                         "history": history},
            "set": {"set_id": bundle_id, "part": 1, "parts": 1},
        }
        header.update(head_fields)
        counts: dict[str, int] = {}
        tombstones = 0
        parts: list[str] = []
        try:
            # 2. Build from one read snapshot; 3. write the file(s).
            if not statistics_only and out is not None and write is None:
                with self.uow.read() as rs:
                    selection = ExportSelection(self.uow.visible_township_ids(), victim_ids, changes,
                                                include_attachments)
                    plan = plan_parts(rs, selection, PART_FILES if part_files is None else part_files,
                                      PART_BYTES if part_bytes is None else part_bytes)
                    if len(plan) > 1:  # a bundle set: every part, then the list, written here
                        bundle, counts, tombstones, parts = self._export_set(
                            rs, selection, plan, header, material, recipient, out, progress)
            if not parts:
                if statistics_only:
                    from fanguai_desk.services.statistics import township_statistics_payload

                    # the protected tables only (reports.disclosure): no raw count, no rate leaves the laptop
                    step = one_step(progress, "export_records")
                    stats = township_statistics_payload(self.uow, year or utcnow().year)
                    payload = build_statistics_payload(header, {"statistics": stats})
                    step.finish()
                else:
                    with self.uow.read() as rs:
                        result = build_records_payload(rs, ExportSelection(self.uow.visible_township_ids(),
                                                                           victim_ids, changes,
                                                                           include_attachments), header,
                                                       progress=progress)
                    payload, counts, tombstones = result.payload, result.counts, result.tombstones
                step = one_step(progress, "export_sign")
                bundle = sign_and_encrypt(payload, material.key, material.cert, recipient)
                del payload
                step.finish()
                if write is not None or out is not None:
                    step = one_step(progress, "export_write")
                    # if the file cannot be written, the number stays used but nothing is "sent"
                    if write is not None:
                        write(bundle)
                    elif out is not None:
                        atomic_write_bytes(out, bundle)
                    step.finish()
        except BaseException:
            with contextlib.suppress(Exception), self.uow.tx() as s:
                row = s.get(SentBundle, bundle_id)
                if row is not None:
                    row.state = "failed"
            raise
        # 4. Record it as written: only now does "sent through" move on.
        with self.uow.tx() as s:
            row = s.get(SentBundle, bundle_id)
            stored = s.get(ExchangePeer, rfp)
            assert row is not None and stored is not None
            row.state = "written"
            if changes is not None and scope != "resend" and stored.epoch == epoch.id \
                    and changes[0] <= (stored.sent_through or 0):
                stored.sent_through = max(stored.sent_through or 0, changes[1])
            self.uow.audit(s, AuditAction.EXPORT, "bundle", bundle_id, sequence=sequence, kind=kind, scope=scope,
                            changes=list(changes) if changes else None, counts=counts, tombstones=tombstones,
                            recipient=rfp[:16], audit_seq=header["audit_head"]["seq"], parts=len(parts) or 1)
        return ExportOutcome(bundle, bundle_id, sequence, counts, tombstones, kind, scope,
                             changes[0] if changes else None, changes[1] if changes else None, tuple(parts))

    def _export_set(self, rs: Any, selection: ExportSelection, plan: list[PartSpec], header: dict[str, Any],
                    material: Any, recipient: x509.Certificate, out: Path,
                    progress: Progress | None) -> tuple[bytes, dict[str, int], int, list[str]]:
        """A bundle set (exchange/bundle_set.py): each part built, signed, encrypted and written in turn — one
        part in memory at a time — then the signed list of the parts, last, as the file ``out``."""
        set_id, total = header["bundle_id"], len(plan)
        counts: dict[str, int] = {}
        tombstones = 0
        entries: list[PartEntry] = []
        sent_cases: set[str] = set()
        steps = Steps(progress, "export_parts", total, points=total)
        for number, part in enumerate(plan, 1):
            part.sent_cases = sent_cases
            part_id = new_uuid()
            result = build_records_payload(rs, selection, {**header, "bundle_id": part_id,
                                                           "set": {"set_id": set_id, "part": number,
                                                                   "parts": total}}, part=part)
            data = sign_and_encrypt(result.payload, material.key, material.cert, recipient)
            del result.payload
            name = part_file_name(out, number)
            atomic_write_bytes(out.parent / name, data)
            entries.append(entry_for(number, name, part_id, data, result.inflated_bytes, result.counts,
                                     result.tombstones))
            del data
            for key, n in result.counts.items():
                counts[key] = counts.get(key, 0) + n
            tombstones += result.tombstones
            steps.add()
        steps.finish()
        writer = PayloadWriter()
        writer.line({"t": "header", "format": FORMAT, "format_version": FORMAT_VERSION, "kind": "records", **header,
                     "set": {"set_id": set_id, "part": 0, "parts": total}})
        for entry in entries:
            writer.line(entry.line())
        step = one_step(progress, "export_sign")
        bundle = sign_and_encrypt(writer.finish(), material.key, material.cert, recipient)
        step.finish()
        step = one_step(progress, "export_write")
        atomic_write_bytes(out, bundle)  # last: until the list exists, the parts are no importable set
        step.finish()
        return bundle, counts, tombstones, [e.file for e in entries]

    # ------------------------------------------------------------------ import (supervisor)

    def _open(self, bundle: bytes | Path) -> tuple[bytes, x509.Certificate, str]:
        pki = self.pki
        ca = pki.trusted_ca()
        if ca is None:
            raise ExchangeError("no_trusted_ca")
        # Given a path, the file's bytes live only until unwrapped: one copy fewer of a 100 MB bundle.
        enveloped = unwrap(read_bundle(bundle) if isinstance(bundle, Path) else bundle)
        # The bundle names its recipient; the current key, or one retired by a re-enrolment, may match.
        serials = {serial for _issuer, serial in recipients_in(enveloped)}
        match = next(((cert, key) for cert, key in pki.decryption_candidates() if cert.serial_number in serials),
                     None)
        if match is None:
            raise ExchangeError("bundle_not_for_us")
        cert, get_key = match
        signed_der = decrypt_enveloped(enveloped, get_key(), cert)
        del enveloped  # not kept while the signature is checked: the peak of opening a part (a county import's)
        payload, signer_cert, _status = verify_signed_der(signed_der, ca, pki.crls(), datetime.now(UTC))
        return payload, signer_cert, fingerprint(cert)

    @staticmethod
    def _header(payload: bytes, signer: x509.Certificate, recipient_fp: str) -> dict[str, Any]:
        lines = read_lines(payload)
        header = next(lines, None)
        if not header or header.get("t") != "header" or header.get("format") != FORMAT:
            raise ExchangeError("bundle_malformed", part="header")
        if header.get("format_version") != FORMAT_VERSION:
            raise ExchangeError("bundle_format_unknown", found=str(header.get("format_version")))
        if header.get("schema_revision") not in known_revisions():
            raise ExchangeError("bundle_schema_newer", found=str(header.get("schema_revision")))
        if header.get("recipient_cert_sha256") != recipient_fp:
            raise ExchangeError("bundle_not_for_us")
        if header.get("author_cert_sha256") != fingerprint(signer):
            raise ExchangeError("bundle_altered", part="header")
        for key in ("bundle_id", "installation_id", "registry_id", "created_at"):
            if not isinstance(header.get(key), str):
                raise ExchangeError("bundle_malformed", part="header")
        if not isinstance(header.get("sequence"), int) or header["sequence"] < 1:
            raise ExchangeError("bundle_malformed", part="header")
        if header.get("kind") != "transfer":  # transfers take no part in township → county delivery
            check_v2_header(header)
        return header

    def preview(self, bundle: bytes | Path) -> BundlePreview:
        """Verify and describe a bundle without writing anything (the UI shows this before importing)."""
        self.uow.require(Permission.IMPORT)
        payload, signer, rfp = self._open(bundle)
        header = self._header(payload, signer, rfp)
        entries, _paths = self._set_files(bundle, payload, header)
        preview = self._describe(header, signer)
        counts: dict[str, int] = {}
        preview.disk_needed = import_disk_need(sum(e.inflated_bytes for e in entries) if entries
                                               else int(header.get("inflated_bytes") or 0))
        preview.disk_free = free_disk(self.uow.registry.data_dir)
        if entries:  # a set: what its signed list declares (every part's file was checked against it)
            for entry in entries:
                for key, n in entry.counts.items():
                    if key in MODEL_BY_RECORD_TYPE:
                        counts[key] = counts.get(key, 0) + n
                preview.tombstones += entry.tombstones
            preview.counts = counts
            return preview
        for line in read_lines(payload):
            if line.get("t") == "record":
                counts[str(line.get("type"))] = counts.get(str(line.get("type")), 0) + 1
            elif line.get("t") == "tombstone":
                preview.tombstones += 1
        preview.counts = counts
        return preview

    def _describe(self, header: dict[str, Any], signer: x509.Certificate) -> BundlePreview:
        delivery = header["delivery"]  # checked by check_v2_header
        with self.uow.read() as s:
            seen = s.get(ImportedBundle, header["bundle_id"])
            same_number = s.scalar(select(ImportedBundle.bundle_id).where(
                ImportedBundle.origin_installation == header["installation_id"],
                ImportedBundle.epoch == delivery["epoch"], ImportedBundle.sequence == header["sequence"],
                ImportedBundle.recipient_fingerprint == header["recipient_cert_sha256"]))
            if seen is not None or same_number is not None:
                raise ExchangeError("bundle_replayed", sequence=header["sequence"], last=header["sequence"])
            gap, missing_changes, missing_sequences = 0, None, []
            inst = header["installation_id"]
            laptop = laptops(s, self.uow.registry.installation_id, [inst])[inst]
            low = delivery.get("changes_from")
            if low is not None:
                held = held_through(s, header["installation_id"], delivery["epoch"],
                                    delivery.get("epoch_parent"), delivery.get("epoch_base") or 0)
                if low > held:
                    missing_changes = (held, low)
                    imported = set(s.scalars(select(ImportedBundle.sequence).where(
                        ImportedBundle.origin_installation == header["installation_id"],
                        ImportedBundle.epoch == delivery["epoch"])))
                    missing_sequences = sorted(
                        {int(n) for n, lo, hi in delivery.get("history") or []
                         if hi > held and lo < low and n not in imported})
                    gap = max(1, len(missing_sequences))
        try:
            created = datetime.fromisoformat(header["created_at"])
        except ValueError:
            raise ExchangeError("bundle_malformed", part="header") from None
        author = signer.subject.rfc4514_string()
        return BundlePreview(header["bundle_id"], header.get("kind", "records"), header["sequence"], created,
                             author, header["installation_id"], gap=gap, missing_changes=missing_changes,
                             missing_sequences=missing_sequences, laptop=laptop)

    def import_bundle(self, bundle: bytes | Path, *, accept_gap: bool = False,
                      dry_run: bool = False, progress: Progress | None = None,
                      before_start: Callable[[BundlePreview], None] | None = None) -> ImportOutcome:
        """Check and merge a bundle, all or nothing.  ``progress`` hears the stages of ``STAGES["import"]``
        (fanguai_desk/progress.py); a transfer bundle reports none.  ``before_start`` hears the verified bundle's
        preview — with the free disk the import needs and has — once it passed every check that needs nothing
        written, before the merge starts."""
        # A transfer bundle (one file handed over, services/transfer.py) comes through the same import, with the
        # same checks; a township user may import those (and only those).
        if not self.uow.can(Permission.IMPORT):
            try:
                result = self.transfers.receive(bundle, dry_run=dry_run)
            except AccessDenied:  # a records bundle on a laptop that does not import them: nothing written
                raise
            except FanguaiError as exc:
                # On a township laptop a bundle addressed to nobody here is, most likely, a township's bundle
                # for the county: say where it is imported (nothing was written).
                if exc.code == "bundle_not_for_us" and installation_refusal(Permission.IMPORT, self.uow.installation):
                    raise ExchangeError("bundle_not_for_this_township") from None
                self._audit_refusal(exc, {})  # a refused transfer is on the record like any refused import
                raise
            assert result.outcome is not None
            return result.outcome
        seen: dict[str, str] = {}
        try:
            return self._import(bundle, accept_gap=accept_gap, dry_run=dry_run, seen=seen, progress=progress,
                                before_start=before_start)
        except FanguaiError as exc:
            self._audit_refusal(exc, seen)
            raise

    def _audit_refusal(self, exc: FanguaiError, seen: dict[str, str]) -> None:
        """A refused import leaves an audit entry: the code, the bundle id and signer fingerprint if they
        were read — never anything from the records (docs/security-model.md)."""
        detail: dict[str, Any] = {"refused": exc.code}
        for key in ("record_type", "record_id", "reason", "rule", "signer"):
            if isinstance(exc.params.get(key), str):
                detail["offending_" + key if key in ("record_type", "record_id") else key] = exc.params[key]
        if "signer" in seen:
            detail["signer"] = seen["signer"]
        try:
            with self.uow.tx() as s:
                self.uow.audit(s, AuditAction.IMPORT, "bundle", seen.get("bundle_id"), **detail)
        except FanguaiError:  # a read-only registry cannot record it; the refusal itself still stands
            pass

    def _import(self, bundle: bytes | Path, *, accept_gap: bool, dry_run: bool,
                seen: dict[str, str], progress: Progress | None = None,
                before_start: Callable[[BundlePreview], None] | None = None) -> ImportOutcome:
        step = one_step(progress, "import_open")
        try:
            payload, signer, rfp = self._open(bundle)
        except ExchangeError as exc:
            if exc.code != "author_untrusted":
                raise
            try:  # perhaps a transfer from a peer county this installation trusts
                result = self.transfers.receive(bundle, dry_run=dry_run)
            except ExchangeError as other:
                if other.code == "transfer_untrusted_county":
                    raise exc from None  # not from a trusted county either: the author is untrusted
                raise
            assert result.outcome is not None
            return result.outcome
        seen["signer"] = fingerprint(signer)
        header = self._header(payload, signer, rfp)
        seen["bundle_id"] = str(header["bundle_id"])
        if header.get("kind") == "transfer":
            result = self.transfers.receive_opened(payload, signer, rfp, header=header, dry_run=dry_run)
            assert result.outcome is not None
            return result.outcome
        entries, paths = self._set_files(bundle, payload, header)
        preview = self._describe(header, signer)
        if preview.gap and not accept_gap:
            raise gap_error(preview)
        if header.get("kind", "records") not in ("records", "statistics"):
            raise ExchangeError("bundle_format_unknown", found=str(header.get("kind")))
        incoming = sum(e.inflated_bytes for e in entries) if entries else int(header.get("inflated_bytes") or 0)
        if not entries and incoming > MAX_PART_INFLATED:  # a set's parts: checked against its list already
            raise too_large(1, 1, incoming, MAX_PART_INFLATED)
        preview.disk_needed = import_disk_need(incoming)
        free = preview.disk_free = free_disk(self.uow.registry.data_dir)
        if free < preview.disk_needed:  # said before anything is written, not found out half-way
            raise ExchangeError("import_disk_space", needed_mb=-(-preview.disk_needed // 2**20), free_mb=free // 2**20)
        if before_start is not None:  # e.g. the CLI says how much disk the import needs
            before_start(preview)
        step.finish()
        if entries:
            return self._import_set(header, signer, rfp, preview, entries, paths, dry_run, progress, incoming)
        declared = header.get("inflated_bytes")
        merge = Steps(progress, "import_merge", declared if isinstance(declared, int) else 0)
        # the page cache is back to its size before the commit (store/engine.larger_page_cache)
        with self.uow.tx_or_dry_run(dry_run) as s, larger_page_cache(s.connection(), bulk_cache_kib(incoming)):
            authoriser = Authoriser(s, binding_of(signer), header) if preview.kind == "records" else None
            merger = Merger(s, bundle_id=header["bundle_id"], origin_installation=header["installation_id"],
                            local_installation=self.uow.registry.installation_id, user_id=self.uow.actor.user_id,
                            authoriser=authoriser, epoch=delivery_columns(header).get("epoch"))
            prints: list[Any] = []
            attachments: list[tuple[Any, list[bytes]]] = []
            flag_lines: list[Any] = []
            stats = self._merge_lines(map(prepare_line, read_lines(payload, inflated=merge.to)), merger,
                                      preview.kind, prints, attachments, flag_lines)
            merge.finish()
            step = one_step(progress, "import_check")
            # The township's review flags once its files are written, before the county's own re-check
            # (which then does not raise a second flag for the same record and rule): exchange/review_flags.py.
            merger.flush()
            flags = store_review_flags(s, flag_lines, str(header["installation_id"]), authoriser)
            report = merger.finish()
            report.added["print"] = store_print_log(s, prints, str(header["installation_id"]))
            if attachments:
                report.added["attachment"] = store_attachments(s, attachments, str(header["installation_id"]))
            del attachments
            extra: dict[str, Any] = {"review_flags": {
                "received": flags.added, "closed_at_township": flags.closed, "superseded": flags.superseded,
                "raised_here": report.review_flags}}
            if preview.kind == "statistics":
                self._store_statistics(s, header, stats, signer, preview.created_at)
                extra["statistics"] = {"year": (stats or {}).get("year"),
                                       "townships": [t.get("name") for t in (stats or {}).get("townships") or []]}
            chain = self._record_import(s, header, signer, rfp, preview, report, extra, dry_run)
            step.finish()
            step = one_step(progress, "import_save")
        if not dry_run:
            refresh_statistics(self.uow.registry.engine)
        step.finish()
        return ImportOutcome(preview, report, dry_run, chain)

    def _record_import(self, s: Session, header: dict[str, Any], signer: x509.Certificate, rfp: str,
                       preview: BundlePreview, report: ImportReport, extra: dict[str, Any], dry_run: bool,
                       **audit_extra: Any) -> str:
        """The import history row and the audit entry, one for a single bundle or a whole set; returns how the
        sender's audit chain relates to the last one seen (``check_audit_head``)."""
        preview.counts = {**report.added}
        summary = json.loads(report.to_json())
        chain = check_audit_head(s, header)
        summary["audit_chain"] = chain
        summary["signed_by"] = signer_name(signer)  # a staff member's name, shown in the import history
        summary.update(extra)
        s.add(ImportedBundle(bundle_id=header["bundle_id"], kind=preview.kind,
                             origin_installation=header["installation_id"], origin_registry=header["registry_id"],
                             author_fingerprint=header["author_cert_sha256"], recipient_fingerprint=rfp,
                             sequence=header["sequence"], created_at=preview.created_at.replace(tzinfo=None),
                             imported_by=self.uow.actor.user_id, report=json.dumps(summary, sort_keys=True),
                             **delivery_columns(header)))
        self.uow.audit(s, AuditAction.IMPORT, "bundle", header["bundle_id"], sequence=header["sequence"],
                        gap_accepted=preview.gap, added=sum(report.added.values()),
                        updated=sum(report.updated.values()), conflicts=report.conflicts,
                        duplicates=report.duplicates, deleted=report.deleted, dry_run=dry_run,
                        audit_chain=chain, **audit_extra)
        return chain

    def _set_files(self, bundle: bytes | Path, payload: bytes,
                   header: dict[str, Any]) -> tuple[list[PartEntry], list[Path]]:
        """For a bundle set's list: its parts, each file checked byte for byte against it (before anything is
        decrypted or written).  Nothing for a single bundle; a part given on its own is refused."""
        bundle_set = header.get("set") or {}
        if bundle_set.get("parts", 1) > 1 and bundle_set.get("part") != 0:
            raise ExchangeError("bundle_set_part", part=bundle_set.get("part"), total=bundle_set.get("parts"))
        if not is_list(header):
            return [], []
        if not isinstance(bundle, Path):
            raise ExchangeError("bundle_set_needs_files")
        entries = read_list(read_lines(payload), header)
        return entries, check_files(bundle.parent, entries, MAX_BUNDLE_FILE)

    def _import_set(self, header: dict[str, Any], signer: x509.Certificate, rfp: str, preview: BundlePreview,
                    entries: list[PartEntry], paths: list[Path], dry_run: bool,
                    progress: Progress | None, incoming: int) -> ImportOutcome:
        """A bundle set, all or nothing in one transaction, one part in memory at a time: each part opened with
        every check of a single bundle (envelope, signature, author), its header held against the list, its
        records merged and settled (``Merger.end_part``) before the next part is read."""
        total = len(entries)
        steps = Steps(progress, "import_parts", total, points=total)
        # a large set's records are read and checked in a helper process while this one merges
        # (exchange/preparing.py); the page cache is back to its size before the commit
        # (store/engine.larger_page_cache)
        declared = _declared_rows(entries)  # the journal's row count is every record's
        with Preparer(helper=declared[ChangeJournal.__tablename__] >= HELPER_FROM_RECORDS) as preparer, self.uow.tx_or_dry_run(dry_run) as s, \
                larger_page_cache(s.connection(), bulk_cache_kib(incoming)):
            authoriser = Authoriser(s, binding_of(signer), header)
            merger = Merger(s, bundle_id=header["bundle_id"], origin_installation=header["installation_id"],
                            local_installation=self.uow.registry.installation_id, user_id=self.uow.actor.user_id,
                            authoriser=authoriser, epoch=delivery_columns(header).get("epoch"))
            # a table the set more than doubles gets the indexes the import does not read built once, at the
            # end (store/deferred_indexes.py): inserting into them row by row was most of a first import
            deferred = DeferredIndexes(s.connection())
            deferred.suspend(worth_deferring(s.connection(), declared))
            prints_added = attachments_added = 0
            flag_counts = {"received": 0, "closed_at_township": 0, "superseded": 0}

            def open_part(k: int) -> bytes:
                """Part ``k``'s payload, every check of a single bundle made and its header held against the
                list."""
                part_payload, part_signer, part_rfp = self._open(paths[k])
                if fingerprint(part_signer) != fingerprint(signer) or part_rfp != rfp:
                    raise ExchangeError("bundle_set_mismatch", part=entries[k].part, total=total,
                                        file=entries[k].file)
                check_part_header(self._header(part_payload, part_signer, part_rfp), header, entries[k], total)
                return part_payload

            preparer.ahead(open_part(0))
            for k in range(total):
                prints: list[Any] = []
                attachments: list[tuple[Any, list[bytes]]] = []
                flag_lines: list[Any] = []
                self._merge_lines(preparer.lines(), merger, "records", prints, attachments, flag_lines)
                # The next part goes to the helper now, to be read while this one is settled
                # (exchange/preparing.py); a refusal of its opening waits until this part's own are made, so
                # the first refusal is the one part-by-part reading finds.
                refused_next: Exception | None = None
                if k + 1 < total:
                    try:
                        preparer.ahead(open_part(k + 1))
                    except Exception as exc:  # raised below, as it was
                        refused_next = exc
                if flag_lines:  # the township's review flags (last part), before the county's own re-check
                    merger.flush()
                    got = store_review_flags(s, flag_lines, str(header["installation_id"]), authoriser)
                    flag_counts = {"received": flag_counts["received"] + got.added,
                                   "closed_at_township": flag_counts["closed_at_township"] + got.closed,
                                   "superseded": flag_counts["superseded"] + got.superseded}
                merger.end_part()
                prints_added += store_print_log(s, prints, str(header["installation_id"]))
                if attachments:
                    attachments_added += store_attachments(s, attachments, str(header["installation_id"]))
                del attachments
                steps.add()
                if refused_next is not None:
                    raise refused_next
            deferred.restore(cache_kib=PAGE_CACHE_MIN_KIB)
            steps.finish()
            step = one_step(progress, "import_check")
            report = merger.report
            report.added["print"] = prints_added
            if attachments_added:
                report.added["attachment"] = attachments_added
            chain = self._record_import(s, header, signer, rfp, preview, report,
                                        {"review_flags": {**flag_counts, "raised_here": report.review_flags},
                                         "parts": total}, dry_run, parts=total)
            step.finish()
            step = one_step(progress, "import_save")
        if not dry_run:
            refresh_statistics(self.uow.registry.engine)
        step.finish()
        return ImportOutcome(preview, report, dry_run, chain)

    @staticmethod
    def _merge_lines(lines: Any, merger: Merger, kind: str, prints: list[Any],
                     attachments: list[tuple[Any, list[bytes]]], flag_lines: list[Any]) -> dict[str, Any] | None:
        """Hand one payload's lines to the merger; prints, attachments and review flags are collected for after
        it."""
        stats: dict[str, Any] | None = None
        for line in lines:
            if type(line) is tuple:  # a record checked on its own already (exchange/preparing.py)
                merger.add_prepared(line[1], line[2], line[3], line[4])
                continue
            t = line.get("t")
            if t == "print" and kind == "records":
                prints.append(line.get("data"))
            elif t == "attachment" and kind == "records":
                attachments.append((line.get("data"), []))
            elif t == "attachment_chunk" and kind == "records":
                attachments_chunk(attachments, line)
            elif t == "review_flag" and kind == "records":
                flag_lines.append(line.get("data"))
            elif t == "record":
                merger.add_record(str(line.get("type")), line.get("data") or {}, line.get("base"))
            elif t == "tombstone":
                merger.add_tombstone(str(line.get("type")), str(line.get("id")), str(line.get("reason")))
            elif t == "statistics":
                stats = line.get("statistics")
            elif t not in ("header", "end"):
                raise ExchangeError("bundle_malformed", part="payload")
        return stats

    def _store_statistics(self, s: Any, header: dict[str, Any], stats: Any, signer: x509.Certificate,
                          created: datetime) -> None:
        """Keep a statistics-only bundle's protected counts for the county reports (one row per township)."""
        from fanguai_desk.services.statistics import parse_statistics_payload

        if not isinstance(stats, dict):
            raise ExchangeError("bundle_malformed", part="statistics")
        from cryptography.x509.oid import NameOID

        names = signer.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        author = (str(names[0].value) if names else signer.subject.rfc4514_string())[:300]
        for year, code, name, cells in parse_statistics_payload(stats):
            s.add(ReceivedStatistics(bundle_id=header["bundle_id"], year=year, township_code=code,
                                     township_name=name, author=author, created_at=created.replace(tzinfo=None),
                                     cells=json.dumps(cells, ensure_ascii=False, sort_keys=True)))

    def received_statistics(self) -> list[ReceivedStatistics]:
        """The townships' statistics kept from statistics-only bundles, newest first."""
        self.uow.require(Permission.IMPORT)
        with self.uow.read() as s:
            return list(s.scalars(select(ReceivedStatistics).order_by(ReceivedStatistics.imported_at.desc(),
                                                                      ReceivedStatistics.township_code)))

    # ------------------------------------------------------------------ review

    def conflicts(self, status: str = "open") -> list[ConflictView]:
        """Field conflicts by file number, township and laptop, their values masked (services/exchange_views.py)."""
        self.uow.require(Permission.IMPORT)
        with self.uow.read() as s:
            rows = list(s.scalars(select(MergeConflict).where(MergeConflict.status == status)
                                  .order_by(MergeConflict.created_at, MergeConflict.record_id)))
            return conflict_views(s, rows, self.uow.registry.installation_id)

    def resolve_conflict(self, conflict_id: str, keep: str) -> None:
        """Field by field: ``keep`` is "local" or "incoming"."""
        self.uow.require(Permission.IMPORT)
        if keep not in ("local", "incoming"):
            raise ValidationError("enum_value", field="keep", allowed="local,incoming")
        with self.uow.tx() as s:
            c = s.get(MergeConflict, conflict_id)
            if c is None or c.status != "open":
                from fanguai_desk.domain.errors import NotFound

                raise NotFound("record_not_found")
            if keep == "incoming":
                # The supervisor's decision of a merge conflict (also a close against an edit): allowed on a
                # closed file like the merge itself (store/closed_files.py).
                s.info[LIFECYCLE_WRITE] = True
                model = MODEL_BY_RECORD_TYPE[c.record_type]
                row = s.get(model, c.record_id)
                if row is not None:
                    # kept as text (a bool as "True"): back to the column's type (decode_value expects JSON types)
                    setattr(row, c.field, stored_value(model.__table__.columns[c.field], c.incoming_value))
            c.status = "resolved"
            c.resolution = keep
            c.resolved_by = self.uow.actor.user_id
            c.resolved_at = utcnow()
            self.uow.audit(s, AuditAction.UPDATE, c.record_type, c.record_id, op="resolve_conflict",
                            field=c.field, keep=keep)

    def duplicates(self, status: str = "open") -> list[DuplicateView]:
        """Possible duplicates, both files by number, township and masked name (services/exchange_views.py)."""
        self.uow.require(Permission.IMPORT)
        with self.uow.read() as s:
            rows = list(s.scalars(select(DuplicateFlag).where(DuplicateFlag.status == status)
                                  .order_by(DuplicateFlag.created_at)))
            return duplicate_views(s, rows, self.uow.registry.installation_id)

    def review_duplicate(self, flag_id: str, decision: str) -> None:
        self.uow.require(Permission.IMPORT)
        if decision not in ("dismissed", "confirmed"):
            raise ValidationError("enum_value", field="decision", allowed="dismissed,confirmed")
        with self.uow.tx() as s:
            flag = s.get(DuplicateFlag, flag_id)
            if flag is None:
                from fanguai_desk.domain.errors import NotFound

                raise NotFound("record_not_found")
            flag.status = decision
            self.uow.audit(s, AuditAction.UPDATE, "victim", flag.victim_id, op="duplicate_review",
                            decision=decision, other=flag.other_victim_id)

    def imported(self) -> list[ImportView]:
        """Every bundle imported, newest first, with the laptop it came from and who signed it."""
        self.uow.require(Permission.IMPORT)
        with self.uow.read() as s:
            rows = list(s.scalars(select(ImportedBundle).order_by(ImportedBundle.imported_at.desc())))
            return import_views(s, rows, self.uow.registry.installation_id)

    # ------------------------------------------------------------------ delivery: receipts and status

    def receipt(self) -> bytes:
        """County: a signed receipt of what it holds from every laptop (exchange/receipts.py)."""
        self.uow.require(Permission.IMPORT)
        pki = self.pki
        material = pki.signing_material()
        certs = [fingerprint(cert) for cert, _key in pki.decryption_candidates()]
        if not certs:
            raise ExchangeError("receipt_no_certificate")
        with self.uow.read() as s:
            content = receipt_content(s, certs, utcnow())
        data = sign_only(encode_receipt(content), material.key, material.cert)
        with self.uow.tx() as s:
            self.uow.audit(s, AuditAction.EXPORT, "receipt", content["receipt_id"],
                            installations=len(content["installations"]))
        return data

    def import_receipt(self, data: bytes) -> ReceiptOutcome:
        """Township: take in the supervisor's receipt; "acknowledged" moves to what it says is held."""
        self.uow.require(Permission.EXPORT)
        pki = self.pki
        ca = pki.trusted_ca()
        if ca is None:
            raise ExchangeError("no_trusted_ca")
        payload, signer = open_signed(data, ca, pki.crls(), datetime.now(UTC))
        receipt = decode_receipt(payload, self.uow.registry.installation_id)
        with self.uow.tx() as s:
            epoch = current_epoch(s)
            assert epoch is not None
            peers = [p for p in (s.get(ExchangePeer, fp) for fp in receipt.supervisor_certs) if p is not None]
            # Signed by the very person this laptop exports to (their signing and encryption certificates
            # name the same subject): a colleague's certificate cannot silence delivery.
            peer = next((p for p in peers if p.recipient_subject == signer.subject.rfc4514_string()[:300]), None)
            if peer is None:
                raise ExchangeError("receipt_not_ours")
            held = receipt.held(epoch.id)
            acked_epoch = epoch.id
            if held is None and epoch.parent is not None:
                held, acked_epoch = receipt.held(epoch.parent), epoch.parent
            peer.acked_epoch = acked_epoch if held is not None else None
            peer.acked_through = held or 0
            peer.acked_at = receipt.created_at.replace(tzinfo=None)
            kept: dict[str, Any] = {"receipt_id": receipt.receipt_id, "epochs": receipt.epochs}
            if receipt.digests:  # version 2: the digests (exchange/digest.py), about a byte per record
                kept["digests"] = receipt.digests
            else:
                kept.update(records=receipt.records, tombstones=sorted(receipt.tombstones))
            peer.receipt = json.dumps(kept)
            self.uow.audit(s, AuditAction.IMPORT, "receipt", receipt.receipt_id, acked_through=peer.acked_through,
                            recipient=peer.recipient_fingerprint[:16])
        return ReceiptOutcome(receipt.receipt_id, peer.recipient_fingerprint, acked_epoch, held or 0)

    def status(self) -> DeliveryStatus:
        """Both sides: per supervisor what was sent and acknowledged (with the digest comparison of the
        last receipt), and per laptop what was received, held and missing."""
        with self.uow.read() as s:
            epoch = current_epoch(s, create=False)
            head = journal_head(s)
            out = DeliveryStatus(self.uow.registry.installation_id, epoch.id if epoch else None, head)
            local: dict[str, tuple[str, int]] = {}
            tombs: set[str] = set()
            peers = list(s.scalars(select(ExchangePeer).order_by(ExchangePeer.recipient_fingerprint)))
            if any(p.receipt for p in peers):
                for model in EXPORT_ORDER:
                    if model.RECORD_TYPE in ("user", "township"):
                        continue
                    for rid, version in s.execute(select(model.id, model.version)):
                        local[rid] = (model.RECORD_TYPE, version)
                tombs = set(s.scalars(select(Tombstone.record_id)))
            for p in peers:
                in_epoch = epoch is not None and p.epoch == epoch.id
                sent = (p.sent_through or 0) if in_epoch else 0
                acked = acked_for(p, epoch) if epoch is not None else 0
                unwritten = list(s.scalars(select(SentBundle.sequence).where(
                    SentBundle.recipient_fingerprint == p.recipient_fingerprint,
                    SentBundle.epoch == (epoch.id if epoch else ""), SentBundle.state != "written")
                    .order_by(SentBundle.sequence)))
                ps = PeerStatus(p.recipient_fingerprint, p.recipient_subject, p.last_sequence or 0, sent, acked,
                                p.acked_at, _changed_records(s, sent), _changed_records(s, acked), unwritten)
                held = json.loads(p.receipt) if p.receipt else None
                if held is not None and "digests" in held:
                    _compare_digests(ps, held["digests"], local, tombs)
                elif held is not None:
                    records: dict[str, int] = held.get("records", {})
                    county_tombs = set(held.get("tombstones", []))
                    for rid, (rtype, version) in sorted(local.items()):
                        theirs = records.get(rid)
                        if theirs is None:
                            ps.missing_at_county.append((rtype, rid))
                        elif theirs < version:
                            ps.outdated_at_county.append((rtype, rid, version, theirs))
                    ps.deletions_not_at_county = sorted(t for t in tombs if t in records and t not in county_tombs)
                out.peers.append(ps)
            held = sorted(holdings(s).items())
            known = laptops(s, self.uow.registry.installation_id, [inst for (inst, _ep), _h in held])
            for (inst, ep), h in held:
                out.received.append(ReceivedStatus(inst, ep, h.parent, h.base, sorted(h.sequences), h.held_through,
                                                   h.missing(), h.missing_sequences(), known[inst]))
            for inst, n, last in s.execute(select(ImportedBundle.origin_installation, func.count(),
                                                  func.max(ImportedBundle.sequence))
                                           .where(ImportedBundle.epoch.is_(None))
                                           .group_by(ImportedBundle.origin_installation)):
                out.received_v1.append((inst, int(n), int(last)))
        return out


def _compare_digests(ps: PeerStatus, digests: dict[str, Any], local: dict[str, tuple[str, int]],
                     tombs: set[str]) -> None:
    """The receipt's digests against this laptop's records (exchange/digest.py): exactly the records missing or
    older at the county and the deletions it has not received — or, past what the digest can tell apart, how
    many differences there are at least."""
    records, deaths = digests["records"], digests["tombstones"]
    by_key = {id_key(rid): (rtype, rid) for rid, (rtype, _v) in local.items()}
    diff = difference(Table.decode(records["cells"], records["table"]),
                      Table(records["cells"]).add_all((rid, v) for rid, (_t, v) in local.items()))
    theirs = dict(diff.theirs)
    for key, version in diff.ours:
        if key not in by_key:
            continue
        rtype, rid = by_key[key]
        if key not in theirs:
            ps.missing_at_county.append((rtype, rid))
        elif theirs[key] < version:
            ps.outdated_at_county.append((rtype, rid, version, theirs[key]))
    ps.missing_at_county.sort(key=lambda x: x[1])
    ps.outdated_at_county.sort(key=lambda x: x[1])
    tomb_keys = {id_key(t): t for t in tombs}
    tdiff = difference(Table.decode(deaths["cells"], deaths["table"]),
                       Table(deaths["cells"]).add_all((t, 0) for t in tombs))
    ps.deletions_not_at_county = sorted(tomb_keys[k] for k, _v in tdiff.ours if k in tomb_keys and k in theirs)
    ps.digest_complete = diff.complete and tdiff.complete
    ps.differences_at_least = diff.at_least + tdiff.at_least


def _changed_records(s: Any, after: int) -> int:
    return int(s.scalar(select(func.count(func.distinct(ChangeJournal.record_id))).where(
        ChangeJournal.seq > after)) or 0)


@dataclass
class ReceiptOutcome:
    receipt_id: str
    recipient: str
    acked_epoch: str
    acked_through: int


@dataclass
class PeerStatus:
    recipient: str
    subject: str | None
    last_sequence: int
    sent_through: int
    acked_through: int
    acked_at: datetime | None  # the receipt's time, by the county's clock (shown, never compared)
    changed_since_sent: int  # records (and tombstones) with changes not yet in any written bundle
    changed_since_acked: int  # ... not yet confirmed by a receipt: what `export --catch-up` would send
    unwritten_sequences: list[int]  # numbers handed out whose file was never (known to be) written
    missing_at_county: list[tuple[str, str]] = field(default_factory=list)
    outdated_at_county: list[tuple[str, str, int, int]] = field(default_factory=list)
    deletions_not_at_county: list[str] = field(default_factory=list)
    # a receipt's digest lists every difference up to its size; beyond it, only "at least N" (catch up)
    digest_complete: bool = True
    differences_at_least: int = 0


@dataclass
class ReceivedStatus:
    installation_id: str
    epoch: str
    parent: str | None
    base: int
    sequences: list[int]
    held_through: int
    missing_changes: list[tuple[int, int]]
    missing_sequences: list[int]
    laptop: Laptop | None = None  # the sending laptop by the township it was set up for


@dataclass
class DeliveryStatus:
    installation_id: str
    epoch: str | None
    journal_head: int
    peers: list[PeerStatus] = field(default_factory=list)
    received: list[ReceivedStatus] = field(default_factory=list)
    received_v1: list[tuple[str, int, int]] = field(default_factory=list)  # (laptop, bundles, last number)

_PRINT_TEXT = {"doc_id": 16, "secret": 64, "report": 40, "record_type": 40, "record_id": 40, "victim_id": 36,
               "file_number": 32, "signer_fingerprint": 64, "signer_name": 100, "pdf_sha256": 64, "printed_by": 36,
               "installation_id": 36}


def store_print_log(s: Any, rows: Sequence[Any], origin_installation: str) -> int:
    """Print-log lines of a bundle: kept so that paper copies printed at the township verify here.  Only
    prints made on the bundle's own laptop are accepted (a laptop cannot vouch for another's prints); a
    print already known is left as it is.  Anything malformed refuses the bundle."""
    from fanguai_desk.reports.papercode import DOC_ID_CHARS
    from fanguai_desk.store.models import PrintLog

    added = 0
    for raw in rows:
        if not isinstance(raw, dict) or set(raw) != {c.name for c in PrintLog.__table__.columns}:
            raise ExchangeError("bundle_malformed", part="print")
        data: dict[str, Any] = {}
        for key, limit in _PRINT_TEXT.items():
            value = raw[key]
            if value is not None and (not isinstance(value, str) or len(value) > limit):
                raise ExchangeError("bundle_malformed", part="print")
            data[key] = value
        if not isinstance(raw["pages"], int) or isinstance(raw["pages"], bool) or not 0 < raw["pages"] < 10000:
            raise ExchangeError("bundle_malformed", part="print")
        try:
            signed_at = datetime.fromisoformat(str(raw["signed_at"])).replace(tzinfo=None)
            bytes.fromhex(str(raw["secret"]))
        except ValueError:
            raise ExchangeError("bundle_malformed", part="print") from None
        if not data["doc_id"] or len(data["doc_id"]) != DOC_ID_CHARS or not data["secret"] \
                or not data["signer_fingerprint"] or not data["pdf_sha256"] or not data["report"]:
            raise ExchangeError("bundle_malformed", part="print")
        if data["installation_id"] != origin_installation:
            raise ExchangeError("bundle_not_authorised", record_type="print", record_id=data["doc_id"],
                                reason="other_installation")
        if s.get(PrintLog, data["doc_id"]) is not None:
            continue
        s.add(PrintLog(**data, pages=raw["pages"], signed_at=signed_at))
        added += 1
    return added


def attachments_chunk(pending: list[tuple[Any, list[bytes]]], line: dict[str, Any]) -> None:
    """One chunk line: it must belong to the attachment just described and come in order."""
    import base64
    import binascii

    if not pending or not isinstance(pending[-1][0], dict) or line.get("id") != pending[-1][0].get("id") \
            or line.get("seq") != len(pending[-1][1]) or not isinstance(line.get("data"), str):
        raise ExchangeError("bundle_malformed", part="attachment")
    try:
        pending[-1][1].append(base64.b64decode(line["data"], validate=True))
    except (binascii.Error, ValueError):
        raise ExchangeError("bundle_malformed", part="attachment") from None


def store_attachments(s: Any, items: Sequence[tuple[Any, list[bytes]]], origin_installation: str) -> int:
    """Attachments a township chose to send: each checked as when it was added (type by content, size and
    SHA-256 as described, DNA rule on name, title and a PDF's text) and stored encrypted, for a file that
    is in this registry.  An attachment already here is left as it is."""
    import hashlib
    import io

    from fanguai_desk.domain import filetypes
    from fanguai_desk.domain.dna import ensure_no_dna, ensure_no_dna_filename
    from fanguai_desk.services.attachments import PARENT_MODELS, pdf_text
    from fanguai_desk.store.models import Attachment, AttachmentChunk, Victim

    columns = {c.name for c in Attachment.__table__.columns}
    added = 0
    for raw, chunks in items:
        if not isinstance(raw, dict) or set(raw) != columns:
            raise ExchangeError("bundle_malformed", part="attachment")
        text_ok = all(isinstance(raw[k], str) for k in ("id", "victim_id", "title", "filename", "media_type", "sha256",
                                                         "origin_installation", "created_at"))
        ints_ok = all(isinstance(raw[k], int) and not isinstance(raw[k], bool) for k in ("size", "chunk_count"))
        if not text_ok or not ints_ok or raw["media_type"] not in filetypes.ATTACHMENT_TYPES \
                or (raw["parent_type"] is not None and raw["parent_type"] not in PARENT_MODELS) \
                or len(raw["id"]) > 36 or len(raw["title"]) > 200 or len(raw["filename"]) > 255:
            raise ExchangeError("bundle_malformed", part="attachment")
        content = b"".join(chunks)
        if len(chunks) != raw["chunk_count"] or len(content) != raw["size"] or not content \
                or hashlib.sha256(content).hexdigest() != raw["sha256"] \
                or filetypes.sniff(content[:filetypes.SNIFF_BYTES]) != raw["media_type"]:
            raise ExchangeError("bundle_malformed", part="attachment")
        if raw["origin_installation"] != origin_installation or s.get(Victim, raw["victim_id"]) is None:
            raise ExchangeError("bundle_not_authorised", record_type="attachment", record_id=raw["id"],
                                reason="file_not_in_bundle")
        ensure_no_dna_filename(raw["filename"])
        ensure_no_dna("title", raw["title"])
        if raw["media_type"] == filetypes.PDF:
            ensure_no_dna("attachment_text", pdf_text(io.BytesIO(content)))
        if s.get(Attachment, raw["id"]) is not None:
            continue
        try:
            created = datetime.fromisoformat(raw["created_at"]).replace(tzinfo=None)
        except ValueError:
            raise ExchangeError("bundle_malformed", part="attachment") from None
        s.add(Attachment(**{**raw, "created_at": created}))
        s.flush()
        for seq, piece in enumerate(chunks):
            s.execute(insert(AttachmentChunk), [{"attachment_id": raw["id"], "seq": seq, "data": piece}])
        added += 1
    return added
