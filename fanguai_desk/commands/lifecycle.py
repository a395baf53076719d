"""``victim close|reopen|transfer|delete|obligations`` — a file's whole life (issue 13), over
``services/lifecycle.py``.  Added to the ``victim`` command group that ``cli.py`` builds."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.cli import emit, fmt, open_desk
from fanguai_desk.domain.labels import label
from fanguai_desk.domain.lifecycle import CLOSE_REASONS_OFFERED


def _obligation_lines(ob: Any) -> list[str]:
    lines = [f"待办回访 {len(ob.planned_visits)} 次，未完成服务 {len(ob.open_services)} 项，"
             f"待决法律援助转介 {len(ob.pending_referrals)} 项"]
    lines += [f"  回访 {fmt(o.when)}" for o in ob.planned_visits]
    lines += [f"  服务 {label_of('ServiceType', o.kind)} 到期 {fmt(o.when)}" for o in ob.open_services]
    lines += [f"  转介 {label_of('ReferralStatus', o.kind)} {fmt(o.when)}" for o in ob.pending_referrals]
    return lines


def label_of(enum_name: str, value: str) -> str:
    from fanguai_desk.domain import enums

    try:
        return label(getattr(enums, enum_name)(value))
    except (ValueError, KeyError):
        return value


def cmd_lifecycle(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        life = desk.lifecycle
        if args.victim_cmd == "obligations":
            ob = life.obligations(args.id)
            emit(args, ob, lambda: _obligation_lines(ob))
        elif args.victim_cmd == "close":
            ob = life.obligations(args.id)
            result = life.close(args.id, args.reason, args.note, closed_on=args.date)
            emit(args, {"id": args.id, "obligations": ob, "result": result}, lambda: [
                *_obligation_lines(ob),
                f"已结案（{label_of('ClosureReason', args.reason)}）：取消回访 {result.visits_cancelled} 次、"
                f"服务 {result.services_cancelled} 项，撤回转介 {result.referrals_revoked} 项；"
                f"保存至 {result.retention_until.isoformat()}"])
        elif args.victim_cmd == "reopen":
            version = life.reopen(args.id, args.reason)
            emit(args, {"id": args.id, "version": version}, lambda: ["档案已重新开启，理由已记入档案历史。"])
        elif args.victim_cmd == "transfer":
            t = life.transfer(args.id, args.township, args.caseworker)
            emit(args, t, lambda: [f"档案已移交至 {t.township}" + ("" if t.caseworker_id else "（尚未指定负责人）")
                                   + f"，待办回访 {t.visits_reassigned} 次随之移交。"])
        elif args.victim_cmd == "delete":
            n = life.delete_mistaken(args.id, args.reason)
            emit(args, {"id": args.id, "records": n}, lambda: [f"误建档案已删除（共 {n} 条记录），删除标记将随导出传至县级。"])
    finally:
        desk.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    victim = sub.choices["victim"]
    group = next(a for a in victim._actions if isinstance(a, argparse._SubParsersAction))
    codes = [r.value for r in CLOSE_REASONS_OFFERED]
    reasons = "；".join(f"{r.value}={label(r)}" for r in CLOSE_REASONS_OFFERED)

    ob = group.add_parser("obligations", help="列出档案尚未完成的回访、服务和转介")
    ob.add_argument("id")
    c = group.add_parser("close", help=f"结案。理由代码：{reasons}")
    c.add_argument("id")
    c.add_argument("--reason", required=True, choices=codes)
    c.add_argument("--note", help="说明（“其他”和“并入重复档案”必填）")
    c.add_argument("--date", help="结案日期（默认今天）")
    r = group.add_parser("reopen", help="重新开启已结案的档案")
    r.add_argument("id")
    r.add_argument("--reason", required=True)
    t = group.add_parser("transfer", help="移交至本登记库的另一个乡镇")
    t.add_argument("id")
    t.add_argument("--township", required=True, help="乡镇名称或代码")
    t.add_argument("--caseworker", help="接收乡镇的负责人（登录名）")
    d = group.add_parser("delete", help="删除误建的档案（管理员，建档后限定天数内）")
    d.add_argument("id")
    d.add_argument("--reason", required=True)
    for p in (ob, c, r, t, d):
        p.set_defaults(func=cmd_lifecycle)
