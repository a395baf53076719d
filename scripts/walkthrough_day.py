"""A caseworker's day on a real X server, as a user goes through it: screenshots of each step to OUT.

    fanguai-desk --data /tmp/demo demo --victims 2000 --password-for-demo     # the README's demo registry
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" \
        python scripts/walkthrough_day.py /tmp/demo /tmp/shots

Signs in by typing into the sign-in window, then: the workbench, the file list (scrolled to load more, then
searched by pinyin), a file, a visit planned with a typed date, a visit recorded with typed values, reports,
exchange, audit, settings (users, certificates, maintenance).  Screens are grabbed from the X server itself.
Prints the page sizes Qt asks for (the main window must fit a 1366×768 screen).  Synthetic people only.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from walkthrough_common import Shooter, settle, zh_application

from fanguai_desk.ui.app import AppController

OUT = Path(sys.argv[2])
DATA = Path(sys.argv[1])

app, translators = zh_application()
shoot = Shooter(app, OUT)


controller = AppController(app, DATA)
controller.start()
settle(app, lambda: controller.start_window is not None and controller.start_window.isVisible())
start = controller.start_window
panel = start.panel
QTest.keyClicks(panel.login_edit, "admin")
QTest.keyClicks(panel.password_edit, os.environ.get("PW", "demo-password-2026"))
shoot(start, "01_sign_in.png")
QTest.mouseClick(panel.button, Qt.MouseButton.LeftButton)
settle(app, lambda: getattr(controller, "window", None) is not None and controller.window.isVisible(), limit=120)
window = controller.window
idle = controller.ctx.tasks.is_idle
settle(app, idle)
print("window", window.size(), window.minimumSizeHint(), window.minimumSize(), flush=True)
def report(tag):
    print(tag, "window min hint", window.minimumSizeHint(), flush=True)
    for k, p in window.pages.items():
        print("  page", k, p.minimumSizeHint(), flush=True)
report("start")
shoot(window, "02_dashboard.png", idle)
window.navigate("victims")
victims = window.pages["victims"]
shoot(window, "03_victims.png", idle)
table = victims.list.table if hasattr(victims.list, "table") else None
if table is not None:
    for _ in range(6):
        table.scrollToBottom()
        settle(app, idle, 0.3)
    print("rows loaded after scrolling:", victims.list.model.rowCount(), flush=True)
    shoot(window, "03b_victims_scrolled.png", idle)
    table.scrollToTop()
QTest.keyClicks(victims.list.search, "wang")
shoot(window, "04_victims_search.png", idle)
model = victims.list.model
row = next(model.row(i) for i in range(model.rowCount()) if model.row(i).status.value == "open")
window.open_file(row.id)
view = victims.file_views()[0]
shoot(window, "05_file.png", lambda: view.loaded_once and idle())
view.show_tab("followups")
tab = view.tab("followups")
shoot(window, "06_followups.png", idle)
if tab is not None:
    tab.plan_date.line.clear()
    QTest.keyClicks(tab.plan_date.line, "2027/3/15")
    QTest.keyClick(tab.plan_date.line, Qt.Key.Key_Tab)
    shoot(window, "07_followup_typed_date.png", idle)
    QTest.mouseClick(tab.plan_button, Qt.MouseButton.LeftButton)
    settle(app, lambda: tab.banner.text() != "" and idle())
    print("plan banner:", tab.banner.kind(), tab.banner.text(), flush=True)
    shoot(window, "07b_followup_planned.png", idle)
    ed = tab.form.editor("actual_date")
    ed.line.clear()
    ed.line.insert("2026年11月28日")  # typed through the input method (QTest types ASCII only)
    QTest.keyClick(ed.line, Qt.Key.Key_Tab)
    method = tab.form.editor("method")
    method.setCurrentIndex(1)
    tab.form.editor("visitors").insert("演示管理员、村妇女主任")
    tab.form.editor("needs").insertPlainText("希望参加缝纫培训")
    shoot(window, "07c_followup_form.png", idle)
    QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    settle(app, lambda: tab.banner.text() != "" and idle())
    print("record banner:", tab.banner.kind(), tab.banner.text(), flush=True)
    shoot(window, "07d_followup_recorded.png", idle)
for key in ("reports", "exchange", "audit", "settings"):
    window.navigate(key)
    shoot(window, f"08_{key}.png", idle)
settings = window.pages["settings"]
settings.tabs.setCurrentIndex(1)
shoot(window, "09_settings_certificates.png", idle)
settings.tabs.setCurrentIndex(2)
shoot(window, "10_settings_maintenance.png", idle)
report("end")
controller.shutdown()
window.close()
