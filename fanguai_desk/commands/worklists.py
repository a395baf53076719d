"""``worklist LIST`` — the work lists and the workbench's "nobody forgotten" lists, with no cap (keyset pages),
the same rules as the workbench's numbers (``services/worklists.py``)."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.cli import CliError, emit, fmt, open_desk
from fanguai_desk.services.worklists import SORTS, WorkCursor, WorkFilter, WorkList

LIST_TITLES = {
    "followups_overdue": "回访已逾期",
    "followups_due_soon": "7日内到期的回访",
    "followups_upcoming": "逾期及未来4周的回访",
    "followups_planned": "全部待办回访",
    "services_overdue": "服务已超期",
    "referrals_open": "未办结的法律援助转介",
    "referrals_overdue": "超过法定期限的法律援助转介",
    "files_without_plan": "没有计划回访的在档档案",
    "files_without_contact": "长期未联系的在档档案",
    "school_age_without_school": "适龄儿童未安排回归学校或就学情况不明",
    "turning_16": "30日内年满16周岁（可参加技能培训）",
    "turning_18": "30日内年满18周岁（本人同意取代监护人同意）",
    "unidentified_past_threshold": "身份不明且滞留超过落户期限",
}
DETAILS = {"training_possible": "可参加技能培训（第十九条）", "own_consent": "须本人同意",
           "no_school_service": "未安排回归学校服务", "schooling_unknown": "上次回访未记录就学情况"}


def _resolve_filter(desk: Any, args: argparse.Namespace) -> WorkFilter:
    township_id = None
    if args.township:
        match = [t for t in desk.lifecycle.townships() if args.township in (t[1], t[2])]
        if not match:
            raise CliError("所填乡镇不存在。", "Unknown township.")
        township_id = match[0][0]
    caseworker_id = desk.actor.user_id if args.mine else None
    if args.caseworker:
        names = {login: uid for uid, login in _logins(desk)}
        caseworker_id = names.get(args.caseworker)
        if caseworker_id is None:
            raise CliError("没有该用户。", "No such user.")
    return WorkFilter(township_id=township_id, caseworker_id=caseworker_id)


def _logins(desk: Any) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from fanguai_desk.store.models import User

    with desk.read() as s:
        return [(u, login) for u, login in s.execute(select(User.id, User.login))]


def cmd_worklist(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        flt = _resolve_filter(desk, args)
        descending = True if args.desc else (False if args.asc else None)
        rows: list[Any] = []
        cursor: WorkCursor | None = None
        while True:  # no cap: page through the whole list unless --limit says otherwise
            page, cursor = desk.worklists.page(args.list, flt, sort=args.sort, descending=descending, after=cursor,
                                               limit=min(500, args.limit - len(rows)) if args.limit else 500)
            rows += page
            if cursor is None or (args.limit and len(rows) >= args.limit):
                break
        total = desk.worklists.count(args.list, flt)
        emit(args, {"list": args.list, "total": total, "rows": rows}, lambda: [
            f"{LIST_TITLES.get(args.list, args.list)}：共 {total} 项", *[
                f"{'【紧急】' if r.urgent else ''}{fmt(r.when)}  {r.file_number:<18} {r.display_name:<6} "
                f"{r.township:<6} {DETAILS.get(r.detail or '', r.detail or '')}" for r in rows]])
    finally:
        desk.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    w = sub.add_parser("worklist", help="工作清单（与工作台数字一致，无条数上限）")
    w.add_argument("list", choices=[k.value for k in WorkList])
    w.add_argument("--township", help="乡镇名称或代码")
    w.add_argument("--caseworker", help="负责人登录名")
    w.add_argument("--mine", action="store_true", help="只看本人负责的")
    w.add_argument("--sort", choices=SORTS, default="when")
    order = w.add_mutually_exclusive_group()
    order.add_argument("--desc", action="store_true")
    order.add_argument("--asc", action="store_true")
    w.add_argument("--limit", type=int, default=0, help="最多列出多少项（默认全部）")
    w.set_defaults(func=cmd_worklist)
