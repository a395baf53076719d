"""Review flags are visible: on the file (Chinese text saying what to check), on the workbench (a count and a
list), in the CLI (``victim flags``, ``victim flag-reviewed``), and marking one reviewed is audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from fanguai_desk.cli import main
from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.domain.errors import NotFound
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.models import AuditEntry, ReviewFlag
from tests.conftest import ADMIN_PASSWORD
from tests.helpers import content_fingerprint


def _flagged_file(desk: Desk) -> tuple[str, str]:
    """An adult's training record, then the birth date corrected to 2015: the record is flagged."""
    vid, _ = desk.victims.register({"alias": "己", "birth_date": "1990-03-01"})
    sid = desk.assistance.add(vid, {"service_type": "vocational_training", "start_date": "2025-09-01",
                                    "willing": True})
    desk.victims.edit(vid, {"birth_date": "2015-03-01"})
    return vid, sid


def test_a_flag_is_shown_on_the_file_counted_on_the_workbench_and_reviewed_with_an_audit_entry(
        desk: Desk) -> None:
    vid, sid = _flagged_file(desk)
    desk.victims.register({"alias": "庚", "birth_date": "1991-01-01"})  # a file without flags
    [flag] = desk.review.open_flags(vid)
    assert (flag.record_type, flag.record_id, flag.rule, flag.source) == ("service", sid, "training_under_16",
                                                                            "local")
    assert flag.text.startswith("帮扶服务记录在后来的修改后不再符合规则") and "请核对" in flag.text
    assert "{" not in flag.text and "{" not in flag.text_en
    assert desk.dashboard.compute().files_flagged_for_review == 1
    [listed] = desk.review.flagged_files()
    assert (listed.victim_id, listed.open_flags, listed.township) == (vid, 1, "青龙镇")

    desk.review.mark_reviewed(flag.id)
    assert desk.review.open_flags(vid) == []
    assert desk.dashboard.compute().files_flagged_for_review == 0
    with desk.read() as s:
        row = s.get(ReviewFlag, flag.id)
        assert row is not None and row.status == "resolved" and row.resolved_by == desk.actor.user_id
        entry = s.scalar(select(AuditEntry).where(AuditEntry.record_id == flag.id))
        assert entry is not None and entry.action == AuditAction.UPDATE


def test_reviewing_an_unknown_or_closed_flag_is_refused_and_writes_nothing(desk: Desk) -> None:
    vid, _ = _flagged_file(desk)
    [flag] = desk.review.open_flags(vid)
    desk.review.mark_reviewed(flag.id)
    before = content_fingerprint(desk)
    for flag_id in (flag.id, "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(NotFound):
            desk.review.mark_reviewed(flag_id)
    assert content_fingerprint(desk) == before


def test_cli_lists_the_flags_of_a_file_and_marks_one_reviewed(desk: Desk, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    vid, _ = _flagged_file(desk)
    data = desk.registry.data_dir
    desk.registry.close()
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    capsys.readouterr()
    assert main(["--data", str(data), "victim", "flags", vid]) == 0
    out = capsys.readouterr().out
    assert "帮扶服务记录在后来的修改后不再符合规则" in out
    assert main(["--json", "--data", str(data), "victim", "flags", vid]) == 0
    [flag] = json.loads(capsys.readouterr().out)
    assert main(["--json", "--data", str(data), "dashboard"]) == 0
    assert json.loads(capsys.readouterr().out)["files_flagged_for_review"] == 1
    assert "复核后关闭：victim flag-reviewed" in out  # says who can close it (here: this laptop)
    assert main(["--data", str(data), "victim", "flag-reviewed", flag["id"], "--note", "已核实，出生日期更正有据"]) == 0
    assert "已复核" in capsys.readouterr().out
    assert main(["--data", str(data), "victim", "flags", vid, "--all"]) == 0
    assert "已复核：测试管理员" in (out := capsys.readouterr().out) and "说明：已核实，出生日期更正有据" in out
    assert main(["--data", str(data), "victim", "flag-reviewed", flag["id"]]) == 1  # already closed
    assert main(["--json", "--data", str(data), "victim", "flags", vid]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_every_rule_reads_as_a_whole_sentence_on_a_flag() -> None:
    """A flag has no refusal numbers: clauses that need them are left out, never shown half-filled."""
    from fanguai_desk.messages import MESSAGES
    from fanguai_desk.services.review import flag_text

    assert flag_text("training_under_16", "service") == (
        "帮扶服务记录在后来的修改后不再符合规则：技能培训和就业服务只提供给16周岁以上的被拐卖受害人。"
        "请核对该记录（以及引起此问题的修改），更正后标记为已复核。")
    for code in MESSAGES:
        for lang in ("zh_CN", "en"):
            text = flag_text(code, "service", lang)
            assert "{" not in text and "为 岁" not in text and "。。" not in text, (code, lang)


@pytest.mark.parametrize(("note", "code"), [
    ("已核实\x00", "text_control_characters"),
    ("已核实\u202e", "text_control_characters"),
    ("D1S80: 18,24; TH01: 6,9.3; D3S1358: 15,17 亲子比对", "dna_data"),
    ("核" * 501, "field_too_long"),
])
def test_a_reviewers_note_obeys_the_rules_of_notes(desk: Desk, note: str, code: str) -> None:
    """The note closing a flag travels to the county: the same rules as any note, and a refusal writes nothing."""
    from fanguai_desk.domain.errors import FanguaiError

    vid, _ = _flagged_file(desk)
    [flag] = desk.review.open_flags(vid)
    before = content_fingerprint(desk)
    with pytest.raises(FanguaiError) as err:
        desk.review.mark_reviewed(flag.id, note)
    assert err.value.code == code
    assert content_fingerprint(desk) == before
    desk.review.mark_reviewed(flag.id, "  已核实  ")
    [closed] = desk.review.flags(vid, include_closed=True)
    assert (closed.status, closed.note, closed.can_close) == ("resolved", "已核实", False)
    with desk.read() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.record_id == flag.id))
        assert entry is not None and "已核实" not in entry.detail  # the note may name people: not in the audit
