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
    "HUKOU_THRESHOLD_DAYS",
    "LAWYER_ASSIGNMENT_DAYS",
    "LEGAL_AID_DECISION_DAYS",
    "OBJECTION_REVIEW_DAYS",
    "SCHOOL_AGE_MAX",
    "SCHOOL_AGE_MIN",
    "UPCOMING_DAYS",
    "DueState",
    "ReferralClock",
    "age_on",
    "birthday_on_or_after",
    "days_unidentified",
    "decided_in_time",
    "decision_due_date",
    "due_state",
    "followup_state",
    "is_minor",
    "is_school_age",
    "protected_as_minor",
    "referral_clock",
    "retention_until",
    "service_state",
    "turns_age_within",
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
# 法律援助法 第四十九条: 申请人、受援人对不予法律援助、终止法律援助的决定有异议的, 可以向设立该法律援助机构的
# 司法行政部门提出; 司法行政部门应当自收到异议之日起五日内进行审查.  (The older 法律援助条例 第十九条 said
# "5个工作日"; the 2021 Law says 五日, which is what we count.)
OBJECTION_REVIEW_DAYS = 5
#: 落户: a person staying unidentified this long is past the threshold for hukou registration.  国办发〔2015〕96号
#: (解决无户口人员登记户口问题) lets civil affairs apply for the registration of a person in its care whose
#: identity could not be found after 3 months of enquiries; we count 3 months as 90 days.  (From memory of
#: the document, not from the seeds: check it locally.)
HUKOU_THRESHOLD_DAYS = 90


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
    stage: str  # "decision" | "lawyer" | "materials" | "objection" | "review" | "none"
    urgent: bool = False  # art. 44: a legal deadline is near; the decision is due before it
    review_due: date | None = None  # art. 49: the 司法行政部门 decides an objection within 5 days


def decision_due_date(referral_date: date, paused_days: int = 0, urgent_deadline: date | None = None) -> date:
    """When the institution must decide: 7 days after the referral (art. 43), plus the days the clock stood
    still while materials were outstanding (补充材料, art. 43 第二款); with a legal deadline (art. 44), the day
    before that deadline if it comes first."""
    due = referral_date + timedelta(days=LEGAL_AID_DECISION_DAYS + max(0, paused_days))
    if urgent_deadline is not None:
        due = min(due, urgent_deadline - timedelta(days=1))
    return due


def referral_clock(
    referral_date: date,
    status: ReferralStatus,
    decision_date: date | None,
    lawyer_assigned_date: date | None,
    today: date,
    *,
    paused_days: int = 0,
    urgent_deadline: date | None = None,
    objected_on: date | None = None,
) -> ReferralClock:
    """Which legal-aid deadline is running for a referral, and whether it has passed.

    * ``REFERRED``: the decision is due ``decision_due_date(...)``; overdue from the day after.
    * ``MATERIALS_REQUESTED``: the clock is paused (nothing overdue) until the materials arrive.
    * ``ACCEPTED`` without a lawyer: the lawyer is due ``decision_date + 3`` (the referral date stands in
      for a missing decision date, which gives the earlier — stricter — deadline).
    * ``DECLINED`` / ``TERMINATED``: the objection window is open (stage "objection").  法律援助法 第四十九条
      lets the applicant object to the 司法行政部门 but sets no time limit for raising the objection (some
      provincial regulations do, e.g. 30 days; we are not sure which applies, so none is coded: nothing
      becomes overdue).
    * ``OBJECTED``: art. 49 — the 司法行政部门 reviews within 5 days of receiving the objection.
    * any other status (lawyer assigned, concluded, revoked), or a lawyer already assigned: no clock running.

    SQL twins: ``store.rule_sql.referral_overdue``, ``referral_decision_due``, ``referral_lawyer_due``.
    """
    urgent = urgent_deadline is not None
    decision_due = decision_due_date(referral_date, paused_days, urgent_deadline)
    if status is ReferralStatus.REFERRED:
        return ReferralClock(
            decision_due=decision_due,
            lawyer_due=None,
            overdue=today > decision_due,
            waiting_days=max(0, (today - referral_date).days - max(0, paused_days)),
            stage="decision",
            urgent=urgent,
        )
    if status is ReferralStatus.MATERIALS_REQUESTED:
        return ReferralClock(decision_due=None, lawyer_due=None, overdue=False, waiting_days=0, stage="materials",
                             urgent=urgent)
    if status is ReferralStatus.ACCEPTED and lawyer_assigned_date is None:
        started = decision_date if decision_date is not None else referral_date
        lawyer_due = started + timedelta(days=LAWYER_ASSIGNMENT_DAYS)
        return ReferralClock(
            decision_due=decision_due,
            lawyer_due=lawyer_due,
            overdue=today > lawyer_due,
            waiting_days=max(0, (today - started).days),
            stage="lawyer",
            urgent=urgent,
        )
    if status in (ReferralStatus.DECLINED, ReferralStatus.TERMINATED):
        return ReferralClock(decision_due=None, lawyer_due=None, overdue=False, waiting_days=0, stage="objection")
    if status is ReferralStatus.OBJECTED and objected_on is not None:
        review_due = objected_on + timedelta(days=OBJECTION_REVIEW_DAYS)
        return ReferralClock(decision_due=None, lawyer_due=None, overdue=today > review_due,
                             waiting_days=max(0, (today - objected_on).days), stage="review", review_due=review_due)
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


def birthday_on_or_after(birth_date: date | None, estimated_birth_year: int | None, age: int) -> date | None:
    """The day the person turns ``age`` (as ``age_on`` counts: 31 December with only an estimated year;
    29 February birthdays on 1 March in other years)."""
    if birth_date is not None:
        try:
            return birth_date.replace(year=birth_date.year + age)
        except ValueError:
            return date(birth_date.year + age, 3, 1)
    if estimated_birth_year is not None:
        return date(estimated_birth_year + age, 12, 31)
    return None


def turns_age_within(birth_date: date | None, estimated_birth_year: int | None, years: int, today: date,
                     days: int) -> bool:
    """Turns ``years`` between today and ``today + days``: under it today, at least it then (work lists:
    16 → training possible, 18 → own consent).  SQL twin: ``store.rule_sql.turns_age_within``."""
    now, then = age_on(birth_date, estimated_birth_year, today), age_on(birth_date, estimated_birth_year,
                                                                         today + timedelta(days=days))
    return now is not None and then is not None and now < years <= then


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
