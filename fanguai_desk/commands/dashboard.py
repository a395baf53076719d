"""``dashboard``: the work counts."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import emit, fmt, open_desk
from fanguai_desk.commands.lang import t


def cmd_dashboard(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        d = desk.dashboard.compute()
        emit(args, d, lambda: [
            t(f"工作台（{d.today.year}年{d.today.month}月{d.today.day}日）  在册档案 {d.open_files}",
              f"Workbench ({d.today.isoformat()})  open files {d.open_files}"),
            t(f"  回访已逾期：{d.followups_overdue}    7日内到期：{d.followups_due_soon}",
              f"  Visits overdue: {d.followups_overdue}    due within 7 days: {d.followups_due_soon}"),
            t(f"  法律援助等待答复超期：{d.referrals_waiting}    超过法定期限：{d.referrals_overdue}",
              f"  Legal aid waiting too long: {d.referrals_waiting}    past the legal deadline: {d.referrals_overdue}"),
            t(f"  服务已超期：{d.services_overdue}    身份不明人员：{d.unidentified_count}",
              f"  Services overdue: {d.services_overdue}    identity unknown: {d.unidentified_count}"),
            t(f"  紧急法律援助（第四十四条）：{d.referrals_urgent}", f"  Urgent legal aid (art. 44): {d.referrals_urgent}"),
            t(f"  待复核档案（victim flags 档案ID）：{d.files_flagged_for_review}",
              f"  Files to review (victim flags ID): {d.files_flagged_for_review}"),
            t(f"  无计划回访：{d.files_without_plan}    长期未联系：{d.files_without_contact}    "
              f"适龄儿童就学未落实：{d.school_age_without_school}",
              f"  No visit planned: {d.files_without_plan}    no contact for long: {d.files_without_contact}    "
              f"school-age child without school: {d.school_age_without_school}"),
            t(f"  30日内满16周岁：{d.turning_16}    满18周岁：{d.turning_18}    "
              f"身份不明超过落户期限：{d.unidentified_past_threshold}",
              f"  Turning 16 within 30 days: {d.turning_16}    turning 18: {d.turning_18}    "
              f"identity unknown past the hukou deadline: {d.unidentified_past_threshold}"),
            t("  安置状况：", "  Placement: ") + t("，", ", ").join(
                f"{fmt(k) if k else t('未登记', 'not recorded')} {v}" for k, v in d.placement_counts.items()),
        ])
    finally:
        desk.close()


def register(sub: Any) -> None:
    sub.add_parser("dashboard", help="工作台统计").set_defaults(func=cmd_dashboard)
