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
            "  安置状况：" + "，".join(f"{fmt(k) if k else '未登记'} {v}" for k, v in d.placement_counts.items()),
        ])
    finally:
        desk.close()


def register(sub: Any) -> None:
    sub.add_parser("dashboard", help="工作台统计").set_defaults(func=cmd_dashboard)
