"""A file's whole life (issue 13): close, reopen, transfer, delete a mistaken file; closed files read-only."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from fanguai_desk.domain.enums import (
    FileStatus,
    FollowUpStatus,
    ReferralStatus,
    Role,
    ServiceStatus,
)
from fanguai_desk.domain.errors import AccessDenied, RuleViolation, ValidationError
from fanguai_desk.domain.lifecycle import close_edit_conflict, ensure_real_reason, meaningful_chars
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import (
    ChangeEntry,
    FollowUp,
    LegalAidReferral,
    ServiceRecord,
    Tombstone,
    Victim,
)
from tests.conftest import USER_PASSWORD
from tests.helpers import content_fingerprint

TODAY = local_today()


pytestmark = pytest.mark.usefixtures("today_read_per_test")  # TODAY is the day each test runs


def _file_with_obligations(desk: Desk) -> str:
    vid, _ = desk.victims.register({"alias": "结案测试", "estimated_birth_year": 2000, "sex": "F"})
    desk.followups.plan(vid, (TODAY + timedelta(days=10)).isoformat())
    desk.followups.plan(vid, (TODAY - timedelta(days=3)).isoformat(), confirm_past=True)
    desk.assistance.add(vid, {"service_type": "medical", "start_date": (TODAY - timedelta(days=20)).isoformat(),
                              "due_date": (TODAY - timedelta(days=1)).isoformat()})
    desk.referrals.add(vid, {"institution": "县法律援助中心", "matter": "compensation",
                             "referral_date": (TODAY - timedelta(days=2)).isoformat()},
                       consent_override_reason="本人在外地务工，电话同意，书面同意随后补签")
    return vid


def test_close_lists_obligations_then_cancels_them_and_sets_retention(desk: Desk) -> None:
    vid = _file_with_obligations(desk)
    ob = desk.lifecycle.obligations(vid)
    assert (len(ob.planned_visits), len(ob.open_services), len(ob.pending_referrals)) == (2, 1, 1)
    result = desk.lifecycle.close(vid, "returned_home")
    assert (result.visits_cancelled, result.services_cancelled, result.referrals_revoked) == (2, 1, 1)
    # five years to the day; a file closed on 29 February is kept until 1 March (domain/clocks.retention_until)
    leap_day = (TODAY.month, TODAY.day) == (2, 29)
    assert result.retention_until == (date(TODAY.year + 5, 3, 1) if leap_day else TODAY.replace(year=TODAY.year + 5))
    assert desk.lifecycle.obligations(vid).total == 0
    with desk.read() as s:
        v = s.get(Victim, vid)
        assert v is not None and v.status is FileStatus.CLOSED and v.closed_on == TODAY
        assert {f.status for f in s.scalars(select(FollowUp).where(FollowUp.victim_id == vid))} == {
            FollowUpStatus.CANCELLED}
        svc = s.scalar(select(ServiceRecord).where(ServiceRecord.victim_id == vid))
        assert svc is not None and svc.status is ServiceStatus.CANCELLED and "回归家庭且生活稳定" in (svc.notes or "")
        ref = s.scalar(select(LegalAidReferral).where(LegalAidReferral.victim_id == vid))
        assert ref is not None and ref.status is ReferralStatus.REVOKED


def test_close_refusals_write_nothing(desk: Desk) -> None:
    vid = _file_with_obligations(desk)
    before = content_fingerprint(desk)
    with pytest.raises(ValidationError) as e:
        desk.lifecycle.close(vid, "other")  # 其他（须说明）
    assert e.value.code == "field_required"
    with pytest.raises(ValidationError):
        desk.lifecycle.close(vid, "merged_duplicate", "。。")
    with pytest.raises(ValidationError):
        desk.lifecycle.close(vid, "formal")  # no longer offered
    with pytest.raises(ValidationError):
        desk.lifecycle.close(vid, "no_such_reason")
    with pytest.raises(ValidationError):
        desk.lifecycle.close(vid, "death", closed_on=(TODAY + timedelta(days=1)).isoformat())
    assert content_fingerprint(desk) == before


def test_closed_file_is_read_only_for_every_record_type(desk: Desk) -> None:
    vid = _file_with_obligations(desk)
    desk.lifecycle.close(vid, "death")
    before = content_fingerprint(desk)
    attempts = [
        lambda: desk.victims.edit(vid, {"notes": "补充"}),
        lambda: desk.followups.plan(vid, (TODAY + timedelta(days=3)).isoformat()),
        lambda: desk.followups.record({"actual_date": TODAY.isoformat(), "method": "phone"}, victim_id=vid),
        lambda: desk.assistance.add(vid, {"service_type": "medical", "start_date": TODAY.isoformat()}),
        lambda: desk.referrals.add(vid, {"institution": "中心", "matter": "custody",
                                         "referral_date": TODAY.isoformat()}, consent_override_reason="紧急情况需要转介"),
        lambda: desk.placements.add(vid, {"state": "returned_home", "start_date": TODAY.isoformat()}),
        lambda: desk.consents.add(vid, {"scope": "referral", "given_by": "self", "given_on": TODAY.isoformat()}),
        lambda: desk.victims.edit(vid, {"guardians": [{"name": "监护人甲", "relation": "母亲"}]}),
        lambda: desk.lifecycle.transfer(vid, "白马镇"),
        lambda: desk.lifecycle.close(vid, "returned_home"),
    ]
    desk.users.township_by_name("白马镇", create=True)
    before = content_fingerprint(desk)
    for attempt in attempts:
        with pytest.raises(RuleViolation) as e:
            attempt()
        assert e.value.code == "file_closed"
    assert content_fingerprint(desk) == before


def test_reopen_needs_a_real_reason_and_keeps_it_in_history(desk: Desk) -> None:
    vid = _file_with_obligations(desk)
    desk.lifecycle.close(vid, "other", "家属要求暂缓跟踪")
    before = content_fingerprint(desk)
    for bad in ("", "急", "！！！!!!", "…… ..", "a b"):
        with pytest.raises(ValidationError):
            desk.lifecycle.reopen(vid, bad)
    assert content_fingerprint(desk) == before
    desk.lifecycle.reopen(vid, "本人返回本地，需继续帮扶")
    with desk.read() as s:
        v = s.get(Victim, vid)
        assert v is not None and v.status is FileStatus.OPEN and v.retention_until is None
        assert v.reopen_reason == "本人返回本地，需继续帮扶"
        history = {(c.field, c.old_value, c.new_value) for c in s.scalars(
            select(ChangeEntry).where(ChangeEntry.record_id == vid))}
    assert ("closure_reason", "other", None) in history
    assert ("closure_note", "家属要求暂缓跟踪", None) in history
    assert ("reopen_reason", None, "本人返回本地，需继续帮扶") in history
    # Open again: new records allowed; reopening an open file is refused.
    desk.followups.plan(vid, (TODAY + timedelta(days=5)).isoformat())
    with pytest.raises(RuleViolation):
        desk.lifecycle.reopen(vid, "再次开启档案的理由")


def test_close_and_reopen_are_audited(desk: Desk) -> None:
    from fanguai_desk.services.audit_view import audit_entries

    vid = _file_with_obligations(desk)
    desk.lifecycle.close(vid, "repatriated")
    desk.lifecycle.reopen(vid, "送返后又回到本地")
    ops = [r.detail.get("op") for r in audit_entries(desk, record_id=vid)]
    assert "close" in ops and "reopen" in ops


def test_transfer_within_registry_moves_township_caseworker_and_visits(desk: Desk) -> None:
    desk.users.township_by_name("白马镇", create=True)
    desk.users.add("bm1", USER_PASSWORD, Role.CASEWORKER, "白马镇", display_name="白马社工")
    desk.users.add("ql1", USER_PASSWORD, Role.CASEWORKER, "青龙镇", display_name="青龙社工")
    vid = _file_with_obligations(desk)
    ql = Desk.unlock(desk.registry.data_dir, "ql1", USER_PASSWORD)
    bm = Desk.unlock(desk.registry.data_dir, "bm1", USER_PASSWORD)
    try:
        assert [r.id for r in ql.victims.list_rows()] == [vid]
        assert bm.victims.list_rows() == []
        with pytest.raises(ValidationError):
            ql.lifecycle.transfer(vid, "无此镇")
        with pytest.raises(ValidationError):
            ql.lifecycle.transfer(vid, "青龙镇")
        result = ql.lifecycle.transfer(vid, "白马镇")
        assert result.township == "白马镇" and result.visits_reassigned == 2
        assert ql.victims.list_rows() == []
        assert [r.id for r in bm.victims.list_rows()] == [vid]
        with bm.read() as s:
            v = s.get(Victim, vid)
            bm_user = bm.actor.user_id
            assert v is not None and v.caseworker_id == bm_user
            assert {f.caseworker_id for f in s.scalars(select(FollowUp).where(
                FollowUp.victim_id == vid, FollowUp.status == FollowUpStatus.PLANNED))} == {bm_user}
            fields = {c.field for c in s.scalars(select(ChangeEntry).where(ChangeEntry.record_id == vid))}
        assert "township_id" in fields  # history kept with the file
    finally:
        ql.close()
        bm.close()


def test_delete_mistaken_file_admin_only_within_window_with_tombstones(desk: Desk, caseworker: Desk) -> None:
    vid = _file_with_obligations(desk)
    before = content_fingerprint(desk)
    with pytest.raises(AccessDenied):
        caseworker.lifecycle.delete_mistaken(vid, "重复录入的档案")
    with pytest.raises(ValidationError):
        desk.lifecycle.delete_mistaken(vid, "错")
    desk.update_settings({"delete_window_days": 0})
    before = content_fingerprint(desk)
    with desk.tx() as s:  # made 3 days ago
        made = s.scalar(select(Victim.created_at).where(Victim.id == vid))
        assert made is not None
        s.execute(Victim.__table__.update().where(Victim.id == vid).values(created_at=made - timedelta(days=3)))
    mid = content_fingerprint(desk)
    with pytest.raises(RuleViolation) as e:
        desk.lifecycle.delete_mistaken(vid, "重复录入的档案")
    assert e.value.code == "delete_window_passed"
    assert content_fingerprint(desk) == mid
    desk.update_settings({"delete_window_days": 7})
    n = desk.lifecycle.delete_mistaken(vid, "重复录入的档案")
    assert n >= 5
    with desk.read() as s:
        assert s.get(Victim, vid) is None
        stones = {t.record_id: t.reason for t in s.scalars(select(Tombstone))}
        assert stones[vid] == "deleted" and len(stones) >= 5
        assert s.scalar(select(ChangeEntry).where(ChangeEntry.record_id == vid)) is None
    assert before  # (fingerprint taken before the window change)


def test_settings_for_issue_13_are_validated(desk: Desk) -> None:
    before = content_fingerprint(desk)
    for bad in ({"no_contact_days": 0}, {"no_contact_days": "x"}, {"delete_window_days": -1}):
        with pytest.raises(ValidationError):
            desk.update_settings(bad)
    assert content_fingerprint(desk) == before
    desk.update_settings({"no_contact_days": 60})
    assert desk.settings().no_contact_days == 60


def test_plan_in_past_needs_confirmation_record_in_future_refused(desk: Desk) -> None:
    vid, _ = desk.victims.register({"alias": "日期测试", "estimated_birth_year": 2001})
    before = content_fingerprint(desk)
    with pytest.raises(ValidationError) as e:
        desk.followups.plan(vid, (TODAY - timedelta(days=1)).isoformat())
    assert e.value.code == "visit_planned_in_past"
    with pytest.raises(ValidationError) as e:
        desk.followups.record({"actual_date": (TODAY + timedelta(days=1)).isoformat(), "method": "phone"},
                              victim_id=vid)
    assert e.value.code == "visit_in_future"
    assert content_fingerprint(desk) == before
    desk.followups.plan(vid, (TODAY - timedelta(days=1)).isoformat(), confirm_past=True)


def test_reason_and_conflict_rules() -> None:
    assert meaningful_chars("急！！") == 1 and meaningful_chars("本人要求") == 4
    with pytest.raises(ValidationError):
        ensure_real_reason("。。。。。", "reason")
    assert ensure_real_reason("  监护人电话同意  ", "reason") == "监护人电话同意"
    assert close_edit_conflict({"status", "closed_on"}, {"notes", "status", "closed_on"})
    assert close_edit_conflict({"notes"}, {"status", "notes"})
    assert not close_edit_conflict({"notes"}, {"notes", "phone"})
    assert not close_edit_conflict({"status"}, {"status"})


def test_closed_file_refuses_attachments_both_ways(desk: Desk, tmp_path: Path) -> None:
    from tests.services.test_attachments import png_bytes

    vid, _ = desk.victims.register({"alias": "附件测试", "estimated_birth_year": 2000})
    src = tmp_path / "同意书.png"
    src.write_bytes(png_bytes())
    att = desk.attachments.add(vid, src, title="知情同意书")
    desk.lifecycle.close(vid, "returned_home")
    before = content_fingerprint(desk)
    with pytest.raises(RuleViolation):
        desk.attachments.add(vid, src, title="又一份")
    with pytest.raises(RuleViolation):
        desk.attachments.remove(att.id)
    assert content_fingerprint(desk) == before


def test_migration_0006_cancels_what_files_closed_before_it_left_open(desk: Desk) -> None:
    import importlib

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    vid = _file_with_obligations(desk)
    with desk.registry.engine.begin() as conn:  # a file closed the old way: its visits and services still open
        conn.exec_driver_sql("UPDATE victims SET status = 'closed', closure_reason = 'formal' WHERE id = ?", (vid,))
    migration = importlib.import_module("fanguai_desk.store.migrations.versions.0006_lifecycle")
    with desk.registry.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        migration.cancel_open_obligations_of_closed_files()
    with desk.read() as s:
        assert {f.status for f in s.scalars(select(FollowUp).where(FollowUp.victim_id == vid))} == {
            FollowUpStatus.CANCELLED}
        svc = s.scalar(select(ServiceRecord).where(ServiceRecord.victim_id == vid))
        assert svc is not None and svc.status is ServiceStatus.CANCELLED and svc.version == 2
