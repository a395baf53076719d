"""Legal aid (issue 13): 补充材料 pauses the clock, 终止, the objection after a refusal (法律援助法 第四十三、
四十四、四十八、四十九条), and a consent override that must give a real reason."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fanguai_desk.domain.enums import ReferralStatus
from fanguai_desk.domain.errors import RuleViolation, ValidationError
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import LegalAidReferral
from tests.helpers import content_fingerprint

TODAY = local_today()
REASON = "本人在外地务工，电话中同意，书面材料随后补签"


def _referral(desk: Desk, days_ago: int = 10, **extra: object) -> tuple[str, str]:
    vid, _ = desk.victims.register({"name": "李某某", "estimated_birth_year": 1990})
    rid = desk.referrals.add(vid, {"institution": "县法律援助中心", "matter": "compensation",
                                   "referral_date": (TODAY - timedelta(days=days_ago)).isoformat(), **extra},
                             consent_override_reason=REASON)
    return vid, rid


def test_consent_override_needs_a_real_reason(desk: Desk) -> None:
    vid, _ = desk.victims.register({"name": "王某某", "estimated_birth_year": 1990})
    before = content_fingerprint(desk)
    for bad in ("急", "！！！！", "...  ", "a。b"):
        with pytest.raises(ValidationError) as e:
            desk.referrals.add(vid, {"institution": "中心", "matter": "custody", "referral_date": TODAY.isoformat()},
                               consent_override_reason=bad)
        assert e.value.code == "reason_too_short"
    assert content_fingerprint(desk) == before


def test_materials_requested_pauses_the_decision_clock_until_they_arrive(desk: Desk) -> None:
    vid, rid = _referral(desk, days_ago=10)
    [row] = desk.referrals.list(victim_id=vid)
    assert row.clock.overdue  # 10 days without a decision: past art. 43's 7 days
    desk.referrals.update(rid, "materials_requested", (TODAY - timedelta(days=9)).isoformat())
    [row] = desk.referrals.list(victim_id=vid)
    assert row.clock.stage == "materials" and not row.clock.overdue
    assert desk.worklists.count("referrals_overdue") == 0
    desk.referrals.update(rid, "referred", (TODAY - timedelta(days=1)).isoformat())  # materials arrived
    [row] = desk.referrals.list(victim_id=vid)
    # 10 days since referral, 8 of them paused: 2 days of the 7 used
    assert row.clock.stage == "decision" and not row.clock.overdue
    assert row.clock.decision_due == TODAY - timedelta(days=10) + timedelta(days=7 + 8)
    with desk.read() as s:
        r = s.get(LegalAidReferral, rid)
        assert r is not None and r.paused_days == 8 and r.materials_requested_on is None


def test_refusal_then_objection_reviewed_within_five_days(desk: Desk) -> None:
    vid, rid = _referral(desk, days_ago=10)
    with pytest.raises(ValidationError):
        desk.referrals.update(rid, "declined", (TODAY - timedelta(days=8)).isoformat())  # needs its reasons
    desk.referrals.update(rid, "declined", (TODAY - timedelta(days=8)).isoformat(), outcome="不符合经济困难条件")
    [row] = desk.referrals.list(victim_id=vid)
    assert row.clock.stage == "objection" and not row.clock.overdue
    desk.referrals.update(rid, "objected", (TODAY - timedelta(days=6)).isoformat())
    [row] = desk.referrals.list(victim_id=vid)
    assert row.clock.stage == "review" and row.clock.overdue  # the 司法行政部门 had 5 days
    assert desk.worklists.count("referrals_overdue") == 1 == desk.dashboard.compute().referrals_overdue
    desk.referrals.update(rid, "accepted", TODAY.isoformat())  # refusal corrected
    assert desk.referrals.list(victim_id=vid)[0].status is ReferralStatus.ACCEPTED


def test_termination_needs_reasons_and_allows_an_objection(desk: Desk) -> None:
    _vid, rid = _referral(desk, days_ago=5)
    desk.referrals.update(rid, "accepted", (TODAY - timedelta(days=4)).isoformat())
    with pytest.raises(RuleViolation):
        desk.referrals.update(rid, "materials_requested", TODAY.isoformat())  # not from accepted
    with pytest.raises(ValidationError):
        desk.referrals.update(rid, "terminated", TODAY.isoformat())
    desk.referrals.update(rid, "terminated", TODAY.isoformat(), note="受援人自行委托律师（第四十八条）")
    desk.referrals.update(rid, "objected", TODAY.isoformat())


def test_urgent_referral_listed_first_with_the_earlier_decision_date(desk: Desk) -> None:
    vid, plain = _referral(desk, days_ago=1)
    urgent = desk.referrals.add(vid, {"institution": "中心", "matter": "custody", "referral_date": TODAY.isoformat(),
                                      "urgent_deadline": (TODAY + timedelta(days=2)).isoformat()},
                                consent_override_reason=REASON)
    rows, _ = desk.worklists.page("referrals_open")
    assert [r.id for r in rows] == [urgent, plain]
    [row] = [r for r in desk.referrals.list(victim_id=vid) if r.id == urgent]
    assert row.clock.urgent and row.clock.decision_due == TODAY + timedelta(days=1)
