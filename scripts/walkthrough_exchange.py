"""The county supervisor's review on a real X server: conflicts, possible duplicates, import history, a gap.

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" python scripts/walkthrough_exchange.py /tmp/shots

Builds a county laptop (with the county CA) and two township laptops in /tmp/fanguai-walkthrough-exchange (cheap key derivation,
synthetic people), makes a file changed on both sides, the same person filed by two townships and a lost
bundle, then opens the county's 数据交换 page and grabs each review tab from the screen.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from walkthrough_common import Shooter, zh_application

from fanguai_desk.domain.enums import FileStatus, Installation
from fanguai_desk.services.demo import DemoSpec
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.victims import VictimQuery
from fanguai_desk.store.models import Victim
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.main_window import MainWindow
from fanguai_desk.ui.tasks import TaskManager
from tests.conftest import ADMIN_PASSWORD, CHEAP

OUT = Path(sys.argv[1])
ROOT = Path("/tmp/fanguai-walkthrough-exchange")
shutil.rmtree(ROOT, ignore_errors=True)
ROOT.mkdir()
OUT.mkdir(parents=True, exist_ok=True)
CA_PW = "county-ca-password-1"
codes = {"县民政局": "510100", "青龙镇": "510101", "白马镇": "510102"}


def create(name, township):
    kind = Installation.COUNTY if name == "sup" else Installation.TOWNSHIP  # the county's laptop and two townships'
    return Desk.create(ROOT / name, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name=township,
                       township_code=codes[township], admin_display_name=f"{township}管理员", kdf=CHEAP,
                       installation=kind)


def unlock(name):
    return Desk.unlock(ROOT / name, "admin", ADMIN_PASSWORD)


sup = create("sup", "县民政局")
sp = sup.pki
sp.ca_init("示例县民政局数字证书中心", "示例县民政局", CA_PW)
sp.install(sp.ca_issue(sp.enrol("李督导"), CA_PW))
sup_cert = sp.export_encryption_certificate()
for name, town in (("town_a", "青龙镇"), ("town_b", "白马镇")):
    d = create(name, town)
    p = d.pki
    p.install(sp.ca_issue(p.enrol(f"{town}社工"), CA_PW))
    if name == "town_a":
        d.demo.run(DemoSpec(victims=60, townships=1, seed=21))
    d.close()
sup.close()


def export(name):
    d = unlock(name)
    try:
        return d.exchange.export(sup_cert).bundle
    finally:
        d.close()


def import_(data):
    d = unlock("sup")
    try:
        d.exchange.import_bundle(data)
    finally:
        d.close()


import_(export("town_a"))
a = unlock("town_a")
rows = [r for r in a.victims.list_rows(VictimQuery(status=FileStatus.OPEN), limit=50)
        if r.display_name and not r.display_name.startswith("*")]
vid = rows[0].id
a.victims.edit(vid, {"name": "李晓红", "ethnicity": "彝族", "attention_flag": True, "attention_message": "请先电话联系"})
a.followups.plan(rows[1].id, "2027-01-10")
with a.read() as s:
    v = s.get(Victim, rows[2].id)
    name, number, sex = v.name, v.id_number, v.sex.value  # the same person filed again at 白马镇
a.close()
s = unlock("sup")
s.victims.edit(vid, {"name": "李小红", "ethnicity": "藏族", "attention_flag": True, "attention_message": "县里已联系"})
s.close()
import_(export("town_a"))
b = unlock("town_b")
b.victims.register({"name": name, "id_number": number, "sex": sex})
b.close()
import_(export("town_b"))
# a bundle whose predecessor is lost: the gap warning
a = unlock("town_a")
a.victims.edit(rows[4].id, {"ethnicity": "苗族"})
a.close()
lost = export("town_a")
a = unlock("town_a")
a.victims.edit(rows[3].id, {"ethnicity": "回族"})
a.close()
(ROOT / "next.p7m").write_bytes(export("town_a"))
del lost


app, translators = zh_application()
shoot = Shooter(app, OUT, seconds=0.6)
ctx = AppContext(ROOT / "sup", TaskManager())
ctx.sign_in(unlock("sup"))
window = MainWindow(ctx)
window.resize(1366, 740)
window.show()
idle = ctx.tasks.is_idle
window.navigate("exchange")
page = window.pages["exchange"]
shoot.settle(idle)
page.tabs.setCurrentWidget(page.conflicts_tab)
page.conflict_table.selectRow(0)
shoot(window, "ex_conflicts.png", idle)
page.tabs.setCurrentWidget(page.duplicates_tab)
shoot(window, "ex_duplicates.png", idle)
page.tabs.setCurrentWidget(page.history_tab)
page.history_table.selectRow(0)
shoot(window, "ex_history.png", idle)
page.tabs.setCurrentWidget(page.import_tab)
page.preview_file(ROOT / "next.p7m")
shoot.settle(lambda: page.preview is not None and idle())
shoot(window, "ex_preview_gap.png", idle)
page.import_now()
shoot.settle(lambda: page.banner.kind() == "warning" and idle())
shoot(window, "ex_gap_warning.png", idle)
# the county writes its receipt for the townships (送达与回执), then the township takes it in
page.tabs.setCurrentWidget(page.delivery_tab)
page.refresh()
page.write_receipt_to(ROOT / "receipt.p7s")
shoot.settle(lambda: page.banner.kind() == "success" and idle())
shoot(window, "ex_receipt_written.png", idle)
ctx.shutdown()
window.close()

ctx = AppContext(ROOT / "town_a", TaskManager())
ctx.sign_in(unlock("town_a"))
window = MainWindow(ctx)
window.resize(1366, 740)
window.show()
idle = ctx.tasks.is_idle
window.navigate("exchange")
page = window.pages["exchange"]
shoot.settle(idle)
page.tabs.setCurrentWidget(page.delivery_tab)
page.read_receipt_from(ROOT / "receipt.p7s")
shoot.settle(lambda: page.last_receipt is not None and idle())
shoot(window, "ex_receipt_taken_in.png", idle)
ctx.shutdown()
window.close()
