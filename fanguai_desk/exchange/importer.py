"""Merge a verified payload into the registry: all or nothing, by UUID and version, never last-writer-wins.

For each incoming record:
- unknown here → inserted (unless a tombstone says it was deleted/purged here);
- known, not changed here since the version last received (``record_sync``) → the newer version applied;
- known and changed here too → fields changed only there are applied, fields changed on both sides
  become ``merge_conflicts`` for the supervisor to resolve (the local value stays until then);
- tombstones delete the record here (purges must travel: PIPL art. 47).

Every record passes the same entry rules as on a laptop (``domain/entry_rules.py``, the one list):

* record rules (DNA data, control characters, ID numbers, dates that cannot be true, referral consent):
  a record that breaks one could not have been written by this program, and refuses the whole bundle;
* file rules (training and school age, the buyer household as placement, guardian or consent giver): a
  record written *after* the facts it breaks (its ``updated_at`` not older than the person's or the buyer
  households') refuses the bundle with the same code the service gives; a record that was valid when
  written and broke because of a later change elsewhere in the file (a corrected birth date) is **flagged
  for review** on the file (``review_flags``), never a reason to refuse the bundle.

The caller owns the transaction; a refusal raises and the caller rolls back.
"""

from __future__ import annotations

import hmac
import json
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NoReturn

import sqlcipher3.dbapi2
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Integer,
    String,
    Text,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from fanguai_desk.domain.dna import find_dna_content
from fanguai_desk.domain.duplicates import Person, duplicate_reason
from fanguai_desk.domain.entry_rules import (
    FREE_TEXT_MAX,
    VICTIM_PAST_DATES,
    FileFacts,
    check_consent,
    check_guardian,
    check_length,
    check_placement,
    check_referral_consent,
    check_service,
    check_text,
    check_victim,
)
from fanguai_desk.domain.enums import ConsentGiver, ServiceType
from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.domain.idnumber import check_id_against_file, parse_id_number
from fanguai_desk.domain.lifecycle import LIFECYCLE_FIELDS, close_edit_conflict
from fanguai_desk.domain.rules import HouseholdRef, buyer_ref
from fanguai_desk.domain.search_keys import search_columns
from fanguai_desk.exchange.authorisation import Authoriser
from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.exchange.exporter import EXPORT_ORDER
from fanguai_desk.exchange.payload import encode_value
from fanguai_desk.store.clock import local_today, utcnow
from fanguai_desk.store.epoch_bases import content_digest
from fanguai_desk.store.models import (
    MODEL_BY_RECORD_TYPE,
    Attachment,
    AttachmentChunk,
    BuyerHousehold,
    ChangeEntry,
    Consent,
    DuplicateFlag,
    Guardian,
    LegalAidReferral,
    MergeConflict,
    Placement,
    RecordSync,
    ReviewFlag,
    ServiceRecord,
    Tombstone,
    Township,
    User,
    Victim,
)
from fanguai_desk.store.review import flag_files_for_review
from fanguai_desk.store.state import DERIVED_COLUMNS, BulkInserts


def _checked_base(base: Any, version: int) -> tuple[int, str]:
    """A record's base claim, as the format allows it (docs/exchange-format.md, "Restored laptops"): a
    version no higher than the record's own and a SHA-256 hex digest; anything else is a malformed bundle."""
    if not isinstance(base, Mapping) or set(base) != {"version", "digest"}:
        raise ExchangeError("bundle_malformed", part="base")
    number, digest = base["version"], base["digest"]
    if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= version \
            or not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        raise ExchangeError("bundle_malformed", part="base")
    return number, digest


_HEX64 = re.compile(r"[0-9a-f]{64}")

IMMUTABLE = frozenset({"id", "created_at", "created_by", "origin_installation"})
META = frozenset({"updated_at", "updated_by", "updated_installation", "version"})
ORDER = {m.RECORD_TYPE: i for i, m in enumerate(EXPORT_ORDER)}
ID_COLUMNS = frozenset({"id", "victim_id", "referral_id", "case_id", "township_id", "caseworker_id",
                        "consent_id", "created_by", "updated_by", "origin_installation", "updated_installation"})


@dataclass
class ImportReport:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    deleted: int = 0
    conflicts: int = 0
    duplicates: int = 0
    review_flags: int = 0  # records flagged for review: they broke a file rule after they were written
    skipped_deleted_here: int = 0
    conflict_records: list[str] = field(default_factory=list)
    duplicate_pairs: list[tuple[str, str, str]] = field(default_factory=list)

    def bump(self, bucket: dict[str, int], record_type: str) -> None:
        bucket[record_type] = bucket.get(record_type, 0) + 1

    def to_json(self) -> str:
        return json.dumps({"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                           "deleted": self.deleted, "conflicts": self.conflicts, "duplicates": self.duplicates,
                           "skipped_deleted_here": self.skipped_deleted_here}, sort_keys=True)


def _to_storage(column: Column[Any]) -> Callable[[Any], Any]:
    """A validator/converter from a JSON value to what SQLAlchemy itself stores in SQLite for this column
    (ISO dates; ``YYYY-MM-DD HH:MM:SS.ffffff`` times), so inserts can skip its per-row bind processing."""
    kind = column.type

    def bad() -> ExchangeError:
        return ExchangeError("bundle_malformed", part="record")

    if isinstance(kind, DateTime):
        def to_datetime(v: Any) -> Any:
            if v is None:
                return None
            try:
                moment = datetime.fromisoformat(v)
            except (TypeError, ValueError):
                raise bad() from None
            # SQLAlchemy's SQLite storage text of a datetime (its zone, if any, dropped as it drops it):
            # isoformat writes it directly, strftime went through the C library (4 % of an import).
            return (moment if moment.tzinfo is None else moment.replace(tzinfo=None)).isoformat(" ", "microseconds")
        return to_datetime
    if isinstance(kind, Date):
        def to_date(v: Any) -> Any:
            if v is None:
                return None
            try:
                return date.fromisoformat(v).isoformat()
            except (TypeError, ValueError):
                raise bad() from None
        return to_date
    if isinstance(kind, Boolean):
        def to_bool(v: Any) -> Any:
            if v is None or isinstance(v, bool):
                return v
            raise bad()
        return to_bool
    if isinstance(kind, Integer):
        def to_int(v: Any) -> Any:
            if v is None or (isinstance(v, int) and not isinstance(v, bool)):
                return v
            raise bad()
        return to_int
    if isinstance(kind, Enum):
        allowed = frozenset(kind.enums)

        def to_enum(v: Any) -> Any:
            if v is None or v in allowed:
                return v
            raise bad()
        return to_enum

    def to_text(v: Any) -> Any:
        if v is None or isinstance(v, str):
            return v
        raise bad()
    return to_text


@dataclass(frozen=True)
class _ModelCodec:
    """Per table, computed once: converters, required keys, free-text columns, the raw INSERT."""

    columns: dict[str, Column[Any]]
    converters: dict[str, Callable[[Any], Any]]
    required: frozenset[str]
    free_text: frozenset[str]
    #: free-text column → the most characters entry allows in it (a bounded column's length; FREE_TEXT_MAX for
    #: notes): checked before anything else reads the text
    bounds: dict[str, int]
    insert_sql: str
    order: tuple[str, ...]
    #: A decoded record's values in ``order`` (``_decode`` checked it holds every column): one C call per row
    #: instead of a generator over the columns (4 % of a 100k import).
    values_of: Callable[[Mapping[str, Any]], tuple[Any, ...]]

    @property
    def complete(self) -> bool:
        """Every record of this table carries every column (all but user stubs): its values are a tuple."""
        return self.required == self.columns.keys()


_CODECS: dict[str, _ModelCodec] = {}
#: Records whose text fields are bounded on entry (services/fields.py: the same bounds as the columns).
_BOUNDED_RECORDS = frozenset({"victim", "guardian", "buyer_household", "case", "service", "followup", "referral",
                              "placement", "consent"})


def _entry_bound(model: Any, column: Column[Any]) -> int:
    """The most characters entry allows in a free-text column (0: no bound known here)."""
    if isinstance(column.type, Text):
        return FREE_TEXT_MAX
    length = getattr(column.type, "length", None)
    return int(length) if length and model.RECORD_TYPE in _BOUNDED_RECORDS else 0


def codec_for(model: Any) -> _ModelCodec:
    codec = _CODECS.get(model.RECORD_TYPE)
    if codec is None:
        columns = {c.key: c for c in model.__table__.columns if c.key not in DERIVED_COLUMNS}
        required = frozenset({"id", "display_name", "role", "version"}) if model is User else frozenset(columns)
        free_text = frozenset(k for k, c in columns.items()
                              if isinstance(c.type, String | Text) and not isinstance(c.type, Enum)
                              and k not in ID_COLUMNS)
        order = tuple(columns)
        sql = (f"INSERT INTO {model.__tablename__} ({', '.join(order)}) "
               f"VALUES ({', '.join('?' for _ in order)})")
        codec = _CODECS[model.RECORD_TYPE] = _ModelCodec(
            columns, {k: _to_storage(c) for k, c in columns.items()}, required, free_text,
            {k: bound for k in free_text if (bound := _entry_bound(model, columns[k]))}, sql, order,
            operator.itemgetter(*order))
    return codec


def _python_row(model: Any, row: Mapping[str, Any]) -> dict[str, Any]:
    """Storage-format values back to Python objects (for the rarer update path through SQLAlchemy)."""
    columns = codec_for(model).columns
    out: dict[str, Any] = {}
    for k, v in row.items():
        if v is not None and isinstance(columns[k].type, DateTime):
            out[k] = datetime.fromisoformat(v)
        elif v is not None and isinstance(columns[k].type, Date):
            out[k] = date.fromisoformat(v)
        else:
            out[k] = v
    return out


class RuleRefusal(ExchangeError):
    """A record in the bundle breaks a rule that holds on import exactly as on entry."""

    code = "bundle_rule_violation"


def decode_record(model: Any, raw: Mapping[str, Any]) -> dict[str, Any]:
    """An incoming record checked on its own — schema, types, every record rule (bounds, DNA data, text,
    ID numbers, dates, referral consent) — and converted to SQLite's storage values.  Needs nothing but the
    record: the import's helper process runs it (``exchange/preparing.py``), the merge does the rest."""
    codec = codec_for(model)
    keys = raw.keys()
    if not codec.required <= keys or not keys <= codec.columns.keys():
        raise ExchangeError("bundle_schema_mismatch", record_type=model.RECORD_TYPE)
    converters = codec.converters
    data = {k: converters[k](v) for k, v in raw.items()}
    if not isinstance(data.get("id"), str) or not isinstance(data.get("version"), int):
        raise ExchangeError("bundle_malformed", part="record")
    _check_record_rules(model, data, codec)
    if model is Victim:  # search keys are made here, as on entry: never the sender's (a forged key hides a file)
        data.update(search_columns(data.get("name"), data.get("alias"), data.get("id_number")))
    return data


def _refuse(model: Any, data: Mapping[str, Any], error: FanguaiError) -> NoReturn:
    raise RuleRefusal(rule=error.code, record_type=model.RECORD_TYPE, record_id=str(data.get("id")))


def _check_record_rules(model: Any, data: dict[str, Any], codec: _ModelCodec) -> None:
    free_text = codec.free_text
    try:
        # Bounds first, as on entry: nothing below reads a text longer than entry allows (a signed bundle's
        # line may hold 32 MiB; the DNA check's normalised copies of it would take many times that).
        for key, bound in codec.bounds.items():
            value = data.get(key)
            if isinstance(value, str):
                check_length(key, value, bound)
    except FanguaiError as exc:
        _refuse(model, data, exc)
    for key in free_text:
        value = data.get(key)
        if value and len(value) >= 4:
            finding = find_dna_content(value)
            if finding is not None:
                raise RuleRefusal(rule="dna_data", record_type=model.RECORD_TYPE, record_id=data["id"],
                                  field=key)
    try:
        for key in free_text:  # the entry rules' text check (control characters, bidi overrides)
            if isinstance(data.get(key), str):
                check_text(key, data[key], multiline=True)
        if model is Victim:
            birth = _as_date(data.get("birth_date"))
            if data.get("id_number"):
                check_id_against_file(data["id_number"], birth,
                                      data.get("sex") if data.get("sex") in ("F", "M") else None)
            # A day's grace: the township laptop's clock may run ahead of this one.
            check_victim({k: _as_date(data.get(k)) for k in VICTIM_PAST_DATES}
                         | {"estimated_birth_year": data.get("estimated_birth_year"),
                            "id_number": data.get("id_number")}, local_today() + timedelta(days=1))
        elif model in (ServiceRecord, Placement):
            if model is Placement and data.get("caregiver_id_number"):
                parse_id_number(data["caregiver_id_number"])
            if _as_date(data.get("start_date")) is None:
                raise ExchangeError("bundle_malformed", part="record")
        elif model is LegalAidReferral:
            check_referral_consent(data.get("consent_id"), data.get("consent_override_reason"))
    except Exception as exc:  # sorted by _raise_as_refusal; anything else is raised as it was
        _raise_as_refusal(model, data, exc)


def _raise_as_refusal(model: Any, data: Mapping[str, Any], exc: Exception) -> NoReturn:
    """What a record's check raised, as the bundle's refusal: a rule's error names the rule and the record; a
    value of the wrong shape is a malformed bundle; a refusal already made stands; anything else is not ours to
    translate."""
    if isinstance(exc, RuleRefusal):
        raise exc
    if isinstance(exc, FanguaiError):
        _refuse(model, data, exc)
    if isinstance(exc, ValueError | KeyError | TypeError):
        raise ExchangeError("bundle_malformed", part="record") from None
    raise exc


@dataclass
class _VictimFacts:
    birth_date: date | None
    estimated_birth_year: int | None
    buyers: list[HouseholdRef] = field(default_factory=list)
    changed_at: str = ""  # the latest updated_at (storage text) of the person and the buyer households

    def file_facts(self) -> FileFacts:
        return FileFacts(self.birth_date, self.estimated_birth_year, tuple(self.buyers))

    def saw(self, updated_at: Any) -> None:
        if isinstance(updated_at, str) and updated_at > self.changed_at:
            self.changed_at = updated_at


class Merger:
    def __init__(self, s: Session, *, bundle_id: str, origin_installation: str, local_installation: str,
                 user_id: str | None, batch: int = 1000, authoriser: Authoriser | None = None,
                 epoch: str | None = None) -> None:
        self.s = s
        # The sending laptop's delivery epoch (a restore starts a new one): versions of two epochs are not
        # comparable (see _merge_existing).
        self.epoch = epoch
        self.authoriser = authoriser  # is each record the signer's to send? (exchange/authorisation.py)
        self.bundle_id = bundle_id
        self.origin = origin_installation
        self.local_installation = local_installation
        self.user_id = user_id
        self.batch = batch
        self.report = ImportReport()
        self.township_remap: dict[str, str] = {}
        self.victims: dict[str, _VictimFacts] = {}
        self.new_victims: list[str] = []  # ids of the files this import inserted (this part's, in a set)
        self._pending: list[tuple[str, dict[str, Any]]] = []
        self._last_order = -1
        # File-rule checks wait for the whole file (guardians come before buyer households in a bundle).
        self._deferred: list[tuple[Any, dict[str, Any]]] = []
        # Base claims of the pending records (record id → (version, digest)), see _successor_of_held.
        self._bases: dict[str, tuple[int, str]] = {}
        # The files' maintained state (store/state.py) for the rows inserted in bulk: once per file in
        # finish(), not once per row by the insert triggers.
        self._bulk: BulkInserts | None = None
        # Tables that held no row before this import wrote to them (a first import: all of them), and whether the
        # registry had no tombstone and this import added none: their lookups can be skipped (see flush).
        self._empty_before: dict[str, bool] = {}
        self._tombstone_free: bool | None = None

    # ------------------------------------------------------------------ entry points

    def add_record(self, record_type: str, raw: Mapping[str, Any], base: Any = None) -> None:
        """``base``: a restored laptop's claim of what it held of the record when its epoch began
        (``store/epoch_bases.py``); checked here, believed only if it matches the county's copy."""
        model = self._next_model(record_type, isinstance(raw, Mapping))
        self._add(model, decode_record(model, raw), base)

    def add_prepared(self, record_type: str, values: tuple[Any, ...] | None, base: Any,
                     refusal: FanguaiError | None) -> None:
        """A record :func:`decode_record` already checked, perhaps in the import's helper process
        (``exchange/preparing.py``): its values in the codec's order, or the refusal it raised — raised here,
        after the checks :meth:`add_record` makes before decoding, so the first refusal is the same."""
        model = self._next_model(record_type, True)
        if refusal is not None:
            raise refusal
        assert values is not None
        self._add(model, dict(zip(codec_for(model).order, values, strict=True)), base)

    def _next_model(self, record_type: str, is_mapping: bool) -> Any:
        """The model of the next record, once its type is known and in the bundle's order (a new type flushes
        the batch of the last)."""
        model = MODEL_BY_RECORD_TYPE.get(record_type)
        if model is None or record_type not in ORDER or not is_mapping:
            raise ExchangeError("bundle_malformed", part="record")
        order = ORDER[record_type]
        if order < self._last_order:
            raise ExchangeError("bundle_malformed", part="order")
        if self._pending and self._pending[0][0] != record_type:
            self.flush()
        self._last_order = order
        return model

    def _add(self, model: Any, data: dict[str, Any], base: Any) -> None:
        self._note_facts(model, data)
        if base is not None:
            self._bases[data["id"]] = _checked_base(base, data["version"])
        self._pending.append((model.RECORD_TYPE, data))
        if len(self._pending) >= self.batch:
            self.flush()

    def add_tombstone(self, record_type: str, record_id: str, reason: str) -> None:
        self.flush()
        if record_type == Attachment.RECORD_TYPE and isinstance(record_id, str):
            self._remove_attachment(record_id, reason)
            return
        model = MODEL_BY_RECORD_TYPE.get(record_type)
        if model is None or not isinstance(record_id, str):
            raise ExchangeError("bundle_malformed", part="tombstone")
        if self.authoriser is not None:
            self.authoriser.check_tombstone(record_type, record_id)
        self._tombstone_free = False
        if self.s.get(Tombstone, record_id) is None:
            self.s.add(Tombstone(record_id=record_id, record_type=record_type, deleted_at=utcnow(),
                                 deleted_by=None, installation_id=self.origin,
                                 reason=reason if reason in ("deleted", "purged") else "deleted"))
        result: Any = self.s.execute(delete(model).where(model.id == record_id))
        if result.rowcount:
            self.report.deleted += 1
        if reason == "purged":  # purged personal data leaves no history behind either
            self.s.execute(delete(ChangeEntry).where(ChangeEntry.record_id == record_id))
        self.s.execute(delete(RecordSync).where(RecordSync.record_id == record_id))

    def _remove_attachment(self, record_id: str, reason: str) -> None:
        """An attachment removed (or purged with its file) at the township goes here too, chunks and all."""
        att = self.s.get(Attachment, record_id)
        if att is not None and self.authoriser is not None:
            self.authoriser.check_file_part(Attachment.RECORD_TYPE, record_id, att.victim_id)
        self._tombstone_free = False
        if self.s.get(Tombstone, record_id) is None:
            self.s.add(Tombstone(record_id=record_id, record_type=Attachment.RECORD_TYPE, deleted_at=utcnow(),
                                 deleted_by=None, installation_id=self.origin,
                                 reason=reason if reason in ("deleted", "purged") else "deleted"))
        if att is not None:
            self.s.expunge(att)
            self.s.execute(delete(AttachmentChunk).where(AttachmentChunk.attachment_id == record_id))
            self.s.execute(delete(Attachment).where(Attachment.id == record_id))
            self.report.deleted += 1

    def finish(self) -> ImportReport:
        self.flush()
        if self._bulk is not None:
            self._bulk.settle()  # before anything reads the files' state, and before the commit
        self._check_file_rules()
        self._flag_duplicates()
        self._flag_file_number_collisions()
        return self.report

    def end_part(self) -> None:
        """The end of one part of a bundle set (exchange/bundle_set.py): a part holds whole files, so their
        file rules, duplicates and number clashes are settled now and what was kept about them let go — the
        merger's memory is one part's, whatever the set's size.  Later parts see this one in the registry."""
        self.finish()
        self._deferred = []
        self.victims = {}
        self.new_victims = []
        self._last_order = -1
        if self.authoriser is not None:
            self.authoriser.forget()

    def _flag_file_number_collisions(self) -> None:
        """An imported file whose number another file here already has: flagged (shown with its township)."""
        for ids in _chunks(self.new_victims, 500):
            mine: dict[str, str] = {vid: number for vid, number in self.s.execute(
                select(Victim.id, Victim.file_number).where(Victim.id.in_(ids)))}
            clashes = {n for (n,) in self.s.execute(
                select(Victim.file_number).where(Victim.file_number.in_(list(mine.values())),
                                                 Victim.id.not_in(ids)))}
            for vid, number in mine.items():
                if number in clashes:
                    self.s.add(ReviewFlag(victim_id=vid, record_type="victim", record_id=vid,
                                          rule="file_number_collision", source="import"))
                    self.report.review_flags += 1

    def _check_file_rules(self) -> None:
        """File rules once every record of the bundle is known: refuse what was written against the facts
        it breaks; flag, on every file the bundle touched, what a later change made break a rule.

        A file this import brought new (its every record is in this bundle, or this part of a set: nothing of it
        was here before) whose every record passed its file rule just above is not read back for the re-check:
        ``recheck_file`` runs the same rules (``domain/entry_rules.py``) on the same facts over a subset of those
        records, and would find nothing.  Reading every new file back was a tenth of a first import."""
        broke: set[str] = set()
        for model, data in self._deferred:
            facts = self._facts(data["victim_id"])
            try:
                _file_rule(model, data, facts.file_facts())
            except FanguaiError as exc:
                if str(data.get("updated_at") or "") >= facts.changed_at:
                    _refuse(model, data, exc)
                broke.add(data["victim_id"])  # older than the facts it breaks: flagged by the re-check below
        new = set(self.new_victims)
        recheck = [vid for vid in self.victims if vid not in new or vid in broke]
        self.s.flush()
        self.s.expire_all()
        self.report.review_flags += len(flag_files_for_review(self.s, recheck, source="import"))

    # ------------------------------------------------------------------ decoding and rules

    def _note_facts(self, model: Any, data: dict[str, Any]) -> None:
        """What the file rules need to know of a checked record: its person's facts, the buyer households,
        the records whose file rule waits for the whole file."""
        try:
            if model is Victim:
                facts = self.victims[data["id"]] = _VictimFacts(_as_date(data.get("birth_date")),
                                                                data.get("estimated_birth_year"))
                facts.saw(data.get("updated_at"))
            elif model is BuyerHousehold:
                facts = self._facts(data["victim_id"])
                facts.buyers.append(buyer_ref(data.get("head_name"), data.get("address"),
                                              data.get("member_id_numbers")))
                facts.saw(data.get("updated_at"))
            elif model in (ServiceRecord, Placement, Guardian, Consent):
                self._deferred.append((model, data))
        except Exception as exc:  # sorted as the record's own checks are
            _raise_as_refusal(model, data, exc)

    def _facts(self, victim_id: str) -> _VictimFacts:
        facts = self.victims.get(victim_id)
        if facts is None:
            v = self.s.get(Victim, victim_id)
            if v is None:
                raise ExchangeError("bundle_incomplete", record_type="victim")
            facts = _VictimFacts(v.birth_date, v.estimated_birth_year)
            facts.saw(_stamp(v.updated_at))
            for b in self.s.scalars(select(BuyerHousehold).where(BuyerHousehold.victim_id == victim_id)):
                facts.buyers.append(buyer_ref(b.head_name, b.address, b.member_id_numbers))
                facts.saw(_stamp(b.updated_at))
            self.victims[victim_id] = facts
        return facts

    # ------------------------------------------------------------------ merging

    def flush(self) -> None:
        if not self._pending:
            return
        record_type = self._pending[0][0]
        rows = [d for _t, d in self._pending]
        self._pending = []
        model = MODEL_BY_RECORD_TYPE[record_type]
        if self.authoriser is not None:
            self.authoriser.check_rows(record_type, rows)
        if model is Township:
            self._merge_townships(rows)
            return
        for row in rows:
            if "township_id" in row and row["township_id"] in self.township_remap:
                row["township_id"] = self.township_remap[row["township_id"]]
        if model is User:
            self._merge_user_stubs(rows)
            return
        ids = [r["id"] for r in rows]
        # Which of the batch are held here, or deleted here: two plain key lookups on the session's connection
        # (a first import finds none of them; building ORM queries with a thousand bound ids was ~9 % of it).
        # Only the records held are loaded as objects, with their sync state.
        if self.s.new or self.s.dirty or self.s.deleted:
            self.s.flush()
        # A table that was empty before this import holds only what it inserted, and a bundle carries each record
        # once: nothing of the batch is held there, and a repeat is refused by the primary key at the insert.
        # (The lookups were a tenth of a first import at 100,000 files: random pages of a growing key index.)
        held = set() if self._was_empty(model.__tablename__) else self._present(model.__tablename__, "id", ids)
        dead = set() if self._no_tombstones() else self._present(Tombstone.__tablename__, "record_id", ids)
        local: dict[str, Any] = {}
        syncs: dict[str, RecordSync] = {}
        if held:
            local = {r.id: r for r in self.s.scalars(select(model).where(model.id.in_(held)))}
            syncs = {r.record_id: r for r in self.s.scalars(
                select(RecordSync).where(RecordSync.record_id.in_(held)))}
        inserts: list[dict[str, Any]] = []
        for row in rows:
            rid = row["id"]
            if rid in dead:
                self.report.skipped_deleted_here += 1
                continue
            existing = local.get(rid)
            if existing is None:
                inserts.append(row)
                self.report.bump(self.report.added, record_type)
                if model is Victim:
                    self.new_victims.append(rid)
                continue
            self._merge_existing(model, existing, _python_row(model, row), syncs.get(rid))
        if self._bases:
            self._bases.clear()
        if inserts:
            # One executemany per batch on the session's own connection (same transaction), with values
            # already validated into SQLite's storage format: SQLAlchemy's ORM bulk path issued a statement
            # per row and its bind processing was most of the import time.
            codec = codec_for(model)
            if model.__tablename__ in BulkInserts.TABLES:
                if self._bulk is None:
                    self._bulk = BulkInserts(self.s.connection())
                self._bulk.suspend()
                self._bulk.touched([r["id"] if model is Victim else r["victim_id"] for r in inserts])
            cursor = self.s.connection().connection.cursor()
            try:
                cursor.executemany(codec.insert_sql, list(map(codec.values_of, inserts)))
                now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
                cursor.executemany(
                    "INSERT INTO record_sync (record_id, record_type, synced_version, origin_installation, "
                    "synced_at, synced_epoch) VALUES (?, ?, ?, ?, ?, ?)",
                    [(r["id"], record_type, r["version"], self.origin, now, self.epoch) for r in inserts])
            except sqlcipher3.dbapi2.IntegrityError:  # a record twice in the bundle, or one it cannot hold
                raise ExchangeError("bundle_malformed", part="record") from None
            finally:
                cursor.close()

    def _was_empty(self, table: str) -> bool:
        """Whether ``table`` held no row before this import: asked at its first batch, before anything of the
        import went in."""
        empty = self._empty_before.get(table)
        if empty is None:
            empty = self._empty_before[table] = self._first_row(table) is None
        return empty

    def _no_tombstones(self) -> bool:
        """No tombstone in the registry before this import, and none added by it."""
        if self._tombstone_free is None:
            self._tombstone_free = self._first_row(Tombstone.__tablename__) is None
        return self._tombstone_free

    def _first_row(self, table: str) -> Any:
        cursor = self.s.connection().connection.cursor()
        try:
            return cursor.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
        finally:
            cursor.close()

    def _present(self, table: str, column: str, ids: list[str]) -> set[str]:
        """Those of ``ids`` found in ``table.column`` (its primary key): one statement, a key lookup each."""
        if not ids:
            return set()
        cursor = self.s.connection().connection.cursor()
        try:
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IN ({', '.join('?' * len(ids))})", ids)
            return {found for (found,) in cursor.fetchall()}
        finally:
            cursor.close()

    def _merge_townships(self, rows: list[dict[str, Any]]) -> None:
        for row in (_python_row(Township, r) for r in rows):
            same_id = self.s.get(Township, row["id"])
            if same_id is not None:
                self.report.bump(self.report.unchanged, "township")
                continue
            same_name = self.s.scalar(select(Township).where(Township.name == row["name"]))
            if same_name is not None:  # the same township known here under another id
                self.township_remap[row["id"]] = same_name.id
                self.report.bump(self.report.unchanged, "township")
                continue
            if self.s.scalar(select(Township.id).where(Township.code == row["code"])) is not None:
                # Township codes make file numbers unique county-wide: two laptops must not share one.
                raise ExchangeError("township_code_collision", township_code=str(row["code"]))
            self.s.execute(insert(Township), [row])
            self.report.bump(self.report.added, "township")

    def _merge_user_stubs(self, rows: list[dict[str, Any]]) -> None:
        for row in (_python_row(User, r) for r in rows):
            if self.s.get(User, row["id"]) is not None:
                self.report.bump(self.report.unchanged, "user")
                continue
            # A remote author: kept so records can name who wrote them; cannot sign in here (no key slot).
            self.s.execute(insert(User), [{**row, "login": f"~{row['id'][:13]}", "active": False}])
            self.report.bump(self.report.added, "user")

    def _merge_existing(self, model: Any, local: Any, row: dict[str, Any], sync: RecordSync | None) -> None:
        record_type = model.RECORD_TYPE
        base = sync.synced_version if sync else None
        incoming_version = row["version"]
        fields = [c.key for c in model.__table__.columns if c.key not in IMMUTABLE | META | DERIVED_COLUMNS]
        if sync is not None and self.epoch is not None and sync.synced_epoch is not None \
                and sync.synced_epoch != self.epoch:
            # The version held here came from another epoch of the sender (it was restored from a backup
            # since, or this is a late bundle of the lost laptop): the numbers are not comparable.  A higher
            # number may have been edited on an older copy (the lost laptop's edits that reached us never
            # reached it), a lower or equal one may carry other contents.  Only a base that proves the
            # sender held exactly our copy makes the incoming version its successor; otherwise what differs
            # goes to the supervisor as conflicts — nothing is overwritten, nothing is dropped.
            if self._successor_of_held(model, local, row, sync):
                base = sync.synced_version
            elif not any(encode_value(getattr(local, f)) != encode_value(row.get(f)) for f in fields):
                self.report.bump(self.report.unchanged, record_type)
                self._set_sync(record_type, row["id"], incoming_version, sync)  # numbered in its epoch now
                return
            else:
                base = None  # no common base to tell who changed what: every differing field is a conflict
        elif base is not None and incoming_version <= base:
            self.report.bump(self.report.unchanged, record_type)  # already held
            return
        differing = [f for f in fields if encode_value(getattr(local, f)) != encode_value(row.get(f))]
        local_changed = base is None or local.version > base
        if not differing:
            self.report.bump(self.report.unchanged, record_type)
            self._set_sync(record_type, row["id"], incoming_version, sync)
            return
        if local_changed:
            if base is None:
                changed_here = set(differing)
            else:
                changed_here = set(self.s.scalars(select(ChangeEntry.field).where(
                    ChangeEntry.record_id == row["id"], ChangeEntry.version > base,
                    ChangeEntry.installation_id == self.local_installation)))
            apply = [f for f in differing if f not in changed_here]
            clash = [f for f in differing if f in changed_here]
            if model is Victim and close_edit_conflict(changed_here, differing):
                # Closed (or reopened) on one side, edited on the other: the supervisor decides; neither the
                # edit nor the closure is applied silently (domain/lifecycle.py).
                life = [f for f in differing if f in LIFECYCLE_FIELDS]
                apply = [f for f in apply if f not in LIFECYCLE_FIELDS]
                clash = list(dict.fromkeys([*clash, *(life or ["status"])]))
        else:
            apply, clash = differing, []
        now = utcnow()
        values: dict[str, Any] = {f: row.get(f) for f in apply}
        if local_changed:
            values["version"] = max(local.version, incoming_version) + 1
        else:
            values.update({k: row[k] for k in META if k in row})
        if apply or local_changed:
            self.s.execute(update(model).where(model.id == row["id"]).values(**values))
        self.s.add_all([
            ChangeEntry(record_type=record_type, record_id=row["id"], version=values.get("version", incoming_version),
                        field=f, old_value=_text(getattr(local, f)), new_value=_text(row.get(f)), changed_at=now,
                        changed_by=row.get("updated_by"), installation_id=row.get("updated_installation"))
            for f in apply])
        for f in clash:
            self.s.add(MergeConflict(bundle_id=self.bundle_id, record_type=record_type, record_id=row["id"], field=f,
                                     local_value=_text(getattr(local, f)), incoming_value=_text(row.get(f)),
                                     incoming_version=incoming_version))
        if clash:
            self.report.conflicts += len(clash)
            self.report.conflict_records.append(row["id"])
        self.report.bump(self.report.updated, record_type)
        self._set_sync(record_type, row["id"], incoming_version, sync)

    def _successor_of_held(self, model: Any, local: Any, row: dict[str, Any], sync: RecordSync) -> bool:
        """Did the sender (in another epoch than the held version's) edit on top of exactly the copy held here?
        Proven only by its base: the held version's number and a digest of the contents held here
        (``store/epoch_bases.py``).  A base naming another version (an older backup, or unsent edits of the
        lost laptop this county never saw), a county copy changed here since, or no base: not proven."""
        claim = self._bases.get(row["id"])
        if claim is None or row["version"] <= sync.synced_version:
            return False
        version, digest = claim
        return version == sync.synced_version == local.version \
            and hmac.compare_digest(digest, content_digest(model, row["id"], local))

    def _set_sync(self, record_type: str, record_id: str, version: int, sync: RecordSync | None) -> None:
        if sync is None:
            self.s.add(RecordSync(record_id=record_id, record_type=record_type, synced_version=version,
                                  origin_installation=self.origin, synced_epoch=self.epoch))
        else:
            sync.synced_version = version
            sync.synced_at = utcnow()
            if self.epoch is not None:
                sync.synced_epoch = self.epoch

    def _flag_duplicates(self) -> None:
        """Likely the same person under another UUID (``domain/duplicates.py``, the rule registration uses):
        flagged for review."""
        new_ids = set(self.new_victims)
        columns = (Victim.id, Victim.id_number, Victim.name, Victim.alias, Victim.sex, Victim.birth_date,
                   Victim.estimated_birth_year, Victim.name_pinyin)
        for ids in _chunks(self.new_victims, 500):
            mine = {r.id: r for r in self.s.execute(select(*columns).where(Victim.id.in_(ids)))}
            numbers = [r.id_number for r in mine.values() if r.id_number]
            # The sound of a name is the stored name_pinyin (search_keys.search_columns made it, here as on entry)
            keys = [r.name_pinyin for r in mine.values() if r.name_pinyin]
            conds = []
            if numbers:
                conds.append(Victim.id_number.in_(numbers))
            if keys:
                conds.append(Victim.name_pinyin.in_(keys))
            if not conds:
                continue
            # Candidates indexed by what can make a pair (the ID number, the sound of the name), so that each
            # new file meets only its own few candidates: comparing every file of the chunk with every
            # candidate was quadratic (an import of 10,000 files spent minutes here).
            by_number: dict[str, list[Any]] = defaultdict(list)
            by_name: dict[str, list[Any]] = defaultdict(list)
            for other in self.s.execute(select(*columns).where(or_(*conds))):
                if other.id_number:
                    by_number[other.id_number.strip().upper()].append(other)
                if other.name_pinyin:
                    by_name[other.name_pinyin].append(other)
            people: dict[str, Person] = {}  # each row's person once: a candidate meets many of the chunk

            def person(row: Any, people: dict[str, Person] = people) -> Person:
                found = people.get(row.id)
                if found is None:
                    found = people[row.id] = _import_person(row)
                return found

            for vid in ids:
                me = mine.get(vid)
                if me is None:
                    continue
                pool = by_name.get(me.name_pinyin, []) if me.name_pinyin else []
                if me.id_number:
                    pool = by_number.get(me.id_number.strip().upper(), []) + pool
                seen: set[str] = set()
                for other in pool:
                    if other.id in seen:
                        continue
                    seen.add(other.id)
                    if other.id == vid or (other.id in new_ids and other.id < vid):
                        continue  # itself, or a pair already flagged from the other side
                    reason = duplicate_reason(person(me), person(other))
                    if reason is None:
                        continue
                    self.s.add(DuplicateFlag(victim_id=vid, other_victim_id=other.id, reason=reason,
                                             bundle_id=self.bundle_id))
                    self.report.duplicates += 1
                    self.report.duplicate_pairs.append((vid, other.id, reason))

def _import_person(r: Any) -> Person:
    sex = r.sex
    return Person(r.id_number, r.name or r.alias, getattr(sex, "value", sex), r.birth_date, r.estimated_birth_year,
                  sound=r.name_pinyin or "")


def _file_rule(model: Any, data: Mapping[str, Any], facts: FileFacts) -> None:
    """The file rule of one incoming record (``domain/entry_rules.py``), on storage-format values."""
    if model is ServiceRecord:
        start = _as_date(data["start_date"])
        assert start is not None
        check_service(facts, ServiceType(data["service_type"]), start)
    elif model is Placement:
        start = _as_date(data["start_date"])
        assert start is not None
        check_placement(facts, data.get("household_head"), data.get("address"), data.get("caregiver_id_number"),
                        start)
    elif model is Guardian:
        check_guardian(facts, data.get("name"), data.get("address"), data.get("id_number"), local_today())
    elif model is Consent and not data.get("withdrawn_on"):
        given_on = _as_date(data.get("given_on"))
        if given_on is not None:
            check_consent(facts, ConsentGiver(data["given_by"]), data.get("guardian_name"), given_on)


def _stamp(value: datetime | None) -> str:
    """A datetime as the bundle carries it (storage text), to compare with incoming ``updated_at``."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if value is not None else ""


def _as_date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _text(value: Any) -> str | None:
    encoded = encode_value(value)
    return None if encoded is None else str(encoded)


def stored_value(column: Any, text: str | None) -> Any:
    """A value kept as text by :func:`_text` (a merge conflict's two sides, the change log) back in its column's
    type: ``"True"`` → True, ``"3"`` → 3, ``"2011-03-15"`` → a date, an enum value → its member."""
    if text is None:
        return None
    kind = column.type
    enum_class = getattr(kind, "enum_class", None)
    try:
        if isinstance(kind, Boolean):
            return {"True": True, "False": False, "1": True, "0": False}[text]
        if isinstance(kind, Integer):
            return int(text)
        if isinstance(kind, DateTime):
            return datetime.fromisoformat(text)
        if isinstance(kind, Date):
            return date.fromisoformat(text)
        if enum_class is not None:
            return enum_class(text)
    except (KeyError, ValueError):
        raise ExchangeError("bundle_malformed", part="record") from None
    return text


def _chunks(items: list[str], n: int) -> Iterator[list[str]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]
