"""Victim dedicated files (专门档案): register, edit, list (masked), search, open, reveal, close."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple, cast

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, func, literal_column, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from fanguai_desk.domain.clocks import age_on, days_unidentified, unidentified_since
from fanguai_desk.domain.duplicates import Person, duplicate_reason, name_key
from fanguai_desk.domain.entry_rules import check_guardian, check_victim
from fanguai_desk.domain.enums import (
    AuditAction,
    FileStatus,
    IdentityStatus,
    PlacementState,
    Sex,
)
from fanguai_desk.domain.errors import RuleViolation, ValidationError
from fanguai_desk.domain.idnumber import check_id_against_file
from fanguai_desk.domain.masking import mask_id_number
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.domain.search_keys import normalize_query, search_columns
from fanguai_desk.services import fields
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.paging import (
    DEFAULT_PAGE,
    Branches,
    Cursor,
    Page,
    keyset_plan,
    make_page,
    segment_statement,
)
from fanguai_desk.services.prepared import compiled, plain_rows
from fanguai_desk.services.privacy import (
    FILE_RECORDS,
    list_id_number,
    list_name,
    masked_record,
    revealed_record,
)
from fanguai_desk.store import rule_sql
from fanguai_desk.store.clock import local_day, local_today
from fanguai_desk.store.models import (
    AuditEntry,
    BuyerHousehold,
    Case,
    ChangeEntry,
    Consent,
    FollowUp,
    Guardian,
    LegalAidReferral,
    Placement,
    RegistryMeta,
    ServiceRecord,
    Township,
    Victim,
)
from fanguai_desk.store.review import file_facts, flag_file_for_review

SORT_COLUMNS = {
    "file_number": Victim.file_number,
    "name": Victim.name_pinyin,
    "rescue_date": Victim.rescue_date,
    "updated": Victim.updated_at,
    "status": Victim.status,
}


def display_name(v: Victim) -> str:
    """What lists show: never the full name (hidden names not even masked)."""
    return list_name(v.name, v.alias, v.hidden_name)


class VictimRow(NamedTuple):
    """One masked line of a list (immutable; a named tuple: a list or search builds 200 per page)."""

    id: str
    file_number: str
    display_name: str
    id_number_masked: str
    sex: Sex
    age: int | None
    township: str
    status: FileStatus
    identity_status: IdentityStatus
    placement_state: PlacementState | None
    rescue_date: date | None
    attention_flag: bool
    version: int


class VictimQuery(NamedTuple):
    """What the list shows: a search text and filters, and the order.  A named tuple (immutable, a value): one is
    made for every search typed, and its fields but the text (``[1:]``) are the statement's shape."""

    text: str | None = None
    township_id: str | None = None
    status: FileStatus | None = None
    minors_only: bool = False
    placement_state: PlacementState | None = None
    overdue_only: bool = False
    unidentified_only: bool = False
    sort: str = "file_number"
    descending: bool = False


#: The query of the whole list: no search text, no filter, by file number.
EVERY_FILE = VictimQuery()


@dataclass
class VictimFile:
    """Everything on one file, loaded in a fixed number of queries (no N+1)."""

    victim: Victim
    township: str
    case: Case | None
    guardians: list[Guardian]
    buyer_households: list[BuyerHousehold]
    services: list[ServiceRecord]
    followups: list[FollowUp]
    referrals: list[LegalAidReferral]
    placements: list[Placement]
    consents: list[Consent]
    display_name: str
    id_number_masked: str
    age: int | None
    days_unidentified: int | None
    consent_overrides: list[LegalAidReferral] = field(default_factory=list)


@dataclass(frozen=True)
class DuplicateHint:
    victim_id: str
    file_number: str
    reason: str  # "same_id_number" | "same_name_birth_sex"


class VictimService(ServiceBase):
    # ------------------------------------------------------------------ write

    def _resolve_township(self, s: Session, name: str | None) -> Township:
        actor = self.uow.actor
        if name is None:
            if actor.township_id is None:
                raise ValidationError("field_required", field="township")
            t = s.get(Township, actor.township_id)
        else:
            t = s.scalar(select(Township).where(or_(Township.name == name, Township.code == name)))
        if t is None:
            raise ValidationError("township_unknown")
        self.uow.require_township(t.id)
        return t

    def _next_file_number(self, s: Session, township: Township, year: int) -> str:
        key = f"file_seq:{township.code}:{year}"
        meta = s.get(RegistryMeta, key)
        n = int(meta.value) + 1 if meta else 1
        prefix = f"{township.code}-{year}-"
        # Never reuse a number, even if the counter was lost (e.g. restored from an older backup).
        while s.scalar(select(Victim.id).where(Victim.file_number == f"{prefix}{n:04d}")) is not None:
            n += 1
        s.merge(RegistryMeta(key=key, value=str(n)))
        return f"{prefix}{n:04d}"

    @staticmethod
    def _apply_identity_rules(values: dict[str, Any], stored: Mapping[str, Any] | None = None) -> None:
        """ID number check digit; its birth date and sex must agree with the file (GB 11643)."""
        number = values.get("id_number")
        if number:
            info = check_id_against_file(number, values.get("birth_date"),
                                         values.get("sex") if values.get("sex") != Sex.UNKNOWN else None)
            values["id_number"] = info.number
            values["birth_date"] = values.get("birth_date") or info.birth_date
            if values.get("sex") in (None, Sex.UNKNOWN):
                values["sex"] = info.sex
        check_victim(values, local_today(), stored)
        values.update(search_columns(values.get("name"), values.get("alias"), values.get("id_number")))

    def _duplicates(self, s: Session, values: Mapping[str, Any], exclude_id: str | None) -> list[DuplicateHint]:
        """Files that are likely the same person (``domain/duplicates.py``, the rule the importer uses too)."""
        me = _person(values)
        conds = []
        if values.get("id_number"):
            conds.append(Victim.id_number == values["id_number"])
        key = name_key(values.get("name") or values.get("alias"))
        if key:
            conds.append(Victim.name_pinyin == key)
        if not conds:
            return []
        hints: list[DuplicateHint] = []
        for v in s.scalars(select(Victim).where(or_(*conds))):
            reason = duplicate_reason(me, _person(v))
            if v.id != exclude_id and reason is not None:
                hints.append(DuplicateHint(v.id, v.file_number, reason))
        return hints

    @staticmethod
    def _check_guardians(victim: Victim, guardians: Sequence[Guardian]) -> None:
        facts = file_facts(victim)
        for g in guardians:
            check_guardian(facts, g.name, g.address, g.id_number, local_today())

    def register(self, data: Mapping[str, Any]) -> tuple[str, list[DuplicateHint]]:
        """Create a file.  Identity may be unknown: an alias and an estimated birth year are enough."""
        self.uow.require(Permission.FILE_WRITE)
        with self.uow.tx() as s:
            return self.register_in(s, data)

    def register_in(self, s: Session, data: Mapping[str, Any]) -> tuple[str, list[DuplicateHint]]:
        """:meth:`register` inside the caller's transaction (the ledger import: every row or none)."""
        self.uow.require(Permission.FILE_WRITE)
        values = fields.VICTIM.coerce(data)
        guardians = [fields.GUARDIAN.coerce(g) for g in (values.pop("guardians", None) or [])]
        buyers = [fields.BUYER.coerce(b) for b in (values.pop("buyer_households", None) or [])]
        if not values.get("name") and not values.get("alias"):
            raise ValidationError("name_or_alias_required")
        if values.get("identity_status") is None:
            values["identity_status"] = IdentityStatus.KNOWN if values.get("name") else IdentityStatus.UNKNOWN
        values["sex"] = values.get("sex") or Sex.UNKNOWN
        self._apply_identity_rules(values)
        township = self._resolve_township(s, values.pop("township", None))
        hints = self._duplicates(s, values, None)
        if any(h.reason == "same_id_number" for h in hints):
            raise RuleViolation("duplicate_id_number", file_number=hints[0].file_number)
        if values.get("case_id"):
            case = s.get(Case, values["case_id"])
            if case is None or not self.uow.can_see_township(case.township_id):
                raise ValidationError("case_unknown")
        number = values.pop("file_number", None) or self._next_file_number(s, township, local_today().year)
        if s.scalar(select(Victim.id).where(Victim.file_number == number)):
            raise ValidationError("file_number_taken")
        victim = Victim(township_id=township.id, file_number=number,
                        caseworker_id=values.pop("caseworker_id", None) or self.uow.actor.user_id,
                        nationality=values.pop("nationality", None) or "CN",
                        hidden_name=bool(values.pop("hidden_name", False)),
                        attention_flag=bool(values.pop("attention_flag", False)),
                        **values)
        victim.guardians = [Guardian(**g) for g in guardians]
        victim.buyer_households = [BuyerHousehold(**b) for b in buyers]
        self._check_guardians(victim, victim.guardians)
        s.add(victim)
        s.flush()
        self.uow.audit(s, AuditAction.CREATE, Victim.RECORD_TYPE, victim.id)
        return victim.id, hints

    def edit(self, victim_id: str, data: Mapping[str, Any], expected_version: int | None = None) -> int:
        """Change some fields.  ``expected_version`` (what the form loaded) makes a concurrent edit a conflict."""
        values = fields.VICTIM.coerce(data, partial=True)
        guardians = values.pop("guardians", None)
        buyers = values.pop("buyer_households", None)
        with self.uow.tx() as s:
            victim = self._victim(s, victim_id, write=True)
            self._check_version(victim, expected_version)
            if "township" in values:
                township = self._resolve_township(s, values.pop("township"))
                values["township_id"] = township.id
            merged = {k: getattr(victim, k) for k in ("id_number", "birth_date", "sex", "name", "alias",
                                                        "estimated_birth_year", "rescue_date", "identified_on",
                                                        "arrived_at_institution_on")}
            stored = dict(merged)
            merged.update({k: v for k, v in values.items() if k in merged})
            if "sex" in values and values["sex"] is None:
                merged["sex"] = Sex.UNKNOWN
            if (values.get("identity_status") is IdentityStatus.KNOWN
                    and victim.identity_status is IdentityStatus.UNKNOWN and merged.get("identified_on") is None):
                # Identity becomes known: the day it did is what 落户 and the statistics count from.
                merged["identified_on"] = values["identified_on"] = local_today()
            self._apply_identity_rules(merged, stored)
            if merged.get("id_number") and merged["id_number"] != victim.id_number:
                clash = s.scalar(select(Victim.file_number).where(Victim.id_number == merged["id_number"],
                                                                   Victim.id != victim.id))
                if clash:
                    raise RuleViolation("duplicate_id_number", file_number=clash)
            values.update(merged)
            for key, value in values.items():
                if key in ("hidden_name", "attention_flag"):
                    value = bool(value)
                if getattr(victim, key) != value:
                    setattr(victim, key, value)
            if buyers is not None:
                victim.buyer_households = [BuyerHousehold(**fields.BUYER.coerce(b)) for b in buyers]
            if guardians is not None:
                new_guardians = [Guardian(**fields.GUARDIAN.coerce(g)) for g in guardians]
                self._check_guardians(victim, new_guardians)  # the guardians written now are checked now
                victim.guardians = new_guardians
            changed = sorted(k for k in data if k not in ("guardians", "buyer_households"))
            s.flush()
            # Older records of the file that this change makes break a file rule: flagged, not refused.
            flag_file_for_review(s, victim)
            self.uow.audit(s, AuditAction.UPDATE, Victim.RECORD_TYPE, victim.id, fields=changed)
            return victim.version

    # ------------------------------------------------------------------ read

    #: The signed-in actor, and the townships it sees (see ``_scope_ids``).
    _scope: tuple[object, tuple[str, ...] | None] | None = None

    def _scope_ids(self) -> tuple[str, ...] | None:
        """The townships the actor sees, sorted (None: every township).  The actor and what the laptop is are
        fixed for the unit of work's life, so it is worked out once per actor (every list page and search)."""
        actor, scope = self.uow.actor, self._scope
        if scope is None or scope[0] is not actor:
            ids = self.uow.visible_township_ids()
            scope = self._scope = (actor, None if ids is None else tuple(sorted(ids)))
        return scope[1]

    def _conditions(self, q: VictimQuery, today: date, *, text: bool = True) -> list[ColumnElement[bool]]:
        """The conditions of ``q`` in the actor's scope (the search text's only when ``text``)."""
        conds = query_conditions(q, today, self._scope_ids(), search=bool(q.text))
        if q.text and text:
            conds.append(search_condition(q.text))
        return conds

    def _filtered(self, q: VictimQuery, today: date, *columns: Any) -> Select[Any]:
        """The files of ``q`` in the actor's scope: ``select(*columns)`` (default: the list row's columns and
        the sort column)."""
        stmt = (list_row_select(SORT_COLUMNS.get(q.sort, Victim.file_number)) if not columns
                else select(*columns).select_from(Victim))
        conds = self._conditions(q, today)
        return stmt.where(*conds) if conds else stmt

    def count(self, q: VictimQuery = EVERY_FILE, today: date | None = None) -> int:
        """How many files ``q`` finds (the list's total): a statement compiled once per kind of query."""
        kinds, params = search_parameters(q.text)
        shape = _shape(q, kinds, self._scope_ids(), today)
        with self.uow.read_rows() as conn:
            return int(plain_rows(conn, _count_sql(shape), params)[0][0] or 0)

    def list_rows(self, q: VictimQuery = EVERY_FILE, offset: int = 0, limit: int = 100,
                  today: date | None = None) -> list[VictimRow]:
        today = today or local_today()
        col = SORT_COLUMNS.get(q.sort, Victim.file_number)
        order = [col.desc() if q.descending else col.asc(), Victim.id]
        # The page's ids first (from an index alone for the default order), then only those files: a page
        # deep in the list no longer reads, and joins, every file before it.
        page = self._filtered(q, today, Victim.id).order_by(*order).offset(offset).limit(limit).correlate(None)
        stmt = list_row_select().where(Victim.id.in_(page)).order_by(*order)
        with self.uow.read() as s:
            return victim_rows(s, stmt, today)

    def page(self, q: VictimQuery = EVERY_FILE, *, after: Cursor | None = None, limit: int = DEFAULT_PAGE,
             today: date | None = None) -> Page[VictimRow]:
        """The next page of the masked list (see ``services/paging.py``): the same rows, in the same order, as
        ``list_rows``, by keyset.  Plain rows of the columns a list shows (no ORM objects), masked by the
        privacy layer; the placement is the maintained column — one statement per page.

        The hot path of the list and the search: each segment's statement is compiled once per kind of query
        (its filters, scope, kinds of search match, sort, page size) with placeholders for the search values
        and the cursor (``_page_sql``), so a call only binds values and reads plain rows.  A search reads one
        keyset page per kind of match from its own index (``paging.Branches``)."""
        today = today or local_today()
        kinds, params = search_parameters(q.text)
        shape = _shape(q, kinds, self._scope_ids(), today)
        at, nullable = _SORT_AT.get(q.sort, _FILE_NUMBER_AT)
        fetched: list[Any] = []
        with self.uow.read_rows() as conn:
            for segment, cursor in keyset_plan(after, nullable=nullable, descending=q.descending):
                if len(fetched) >= limit:
                    break
                bound = params if cursor is None else {**params, "k_v": cursor.value, "k_id": cursor.id}
                # The page's size is in the statement (SQLite reads a bound LIMIT more slowly: ~30 µs a page);
                # a second segment fetches up to a page too and keeps what fits.
                more = plain_rows(conn, _page_sql(shape, segment, cursor is not None, limit), bound)
                fetched = more if not fetched else fetched + more[:limit - len(fetched)]
        rows = [_list_row(r, today) for r in fetched]
        # The cursor holds the sort column's stored value: the next page compares it with what is stored.
        return make_page(fetched, rows, limit, lambda r: Cursor(r[at], r[0]))

    def search(self, text: str, limit: int = DEFAULT_PAGE) -> list[VictimRow]:
        """The first ``limit`` matches of ``text`` in list order (the GUI's search is ``page`` + ``count``)."""
        return self.page(VictimQuery(text=text), limit=limit).rows

    def open_file(self, victim_id: str, today: date | None = None, *, audit_read: bool = True) -> VictimFile:
        """Load a whole file (a fixed handful of queries) and record the read in the audit log."""
        today = today or local_today()
        with self.uow.tx() as s:
            v = self._victim(s, victim_id)
            by_victim = lambda model, *order: list(  # noqa: E731
                s.scalars(select(model).where(model.victim_id == v.id).order_by(*order)))
            referrals = list(s.scalars(select(LegalAidReferral).where(LegalAidReferral.victim_id == v.id)
                                       .order_by(LegalAidReferral.referral_date)))
            for r in referrals:
                _ = r.events  # load inside the session
            vf = VictimFile(
                victim=v, township=v.township.name,
                case=s.get(Case, v.case_id) if v.case_id else None,
                guardians=list(v.guardians), buyer_households=list(v.buyer_households),
                services=by_victim(ServiceRecord, ServiceRecord.start_date),
                followups=by_victim(FollowUp, FollowUp.planned_date.is_(None), FollowUp.planned_date),
                referrals=referrals,
                placements=by_victim(Placement, Placement.start_date),
                consents=by_victim(Consent, Consent.given_on),
                display_name=display_name(v), id_number_masked=mask_id_number(v.id_number),
                age=age_on(v.birth_date, v.estimated_birth_year, today),
                days_unidentified=days_unidentified(
                    unidentified_since(v.arrived_at_institution_on, v.rescue_date, local_day(v.created_at)),
                    v.identified_on, today)
                if v.identity_status is IdentityStatus.UNKNOWN else None,
            )
            vf.consent_overrides = [r for r in referrals if r.consent_override_reason]
            if audit_read:
                self.uow.audit(s, AuditAction.READ, Victim.RECORD_TYPE, v.id)
            return vf

    def masked_file(self, victim_id: str, today: date | None = None) -> dict[str, Any]:
        """The file as every view shows it without a reveal (``services/privacy.py``): each record's every
        column, identifying fields masked.  Reading it is audited like :meth:`open_file`."""
        vf = self.open_file(victim_id, today)
        return {"victim": masked_record(vf.victim), "display_name": vf.display_name, "age": vf.age,
                "township": vf.township, "days_unidentified": vf.days_unidentified,
                "services": [masked_record(r) for r in vf.services],
                "followups": [masked_record(r) for r in vf.followups],
                "referrals": [masked_record(r) for r in vf.referrals],
                **{key: [masked_record(r) for r in getattr(vf, key)] for key in FILE_RECORDS}}

    def reveal_file(self, victim_id: str, purpose: str = "view") -> dict[str, Any]:
        """The clear identifying values of the whole file (the person, guardians, buyer households,
        placement households, consent givers): an explicit act, one REVEAL audit entry naming the fields."""
        with self.uow.tx() as s:
            v = self._victim(s, victim_id)
            out: dict[str, Any] = {"victim": revealed_record(v)}
            by_victim: dict[str, Any] = {"guardians": Guardian, "buyer_households": BuyerHousehold,
                                         "placements": Placement, "consents": Consent}
            for key in FILE_RECORDS:
                model = by_victim[key]
                out[key] = [revealed_record(r) for r in s.scalars(select(model).where(model.victim_id == v.id))]
            fields_shown = sorted({f"{key}.{f}" for key in out for rec in (
                out[key] if isinstance(out[key], list) else [out[key]]) for f in rec if f != "id"})
            self.uow.audit(s, AuditAction.REVEAL, Victim.RECORD_TYPE, v.id, fields=fields_shown, purpose=purpose)
            return out

    def reveal(self, victim_id: str, purpose: str = "view") -> dict[str, str | None]:
        """Show the full name and ID number: an explicit act, recorded in the audit log."""
        with self.uow.tx() as s:
            v = self._victim(s, victim_id)
            self.uow.audit(s, AuditAction.REVEAL, Victim.RECORD_TYPE, v.id, fields=["name", "id_number"],
                            purpose=purpose)
            return {"name": v.name, "alias": v.alias, "id_number": v.id_number}

    def history(self, victim_id: str) -> list[ChangeEntry]:
        with self.uow.read() as s:
            v = self._victim(s, victim_id)
            child_ids = [v.id]
            for model in (ServiceRecord, FollowUp, LegalAidReferral, Placement, Consent, Guardian, BuyerHousehold):
                child_ids += list(s.scalars(select(model.id).where(model.victim_id == v.id)))
            return list(s.scalars(select(ChangeEntry).where(ChangeEntry.record_id.in_(child_ids))
                                  .order_by(ChangeEntry.seq)))

    def audit_trail(self, victim_id: str) -> list[AuditEntry]:
        with self.uow.read() as s:
            v = self._victim(s, victim_id)
            return list(s.scalars(select(AuditEntry).where(AuditEntry.record_id == v.id).order_by(AuditEntry.seq)))

    def likely_duplicates(self, victim_id: str) -> list[DuplicateHint]:
        with self.uow.read() as s:
            v = self._victim(s, victim_id)
            return self._duplicates(s, {"id_number": v.id_number, "name": v.name, "alias": v.alias,
                                        "birth_date": v.birth_date, "sex": v.sex,
                                        "estimated_birth_year": v.estimated_birth_year}, v.id)


def _person(v: Any) -> Person:
    get = v.get if isinstance(v, Mapping) else lambda k: getattr(v, k, None)
    sex = get("sex")
    return Person(get("id_number"), get("name") or get("alias"), getattr(sex, "value", sex), get("birth_date"),
                  get("estimated_birth_year"))


#: The columns a list row is made of (``VictimRow``): read as plain values, never as ORM objects.
LIST_ROW_COLUMNS: tuple[Any, ...] = (
    Victim.id, Victim.file_number, Victim.name, Victim.alias, Victim.hidden_name, Victim.id_number, Victim.sex,
    Victim.birth_date, Victim.estimated_birth_year, Township.name.label("township"), Victim.status,
    Victim.identity_status, Victim.current_placement, Victim.rescue_date, Victim.attention_flag, Victim.version,
)


def list_row_select(*extra: Any) -> Select[Any]:
    """``SELECT`` the list row's columns of files (joined to their township's name), and ``extra`` ones."""
    more = [c for c in extra if not any(c is col for col in LIST_ROW_COLUMNS)]
    return select(*LIST_ROW_COLUMNS, *more).join_from(Victim, Township, Township.id == Victim.township_id)


#: Per sort: where a page's row holds the sort column's value (its cursor), and whether it may be NULL.
_SORT_AT: dict[str, tuple[int, bool]] = {
    sort: ([c.key for c in list_row_select(col).selected_columns].index(col.key), bool(col.nullable))
    for sort, col in SORT_COLUMNS.items()}
_FILE_NUMBER_AT = _SORT_AT["file_number"]


#: Stored value → member; the members themselves map to themselves, so typed rows (ORM/Core) and text rows
#: (statements run on the driver's cursor) build through the one function below.
_SEX: dict[Any, Sex] = {**{m.value: m for m in Sex}, **{m: m for m in Sex}}
_FILE_STATUS: dict[Any, FileStatus] = {**{m.value: m for m in FileStatus}, **{m: m for m in FileStatus}}
_IDENTITY: dict[Any, IdentityStatus] = {**{m.value: m for m in IdentityStatus}, **{m: m for m in IdentityStatus}}
_PLACEMENT: dict[Any, PlacementState | None] = {None: None, **{m.value: m for m in PlacementState},
                                                 **{m: m for m in PlacementState}}


def _day(value: Any) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def _list_row(r: Sequence[Any], today: date) -> VictimRow:
    """A masked list row from a ``list_row_select()`` row, typed or as stored (a statement run as text: strings
    for dates and enums, 0/1 for flags).  Built positionally in ``VictimRow``'s field order (scrolling to the
    end builds one per file)."""
    (vid, file_number, name, alias, hidden_name, id_number, sex, birth_date, estimated_birth_year, township,
     status, identity_status, placement, rescue_date, attention_flag, version) = r[:16]
    # What VictimRow(...) does, without its generated __new__'s extra call (~0.1 µs of ~2 µs a row; a test
    # checks that the row has every field).
    return _new_row(VictimRow, (
        vid, file_number, list_name(name, alias, bool(hidden_name)), list_id_number(id_number), _SEX[sex],
        age_on(_day(birth_date), estimated_birth_year, today), township, _FILE_STATUS[status],
        _IDENTITY[identity_status], _PLACEMENT[placement], _day(rescue_date), bool(attention_flag), version,
    ))


_new_row = tuple.__new__


def victim_rows(s: Session, stmt: Select[Any], today: date) -> list[VictimRow]:
    """The masked list rows of ``stmt`` (a ``list_row_select()``), read as plain rows on the connection."""
    return [_list_row(r, today) for r in s.connection().execute(stmt)]


def query_conditions(q: VictimQuery, today: date, scope: Sequence[str] | None, *,
                     search: bool = False) -> list[ColumnElement[bool]]:
    """The conditions of ``q`` but its search text, in the township ``scope`` (None: every township)."""
    conds: list[ColumnElement[bool]] = []
    if scope is not None:
        # "+township_id" is SQLite's hint not to drive the query from the township index: for a search, the
        # name/number indexes find a handful of files, where the township index would read all of its files.
        column = unindexed(Victim.township_id) if search else Victim.township_id
        conds.append(column.in_(list(scope)))
    if q.township_id:
        conds.append(Victim.township_id == q.township_id)
    if q.status:
        conds.append(Victim.status == q.status)
    if q.unidentified_only:
        conds.append(Victim.identity_status == IdentityStatus.UNKNOWN)
    if q.minors_only:
        conds.append(rule_sql.is_minor(today))
    if q.overdue_only:
        # The file's earliest planned visit, maintained on the file (store/state.py): one index range.
        conds.append(rule_sql.visit_overdue(today))
    if q.placement_state:
        conds.append(Victim.current_placement == q.placement_state)  # maintained (store/state.py)
    return conds


class _Shape(NamedTuple):
    """What a list statement's text depends on: the query without its search text (its other fields' values,
    in field order), the kinds of search match, the township scope and — for the date rules — the day.  A
    tuple: it is built and hashed on every call of the hot path."""

    filters: tuple[Any, ...]
    kinds: tuple[str, ...]
    scope: tuple[str, ...] | None
    today: date | None

    @property
    def query(self) -> VictimQuery:
        return VictimQuery(**dict(zip(_FILTER_FIELDS, self.filters, strict=True)))


#: ``VictimQuery``'s fields but the search text (its first): what a statement's text depends on.
_FILTER_FIELDS = VictimQuery._fields[1:]
assert VictimQuery._fields[0] == "text"


def _shape(q: VictimQuery, kinds: tuple[str, ...], scope: tuple[str, ...] | None, today: date | None) -> _Shape:
    # The day is in the text of the statements of the date rules only (a file's age, an overdue visit).
    return _Shape(q[1:], kinds, scope, (today or local_today()) if (q.minors_only or q.overdue_only) else None)


def _placeholder(name: str) -> ColumnElement[Any]:
    return literal_column(f":{name}")


def _shape_conditions(shape: _Shape) -> tuple[list[ColumnElement[bool]], list[ColumnElement[bool]]]:
    """The shape's filters, and its kinds of search match with placeholders ``:tN`` / ``:tNh``."""
    conds = query_conditions(shape.query, shape.today or local_today(), shape.scope, search=bool(shape.kinds))
    terms = [term_condition(kind, _placeholder(f"t{i}"), _placeholder(f"t{i}h") if SEARCH_KINDS[kind][1] else None)
             for i, kind in enumerate(shape.kinds)]
    return conds, terms


@lru_cache(maxsize=256)
def _page_sql(shape: _Shape, segment: str, after: bool, limit: int) -> str:
    """One segment of a page of ``shape`` as SQL text (``paging.segment_statement``), compiled once: the
    placeholders ``:k_v``/``:k_id`` (the cursor) and the search values are bound per call; the page size and
    the filters' values are rendered in the text by the dialect."""
    col = SORT_COLUMNS.get(shape.query.sort, Victim.file_number)
    conds, terms = _shape_conditions(shape)
    base = list_row_select(col).where(*conds) if conds else list_row_select(col)
    branches = None
    if terms:  # a search: one keyset page per kind of match, read from its own index
        branches = Branches(VICTIM_ROWID, select(VICTIM_ROWID.label("rid")).select_from(Victim).where(*conds), terms)
    cursor = Cursor(_placeholder("k_v"), cast(str, _placeholder("k_id"))) if after else None
    return compiled(segment_statement(base, segment, sort=col, id_col=Victim.id, cursor=cursor,
                                      limit=limit, descending=shape.query.descending,
                                      branches=branches))


@lru_cache(maxsize=256)
def _count_sql(shape: _Shape) -> str:
    """``count(*)`` of ``shape`` as SQL text, compiled once (answered from an index; count(id) would read every
    counted row).  A search counts the OR of its kinds of match: SQLite reads each index range alone."""
    conds, terms = _shape_conditions(shape)
    if terms:
        conds.append(or_(*terms))
    stmt = select(func.count()).select_from(Victim)
    return compiled(stmt.where(*conds) if conds else stmt)


def current_placement_state() -> ScalarSelect[Any]:
    """A file's current placement state (its latest placement event), correlated to ``Victim``.

    One seek per file into ix_placements_victim_current, which holds all it reads.  (Ranking every
    placement with a window function and joining the result took ~5 s at 100,000 files.)"""
    return (select(Placement.state).where(Placement.victim_id == Victim.id)
            .order_by(Placement.start_date.desc(), Placement.created_at.desc()).limit(1)
            .correlate(Victim).scalar_subquery())


def unindexed(column: Any) -> ColumnElement[Any]:
    """``+column``: the same value, but SQLite will not use an index for a condition on it (its planner hint)."""
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def _prefix(column: Any, prefix: str) -> ColumnElement[bool]:
    # A range instead of LIKE: uses the index whatever the column's collation.
    return and_(column >= prefix, column < prefix + "\U0010ffff")


#: A file's rowid: what a search's branches hand to the page statement (``paging.Branches``).
VICTIM_ROWID: ColumnElement[Any] = literal_column("victims.rowid")


#: Where each kind of search match looks: a prefix range of the column, or the column equal to the value.
SEARCH_KINDS: dict[str, tuple[Any, bool]] = {
    "file_number": (Victim.file_number, True), "pinyin": (Victim.name_pinyin, True),
    "initials": (Victim.name_initials, True), "id_tail": (Victim.id_tail, False),
    "id_number": (Victim.id_number, False), "name": (Victim.name, True), "alias": (Victim.alias, True),
}
_END = "\U0010ffff"


def search_terms(raw: str) -> list[tuple[str, str]]:
    """The kinds of match of a search box's text and the value each looks for: file number (prefix), full
    pinyin or initials (prefix), ID-number tail or whole number, name or alias (prefix) — the one rule."""
    q = normalize_query(raw)
    terms = [("file_number", q.upper())]
    compact = q.replace(" ", "")
    if compact.isascii() and compact.isalpha():
        terms += [("pinyin", compact), ("initials", compact)]
    digits = compact.replace("x", "").replace("X", "")
    if compact and (not digits or digits.isdigit()):  # digits and x only (an ID number's check character)
        if len(compact) == 4:
            terms.append(("id_tail", compact.upper()))
        elif len(compact) in (15, 18):
            terms.append(("id_number", compact.upper()))
    if not compact.isascii():
        terms += [("name", raw.strip()), ("alias", raw.strip())]
    return terms


def term_condition(kind: str, value: Any, upper: Any = None) -> ColumnElement[bool]:
    """One kind of match as one index range: ``value`` (and for a prefix its ``upper`` bound, by default
    ``value`` + the last code point) may be SQL placeholders."""
    column, prefix = SEARCH_KINDS[kind]
    if not prefix:
        return cast(ColumnElement[bool], column == value)
    # A range instead of LIKE: uses the index whatever the column's collation.
    return and_(column >= value, column < (value + _END if upper is None else upper))


def search_parameters(text: str | None) -> tuple[tuple[str, ...], dict[str, str]]:
    """The kinds of match of a search box's text (:func:`search_terms`; none without a text) and the values of
    the placeholders ``:tN`` / ``:tNh`` of :func:`term_condition`: what a list statement's text and its bound
    values need (one pass: this runs for every search typed)."""
    kinds: list[str] = []
    params: dict[str, str] = {}
    if text:
        for (kind, value), (low, high) in zip(search_terms(text), _PLACEHOLDERS, strict=False):
            kinds.append(kind)
            params[low] = value
            if _IS_PREFIX[kind]:
                params[high] = value + _END
    return tuple(kinds), params


#: The placeholders of the i-th kind of match (a search has each kind at most once: a term beyond them would
#: leave its placeholder unbound, which SQLite refuses); and which kinds are prefixes.
_PLACEHOLDERS = tuple((f"t{i}", f"t{i}h") for i in range(len(SEARCH_KINDS)))
_IS_PREFIX = {kind: prefix for kind, (_column, prefix) in SEARCH_KINDS.items()}


def search_condition(raw: str) -> ColumnElement[bool]:
    """File number, name (prefix), alias, full pinyin or initials (prefix), ID-number tail or full number."""
    return or_(*search_branches(raw))


def search_branches(raw: str) -> list[ColumnElement[bool]]:
    """The kinds of match of a search, each one index range (their OR is :func:`search_condition`)."""
    return [term_condition(kind, value) for kind, value in search_terms(raw)]

