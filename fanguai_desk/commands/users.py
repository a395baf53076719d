"""``user``: accounts and passwords."""

from __future__ import annotations

import argparse
import os
from typing import Any

from fanguai_desk.commands.common import columns, emit, fmt, new_password, open_desk, read_password
from fanguai_desk.commands.lang import t
from fanguai_desk.domain.enums import Role


def cmd_user(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        if args.user_cmd == "add":
            uid = desk.users.add(args.login, new_password(args), Role(args.role), args.township, args.name)
            emit(args, {"id": uid}, lambda: [t(f"已添加用户 {args.login}", f"User {args.login} added")])
        elif args.user_cmd == "passwd":
            if args.login and args.login != desk.actor.login:
                desk.users.reset_password(args.login, new_password(args))
            else:
                desk.users.change_own_password(read_password(args, "FANGUAI_OLD_PASSWORD", "当前密码: ")
                                               if os.environ.get("FANGUAI_OLD_PASSWORD") else read_password(args),
                                               new_password(args))
            emit(args, {"ok": True}, lambda: [t("密码已更改。", "Password changed.")])
        elif args.user_cmd == "remove":
            desk.users.remove(args.login)
            emit(args, {"ok": True}, lambda: [t(f"已停用用户 {args.login}", f"User {args.login} deactivated")])
        else:
            rows = desk.users.list()
            emit(args, rows, lambda: columns([(r.login, fmt(r.role), r.township or "—",
                                               t("启用", "active") if r.active else t("停用", "inactive"))
                                              for r in rows]))
    finally:
        desk.close()


def register(sub: Any) -> None:
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
    ur = u.add_parser("remove")
    ur.add_argument("login")
    u.add_parser("list")
    for q in (ua, up, ur):
        q.set_defaults(func=cmd_user)
    u.choices["list"].set_defaults(func=cmd_user)
