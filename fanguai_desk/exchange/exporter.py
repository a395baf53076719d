"""Collect what a township sends: changed records (or a chosen set of files) as a payload."""

from __future__ import annotations

import base64
import heapq
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Enum,
    Integer,
    LargeBinary,
    Select,
    String,
    Text,
    case,
    cast,
    func,
    literal_column,
    select,
    union,
)
from sqlalchemy.orm import Session

from fanguai_desk.exchange.bundle_set import MAX_PART_INFLATED
from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.exchange.payload import FORMAT, FORMAT_VERSION, PayloadWriter, encode_value
from fanguai_desk.exchange.review_flags import EXPORTED_COLUMNS, review_flag_lines
from fanguai_desk.progress import Progress, Steps
from fanguai_desk.store.epoch_bases import any_bases, bases_for
from fanguai_desk.store.journal import ATTACHMENT, PRINT, REVIEW_FLAG, TOMBSTONE
from fanguai_desk.store.models import (
    MODEL_BY_RECORD_TYPE,
    Attachment,
    AttachmentChunk,
    BuyerHousehold,
    Case,
    ChangeJournal,
    Consent,
    FollowUp,
    Guardian,
    LegalAidReferral,
    Placement,
    PrintLog,
    ReferralEvent,
    ReviewFlag,
    ServiceRecord,
    Tombstone,
    Township,
    User,
    Victim,
)
from fanguai_desk.store.state import DERIVED_COLUMNS

# Parents before children, so an importer can insert in file order without breaking foreign keys.
EXPORT_ORDER: tuple[type[Any], ...] = (
    Township, User, Case, Victim, Guardian, BuyerHousehold, Consent, ServiceRecord, FollowUp,
    LegalAidReferral, ReferralEvent, Placement,
)
VICTIM_CHILDREN = (Guardian, BuyerHousehold, Consent, ServiceRecord, FollowUp, LegalAidReferral, Placement)
# Staff details a supervisor does not need: users travel as stubs (who wrote what), without login names.
USER_STUB_COLUMNS = ("id", "display_name", "role", "township_id", "created_at", "updated_at", "created_by",
                     "updated_by", "origin_installation", "updated_installation", "version")


@dataclass
class ExportSelection:
    township_ids: Sequence[str] | None  # None = every township (admin/supervisor)
    victim_ids: Sequence[str] | None = None  # a chosen set of files, else everything changed
    # Change numbers (from, to] (store/journal.py): only records with a journal entry in that range.
    # None, or from == 0: every record (a full export).  Never a time: the clock may lie.
    changes: tuple[int, int] | None = None
    include_attachments: bool = False  # the user chose to send the files' attachments (scans, photos)

    def touched_victims(self) -> Select[Any] | None:
        """Ids of the files with a change in range — in the file itself or in any record of it — or None
        when every file in scope goes (a full export or chosen files)."""
        if self.change_filter(Victim.RECORD_TYPE) is None:
            return None

        def changed(record_type: str) -> Select[Any]:
            stmt = self.change_filter(record_type)
            assert stmt is not None
            return stmt

        parts: list[Any] = [changed(Victim.RECORD_TYPE)]
        for child in VICTIM_CHILDREN:
            parts.append(select(child.victim_id).where(child.id.in_(changed(child.RECORD_TYPE))))
        parts.append(select(LegalAidReferral.victim_id)
                     .join(ReferralEvent, ReferralEvent.referral_id == LegalAidReferral.id)
                     .where(ReferralEvent.id.in_(changed(ReferralEvent.RECORD_TYPE))))
        if self.include_attachments:
            parts.append(select(Attachment.victim_id).where(Attachment.id.in_(changed(ATTACHMENT))))
        return select(union(*parts).subquery().c[0])

    def change_filter(self, record_type: str) -> Select[Any] | None:
        if self.changes is None or self.changes[0] <= 0 or self.victim_ids is not None:
            return None
        low, high = self.changes
        return select(ChangeJournal.record_id).where(ChangeJournal.seq > low, ChangeJournal.seq <= high,
                                                     ChangeJournal.record_type == record_type)


@dataclass
class ExportResult:
    payload: bytes
    counts: dict[str, int] = field(default_factory=dict)
    tombstones: int = 0
    inflated_bytes: int = 0  # the payload body's size once inflated (as its header declares)


# Files per part of a bundle set (docs/exchange-format.md, "Bundle sets"): what one part holds in memory at
# either end — about 6 MB of bundle at the benchmark's ~2.5 KB per file — whatever the registry's size.  Opening
# a part (decrypting, checking its signature) holds several copies of it for a moment: ~47 MB of a county
# import's peak memory at 5,000 files a part, which put it over its 600 MB budget once the helper worked ahead.
PART_FILES = 2500
# ... and the most a part's payload may inflate to (its body, as its header declares): a few files with long
# notes or attachments make a part of fewer files.  A file is never split, so a single file larger than this
# travels in a part of its own (up to MAX_PART_INFLATED, exchange/bundle_set.py).
PART_BYTES = 80 * 1024**2


@dataclass
class PartSpec:
    """One part of a bundle set: the files with ids in (low, high] and everything of theirs in range.  The first
    part also carries the townships, user stubs and changed cases no file of the set names; the last one the
    tombstones and the print log.  ``sent_cases``: cases already carried by an earlier part (each goes once,
    in the part of the first file that names it, so it arrives before its files).  ``file_count`` and
    ``estimated_bytes``: what the plan put in it — the estimate is never below the part's inflated size."""

    low: str | None
    high: str | None
    first: bool
    last: bool
    sent_cases: set[str] = field(default_factory=set)
    file_count: int = 0
    estimated_bytes: int = 0

    def files(self, column: Any) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.low is not None:
            out.append(column > self.low)
        if self.high is not None:
            out.append(column <= self.high)
        return out


class FileTooLarge(ExchangeError):
    """One file's records (and attachments) alone inflate beyond what an importer accepts in one part."""

    code = "export_file_too_large"


def plan_parts(s: Session, sel: ExportSelection, files_per_part: int = PART_FILES,
               part_bytes: int = PART_BYTES) -> list[PartSpec]:
    """Split an export into parts of at most ``files_per_part`` files (those with something to send), by file
    id, and at most ``part_bytes`` of inflated payload — a file alone larger than that in a part of its own.
    Each file's size is worked out in SQL beforehand (``_file_sizes``: an upper bound of its lines), streamed
    in file order beside the ids: only the boundaries are kept.  One part when everything fits."""
    stmt = _victim_filters(select(Victim.id), sel)
    touched = sel.touched_victims()
    if touched is not None:
        stmt = stmt.where(Victim.id.in_(touched))
    files_per_part = max(1, files_per_part)
    with_bases = any_bases(s)
    head = _head_bytes(s, sel)  # townships, user stubs, unnamed cases: the first part
    tail = _tail_bytes(s, sel)  # tombstones, print log, review flags: the last part
    sizes = _file_sizes(s, sel, with_bases)
    pending = next(sizes, None)
    bounds: list[tuple[str | None, int, int]] = []  # (high, files, bytes) of each closed part
    end = _line_bytes({"t": "end", "records": 10**12, "tombstones": 10**12})  # every part's last line
    count, size, last = 0, end + head, None
    for vid in s.scalars(stmt.order_by(Victim.id).execution_options(yield_per=5000)):
        weight = 0
        while pending is not None and pending[0] <= vid:
            if pending[0] == vid:
                weight += int(pending[1] or 0)
            pending = next(sizes, None)
        if weight > MAX_PART_INFLATED:
            raise FileTooLarge(mb=-(-weight // 2**20), limit_mb=MAX_PART_INFLATED // 2**20)
        if count and (count >= files_per_part or size + weight > part_bytes):
            bounds.append((last, count, size))
            count, size = 0, end
        count += 1
        size += weight
        last = vid
    if count and size + tail > part_bytes:  # no room for the tombstones and print log: a last part of their own
        bounds.append((last, count, size))
        count, size = 0, end
    bounds.append((None, count, size + tail))
    lows: list[str | None] = [None, *(high for high, _n, _b in bounds[:-1])]
    parts = len(bounds)
    return [PartSpec(lo, hi, i == 0, i == parts - 1, file_count=n, estimated_bytes=b)
            for i, (lo, (hi, n, b)) in enumerate(zip(lows, bounds, strict=True))]


def _line_bytes(obj: dict[str, Any]) -> int:
    return len(PayloadWriter._encode(obj))


def _json_bytes(columns: Sequence[Any]) -> ColumnElement[int]:
    """Upper bound, per row, of ``{"column": value, …}`` as the payload writes it (``json.dumps``, compact,
    ``ensure_ascii=False``): each key as written; free text (notes: line breaks, quotes) as SQLite's
    ``json_quote`` writes it — the same escapes, so the same length; other text (codes, names) by its bytes and
    two quotes; integers by their digits; NULL as ``null``.  Values of a fixed width are not read: a boolean
    as ``false``, a date as 12 bytes, a timestamp as 28 (its ISO form with microseconds), an enum as its
    longest value, an id as a UUID (36 ASCII characters: every id this program writes)."""
    fixed = 1  # the braces, less the comma after the last pair
    values: list[Any] = []
    for column in columns:
        fixed += len(json.dumps(column.name)) + 2  # "key": and the comma
        kind = column.type
        if isinstance(kind, Boolean):
            fixed += 5
        elif isinstance(kind, DateTime):
            fixed += 28
        elif isinstance(kind, Date):
            fixed += 12
        elif isinstance(kind, Enum):
            fixed += max(4, 2 + max(len(value.encode()) for value in kind.enums))
        elif isinstance(kind, Integer):
            values.append(func.coalesce(func.length(column), 4))
        elif isinstance(kind, Text):
            values.append(func.length(cast(func.json_quote(column), LargeBinary)))
        elif isinstance(kind, String) and kind.length == 36:  # ids (store/models.new_uuid)
            fixed += 38
        else:  # short text (codes, names, addresses): its bytes and the quotes
            values.append(func.coalesce(func.octet_length(column) + 2, 4))
    total: Any = literal_column(str(fixed))
    for value in values:
        total = total + value
    return cast(total, Integer)


def _columns(model: type[Any]) -> list[Any]:
    return [model.__table__.c[name] for name in USER_STUB_COLUMNS] if model is User \
        else [c for c in model.__table__.columns if c.key not in DERIVED_COLUMNS]


# a restored laptop's base claim on a record line: ,"base":{"version":N,"digest":"…64 hex…"}
_BASE_BYTES = len(',"base":{"version":,"digest":""}') + 20 + 64


def _record_bytes(model: type[Any], with_bases: bool) -> ColumnElement[int]:
    wrapper = _line_bytes({"t": "record", "type": model.RECORD_TYPE, "data": {}}) - 2
    return _json_bytes(_columns(model)) + (wrapper + (_BASE_BYTES if with_bases else 0))


def _file_sizes(s: Session, sel: ExportSelection, with_bases: bool) -> Iterator[tuple[str, int]]:
    """(file id, bytes) of what each file's records (its case included, and attachments if they go) add to a
    payload, from one grouped statement per table — the export's own filters — merged in file order."""
    filtered = sel.township_ids is not None or sel.victim_ids is not None
    streams = []
    for model in EXPORT_ORDER:
        if model in (Township, User):
            continue
        size = func.sum(_record_bytes(model, with_bases))
        if model is Case:  # counted with every file that names it (it travels once: an upper bound)
            key: Any = Victim.id
            stmt = _victim_filters(select(key, size).select_from(Victim).join(Case, Case.id == Victim.case_id), sel)
            if sel.township_ids is not None:
                stmt = stmt.where(Case.township_id.in_(sel.township_ids))
        elif model is Victim:
            key = Victim.id
            stmt = _victim_filters(select(key, size).select_from(Victim), sel)
        else:
            key = LegalAidReferral.victim_id if model is ReferralEvent else model.victim_id
            stmt = select(key, size).select_from(model)
            if model is ReferralEvent:
                stmt = stmt.join(LegalAidReferral, LegalAidReferral.id == ReferralEvent.referral_id)
            if filtered:  # only the files in scope (the export's own join)
                stmt = _victim_filters(stmt.join(Victim, Victim.id == key), sel)
        changed = sel.change_filter(model.RECORD_TYPE)
        if changed is not None:
            stmt = stmt.where(model.id.in_(changed))
        streams.append(stmt.group_by(key).order_by(key))
    if sel.include_attachments:
        streams.append(_attachments_statement(sel).with_only_columns(Attachment.victim_id, func.sum(
            _attachment_bytes())).group_by(Attachment.victim_id).order_by(None).order_by(Attachment.victim_id))
    results = [iter(s.execute(stmt.execution_options(yield_per=2000))) for stmt in streams]
    return heapq.merge(*results, key=itemgetter(0))  # type: ignore[arg-type]


def _attachment_bytes() -> ColumnElement[int]:
    """An attachment's line and its chunk lines: base64 is 4/3 of the content, plus up to 4 bytes a chunk."""
    row = _json_bytes(list(Attachment.__table__.columns)) + _line_bytes({"t": "attachment", "data": {}}) - 2
    chunk = _line_bytes({"t": "attachment_chunk", "id": "x" * 36, "seq": 10**10, "data": ""}) + 4
    return row + Attachment.size * 4 / 3 + Attachment.chunk_count * chunk


def _head_bytes(s: Session, sel: ExportSelection) -> int:
    """The first part's lines no file brings: townships, user stubs, and (at most) every changed case."""
    total = 0
    for model in (Township, User, Case):
        stmt = _statement(model, sel)
        if model is Case:
            stmt = stmt.where(Case.id.not_in(_named_cases(sel)))
        total += int(s.scalar(stmt.with_only_columns(func.sum(_record_bytes(model, True))).order_by(None)) or 0)
    return total


def _tail_bytes(s: Session, sel: ExportSelection) -> int:
    """The last part's lines no file brings (at most: the whole tables): tombstones, print log, review flags."""
    tomb = _line_bytes({"t": "tombstone", "type": "x" * 40, "id": "x" * 36, "deleted_at": "x" * 26,
                        "reason": "deleted"})
    prints = _json_bytes(list(PrintLog.__table__.columns)) + _line_bytes({"t": "print", "data": {}}) - 2
    flags = _json_bytes([ReviewFlag.__table__.c[k] for k in EXPORTED_COLUMNS]) \
        + (_line_bytes({"t": "review_flag", "data": {}}) - 2 + 40)  # origin_installation written as this laptop
    total = 0
    if sel.victim_ids is None:
        total += tomb * int(s.scalar(select(func.count()).select_from(Tombstone)) or 0)
    total += int(s.scalar(select(func.sum(prints))) or 0) + int(s.scalar(select(func.sum(flags))) or 0)
    return total


def _statements(model: type[Any], sel: ExportSelection, part: PartSpec | None) -> list[Select[Any]]:
    """What ``model`` contributes to one part (or, without ``part``, to a single bundle)."""
    stmt = _statement(model, sel)
    if part is None or (part.first and part.last):
        return [stmt]
    if model in (Township, User):
        return [stmt] if part.first else []
    if model is Case:
        named = _named_cases(sel)
        out = [stmt.where(Case.id.in_(named.where(*part.files(Victim.id))))]
        if part.first:  # changed cases that no file of this export names
            out.insert(0, stmt.where(Case.id.not_in(named)))
        return out
    return [stmt.where(*part.files(Victim.id))]


def _named_cases(sel: ExportSelection) -> Select[Any]:
    """The cases the files of an export name (each travels with the first of them)."""
    named = _victim_filters(select(Victim.case_id).where(Victim.case_id.is_not(None)), sel)
    touched = sel.touched_victims()
    if touched is not None:
        named = named.where(Victim.id.in_(touched))
    return named


def _statement(model: type[Any], sel: ExportSelection) -> Select[Any]:
    # Core rows, not ORM objects: a county's follow-ups are hundreds of thousands of rows, and ORM
    # instances (identity map, state tracking) would cost several times the memory.
    stmt = select(*_columns(model)).select_from(model)
    if model is Township:
        if sel.township_ids is not None:
            stmt = stmt.where(Township.id.in_(sel.township_ids))
        return stmt.order_by(Township.id)
    if model is User:
        return stmt.order_by(User.id)
    if model is Case:
        if sel.township_ids is not None:
            stmt = stmt.where(Case.township_id.in_(sel.township_ids))
        if sel.victim_ids is not None:
            stmt = stmt.where(Case.id.in_(select(Victim.case_id).where(Victim.id.in_(sel.victim_ids))))
    elif model is Victim:
        if sel.township_ids is not None:
            stmt = stmt.where(Victim.township_id.in_(sel.township_ids))
        if sel.victim_ids is not None:
            stmt = stmt.where(Victim.id.in_(sel.victim_ids))
    elif model is ReferralEvent:
        stmt = stmt.join(LegalAidReferral, LegalAidReferral.id == ReferralEvent.referral_id).join(
            Victim, Victim.id == LegalAidReferral.victim_id)
        stmt = _victim_filters(stmt, sel)
    else:
        stmt = _victim_filters(stmt.join(Victim, Victim.id == model.victim_id), sel)
    changed = sel.change_filter(model.RECORD_TYPE)
    if changed is not None:
        stmt = stmt.where(model.id.in_(changed))
    return stmt.order_by(model.id)


def _victim_filters(stmt: Select[Any], sel: ExportSelection) -> Select[Any]:
    if sel.township_ids is not None:
        stmt = stmt.where(Victim.township_id.in_(sel.township_ids))
    if sel.victim_ids is not None:
        stmt = stmt.where(Victim.id.in_(sel.victim_ids))
    return stmt


def _count(s: Session, stmt: Select[Any]) -> int:
    return int(s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)


def build_records_payload(s: Session, sel: ExportSelection, header: dict[str, Any],
                          batch: int = 2000, progress: Progress | None = None,
                          part: PartSpec | None = None) -> ExportResult:
    """``progress``: stage ``export_records`` counts the rows of the record tables (counted first, in the
    same read snapshot), then ``export_attachments`` the attachments if they go too (fanguai_desk/progress.py).
    ``part``: only that part of a bundle set (``plan_parts``)."""
    writer = PayloadWriter()
    writer.line({"t": "header", "format": FORMAT, "format_version": FORMAT_VERSION, "kind": "records", **header})
    counts: dict[str, int] = {}
    steps = Steps(progress, "export_records",
                  sum(_count(s, stmt) for model in EXPORT_ORDER for stmt in _statements(model, sel, part))
                  if progress is not None else 0)
    # A restored laptop sends with each record what it held of it when its epoch began (store/epoch_bases.py).
    with_bases = any_bases(s)
    for model in EXPORT_ORDER:
        n = 0
        for stmt in _statements(model, sel, part):
            rows = s.execute(stmt.execution_options(yield_per=batch))
            for chunk in rows.partitions(500) if with_bases else (rows,):
                bases = bases_for(s, [r.id for r in chunk]) if with_bases else {}
                for row in chunk:
                    if model is Case and part is not None:
                        if row.id in part.sent_cases:
                            continue
                        part.sent_cases.add(row.id)
                    data = {key: encode_value(value) for key, value in row._mapping.items()}
                    writer.record(model.RECORD_TYPE, data, bases.get(row.id))
                    n += 1
                    steps.add()
        counts[model.RECORD_TYPE] = n
    tomb_count = 0
    last = part is None or part.last
    if sel.victim_ids is None and last:
        # Tombstones of what a bundle carries (records, attachments) — not of rows that only went with them
        # (an attachment's chunks), which a county never received one by one.  Children before parents among
        # deletions made together (a referral before the consent it names): no foreign key trips at import.
        rank = case({m.RECORD_TYPE: -i for i, m in enumerate(EXPORT_ORDER)}, value=Tombstone.record_type, else_=1)
        tstmt = select(Tombstone).where(Tombstone.record_type.in_([*MODEL_BY_RECORD_TYPE, Attachment.RECORD_TYPE])) \
            .order_by(Tombstone.deleted_at, rank, Tombstone.record_id)
        changed = sel.change_filter(TOMBSTONE)
        if changed is not None:
            tstmt = tstmt.where(Tombstone.record_id.in_(changed))
        for t in s.scalars(tstmt):
            writer.tombstone(t.record_type, t.record_id, t.deleted_at, t.reason)
            tomb_count += 1
    counts["print"] = _print_log_lines(s, sel, writer) if last else 0
    counts["review_flag"] = review_flag_lines(s, writer, installation_id=str(header.get("installation_id")),
                                              township_ids=sel.township_ids, victim_ids=sel.victim_ids,
                                              changed=sel.change_filter(REVIEW_FLAG)) if last else 0
    steps.finish()
    if sel.include_attachments:
        counts["attachment"] = _attachment_lines(s, sel, writer, progress, part)
    payload = writer.finish()
    return ExportResult(payload, counts, tomb_count, writer.inflated_bytes)


def _attachment_lines(s: Session, sel: ExportSelection, writer: PayloadWriter, progress: Progress | None = None,
                      part: PartSpec | None = None) -> int:
    """Each attachment of the exported files: its description, then its chunks in order (base64, one line
    each: a reader holds one chunk at a time, within the bounded line size of exchange/inflate.py)."""
    stmt = _attachments_statement(sel)
    if part is not None:
        stmt = stmt.where(*part.files(Victim.id))
    n = 0
    rows = s.execute(stmt.order_by(Attachment.created_at, Attachment.id)).all()
    steps = Steps(progress, "export_attachments", len(rows))
    for row in rows:
        writer.line({"t": "attachment", "data": {k: encode_value(v) for k, v in row._mapping.items()}})
        for seq, data in s.execute(select(AttachmentChunk.seq, AttachmentChunk.data)
                                   .where(AttachmentChunk.attachment_id == row.id).order_by(AttachmentChunk.seq)):
            writer.line({"t": "attachment_chunk", "id": row.id, "seq": seq,
                         "data": base64.b64encode(data).decode("ascii")})
        n += 1
        steps.add()
    steps.finish()
    return n


def _attachments_statement(sel: ExportSelection) -> Select[Any]:
    stmt = select(*Attachment.__table__.columns).select_from(Attachment).join(Victim, Victim.id == Attachment.victim_id)
    stmt = _victim_filters(stmt, sel)
    changed = sel.change_filter(ATTACHMENT)
    if changed is not None:
        stmt = stmt.where(Attachment.id.in_(changed))
    return stmt


def _print_log_lines(s: Session, sel: ExportSelection, writer: PayloadWriter) -> int:
    """The print log of the exported files (and this laptop's annual prints): paper copies printed here can be
    checked at the county after the import (docs/paper-verification.md).  Ids, hashes and the per-print check
    secret only — no personal data; the bundle is encrypted to the supervisor."""
    stmt = select(*PrintLog.__table__.columns).select_from(PrintLog)
    if sel.victim_ids is not None:
        stmt = stmt.where(PrintLog.victim_id.in_(sel.victim_ids))
    elif sel.township_ids is not None:
        stmt = stmt.where(PrintLog.victim_id.is_(None) | PrintLog.victim_id.in_(
            select(Victim.id).where(Victim.township_id.in_(sel.township_ids))))
    changed = sel.change_filter(PRINT)
    if changed is not None:
        stmt = stmt.where(PrintLog.doc_id.in_(changed))
    n = 0
    for row in s.execute(stmt.order_by(PrintLog.signed_at, PrintLog.doc_id)):
        writer.line({"t": "print", "data": {k: encode_value(v) for k, v in row._mapping.items()}})
        n += 1
    return n


def build_statistics_payload(header: dict[str, Any], statistics: dict[str, Any]) -> bytes:
    writer = PayloadWriter()
    writer.line({"t": "header", "format": FORMAT, "format_version": FORMAT_VERSION, "kind": "statistics",
                 **header})
    writer.line({"t": "statistics", **statistics})
    return writer.finish()
