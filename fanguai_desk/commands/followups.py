"""``followup``: planned and recorded follow-up visits."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import CliError, columns, emit, flags_to_dict, fmt, load_json, open_desk
from fanguai_desk.commands.lang import t
from fanguai_desk.domain.enums import FollowUpMethod


def cmd_followup(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        if args.fu_cmd == "plan":
            fid = desk.followups.plan(args.victim, args.date, args.method, confirm_past=args.confirm_past)
            emit(args, {"id": fid}, lambda: [t(f"已安排回访 {fid}", f"Visit {fid} planned")])
        elif args.fu_cmd == "record":
            data = load_json(args.from_json) if args.from_json else {}
            data.update(flags_to_dict(args, ["method", "visitors", "living_situation", "health",
                                             "psychological", "needs", "notes"]))
            if args.date:
                data["actual_date"] = args.date
            if args.next:
                data["next_visit_date"] = args.next
            if not args.visit and not args.victim:
                raise CliError("请用 --visit 指定待办回访，或用 --victim 指定档案。",
                               "Give --visit (a planned visit) or --victim (a file).")
            fid, nid = desk.followups.record(data, followup_id=args.visit, victim_id=args.victim)
            emit(args, {"id": fid, "next_id": nid},
                 lambda: [t(f"已记录回访 {fid}", f"Visit {fid} recorded")] + (
                     [t(f"下次回访已安排 {nid}", f"Next visit planned: {nid}")] if nid else []))
        else:
            rows = desk.followups.list(overdue=args.overdue, due_within_days=args.due_within,
                                       mine=args.mine, victim_id=args.victim, include_done=args.all)
            states = {"overdue": t("已逾期", "overdue"), "due_soon": t("7日内到期", "due within 7 days"),
                      "done": t("已完成", "done"), "cancelled": t("已取消", "cancelled")}
            emit(args, rows, lambda: columns([(r.id, fmt(r.actual_date or r.planned_date), r.file_number,
                                               r.display_name, states.get(r.state.value, "")) for r in rows])
                 or [t("（无）", "(none)")])
    finally:
        desk.close()


def register(sub: Any) -> None:
    fu = sub.add_parser("followup", help="跟踪回访").add_subparsers(dest="fu_cmd", required=True)
    fp = fu.add_parser("plan")
    fp.add_argument("victim")
    fp.add_argument("--date", required=True)
    fp.add_argument("--method", choices=[m.value for m in FollowUpMethod])
    fp.add_argument("--confirm-past", action="store_true", help="确认计划日期早于今天")
    fr = fu.add_parser("record")
    fr.add_argument("--visit")
    fr.add_argument("--victim")
    fr.add_argument("--date")
    fr.add_argument("--method", choices=[m.value for m in FollowUpMethod])
    fr.add_argument("--next")
    fr.add_argument("--from-json")
    for f in ("visitors", "living_situation", "health", "psychological", "needs", "notes"):
        fr.add_argument(f"--{f.replace('_', '-')}", dest=f)
    fl = fu.add_parser("list")
    fl.add_argument("--overdue", action="store_true")
    fl.add_argument("--due-within", type=int)
    fl.add_argument("--mine", action="store_true")
    fl.add_argument("--victim")
    fl.add_argument("--all", action="store_true", help="包括已完成和已取消的回访（打印回访记录表时用）")
    for q in fu.choices.values():
        q.set_defaults(func=cmd_followup)
