"""The SQL twins of the rules in ``domain/``: where a list, a count, the dashboard, a work list, a report or
the statistics need a rule inside a query, they take it from here and nowhere else.

Each function returns a SQLAlchemy expression that gives, row by row, exactly the answer of its Python
rule (named in its docstring) for the same ``on``/``today`` date.  ``tests/store/test_rule_sql.py`` runs
both over a grid of dates (every day of a leap and a common year, the 28th–31st, birthdays, an estimated
birth year only, an unknown age) and requires identical answers.  The constants (18, 6–16, 7 and 3 days)
are imported from ``domain.clocks``; none is written here.

The column arguments default to the model's columns; a caller may pass other expressions (the statistics
pass a referral's status *as of* the end of the year).

SQLite keeps dates as ISO text (``YYYY-MM-DD``), so date comparisons are plain text ranges and use the
indexes on the date columns.  Stored instants are naive UTC; the day one fell on is the caseworker's local day
(``local_day``, twin of ``store.clock.local_day``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, Integer, and_, case, cast, func, literal, literal_column, or_
from sqlalchemy.sql.elements import ColumnElement

from fanguai_desk.domain.clocks import (
    ADULT_AGE,
    LAWYER_ASSIGNMENT_DAYS,
    LEGAL_AID_DECISION_DAYS,
    OBJECTION_REVIEW_DAYS,
    SCHOOL_AGE_MAX,
    SCHOOL_AGE_MIN,
    UPCOMING_DAYS,
)
from fanguai_desk.domain.enums import FollowUpStatus, ReferralStatus, ServiceStatus
from fanguai_desk.store.models import FollowUp, LegalAidReferral, ServiceRecord, Victim

__all__ = [
    "age_on",
    "birth_cutoff",
    "days_unidentified",
    "followup_due_soon",
    "followup_open",
    "followup_overdue",
    "is_minor",
    "is_school_age",
    "local_day",
    "out_of_contact",
    "protected_as_minor",
    "referral_decided_in_time",
    "referral_decision_due",
    "referral_lawyer_due",
    "referral_overdue",
    "referral_review_due",
    "referral_running_deadline",
    "schooling_unrecorded",
    "service_open",
    "service_overdue",
    "turns_age_within",
    "unidentified_since",
    "visit_overdue",
    "without_visit_plan",
]

Col = Any  # a column or SQL expression


# --- days of stored instants -----------------------------------------------------------------------------


def local_day(instant: Col) -> ColumnElement[date]:
    """Twin of ``clock.local_day``: the caseworker's calendar day of a stored instant (naive UTC).

    SQLite's ``'localtime'`` converts with the C library's ``localtime_r`` in this process, the zone Python's
    ``date.fromtimestamp`` reads (TZ, or the system's zone), so both give the same day; ``tests/store/
    test_rule_sql.py`` checks that over thousands of instants in several zones.  SQLite refuses ``'localtime'`` in
    an index expression (the zone is not part of the database): an index that needs the day of a file's
    ``created_at`` reads the maintained ``victims.created_on`` (store/state.py), which the triggers compute
    with this expression.  SQLite maps years outside 1970–2037 onto an equivalent year for the zone rules;
    stored instants are this century's."""
    # A literal, not a bound parameter: the triggers' SQL (store/state.py) is compiled from this expression.
    return func.date(instant, literal_column("'localtime'"), type_=Date)


# --- ages -------------------------------------------------------------------------------------------


def birth_cutoff(on: date, years: int) -> date:
    """The latest birth date of a person who is at least ``years`` old (周岁) on ``on``.

    Someone born on 29 February turns N on 1 March in a common year (``clocks.age_on`` compares
    (month, day) pairs), so for ``on`` = 29 February whose year ``years`` back is common, the cutoff is
    28 February — the old ``min(day, 28)`` cut off every 29th–31st instead, and called people who turned
    18 on those days minors.
    """
    year = on.year - years
    try:
        return on.replace(year=year)
    except ValueError:  # 29 February → a common year
        return date(year, 2, 28)


def _estimate_adjust(on: date) -> int:
    """``clocks.age_on`` with only an estimated year counts the birthday as 31 December."""
    return 0 if (on.month, on.day) == (12, 31) else 1


def _known_under(on: date, years: int, birth_date: Col, estimated_birth_year: Col) -> ColumnElement[bool]:
    """``age_on(...) < years`` for a known age."""
    return or_(
        birth_date > birth_cutoff(on, years),
        and_(birth_date.is_(None), estimated_birth_year > on.year - years - _estimate_adjust(on)),
    )


def _known_between(on: date, years: int, under_on: date, under_years: int, birth_date: Col,
                   estimated_birth_year: Col) -> ColumnElement[bool]:
    """``age_on(on) >= years and age_on(under_on) < under_years`` for a known age, written as one closed range
    of birth dates or of estimated years (not an AND of two ORs): the birth date is either known or NULL, so
    the cross terms are always false, and SQLite then reads one index range per branch (the school-age card
    walked every open file born before its upper bound at 100,000 files)."""
    return or_(
        and_(birth_date <= birth_cutoff(on, years), birth_date > birth_cutoff(under_on, under_years)),
        and_(birth_date.is_(None), estimated_birth_year <= on.year - years - _estimate_adjust(on),
             estimated_birth_year > under_on.year - under_years - _estimate_adjust(under_on)),
    )


def age_on(on: date, birth_date: Col = Victim.birth_date,
           estimated_birth_year: Col = Victim.estimated_birth_year) -> ColumnElement[int | None]:
    """Twin of ``clocks.age_on``: full years on ``on``; NULL when unknown; never below 0."""
    month_day = on.strftime("%m-%d")
    from_birth = (on.year - cast(func.strftime("%Y", birth_date), Integer)
                  - case((func.strftime("%m-%d", birth_date) > month_day, 1), else_=0))
    from_estimate = on.year - estimated_birth_year - _estimate_adjust(on)
    return case(
        (birth_date.is_not(None), func.max(literal(0), from_birth)),
        (estimated_birth_year.is_not(None), func.max(literal(0), from_estimate)),
        else_=None,
    )


def is_minor(on: date, birth_date: Col = Victim.birth_date,
             estimated_birth_year: Col = Victim.estimated_birth_year) -> ColumnElement[bool]:
    """Twin of ``clocks.is_minor``: known to be under 18 on ``on``."""
    return _known_under(on, ADULT_AGE, birth_date, estimated_birth_year)


def protected_as_minor(on: date, birth_date: Col = Victim.birth_date,
                       estimated_birth_year: Col = Victim.estimated_birth_year) -> ColumnElement[bool]:
    """Twin of ``clocks.protected_as_minor``: under 18 on ``on`` or of unknown age."""
    return or_(_known_under(on, ADULT_AGE, birth_date, estimated_birth_year),
               and_(birth_date.is_(None), estimated_birth_year.is_(None)))


def turns_age_within(today: date, years: int, days: int, birth_date: Col = Victim.birth_date,
                     estimated_birth_year: Col = Victim.estimated_birth_year) -> ColumnElement[bool]:
    """Twin of ``clocks.turns_age_within``: under ``years`` today, at least ``years`` in ``days`` days."""
    return _known_between(today + timedelta(days=days), years, today, years, birth_date, estimated_birth_year)


def is_school_age(on: date, birth_date: Col = Victim.birth_date,
                  estimated_birth_year: Col = Victim.estimated_birth_year) -> ColumnElement[bool]:
    """Twin of ``clocks.is_school_age``: 6 to 16 inclusive on ``on``."""
    return _known_between(on, SCHOOL_AGE_MIN, on, SCHOOL_AGE_MAX + 1, birth_date, estimated_birth_year)


# --- follow-ups and services ------------------------------------------------------------------------


def followup_open(status: Col = FollowUp.status) -> ColumnElement[bool]:
    """Still a task: neither cancelled nor done (``clocks.followup_state`` is not CANCELLED/DONE)."""
    return status == FollowUpStatus.PLANNED


def followup_overdue(today: date, status: Col = FollowUp.status,
                     planned_date: Col = FollowUp.planned_date) -> ColumnElement[bool]:
    """Twin of ``clocks.followup_state(...) is DueState.OVERDUE`` (answered from ix_followups_status_planned)."""
    return and_(followup_open(status), planned_date < today)


def followup_due_soon(today: date, status: Col = FollowUp.status, planned_date: Col = FollowUp.planned_date,
                      days: int = UPCOMING_DAYS) -> ColumnElement[bool]:
    """Twin of ``clocks.followup_state(...) is DueState.DUE_SOON`` (today and the next ``UPCOMING_DAYS``).

    ``days`` other than the default is a list filter ("due within N days"), not the rule."""
    return and_(followup_open(status), planned_date >= today, planned_date <= today + timedelta(days=days))


def service_open(status: Col = ServiceRecord.status) -> ColumnElement[bool]:
    return status.in_([ServiceStatus.PLANNED, ServiceStatus.IN_PROGRESS])


def service_overdue(today: date, status: Col = ServiceRecord.status,
                    due_date: Col = ServiceRecord.due_date) -> ColumnElement[bool]:
    """Twin of ``clocks.service_state(...) is DueState.OVERDUE``."""
    return and_(service_open(status), due_date < today)


# --- legal-aid referrals (法律援助法 第四十三条) -------------------------------------------------------


def _waiting_for_lawyer(status: Col, lawyer_assigned_date: Col | None) -> ColumnElement[bool]:
    accepted = status == ReferralStatus.ACCEPTED
    return accepted if lawyer_assigned_date is None else and_(accepted, lawyer_assigned_date.is_(None))


def _decision_due(referral_date: Col, paused_days: Col, urgent_deadline: Col) -> ColumnElement[date]:
    """Twin of ``clocks.decision_due_date``: referral + 7 days + the days paused for 补充材料; with a legal
    deadline (art. 44), the day before it if that comes first."""
    normal = func.date(referral_date, func.printf("+%d days", LEGAL_AID_DECISION_DAYS + func.max(
        literal(0), func.coalesce(paused_days, 0))), type_=Date)
    return case((urgent_deadline.is_(None), normal),
                else_=func.min(normal, func.date(urgent_deadline, "-1 days", type_=Date)))


def referral_overdue(today: date, status: Col = LegalAidReferral.status,
                     referral_date: Col = LegalAidReferral.referral_date,
                     decision_date: Col = LegalAidReferral.decision_date,
                     lawyer_assigned_date: Col | None = LegalAidReferral.lawyer_assigned_date,
                     paused_days: Col = LegalAidReferral.paused_days,
                     urgent_deadline: Col = LegalAidReferral.urgent_deadline,
                     objected_on: Col = LegalAidReferral.objected_on) -> ColumnElement[bool]:
    """Twin of ``clocks.referral_clock(...).overdue``: the decision (art. 43, paused for 补充材料, before an
    art. 44 legal deadline), the lawyer (art. 43), the review of an objection (art. 49).

    ``lawyer_assigned_date=None`` means "no lawyer yet" (the statistics pass the status as of a past day,
    when an ACCEPTED status already says that no lawyer had been assigned)."""
    return or_(
        and_(status == ReferralStatus.REFERRED, _decision_due(referral_date, paused_days, urgent_deadline) < today),
        and_(_waiting_for_lawyer(status, lawyer_assigned_date),
             func.coalesce(decision_date, referral_date) < today - timedelta(days=LAWYER_ASSIGNMENT_DAYS)),
        and_(status == ReferralStatus.OBJECTED, objected_on.is_not(None),
             objected_on < today - timedelta(days=OBJECTION_REVIEW_DAYS)),
    )


def referral_decision_due(status: Col = LegalAidReferral.status,
                          referral_date: Col = LegalAidReferral.referral_date,
                          lawyer_assigned_date: Col | None = LegalAidReferral.lawyer_assigned_date,
                          paused_days: Col = LegalAidReferral.paused_days,
                          urgent_deadline: Col = LegalAidReferral.urgent_deadline) -> ColumnElement[date | None]:
    """Twin of ``clocks.referral_clock(...).decision_due`` while a clock runs (referred, or waiting for a lawyer)."""
    running = or_(status == ReferralStatus.REFERRED, _waiting_for_lawyer(status, lawyer_assigned_date))
    return case((running, _decision_due(referral_date, paused_days, urgent_deadline)), else_=None)


def referral_lawyer_due(status: Col = LegalAidReferral.status,
                        referral_date: Col = LegalAidReferral.referral_date,
                        decision_date: Col = LegalAidReferral.decision_date,
                        lawyer_assigned_date: Col | None = LegalAidReferral.lawyer_assigned_date
                        ) -> ColumnElement[date | None]:
    """Twin of ``clocks.referral_clock(...).lawyer_due``: decision (else referral) date + 3 while waiting."""
    return case((_waiting_for_lawyer(status, lawyer_assigned_date),
                 func.date(func.coalesce(decision_date, referral_date), f"+{LAWYER_ASSIGNMENT_DAYS} days",
                           type_=Date)),
                else_=None)


def referral_review_due(status: Col = LegalAidReferral.status,
                        objected_on: Col = LegalAidReferral.objected_on) -> ColumnElement[date | None]:
    """Twin of ``clocks.referral_clock(...).review_due``: an objection is reviewed within 5 days (art. 49)."""
    return case((and_(status == ReferralStatus.OBJECTED, objected_on.is_not(None)),
                 func.date(objected_on, f"+{OBJECTION_REVIEW_DAYS} days", type_=Date)), else_=None)


def referral_running_deadline() -> ColumnElement[date | None]:
    """The deadline of the clock that runs now (what a work list sorts by): decision, lawyer or review."""
    r = LegalAidReferral
    return case((r.status == ReferralStatus.REFERRED, referral_decision_due()),
                (_waiting_for_lawyer(r.status, r.lawyer_assigned_date), referral_lawyer_due()),
                (r.status == ReferralStatus.OBJECTED, referral_review_due()), else_=None)


def referral_decided_in_time(referral_date: Col = LegalAidReferral.referral_date,
                             decision_date: Col = LegalAidReferral.decision_date) -> ColumnElement[bool]:
    """Twin of ``clocks.decided_in_time``: a decision on or before the 7-day deadline."""
    return and_(decision_date.is_not(None),
                decision_date <= func.date(referral_date, f"+{LEGAL_AID_DECISION_DAYS} days", type_=Date))


# --- unidentified stays -----------------------------------------------------------------------------


def unidentified_since() -> ColumnElement[date]:
    """Twin of ``clocks.unidentified_since(arrived, rescue, clock.local_day(created_at))`` for a victim row.
    The day the file was made is read from the maintained ``created_on`` (``local_day(created_at)``, kept by
    triggers): the same expression as ``ix_victims_unidentified_since``, which SQLite then reads in order."""
    return func.coalesce(Victim.arrived_at_institution_on, Victim.rescue_date, Victim.created_on, type_=Date)


def days_unidentified(today: date) -> ColumnElement[int]:
    """Twin of ``clocks.days_unidentified(unidentified_since(...), identified_on, today)``."""
    end = func.coalesce(Victim.identified_on, today)
    return func.max(literal(0), cast(func.julianday(end) - func.julianday(unidentified_since()), Integer))


# --- a file's maintained state (store/state.py; the rules in domain/file_state.py) ----------------------


def without_visit_plan(next_visit_on: Col = Victim.next_visit_on) -> ColumnElement[bool]:
    """Twin of ``file_state.next_planned_visit(...) is None``, read from the maintained column."""
    return next_visit_on.is_(None)


def visit_overdue(today: date, next_visit_on: Col = Victim.next_visit_on) -> ColumnElement[bool]:
    """The file has an overdue visit: twin of ``any(clocks.followup_state(...) is OVERDUE)`` over its visits
    (its earliest planned date is before today), read from the maintained column."""
    return next_visit_on < today


def out_of_contact(today: date, days: int, last_contact_on: Col = Victim.last_contact_on) -> ColumnElement[bool]:
    """Twin of ``file_state.out_of_contact``, read from the maintained ``last_contact_on``."""
    return last_contact_on < today - timedelta(days=days)


def schooling_unrecorded(schooling_gap: Col = Victim.schooling_gap) -> ColumnElement[bool]:
    """Twin of ``file_state.schooling_gap(...) is not None``, read from the maintained column."""
    return schooling_gap.is_not(None)
