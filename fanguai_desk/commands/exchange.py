"""``export`` / ``import`` and the review of conflicts and duplicates."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fanguai_desk.commands.common import CliError, emit, fmt, open_desk, stage_progress
from fanguai_desk.commands.lang import t
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
    desk = open_desk(args)
    try:
        with stage_progress(args, "导出中", "Exporting") as report:
            try:
                # the service writes the file itself: a large export becomes a bundle set (the list in --out,
                # the parts beside it), one part in memory at a time
                out = desk.exchange.export(_read(args.to), victim_ids=args.victim or None,
                                           statistics_only=args.stats_only, year=args.year, out=Path(args.out),
                                           include_attachments=args.attachments, catch_up=args.catch_up,
                                           resend=args.resend, progress=report)
            except OSError:
                raise CliError("无法写入导出文件（磁盘已满或只读？），未记录本次导出。",
                               "Cannot write the bundle (disk full or read-only?); the export was not recorded.") \
                    from None
        changes = t(f"，变更 {out.changes_from + 1}–{out.changes_to}", f", changes {out.changes_from + 1}–{out.changes_to}") \
            if out.changes_from is not None and out.changes_to is not None else ""
        emit(args, {"bundle_id": out.bundle_id, "sequence": out.sequence, "counts": out.counts,
                    "tombstones": out.tombstones, "kind": out.kind, "scope": out.scope,
                    "changes_from": out.changes_from, "changes_to": out.changes_to, "bytes": len(out.bundle),
                    "parts": list(out.parts)},
             lambda: [t(f"已导出第 {out.sequence} 号数据包（{'仅统计' if out.kind == 'statistics' else '档案记录'}"
                        f"{changes}）：{sum(out.counts.values())} 条记录，{out.tombstones} 条删除标记 → {args.out}",
                        f"Bundle no. {out.sequence} exported ({'statistics only' if out.kind == 'statistics' else 'records'}"
                        f"{changes}): {sum(out.counts.values())} record(s), {out.tombstones} deletion(s) → {args.out}")]
             + ([t(f"分卷数据包：清单 {args.out} + {len(out.parts)} 个分卷（{out.parts[0]} … {out.parts[-1]}），"
                   "请把这些文件一起交给督导，导入时选择清单文件",
                   f"A bundle set: the list {args.out} + {len(out.parts)} parts ({out.parts[0]} … {out.parts[-1]}); "
                   "hand all of them to the supervisor, who imports the list file")] if out.parts else []))
    finally:
        desk.close()


def _say_disk_need(args: argparse.Namespace, preview: Any) -> None:
    """Before the merge starts: the free disk the import needs, and what the registry's disk has (stderr, so the
    output of ``--json`` stays one document)."""
    import sys

    from fanguai_desk.messages import MESSAGES, fill

    zh, en = MESSAGES["import_disk_need"]
    print(fill(t(zh, en), {"needed_mb": -(-preview.disk_needed // 2**20), "free_mb": preview.disk_free // 2**20}),
          file=sys.stderr, flush=True)


def cmd_import(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        with stage_progress(args, "导入中", "Importing") as report:
            result = desk.exchange.import_bundle(Path(args.bundle), accept_gap=args.accept_gap,
                                                 dry_run=args.dry_run, progress=report,
                                                 before_start=lambda preview: _say_disk_need(args, preview))
        r = result.report
        warning = {
            "rewritten": ("警告：该乡镇电脑的审计日志与上次导入时不一致（已被改写），请核查该电脑。",
                          "Warning: this township laptop's audit log differs from the last import (it was "
                          "rewritten). Check that laptop."),
            "truncated": ("警告：该乡镇电脑的审计日志比上次导入时更短（已被删减），请核查该电脑。",
                          "Warning: this township laptop's audit log is shorter than at the last import (entries "
                          "were removed). Check that laptop."),
            "unverifiable": ("注意：无法核对该乡镇电脑的审计日志与上次导入时是否一致。",
                             "Note: this township laptop's audit log cannot be compared with the last import."),
            "missing": ("警告：数据包没有携带审计日志链头。", "Warning: the bundle carries no audit-log chain head."),
        }.get(result.audit_chain)
        chain_warning = t(*warning) if warning else None
        seq = result.preview.sequence
        emit(args, {"preview": result.preview, "report": r, "dry_run": result.dry_run,
                    "audit_chain": result.audit_chain}, lambda: [
            t(("【试运行，未写入】" if result.dry_run else "已导入") +
              f"第 {seq} 号数据包：新增 {sum(r.added.values())}，更新 {sum(r.updated.values())}，"
              f"未变 {sum(r.unchanged.values())}，删除 {r.deleted}",
              ("[dry run, nothing written] Bundle" if result.dry_run else "Imported bundle") +
              f" no. {seq}: added {sum(r.added.values())}, updated {sum(r.updated.values())}, "
              f"unchanged {sum(r.unchanged.values())}, deleted {r.deleted}"),
            t(f"冲突字段 {r.conflicts} 个（请在“数据交换 → 冲突”中逐项处理），疑似重复档案 {r.duplicates} 对",
              f"{r.conflicts} conflicting field(s) (review each under “Exchange → Conflicts”), "
              f"{r.duplicates} possible duplicate pair(s)"),
        ] + ([t(f"注意：此前有 {result.preview.gap} 个数据包未导入。",
                f"Note: {result.preview.gap} earlier bundle(s) were never imported.")] if result.preview.gap else [])
                                + ([chain_warning] if chain_warning else []))
    finally:
        desk.close()


def cmd_conflicts(args: argparse.Namespace) -> None:
    from fanguai_desk.services.audit_view import FIELDS, RECORDS

    desk = open_desk(args)
    try:
        svc = desk.exchange
        if args.resolve:
            svc.resolve_conflict(args.resolve, args.keep)
            emit(args, {"ok": True}, lambda: [t("已处理。", "Done.")])
            return
        rows = svc.conflicts()
        emit(args, rows, lambda: [
            f"{c.id}  {_file_text(c.file) if c.file else (c.record_label or '—')}  {_words(RECORDS, c.record_type)}"
            f"·{_words(FIELDS, c.field)}：" + t(f"本机 {_value(c.local_value)}，传入 {_value(c.incoming_value)}（来自 "
                                                f"{_laptop_text(c.laptop)}）",
                                                f"here {_value(c.local_value)}, incoming {_value(c.incoming_value)} (from "
                                                f"{_laptop_text(c.laptop)})")
            for c in rows] or [t("（无冲突）", "(no conflicts)")])
    finally:
        desk.close()


def _words(table: dict[str, tuple[str, str]], code: str) -> str:
    return t(*table[code]) if code in table else code


def _laptop_text(laptop: Any) -> str:
    """A laptop by the township it was set up for (services/exchange_views.py), never by its id."""
    if laptop is None:
        return "—"
    if laptop.this_laptop:
        return t("本机", "this laptop")
    if laptop.township is None:
        return t("本机尚不认识的电脑", "a laptop not known here yet")
    return t(f"{laptop.township}的电脑", f"{laptop.township}'s laptop")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return t("是", "yes") if value else t("否", "no")
    return fmt(value)


def _file_text(ref: Any) -> str:
    """档案编号, masked name and township: how a caseworker finds a file."""
    if not ref.file_number:
        return t("（档案已删除）", "(file deleted)")
    head = " ".join(x for x in (ref.file_number, ref.name) if x)
    return f"{head}（{ref.township}）" if ref.township else head


def cmd_duplicates(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        svc = desk.exchange
        if args.review:
            svc.review_duplicate(args.review, args.decision)
            emit(args, {"ok": True}, lambda: [t("已处理。", "Done.")])
            return
        rows = svc.duplicates()
        emit(args, rows, lambda: [f"{d.id}  {_file_text(d.file)} ~ {_file_text(d.other)}  "
                                  + (t("身份证号相同", "same ID number") if d.reason == "same_id_number"
                                     else t("姓名、出生日期、性别相同", "same name, date of birth and sex"))
                                  + t(f"（来自 {_laptop_text(d.laptop)}）", f" (from {_laptop_text(d.laptop)})")
                                  for d in rows] or [t("（无疑似重复）", "(no possible duplicates)")])
    finally:
        desk.close()


def cmd_exchange(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        svc = desk.exchange
        if args.exchange_cmd == "receipt":
            data = svc.receipt()
            try:
                atomic_write_bytes(Path(args.out), data)
            except OSError:
                raise CliError("无法写入回执文件。", "Cannot write the receipt file.") from None
            emit(args, {"out": args.out, "bytes": len(data)},
                 lambda: [t(f"已生成签名回执 → {args.out}（交给各乡镇执行 exchange ack）",
                            f"Signed receipt written → {args.out} (give it to the townships: exchange ack)")])
            return
        if args.exchange_cmd == "ack":
            got = svc.import_receipt(_read(args.receipt))
            emit(args, got, lambda: [t(f"已导入回执：督导确认已收到本机变更 1–{got.acked_through}。",
                                       f"Receipt taken in: the supervisor confirms holding this laptop's changes "
                                       f"1–{got.acked_through}.")])
            return
        st = svc.status()
        emit(args, st, lambda: _status_lines(st, args.details))
    finally:
        desk.close()


def _status_lines(st: Any, details: bool) -> list[str]:
    # a user reads words: the laptop by its township, numbers she can compare; the ids only with --details
    lines = [t(f"本机：最新变更号 {st.journal_head}", f"This laptop: latest change {st.journal_head}")]
    if details:
        lines.append(t(f"  （技术信息：安装编号 {st.installation_id}，纪元 {st.epoch or '-'}）",
                       f"  (technical: installation {st.installation_id}, epoch {st.epoch or '-'})"))
    for p in st.peers:
        to = p.subject or p.recipient[:16]
        lines.append(t(f"发往 {to}：已发出第 1–{p.last_sequence} 号，"
                       f"已写出变更至 {p.sent_through}，督导确认至 {p.acked_through}",
                       f"To {to}: bundles 1–{p.last_sequence} sent, changes written through {p.sent_through}, "
                       f"confirmed by the supervisor through {p.acked_through}")
                     + (t(f"（回执时间 {p.acked_at:%Y-%m-%d}）", f" (receipt of {p.acked_at:%Y-%m-%d})") if p.acked_at
                        else t("（尚无回执）", " (no receipt yet)")))
        lines.append(t(f"  未发出的记录 {p.changed_since_sent} 条；未经确认的记录 {p.changed_since_acked} 条",
                       f"  records not sent: {p.changed_since_sent}; records not confirmed: {p.changed_since_acked}")
                     + (t("（可执行 export --catch-up 补发）", " (export --catch-up sends them)")
                        if p.changed_since_acked else ""))
        if p.unwritten_sequences:
            numbers = ", ".join(map(str, p.unwritten_sequences))
            lines.append(t(f"  未写成文件的编号：{numbers}（其内容会随下一个数据包发出）",
                           f"  numbers never written to a file: {numbers} (their content goes with the next bundle)"))
        lines.append(t(f"  按上次回执核对：督导处缺少 {len(p.missing_at_county)} 条，版本较旧 {len(p.outdated_at_county)} 条，"
                       f"删除未送达 {len(p.deletions_not_at_county)} 条",
                       f"  by the last receipt: {len(p.missing_at_county)} missing at the county, "
                       f"{len(p.outdated_at_county)} older there, {len(p.deletions_not_at_county)} deletion(s) not "
                       "delivered"))
        if not p.digest_complete:
            lines.append(t(f"  差异较多（至少 {p.differences_at_least} 处），回执摘要无法逐条列出：请执行 export --catch-up 补发",
                           f"  many differences (at least {p.differences_at_least}): the receipt's digest cannot list "
                           "them one by one; export --catch-up sends them"))
        if details:
            lines += [t(f"    缺少 {kind}:{rid}", f"    missing {kind}:{rid}") for kind, rid in p.missing_at_county]
            lines += [t(f"    较旧 {kind}:{rid}（本机第 {mine} 版，督导第 {theirs} 版）",
                        f"    older {kind}:{rid} (version {mine} here, {theirs} at the county)")
                      for kind, rid, mine, theirs in p.outdated_at_county]
    for r in st.received:
        numbers = ", ".join(map(str, r.sequences))
        lines.append(t(f"收自{_laptop_text(r.laptop)}：已导入第 {numbers} 号，连续持有变更至 {r.held_through}",
                       f"From {_laptop_text(r.laptop)}: bundles {numbers} imported, "
                       f"changes held without a gap through {r.held_through}"))
        if details:
            lines.append(t(f"  （技术信息：安装编号 {r.installation_id}，纪元 {r.epoch}）",
                           f"  (technical: installation {r.installation_id}, epoch {r.epoch})"))
        for low, high in r.missing_changes:
            lines.append(t(f"  缺少变更 {low + 1}–{high}：请乡镇执行 export --resend <编号> 或 export --catch-up",
                           f"  changes {low + 1}–{high} missing: ask the township for export --resend <number> or "
                           "export --catch-up"))
    for inst, n, last in st.received_v1:
        lines.append(t(f"收自一台旧版程序的电脑（旧格式）：{n} 个数据包，最后第 {last} 号",
                       f"From a laptop with an older program (old format): {n} bundle(s), the last no. {last}")
                     + (t(f"（安装编号 {inst}）", f" (installation {inst})") if details else ""))
    return lines


def register(sub: Any) -> None:
    e = sub.add_parser("export", help="导出加密签名数据包")
    e.add_argument("--to", required=True, help="督导（县民政局）的加密证书文件")
    e.add_argument("--out", required=True)
    e.add_argument("--stats-only", action="store_true", help="仅导出去标识化统计（无姓名、无证件号、无文字记录）")
    e.add_argument("--year", type=int)
    e.add_argument("--victim", action="append", help="只导出指定档案（可重复）")
    e.add_argument("--attachments", action="store_true", help="同时导出这些档案的附件（扫描件、照片）")
    how = e.add_mutually_exclusive_group()
    how.add_argument("--catch-up", action="store_true",
                     help="补发督导回执确认之后的全部变更（无回执时补发全部）")
    how.add_argument("--resend", type=int, metavar="SEQ", help="重新生成第 SEQ 号数据包所含的变更（以新编号发出）")
    e.set_defaults(func=cmd_export)

    x = sub.add_parser("exchange", help="送达情况、签名回执").add_subparsers(dest="exchange_cmd", required=True)
    xs = x.add_parser("status", help="每台电脑/每位督导：已发出、已收到、已确认，以及按回执核对的缺失记录")
    xs.add_argument("--details", action="store_true", help="逐条列出督导处缺少或较旧的记录")
    xr = x.add_parser("receipt", help="督导：生成签名回执（本机持有各乡镇的哪些变更）")
    xr.add_argument("--out", required=True)
    xa = x.add_parser("ack", help="乡镇：导入督导的签名回执")
    xa.add_argument("receipt", help="督导生成的签名回执文件（.p7s）")
    for p in (xs, xr, xa):
        p.set_defaults(func=cmd_exchange)

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
