"""Retention and purge (PIPL art. 19/47): what is due is listed; an administrator purges it with a reason;
the personal data is gone for good — from every table, the change history, the free pages and the WAL —
and a non-personal tombstone and audit entry stay."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from fanguai_desk.domain.enums import AuditAction, Role
from fanguai_desk.domain.errors import AccessDenied, RuleViolation, ValidationError
from fanguai_desk.domain.search_keys import name_search_keys
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.purge import PurgeReason
from fanguai_desk.store import audit
from fanguai_desk.store.models import (
    AuditEntry,
    Case,
    ChangeEntry,
    DuplicateFlag,
    MergeConflict,
    Tombstone,
    Victim,
)
from tests.conftest import USER_PASSWORD
from tests.helpers import closed_long_ago, content_fingerprint
from tests.maintenance.sqlcipher_pages import contains_text, decrypted_database, decrypted_wal
from tests.services.test_attachments import png_bytes

OLD_NAME = "旧名李乙丙"
NAME = "销毁测试张甲乙"
GUARDIAN = "监护人赵丁戊"
ID_NUMBER = "11010519491231002X"
KEPT = "保留王丙丁"
ATTACHMENT_MARKER = "PURGE-ATTACHMENT-MARKER-51c2"
SECRETS = (NAME, OLD_NAME, GUARDIAN, ID_NUMBER, "买家钱己庚", "回访记录孙辛壬", name_search_keys(NAME)[0],
           f"{NAME}新址", ATTACHMENT_MARKER, "销毁附件标题")


def make_file(desk: Desk, name: str, *, closed_on: date | None, case_summary: str) -> tuple[str, str]:
    case_id = desk.cases.add({"police_case_ref": f"案{name}", "summary": case_summary, "township": "青龙镇"})
    vid, _ = desk.victims.register({
        "name": OLD_NAME if name == NAME else name, "sex": "F", "case_id": case_id,
        "id_number": ID_NUMBER if name == NAME else None,
        "birth_date": "1949-12-31" if name == NAME else "1980-01-01",
        "notes": f"{name}的备注", "current_residence": f"{name}家所在村",
        "guardians": [{"name": GUARDIAN if name == NAME else f"{name}的监护人", "relation": "母亲"}],
        "buyer_households": [{"head_name": "买家钱己庚" if name == NAME else "某买家", "address": "某村"}],
    })
    if name == NAME:
        desk.victims.edit(vid, {"name": NAME})  # the change log now holds the old name too
    desk.consents.add(vid, {"scope": "referral", "given_by": "self", "given_on": "2017-05-01"})
    desk.referrals.add(vid, {"institution": "县法律援助中心", "matter": "compensation", "referral_date": "2017-05-02",
                             "notes": f"为{name}申请赔偿"})
    desk.assistance.add(vid, {"service_type": "medical", "start_date": "2017-05-03", "notes": f"{name}体检"})
    desk.placements.add(vid, {"state": "returned_home", "start_date": "2017-06-01", "address": f"{name}家"})
    desk.followups.record({"actual_date": "2017-07-01", "method": "home_visit",
                           "living_situation": "回访记录孙辛壬" if name == NAME else "稳定"}, victim_id=vid)
    if name == NAME:  # an attachment (its content in chunk rows) and its title must go too
        desk.attachments.add(vid, io.BytesIO(png_bytes(ATTACHMENT_MARKER)), filename="scan.png",
                             title="销毁附件标题")
    if closed_on is not None:
        desk.lifecycle.close(vid, "returned_home", closed_on=closed_on.isoformat())
        if closed_on.year < 2020:
            closed_long_ago(desk, vid, closed_on)
    return vid, case_id


@pytest.fixture
def files(desk: Desk) -> dict[str, str]:
    due, due_case = make_file(desk, NAME, closed_on=date(2018, 1, 10), case_summary=f"涉及{NAME}")
    kept, kept_case = make_file(desk, KEPT, closed_on=None, case_summary="另一案")
    recent, _ = make_file(desk, "近期结案人", closed_on=date.today() - timedelta(days=1), case_summary="近期")
    with desk.tx() as s:  # what an import leaves behind about the file: a conflict (with values) and a flag
        s.add(MergeConflict(bundle_id="b-1", record_type="victim", record_id=due, field="current_residence",
                            local_value=f"{NAME}家所在村", incoming_value=f"{NAME}新址", incoming_version=3))
        s.add(DuplicateFlag(victim_id=kept, other_victim_id=due, reason="same_name_birth_sex"))
    return {"due": due, "due_case": due_case, "kept": kept, "kept_case": kept_case, "recent": recent}


def physical_bytes(desk: Desk) -> bytes:
    data_dir = desk.registry.data_dir
    key = desk.database_key
    return decrypted_database(data_dir / "registry.db", key) + decrypted_wal(data_dir / "registry.db-wal", key)


def every_value(desk: Desk) -> str:
    """Every row of every table in the file (sqlite_master's list, not just the models), as text."""
    parts = []
    with desk.registry.engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            parts += [repr(tuple(row)) for row in conn.execute(text(f'SELECT * FROM "{table}"'))]
    return "\n".join(parts)


def test_due_lists_closed_files_past_their_retention_date(desk: Desk, files: dict[str, str]) -> None:
    due = desk.purge.due()
    assert [d.id for d in due] == [files["due"]]
    assert due[0].retention_until == date(2023, 1, 10)  # closed 2018-01-10 + 5 years (the registry setting)
    assert NAME not in repr(due)  # masked, like every list


def test_due_respects_township_scope(desk: Desk, files: dict[str, str]) -> None:
    desk.users.add("cw2", USER_PASSWORD, Role.CASEWORKER, "白马镇")
    other = Desk.unlock(desk.registry.data_dir, "cw2", USER_PASSWORD)
    try:
        assert other.purge.due() == []
        with pytest.raises(AccessDenied):
            other.purge.purge([files["due"]], PurgeReason.RETENTION_EXPIRED)
    finally:
        other.close()


def test_purge_needs_an_administrator_a_reason_and_a_due_file(desk: Desk, files: dict[str, str]) -> None:
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    caseworker = Desk.unlock(desk.registry.data_dir, "cw1", USER_PASSWORD)
    before = content_fingerprint(desk)
    try:
        assert [d.id for d in caseworker.purge.due()] == [files["due"]]  # may see what is due …
        with pytest.raises(AccessDenied) as denied:  # … but not purge it
            caseworker.purge.purge([files["due"]], PurgeReason.RETENTION_EXPIRED)
        assert denied.value.code == "role_required"
    finally:
        caseworker.close()
    service = desk.purge
    with pytest.raises(ValidationError):
        service.purge([files["due"]], "because")
    with pytest.raises(ValidationError):
        service.purge([], PurgeReason.RETENTION_EXPIRED)
    for not_due in (files["kept"], files["recent"]):
        with pytest.raises(RuleViolation) as err:  # all or nothing: the due file is not purged either
            service.purge([files["due"], not_due], PurgeReason.RETENTION_EXPIRED)
        assert err.value.code == "purge_not_due"
    after = [(t, rows) for t, rows in content_fingerprint(desk) if t != "audit_log" and t != "registry_meta"]
    assert after == [(t, rows) for t, rows in before if t != "audit_log" and t != "registry_meta"]


def test_purge_deletes_the_file_and_everything_it_owns_and_keeps_a_tombstone(desk: Desk,
                                                                             files: dict[str, str]) -> None:
    result = desk.purge.purge([files["due"]], PurgeReason.RETENTION_EXPIRED)
    assert result.files == [files["due"]] and result.cases == 1 and result.history_rows > 0
    assert result.records >= 10 and result.wal_cleared
    with desk.read() as s:
        assert s.get(Victim, files["due"]) is None and s.get(Case, files["due_case"]) is None
        assert s.get(Victim, files["kept"]) is not None and s.get(Case, files["kept_case"]) is not None
        tombs = {t.record_id: t for t in s.scalars(select(Tombstone).where(Tombstone.reason == "purged"))}
        assert files["due"] in tombs and files["due_case"] in tombs
        assert {t.record_type for t in tombs.values()} >= {"victim", "guardian", "buyer_household", "service",
                                                          "followup", "referral", "referral_event", "placement",
                                                          "consent", "case"}
        assert s.scalar(select(ChangeEntry.seq).where(ChangeEntry.record_id.in_(tombs))) is None
        assert s.scalar(select(MergeConflict.id)) is None and s.scalar(select(DuplicateFlag.id)) is None
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.PURGE)))
        assert {e.record_id for e in entries} == {files["due"], files["due_case"]}
        victim_entry = next(e for e in entries if e.record_id == files["due"])
        assert json.loads(victim_entry.detail)["reason"] == "retention_expired"
        assert audit.verify_chain(s).ok
    assert desk.purge.due() == []
    assert files["due"] in {t.record_id for t in desk.purge.tombstones()}


def test_purged_personal_data_is_gone_from_tables_history_free_pages_and_wal(desk: Desk, files: dict[str, str],
                                                                              tmp_path: Path) -> None:
    before = physical_bytes(desk)
    for secret in SECRETS:  # positive control: the page reader does see the data before the purge
        assert contains_text(before, secret), secret

    desk.purge.purge([files["due"]], PurgeReason.RETENTION_EXPIRED)

    values = every_value(desk)
    physical = physical_bytes(desk)
    for secret in SECRETS:
        assert secret not in values, f"{secret} still in a table"
        assert not contains_text(physical, secret), f"{secret} still on disk (a free page, an old cell, the WAL)"
    assert (desk.registry.data_dir / "registry.db-wal").stat().st_size == 0  # checkpointed and truncated
    assert KEPT in values and contains_text(physical, KEPT)  # the search would have found it

    # The plaintext of a full export (as the brief suggests) is clean too.
    plain = tmp_path / "plain.db"
    with desk.registry.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
        raw.execute("SELECT sqlcipher_export('plain')")
        raw.execute("DETACH DATABASE plain")
    exported = plain.read_bytes()
    assert exported.startswith(b"SQLite format 3\x00") and contains_text(exported, KEPT)
    for secret in SECRETS:
        assert not contains_text(exported, secret)
