"""Screenshots of the main screens at 1366×768 (the common township laptop), for looking at them.

    QT_QPA_PLATFORM=offscreen python -m fanguai_desk.ui.screenshots /tmp/shots [--lang zh_CN|en]

Builds a throw-away registry of synthetic people in a temporary folder, opens the real windows offscreen
and saves ``QWidget.grab()`` of each screen as PNG.  To prove the shipped font is the one rendering
Chinese, run it with no system fonts at all: ``FONTCONFIG_FILE=<a fonts.conf without <dir>>``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from fanguai_desk.i18n_build import lrelease_command
from fanguai_desk.services.demo import DemoSpec
from fanguai_desk.services.desk import Desk
from fanguai_desk.ui.app import StartWindow, create_application
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.i18n import set_current_language
from fanguai_desk.ui.main_window import MainWindow
from fanguai_desk.ui.pages.victims import VictimsPage
from fanguai_desk.ui.resources import i18n_dir, load_translators, resources_dir
from fanguai_desk.ui.tasks import TaskManager
from fanguai_desk.ui.unlock import UnlockPanel, desk_unlock_job
from fanguai_desk.ui.wizard import FirstRunWizard

SIZE = (1366, 768)
PASSWORD = "Screenshot-2026!key"


def settle(app: QApplication, done: Callable[[], bool] = lambda: True, seconds: float = 0.4,
           limit: float = 20) -> None:
    """Process events until ``done()`` (at most ``limit`` seconds), then ``seconds`` longer (layouts, delayed
    refreshes)."""
    deadline = time.monotonic() + limit
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def shoot(app: QApplication, widget: QWidget, path: Path, idle: Callable[[], bool] = lambda: True) -> None:
    settle(app, idle)
    widget.grab().save(str(path))
    print(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, nargs="?", default=Path("/tmp/shots"))
    parser.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    parser.add_argument("--victims", type=int, default=300)
    parser.add_argument("--manual", action="store_true",
                        help="also copy the screens the offline manual shows into resources/manual/images/")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    set_current_language(args.lang)
    app = create_application()
    print("application font:", app.font().family())
    with tempfile.TemporaryDirectory(prefix="fanguai-shots-") as tmp:
        work = Path(tmp)
        for ts in i18n_dir().glob("*.ts"):
            subprocess.run([*lrelease_command(), str(ts), "-qm", str(work / ts.with_suffix(".qm").name)],
                           check=True, capture_output=True)
        translators = load_translators(app, args.lang, work)
        prefix = "" if args.lang == "zh_CN" else "en_"

        tasks = TaskManager()
        wizard = FirstRunWizard(work / "empty", tasks)
        wizard.resize(*SIZE)
        wizard.show()
        shoot(app, wizard, args.out / f"{prefix}wizard_welcome.png")
        wizard.stack.setCurrentIndex(1)
        wizard.county_name.setText("示例县")
        wizard.township.setText("青龙镇")
        wizard.admin_name.setText("王主任")
        wizard.password.setText("Qinglong2026")
        shoot(app, wizard, args.out / f"{prefix}wizard_create.png")
        wizard.close()

        data_dir = work / "registry"
        desk = Desk.create(data_dir, admin_login="admin", admin_password=PASSWORD, township_name="青龙镇",
                           admin_display_name="演示管理员", county_name="示例县")
        desk.demo.run(DemoSpec(victims=args.victims, townships=3, seed=2026))

        panel = UnlockPanel(desk_unlock_job(tasks, data_dir), lock_mode=False)
        start = StartWindow(panel)
        start.resize(*SIZE)
        start.show()
        panel.prepare(login=None, subtitle=str(data_dir))
        panel.login_edit.setText("admin")
        shoot(app, start, args.out / f"{prefix}sign_in.png")
        start.close()

        ctx = AppContext(data_dir)
        ctx.sign_in(desk)
        window = MainWindow(ctx)
        window.resize(*SIZE)
        window.show()
        idle = ctx.tasks.is_idle
        shoot(app, window, args.out / f"{prefix}dashboard.png", idle)
        window.navigate("victims")
        shoot(app, window, args.out / f"{prefix}victim_list.png", idle)
        victims = window.pages["victims"]
        assert isinstance(victims, VictimsPage)
        row = next(r for r in (victims.list.model.row(i) for i in range(victims.list.model.rowCount()))
                   if r.status.value == "open" and r.identity_status.value == "known")
        window.open_file(row.id)
        view = victims.file_views()[0]
        shoot(app, window, args.out / f"{prefix}file_profile.png", lambda: view.loaded_once and idle())
        for tab in ("followups", "services", "legal_aid", "placement", "audit"):
            view.show_tab(tab)
            shoot(app, window, args.out / f"{prefix}file_{tab}.png", idle)
        # A file's whole life (issue 13): the close dialog with the open obligations, the transfer dialog's two
        # ways, the closed file; the "nobody forgotten" list the workbench cards open.
        # the close dialog of a file that still has something open (a planned visit, a service, a referral)
        busy = next((r.id for r in (victims.list.model.row(i) for i in range(victims.list.model.rowCount()))
                     if r.status.value == "open" and desk.lifecycle.obligations(r.id).total > 1), row.id)
        window.open_file(busy)
        view = next(v for v in victims.file_views() if v.victim_id == busy)
        settle(app, lambda: view.loaded_once and idle())
        view.open_close_dialog()
        close_dialog = view.dialog
        assert close_dialog is not None
        shoot(app, close_dialog, args.out / f"{prefix}close_dialog.png",
              lambda: getattr(close_dialog, "obligations", None) is not None and idle())
        close_dialog.reject()
        view.open_transfer_dialog()
        transfer = view.dialog
        assert transfer is not None
        shoot(app, transfer, args.out / f"{prefix}transfer_dialog.png", idle)
        transfer.modes.setCurrentIndex(1)  # type: ignore[attr-defined]
        transfer.destination.setText("外县某镇民政办")  # type: ignore[attr-defined]
        shoot(app, transfer, args.out / f"{prefix}transfer_dialog_out.png", idle)
        transfer.reject()
        for key in ("files_without_plan", "turning_16"):
            window.navigate("attention", list=key)
            shoot(app, window, args.out / f"{prefix}page_attention_{key}.png", idle)
        for key in ("followups", "legal_aid", "placements", "cases", "settings", "reports", "exchange", "audit"):
            window.navigate(key)
            shoot(app, window, args.out / f"{prefix}page_{key}.png", idle)
        from fanguai_desk.ui.help import open_help

        manual = open_help(window)
        manual.resize(*SIZE)
        shoot(app, manual, args.out / f"{prefix}help.png")
        manual.close()
        window.lock()
        shoot(app, window, args.out / f"{prefix}lock_screen.png", idle)
        ctx.shutdown()
        window.close()
        del translators
    if args.manual and args.lang == "zh_CN":
        images = resources_dir() / "manual" / "images"
        images.mkdir(parents=True, exist_ok=True)
        for name in MANUAL_IMAGES:
            (images / name).write_bytes((args.out / name).read_bytes())
            print("manual:", images / name)
    return 0


#: The screens the offline manual (resources/manual/index.html) shows; ``--manual`` refreshes them.
MANUAL_IMAGES = ("sign_in.png", "dashboard.png", "victim_list.png", "file_profile.png", "file_followups.png",
                 "file_legal_aid.png", "file_placement.png", "page_reports.png", "page_exchange.png",
                 "page_settings.png")


if __name__ == "__main__":
    sys.exit(main())
