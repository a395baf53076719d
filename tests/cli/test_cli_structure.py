"""The CLI's one structure: every command group a ``commands/`` module, global options anywhere."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from fanguai_desk import cli
from fanguai_desk.cli import build_parser, main


def _leaf_functions(parser: argparse.ArgumentParser) -> list[str]:
    found = []
    func = parser._defaults.get("func")
    if func is not None:
        found.append(func.__module__)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += _leaf_functions(child)
    return found


def test_every_command_group_is_a_module_of_commands() -> None:
    modules = set(_leaf_functions(build_parser()))
    assert modules and all(m.startswith("fanguai_desk.commands.") for m in modules), modules
    assert {m.rsplit(".", 1)[1] for m in modules} <= set(cli.COMMAND_MODULES) | set(cli.DEV_COMMAND_MODULES)


def test_a_missing_command_module_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, "no_such_group"))
    with pytest.raises(ModuleNotFoundError):
        build_parser()


def test_global_options_are_accepted_after_the_subcommand(reg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["victim", "add", "--alias", "小花", "--data", str(reg), "--json"]) == 0
    added = json.loads(capsys.readouterr().out)
    assert main(["victim", "list", "--data", str(reg), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [added["id"]]
    # Before the subcommand still works, and a value given first is not reset by the subcommand's default.
    assert main(["--json", "--data", str(reg), "victim", "list"]) == 0
    assert json.loads(capsys.readouterr().out) == rows
    assert main(["--lang", "en", "--data", str(reg), "victim", "show", "no-such-id"]) == 1
    assert "not found" in capsys.readouterr().err
    assert main(["--data", str(reg), "victim", "show", "no-such-id", "--lang", "en"]) == 1
    assert "not found" in capsys.readouterr().err


def test_chinese_local_time_does_not_pass_chinese_through_strftime() -> None:
    # Windows' C runtime rejects "%Y年…" in strftime (ValueError: Invalid format string; seen under Wine).
    from datetime import UTC, datetime

    from fanguai_desk.commands.common import zh_local_time

    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    local = moment.astimezone()
    assert zh_local_time(moment) == f"{local.year}年{local.month:02d}月{local.day:02d}日 {local.hour:02d}:{local.minute:02d}"
    assert zh_local_time(moment, seconds=True).endswith(f":{local.minute:02d}:05")


def test_every_group_listed_is_a_file_of_commands_and_every_commands_module_with_groups_is_listed() -> None:
    """No group defined in cli.py or elsewhere, none left out of the list (it would silently vanish)."""
    import ast
    import typing

    import fanguai_desk.commands as commands_pkg
    from fanguai_desk.commands import common

    folder = Path(commands_pkg.__file__).parent
    with_groups = {f.stem for f in folder.glob("*.py")
                   if any(isinstance(n, ast.FunctionDef) and n.name == "register"
                          for n in ast.parse(f.read_text(encoding="utf-8")).body)}
    listed = set(cli.COMMAND_MODULES) | set(cli.DEV_COMMAND_MODULES)
    assert with_groups == listed
    assert all((folder / f"{name}.py").is_file() for name in listed)
    cli_source = Path(cli.__file__).read_text(encoding="utf-8")
    assert "add_parser(" not in cli_source and cli_source.count("add_subparsers(") == 1
    from fanguai_desk.services.desk import Desk

    hints = typing.get_type_hints(common.open_desk, localns={"Desk": Desk})  # Desk: a TYPE_CHECKING import
    assert hints == {"args": argparse.Namespace, "return": Desk}


def test_a_broken_command_module_fails_loudly_even_a_developer_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a developer tool's absence is tolerated (the packaged app leaves it out); an import error inside
    one is raised, not swallowed."""
    import importlib

    real = importlib.import_module

    def broken(name: str, package: str | None = None) -> object:
        if name == "fanguai_desk.commands.bench":
            raise ImportError("a dependency of bench is missing")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(ImportError):
        build_parser()
    monkeypatch.setattr(cli, "DEV_COMMAND_MODULES", ("no_such_dev_tool",))
    monkeypatch.setattr(importlib, "import_module", real)
    parser = build_parser()  # an absent developer tool: its commands are simply not there
    assert "no_such_dev_tool" not in parser.format_help()


def test_an_option_named_after_a_field_takes_the_fields_words_from_the_one_table() -> None:
    """``--rescue-unit`` and the audit sentence's "解救单位" are one entry (domain/labels.FIELD_WORDS), in both
    languages; the CLI's own table keeps only wording that differs."""
    from fanguai_desk.commands.lang import OPTION_HELP, default_help, english_help
    from fanguai_desk.domain.labels import FIELD_WORDS
    from fanguai_desk.services.audit_view import FIELDS

    assert FIELDS is FIELD_WORDS
    assert not [d for d, words in OPTION_HELP.items() if FIELD_WORDS.get(d) == words]  # no second copy
    for dest in ("rescue_unit", "alias", "estimated_birth_year", "responsible_unit"):
        zh, en = FIELD_WORDS[dest]
        assert default_help(dest) == zh and english_help(zh) == en

    def helps(parser: argparse.ArgumentParser) -> list[tuple[str, str | None]]:
        found = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    found += helps(child)
            else:
                found.append((action.dest, action.help))
        return found

    shown = helps(build_parser())
    assert ("rescue_unit", "解救单位") in shown and ("alias", "化名") in shown
