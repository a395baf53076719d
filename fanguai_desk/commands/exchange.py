"""``export`` / ``import`` and the review of conflicts and duplicates."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fanguai_desk.commands.common import CliError, emit, open_desk, progress
from fanguai_desk.store.atomic import atomic_write_bytes

MAX_READ = 2 * 1024**3


def _read(path: str) -> bytes:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_READ:
            raise CliError("文件过大，不是有效的数据交换包。", "The file is too large to be a bundle.")
        return p.read_bytes()
    except OSError:
        raise CliError("无法读取文件。", "Cannot read the file.") from None


def cmd_export(args: argparse.Namespace) -> None:
    from fanguai_desk.services.exchange import ExchangeService

    desk = open_desk(args)
    try:
        def write(bundle: bytes) -> None:
            try:
                atomic_write_bytes(Path(args.out), bundle)
            except OSError:
                raise CliError("无法写入导出文件（磁盘已满或只读？），未记录本次导出。",
                               "Cannot write the bundle (disk full or read-only?); the export was not recorded.") \
                    from None

        with progress(args, "导出中", "Exporting"):
            out = ExchangeService(desk).export(_read(args.to), victim_ids=args.victim or None,
                                               statistics_only=args.stats_only, year=args.year, write=write,
                                               include_attachments=args.attachments)
        emit(args, {"bundle_id": out.bundle_id, "sequence": out.sequence, "counts": out.counts,
                    "tombstones": out.tombstones, "kind": out.kind, "bytes": len(out.bundle)},
             lambda: [f"已导出第 {out.sequence} 号数据包（{'仅统计' if out.kind == 'statistics' else '档案记录'}）："
                      f"{sum(out.counts.values())} 条记录，{out.tombstones} 条删除标记 → {args.out}"])
    finally:
        desk.close()


def cmd_import(args: argparse.Namespace) -> None:
    from fanguai_desk.services.exchange import ExchangeService

    desk = open_desk(args)
    try:
        with progress(args, "导入中", "Importing"):
            result = ExchangeService(desk).import_bundle(Path(args.bundle), accept_gap=args.accept_gap,
                                                         dry_run=args.dry_run)
        r = result.report
        chain_warning = {
            "rewritten": "警告：该乡镇电脑的审计日志与上次导入时不一致（已被改写），请核查该电脑。",
            "truncated": "警告：该乡镇电脑的审计日志比上次导入时更短（已被删减），请核查该电脑。",
            "unverifiable": "注意：无法核对该乡镇电脑的审计日志与上次导入时是否一致。",
            "missing": "警告：数据包没有携带审计日志链头。",
        }.get(result.audit_chain)
        emit(args, {"preview": result.preview, "report": r, "dry_run": result.dry_run,
                    "audit_chain": result.audit_chain}, lambda: [
            ("【试运行，未写入】" if result.dry_run else "已导入") +
            f"第 {result.preview.sequence} 号数据包：新增 {sum(r.added.values())}，更新 {sum(r.updated.values())}，"
            f"未变 {sum(r.unchanged.values())}，删除 {r.deleted}",
            f"冲突字段 {r.conflicts} 个（请在“数据交换 → 冲突”中逐项处理），疑似重复档案 {r.duplicates} 对",
        ] + ([f"注意：此前有 {result.preview.gap} 个数据包未导入。"] if result.preview.gap else [])
                                + ([chain_warning] if chain_warning else []))
    finally:
        desk.close()


def cmd_conflicts(args: argparse.Namespace) -> None:
    from fanguai_desk.services.exchange import ExchangeService

    desk = open_desk(args)
    try:
        svc = ExchangeService(desk)
        if args.resolve:
            svc.resolve_conflict(args.resolve, args.keep)
            emit(args, {"ok": True}, lambda: ["已处理。"])
            return
        rows = svc.conflicts()
        emit(args, rows, lambda: [f"{c.id}  {c.record_type}:{c.record_id[:8]}  字段 {c.field}" for c in rows]
             or ["（无冲突）"])
    finally:
        desk.close()


def cmd_duplicates(args: argparse.Namespace) -> None:
    from fanguai_desk.services.exchange import ExchangeService

    desk = open_desk(args)
    try:
        svc = ExchangeService(desk)
        if args.review:
            svc.review_duplicate(args.review, args.decision)
            emit(args, {"ok": True}, lambda: ["已处理。"])
            return
        rows = svc.duplicates()
        emit(args, rows, lambda: [f"{d.id}  {d.victim_id[:8]} ~ {d.other_victim_id[:8]}  "
                                  f"{'身份证号相同' if d.reason == 'same_id_number' else '姓名、出生日期、性别相同'}"
                                  for d in rows] or ["（无疑似重复）"])
    finally:
        desk.close()


def register(sub: Any) -> None:
    e = sub.add_parser("export", help="导出加密签名数据包")
    e.add_argument("--to", required=True, help="督导（县民政局）的加密证书文件")
    e.add_argument("--out", required=True)
    e.add_argument("--stats-only", action="store_true", help="仅导出去标识化统计（无姓名、无证件号、无文字记录）")
    e.add_argument("--year", type=int)
    e.add_argument("--victim", action="append", help="只导出指定档案（可重复）")
    e.add_argument("--attachments", action="store_true", help="同时导出这些档案的附件（扫描件、照片）")
    e.set_defaults(func=cmd_export)

    i = sub.add_parser("import", help="导入数据包（先验证，全部成功才写入）")
    i.add_argument("bundle")
    i.add_argument("--dry-run", action="store_true", help="只验证并报告，不写入")
    i.add_argument("--accept-gap", action="store_true", help="缺少此前的数据包时仍然导入")
    i.set_defaults(func=cmd_import)

    c = sub.add_parser("conflicts", help="合并冲突")
    c.add_argument("--resolve", metavar="CONFLICT_ID")
    c.add_argument("--keep", choices=["local", "incoming"], default="local")
    c.set_defaults(func=cmd_conflicts)

    d = sub.add_parser("duplicates", help="疑似重复档案")
    d.add_argument("--review", metavar="FLAG_ID")
    d.add_argument("--decision", choices=["dismissed", "confirmed"], default="dismissed")
    d.set_defaults(func=cmd_duplicates)
