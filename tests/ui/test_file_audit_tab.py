"""A file's 审计记录 tab: the actions done on the file as Chinese sentences (who, when, what, which file by its
number), and nothing personal beyond what the audit design allows — no name, ID number, address or what a
visit recorded (``services/audit_view.py``; the log stores codes and ids only)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from fanguai_desk.domain.enums import AuditAction, Sex
from fanguai_desk.domain.synthetic import SyntheticPeople
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import Victim
from fanguai_desk.ui.file_view import VictimFileView
from tests.ui.conftest import TIMEOUT_MS, register


def test_the_audit_tab_tells_in_chinese_what_was_done_on_the_file_and_nothing_personal(qtbot, desk,
                                                                                      open_window) -> None:
    people = SyntheticPeople(15)
    birth = date(1996, 4, 9)
    name = people.full_name(Sex.FEMALE)
    id_number = people.id_number(birth, Sex.FEMALE)
    address = "青龙镇白果村3组"
    victim_id = register(desk, name=name, id_number=id_number, sex="F", birth_date=birth, current_residence=address)
    with desk.read() as s:
        number = s.scalar(select(Victim.file_number).where(Victim.id == victim_id))
    today = local_today()
    planned = desk.followups.plan(victim_id, today + timedelta(days=10))
    desk.followups.record({"actual_date": today, "method": "home_visit", "living_situation": "与母亲同住，情况良好",
                           "needs": "希望参加缝纫培训"}, followup_id=planned)
    desk.victims.reveal_file(victim_id)

    o = open_window(desk)
    o.window.open_file(victim_id)
    view = o.window.pages["victims"].findChild(VictimFileView)
    qtbot.waitUntil(lambda: view is not None and view.loaded_once, timeout=TIMEOUT_MS)
    o.wait()
    view.show_tab("audit")
    tab = view.tab("audit")
    qtbot.waitUntil(lambda: tab.model.rowCount() >= 5, timeout=TIMEOUT_MS)
    shown = [tab.model.index(i, 0).data() for i in range(tab.model.rowCount())]
    text = "\n".join(shown)
    actions = {r.action for r in tab.model.rows}
    assert {AuditAction.CREATE, AuditAction.REVEAL, AuditAction.READ} <= actions
    # the sentences, in Chinese, by the actor's display name and the file number
    assert f"测试管理员 新建了档案 {number}" in text
    assert f"测试管理员 安排了回访（档案 {number}）" in text
    assert f"测试管理员 记录了回访（档案 {number}）" in text
    assert f"测试管理员 显示了完整姓名和身份证号：档案 {number}（项目：" in text
    reveal = next(line for line in shown if "显示了" in line)
    assert "姓名" in reveal and "身份证号" in reveal and "其他" not in reveal  # the fields in words, not "其他 7 项"
    assert f"测试管理员 查看了档案 {number}" in text
    assert all(line.endswith("。") and "年" in line for line in shown)
    # nothing personal: no name (not even masked), ID number or its tail, address, what the visit recorded
    for secret in (name, name[1:], id_number, id_number[-4:], address, "白果村", "与母亲同住", "缝纫培训",
                   victim_id, planned):
        assert secret not in text, secret
    # and no English or codes leaking through
    for code in ("victim", "followup", "reveal", "create", "op=", "home_visit"):
        assert code not in text, code
