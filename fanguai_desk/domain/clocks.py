"""Due dates, overdue flags and ages — every screen and report computes them here.

Everything takes an explicit ``today``/``on`` date: nothing in this module reads the system clock, so a
report printed for 31 December says the same thing whenever it is printed.

* Follow-ups and services (Primero's model): a task until done, **overdue** strictly after its date,
  **due soon** when its date is within ``UPCOMING_DAYS`` days from today (today included).
* Legal-aid referrals: 法律援助法 art. 43 — the institution decides within 7 days of the application
  and assigns a lawyer within 3 days of deciding.
* Ages in full years (周岁), a person turning N on their birthday.  With only an estimated birth year
  the age is the protective lower bound (as if born on 31 December of that year): when unsure, treat
  the person as the younger one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from fanguai_desk.domain.enums import FollowUpStatus, ReferralStatus, ServiceStatus

__all__ = [
    "ADULT_AGE",
    "LAWYER_ASSIGNMENT_DAYS",
    "LEGAL_AID_DECISION_DAYS",
    "SCHOOL_AGE_MAX",
    "SCHOOL_AGE_MIN",
    "UPCOMING_DAYS",
    "DueState",
    "ReferralClock",
    "age_on",
    "days_unidentified",
    "decided_in_time",
    "due_state",
    "followup_state",
    "is_minor",
    "is_school_age",
    "protected_as_minor",
    "referral_clock",
    "retention_until",
    "service_state",
    "unidentified_since",
]

UPCOMING_DAYS = 7
LEGAL_AID_DECISION_DAYS = 7  # 法律援助法 第四十三条: 审查…七日内作出决定
LAWYER_ASSIGNMENT_DAYS = 3  # 法律援助法 第四十三条: 决定…之日起三日内指派律师
ADULT_AGE = 18  # 民法典 第十七条: 十八周岁以上的自然人为成年人
# 义务教育法 第十一条: 凡年满六周岁的儿童…应当入学接受并完成义务教育；条件不具备的地区…可以推迟到七周岁.
# 第二条: 义务教育 is nine years.  A child who starts at 7 finishes in the year they turn 16, so a pupil of
# compulsory-education age is 6 to 16 (周岁) on the day: these bound the return-to-school service (回归学校,
# 适龄儿童入学: 003 第十九条, 004 第二十四条).
SCHOOL_AGE_MIN = 6
SCHOOL_AGE_MAX = 16


class DueState(StrEnum):
    DONE = "done"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    NONE = "none"


def due_state(due: date | None, today: date) -> DueState:
    """The state of an open task due on ``due``."""
    if due is None:
        return DueState.NONE
    if today > due:
        return DueState.OVERDUE
    if due <= today + timedelta(days=UPCOMING_DAYS):
        return DueState.DUE_SOON
    return DueState.SCHEDULED


def followup_state(status: FollowUpStatus, planned_date: date | None, today: date) -> DueState:
    """The status decides (cancelled, done); a planned visit runs on its planned date's clock.  (Recording a
    visit sets its status to done and its actual date together, so the status alone says whether it is done.)

    SQL twin: ``store.rule_sql.followup_overdue`` / ``followup_due_soon``.
    """
    if status is FollowUpStatus.CANCELLED:
        return DueState.CANCELLED
    if status is FollowUpStatus.DONE:
        return DueState.DONE
    return due_state(planned_date, today)


def service_state(due_date: date | None, status: ServiceStatus, today: date) -> DueState:
    """SQL twin: ``store.rule_sql.service_overdue``."""
    if status is ServiceStatus.DONE:
        return DueState.DONE
    if status is ServiceStatus.CANCELLED:
        return DueState.CANCELLED
    return due_state(due_date, today)


@dataclass(frozen=True)
class ReferralClock:
    decision_due: date | None
    lawyer_due: date | None
    overdue: bool
    waiting_days: int  # days since the running clock started (referral or decision date)
    stage: str  # "decision" | "lawyer" | "none"


def referral_clock(
    referral_date: date,
    status: ReferralStatus,
    decision_date: date | None,
    lawyer_assigned_date: date | None,
    today: date,
) -> ReferralClock:
    """Which legal-aid deadline is running for a referral, and whether it has passed.

    * ``REFERRED``: the decision is due ``referral_date + 7``; overdue from the day after.
    * ``ACCEPTED`` without a lawyer: the lawyer is due ``decision_date + 3`` (the referral date stands in
      for a missing decision date, which gives the earlier — stricter — deadline).
    * any other status (declined, lawyer assigned, concluded, revoked), or a lawyer already assigned:
      no clock running.

    SQL twins: ``store.rule_sql.referral_overdue``, ``referral_decision_due``, ``referral_lawyer_due``.
    """
    decision_due = referral_date + timedelta(days=LEGAL_AID_DECISION_DAYS)
    if status is ReferralStatus.REFERRED:
        return ReferralClock(
            decision_due=decision_due,
            lawyer_due=None,
            overdue=today > decision_due,
            waiting_days=max(0, (today - referral_date).days),
            stage="decision",
        )
    if status is ReferralStatus.ACCEPTED and lawyer_assigned_date is None:
        started = decision_date if decision_date is not None else referral_date
        lawyer_due = started + timedelta(days=LAWYER_ASSIGNMENT_DAYS)
        return ReferralClock(
            decision_due=decision_due,
            lawyer_due=lawyer_due,
            overdue=today > lawyer_due,
            waiting_days=max(0, (today - started).days),
            stage="lawyer",
        )
    return ReferralClock(decision_due=None, lawyer_due=None, overdue=False, waiting_days=0, stage="none")


def retention_until(closed_on: date, years: int) -> date:
    """A closed file is kept ``years`` years after closing (PIPL art. 19/47: no longer than needed); a file
    closed on 29 February is kept until 1 March."""
    try:
        return closed_on.replace(year=closed_on.year + years)
    except ValueError:
        return date(closed_on.year + years, 3, 1)


def decided_in_time(referral_date: date, decision_date: date | None) -> bool:
    """The institution decided within 7 days of the referral (法律援助法 第四十三条).
    SQL twin: ``store.rule_sql.referral_decided_in_time``."""
    return decision_date is not None and decision_date <= referral_date + timedelta(days=LEGAL_AID_DECISION_DAYS)


def unidentified_since(arrived_at_institution_on: date | None, rescue_date: date | None, created_on: date) -> date:
    """Since when an unidentified person has stayed: arrival at the institution, else rescue, else the day
    the file was made.  SQL twin: ``store.rule_sql.unidentified_since``."""
    if arrived_at_institution_on is not None:
        return arrived_at_institution_on
    return rescue_date if rescue_date is not None else created_on


def days_unidentified(since: date, identified_on: date | None, today: date) -> int:
    """How long a person has stayed without a known identity (for 落户: 滞留…一定期限以上仍未查明身份).

    SQL twin: ``store.rule_sql.days_unidentified``."""
    end = identified_on if identified_on is not None else today
    return max(0, (end - since).days)


def age_on(birth_date: date | None, estimated_birth_year: int | None, on: date) -> int | None:
    """Age in full years on ``on``; the lower bound with only an estimated year; ``None`` when unknown.

    A birth date after ``on`` gives 0.  SQL twin: ``store.rule_sql.age_on``.
    """
    if birth_date is not None:
        years = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    elif estimated_birth_year is not None:
        years = on.year - estimated_birth_year - ((on.month, on.day) < (12, 31))
    else:
        return None
    return max(0, years)


def is_minor(birth_date: date | None, estimated_birth_year: int | None, on: date) -> bool:
    """Known to be under 18 on ``on`` (lists, counts).  Protective rules use :func:`protected_as_minor`,
    which also covers an unknown age.  SQL twin: ``store.rule_sql.is_minor``."""
    age = age_on(birth_date, estimated_birth_year, on)
    return age is not None and age < ADULT_AGE


def protected_as_minor(birth_date: date | None, estimated_birth_year: int | None, on: date) -> bool:
    """Under 18 on ``on``, **or of unknown age**: every protective rule (buyer household, consent, guardians)
    treats a person as a child until an age is known.  SQL twin: ``store.rule_sql.protected_as_minor``."""
    age = age_on(birth_date, estimated_birth_year, on)
    return age is None or age < ADULT_AGE


def is_school_age(birth_date: date | None, estimated_birth_year: int | None, on: date) -> bool:
    """Of compulsory-education age on ``on``: 6 to 16 inclusive (see ``SCHOOL_AGE_MIN``/``MAX``).
    SQL twin: ``store.rule_sql.is_school_age``."""
    age = age_on(birth_date, estimated_birth_year, on)
    return age is not None and SCHOOL_AGE_MIN <= age <= SCHOOL_AGE_MAX
