"""Yearly statistics (年度工作情况): counts per township, for the annual report and the statistics-only export.

Lincang's task table 七(一): every member unit reports the previous year's work to the joint-conference
office before 15 February.  The numbers come from a handful of ``GROUP BY`` queries (one per topic, never
one per file) over the townships the signed-in user may see.

**Counts only.**  The result holds township names and codes and integers — no names, ID numbers, record
ids or free text — so it can leave the laptop in a statistics-only export.  The raw integers are kept
here; disclosure control (:mod:`fanguai_desk.reports.disclosure`) is applied to the county tables built
at the end of this module, which are all that the PDF, the spreadsheet and the statistics-only export
ever see.

**Which records are counted — and consent.**  Primero / GBVIMS count only records whose consent allows
it (DOMAIN.md).  That practice protects *case-level* data shared with other agencies.  This registry
produces *aggregate counts* for a report that the plans make a duty of civil affairs (Lincang 七(一);
002/003/004: 动态掌握被解救受害人生活状况), and PIPL art. 13(1)(3) makes processing that is necessary to
perform a statutory duty lawful without consent; counts with small cells suppressed are moreover not
information about an identifiable person (PIPL art. 4, 匿名化).  So every file in scope is counted,
whatever its ``ConsentScope.STATISTICS`` record says; a person's refusal still governs referrals and the
sharing of their file.  Leaving files out would also make the county's totals wrong in a way nobody
reading the report could see.  ``AnnualStatistics.basis`` names this choice in every export.

Definitions (period = 1 January … 31 December of the year; *as of* = 31 December, or today while the year
is still running):

* a file counts from its **opening date**: the rescue date, else the day it was entered;
* ``files_open_at_end`` — opened by *as of* and not closed by then; ``files_open_in_year`` — open on at
  least one day of the period; ``files_new`` — opened in the period; ``files_registered`` — entered into
  this registry in the period; ``files_closed`` — closed in the period;
* ``unidentified`` — files open at *as of* whose identity was still unknown then (身份信息不明确);
* ``services`` — service records (not cancelled) running on at least one day of the period, by type;
  ``persons_assisted`` — the distinct files they belong to;
* ``placements`` — the placement state in force at *as of* of each file open then (``"none"``: no
  placement recorded);
* referrals made in the period: ``referrals_by_status`` — their status at *as of* (from the status
  history); ``referral_outcomes`` — the Legal Aid Law art. 43 view: accepted within 7 days / later,
  declined, revoked, still pending; ``referrals_green_channel``; ``referrals_overdue`` — at *as of*
  still waiting past the 7-day decision or the 3-day lawyer deadline;
* follow-up visits due in the period (planned date, or the visit date of an unplanned visit, in the
  period; cancelled ones excluded): ``followups_due``; ``followups_done`` — of those, done by *as of*;
  ``followups_overdue`` — of those, not done and past their planned date at *as of*;
  ``files_visited`` — files open in the period with at least one visit done in it;
  ``coverage_pct`` = files_visited ÷ files_open_in_year.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, union_all

from fanguai_desk.domain.enums import (
    FollowUpStatus,
    IdentityStatus,
    PlacementState,
    ReferralStatus,
    ServiceStatus,
    ServiceType,
    Sex,
)
from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.reports.county import (
    Labels,
    Unit,
    YearData,
    annual_book,
    default_labels,
    period_book,
    unit_from_book,
)
from fanguai_desk.reports.disclosure import HIDDEN, SMALL, THRESHOLD, ProtectedBook
from fanguai_desk.reports.views import ReceivedSource
from fanguai_desk.store import rule_sql
from fanguai_desk.store.clock import local_day, local_today
from fanguai_desk.store.models import (
    FollowUp,
    LegalAidReferral,
    Placement,
    ReceivedStatistics,
    ReferralEvent,
    ServiceRecord,
    Township,
    Victim,
)

if TYPE_CHECKING:
    from fanguai_desk.services.unit_of_work import UnitOfWork

__all__ = [
    "AGE_GROUPS",
    "BASIS",
    "NATIONALITY_GROUPS",
    "NO_PLACEMENT",
    "AnnualStatistics",
    "CountyYear",
    "KeyChart",
    "KeyFigures",
    "ReferralOutcome",
    "TownshipStatistics",
    "annual_report_due",
    "annual_statistics",
    "county_annual_book",
    "county_period_book",
    "county_year",
    "key_figures",
    "parse_statistics_payload",
    "township_statistics_payload",
]

#: Why every file in scope is counted (see the module docstring).
BASIS = "PIPL art. 13(1)(3): statutory duty; aggregate counts only"
#: The ``placements`` key of files with no placement recorded at the end of the period.
NO_PLACEMENT = "none"
MIN_YEAR = 1990


class ReferralOutcome(StrEnum):
    """What became of a referral made in the period, as of its end (法律援助法 第四十三条)."""

    ACCEPTED_IN_TIME = "accepted_in_time"  # accepted, decided within 7 days of the referral
    ACCEPTED_LATE = "accepted_late"  # accepted, decided after more than 7 days
    DECLINED = "declined"  # 不予援助 (written, with reasons)
    REVOKED = "revoked"
    PENDING = "pending"  # no decision yet


#: Age groups of the files open at *as of*: under 18 on that day, 18 or older, age unknown.
AGE_GROUPS = ("minor", "adult", "unknown")
#: Nationality groups: Chinese (``CN``, or none recorded), foreign.
NATIONALITY_GROUPS = ("cn", "foreign")


def _sex_keys() -> list[str]:
    return [s.value for s in Sex]


def _zeros(keys: list[str]) -> dict[str, int]:
    return dict.fromkeys(keys, 0)


def _service_keys() -> list[str]:
    return [t.value for t in ServiceType]


def _placement_keys() -> list[str]:
    return [p.value for p in PlacementState] + [NO_PLACEMENT]


def _status_keys() -> list[str]:
    return [r.value for r in ReferralStatus]


def _outcome_keys() -> list[str]:
    return [o.value for o in ReferralOutcome]


@dataclass(frozen=True)
class TownshipStatistics:
    """One township's counts (raw integers; suppress small cells when presenting them)."""

    township_code: str
    township: str
    files_open_at_end: int = 0
    files_open_in_year: int = 0
    files_new: int = 0
    files_registered: int = 0
    files_closed: int = 0
    unidentified: int = 0
    persons_assisted: int = 0
    services: Mapping[str, int] = field(default_factory=lambda: _zeros(_service_keys()))
    placements: Mapping[str, int] = field(default_factory=lambda: _zeros(_placement_keys()))
    referrals_by_status: Mapping[str, int] = field(default_factory=lambda: _zeros(_status_keys()))
    referral_outcomes: Mapping[str, int] = field(default_factory=lambda: _zeros(_outcome_keys()))
    referrals_green_channel: int = 0
    referrals_overdue: int = 0
    followups_due: int = 0
    followups_done: int = 0
    followups_overdue: int = 0
    files_visited: int = 0
    # files open at *as of*, by sex / age on *as of* (minor, adult, unknown) / nationality (CN, foreign)
    by_sex: Mapping[str, int] = field(default_factory=lambda: _zeros(_sex_keys()))
    by_age: Mapping[str, int] = field(default_factory=lambda: _zeros(list(AGE_GROUPS)))
    by_nationality: Mapping[str, int] = field(default_factory=lambda: _zeros(list(NATIONALITY_GROUPS)))

    @property
    def referrals_total(self) -> int:
        return sum(self.referrals_by_status.values())

    @property
    def coverage_pct(self) -> float | None:
        """Files visited in the period ÷ files open in it, in percent (``None`` with no open file)."""
        if not self.files_open_in_year:
            return None
        return round(100 * self.files_visited / self.files_open_in_year, 1)

    def to_dict(self) -> dict[str, Any]:
        """Raw counts (never published as such: publication goes through reports.disclosure)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = dict(value) if isinstance(value, Mapping) else value
        out["referrals_total"] = self.referrals_total
        return out

    def __add__(self, other: TownshipStatistics) -> TownshipStatistics:
        values: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("township_code", "township"):
                continue
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, Mapping):
                values[f.name] = {k: mine.get(k, 0) + theirs.get(k, 0) for k in {**mine, **theirs}}
            else:
                values[f.name] = mine + theirs
        return replace(self, **values)


@dataclass(frozen=True)
class AnnualStatistics:
    year: int
    period_start: date
    period_end: date
    as_of: date  # the end of the period, or the day computed while the year is still running
    county_code: str
    county_name: str
    townships: tuple[TownshipStatistics, ...]
    basis: str = BASIS

    @property
    def complete(self) -> bool:
        """The whole year is in (computed after 31 December)."""
        return self.as_of >= self.period_end

    def total(self) -> TownshipStatistics:
        acc = TownshipStatistics(township_code="", township="合计")
        for t in self.townships:
            acc = acc + t
        return acc

    def to_dict(self) -> dict[str, Any]:
        """Raw counts in plain JSON types (tests, debugging).  Never exported: the statistics-only bundle
        carries the protected tables of :mod:`fanguai_desk.reports.county` instead."""
        return {
            "year": self.year,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "as_of": self.as_of.isoformat(),
            "complete": self.complete,
            "county_code": self.county_code,
            "county_name": self.county_name,
            "basis": self.basis,
            "townships": [t.to_dict() for t in self.townships],
        }


# ----------------------------------------------------------------------------- queries


def _n(cond: ColumnElement[bool]) -> Any:
    """SUM(CASE WHEN cond THEN 1 ELSE 0 END)."""
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _status_rank() -> Any:
    """Orders same-day status events by how far along they are (referred < decision < lawyer < end)."""
    return case(
        (ReferralEvent.status == ReferralStatus.REFERRED, 0),
        (ReferralEvent.status.in_([ReferralStatus.ACCEPTED, ReferralStatus.DECLINED]), 1),
        (ReferralEvent.status == ReferralStatus.LAWYER_ASSIGNED, 2),
        else_=3,
    )


def _outcome(status: ReferralStatus, decided_in_time: bool) -> ReferralOutcome:
    if status is ReferralStatus.REVOKED:
        return ReferralOutcome.REVOKED
    if status is ReferralStatus.DECLINED:
        return ReferralOutcome.DECLINED
    if status is ReferralStatus.REFERRED:
        return ReferralOutcome.PENDING
    return ReferralOutcome.ACCEPTED_IN_TIME if decided_in_time else ReferralOutcome.ACCEPTED_LATE


def _age_group(on: date) -> Any:
    """SQL: "minor" / "adult" / "unknown" on ``on``, from the rule's SQL twins (``store.rule_sql``)."""
    return case(
        (rule_sql.is_minor(on), "minor"),
        (rule_sql.age_on(on).is_not(None), "adult"),
        else_="unknown",
    )


def _nationality_group() -> Any:
    return case((func.coalesce(func.upper(Victim.nationality), "CN").in_(["CN", "", "CHN", "中国"]), "cn"),
                else_="foreign")


def annual_statistics(desk: UnitOfWork, year: int, *, today: date | None = None) -> AnnualStatistics:
    """The year's counts for every township the signed-in user may see (``desk.visible_township_ids()``).

    Townships without any file are left out.  Reads only: nothing is written (the caller audits the
    print or export that uses the result).  ``ValidationError("year_invalid")`` for a year before 1990
    or after the current one.

    Five statements, each one pass over a narrow index (migration 0019), grouped in SQL — never a loop over
    files in Python: the files (counts, sex / age / nationality and placement at the end, together); the
    services running; the referrals made; the visits due; the files visited.
    """
    today = today or local_today()
    if not MIN_YEAR <= year <= today.year:
        raise ValidationError("year_invalid", min=MIN_YEAR, max=today.year)
    start, end = date(year, 1, 1), date(year, 12, 31)
    as_of = min(end, today)
    scope: list[str] | None = desk.visible_township_ids()
    settings = desk.settings()

    def scoped(stmt: Select[Any]) -> Select[Any]:
        return stmt if scope is None else stmt.where(Victim.township_id.in_(scope))

    # The day a file was made is the caseworker's local day (a file entered at 07:30 on 1 January in UTC+8 is
    # one of the new year): computed from created_at in the index this pass reads, not the maintained
    # created_on, which ix_victims_report does not hold.
    made_on = rule_sql.local_day(Victim.created_at)
    opened_on = func.coalesce(Victim.rescue_date, made_on)
    open_at_end = and_(opened_on <= as_of, or_(Victim.closed_on.is_(None), Victim.closed_on > as_of))
    open_in_year = and_(opened_on <= end, or_(Victim.closed_on.is_(None), Victim.closed_on >= start))
    counts: dict[str, dict[str, Any]] = {}

    def row(township_id: str) -> dict[str, Any]:
        if township_id not in counts:
            counts[township_id] = {
                "files_open_at_end": 0, "files_open_in_year": 0, "files_new": 0, "files_registered": 0,
                "files_closed": 0, "unidentified": 0,
                "services": _zeros(_service_keys()), "placements": _zeros(_placement_keys()),
                "referrals_by_status": _zeros(_status_keys()), "referral_outcomes": _zeros(_outcome_keys()),
                "referrals_green_channel": 0, "referrals_overdue": 0,
                "by_sex": _zeros(_sex_keys()), "by_age": _zeros(list(AGE_GROUPS)),
                "by_nationality": _zeros(list(NATIONALITY_GROUPS)),
            }
        return counts[township_id]

    with desk.read() as s:
        # 1. files, in one pass (ix_victims_report): the counts, and the files open at the end by sex, age on
        # that day, nationality and the placement in force then (the latest placement started by then: one
        # seek in ix_placements_victim_current per open file, never a window over every placement).
        placement_at_end = (
            select(Placement.state).where(Placement.victim_id == Victim.id, Placement.start_date <= as_of)
            .order_by(Placement.start_date.desc(), Placement.created_at.desc()).limit(1)
            .correlate(Victim).scalar_subquery())
        keys = (Victim.township_id.label("township"), Victim.sex.label("sex"), _age_group(as_of).label("age"),
                _nationality_group().label("nat"), case((open_at_end, placement_at_end), else_=None).label("pl"))
        files = scoped(select(
            *keys,
            _n(open_at_end), _n(open_in_year),
            _n(and_(opened_on >= start, opened_on <= end)),
            _n(made_on.between(start, end)),  # BETWEEN: SQLite computes the local day once, not twice
            _n(and_(Victim.closed_on >= start, Victim.closed_on <= end)),
            _n(and_(open_at_end, or_(Victim.identity_status == IdentityStatus.UNKNOWN,
                                     Victim.identified_on > as_of))),
        ).group_by(*keys))
        for tid, sex, age, nat, state, at_end, in_year, new, registered, closed, unidentified in s.execute(files):
            r = row(tid)
            for name, n in (("files_open_at_end", at_end), ("files_open_in_year", in_year), ("files_new", new),
                            ("files_registered", registered), ("files_closed", closed),
                            ("unidentified", unidentified)):
                r[name] += int(n)
            if at_end:
                r["by_sex"][Sex(sex).value] += int(at_end)
                r["by_age"][str(age)] += int(at_end)
                r["by_nationality"][str(nat)] += int(at_end)
                r["placements"][PlacementState(state).value if state is not None else NO_PLACEMENT] += int(at_end)

        # 2. services running in the period: by type, and the distinct files they belong to, in one pass —
        # per file in ix_services_victim_running's order, then each file's township (ix_victims_id_township).
        running = and_(ServiceRecord.status != ServiceStatus.CANCELLED, ServiceRecord.start_date <= end,
                       or_(ServiceRecord.end_date.is_(None), ServiceRecord.end_date >= start))
        types = list(ServiceType)
        per_file = (select(ServiceRecord.victim_id,
                           *(_n(ServiceRecord.service_type == t).label(f"n{i}") for i, t in enumerate(types)))
                    .where(running).group_by(ServiceRecord.victim_id).subquery())
        svc = scoped(select(Victim.township_id, func.count(), *(func.sum(per_file.c[f"n{i}"])
                                                               for i in range(len(types))))
                     .select_from(per_file).join(Victim, Victim.id == per_file.c.victim_id)
                     .group_by(Victim.township_id))
        for tid, persons, *by_type in s.execute(svc):
            r = row(tid)
            r["persons_assisted"] = int(persons)
            for t, n in zip(types, by_type, strict=True):
                r["services"][t.value] += int(n or 0)

        # 3. referrals made in the period: status at the end (the latest status event by then, one seek per
        # referral), clocks.  The status is computed once per referral (a materialised CTE), then grouped.
        status_then = (select(ReferralEvent.status)
                       .where(ReferralEvent.referral_id == LegalAidReferral.id, ReferralEvent.at <= as_of)
                       .order_by(ReferralEvent.at.desc(), _status_rank().desc()).limit(1)
                       .correlate(LegalAidReferral).scalar_subquery())
        made = (scoped(select(Victim.township_id.label("township"),
                              func.coalesce(status_then, ReferralStatus.REFERRED.value).label("status"),
                              LegalAidReferral.green_channel, LegalAidReferral.referral_date,
                              LegalAidReferral.decision_date, LegalAidReferral.paused_days,
                              LegalAidReferral.urgent_deadline, LegalAidReferral.objected_on)
                       .select_from(LegalAidReferral).join(Victim, Victim.id == LegalAidReferral.victim_id)
                       .where(LegalAidReferral.referral_date >= start, LegalAidReferral.referral_date <= end))
                .cte("made").prefix_with("MATERIALIZED"))
        # The status as of the end of the period: ACCEPTED then means no lawyer yet (lawyer_assigned_date=None).
        overdue = case((rule_sql.referral_overdue(
            as_of, made.c.status, referral_date=made.c.referral_date, decision_date=made.c.decision_date,
            lawyer_assigned_date=None, paused_days=made.c.paused_days, urgent_deadline=made.c.urgent_deadline,
            objected_on=made.c.objected_on), 1), else_=0)
        in_time = case((rule_sql.referral_decided_in_time(made.c.referral_date, made.c.decision_date), 1), else_=0)
        refs = (select(made.c.township, made.c.status, made.c.green_channel, overdue, in_time, func.count())
                .group_by(made.c.township, made.c.status, made.c.green_channel, overdue, in_time))
        for tid, status_value, green, is_overdue, decided_in_time, n in s.execute(refs):
            r, count = row(tid), int(n)
            status = ReferralStatus(status_value)
            r["referrals_by_status"][status.value] += count
            r["referral_outcomes"][_outcome(status, bool(decided_in_time)).value] += count
            r["referrals_green_channel"] += count if green else 0
            r["referrals_overdue"] += count if is_overdue else 0

        # 4. follow-up visits due in the period: due on the planned date, or (unplanned) on the visit date —
        # two ranges of ix_followups_due (status, planned_date, actual_date) instead of COALESCE over all visits.
        not_cancelled = FollowUp.status.in_([st for st in FollowUpStatus if st is not FollowUpStatus.CANCELLED])
        done_by_end = and_(FollowUp.status == FollowUpStatus.DONE, FollowUp.actual_date <= as_of)
        late = and_(FollowUp.planned_date < as_of, or_(FollowUp.actual_date.is_(None), FollowUp.actual_date > as_of))
        due_cols = (FollowUp.victim_id, case((done_by_end, 1), else_=0).label("done"),
                    case((late, 1), else_=0).label("late"))
        due = union_all(
            select(*due_cols).where(not_cancelled, FollowUp.planned_date >= start, FollowUp.planned_date <= end),
            select(*due_cols).where(not_cancelled, FollowUp.planned_date.is_(None), FollowUp.actual_date >= start,
                                    FollowUp.actual_date <= end),
        ).subquery()
        visits = scoped(select(Victim.township_id, func.count(), func.coalesce(func.sum(due.c.done), 0),
                               func.coalesce(func.sum(due.c.late), 0))
                        .select_from(due).join(Victim, Victim.id == due.c.victim_id).group_by(Victim.township_id))
        for tid, n_due, n_done, n_late in s.execute(visits):
            row(tid).update(followups_due=int(n_due), followups_done=int(n_done), followups_overdue=int(n_late))

        # 5. files open in the period with a visit done in it: the distinct files of the period's done visits
        # (ix_followups_status_actual_victim), then one seek per file (ix_victims_id_township).  "Open in the
        # period" is counted, not filtered: as a filter it made the planner look files up by their rowid index.
        visited_ids = (select(FollowUp.victim_id)
                       .where(FollowUp.status == FollowUpStatus.DONE, FollowUp.actual_date >= start,
                              FollowUp.actual_date <= min(end, as_of)).group_by(FollowUp.victim_id).subquery())
        visited = scoped(select(Victim.township_id, _n(open_in_year))
                         .select_from(visited_ids).join(Victim, Victim.id == visited_ids.c.victim_id)
                         .group_by(Victim.township_id))
        for tid, n in s.execute(visited):
            row(tid)["files_visited"] = int(n)

        # townships with at least one file, in code order
        stmt = select(Township.id, Township.code, Township.name).order_by(Township.code, Township.name)
        if scope is not None:
            stmt = stmt.where(Township.id.in_(scope))
        townships = [(tid, code, name) for tid, code, name in s.execute(stmt) if tid in counts]

    return AnnualStatistics(
        year=year, period_start=start, period_end=end, as_of=as_of,
        county_code=settings.county_code, county_name=settings.county_name,
        townships=tuple(TownshipStatistics(township_code=code, township=name, **counts[tid])
                        for tid, code, name in townships),
    )


# ----------------------------------------------------------------------------- county tables (protected)

#: How many years one period report may span (2021–2030 is the longest plan period).
MAX_PERIOD_YEARS = 20


@dataclass(frozen=True)
class CountyYear:
    """One year's reporting units: this registry's townships, plus townships known only from their
    statistics-only bundles (a township with files here is counted from its files, once)."""

    stats: AnnualStatistics
    units: tuple[Unit, ...]
    sources: tuple[ReceivedSource, ...]


def township_cells(t: TownshipStatistics, labels: Labels) -> dict[str, int | str]:
    """A township's measures from this registry's statistics (raw integers)."""
    cells: dict[str, int | str] = {
        "new": t.files_new, "closed": t.files_closed, "open_end": t.files_open_at_end,
        "open_year": t.files_open_in_year,
        "id.unknown": t.unidentified, "id.known": max(0, t.files_open_at_end - t.unidentified),
        "svc_total": sum(t.services.values()), "persons_assisted": t.persons_assisted,
        "ref_total": sum(t.referral_outcomes.values()), "ref_green": t.referrals_green_channel,
        "ref_overdue": t.referrals_overdue,
        "fu.due": t.followups_due, "fu.done": t.followups_done, "fu.overdue": t.followups_overdue,
        "fu.visited": t.files_visited,
    }
    for prefix, mapping in (("sex", t.by_sex), ("age", t.by_age), ("nat", t.by_nationality)):
        for k, v in mapping.items():
            cells[f"{prefix}.{k}"] = v
    for m, _ in labels.services:
        cells[m] = t.services.get(m.removeprefix("svc."), 0)
    for m, _ in labels.placements:
        cells[m] = t.placements.get(m.removeprefix("pl."), 0)
    for m, _ in labels.outcomes:
        cells[m] = t.referral_outcomes.get(m.removeprefix("ref."), 0)
    return cells



def county_year(desk: UnitOfWork, year: int, *, today: date | None = None,
                labels: Labels | None = None) -> CountyYear:
    labels = labels or default_labels()
    stats = annual_statistics(desk, year, today=today)
    units = [Unit(t.township_code, t.township, township_cells(t, labels)) for t in stats.townships]
    sources: list[ReceivedSource] = []
    if desk.visible_township_ids() is None:  # the county's view: add the townships' statistics
        # Townships are the same township across laptops by name (as the importer merges them): codes are
        # only unique per laptop.  A township with files here is counted from its files, once.
        local = {t.township for t in stats.townships}
        latest: dict[str, ReceivedStatistics] = {}
        with desk.read() as s:
            for row in s.scalars(select(ReceivedStatistics).where(ReceivedStatistics.year == year)
                                 .order_by(ReceivedStatistics.created_at)):
                latest[row.township_name] = row  # the newest bundle of a township wins
            received = []
            for name, row in sorted(latest.items()):
                if name in local:
                    continue
                cells = {str(k): v for k, v in json.loads(row.cells).items()
                         if isinstance(v, int | str) and not isinstance(v, bool)}
                received.append(Unit(f"~{name}", name, cells, source=row.author))
                sources.append(ReceivedSource(name, row.author, local_day(row.created_at),
                                              local_day(row.imported_at)))
        units.sort(key=lambda u: u.code)
        units += received
        return CountyYear(stats, tuple(units), tuple(sources))
    return CountyYear(stats, tuple(units), tuple(sources))


def county_annual_book(desk: UnitOfWork, year: int, *, today: date | None = None) -> tuple[CountyYear, ProtectedBook]:
    labels = default_labels()
    cy = county_year(desk, year, today=today, labels=labels)
    return cy, _checked(annual_book(year, cy.units, labels))


def _checked(book: ProtectedBook) -> ProtectedBook:
    """Never publish a book whose audit could not protect every hidden cell (nothing is printed then)."""
    if book.unresolved:
        raise ValidationError("statistics_unprotectable", cells=len(book.unresolved))
    return book


def county_period_book(desk: UnitOfWork, first: int, last: int, *,
                       today: date | None = None) -> tuple[list[CountyYear], ProtectedBook]:
    """Years ``first``…``last`` (years still to come are left out: they have no data yet)."""
    today = today or local_today()
    if not MIN_YEAR <= first <= last or last - first + 1 > MAX_PERIOD_YEARS or first > today.year:
        raise ValidationError("period_invalid", min=MIN_YEAR, max=today.year, span=MAX_PERIOD_YEARS)
    labels = default_labels()
    years = [county_year(desk, y, today=today, labels=labels) for y in range(first, min(last, today.year) + 1)]
    return years, _checked(period_book([YearData(cy.stats.year, cy.units) for cy in years], labels))


def township_statistics_payload(desk: UnitOfWork, year: int, *, today: date | None = None) -> dict[str, Any]:
    """What a statistics-only bundle carries: this registry's protected annual tables and, per township,
    its published cells (``"<5"``/``"×"`` where suppressed) — never a raw count, never a rate."""
    cy, book = county_annual_book(desk, year, today=today)
    townships = []
    for t in cy.stats.townships:
        unit = unit_from_book(book, year, t.township_code, t.township, "")
        townships.append({"code": t.township_code, "name": t.township, "cells": dict(unit.cells)})
    return {
        "year": year, "period_start": cy.stats.period_start.isoformat(), "as_of": cy.stats.as_of.isoformat(),
        "complete": cy.stats.complete, "county_code": cy.stats.county_code, "county_name": cy.stats.county_name,
        "basis": cy.stats.basis, "protection": "primary <5 + complementary suppression, LP-audited",
        "townships": townships, "tables": [t.to_dict() for t in book.tables],
    }


def parse_statistics_payload(stats: Any) -> list[tuple[int, str, str, dict[str, int | str]]]:
    """(year, code, name, cells) of a received statistics payload; ``bundle_malformed`` if it is not one."""
    try:
        year = int(stats["year"])
        out = []
        for t in stats["townships"]:
            code, name, cells = str(t["code"])[:20], str(t["name"])[:100], t["cells"]
            if not isinstance(cells, dict):
                raise TypeError
            clean: dict[str, int | str] = {}
            for k, v in cells.items():
                if isinstance(v, bool) or not ((isinstance(v, int) and v >= 0) or v in (SMALL, HIDDEN)):
                    raise TypeError
                if isinstance(v, int) and 0 < v < THRESHOLD:
                    raise TypeError  # a small count sent unprotected: refuse rather than store it
                clean[str(k)[:60]] = v
            out.append((year, code, name, clean))
        return out
    except (KeyError, TypeError, ValueError):
        from fanguai_desk.exchange.envelope import ExchangeError

        raise ExchangeError("bundle_malformed", part="statistics") from None


# ----------------------------------------------------------------------------- dashboard: key figures, reminder

#: The yearly report to the joint-conference office is due by this day of the following year (七(一)).
REPORT_DUE_MONTH_DAY = (2, 15)


def annual_report_due(today: date) -> date | None:
    """From 1 January to 15 February: the day the previous year's report is due; otherwise ``None``."""
    due = date(today.year, *REPORT_DUE_MONTH_DAY)
    return due if today <= due else None


@dataclass(frozen=True)
class KeyChart:
    """A small chart of published cells: ``marks`` as printed ("12", "<5", "×"), ``values`` the numbers
    drawn (``None`` where suppressed — no bar)."""

    table_id: str  # the protected table it comes from ("files", "sex", "legal_aid")
    title: str
    labels: tuple[str, ...]
    marks: tuple[str, ...]

    @property
    def values(self) -> tuple[int | None, ...]:
        return tuple(int(m) if m.isdigit() else None for m in self.marks)


@dataclass(frozen=True)
class KeyFigures:
    year: int
    as_of: date
    charts: tuple[KeyChart, ...]
    report_due: date | None  # set for the county's view while last year's report is due


def key_figures(desk: UnitOfWork, *, today: date | None = None) -> KeyFigures:
    """The dashboard's small charts: the county-total row of this year's protected annual tables."""
    today = today or local_today()
    cy, book = county_annual_book(desk, today.year, today=today)
    charts = []
    for table_id, title in (("files", "本年档案（份）"), ("sex", "年末在档：性别（人）"),
                            ("legal_aid", "法律援助转介结果（件）")):
        table = next(t for t in book.tables if t.id == table_id)
        last = len(table.rows) - 1
        cols = [i for i, c in enumerate(table.columns) if c != "合计" and not c.startswith("其中")]
        charts.append(KeyChart(table_id, title, tuple(table.columns[i] for i in cols),
                               tuple(table.cells[last][i] for i in cols)))
    due = annual_report_due(today) if desk.visible_township_ids() is None else None
    return KeyFigures(today.year, cy.stats.as_of, tuple(charts), due)
