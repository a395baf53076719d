"""The CLI in the chosen language: argparse's own words, help on every option, --json errors, columns."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from fanguai_desk.cli import build_parser, main
from fanguai_desk.commands.common import columns
from fanguai_desk.commands.lang import set_language

HAN = re.compile(r"[\u4e00-\u9fff]")


def _options(parser: argparse.ArgumentParser, path: str = ""):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _options(child, f"{path} {name}".strip())
        else:
            yield path, action


def test_every_option_of_every_command_has_help() -> None:
    set_language("zh_CN")
    missing = [(path, a.option_strings or a.dest) for path, a in _options(build_parser()) if not a.help]
    assert not missing


def test_help_and_usage_errors_are_chinese_by_default_and_english_with_lang_en(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["victim", "list", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "显示本帮助并退出" in out and "只列未成年人" in out and "usage:" not in out
    with pytest.raises(SystemExit):
        main(["victim", "list", "--help", "--lang", "en"])
    out = capsys.readouterr().out
    assert out.startswith("usage:") and "minors only" in out and not HAN.search(out)
    with pytest.raises(SystemExit) as exc:
        main(["victim", "list", "--status", "nonsense"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "错误" in err and "无效的选项" in err and "invalid choice" not in err


def test_json_errors_are_json_objects_with_the_code(reg: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["victim", "show", "no-such-id", "--data", str(reg), "--json"]) == 1
    err = json.loads(capsys.readouterr().err)
    assert err["error"]["code"] == "victim_not_found" and err["error"]["exit"] == 1 and err["error"]["message"]
    with pytest.raises(SystemExit):
        main(["victim", "list", "--bogus", "--json"])
    usage = json.loads(capsys.readouterr().err)
    assert usage["error"]["code"] == "usage"


def test_normal_output_follows_lang(reg: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["--data", str(reg), "victim", "add", "--name", "王小红", "--sex", "F", "--birth-date", "2012/3/5"]) == 0
    assert "已建档" in capsys.readouterr().out
    assert main(["--data", str(reg), "--lang", "en", "dashboard"]) == 0
    out = capsys.readouterr().out
    assert "Workbench" in out and not HAN.search(out)
    assert main(["--data", str(reg), "audit", "list", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "created file" in out and "signed in" in out


def test_columns_line_up_by_display_width() -> None:
    lines = columns([("5101-2026-0001", "王*红", "青龙镇"), ("5101-2026-0002", "Li*", "白马乡")])
    third = [line.index("青龙镇") for line in lines[:1]] + [line.index("白马乡") for line in lines[1:]]
    assert cell_len(lines[0][:third[0]]) == cell_len(lines[1][:third[1]])
