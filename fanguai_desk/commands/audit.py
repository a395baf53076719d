"""``audit``: the audit log."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import emit, open_desk


def cmd_audit(args: argparse.Namespace) -> None:
    from fanguai_desk.services.audit_view import audit_lines, verify_audit

    desk = open_desk(args)
    try:
        if args.audit_cmd == "verify":
            result = verify_audit(desk.uow)  # the same permission check as the desktop's audit page
            emit(args, result, lambda: [f"审计日志完整：共 {result.entries} 条，哈希链校验通过。"] if result.ok else [
                f"审计日志已被篡改：第 {result.first_bad_seq} 条起校验失败（{result.problem}）。"])
            if not result.ok:
                raise SystemExit(1)
        else:
            # The whole log: administrators and supervisors; one file's trail (--record): whoever may see the
            # file — the same rule and the same sentences as the desktop's audit page and audit tab.
            lines = audit_lines(desk.uow, lang=args.lang, limit=args.limit, record_id=args.record)
            emit(args, lines, lambda: [f"{e.seq:>6}  {e.sentence}" for e in lines])
    finally:
        desk.close()


def register(sub: Any) -> None:
    au = sub.add_parser("audit", help="审计日志").add_subparsers(dest="audit_cmd", required=True)
    al = au.add_parser("list", help="最近的审计记录（每条一句话：谁、何时、哪份档案、做了什么）")
    al.add_argument("--limit", type=int, default=50, help="显示多少条（默认 50）")
    al.add_argument("--record", help="只看某份档案（档案 ID）的审计轨迹")
    au.add_parser("verify", help="校验审计日志的哈希链是否完整")
    for q in au.choices.values():
        q.set_defaults(func=cmd_audit)
