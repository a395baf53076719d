"""CLI: encrypted attachments on a file.

    fanguai-desk attachment add VICTIM FILE [--title T] [--on followup|referral|placement --record ID]
    fanguai-desk attachment list VICTIM
    fanguai-desk attachment export ID --out F
    fanguai-desk attachment remove ID            (administrator)

VICTIM is a file's id or its file number.  ``export`` writes the plaintext where the user asked (audited).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fanguai_desk.commands.common import emit, open_desk
from fanguai_desk.commands.lang import t
from fanguai_desk.commands.pki import ensure_writable

TYPE_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/tiff": "TIFF"}


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def cmd_attachment(args: argparse.Namespace) -> None:
    if args.attachment_cmd == "export":
        ensure_writable(args.out)
    desk = open_desk(args)
    try:
        service = desk.attachments
        if args.attachment_cmd == "add":
            victim_id = service.resolve_victim(args.victim)
            info = service.add(victim_id, Path(args.file), title=args.title, parent_type=args.on,
                               parent_id=args.record)
            emit(args, info, lambda: [t(f"已添加附件 {info.id}（{TYPE_LABELS[info.media_type]}，{_size(info.size)}，"
                                        "已加密保存在登记库中）",
                                        f"Attachment {info.id} added ({TYPE_LABELS[info.media_type]}, "
                                        f"{_size(info.size)}, stored encrypted in the registry)")])
        elif args.attachment_cmd == "list":
            rows = service.list(service.resolve_victim(args.victim))
            emit(args, rows, lambda: [f"{r.id}  {TYPE_LABELS[r.media_type]:<4} {_size(r.size):>8}  "
                                      f"{r.created_at:%Y-%m-%d}  {r.title}" for r in rows]
                 or [t("（没有附件）", "(no attachments)")])
        elif args.attachment_cmd == "export":
            info = service.export(args.id, Path(args.out).expanduser())
            emit(args, {"id": info.id, "out": args.out, "bytes": info.size},
                 lambda: [t(f"已导出附件（明文，已记入审计日志）→ {args.out}",
                            f"Attachment exported (in the clear, recorded in the audit log) → {args.out}")])
        else:
            service.remove(args.id)
            emit(args, {"id": args.id, "removed": True},
                 lambda: [t("已永久删除附件（已记入审计日志）。", "Attachment removed for good (recorded in the audit log).")])
    finally:
        desk.close()


def register(sub: Any) -> None:
    a = sub.add_parser("attachment", help="档案附件（加密保存在登记库中）").add_subparsers(
        dest="attachment_cmd", required=True)
    add = a.add_parser("add", help="添加附件（PDF、JPEG、PNG、TIFF）")
    add.add_argument("victim", help="档案 ID 或档案编号")
    add.add_argument("file")
    add.add_argument("--title", help="标题（默认为文件名）")
    add.add_argument("--on", choices=("followup", "referral", "placement"), help="附在某条回访、转介或安置记录上")
    add.add_argument("--record", help="该记录的 ID（与 --on 一起使用）")
    ls = a.add_parser("list", help="列出档案的附件")
    ls.add_argument("victim", help="档案 ID 或档案编号")
    ex = a.add_parser("export", help="导出附件（明文，记入审计日志）")
    ex.add_argument("id")
    ex.add_argument("--out", required=True)
    rm = a.add_parser("remove", help="永久删除附件（管理员）")
    rm.add_argument("id")
    for p in (add, ls, ex, rm):
        p.set_defaults(func=cmd_attachment)
