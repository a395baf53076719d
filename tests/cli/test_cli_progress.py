"""The CLI's progress bar: on a terminal it shows the core's stages (fanguai_desk/progress.py) on stderr —
fixed words and counts, never a name; piped or with ``--json`` there is none.  A real pseudo-terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from fanguai_desk.services.desk import Desk
from tests.conftest import ADMIN_PASSWORD, CHEAP

ROOT = Path(__file__).resolve().parents[2]
NAME = "进度条测试人"


def run_on_terminal(*argv: str, env: dict[str, str]) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal (stdout piped); returns (exit, stdout, terminal text)."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "fanguai_desk", *argv], stdout=subprocess.PIPE,
                                stderr=slave, stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other end closed
                break
            if not data:
                break
            chunks.append(data)
        out = proc.stdout.read().decode() if proc.stdout else ""
        code = proc.wait(timeout=120)
    finally:
        os.close(master)
    return code, out, b"".join(chunks).decode("utf-8", "replace")


def test_backup_shows_its_stages_on_a_terminal_and_nothing_with_json(tmp_path: Path) -> None:
    data = tmp_path / "reg"
    desk = Desk.create(data, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇", kdf=CHEAP)
    desk.victims.register({"name": NAME, "sex": "F", "birth_date": "2012-03-04"})
    desk.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FANGUAI_PASSWORD": ADMIN_PASSWORD, "COLUMNS": "120"}

    code, out, terminal = run_on_terminal("--data", str(data), "backup", "--out", str(tmp_path / "a.fgbak"), env=env)
    assert code == 0, terminal
    assert "备份中" in terminal and "正在写入加密备份" in terminal, terminal
    assert "已备份到" in out and "备份中" not in out  # the bar never reaches stdout
    assert NAME not in terminal

    code, out, terminal = run_on_terminal("--data", str(data), "backup", "--out", str(tmp_path / "b.fgbak"),
                                          "--lang", "en", env=env)
    assert code == 0 and "Backing up" in terminal and "Writing the encrypted backup" in terminal, terminal

    code, out, terminal = run_on_terminal("--data", str(data), "--json", "backup", "--out", str(tmp_path / "c.fgbak"),
                                          env=env)
    assert code == 0 and '"path"' in out
    assert "备份中" not in terminal and "正在" not in terminal, terminal


def test_demo_shows_its_bar_on_a_terminal_and_nothing_with_json(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120"}
    code, out, terminal = run_on_terminal("--data", str(tmp_path / "demo"), "demo", "--victims", "20", "--townships",
                                          "1", "--no-users", "--password-for-demo", env=env)
    assert code == 0, terminal
    assert "生成演示数据" in terminal and "生成演示数据" not in out, terminal
    code, out, terminal = run_on_terminal("--data", str(tmp_path / "demo2"), "--json", "demo", "--victims", "20",
                                          "--townships", "1", "--no-users", "--password-for-demo", env=env)
    assert code == 0 and out.lstrip().startswith("{") and "生成演示数据" not in terminal, terminal


def test_purge_shows_its_stages_on_a_terminal_and_never_a_name(tmp_path: Path) -> None:
    from tests.helpers import files_due_for_purge

    data = tmp_path / "reg"
    desk = Desk.create(data, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇", kdf=CHEAP)
    ids = files_due_for_purge(desk, [f"{NAME}{n}" for n in range(2)])
    desk.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FANGUAI_PASSWORD": ADMIN_PASSWORD, "COLUMNS": "120"}

    code, out, terminal = run_on_terminal("--data", str(data), "purge", "run", ids[0], "--reason",
                                          "retention_expired", "--confirm", env=env)
    assert code == 0, terminal
    # The bar redraws a few times a second, so a fast stage may never be drawn; the last one always is.
    assert "删除中" in terminal and "正在清除残留数据" in terminal and "100%" in terminal, terminal
    assert "已永久删除 1 份档案" in out and "删除中" not in out  # the bar never reaches stdout
    assert NAME not in terminal

    code, out, terminal = run_on_terminal("--data", str(data), "--json", "purge", "run", ids[1], "--reason",
                                          "retention_expired", "--confirm", env=env)
    assert code == 0 and out.lstrip().startswith("{"), terminal
    assert "删除中" not in terminal and "正在" not in terminal, terminal
