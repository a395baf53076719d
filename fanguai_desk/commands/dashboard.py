"""``dashboard``: the work counts."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import emit, fmt, open_desk


def cmd_dashboard(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        d = desk.dashboard.compute()
        emit(args, d, lambda: [
            f"工作台（{d.today:%Y年%m月%d日}）  在册档案 {d.open_files}",
            f"  回访已逾期：{d.followups_overdue}    7日内到期：{d.followups_due_soon}",
            f"  法律援助等待答复超期：{d.referrals_waiting}    超过法定期限：{d.referrals_overdue}",
            f"  服务已超期：{d.services_overdue}    身份不明人员：{d.unidentified_count}",
            f"  紧急法律援助（第四十四条）：{d.referrals_urgent}",
            f"  无计划回访：{d.files_without_plan}    长期未联系：{d.files_without_contact}    "
            f"适龄儿童就学未落实：{d.school_age_without_school}",
            f"  30日内满16周岁：{d.turning_16}    满18周岁：{d.turning_18}    "
            f"身份不明超过落户期限：{d.unidentified_past_threshold}",
            "  安置状况：" + "，".join(f"{fmt(k) if k else '未登记'} {v}" for k, v in d.placement_counts.items()),
        ])
    finally:
        desk.close()


def register(sub: Any) -> None:
    sub.add_parser("dashboard", help="工作台统计").set_defaults(func=cmd_dashboard)
