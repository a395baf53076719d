"""One file, through its tabs: visits, the plans' rules refused with their reason, reveal, conflicts,
legal-aid consent."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from fanguai_desk.domain.enums import AuditAction, FollowUpStatus, Role
from fanguai_desk.store.clock import local_today
from fanguai_desk.ui.file_view import VictimFileView
from tests.ui.conftest import TIMEOUT_MS, register


def _open(o, victim_id: str, tab: str | None = None) -> VictimFileView:
    o.window.open_file(victim_id, tab)
    view = next(v for v in o.window.pages["victims"].file_views() if v.victim_id == victim_id)
    o.qtbot.waitUntil(lambda: view.loaded_once, timeout=TIMEOUT_MS)
    return view


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _reveal(o, view: VictimFileView) -> None:
    """The audited reveal: only then are the masked profile fields shown in clear and editable."""
    _click(o.qtbot, view.reveal_button)
    o.qtbot.waitUntil(lambda: view.revealed is not None, timeout=TIMEOUT_MS)
    o.wait()


def test_recording_a_visit_plans_the_next_one(qtbot, desk, open_window) -> None:
    victim_id = register(desk)
    planned = desk.followups.plan(victim_id, local_today() - timedelta(days=3), confirm_past=True)
    o = open_window(desk)
    view = _open(o, victim_id, "followups")
    tab = view.followups
    assert view.tabs.currentWidget() is tab
    assert tab.form.value("planned_visit") == planned  # completes the overdue planned visit by default
    tab.form.editor("method").set_value("home_visit")
    tab.form.editor("visitors").setText("李社工、村委会王主任")
    tab.form.editor("living_situation").setPlainText("与母亲同住，生活稳定。")
    next_visit = local_today() + timedelta(days=30)
    assert tab.form.value("next_visit_date") == next_visit
    _click(qtbot, tab.record_button)
    qtbot.waitUntil(lambda: "回访已记录" in tab.banner.text(), timeout=TIMEOUT_MS)
    assert "回访已记录。已安排下次回访" in tab.banner.text()  # no space between Chinese sentences
    rows = desk.followups.list(victim_id=victim_id, include_done=True)
    done = [r for r in rows if r.status is FollowUpStatus.DONE]
    assert [r.id for r in done] == [planned]
    assert [r.planned_date for r in rows if r.status is FollowUpStatus.PLANNED] == [next_visit]
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=TIMEOUT_MS)
    assert tab.form.value("living_situation") == ""  # the form is ready for the next visit


def test_a_dna_note_is_refused_with_the_rule_shown(qtbot, desk, open_window) -> None:
    victim_id = register(desk)
    o = open_window(desk)
    view = _open(o, victim_id, "followups")
    tab = view.followups
    tab.form.editor("method").set_value("phone")
    tab.form.editor("notes").setPlainText("DNA比对结果：D8S1179 12,13；TH01 6,9.3；FGA 20,22")
    _click(qtbot, tab.record_button)
    qtbot.waitUntil(lambda: bool(tab.form.visible_errors()), timeout=TIMEOUT_MS)
    message = tab.form.errors["notes"].text()
    assert "不得录入DNA数据（字段：备注）" in message
    assert "禁止除公安机关以外的任何组织或者个人收集" in message
    assert "Traceback" not in message and "dna_data" not in message
    assert desk.followups.list(victim_id=victim_id, include_done=True) == []
    assert tab.form.value("notes").startswith("DNA比对结果")  # the input is kept for correcting


def test_a_dna_profile_is_flagged_as_soon_as_the_field_is_left(qtbot, desk, open_window) -> None:
    victim_id = register(desk)
    o = open_window(desk)
    view = _open(o, victim_id, "profile")
    _reveal(o, view)
    edit = view.profile.form.editor("current_residence")
    edit.setText("D8S1179 12,13 D21S11 28,30 TH01 6,9 FGA 20,22 vWA 16,17")
    edit.editingFinished.emit()
    assert "不得录入DNA数据" in view.profile.form.errors["current_residence"].text()


def test_vocational_training_under_16_is_refused_with_the_reason(qtbot, desk, open_window) -> None:
    # 14 years and about two months old on any day the test runs (15 January of "this year - 14" made her 13
    # from 1 to 14 January)
    victim_id = register(desk, name="小芳", birth_date=local_today() - timedelta(days=14 * 365 + 60))
    o = open_window(desk)
    view = _open(o, victim_id, "services")
    tab = view.services
    tab.form.editor("service_type").set_value("vocational_training")
    tab.form.editor("willing").setChecked(True)
    tab.form.editor("responsible_unit").setText("县人社局")
    assert "16周岁以上" in tab.form.errors["service_type"].text()  # shown before saving
    _click(qtbot, tab.add_button)
    qtbot.waitUntil(lambda: "16周岁以上" in tab.banner.text(), timeout=TIMEOUT_MS)
    assert "本人为 14 岁" in tab.banner.text()
    assert desk.assistance.list(victim_id) == []
    tab.form.editor("service_type").set_value("return_to_school")
    assert not tab.form.errors["service_type"].text()
    _click(qtbot, tab.add_button)
    qtbot.waitUntil(lambda: "服务已添加" in tab.banner.text(), timeout=TIMEOUT_MS)
    assert len(desk.assistance.list(victim_id)) == 1


def test_reveal_shows_the_full_identity_in_this_view_only_and_is_audited(qtbot, desk, open_window) -> None:
    victim_id = register(desk, name="张三华", id_number="11010519491231002X", sex="F", birth_date=None)
    o = open_window(desk)
    view = _open(o, victim_id)
    assert view.name_label.text() == "张**"
    _click(qtbot, view.reveal_button)
    qtbot.waitUntil(lambda: view.revealed is not None, timeout=TIMEOUT_MS)
    assert view.name_label.text() == "张三华"
    assert "11010519491231002X" in view.id_label.text()
    assert view.profile.form.value("name") == "张三华"
    assert not view.profile.form.editor("name").isReadOnly()
    assert view.reveal_button.text() == "隐藏完整信息"
    o.wait()
    reveals = [e for e in desk.victims.audit_trail(victim_id) if e.action is AuditAction.REVEAL]
    assert len(reveals) == 1
    qtbot.waitUntil(lambda: any(r.action is AuditAction.REVEAL for r in view.audit.model.rows), timeout=TIMEOUT_MS)
    # the list still shows the masked name
    o.window.navigate("victims")
    assert o.window.pages["victims"].list.model.index(0, 1).data() == "张**"
    _click(qtbot, view.reveal_button)
    assert view.name_label.text() == "张**" and view.profile.form.editor("name").isReadOnly()


def test_an_edit_that_conflicts_with_a_concurrent_change_is_reported_not_saved(qtbot, desk, open_window) -> None:
    victim_id = register(desk)
    o = open_window(desk)
    view = _open(o, victim_id)
    _reveal(o, view)
    view.profile.form.editor("current_residence").setText("白马镇新村1组")
    # meanwhile, another window (or user) changes the same file
    version = desk.victims.open_file(victim_id, audit_read=False).victim.version
    desk.victims.edit(victim_id, {"phone": "13800001234"}, expected_version=version)
    _click(qtbot, view.profile.save_button)
    qtbot.waitUntil(lambda: view.profile.banner.text() != "", timeout=TIMEOUT_MS)
    assert "已被他人（或另一窗口）修改" in view.profile.banner.text()
    assert view.profile.form.value("current_residence") == "白马镇新村1组"  # the input is kept
    v = desk.victims.open_file(victim_id, audit_read=False).victim
    assert v.current_residence == "青龙镇白果村3组" and v.phone == "13800001234"


def test_saving_the_profile_changes_only_what_was_edited(qtbot, desk, open_window) -> None:
    victim_id = register(desk)
    o = open_window(desk)
    view = _open(o, victim_id)
    _reveal(o, view)
    view.profile.form.editor("phone").setText("13900002222")
    _click(qtbot, view.profile.save_button)
    qtbot.waitUntil(lambda: "已保存" in view.profile.banner.text(), timeout=TIMEOUT_MS)
    v = desk.victims.open_file(victim_id, audit_read=False).victim
    assert v.phone == "13900002222" and v.name == "张三华"
    o.wait()
    assert not view.profile.is_dirty()


def test_legal_aid_referral_needs_consent_or_an_audited_override(qtbot, desk, open_window) -> None:
    victim_id = register(desk)
    o = open_window(desk)
    view = _open(o, victim_id, "legal_aid")
    tab = view.legal_aid
    assert tab.consent_state.text().startswith("×")
    tab.form.editor("institution").setText("县法律援助中心")
    tab.form.editor("matter").set_value("compensation")
    _click(qtbot, tab.add_button)
    qtbot.waitUntil(lambda: "同意" in tab.banner.text(), timeout=TIMEOUT_MS)
    assert "转介法律援助需要本人" in tab.banner.text()
    assert desk.referrals.list(victim_id=victim_id) == []
    tab.form.editor("override").setChecked(True)
    _click(qtbot, tab.add_button)
    assert "请写明" in tab.form.errors["consent_override_reason"].text()
    tab.form.editor("consent_override_reason").setPlainText("赔偿诉讼时效将届满，本人暂时无法联系。")
    _click(qtbot, tab.add_button)
    qtbot.waitUntil(lambda: "已转介法律援助" in tab.banner.text(), timeout=TIMEOUT_MS)
    rows = desk.referrals.list(victim_id=victim_id)
    assert len(rows) == 1 and rows[0].consent_overridden
    qtbot.waitUntil(lambda: tab.overrides.isVisible(), timeout=TIMEOUT_MS)
    assert "赔偿诉讼时效将届满" in tab.overrides.text()
    o.wait()
    assert any(e.action is AuditAction.CONSENT_OVERRIDE for e in desk.victims.audit_trail(victim_id)) or any(
        r.action is AuditAction.CONSENT_OVERRIDE for r in view.audit.model.rows)

    # the answer comes back: accepted
    tab.table.selectRow(0)
    assert tab.update_form.editor("status").count() == 4  # accepted, declined, revoked, materials requested
    tab.update_form.set_value("status", "accepted")
    _click(qtbot, tab.update_button)
    qtbot.waitUntil(lambda: "转介状态已更新" in tab.banner.text(), timeout=TIMEOUT_MS)
    assert desk.referrals.list(victim_id=victim_id)[0].status.value == "accepted"


def test_a_minor_is_never_placed_with_the_buyer_household(qtbot, desk, open_window) -> None:
    victim_id = register(desk, name="小明", sex="M", birth_date=date(local_today().year - 9, 5, 1),
                         buyer_households=[{"head_name": "赵某", "address": "石桥镇石桥村8组"}])
    o = open_window(desk)
    view = _open(o, victim_id, "placement")
    tab = view.placement
    tab.form.editor("state").set_value("family_care")
    tab.form.editor("household_head").setText("赵某")
    tab.form.editor("address").setText("石桥镇石桥村8组")
    tab.form.editor("address").editingFinished.emit()
    assert "不得由收买家庭继续抚养" in tab.banner.text()  # shown before saving
    _click(qtbot, tab.add_button)
    qtbot.waitUntil(lambda: "不得由收买家庭继续抚养" in tab.banner.text(), timeout=TIMEOUT_MS)
    o.wait()
    assert desk.placements.history(victim_id) == []


def test_a_caseworker_sees_no_user_administration(qtbot, desk, caseworker, open_window) -> None:
    assert caseworker.actor.role is Role.CASEWORKER
    o = open_window(caseworker)
    o.window.navigate("settings")
    page = o.window.pages["settings"]
    assert not page.users_box.isVisible() and not page.registry_box.isVisible()
    o.window.navigate("audit")
    assert o.window.pages["audit"].denied.isVisible()


def test_placement_guardian_and_consent_names_are_masked_by_the_core_until_revealed(qtbot, desk, open_window) -> None:
    victim_id = register(desk, name="欧阳小明", birth_date=date(2014, 2, 3),
                         guardians=[{"name": "欧阳大海", "relation": "父亲", "phone": "13900002222"}])
    desk.placements.add(victim_id, {"state": "returned_to_birth_parents", "start_date": "2026-01-05",
                                    "household_head": "欧阳大海", "address": "青禾县石桥镇柳湾村8组3号"})
    o = open_window(desk)
    view = _open(o, victim_id)
    placement = view.placement.model.rows[0]
    assert view.shown("placements", placement, "household_head") == "欧阳**"
    assert "柳湾村8组3号" not in str(view.shown("placements", placement, "address"))
    assert view.profile.guardians.rows()[0]["name"] == "欧阳**" and not view.profile.guardians.isEnabled()
    _click(qtbot, view.reveal_button)
    qtbot.waitUntil(lambda: view.revealed is not None, timeout=TIMEOUT_MS)
    o.wait()
    assert view.shown("placements", placement, "household_head") == "欧阳大海"
    qtbot.waitUntil(lambda: view.profile.guardians.rows()[0]["name"] == "欧阳大海", timeout=TIMEOUT_MS)
    assert view.profile.guardians.isEnabled()


def test_a_record_to_review_shows_on_the_file_and_on_the_workbench_and_is_marked_reviewed(
        qtbot, desk, open_window) -> None:
    """An adult's training record, then the birth date corrected to 2015: the file shows the flag in Chinese
    with what to check; the workbench counts and lists the file; marking it reviewed closes it (audited)."""
    vid, _ = desk.victims.register({"alias": "己", "birth_date": "1990-03-01"})
    desk.assistance.add(vid, {"service_type": "vocational_training", "start_date": "2025-09-01", "willing": True})
    desk.victims.edit(vid, {"birth_date": "2015-03-01"})
    o = open_window(desk)
    board = o.window.pages["dashboard"]
    board.refresh()
    qtbot.waitUntil(lambda: board.data is not None and board.data.files_flagged_for_review == 1, timeout=TIMEOUT_MS)
    assert board.flagged.rowCount() == 1
    view = _open(o, vid)
    assert view.review_notice.isVisibleTo(view)
    labels = [w.text() for w in view.review_notice.findChildren(QLabel)]
    assert any("帮扶服务记录在后来的修改后不再符合规则" in t and "请核对" in t for t in labels)
    [button] = view.review_notice.findChildren(QPushButton)
    assert button.text() == "标记为已复核"
    _click(qtbot, button)
    qtbot.waitUntil(lambda: not view.review_notice.isVisibleTo(view), timeout=TIMEOUT_MS)
    assert desk.review.open_flags(vid) == []


def test_the_profile_form_shows_the_core_mask_until_the_reveal_and_never_saves_masked_text(
        qtbot, desk, open_window) -> None:
    """Birth date (year only), phone and addresses are masked in the form like the name and ID number; typing
    into a masked field saves nothing of it; after the audited reveal the clear values show and edit."""
    victim_id = register(desk, phone="13812345678", household_registration="青禾县石桥镇柳湾村8组3号")
    o = open_window(desk)
    view = _open(o, victim_id)
    form = view.profile.form
    assert form.editor("birth_date").text() == "1995（仅显示年份）"
    assert "03" not in form.editor("birth_date").text()
    assert form.value("phone") != "13812345678" and "5678" in form.value("phone")
    assert "白果村3组" not in form.value("current_residence")
    assert "柳湾村8组3号" not in form.value("household_registration")
    for key in ("birth_date", "phone", "current_residence", "household_registration", "name", "id_number"):
        editor = form.editor(key)
        assert (editor.isReadOnly() if hasattr(editor, "isReadOnly") else not editor.isEnabled()), key
    # text forced into a masked field (and a real edit beside it) — only the real edit is saved
    form.editor("phone").setText(form.value("phone") + "0")
    form.editor("rescue_unit").setText("青龙镇派出所")
    before = desk.victims.open_file(victim_id, audit_read=False).victim
    _click(qtbot, view.profile.save_button)
    qtbot.waitUntil(lambda: "已保存" in view.profile.banner.text(), timeout=TIMEOUT_MS)
    v = desk.victims.open_file(victim_id, audit_read=False).victim
    assert v.rescue_unit == "青龙镇派出所"
    assert (v.phone, v.birth_date, v.current_residence, v.household_registration, v.name) == (
        before.phone, before.birth_date, before.current_residence, before.household_registration, before.name)
    assert not any(e.action is AuditAction.REVEAL for e in desk.victims.audit_trail(victim_id))

    _reveal(o, view)
    assert form.value("birth_date") == date(1995, 3, 8) and form.value("phone") == "13812345678"
    assert form.value("current_residence") == "青龙镇白果村3组" and not form.editor("phone").isReadOnly()
    form.editor("phone").setText("13900002222")
    _click(qtbot, view.profile.save_button)
    qtbot.waitUntil(lambda: view.profile.banner.text().count("已保存") and not view.profile.is_dirty(),
                    timeout=TIMEOUT_MS)
    v = desk.victims.open_file(victim_id, audit_read=False).victim
    assert v.phone == "13900002222" and v.birth_date == date(1995, 3, 8) and v.name == "张三华"


def test_a_case_without_details_is_named_by_when_it_was_entered_not_by_its_id(desk, zh_app) -> None:
    from fanguai_desk.ui.file_view import load_file_data

    case_id = desk.cases.add({})
    label = dict(load_file_data(desk, register(desk), audit_read=False).cases)[case_id]
    assert label.startswith("未填写详情的案件（录入于 ") and case_id[:8] not in label
