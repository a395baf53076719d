"""The registry's tables (SQLAlchemy 2 typed ORM).

Every mergeable record carries a UUID primary key, created/updated times (UTC, naive), the author and
last editor (user ids), the laptop (installation id) it was made and last changed on, and a version
counter used for optimistic concurrency (``version_id_col``) and, later, for merging between laptops.

Personal data lives only in these tables, inside the SQLCipher-encrypted file.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from fanguai_desk.domain.enums import (
    AuditAction,
    ClosureReason,
    ConsentGiver,
    ConsentScope,
    FileStatus,
    FollowUpMethod,
    FollowUpStatus,
    IdentityStatus,
    PlacementState,
    ReferralMatter,
    ReferralStatus,
    Role,
    ServiceStatus,
    ServiceType,
    Sex,
)
from fanguai_desk.store.clock import utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return str(uuid.uuid4())


def enum_column(enum_cls: type[StrEnum], **kw: Any) -> Any:
    """Store enums by their stable value, as plain strings (no native enum, portable across migrations)."""
    return mapped_column(
        Enum(enum_cls, native_enum=False, create_constraint=False, length=40,
             values_callable=lambda e: [m.value for m in e], validate_strings=True),
        **kw,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Tracked:
    """Columns every mergeable record carries.  ``RECORD_TYPE`` names it in audit, history and exports."""

    RECORD_TYPE: ClassVar[str]
    # Fields whose values are personal data: never copied into the audit log, masked in lists.
    PERSONAL_FIELDS: ClassVar[frozenset[str]] = frozenset()

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(36))
    updated_by: Mapped[str | None] = mapped_column(String(36))
    origin_installation: Mapped[str] = mapped_column(String(36))
    updated_installation: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # Optimistic concurrency: an UPDATE whose version changed underneath fails (StaleDataError),
        # so an edit made in another window or merged from an import is never silently overwritten.
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Registry bookkeeping
# ---------------------------------------------------------------------------------------------


class RegistryMeta(Base):
    __tablename__ = "registry_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Township(Base, Tracked):
    __tablename__ = "townships"
    RECORD_TYPE = "township"
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class User(Base, Tracked):
    __tablename__ = "users"
    RECORD_TYPE = "user"
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = enum_column(Role)
    township_id: Mapped[str | None] = mapped_column(ForeignKey("townships.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    township: Mapped[Township | None] = relationship(lazy="joined")


# ---------------------------------------------------------------------------------------------
# Cases and victim files
# ---------------------------------------------------------------------------------------------


class Case(Base, Tracked):
    __tablename__ = "cases"
    RECORD_TYPE = "case"
    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    police_case_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    handling_unit: Mapped[str | None] = mapped_column(String(200))
    opened_on: Mapped[date | None] = mapped_column(Date)
    incident_date: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    exploitation_type: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[str | None] = mapped_column(Text)


#: What a search index holds after its key: the list's order and the township scope (migration 0017).
SEARCH_COVER = ("file_number", "id", "township_id")


class Victim(Base, Tracked):
    """The dedicated file (专门档案) of one rescued person."""

    __tablename__ = "victims"
    RECORD_TYPE = "victim"
    PERSONAL_FIELDS = frozenset({
        "name", "alias", "name_pinyin", "name_initials", "birth_date", "id_number", "id_tail",
        "household_registration", "current_residence", "notes", "attention_message", "phone",
        "closure_note", "reopen_reason", "transferred_to",
    })

    # Unique per laptop (the service checks), not across a county: the UUID is the identity, and a
    # supervisor may hold two townships' files that happen to share a number.
    file_number: Mapped[str] = mapped_column(String(32))
    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"), index=True)
    caseworker_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))

    identity_status: Mapped[IdentityStatus] = enum_column(IdentityStatus, default=IdentityStatus.KNOWN)
    identified_on: Mapped[date | None] = mapped_column(Date)
    name: Mapped[str | None] = mapped_column(String(100))
    alias: Mapped[str | None] = mapped_column(String(100))
    hidden_name: Mapped[bool] = mapped_column(Boolean, default=False)
    name_pinyin: Mapped[str | None] = mapped_column(String(200))
    name_initials: Mapped[str | None] = mapped_column(String(50))
    sex: Mapped[Sex] = enum_column(Sex, default=Sex.UNKNOWN)
    birth_date: Mapped[date | None] = mapped_column(Date)
    estimated_birth_year: Mapped[int | None] = mapped_column(Integer)
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    id_tail: Mapped[str | None] = mapped_column(String(4), index=True)
    ethnicity: Mapped[str | None] = mapped_column(String(50))
    nationality: Mapped[str] = mapped_column(String(50), default="CN")
    household_registration: Mapped[str | None] = mapped_column(String(300))
    current_residence: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(50))
    disability: Mapped[str | None] = mapped_column(String(200))
    disability_grade: Mapped[str | None] = mapped_column(String(20))
    rescue_date: Mapped[date | None] = mapped_column(Date)
    rescue_unit: Mapped[str | None] = mapped_column(String(200))
    arrived_at_institution_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[FileStatus] = enum_column(FileStatus, default=FileStatus.OPEN)
    #: Maintained state (store/state.py): the latest placement's state, kept by triggers on ``placements``.
    #: Never written by the program; never travels in a bundle.
    current_placement: Mapped[PlacementState | None] = enum_column(PlacementState, nullable=True)
    #: Maintained state for the "nobody forgotten" cards (store/state.py, domain/file_state.py): kept by triggers
    #: on ``followups``, ``services`` and ``victims``; never written by the program; never travels in a bundle.
    next_visit_on: Mapped[date | None] = mapped_column(Date)  # earliest planned date of a planned visit
    last_visit_on: Mapped[date | None] = mapped_column(Date)  # latest actual date of a done visit
    last_contact_on: Mapped[date | None] = mapped_column(Date)  # last visit, else rescue, else file made
    schooling_gap: Mapped[str | None] = mapped_column(String(40))  # no_school_service / schooling_unknown
    #: The caseworker's day the file was made (``clock.local_day(created_at)``), maintained like the above: SQLite
    #: refuses the local-time conversion inside an index, and ix_victims_unidentified_since orders by this day.
    created_on: Mapped[date | None] = mapped_column(Date)
    closure_reason: Mapped[ClosureReason | None] = enum_column(ClosureReason, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    retention_until: Mapped[date | None] = mapped_column(Date)
    closure_note: Mapped[str | None] = mapped_column(Text)  # required for "other" / "merged into duplicate"
    reopen_reason: Mapped[str | None] = mapped_column(Text)  # the latest; every one stays in change_log
    reopened_on: Mapped[date | None] = mapped_column(Date)
    transferred_to: Mapped[str | None] = mapped_column(String(300))  # where a transferred-out file went
    attention_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    attention_message: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)

    township: Mapped[Township] = relationship(lazy="joined")
    guardians: Mapped[list[Guardian]] = relationship(back_populates="victim", cascade="all, delete-orphan")
    buyer_households: Mapped[list[BuyerHousehold]] = relationship(
        back_populates="victim", cascade="all, delete-orphan")

    __table_args__ = (
        # Search (migration 0017): each kind of name match is one range of its index, which also holds what a
        # search page sorts and scopes by (file number, id, township), so a surname matching thousands of files
        # is sorted from the index alone and only the page's rows are read (services/paging.Branches).
        Index("ix_victims_name_pinyin", "name_pinyin", *SEARCH_COVER),
        Index("ix_victims_name_initials", "name_initials", *SEARCH_COVER),
        Index("ix_victims_name", "name", *SEARCH_COVER),
        Index("ix_victims_alias", "alias", *SEARCH_COVER),
        # With ``id`` last, counting and ranging over files by status (and township) reads the index alone,
        # in id order, so per-file lookups (current placement) walk the other index sequentially.
        Index("ix_victims_status_id", "status", "id"),
        # Lists are sorted by file number, then id (numbers are unique per laptop only): pages come
        # straight off this index, and skipping to a page deep in the list reads no rows.
        Index("ix_victims_file_number_id", "file_number", "id"),
        Index("ix_victims_township_status_id", "township_id", "status", "id"),
        # The dashboard's placement card: one index range (county-wide / per township).
        Index("ix_victims_status_placement", "status", "current_placement"),
        Index("ix_victims_township_status_placement", "township_id", "status", "current_placement"),
        # Unidentified open files: counted, and the longest stays found, from the index alone.
        Index("ix_victims_identity_status", "identity_status", "status", "township_id", "arrived_at_institution_on",
              "rescue_date"),
        # The "nobody forgotten" cards (migration 0012): each one index range, county-wide and per township.
        Index("ix_victims_status_next_visit", "status", "next_visit_on"),
        Index("ix_victims_township_status_next_visit", "township_id", "status", "next_visit_on"),
        Index("ix_victims_status_last_contact", "status", "last_contact_on"),
        Index("ix_victims_township_status_last_contact", "township_id", "status", "last_contact_on"),
        # Ages (school age, turning 16/18): a range of birth dates, or of estimated years where none is known.
        Index("ix_victims_status_birth", "status", "birth_date", "estimated_birth_year", "schooling_gap"),
        Index("ix_victims_township_status_birth", "township_id", "status", "birth_date", "estimated_birth_year",
              "schooling_gap"),
        # The yearly report (migration 0019): every file's counted columns in township order, one narrow pass
        # (id last: the placement in force at the end of the year is then one seek per open file) …
        Index("ix_victims_report", "township_id", "closed_on", "rescue_date", "created_at", "identity_status",
              "identified_on", "sex", "birth_date", "estimated_birth_year", "nationality", "id"),
        # … and a visit's, service's or referral's file (township, opening and closing dates) in one seek.
        Index("ix_victims_id_township", "id", "township_id", "rescue_date", "created_at", "closed_on"),
    )


# The longest unidentified stays (the workbench's list): open files of unknown identity, in the order of the day the
# stay began (``rule_sql.unidentified_since``, the same expression), covering what the workbench shows, so the
# first ten entries are the answer.  Migration 0018; since 0023 the day the file was made is the maintained
# ``created_on`` (the local day: SQLite refuses ``date(created_at, 'localtime')`` in an index).
_UNIDENTIFIED_SINCE = func.coalesce(Victim.__table__.c.arrived_at_institution_on, Victim.__table__.c.rescue_date,
                                    Victim.__table__.c.created_on)
IX_VICTIMS_UNIDENTIFIED_SINCE = Index(
    "ix_victims_unidentified_since", _UNIDENTIFIED_SINCE, *(Victim.__table__.c[c] for c in (
        "id", "township_id", "file_number", "hidden_name", "name", "alias", "arrived_at_institution_on",
        "rescue_date", "created_at", "identified_on")),
    sqlite_where=text("identity_status = 'unknown' AND status = 'open'"))


class Guardian(Base, Tracked):
    __tablename__ = "guardians"
    RECORD_TYPE = "guardian"
    PERSONAL_FIELDS = frozenset({"name", "phone", "address", "id_number"})
    victim_id: Mapped[str] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    relation: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(300))
    id_number: Mapped[str | None] = mapped_column(String(18))
    victim: Mapped[Victim] = relationship(back_populates="guardians")


class BuyerHousehold(Base, Tracked):
    """The household that bought the person.  A minor is never placed with it (不得由收买家庭继续抚养)."""

    __tablename__ = "buyer_households"
    RECORD_TYPE = "buyer_household"
    PERSONAL_FIELDS = frozenset({"head_name", "address", "member_id_numbers", "notes"})
    victim_id: Mapped[str] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"), index=True)
    head_name: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    member_id_numbers: Mapped[str | None] = mapped_column(String(400))  # comma separated
    notes: Mapped[str | None] = mapped_column(Text)
    victim: Mapped[Victim] = relationship(back_populates="buyer_households")


# ---------------------------------------------------------------------------------------------
# Services, follow-ups, legal aid, placement, consent
# ---------------------------------------------------------------------------------------------


class ServiceRecord(Base, Tracked):
    __tablename__ = "services"
    RECORD_TYPE = "service"
    PERSONAL_FIELDS = frozenset({"notes"})
    victim_id: Mapped[str] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"))
    service_type: Mapped[ServiceType] = enum_column(ServiceType, index=True)
    responsible_unit: Mapped[str | None] = mapped_column(String(200))
    cooperating_units: Mapped[str | None] = mapped_column(String(500))  # "、"-separated
    start_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ServiceStatus] = enum_column(ServiceStatus, default=ServiceStatus.PLANNED)
    willing: Mapped[bool | None] = mapped_column(Boolean)  # training: the person's recorded willingness
    notes: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        Index("ix_services_status_due", "status", "due_date"),
        # A file's services by status and due date from the index alone (a township's overdue count).
        Index("ix_services_victim_status", "victim_id", "status", "due_date"),
        # Services running in a year, per file in index order, by type (yearly report, migration 0019).
        Index("ix_services_victim_running", "victim_id", "status", "start_date", "end_date", "service_type"),
    )


class FollowUp(Base, Tracked):
    """A follow-up visit (跟踪回访): planned until done; overdue after its planned date."""

    __tablename__ = "followups"
    RECORD_TYPE = "followup"
    PERSONAL_FIELDS = frozenset({
        "visitors", "living_situation", "schooling", "work", "health", "psychological", "needs",
        "difficulties", "notes",
    })
    victim_id: Mapped[str] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"))
    caseworker_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[FollowUpStatus] = enum_column(FollowUpStatus, default=FollowUpStatus.PLANNED)
    planned_date: Mapped[date | None] = mapped_column(Date)
    actual_date: Mapped[date | None] = mapped_column(Date)
    method: Mapped[FollowUpMethod | None] = enum_column(FollowUpMethod, nullable=True)
    visitors: Mapped[str | None] = mapped_column(String(300))
    living_situation: Mapped[str | None] = mapped_column(Text)
    schooling: Mapped[str | None] = mapped_column(Text)
    work: Mapped[str | None] = mapped_column(Text)
    health: Mapped[str | None] = mapped_column(Text)
    psychological: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[str | None] = mapped_column(Text)
    difficulties: Mapped[str | None] = mapped_column(Text)
    referred_to_unit: Mapped[str | None] = mapped_column(String(200))
    next_visit_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        # Overdue / due visits counted, and their files gathered ("has an overdue visit"), from the index alone.
        Index("ix_followups_status_planned_victim", "status", "planned_date", "victim_id"),
        # "Files visited in the year" (yearly report, coverage): one range of done visits in the year instead of
        # every done visit of ten years (12 s → milliseconds at 100,000 files; migration 0007).
        Index("ix_followups_status_actual_victim", "status", "actual_date", "victim_id"),
        # A file's visits by status and date (a township's counts, one seek per file); it also replaces the
        # plain victim_id index, and makes "this file's planned visits" prefer it to the one above.
        Index("ix_followups_victim_status", "victim_id", "status", "planned_date"),
        # Visits due in a year (planned in it, or unplanned and done in it) with both dates: two index ranges
        # (yearly report, migration 0019).
        Index("ix_followups_due", "status", "planned_date", "actual_date", "victim_id"),
    )


class LegalAidReferral(Base, Tracked):
    __tablename__ = "referrals"
    RECORD_TYPE = "referral"
    PERSONAL_FIELDS = frozenset({"notes", "outcome", "lawyer", "consent_override_reason"})
    victim_id: Mapped[str] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"), index=True)
    institution: Mapped[str] = mapped_column(String(200))
    matter: Mapped[ReferralMatter] = enum_column(ReferralMatter)
    referral_date: Mapped[date] = mapped_column(Date)
    green_channel: Mapped[bool] = mapped_column(Boolean, default=True)
    urgent_deadline: Mapped[date | None] = mapped_column(Date)  # art. 44: a legal deadline < 7 days away
    status: Mapped[ReferralStatus] = enum_column(ReferralStatus, default=ReferralStatus.REFERRED)
    decision_date: Mapped[date | None] = mapped_column(Date)
    lawyer_assigned_date: Mapped[date | None] = mapped_column(Date)
    lawyer: Mapped[str | None] = mapped_column(String(100))
    concluded_date: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)
    consent_id: Mapped[str | None] = mapped_column(ForeignKey("consents.id"))
    consent_override_reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    # 补充材料 (art. 43 第二款): the decision clock stops while the materials are outstanding.
    materials_requested_on: Mapped[date | None] = mapped_column(Date)
    paused_days: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    objected_on: Mapped[date | None] = mapped_column(Date)  # 异议 (art. 49)
    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="ReferralEvent.at")
    # The dashboard's waiting / overdue referral counts: ix_referrals_status_clock below (migration 0018 replaced
    # ix_referrals_status_dates, its prefix).


# Every column of the referral clock (``rule_sql.referral_overdue``; the file last, for a township's count): the
# overdue card reads the index alone.  Only referrals with a legal deadline (法律援助法 第四十四条): the urgent card
# reads those few.  Migration 0018.
IX_REFERRALS_STATUS_CLOCK = Index(
    "ix_referrals_status_clock", *(LegalAidReferral.__table__.c[c] for c in (
        "status", "referral_date", "decision_date", "lawyer_assigned_date", "paused_days", "urgent_deadline",
        "objected_on", "victim_id")))
IX_REFERRALS_URGENT = Index("ix_referrals_urgent", LegalAidReferral.__table__.c.status,
                            LegalAidReferral.__table__.c.victim_id, sqlite_where=text("urgent_deadline IS NOT NULL"))
# A caseworker's visit cards: the township's files whose next planned visit is before a day, as file ids from the
# index alone (then one seek per such file into its visits).  Migration 0018.
IX_VICTIMS_TOWNSHIP_NEXT_VISIT_ID = Index("ix_victims_township_next_visit_id", *(Victim.__table__.c[c] for c in (
    "township_id", "next_visit_on", "id")))
#: The indexes migration 0018 adds (issue 16: each workbench card one short index range).
COUNT_INDEXES = (IX_VICTIMS_UNIDENTIFIED_SINCE, IX_REFERRALS_STATUS_CLOCK, IX_REFERRALS_URGENT,
                 IX_VICTIMS_TOWNSHIP_NEXT_VISIT_ID)


#: Open and closed files per township, identity status and current placement (migration 0018): what the
#: workbench's file counts need, kept by triggers on ``victims`` in the writing transaction (``store/state.py``),
#: so the county's open files and placement card read a few hundred tally rows instead of 80,000 index entries.
#: Derived, never exported; ``doctor`` recomputes it.  Its own MetaData: not a record table (purge, the
#: lifecycle's deletions and the exchange, which walk ``Base.metadata``, never see it).
FILE_TALLIES = Table(
    "file_tallies", MetaData(),
    Column("township_id", String(36), primary_key=True),
    Column("status", String(20), primary_key=True),
    Column("identity_status", String(20), primary_key=True),
    Column("placement", String(40), primary_key=True),  # '' when the file has no placement event
    Column("n", Integer, nullable=False),
    sqlite_with_rowid=False,
)

class ReferralEvent(Base, Tracked):
    """One step of a referral's status history (referred → accepted/declined → lawyer → concluded)."""

    __tablename__ = "referral_events"
    RECORD_TYPE = "referral_event"
    PERSONAL_FIELDS = frozenset({"note"})
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    status: Mapped[ReferralStatus] = enum_column(ReferralStatus)
    at: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    referral: Mapped[LegalAidReferral] = relationship(back_populates="events")


class Placement(Base, Tracked):
    """One event of the placement timeline (安置状况).  Never overwritten: a new state is a new row."""

    __tablename__ = "placements"
    RECORD_TYPE = "placement"
    PERSONAL_FIELDS = frozenset({"household_head", "address", "caregiver_id_number", "notes"})
    victim_id: Mapped[str] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"), index=True)
    state: Mapped[PlacementState] = enum_column(PlacementState, index=True)
    start_date: Mapped[date] = mapped_column(Date)
    institution: Mapped[str | None] = mapped_column(String(200))
    household_head: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    caregiver_id_number: Mapped[str | None] = mapped_column(String(18))
    notes: Mapped[str | None] = mapped_column(Text)
    # A file's current placement (its latest event) is one seek that reads nothing but this index.
    __table_args__ = (Index("ix_placements_victim_current", "victim_id", "start_date", "created_at", "state"),)


class Consent(Base, Tracked):
    __tablename__ = "consents"
    RECORD_TYPE = "consent"
    PERSONAL_FIELDS = frozenset({"guardian_name", "notes"})
    victim_id: Mapped[str] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"), index=True)
    scope: Mapped[ConsentScope] = enum_column(ConsentScope)
    given_by: Mapped[ConsentGiver] = enum_column(ConsentGiver)
    guardian_name: Mapped[str | None] = mapped_column(String(100))
    given_on: Mapped[date] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


# ---------------------------------------------------------------------------------------------
# History, audit, tombstones, keys
# ---------------------------------------------------------------------------------------------


class ChangeEntry(Base):
    """Field-level history of every tracked record: from → to, who, when, on which laptop."""

    __tablename__ = "change_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(64))  # "*" = created / deleted as a whole
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str | None] = mapped_column(String(36))
    installation_id: Mapped[str | None] = mapped_column(String(36))
    __table_args__ = (Index("ix_change_log_record", "record_id", "seq"),)


class AuditEntry(Base):
    """Hash-chained audit log.  ``detail`` is JSON with codes and ids only, never personal data."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[str | None] = mapped_column(String(36))
    installation_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[AuditAction] = enum_column(AuditAction)
    record_type: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # RSA signature (base64) over ``hash`` by the acting user's signing certificate (migration 0005)
    signer_cert_sha256: Mapped[str | None] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_audit_record", "record_id"),)


class Tombstone(Base):
    """A deleted or purged record: no personal data, only what a merge needs to delete it elsewhere."""

    __tablename__ = "tombstones"
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deleted_by: Mapped[str | None] = mapped_column(String(36))
    installation_id: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(40))  # "deleted" | "purged"


class PkiObject(Base):
    """Keys and certificates: a user's encrypted private keys, installed certificates, CA material, CRLs.

    Private keys are stored PKCS#8-encrypted under the owner's ``user_key`` (from their key slot), so
    having the database key alone does not let anyone sign as someone else.
    """

    __tablename__ = "pki_objects"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    owner_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[str | None] = mapped_column(String(20))  # signing | encryption
    serial: Mapped[str | None] = mapped_column(String(64))
    fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class Attachment(Base):
    """A scanned document or photo on a file (optionally on one of its visits, referrals or placements).

    The content lives in :class:`AttachmentChunk` rows (1 MiB each), inside the encrypted registry: never a
    file on disk.  Not a ``Tracked`` record: its bytes must never reach the field-level change log.
    """

    __tablename__ = "attachments"
    RECORD_TYPE: ClassVar[str] = "attachment"
    PERSONAL_FIELDS: ClassVar[frozenset[str]] = frozenset({"title", "filename"})
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"), index=True)
    parent_type: Mapped[str | None] = mapped_column(String(40))  # followup | referral | placement
    parent_id: Mapped[str | None] = mapped_column(String(36))
    title: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    chunk_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(36))
    origin_installation: Mapped[str] = mapped_column(String(36))


class AttachmentChunk(Base):
    """One piece (at most ``ATTACHMENT_CHUNK_SIZE`` bytes) of an attachment's content, in order."""

    __tablename__ = "attachment_chunks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    attachment_id: Mapped[str] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    __table_args__ = (Index("ix_attachment_chunks_attachment_seq", "attachment_id", "seq", unique=True),)


class PrintLog(Base):
    """Every signed print: what the code on its paper pages is checked against (docs/paper-verification.md).

    ``secret`` keys the short check on every page; ``pdf_sha256`` and ``signer_fingerprint`` are recorded
    once the PDF is signed (a PDF cannot contain its own hash).  No personal data: ids, codes, hashes.
    """

    __tablename__ = "print_log"
    doc_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))
    report: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(36), index=True)
    victim_id: Mapped[str | None] = mapped_column(String(36), index=True)
    file_number: Mapped[str | None] = mapped_column(String(32))
    pages: Mapped[int] = mapped_column(Integer)
    signer_fingerprint: Mapped[str] = mapped_column(String(64))
    signer_name: Mapped[str | None] = mapped_column(String(100))
    signed_at: Mapped[datetime] = mapped_column(DateTime)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    printed_by: Mapped[str | None] = mapped_column(String(36))
    installation_id: Mapped[str] = mapped_column(String(36))


TRACKED_MODELS: tuple[type[Any], ...] = (
    Township, User, Case, Victim, Guardian, BuyerHousehold, ServiceRecord, FollowUp,
    LegalAidReferral, ReferralEvent, Placement, Consent,
)
MODEL_BY_RECORD_TYPE: dict[str, type[Any]] = {m.RECORD_TYPE: m for m in TRACKED_MODELS}


# ---------------------------------------------------------------------------------------------
# Exchange bookkeeping (township export → supervisor import)
# ---------------------------------------------------------------------------------------------


class ExchangePeer(Base):
    """What was last sent to one supervisor (by the fingerprint of their encryption certificate)."""

    __tablename__ = "exchange_peers"
    recipient_fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    recipient_subject: Mapped[str | None] = mapped_column(String(300))
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    watermark: Mapped[datetime | None] = mapped_column(DateTime)
    last_bundle_id: Mapped[str | None] = mapped_column(String(36))
    last_export_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Delivery by change number (store/journal.py, exchange/delivery.py); ``watermark`` is no longer used.
    epoch: Mapped[str | None] = mapped_column(String(36))  # the epoch ``last_sequence`` counts in
    sent_through: Mapped[int] = mapped_column(Integer, default=0)  # journal number sent up to (this epoch)
    acked_epoch: Mapped[str | None] = mapped_column(String(36))  # from the supervisor's last receipt
    acked_through: Mapped[int] = mapped_column(Integer, default=0)
    acked_at: Mapped[datetime | None] = mapped_column(DateTime)  # the receipt's own time (county clock)
    receipt: Mapped[str | None] = mapped_column(Text)  # that receipt's record versions (ids only), JSON


class ImportedBundle(Base):
    """Every bundle imported, with its (non-personal) import report: replays and gaps are found here."""

    __tablename__ = "imported_bundles"
    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    origin_installation: Mapped[str] = mapped_column(String(36), index=True)
    origin_registry: Mapped[str] = mapped_column(String(36))
    author_fingerprint: Mapped[str] = mapped_column(String(64))
    recipient_fingerprint: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[str | None] = mapped_column(String(36))
    report: Mapped[str] = mapped_column(Text, default="{}")
    # Format v2 (exchange/delivery.py): the sender's epoch and the change numbers (from, to] it carried.
    epoch: Mapped[str | None] = mapped_column(String(36))
    epoch_parent: Mapped[str | None] = mapped_column(String(36))
    epoch_base: Mapped[int | None] = mapped_column(Integer)
    changes_from: Mapped[int | None] = mapped_column(Integer)
    changes_to: Mapped[int | None] = mapped_column(Integer)


class SentBundle(Base):
    """Every bundle number handed out, committed *before* the file is written: a number is never reused,
    so an export killed at any point can never leave two different bundles under one number."""

    __tablename__ = "sent_bundles"
    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    recipient_fingerprint: Mapped[str] = mapped_column(String(64))
    epoch: Mapped[str] = mapped_column(String(36))
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # incremental | full | catch_up | resend | selection | statistics
    changes_from: Mapped[int | None] = mapped_column(Integer)
    changes_to: Mapped[int | None] = mapped_column(Integer)
    resend_of: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default="reserved")  # reserved | written | failed
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (Index("ix_sent_bundles_peer", "recipient_fingerprint", "epoch", "sequence", unique=True),)


class ChangeJournal(Base):
    """One row per change of a tracked record or tombstone, written by triggers (store/journal.py)."""

    __tablename__ = "change_journal"
    __table_args__ = (Index("ix_change_journal_record", "record_id"), {"sqlite_autoincrement": True})
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))


class ReceivedStatistics(Base):
    """A township's protected yearly counts from a statistics-only bundle (issue 14): one row per township
    and year of each bundle.  ``cells`` is JSON ``{measure: int | "<5" | "×"}`` exactly as the township
    published them — no raw count ever arrives.  The county reports add them to their own files."""

    __tablename__ = "received_statistics"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    bundle_id: Mapped[str] = mapped_column(String(36), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    township_code: Mapped[str] = mapped_column(String(20))
    township_name: Mapped[str] = mapped_column(String(100))
    author: Mapped[str] = mapped_column(String(300))  # the signer certificate's subject (staff, not a victim)
    created_at: Mapped[datetime] = mapped_column(DateTime)  # when the township made the bundle
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    cells: Mapped[str] = mapped_column(Text, default="{}")


class RecordSync(Base):
    """The version of a record as last received from its origin: the base for telling who changed what."""

    __tablename__ = "record_sync"
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    synced_version: Mapped[int] = mapped_column(Integer)
    origin_installation: Mapped[str] = mapped_column(String(36))
    synced_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The sender's delivery epoch the version belongs to (migration 0014): after a restore the sender numbers
    # versions again from its backup, so versions of different epochs are not compared (exchange/importer.py).
    synced_epoch: Mapped[str | None] = mapped_column(String(36), nullable=True)


class EpochBase(Base):
    """What a restored laptop held of each record when its delivery epoch began (migration 0021): the
    version and a digest of the contents (``store/epoch_bases.py``).  Sent with the record in the new epoch
    so the county can tell an edit made on top of the version it holds from one made on an older copy."""

    __tablename__ = "epoch_bases"
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))


class MergeConflict(Base):
    """A field changed on both laptops since the last exchange; the supervisor picks the value."""

    __tablename__ = "merge_conflicts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    bundle_id: Mapped[str] = mapped_column(String(36), index=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    local_value: Mapped[str | None] = mapped_column(Text)
    incoming_value: Mapped[str | None] = mapped_column(Text)
    incoming_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)  # open | resolved
    resolution: Mapped[str | None] = mapped_column(String(20))  # local | incoming
    resolved_by: Mapped[str | None] = mapped_column(String(36))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReviewFlag(Base):
    """A record of a file to review: it broke a file rule after it was written (a later change elsewhere in
    the file, ``domain/entry_rules.recheck_file``), or an imported file number collides with a local one.
    Raised on the laptop where the change is made and again where the bundle is imported.

    A flag raised here (``source`` local | import) belongs to this installation: only here can it be closed,
    and it travels, with its closure, in this laptop's bundles (``exchange/review_flags.py``).  At the
    receiving end it is kept as ``source = "township"`` with ``origin_installation`` naming the laptop that
    raised it: a read-only copy whose state changes only when that laptop's next bundle says so."""

    __tablename__ = "review_flags"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    victim_id: Mapped[str] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"), index=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    rule: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(20))  # local | import (raised here) | township (received)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | resolved
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(36))
    # The laptop that raised a received flag (NULL: raised here).  Migration 0011.
    origin_installation: Mapped[str | None] = mapped_column(String(36))
    # What the reviewer found or did (free text: the text and DNA rules of notes apply).  Migration 0011.
    resolution_note: Mapped[str | None] = mapped_column(Text)


class DuplicateFlag(Base):
    """Two files that may be the same person (same ID number, or same name + birth date + sex)."""

    __tablename__ = "duplicate_flags"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    victim_id: Mapped[str] = mapped_column(String(36), index=True)
    other_victim_id: Mapped[str] = mapped_column(String(36), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    bundle_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | dismissed | confirmed
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
