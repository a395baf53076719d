"""What every CLI command module shares: output, credentials, the error type and the language.

Each command group lives in its own module beside this one and exposes ``register(subparsers)``;
``fanguai_desk.cli`` lists them and builds one parser.  Helpers here are deliberately small and import
nothing heavy (no SQLAlchemy, no pyHanko) so ``--version`` and ``--help`` stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fanguai_desk.commands.lang import current, english, t
from fanguai_desk.domain.labels import label, label_en
from fanguai_desk.store.clock import local_time as local_time_of

if TYPE_CHECKING:
    from fanguai_desk.services.desk import Desk

DEMO_PASSWORD = "demo-password-2026"
Handler = Callable[[argparse.Namespace], Any]


class CliError(Exception):
    """A usage problem found by the CLI itself (missing password, unreadable JSON file)."""

    def __init__(self, zh: str, en: str, code: str = "cli_error") -> None:
        super().__init__(en)
        self.zh, self.en, self.code = zh, en, code


# ----------------------------------------------------------------------------- output


def to_jsonable(obj: Any) -> Any:
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k.value if isinstance(k, Enum) else k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, tuple) and hasattr(obj, "_asdict"):  # a named tuple (list rows): keyed, like a dataclass
        return {k: to_jsonable(v) for k, v in obj._asdict().items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(x) for x in obj]
    if hasattr(obj, "__table__"):  # an ORM row
        return {c.key: to_jsonable(getattr(obj, c.key)) for c in obj.__table__.columns}
    return obj


def emit(args: argparse.Namespace, data: Any, lines: Callable[[], Sequence[str]]) -> None:
    if args.json:
        print(json.dumps(to_jsonable(data), ensure_ascii=False, indent=1))
    else:
        for line in lines():
            print(line)


def zh_local_time(moment: datetime, *, seconds: bool = False) -> str:
    """``2026年01月02日 03:04`` in local time.  Not ``strftime("%Y年…")``: on Windows the C runtime's strftime
    rejects a format with characters outside the C locale ("ValueError: Invalid format string", found by
    packaging/smoke_test_windows.sh), so only the digits go through formatting."""
    m = local_time_of(moment)
    return f"{m.year:04d}年{m.month:02d}月{m.day:02d}日 {m.hour:02d}:{m.minute:02d}" + (f":{m.second:02d}" if seconds else "")


def local_time(moment: datetime, *, seconds: bool = False) -> str:
    """A moment in local time in the chosen language: ``2026年01月02日 03:04``, or ``2026-01-02 03:04``."""
    if not english():
        return zh_local_time(moment, seconds=seconds)
    m = local_time_of(moment)
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d} {m.hour:02d}:{m.minute:02d}" + (f":{m.second:02d}" if seconds else "")


def fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Enum):
        try:
            return label_en(value) if english() else label(value)  # type: ignore[arg-type]
        except (KeyError, TypeError):
            return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def columns(rows: Sequence[Sequence[Any]], *, right: Sequence[int] = ()) -> list[str]:
    """Rows as aligned text columns by *display width* (a Chinese character takes two cells), so a table
    of names and townships lines up in a terminal."""
    from rich.cells import cell_len

    cells = [[c if isinstance(c, str) else fmt(c) for c in row] for row in rows]
    if not cells:
        return []
    widths = [max(cell_len(r[i]) for r in cells) for i in range(len(cells[0]))]
    out = []
    for r in cells:
        parts = []
        for i, c in enumerate(r):
            pad = " " * (widths[i] - cell_len(c))
            parts.append(pad + c if i in right else c + pad)
        out.append("  ".join(parts).rstrip())
    return out


@contextlib.contextmanager
def progress(args: argparse.Namespace, zh: str, en: str, total: int | None = None
             ) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr for a step that can take long — only on a terminal and never with --json
    (a pipe or a script gets clean output).  Yields ``update(done, total=None)``; with no total known the
    bar pulses and shows the elapsed time.  rich is imported only when a bar is shown."""
    if getattr(args, "json", False) or sys.stderr is None or not sys.stderr.isatty():
        yield lambda done, new_total=None: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(t(zh, en), total=total)

        def update(done: int, new_total: int | None = None) -> None:
            bar.update(task, completed=done, total=new_total if new_total is not None else total)

        yield update


@contextlib.contextmanager
def stage_progress(args: argparse.Namespace, zh: str, en: str) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr fed by a core operation's ``progress(stage, done, total)``
    (fanguai_desk/progress.py): the stage's words (messages.py) beside the bar.  Only on a terminal, never
    with --json; the stages carry counts only, never personal data."""
    if getattr(args, "json", False) or sys.stderr is None or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    from fanguai_desk.messages import stage_text

    with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        title = t(zh, en)
        task = bar.add_task(title, total=None)

        def update(stage: str, done: int, total: int) -> None:
            bar.update(task, description=f"{title} · {stage_text(stage, current())}", completed=done,
                       total=total or None)

        yield update


# ----------------------------------------------------------------------------- credentials


def read_password(args: argparse.Namespace, env: str = "FANGUAI_PASSWORD", prompt: str = "密码: ") -> str:
    if os.environ.get(env):
        return os.environ[env]
    if getattr(args, "password_file", None) and env == "FANGUAI_PASSWORD":
        return read_secret_file(args.password_file)
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise CliError(f"需要密码：请设置环境变量 {env}、使用 --password-file，或在终端中运行以输入密码。",
                   f"A password is needed: set {env}, use --password-file, or run in a terminal.")


def read_secret_file(path: str) -> str:
    try:
        return Path(path).read_text("utf-8").rstrip("\r\n")
    except OSError:
        raise CliError("无法读取密码文件。", "Cannot read the password file.") from None


def new_password(args: argparse.Namespace) -> str:
    if getattr(args, "new_password_file", None):
        return read_secret_file(args.new_password_file)
    if os.environ.get("FANGUAI_NEW_PASSWORD"):
        return os.environ["FANGUAI_NEW_PASSWORD"]
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass("新密码: ")
        if getpass.getpass("再次输入新密码: ") != first:
            raise CliError("两次输入的密码不一致。", "The passwords do not match.")
        return first
    raise CliError("需要新密码：请设置 FANGUAI_NEW_PASSWORD 或使用 --new-password-file。",
                   "A new password is needed: set FANGUAI_NEW_PASSWORD or use --new-password-file.")


def data_dir(args: argparse.Namespace) -> Path:
    from fanguai_desk.store.presence import default_data_dir  # light: no database layer for `gui`

    return Path(args.data).expanduser() if args.data else default_data_dir()


def open_desk(args: argparse.Namespace) -> Desk:
    from fanguai_desk.messages import render
    from fanguai_desk.services.desk import Desk, clock_warning, disk_full_warning, rollback_warning

    desk = Desk.unlock(data_dir(args), args.user or os.environ.get("FANGUAI_USER") or None, read_password(args),
                       readonly=bool(getattr(args, "read_only", False)))
    for warning in (disk_full_warning(desk.registry), rollback_warning(desk.registry),
                    clock_warning(desk.clock_check)):
        if warning is not None and sys.stderr is not None:
            print(render(warning, current()), file=sys.stderr)  # stderr: --json output on stdout stays clean
    return desk


def load_json(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except OSError:
        raise CliError("无法读取 JSON 文件。", "Cannot read the JSON file.") from None
    except ValueError:
        raise CliError("JSON 文件格式错误。", "The JSON file is not valid JSON.") from None
    if not isinstance(data, dict):
        raise CliError("JSON 文件应为一个对象 {…}。", "The JSON file must hold one object {…}.")
    return data


def flags_to_dict(args: argparse.Namespace, names: Sequence[str]) -> dict[str, Any]:
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}

