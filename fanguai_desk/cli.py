"""Command line front end: the same services the desktop app uses.

Password: ``FANGUAI_PASSWORD``, ``--password-file F`` or a prompt.  User: ``--user`` / ``FANGUAI_USER``;
without one, the password is tried against every key slot.  ``--json`` gives machine-readable output.
Every error a user can cause ends with exit code 1 and one line in Chinese (``--lang en`` for English),
never a traceback.

Structure: this module only builds the parser and runs a command.  Every command group is a module in
``fanguai_desk/commands/`` exposing ``register(subparsers)``; shared helpers are in ``commands/common.py``.
The global options (``--data``, ``--user``, ``--json`` …) are accepted before or after the subcommand.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from fanguai_desk.commands.common import (  # re-exported: command modules of other features import them here
    DEMO_PASSWORD,
    CliError,
    data_dir,
    emit,
    flags_to_dict,
    fmt,
    load_json,
    new_password,
    open_desk,
    read_password,
    read_secret_file,
    to_jsonable,
)
from fanguai_desk.commands.lang import (
    DeskHelpFormatter,
    default_help,
    install_argparse_translation,
    language_from_argv,
    set_language,
    translated_description,
)
from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.messages import render

__all__ = ["COMMAND_MODULES", "DEMO_PASSWORD", "DEV_COMMAND_MODULES", "CliError", "build_parser", "data_dir", "emit", "flags_to_dict",
           "fmt", "load_json", "main", "new_password", "open_desk", "read_password", "read_secret_file",
           "to_jsonable"]

#: Every command group, in the order ``--help`` lists them.  A module named here must exist: a missing or
#: broken one is a packaging bug and fails loudly instead of silently dropping its commands.
COMMAND_MODULES = ("registry", "users", "cases", "victims", "lifecycle", "assistance", "followups", "referrals",
                   "consents", "placements", "attachments", "ledger", "audit", "dashboard", "worklists", "pki",
                   "reports", "exchange", "transfer", "maintenance")
#: Developer tools the packaged app leaves out on purpose (packaging/fanguai-desk.spec excludes them): present
#: in a source checkout, absent from the bundle.  Only their *absence* is tolerated; a broken one still fails.
DEV_COMMAND_MODULES = ("bench",)


def add_global_options(p: argparse.ArgumentParser, *, top: bool) -> None:
    """The options every command understands.  On subcommands they default to SUPPRESS so a value given
    before the subcommand is not overwritten by the subcommand's default."""
    def d(value: object) -> object:
        return value if top else argparse.SUPPRESS

    p.add_argument("--data", default=d(None), help="数据目录（默认：用户数据目录）")
    p.add_argument("--user", default=d(None), help="用户名（或环境变量 FANGUAI_USER）")
    p.add_argument("--password-file", default=d(None), help="从文件读取密码")
    p.add_argument("--json", action="store_true", default=d(False), help="JSON 输出")
    p.add_argument("--read-only", action="store_true", default=d(False),
                   help="只读打开：不写入任何内容（登记库在另一窗口中打开时也可查看）")
    p.add_argument("--lang", default=d(os.environ.get("FANGUAI_LANG", "zh_CN")), choices=["zh_CN", "en"],
                   help="界面语言")


class DeskArgumentParser(argparse.ArgumentParser):
    """Every subparser (at any depth) also accepts the global options; a subcommand may redefine one of
    them (``restore --data``), its own definition wins."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        top = kwargs.pop("top", False)
        if not top:
            kwargs.setdefault("conflict_handler", "resolve")
        kwargs.setdefault("formatter_class", DeskHelpFormatter)
        if isinstance(kwargs.get("description"), str):
            kwargs["description"] = translated_description(str(kwargs["description"]))
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        add_global_options(self, top=bool(top))

    def error(self, message: str) -> NoReturn:
        """Usage errors in the chosen language; with ``--json`` as a JSON object on stderr too."""
        if _json_requested["on"]:
            print(json.dumps({"error": {"code": "usage", "message": message, "exit": 2}}, ensure_ascii=False),
                  file=sys.stderr)
            raise SystemExit(2)
        super().error(message)


_json_requested = {"on": False}


def fill_missing_help(parser: argparse.ArgumentParser) -> None:
    """A word of explanation for every option a module declared without help (one table, by dest name)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                fill_missing_help(child)
        elif not action.help:
            action.help = default_help(action.dest)


def build_parser(*, commands: bool = True, only: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; ``commands=False`` gives only the global options (``--version`` answers from it
    without importing any command module); ``only`` registers just those command modules."""
    p = DeskArgumentParser(prog="fanguai-desk", description="反拐专门档案登记库（离线、加密）", top=True)
    p.add_argument("--version", action="store_true", help="显示版本")
    if not commands:
        return p
    sub = p.add_subparsers(dest="command")
    for name in COMMAND_MODULES if only is None else only:
        importlib.import_module(f"fanguai_desk.commands.{name}").register(sub)
    if only is not None:
        fill_missing_help(p)
        return p
    for name in DEV_COMMAND_MODULES:
        if importlib.util.find_spec(f"fanguai_desk.commands.{name}") is not None:
            importlib.import_module(f"fanguai_desk.commands.{name}").register(sub)
    fill_missing_help(p)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from fanguai_desk.hardening import harden_process

    harden_process()  # no core dumps holding keys and names (CLI and GUI both start here)
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(language_from_argv(argv))
    install_argparse_translation()
    _json_requested["on"] = "--json" in argv
    if "--version" in argv:  # fast path: the global options alone, no command module imported
        quick, rest = build_parser(commands=False).parse_known_args(argv)
        if quick.version and not rest:
            from fanguai_desk.commands.registry import cmd_version

            return run(cmd_version, quick)
    # The desktop app: only its own command group, so the sign-in window does not wait for every other
    # group's imports (the core, cryptography, the work lists).
    parser = build_parser(only=("registry",)) if _command_of(argv) == "gui" else build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from fanguai_desk.commands.registry import cmd_version

        args.func = cmd_version
    elif not getattr(args, "func", None):
        parser.print_help()
        return 2
    if getattr(args, "willing", None) is not None:
        args.willing = args.willing == "yes"
    return run(args.func, args)


#: Global options that take a value (the word after them is not the command).
_VALUE_OPTIONS = ("--data", "--user", "--password-file", "--lang")


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand's name: the first word that is neither an option nor a global option's value."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def run(func: Callable[[argparse.Namespace], object], args: argparse.Namespace) -> int:
    """Run one command; every error a user can cause becomes one line and exit code 1."""
    as_json = bool(getattr(args, "json", False))

    def fail(code: str, message: str, status: int) -> int:
        if as_json:
            print(json.dumps({"error": {"code": code, "message": message, "exit": status}}, ensure_ascii=False),
                  file=sys.stderr)
        else:
            print(message, file=sys.stderr)
        return status

    try:
        func(args)
        return 0
    except FanguaiError as exc:
        return fail(exc.code, render(exc, args.lang), 1)
    except CliError as exc:
        return fail(exc.code, exc.en if args.lang == "en" else exc.zh, 1)
    except Exception as exc:
        # A bug, not the user's doing.  The exception text may quote data (a SQL error, a path), so only
        # its type is shown; FANGUAI_DEBUG=1 shows the traceback to a developer on synthetic data.
        if os.environ.get("FANGUAI_DEBUG"):
            raise
        return fail("internal_error", ("内部错误（{}）。请联系技术支持；未保存任何部分结果。" if args.lang != "en" else
                                       "Internal error ({}). Contact support; nothing partial was saved.")
                    .format(type(exc).__name__), 3)
    except KeyboardInterrupt:
        return fail("cancelled", "已取消。" if args.lang != "en" else "Cancelled.", 130)


if __name__ == "__main__":
    raise SystemExit(main())
