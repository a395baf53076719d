"""The CLI's progress bar for export, import and restore (issue 15): on a terminal the core's stages show on
stderr, never a name; with ``--json`` there is none.  A real pseudo-terminal, the exchange test laptops."""

from __future__ import annotations

import os
from pathlib import Path

from tests.cli.test_cli_progress import ROOT, run_on_terminal
from tests.conftest import ADMIN_PASSWORD
from tests.exchange.conftest import Templates


def test_export_import_and_restore_show_progress_on_a_terminal_only(templates: Templates, sup: Path, town: Path,
                                                                      tmp_path: Path) -> None:
    cert = tmp_path / "sup.crt"
    cert.write_bytes(templates.sup_cert)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FANGUAI_PASSWORD": ADMIN_PASSWORD, "COLUMNS": "120"}
    user = ("--user", "admin")

    code, out, terminal = run_on_terminal(*user, "--data", str(town), "export", "--to", str(cert),
                                          "--out", str(tmp_path / "1.p7m"), env=env)
    assert code == 0, terminal
    assert "导出中" in terminal and "导出中" not in out, terminal
    code, out, terminal = run_on_terminal(*user, "--data", str(sup), "import", str(tmp_path / "1.p7m"), env=env)
    assert code == 0, terminal
    assert "导入中" in terminal and "导入中" not in out, terminal

    code, out, terminal = run_on_terminal(*user, "--data", str(town), "--json", "export", "--to", str(cert),
                                          "--out", str(tmp_path / "2.p7m"), env=env)
    assert code == 0 and out.lstrip().startswith("{") and "导出中" not in terminal, terminal

    code, out, terminal = run_on_terminal(*user, "--data", str(town), "backup", "--out", str(tmp_path / "t.fgbak"),
                                          env=env)
    assert code == 0, terminal
    code, out, terminal = run_on_terminal(*user, "restore", str(tmp_path / "t.fgbak"), "--data",
                                          str(tmp_path / "restored"), env=env)
    assert code == 0, terminal
    assert "恢复中" in terminal and "恢复中" not in out, terminal
