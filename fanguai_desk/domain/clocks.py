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

from fanguai_desk.domain.enums import ReferralStatus, ServiceStatus

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
    "due_state",
    "followup_state",
    "is_minor",
    "is_school_age",
    "referral_clock",
    "service_state",
]

UPCOMING_DAYS = 7
LEGAL_AID_DECISION_DAYS = 7  # 法律援助法 第四十三条: 审查…七日内作出决定
LAWYER_ASSIGNMENT_DAYS = 3  # 法律援助法 第四十三条: 决定…之日起三日内指派律师
ADULT_AGE = 18
SCHOOL_AGE_MIN = 6
SCHOOL_AGE_MAX = 15


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


def followup_state(
    planned_date: date | None, actual_date: date | None, cancelled: bool, today: date
) -> DueState:
    """Cancelled wins, then done (an actual date), then the planned date's clock."""
    if cancelled:
        return DueState.CANCELLED
    if actual_date is not None:
        return DueState.DONE
    return due_state(planned_date, today)


def service_state(due_date: date | None, status: ServiceStatus, today: date) -> DueState:
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
    * any other status (declined, lawyer assigned, concluded, revoked): no clock running.
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


def days_unidentified(since: date, identified_on: date | None, today: date) -> int:
    """How long a person has stayed without a known identity (for 落户: 滞留…一定期限以上仍未查明身份)."""
    end = identified_on if identified_on is not None else today
    return max(0, (end - since).days)


def age_on(birth_date: date | None, estimated_birth_year: int | None, on: date) -> int | None:
    """Age in full years on ``on``; the lower bound with only an estimated year; ``None`` when unknown.

    A birth date after ``on`` gives 0.
    """
    if birth_date is not None:
        years = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    elif estimated_birth_year is not None:
        years = on.year - estimated_birth_year - ((on.month, on.day) < (12, 31))
    else:
        return None
    return max(0, years)


def is_minor(birth_date: date | None, estimated_birth_year: int | None, on: date) -> bool:
    """Under 18 on ``on``.  An unknown age is not treated as a minor here: callers that must protect
    people of unknown age check ``age_on(...) is None`` themselves."""
    age = age_on(birth_date, estimated_birth_year, on)
    return age is not None and age < ADULT_AGE


def is_school_age(birth_date: date | None, estimated_birth_year: int | None, on: date) -> bool:
    """Aged 6 to 15 inclusive on ``on`` (compulsory-education age)."""
    age = age_on(birth_date, estimated_birth_year, on)
    return age is not None and SCHOOL_AGE_MIN <= age <= SCHOOL_AGE_MAX
