"""``audit``: the audit log."""

from __future__ import annotations

import argparse
from typing import Any

from fanguai_desk.commands.common import emit, fmt, open_desk
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.services.queries import verify_audit


def cmd_audit(args: argparse.Namespace) -> None:
    from sqlalchemy import select

    from fanguai_desk.store.models import AuditEntry

    desk = open_desk(args)
    try:
        if args.audit_cmd == "verify":
            result = verify_audit(desk)  # the same permission check as the desktop's audit page
            emit(args, result, lambda: [f"审计日志完整：共 {result.entries} 条，哈希链校验通过。"] if result.ok else [
                f"审计日志已被篡改：第 {result.first_bad_seq} 条起校验失败（{result.problem}）。"])
            if not result.ok:
                raise SystemExit(1)
        else:
            desk.require(Permission.AUDIT_READ_ALL)
            with desk.read() as s:
                stmt = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(args.limit)
                if args.record:
                    stmt = stmt.where(AuditEntry.record_id == args.record)
                rows = list(s.scalars(stmt))
            emit(args, rows, lambda: [f"{e.seq:>6} {e.at:%Y-%m-%d %H:%M:%S} {fmt(e.action):<6} "
                                      f"{e.record_type or ''} {e.record_id or ''} {e.detail}" for e in rows])
    finally:
        desk.close()


def register(sub: Any) -> None:
    au = sub.add_parser("audit", help="审计日志").add_subparsers(dest="audit_cmd", required=True)
    al = au.add_parser("list")
    al.add_argument("--limit", type=int, default=50)
    al.add_argument("--record")
    au.add_parser("verify")
    for q in au.choices.values():
        q.set_defaults(func=cmd_audit)
