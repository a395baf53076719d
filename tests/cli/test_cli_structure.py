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
