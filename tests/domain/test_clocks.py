"""Due dates, overdue flags, legal-aid clocks and ages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fanguai_desk.domain.clocks import (
    LAWYER_ASSIGNMENT_DAYS,
    LEGAL_AID_DECISION_DAYS,
    UPCOMING_DAYS,
    DueState,
    ReferralClock,
    age_on,
    days_unidentified,
    followup_state,
    is_minor,
    is_school_age,
    protected_as_minor,
    referral_clock,
    service_state,
)
from fanguai_desk.domain.enums import FollowUpStatus, ReferralStatus, ServiceStatus

TODAY = date(2026, 11, 10)


def test_legal_aid_law_article_43_constants() -> None:
    assert (UPCOMING_DAYS, LEGAL_AID_DECISION_DAYS, LAWYER_ASSIGNMENT_DAYS) == (7, 7, 3)


@pytest.mark.parametrize(
    ("days_from_today", "expected"),
    [
        (-30, DueState.OVERDUE),
        (-1, DueState.OVERDUE),
        (0, DueState.DUE_SOON),
        (1, DueState.DUE_SOON),
        (7, DueState.DUE_SOON),
        (8, DueState.SCHEDULED),
        (90, DueState.SCHEDULED),
    ],
)
def test_followup_is_overdue_only_after_its_date_and_due_soon_within_seven_days(
    days_from_today: int, expected: DueState
) -> None:
    planned = TODAY + timedelta(days=days_from_today)
    assert followup_state(FollowUpStatus.PLANNED, planned, TODAY) is expected


def test_followup_with_actual_date_is_done_even_if_late() -> None:
    assert (
        followup_state(FollowUpStatus.DONE, TODAY - timedelta(days=20), TODAY) is DueState.DONE
    )


def test_cancelled_followup_is_cancelled_whatever_its_dates() -> None:
    assert followup_state(FollowUpStatus.CANCELLED, TODAY - timedelta(days=20), TODAY) is DueState.CANCELLED
    assert followup_state(FollowUpStatus.CANCELLED, None, TODAY) is DueState.CANCELLED


def test_followup_without_planned_date_has_no_clock() -> None:
    assert followup_state(FollowUpStatus.PLANNED, None, TODAY) is DueState.NONE


@pytest.mark.parametrize(
    ("due", "status", "expected"),
    [
        (TODAY - timedelta(days=1), ServiceStatus.PLANNED, DueState.OVERDUE),
        (TODAY - timedelta(days=1), ServiceStatus.IN_PROGRESS, DueState.OVERDUE),
        (TODAY + timedelta(days=3), ServiceStatus.IN_PROGRESS, DueState.DUE_SOON),
        (TODAY + timedelta(days=30), ServiceStatus.PLANNED, DueState.SCHEDULED),
        (TODAY - timedelta(days=1), ServiceStatus.DONE, DueState.DONE),
        (TODAY - timedelta(days=1), ServiceStatus.CANCELLED, DueState.CANCELLED),
        (None, ServiceStatus.PLANNED, DueState.NONE),
    ],
)
def test_service_state_follows_status_then_due_date(
    due: date | None, status: ServiceStatus, expected: DueState
) -> None:
    assert service_state(due, status, TODAY) is expected


def test_referral_waiting_for_decision_is_due_seven_days_after_referral() -> None:
    clock = referral_clock(date(2026, 11, 3), ReferralStatus.REFERRED, None, None, TODAY)
    assert clock == ReferralClock(
        decision_due=date(2026, 11, 10), lawyer_due=None, overdue=False, waiting_days=7, stage="decision"
    )


def test_referral_without_decision_is_overdue_the_day_after_the_deadline() -> None:
    clock = referral_clock(date(2026, 11, 2), ReferralStatus.REFERRED, None, None, TODAY)
    assert clock.overdue
    assert clock.waiting_days == 8


def test_accepted_referral_needs_a_lawyer_within_three_days_of_decision() -> None:
    on_time = referral_clock(date(2026, 11, 1), ReferralStatus.ACCEPTED, date(2026, 11, 7), None, TODAY)
    assert on_time.stage == "lawyer"
    assert on_time.lawyer_due == date(2026, 11, 10)
    assert not on_time.overdue
    assert on_time.waiting_days == 3
    late = referral_clock(date(2026, 11, 1), ReferralStatus.ACCEPTED, date(2026, 11, 6), None, TODAY)
    assert late.overdue


def test_accepted_referral_without_decision_date_counts_from_referral_date() -> None:
    clock = referral_clock(date(2026, 11, 1), ReferralStatus.ACCEPTED, None, None, TODAY)
    assert clock.lawyer_due == date(2026, 11, 4)
    assert clock.overdue


@pytest.mark.parametrize(
    "status",
    [
        ReferralStatus.LAWYER_ASSIGNED,
        ReferralStatus.CONCLUDED,
        ReferralStatus.REVOKED,
    ],
)
def test_referral_past_the_legal_aid_clocks_has_no_deadline(status: ReferralStatus) -> None:
    clock = referral_clock(date(2026, 1, 1), status, date(2026, 1, 5), date(2026, 1, 6), TODAY)
    assert clock == ReferralClock(None, None, False, 0, "none")


@pytest.mark.parametrize("status", [ReferralStatus.DECLINED, ReferralStatus.TERMINATED])
def test_after_a_refusal_or_termination_the_objection_window_is_open_without_deadline(status: ReferralStatus) -> None:
    # 法律援助法 第四十九条 sets no time limit for raising the objection: nothing becomes overdue.
    clock = referral_clock(date(2026, 1, 1), status, date(2026, 1, 5), None, TODAY)
    assert (clock.stage, clock.overdue, clock.decision_due) == ("objection", False, None)


def test_an_objection_is_reviewed_within_five_days_art_49() -> None:
    clock = referral_clock(date(2026, 1, 1), ReferralStatus.OBJECTED, date(2026, 1, 5), None, date(2026, 1, 15),
                           objected_on=date(2026, 1, 10))
    assert clock.review_due == date(2026, 1, 15) and not clock.overdue
    late = referral_clock(date(2026, 1, 1), ReferralStatus.OBJECTED, date(2026, 1, 5), None, date(2026, 1, 16),
                          objected_on=date(2026, 1, 10))
    assert late.overdue and late.stage == "review"


def test_materials_requested_pauses_the_decision_clock() -> None:
    paused = referral_clock(date(2026, 1, 1), ReferralStatus.MATERIALS_REQUESTED, None, None, date(2026, 3, 1))
    assert paused.stage == "materials" and not paused.overdue
    resumed = referral_clock(date(2026, 1, 1), ReferralStatus.REFERRED, None, None, date(2026, 1, 12), paused_days=5)
    assert resumed.decision_due == date(2026, 1, 13) and not resumed.overdue


def test_urgent_referral_is_due_before_the_legal_deadline_art_44() -> None:
    clock = referral_clock(date(2026, 1, 1), ReferralStatus.REFERRED, None, None, date(2026, 1, 3),
                           urgent_deadline=date(2026, 1, 4))
    assert clock.urgent and clock.decision_due == date(2026, 1, 3) and not clock.overdue
    assert referral_clock(date(2026, 1, 1), ReferralStatus.REFERRED, None, None, date(2026, 1, 4),
                          urgent_deadline=date(2026, 1, 4)).overdue


def test_accepted_referral_with_lawyer_date_has_no_running_clock() -> None:
    clock = referral_clock(
        date(2026, 1, 1), ReferralStatus.ACCEPTED, date(2026, 1, 5), date(2026, 1, 6), TODAY
    )
    assert clock.stage == "none"
    assert not clock.overdue


def test_days_unidentified_runs_until_today_or_identification() -> None:
    assert days_unidentified(date(2026, 1, 1), None, date(2026, 1, 31)) == 30
    assert days_unidentified(date(2026, 1, 1), date(2026, 1, 11), date(2026, 12, 31)) == 10
    assert days_unidentified(date(2026, 2, 1), None, date(2026, 1, 1)) == 0


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2010, 5, 20), date(2026, 5, 19), 15),
        (date(2010, 5, 20), date(2026, 5, 20), 16),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2026, 6, 1), date(2026, 5, 1), 0),
    ],
)
def test_age_is_exact_in_full_years_from_birth_date(birth: date, on: date, age: int) -> None:
    assert age_on(birth, None, on) == age


def test_age_from_estimated_year_is_the_protective_lower_bound() -> None:
    assert age_on(None, 2010, date(2026, 12, 30)) == 15
    assert age_on(None, 2010, date(2026, 12, 31)) == 16
    assert age_on(None, 2010, date(2026, 1, 1)) == 15


def test_exact_birth_date_wins_over_estimated_year() -> None:
    assert age_on(date(2000, 1, 1), 2015, date(2026, 6, 1)) == 26


def test_age_unknown_without_birth_date_or_estimate() -> None:
    assert age_on(None, None, TODAY) is None


def test_minor_is_under_eighteen_and_unknown_age_is_not_minor() -> None:
    assert is_minor(date(2008, 11, 11), None, TODAY)
    assert not is_minor(date(2008, 11, 10), None, TODAY)
    assert is_minor(None, 2008, TODAY)
    assert not is_minor(None, None, TODAY)
    assert protected_as_minor(None, None, TODAY)
    assert protected_as_minor(date(2008, 11, 11), None, TODAY)
    assert not protected_as_minor(date(2008, 11, 10), None, TODAY)


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (date(2020, 11, 11), False),
        (date(2020, 11, 10), True),
        (date(2009, 11, 11), True),
        (date(2009, 11, 10), False),
    ],
)
def test_school_age_is_six_to_sixteen_inclusive(birth: date, expected: bool) -> None:
    assert is_school_age(birth, None, TODAY) is expected


def test_school_age_unknown_is_false() -> None:
    assert not is_school_age(None, None, TODAY)
