"""Audit entries as sentences: who, when, which file by its number, what — every code translated."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from fanguai_desk.domain.enums import AuditAction, Role
from fanguai_desk.domain.errors import UnlockError
from fanguai_desk.services.audit_view import ACTIONS, audit_lines, sentence
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.clock import local_today
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED = {"MB"}


def _busy_day(desk: Desk, tmp_path) -> str:
    vid, _ = desk.victims.register({"name": "张三华", "sex": "F", "birth_date": date(2011, 3, 4),
                                    "nationality": "CN", "township": "青龙镇"})
    desk.victims.edit(vid, {"alias": "小华", "current_residence": "白果村3组"})
    desk.victims.open_file(vid)
    desk.victims.reveal(vid, "cli_show")
    fid = desk.followups.plan(vid, local_today() - timedelta(days=2), confirm_past=True)
    desk.followups.record({"actual_date": local_today(), "method": "home_visit", "living_situation": "稳定"},
                          followup_id=fid)
    desk.assistance.add(vid, {"service_type": "medical", "start_date": local_today()})
    desk.placements.add(vid, {"state": "returned_home", "start_date": local_today()})
    desk.consents.add(vid, {"scope": "referral", "given_by": "guardian", "guardian_name": "张大姐",
                             "given_on": local_today()})
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇", "社工一")
    desk.users.reset_password("cw1", USER_PASSWORD + "x")
    desk.maintenance.backup(tmp_path / "backups")
    return vid


def test_every_entry_of_a_busy_day_reads_as_a_chinese_sentence(desk: Desk, tmp_path) -> None:
    vid = _busy_day(desk, tmp_path)
    number = desk.victims.open_file(vid, audit_read=False).victim.file_number
    lines = audit_lines(desk, lang="zh_CN", limit=500)
    assert len(lines) > 10
    for line in lines:
        leftover = {w for w in LATIN_WORD.findall(line.sentence.replace(number, ""))} - ALLOWED
        assert not leftover, line.sentence
        assert line.sentence.endswith("。") and "年" in line.sentence
    text = "\n".join(x.sentence for x in lines)
    assert f"查看了档案 {number}" in text
    assert f"记录了回访（档案 {number}）" in text
    assert "显示了完整姓名和身份证号：档案" in text and "用途：命令行查看" in text
    assert "修改了档案" in text and "化名" in text and "现住址" in text
    assert "重设了用户的密码" in text and "备份了本登记库" in text
    # The file's own trail: its records name the file, and they link back to it.
    trail = audit_lines(desk, lang="zh_CN", record_id=vid)
    assert trail and all(t.file_victim_id == vid for t in trail)
    english = audit_lines(desk, lang="en", limit=500)
    assert any(f"recorded a follow-up visit (file {number})" in e.sentence for e in english)
    assert not any(re.search(r"[\u4e00-\u9fff]", e.sentence.replace("青龙镇", "")) for e in english
                   if "测试" not in e.sentence and "社工" not in e.sentence)


def test_failed_sign_ins_are_told_in_words(desk: Desk) -> None:
    data_dir = desk.registry.data_dir
    desk.close()
    for _ in range(2):
        with pytest.raises(UnlockError):
            Desk.unlock(data_dir, "admin", "wrong password")
    again = Desk.unlock(data_dir, "admin", ADMIN_PASSWORD)
    try:
        lines = audit_lines(again, lang="zh_CN", limit=5)
        assert any("有人 登录失败 2 次" in x.sentence for x in lines), [x.sentence for x in lines]
    finally:
        again.close()


def test_every_action_has_words() -> None:
    assert set(ACTIONS) == set(AuditAction)
    for action in AuditAction:
        from datetime import datetime
        text = sentence(at=datetime(2026, 11, 30, 8, 0), who="王社工", action=action, record_type=None,
                        file_number=None, detail={}, lang="zh_CN")
        assert not LATIN_WORD.search(text), text


def test_purge_grounds_read_in_the_one_label_table_in_both_languages() -> None:
    """The grounds of a purge come from domain/labels.py (PIPL art. 47), not from a copy in the audit view."""
    from datetime import datetime

    from fanguai_desk.domain.enums import PurgeReason
    from fanguai_desk.domain.labels import label, label_en

    for reason in PurgeReason:
        for lang, words, prefix in (("zh_CN", label(reason), "依据："), ("en", label_en(reason), "grounds: ")):
            text = sentence(at=datetime(2026, 11, 30, 8, 0), who="王社工", action=AuditAction.PURGE,
                            record_type="victim", file_number="510101-2026-0001", detail={"reason": reason.value},
                            lang=lang)
            assert prefix + words in text, text
    assert label_en(PurgeReason.OTHER_LEGAL) == "Other legal grounds"  # words, not the member's name
