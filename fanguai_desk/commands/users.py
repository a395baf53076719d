"""``user``: accounts and passwords."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fanguai_desk.commands.common import columns, emit, fmt, new_password, open_desk, read_password
from fanguai_desk.commands.lang import t
from fanguai_desk.domain.enums import Role

if TYPE_CHECKING:
    from fanguai_desk.store.rekey import Progress, RekeyOutcome


def cmd_user(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        if args.user_cmd == "rekey":
            report_rekey(args, run_rekey(args, lambda stage: desk.users.rekey(progress=stage)))
        elif args.user_cmd == "add":
            uid = desk.users.add(args.login, new_password(args), Role(args.role), args.township, args.name)
            emit(args, {"id": uid}, lambda: [t(f"已添加用户 {args.login}", f"User {args.login} added")])
        elif args.user_cmd == "passwd":
            if args.login and args.login != desk.actor.login:
                password = new_password(args)
                outcome = run_rekey(args, lambda stage: desk.users.reset_password(
                    args.login, password, compromised=args.compromised, progress=stage))
                if not args.json:
                    print(t("密码已更改。", "Password changed."))
                report_rekey(args, outcome)
            else:
                desk.users.change_own_password(read_password(args, "FANGUAI_OLD_PASSWORD", "当前密码: ")
                                               if os.environ.get("FANGUAI_OLD_PASSWORD") else read_password(args),
                                               new_password(args))
                emit(args, {"ok": True}, lambda: [t("密码已更改。", "Password changed.")])
        elif args.user_cmd == "remove":
            outcome = run_rekey(args, lambda stage: desk.users.remove(args.login, progress=stage))
            if not args.json:
                print(t(f"已停用用户 {args.login}", f"User {args.login} deactivated"))
            report_rekey(args, outcome)
        else:
            rows = desk.users.list()
            emit(args, rows, lambda: columns([(r.login, fmt(r.role), r.township or "—",
                                               t("启用", "active") if r.active else t("停用", "inactive"))
                                              for r in rows]))
    finally:
        desk.close()


STAGES = {"seal": ("为每位用户封装新密钥", "sealing the new key to every user"),
          "checkpoint": ("整理数据库日志", "checkpointing the database log"),
          "encrypt": ("用新密钥重新加密数据库", "re-encrypting the database under the new key"),
          "commit": ("写入新的密钥槽", "committing the new key slots")}


def run_rekey(args: argparse.Namespace, action: Callable[[Progress], RekeyOutcome | None]) -> RekeyOutcome | None:
    """Run a re-keying action, telling the user each stage on stderr (never with --json)."""
    started = time.monotonic()

    def stage(name: str) -> None:
        if not args.json:
            zh, en = STAGES.get(name, (name, name))
            print(f"[{time.monotonic() - started:5.1f} s] " + t(zh, en), file=sys.stderr, flush=True)

    return action(stage)


def report_rekey(args: argparse.Namespace, outcome: RekeyOutcome | None) -> None:
    if outcome is None:
        emit(args, {"ok": True, "rekeyed": False}, lambda: [])
        return
    unsealed = list(outcome.unsealed_logins)
    data = {"ok": True, "rekeyed": True, "epoch": outcome.epoch, "recovery_key": outcome.recovery_key,
            "needs_password_reset": unsealed}

    def lines() -> list[str]:
        out = [t(f"数据库已换用新密钥（第 {outcome.epoch} 代）：旧的密钥文件和备份只能打开它们自己的旧副本。",
                 f"The database now has a new key (generation {outcome.epoch}): old key files and backups open "
                 "only their own old copy.")]
        if unsealed:
            out.append(t("以下用户从未在密钥轮换功能启用后登录，无法获得新密钥，需要管理员重置密码：",
                         "These users have not signed in since key rotation existed and could not get the new "
                         "key; an administrator must reset their password:") + " " + ", ".join(unsealed))
        if outcome.recovery_key:
            out.append(t("新的恢复密钥（只显示这一次，请打印并妥善保管；旧的恢复密钥已失效）：",
                         "New recovery key (shown only this once: print it and keep it safe; the old one no "
                         "longer works):"))
            out.append(f"    {outcome.recovery_key}")
        return out

    emit(args, data, lines)


def register(sub: Any) -> None:
    rk = sub.add_parser("rekey", help="用新的随机密钥重新加密数据库（管理员；移除用户后自动进行）")
    rk.set_defaults(func=cmd_user, user_cmd="rekey")
    u = sub.add_parser("user", help="用户管理").add_subparsers(dest="user_cmd", required=True)
    ua = u.add_parser("add")
    ua.add_argument("login")
    ua.add_argument("--role", required=True, choices=[r.value for r in Role])
    ua.add_argument("--township")
    ua.add_argument("--name")
    ua.add_argument("--new-password-file")
    up = u.add_parser("passwd")
    up.add_argument("login", nargs="?")
    up.add_argument("--new-password-file")
    up.add_argument("--compromised", action="store_true",
                    help="怀疑密码泄露：重置后用新密钥重新加密数据库 (re-key after a suspected compromise)")
    ur = u.add_parser("remove")
    ur.add_argument("login")
    u.add_parser("list")
    for q in (ua, up, ur):
        q.set_defaults(func=cmd_user)
    u.choices["list"].set_defaults(func=cmd_user)
