"""Shared set-up of the CLI tests: a fresh registry made with ``init`` through ``main(argv)``, and helpers that
run a command and read its JSON or its error line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fanguai_desk.cli import main
from tests.conftest import ADMIN_PASSWORD


@pytest.fixture
def reg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new registry (青龙镇, administrator "admin"), its password in ``FANGUAI_PASSWORD``."""
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    data = tmp_path / "reg"
    assert main(["--data", str(data), "init", "--admin", "admin", "--township", "青龙镇"]) == 0
    return data


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    """Run ``--json`` *argv*; it must succeed; its output parsed."""
    capsys.readouterr()
    assert main(["--json", *argv]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def run_fail(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run *argv*; it must fail with exit code 1; its error output."""
    capsys.readouterr()
    assert main(list(argv)) == 1
    return capsys.readouterr().err
