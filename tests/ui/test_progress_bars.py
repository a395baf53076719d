"""Long operations show how far they are: the core's stages (fanguai_desk/progress.py) turn the progress
dialog's bar determinate, with the stage's words in Chinese above it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fanguai_desk.ui.pages.exchange import ExchangePage
from fanguai_desk.ui.pages.maintenance import MaintenancePanel
from fanguai_desk.ui.tasks import ProgressDialog
from tests.ui.conftest_features import *  # noqa: F403 (fixtures)
from tests.ui.conftest_features import open_desk


def watch(dialog: ProgressDialog) -> list[tuple[int, int, str]]:
    """What the bar showed: (maximum, value, label) at every change of its value."""
    seen: list[tuple[int, int, str]] = []
    dialog.bar.valueChanged.connect(lambda v: seen.append((dialog.bar.maximum(), v, dialog.label.text())))
    return seen


def assert_determinate(seen: list[tuple[int, int, str]], *words: str) -> None:
    assert seen, "the bar never moved"
    assert all(maximum > 0 for maximum, _v, _l in seen)  # never the pulsing 0..0 bar once a stage is known
    assert any(value == maximum for maximum, value, _l in seen)  # a stage ran to its end
    labels = {label for _m, _v, label in seen}
    for word in words:
        assert word in labels, labels


def test_backup_bar_is_determinate_with_stage_words(harness: Any, desk: Any) -> None:
    h = harness(desk, lambda ctx, nav: MaintenancePanel(ctx))
    panel = h.page
    panel.back_up()
    seen = watch(panel.job_dialog)
    h.until(lambda: panel.last_backup is not None)
    assert_determinate(seen, "正在复制数据库", "正在写入加密备份")


def test_export_and_import_bars_are_determinate(harness: Any, templates: Any, sup_dir: Path, town_a_dir: Path,
                                               tmp_path: Path) -> None:
    cert = tmp_path / "supervisor.crt"
    cert.write_bytes(templates.sup_cert)
    h = harness(open_desk(town_a_dir), lambda ctx, nav: ExchangePage(ctx, nav))
    page = h.page
    page.set_recipient(cert)
    out = tmp_path / "bundle.p7m"
    page.export_to(out)
    seen = watch(page.job_dialog)
    h.until(lambda: page.last_export is not None)
    assert_determinate(seen, "正在收集记录", "正在签名并加密", "正在写入文件")
    h.close()

    h = harness(open_desk(sup_dir), lambda ctx, nav: ExchangePage(ctx, nav))
    page = h.page
    page.preview_file(out)
    h.until(lambda: page.preview is not None)
    page.import_now()
    seen = watch(page.job_dialog)
    h.until(lambda: page.last_import is not None)
    assert_determinate(seen, "正在解密并核对签名", "正在合并记录", "正在保存")
