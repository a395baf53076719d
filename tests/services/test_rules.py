"""The plans' rules, enforced in the core: each refusal is checked, and that nothing was written."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from fanguai_desk.domain.enums import Sex
from fanguai_desk.domain.errors import RuleViolation, ValidationError
from fanguai_desk.domain.idnumber import synthetic_id_number
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.clock import local_today
from tests.helpers import content_fingerprint

TODAY = local_today()


pytestmark = pytest.mark.usefixtures("today_read_per_test")  # TODAY is the day each test runs


def synthetic_id(birth: date, sex: Sex, seed: int = 1) -> str:
    return synthetic_id_number(random.Random(seed), birth, sex)


def years_ago(n: int, extra_days: int = 0) -> date:
    return date(TODAY.year - n, TODAY.month, min(TODAY.day, 28)) - timedelta(days=extra_days)


def assert_refused_and_unchanged(desk: Desk, code: str, action) -> RuleViolation | ValidationError:  # type: ignore[no-untyped-def]
    before = content_fingerprint(desk)
    with pytest.raises((RuleViolation, ValidationError)) as err:
        action()
    assert err.value.code == code
    assert content_fingerprint(desk) == before, "a refused operation wrote something"
    return err.value


# ----------------------------------------------------------------- resident ID numbers


def test_valid_id_number_fills_birth_date_and_sex(desk: Desk) -> None:
    number = synthetic_id(date(2001, 4, 5), Sex.FEMALE)
    vid, _ = desk.victims.register({"name": "王小梅", "id_number": number})
    v = desk.victims.open_file(vid).victim
    assert v.birth_date == date(2001, 4, 5) and v.sex is Sex.FEMALE and v.id_tail == number[-4:]


def test_id_number_with_bad_check_digit_is_refused(desk: Desk) -> None:
    number = synthetic_id(date(2001, 4, 5), Sex.FEMALE)
    bad = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert_refused_and_unchanged(desk, "id_number_checksum",
                                 lambda: desk.victims.register({"name": "王小梅", "id_number": bad}))


def test_id_number_birth_date_must_agree_with_the_file(desk: Desk) -> None:
    number = synthetic_id(date(2001, 4, 5), Sex.FEMALE)
    assert_refused_and_unchanged(desk, "id_number_birth_mismatch", lambda: desk.victims.register(
        {"name": "王小梅", "id_number": number, "birth_date": "2001-04-06"}))


def test_id_number_sex_must_agree_with_the_file(desk: Desk) -> None:
    number = synthetic_id(date(2001, 4, 5), Sex.FEMALE)
    assert_refused_and_unchanged(desk, "id_number_sex_mismatch", lambda: desk.victims.register(
        {"name": "王小梅", "id_number": number, "sex": "M"}))


def test_editing_birth_date_against_the_id_number_is_refused(desk: Desk) -> None:
    number = synthetic_id(date(2001, 4, 5), Sex.FEMALE)
    vid, _ = desk.victims.register({"name": "王小梅", "id_number": number})
    assert_refused_and_unchanged(desk, "id_number_birth_mismatch",
                                 lambda: desk.victims.edit(vid, {"birth_date": "1999-01-01"}))


def test_same_id_number_twice_is_refused_as_a_duplicate(desk: Desk) -> None:
    number = synthetic_id(date(2001, 4, 5), Sex.FEMALE)
    desk.victims.register({"name": "王小梅", "id_number": number})
    assert_refused_and_unchanged(desk, "duplicate_id_number",
                                 lambda: desk.victims.register({"name": "王晓梅", "id_number": number}))


def test_same_name_birth_and_sex_is_flagged_as_a_likely_duplicate(desk: Desk) -> None:
    first, _ = desk.victims.register({"name": "王小梅", "sex": "F", "birth_date": "2001-04-05"})
    _, hints = desk.victims.register({"name": "王小梅", "sex": "F", "birth_date": "2001-04-05"})
    assert [h.victim_id for h in hints] == [first] and hints[0].reason == "same_name_birth_sex"


def test_unknown_identity_file_needs_only_an_alias_and_estimated_year(desk: Desk) -> None:
    vid, _ = desk.victims.register({"alias": "小花", "estimated_birth_year": 2012,
                                    "arrived_at_institution_on": (TODAY - timedelta(days=40)).isoformat()})
    vf = desk.victims.open_file(vid)
    assert vf.victim.identity_status.value == "unknown" and vf.days_unidentified == 40
    assert desk.dashboard.compute().unidentified_count == 1


def test_a_file_without_name_or_alias_is_refused(desk: Desk) -> None:
    assert_refused_and_unchanged(desk, "name_or_alias_required",
                                 lambda: desk.victims.register({"estimated_birth_year": 2012}))


# ----------------------------------------------------------------- DNA


@pytest.mark.parametrize("note", [
    "DNA比对结果：与寻亲家属比中，支持亲生关系",
    "D8S1179: 12,14; D21S11: 29,30; TH01: 9,9.3; FGA: 22,24",
    "STR分型结果 vWA 16/18 TPOX 8/11",
])
def test_note_carrying_dna_data_is_refused_with_the_rule(desk: Desk, note: str) -> None:
    err = assert_refused_and_unchanged(desk, "dna_data", lambda: desk.victims.register(
        {"alias": "小花", "estimated_birth_year": 2012, "notes": note}))
    assert err.params["field"] == "notes"
    from fanguai_desk.messages import render

    assert "公安机关" in render(err) and "DNA" in render(err)


def test_dna_data_is_refused_in_every_entry_path(desk: Desk) -> None:
    vid, _ = desk.victims.register({"alias": "小花", "estimated_birth_year": 2012})
    profile = "D8S1179 12/14, D21S11 29/30, D7S820 10/11"
    assert_refused_and_unchanged(desk, "dna_data", lambda: desk.victims.edit(vid, {"notes": profile}))
    assert_refused_and_unchanged(desk, "dna_data", lambda: desk.assistance.add(
        vid, {"service_type": "medical", "start_date": TODAY.isoformat(), "notes": profile}))
    fid = desk.followups.plan(vid, TODAY.isoformat())
    assert_refused_and_unchanged(desk, "dna_data", lambda: desk.followups.record(
        {"actual_date": TODAY.isoformat(), "method": "home_visit", "health": "DNA比对结果：确认为亲生父母"},
        followup_id=fid))
    assert_refused_and_unchanged(desk, "dna_data", lambda: desk.placements.add(
        vid, {"state": "temporary_shelter", "start_date": TODAY.isoformat(), "notes": profile}))


def test_ordinary_notes_mentioning_the_police_taking_blood_are_accepted(desk: Desk) -> None:
    vid, _ = desk.victims.register({"alias": "小花", "estimated_birth_year": 2012,
                                    "notes": "家属已到公安机关采血，民警告知将进行DNA比对；住XX村8组，房号D21"})
    assert vid


# ----------------------------------------------------------------- training age


def test_training_refused_for_a_person_under_16_on_the_service_date(desk: Desk) -> None:
    vid, _ = desk.victims.register({"name": "李小燕", "sex": "F", "birth_date": years_ago(15).isoformat()})
    err = assert_refused_and_unchanged(desk, "training_under_16", lambda: desk.assistance.add(
        vid, {"service_type": "vocational_training", "start_date": TODAY.isoformat(), "willing": True}))
    assert err.params["age"] == 15


def test_training_allowed_from_the_16th_birthday(desk: Desk) -> None:
    birth = years_ago(16)
    vid, _ = desk.victims.register({"name": "李小燕", "sex": "F", "birth_date": birth.isoformat()})
    sixteenth = date(birth.year + 16, birth.month, birth.day)
    assert desk.assistance.add(vid, {"service_type": "vocational_training", "start_date": sixteenth.isoformat(),
                                     "willing": True})
    assert_refused_and_unchanged(desk, "training_under_16", lambda: desk.assistance.add(
        vid, {"service_type": "vocational_training",
              "start_date": (sixteenth - timedelta(days=1)).isoformat(), "willing": True}))


def test_training_needs_the_persons_recorded_willingness(desk: Desk) -> None:
    vid, _ = desk.victims.register({"name": "李小燕", "sex": "F", "birth_date": years_ago(20).isoformat()})
    assert_refused_and_unchanged(desk, "training_willingness_required", lambda: desk.assistance.add(
        vid, {"service_type": "vocational_training", "start_date": TODAY.isoformat()}))


def test_training_refused_when_age_is_unknown(desk: Desk) -> None:
    vid, _ = desk.victims.register({"alias": "阿妹"})
    assert_refused_and_unchanged(desk, "training_age_unknown", lambda: desk.assistance.add(
        vid, {"service_type": "vocational_training", "start_date": TODAY.isoformat(), "willing": True}))


def test_service_gets_a_due_date_from_its_response_timeframe(desk: Desk) -> None:
    vid, _ = desk.victims.register({"alias": "阿妹"})
    start = TODAY - timedelta(days=20)
    desk.assistance.add(vid, {"service_type": "medical", "start_date": start.isoformat()})
    [svc] = desk.assistance.list(vid)
    assert svc.due_date == start + timedelta(days=7)
    assert desk.dashboard.compute().services_overdue == 1


# ----------------------------------------------------------------- buyer household


def minor_with_buyer(desk: Desk) -> str:
    vid, _ = desk.victims.register({
        "name": "陈小军", "sex": "M", "birth_date": years_ago(9).isoformat(),
        "buyer_households": [{"head_name": "赵某某", "address": "白马镇 桃源村 5组 12号",
                              "member_id_numbers": synthetic_id(date(1970, 1, 1), Sex.MALE, 3)}],
    })
    return vid


def test_minor_cannot_be_placed_with_buyer_household_matched_by_address(desk: Desk) -> None:
    vid = minor_with_buyer(desk)
    assert_refused_and_unchanged(desk, "minor_with_buyer_household", lambda: desk.placements.add(vid, {
        "state": "family_care", "start_date": TODAY.isoformat(), "household_head": "赵大",
        "address": "白马镇桃源村5组12号"}))


def test_minor_cannot_be_placed_with_buyer_household_whatever_the_form_says(desk: Desk) -> None:
    vid = minor_with_buyer(desk)
    # The checkbox is not ticked; the caregiver's ID number gives the buyer household away.
    assert_refused_and_unchanged(desk, "minor_with_buyer_household", lambda: desk.placements.add(vid, {
        "state": "returned_to_birth_parents", "start_date": TODAY.isoformat(),
        "caregiver_id_number": synthetic_id(date(1970, 1, 1), Sex.MALE, 3), "is_buyer_household": False}))


def test_minor_explicitly_flagged_buyer_household_is_refused(desk: Desk) -> None:
    vid, _ = desk.victims.register({"name": "陈小军", "sex": "M", "birth_date": years_ago(9).isoformat()})
    assert_refused_and_unchanged(desk, "minor_with_buyer_household", lambda: desk.placements.add(vid, {
        "state": "family_care", "start_date": TODAY.isoformat(), "is_buyer_household": True}))


def test_minor_placed_with_other_family_and_institution_is_accepted(desk: Desk) -> None:
    vid = minor_with_buyer(desk)
    desk.placements.add(vid, {"state": "temporary_shelter", "start_date": (TODAY - timedelta(days=3)).isoformat(),
                              "institution": "县救助管理站"})
    desk.placements.add(vid, {"state": "returned_to_birth_parents", "start_date": TODAY.isoformat(),
                              "household_head": "陈大山", "address": "青龙镇石门村2组"})
    states = [p.state.value for p in desk.placements.history(vid)]
    assert states == ["temporary_shelter", "returned_to_birth_parents"]  # a timeline, not an overwrite


# ----------------------------------------------------------------- legal aid


def test_referral_without_consent_or_override_is_refused(desk: Desk) -> None:
    vid, _ = desk.victims.register({"name": "周小琴", "sex": "F", "birth_date": years_ago(25).isoformat()})
    assert_refused_and_unchanged(desk, "referral_consent_required", lambda: desk.referrals.add(
        vid, {"institution": "县法律援助中心", "matter": "compensation", "referral_date": TODAY.isoformat()}))


def test_minor_referral_needs_the_guardians_consent_not_the_childs(desk: Desk) -> None:
    vid, _ = desk.victims.register({"name": "周小琴", "sex": "F", "birth_date": years_ago(12).isoformat()})
    assert_refused_and_unchanged(desk, "minor_consent_needs_guardian", lambda: desk.consents.add(
        vid, {"scope": "referral", "given_by": "self", "given_on": TODAY.isoformat()}))
    desk.consents.add(vid, {"scope": "referral", "given_by": "guardian", "guardian_name": "周大姐",
                            "given_on": TODAY.isoformat()})
    assert desk.referrals.add(vid, {"institution": "县法律援助中心", "matter": "custody",
                                    "referral_date": TODAY.isoformat()})


def test_consent_override_is_audited_and_stays_visible_on_the_file(desk: Desk) -> None:
    from sqlalchemy import select

    from fanguai_desk.store.models import AuditEntry

    vid, _ = desk.victims.register({"name": "周小琴", "sex": "F", "birth_date": years_ago(25).isoformat()})
    rid = desk.referrals.add(vid, {"institution": "县法律援助中心", "matter": "compensation",
                                   "referral_date": TODAY.isoformat()},
                             consent_override_reason="本人住院无法表达意见，诉讼时效将届满")
    vf = desk.victims.open_file(vid)
    assert [r.id for r in vf.consent_overrides] == [rid]
    with desk.read() as s:
        actions = [e.action.value for e in s.scalars(select(AuditEntry).where(AuditEntry.record_id == rid))]
    assert "consent_override" in actions


def test_referral_clock_flags_a_decision_past_seven_days(desk: Desk) -> None:
    vid, _ = desk.victims.register({"name": "周小琴", "sex": "F", "birth_date": years_ago(25).isoformat()})
    day = TODAY - timedelta(days=10)
    desk.consents.add(vid, {"scope": "referral", "given_by": "self", "given_on": day.isoformat()})
    rid = desk.referrals.add(vid, {"institution": "县法律援助中心", "matter": "compensation",
                                   "referral_date": day.isoformat()})
    [row] = desk.referrals.list(overdue_only=True)
    assert row.id == rid and row.clock.decision_due == day + timedelta(days=7) and row.clock.overdue
    desk.referrals.update(rid, "accepted", (day + timedelta(days=2)).isoformat())
    [row] = desk.referrals.list()
    assert row.clock.stage == "lawyer" and row.clock.lawyer_due == day + timedelta(days=5) and row.clock.overdue
    desk.referrals.update(rid, "lawyer_assigned", (day + timedelta(days=4)).isoformat(), lawyer="钱律师")
    assert not desk.referrals.list(overdue_only=True)


def test_referral_status_cannot_skip_steps_and_a_refusal_needs_reasons(desk: Desk) -> None:
    vid, _ = desk.victims.register({"name": "周小琴", "sex": "F", "birth_date": years_ago(25).isoformat()})
    desk.consents.add(vid, {"scope": "referral", "given_by": "self", "given_on": TODAY.isoformat()})
    rid = desk.referrals.add(vid, {"institution": "县法律援助中心", "matter": "compensation",
                                   "referral_date": TODAY.isoformat()})
    assert_refused_and_unchanged(desk, "referral_transition",
                                 lambda: desk.referrals.update(rid, "concluded", TODAY.isoformat()))
    assert_refused_and_unchanged(desk, "decline_needs_reason",
                                 lambda: desk.referrals.update(rid, "declined", TODAY.isoformat()))


# ----------------------------------------------------------------- follow-ups


def test_recording_a_visit_plans_the_next_and_overdue_visits_surface(desk: Desk) -> None:
    vid, _ = desk.victims.register({"alias": "小花", "estimated_birth_year": 2012})
    old = desk.followups.plan(vid, (TODAY - timedelta(days=3)).isoformat(), confirm_past=True)
    desk.followups.plan(vid, (TODAY + timedelta(days=5)).isoformat())
    d = desk.dashboard.compute()
    assert (d.followups_overdue, d.followups_due_soon) == (1, 1)
    _, nxt = desk.followups.record({"actual_date": TODAY.isoformat(), "method": "home_visit",
                                    "living_situation": "与姑姑同住，情况稳定",
                                    "next_visit_date": (TODAY + timedelta(days=90)).isoformat()}, followup_id=old)
    assert nxt is not None
    d = desk.dashboard.compute()
    assert (d.followups_overdue, d.followups_due_soon) == (0, 1)


def test_concurrent_edit_is_a_conflict_not_an_overwrite(desk: Desk) -> None:
    from fanguai_desk.domain.errors import ConflictError

    vid, _ = desk.victims.register({"alias": "小花", "estimated_birth_year": 2012})
    loaded = desk.victims.open_file(vid).victim.version
    desk.victims.edit(vid, {"ethnicity": "彝族"}, expected_version=loaded)  # the other window saves first
    before = content_fingerprint(desk)
    with pytest.raises(ConflictError):
        desk.victims.edit(vid, {"ethnicity": "藏族"}, expected_version=loaded)
    assert content_fingerprint(desk) == before


# ----------------------------------------------------------------- one home per rule: lists agree with the rule


@pytest.mark.parametrize("today", [date(2026, 3, 29), date(2026, 3, 30), date(2026, 3, 31), date(2026, 12, 31)])
def test_minors_list_agrees_with_is_minor_on_the_29th_to_31st_and_31_december(desk: Desk, today: date) -> None:
    from fanguai_desk.domain.clocks import is_minor
    from fanguai_desk.services.victims import VictimQuery

    people = {"turns_18_today": {"alias": "甲", "birth_date": today.replace(year=today.year - 18)},
              "turns_18_tomorrow": {"alias": "乙", "birth_date": today.replace(year=today.year - 18)
                                    + timedelta(days=1)},
              "estimate_18_years": {"alias": "丙", "estimated_birth_year": today.year - 18},
              "estimate_17_years": {"alias": "丁", "estimated_birth_year": today.year - 17}}
    ids = {key: desk.victims.register(data)[0] for key, data in people.items()}
    listed = {r.id for r in desk.victims.list_rows(VictimQuery(minors_only=True), today=today)}
    for key, data in people.items():
        expected = is_minor(data.get("birth_date"), data.get("estimated_birth_year"), today)  # type: ignore[arg-type]
        assert (ids[key] in listed) is expected, key
    assert ids["turns_18_today"] not in listed and ids["turns_18_tomorrow"] in listed
    assert desk.victims.count(VictimQuery(minors_only=True), today=today) == len(listed)


def test_dashboard_and_work_list_count_the_same_overdue_referrals(desk: Desk) -> None:
    """The dashboard counted an accepted referral without a decision date, or with a lawyer, differently."""
    from fanguai_desk.domain.enums import ConsentGiver, ConsentScope, ReferralMatter, ReferralStatus
    from fanguai_desk.store.models import LegalAidReferral

    vid, _ = desk.victims.register({"alias": "戊", "estimated_birth_year": 1990})
    day = date.today() - timedelta(days=30)
    desk.consents.add(vid, {"scope": ConsentScope.REFERRAL, "given_by": ConsentGiver.SELF, "given_on": day})
    for status, decision, lawyer in [(ReferralStatus.ACCEPTED, None, None), (ReferralStatus.ACCEPTED, None, None),
                                     (ReferralStatus.ACCEPTED, day, day + timedelta(days=1)),
                                     (ReferralStatus.REFERRED, None, None)]:
        rid = desk.referrals.add(vid, {"institution": "某县法律援助中心", "matter": ReferralMatter.OTHER,
                                         "referral_date": day})
        with desk.tx() as s:
            row = s.get(LegalAidReferral, rid)
            assert row is not None
            row.status, row.decision_date, row.lawyer_assigned_date = status, decision, lawyer
    listed = desk.referrals.list(overdue_only=True)
    assert desk.dashboard.compute().referrals_overdue == len(listed) == 3


def test_a_laptop_clock_set_back_refuses_new_future_dates_but_not_an_unrelated_edit(
        desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stored rescue date was valid when typed; a clock set back a year must not block an edit of the
    ethnicity (the delivery test hit this), but a *new* date after the laptop's today is still refused."""
    from fanguai_desk.services import victims as victims_module

    real_today = date.today()
    vid, _ = desk.victims.register({"alias": "时钟", "estimated_birth_year": 2001,
                                    "rescue_date": real_today - timedelta(days=3)})
    monkeypatch.setattr(victims_module, "local_today", lambda: real_today - timedelta(days=400))
    desk.victims.edit(vid, {"ethnicity": "藏族"})
    assert desk.victims.open_file(vid).victim.ethnicity == "藏族"
    before = content_fingerprint(desk)
    with pytest.raises(ValidationError) as err:
        desk.victims.edit(vid, {"rescue_date": (real_today - timedelta(days=2)).isoformat()})
    assert err.value.code == "date_in_future"
    assert content_fingerprint(desk) == before


@pytest.mark.parametrize("code", ["5102011", "51010", "5101011234", "51O101", ""])
def test_a_township_code_outside_the_county_pattern_is_refused_and_no_registry_is_made(tmp_path: Path,
                                                                                       code: str) -> None:
    """``domain/entry_rules.check_township_code``: 6–9 digits starting with the county code (5101)."""
    from fanguai_desk.domain.entry_rules import check_township_code

    with pytest.raises(ValidationError) as err:
        Desk.create(tmp_path / "r", admin_login="admin", admin_password="Correct-Horse-Battery-9",
                    township_name="青龙镇", township_code=code, county_code="5101")
    assert err.value.code == "township_code_format"
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").iterdir())
    assert check_township_code(" 510101 ", "5101") == "510101"


def test_identity_becoming_known_fills_the_identified_on_date_unless_one_is_given(desk: Desk) -> None:
    """Issue 11: the identified-on date is never left empty when identity becomes known (today is filled;
    a date the caseworker gives is kept)."""
    from fanguai_desk.store.clock import local_today

    filled, _ = desk.victims.register({"alias": "甲", "estimated_birth_year": 2005, "identity_status": "unknown",
                                       "rescue_date": "2024-01-01"})
    desk.victims.edit(filled, {"identity_status": "known"})
    assert desk.victims.open_file(filled, audit_read=False).victim.identified_on == local_today()
    given, _ = desk.victims.register({"alias": "乙", "estimated_birth_year": 2005, "identity_status": "unknown",
                                      "rescue_date": "2024-01-01"})
    desk.victims.edit(given, {"identity_status": "known", "identified_on": "2024-03-01"})
    vf = desk.victims.open_file(given, audit_read=False)
    assert vf.victim.identified_on == date(2024, 3, 1) and vf.days_unidentified is None  # no longer unidentified
