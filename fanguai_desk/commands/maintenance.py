"""CLI: doctor, backup (+ verify, list, settings), restore, purge, recover, recovery-key.

    fanguai-desk doctor
    fanguai-desk backup [--out F] [--keep N]        # without --out: into the backup folder, keeping the last N
    fanguai-desk backup verify F
    fanguai-desk backup list
    fanguai-desk backup settings [--folder D] [--keep N] [--reminder-days N]
    fanguai-desk restore F --data NEWDIR            # into a new, empty data directory
    fanguai-desk restore F --slots-only             # put back the key slots of the registry in --data
    fanguai-desk purge list
    fanguai-desk purge run ID_OR_FILE_NUMBER… --reason retention_expired [--confirm]
    fanguai-desk recover [--admin LOGIN]            # lost administrator password: asks for the recovery key
    fanguai-desk recovery-key --regenerate          # a new recovery key (the old one stops working)
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from fanguai_desk.commands.common import (
    CliError,
    columns,
    data_dir,
    emit,
    fmt,
    new_password,
    open_desk,
    read_password,
    read_secret_file,
    stage_progress,
    to_jsonable,
)
from fanguai_desk.commands.lang import t
from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.messages import MESSAGES, action_text, fill


def say(code: str, params: dict[str, Any], lang: str) -> str:
    """A message code (doctor checks, purge reasons) in the user's language."""
    zh, en = MESSAGES.get(code, (code, code))
    template = en if lang.startswith("en") else zh
    return fill(template, {"action": action_text(code, params, lang, "cli"), **params})


def plain(data: Any) -> Any:
    """``cli.to_jsonable`` plus paths as strings (reports and results carry file paths)."""
    def conv(x: Any) -> Any:
        if isinstance(x, Path):
            return str(x)
        if isinstance(x, dict):
            return {k: conv(v) for k, v in x.items()}
        if isinstance(x, list):
            return [conv(v) for v in x]
        return x
    return conv(to_jsonable(data))


def _user(args: argparse.Namespace) -> str | None:
    return args.user or os.environ.get("FANGUAI_USER") or None


MARK = {"ok": "✓", "warn": "!", "fail": "✗"}


# ----------------------------------------------------------------------------- doctor


def cmd_doctor(args: argparse.Namespace) -> None:
    from fanguai_desk.store import doctor
    from fanguai_desk.store.keyslots import KeySlotStore
    from fanguai_desk.store.registry import Registry

    directory = data_dir(args)
    if not Registry.exists(directory):
        Registry.check_openable(directory)
    if getattr(args, "accept_older", False):
        # Go on with an older registry.db on purpose: audited, a new delivery epoch (store/audit_head.py).
        from fanguai_desk.services.desk import Desk

        Desk.unlock(directory, _user(args), read_password(args), accept_older=True).close()
    if getattr(args, "repair", False):  # recompute the maintained state (administrators), then the report
        desk = open_desk(args)
        try:
            files = desk.maintenance.repair_state()
        finally:
            desk.close()
        print(say("doctor_state_repaired", {"files": files}, args.lang), file=sys.stderr)
    _checks, slots = doctor.slot_checks(directory)
    secrets = KeySlotStore(directory).unlock(_user(args), read_password(args)) if slots is not None else None
    report = doctor.check_registry(directory, secrets)
    title = say(report.title, {}, args.lang)
    emit(args, plain(report), lambda: [f"{title}  ({directory})"] + [
        f"  {MARK[c.status.value]} {say(c.message, c.params, args.lang)}" for c in report.checks])
    if not report.ok:
        raise RegistryError("doctor_found_problems")


# ----------------------------------------------------------------------------- backup


def cmd_backup(args: argparse.Namespace) -> None:
    from fanguai_desk.services import maintenance

    sub = getattr(args, "backup_cmd", None)
    if sub == "verify":
        checked = maintenance.verify(Path(args.file), _user(args), read_password(args))
        m = checked.manifest
        emit(args, plain(checked), lambda: [
            t(f"备份文件：{checked.path}", f"Backup file: {checked.path}"),
            t(f"创建时间（UTC）：{m.created_at:%Y-%m-%d %H:%M:%S}   结构版本：{m.schema_revision}   档案数：{checked.files}",
              f"Made (UTC): {m.created_at:%Y-%m-%d %H:%M:%S}   schema: {m.schema_revision}   files: {checked.files}")] + [
            f"  {MARK[c.status.value]} {say(c.message, c.params, args.lang)}" for c in checked.checks] + [
            t("备份完好，可用于恢复。", "The backup is sound and can be restored.") if checked.ok
            else t("备份已损坏，不能用于恢复。", "The backup is damaged and cannot be restored.")])
        if not checked.ok:
            raise RegistryError("backup_damaged", file=str(checked.path), member="registry.db")
        return
    desk = open_desk(args)
    try:
        service = desk.maintenance
        if sub == "list":
            status = service.backup_status()
            files = service.list_backups()
            emit(args, plain({"status": status, "files": [str(f) for f in files]}), lambda: [
                t(f"备份文件夹：{status.folder}（保留最近 {status.keep} 份）",
                  f"Backup folder: {status.folder} (the last {status.keep} are kept)"),
                t(f"上次备份：{fmt(status.last_backup_at)}", f"Last backup: {fmt(status.last_backup_at)}")
                + (t(f"（{status.days_since} 天前）", f" ({status.days_since} days ago)") if status.days_since
                   is not None else "")] + [f"  {f.name}" for f in files])
        elif sub == "settings":
            service.set_backup_settings(folder=Path(args.folder) if args.folder else None, keep=args.keep,
                                        reminder_days=args.reminder_days)
            emit(args, {"ok": True}, lambda: [t("备份设置已保存。", "Backup settings saved.")])
        else:
            with stage_progress(args, "备份中", "Backing up") as report:
                result = service.backup(Path(args.out) if args.out else None, keep=args.keep, progress=report)
            emit(args, plain(result), lambda: [
                t(f"已备份到：{result.path}", f"Backed up to: {result.path}"),
                t(f"大小 {result.size / 1048576:.1f} MB，用时 {result.seconds:.1f} 秒",
                  f"Size {result.size / 1048576:.1f} MB, took {result.seconds:.1f} s")] + (
                [t(f"已按保留份数删除较早的备份 {len(result.removed)} 份。",
                   f"{len(result.removed)} older backup(s) removed to keep the set number.")] if result.removed
                else []) + [
                t("备份已加密，用登记库的密码即可打开。请把它另存到U盘等其他介质上。",
                  "The backup is encrypted and opens with the registry's passwords. Keep a copy on other media, "
                  "such as a USB stick.")])
    finally:
        desk.close()


# ----------------------------------------------------------------------------- restore


def cmd_restore(args: argparse.Namespace) -> None:
    from fanguai_desk.services import maintenance

    target = data_dir(args)
    if args.slots_only:
        manifest = maintenance.restore_slots(Path(args.file), target, _user(args), read_password(args))
        emit(args, plain(manifest), lambda: [
            t(f"已用备份（{manifest.created_at:%Y-%m-%d %H:%M} UTC）中的密钥文件恢复了 {target} 的密钥文件。",
              f"The key file of {target} was put back from the backup of {manifest.created_at:%Y-%m-%d %H:%M} UTC."),
            t("此后新增用户或修改过的密码需由管理员重新设置（fanguai-desk doctor 会列出没有密钥的用户）。",
              "Users added and passwords changed since then must be set again by an administrator "
              "(fanguai-desk doctor lists users without a key).")])
        return
    if not args.data:
        raise CliError("请用 --data 指定一个新的空目录作为恢复目标。", "Give --data: a new, empty folder to restore into.")
    password = read_password(args)
    with stage_progress(args, "恢复中", "Restoring") as report:
        result = maintenance.restore(Path(args.file), target, _user(args), password, progress=report)
    emit(args, plain(result), lambda: [
        t(f"已恢复到：{result.data_dir}", f"Restored to: {result.data_dir}"),
        t(f"备份创建时间（UTC）：{result.manifest.created_at:%Y-%m-%d %H:%M:%S}；之后的更改不在其中。",
          f"The backup was made {result.manifest.created_at:%Y-%m-%d %H:%M:%S} UTC; later changes are not in it.")])


# ----------------------------------------------------------------------------- purge


def cmd_purge(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        purge = desk.purge
        due = purge.due()
        if args.purge_cmd == "list":
            emit(args, plain(due), lambda: columns(
                [(d.file_number, d.display_name, d.township, t("结案 ", "closed ") + fmt(d.closed_on),
                  t("保存至 ", "kept until ") + fmt(d.retention_until)) for d in due])
                 or [t("（没有到期的档案）", "(no files due)")])
            return
        by_number = {d.file_number: d.id for d in due}
        ids = [by_number.get(x, x) for x in args.files]
        if not args.confirm:
            emit(args, {"would_purge": ids, "confirmed": False}, lambda: [
                t(f"将永久删除 {len(ids)} 份档案及其全部记录（不可恢复）。确认请加 --confirm。",
                  f"This deletes {len(ids)} file(s) and everything recorded in them for good (no undo). "
                  "Add --confirm to do it.")])
            return
        with stage_progress(args, "删除中", "Purging") as report:
            result = purge.purge(ids, args.reason, confirm_clock=args.confirm_clock, progress=report)
        emit(args, plain(result), lambda: [
            t(f"已永久删除 {len(result.files)} 份档案（共 {result.records} 条记录，另删除修改历史 {result.history_rows} 条"
              + (f"，无档案的案件 {result.cases} 件" if result.cases else "") + "）。",
              f"{len(result.files)} file(s) deleted for good ({result.records} record(s), and "
              f"{result.history_rows} history row(s)"
              + (f", {result.cases} case(s) left without files" if result.cases else "") + ")."),
            t("已保留不含个人信息的删除标记，下次导出时会通知县级。",
              "Deletion marks without personal data are kept; the next export tells the county.")] + (
            [] if result.wal_cleared else [t("注意：日志文件暂未清空（另一窗口正在读取），请稍后运行 fanguai-desk doctor。",
                                             "Note: the log file is not cleared yet (another window is reading); "
                                             "run fanguai-desk doctor later.")])
            + [t("此前制作的备份中仍有这些档案，会随备份轮换删除。",
                 "Backups made earlier still hold these files until they are rotated out.")])
    finally:
        desk.close()


# ----------------------------------------------------------------------------- recovery


def _recovery_key(args: argparse.Namespace) -> str:
    if args.recovery_key_file:
        return read_secret_file(args.recovery_key_file)
    if os.environ.get("FANGUAI_RECOVERY_KEY"):
        return os.environ["FANGUAI_RECOVERY_KEY"]
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(t("恢复密钥: ", "Recovery key: "))
    raise CliError("需要恢复密钥：请设置 FANGUAI_RECOVERY_KEY 或使用 --recovery-key-file。",
                   "The recovery key is needed: set FANGUAI_RECOVERY_KEY or use --recovery-key-file.")


def _new_key_lines(key: str) -> list[str]:
    return [t(f"新的恢复密钥：{key}", f"New recovery key: {key}"),
            t("原恢复密钥已作废。请立即抄写或打印新的恢复密钥，密封保管，不要存放在本电脑上。",
              "The old recovery key no longer works. Write down or print the new one now, seal it, and do not keep "
              "it on this computer.")]


def cmd_recover(args: argparse.Namespace) -> None:
    from fanguai_desk.services import maintenance

    key = _recovery_key(args)
    result = maintenance.recover(data_dir(args), key, new_password(args), admin_login=args.admin)
    emit(args, plain(result), lambda: [t(f"已为管理员 {result.login} 设置新密码。",
                                         f"New password set for administrator {result.login}."),
                                       *_new_key_lines(result.recovery_key),
                                       t("该管理员的数字证书需重新申领。",
                                         "This administrator must enrol for new certificates.")])


def cmd_recovery_key(args: argparse.Namespace) -> None:
    if not args.regenerate:
        raise CliError("恢复密钥只在生成时显示一次，无法查看。要生成新的恢复密钥，请加 --regenerate。",
                       "The recovery key is shown only when made. Use --regenerate to make a new one.")
    desk = open_desk(args)
    try:
        key = desk.maintenance.regenerate_recovery_key()
        emit(args, {"recovery_key": key}, lambda: _new_key_lines(key))
    finally:
        desk.close()


# ----------------------------------------------------------------------------- parser


def register(sub: Any) -> None:
    from fanguai_desk.domain.enums import PurgeReason

    dr = sub.add_parser("doctor", help="体检：检查登记库的完整性、审计日志、密钥和备份")
    dr.add_argument("--accept-older", action="store_true",
                    help="确认继续使用比本机记录更旧的数据库副本（记入审计日志，交换编号另起新纪元）")
    dr.add_argument("--repair", action="store_true",
                    help="先重新计算维护状态（工作台统计所用的字段，管理员）")
    dr.set_defaults(func=cmd_doctor)

    b = sub.add_parser("backup", help="加密备份（不加子命令即立即备份）")
    b.add_argument("--out", help="备份文件（默认：备份文件夹中按时间命名，并按保留份数轮换）")
    b.add_argument("--keep", type=int, help="备份文件夹中保留最近几份")
    b.set_defaults(func=cmd_backup, backup_cmd=None)
    bs = b.add_subparsers(dest="backup_cmd")
    bv = bs.add_parser("verify", help="检查备份文件（不恢复）")
    bv.add_argument("file")
    bs.add_parser("list", help="备份文件夹中的备份")
    st = bs.add_parser("settings", help="备份文件夹、保留份数、提醒天数（管理员）")
    st.add_argument("--folder")
    st.add_argument("--keep", type=int)
    st.add_argument("--reminder-days", type=int)
    for q in bs.choices.values():
        q.set_defaults(func=cmd_backup)

    r = sub.add_parser("restore", help="从备份恢复到新的数据目录")
    r.add_argument("file")
    r.add_argument("--data", default=argparse.SUPPRESS, help="恢复目标：新的空目录")
    r.add_argument("--slots-only", action="store_true", help="只恢复密钥文件（密钥文件及其副本均已损坏时）")
    r.set_defaults(func=cmd_restore)

    p = sub.add_parser("purge", help="到期档案的永久删除（管理员）").add_subparsers(dest="purge_cmd", required=True)
    p.add_parser("list", help="保存期限已到的档案")
    pr = p.add_parser("run", help="永久删除")
    pr.add_argument("files", nargs="+", metavar="ID_OR_FILE_NUMBER")
    pr.add_argument("--reason", required=True, choices=[x.value for x in PurgeReason],
                    help="依据（个人信息保护法第四十七条）")
    pr.add_argument("--confirm", action="store_true", help="确认永久删除（不加则只显示将删除的内容）")
    pr.add_argument("--confirm-clock", action="store_true",
                    help="本机时钟比上次使用晚一天以上时，确认时钟无误后才能删除")
    for q in p.choices.values():
        q.set_defaults(func=cmd_purge)

    rc = sub.add_parser("recover", help="管理员密码丢失：用恢复密钥重新设置密码")
    rc.add_argument("--admin", help="要重设密码的管理员用户名（有多位管理员时）")
    rc.add_argument("--recovery-key-file")
    rc.add_argument("--new-password-file")
    rc.set_defaults(func=cmd_recover)

    rk = sub.add_parser("recovery-key", help="生成新的恢复密钥（管理员）")
    rk.add_argument("--regenerate", action="store_true")
    rk.set_defaults(func=cmd_recovery_key)
