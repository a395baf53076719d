"""证书 panel: enrol on a township laptop, issue from the county CA in another registry, install, revoke."""

from __future__ import annotations

from fanguai_desk.domain.enums import Installation
from fanguai_desk.services.desk import Desk
from fanguai_desk.ui.pages.certificates import CertificatesPanel
from tests.conftest import ADMIN_PASSWORD, CHEAP, make_desk
from tests.ui.conftest_features import *  # noqa: F403 (fixtures)
from tests.ui.conftest_features import CA_PASSWORD, open_desk


def test_enrol_here_issue_at_the_county_and_install(harness, sup_dir, tmp_path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    town = harness(make_desk(tmp_path / "town"), lambda ctx, nav: CertificatesPanel(ctx))
    mine = town.page
    mine.refresh()
    town.until(lambda: mine.state is not None)
    assert mine.mine.rowCount() == 0 and "尚未安装" in mine.ca_info.text()
    # a township laptop: no county authority here, whoever signs in (store/installation.py)
    assert not mine.ca_box.isVisible() and not mine.setup_button.isVisible()
    fresh = Desk.create(tmp_path / "county-new", admin_login="admin", admin_password=ADMIN_PASSWORD,
                        township_name="县民政局", township_code="510100", kdf=CHEAP,
                        installation=Installation.COUNTY)
    new = harness(fresh, lambda ctx, nav: CertificatesPanel(ctx))
    new.page.refresh()
    new.until(lambda: new.page.state is not None)
    assert new.page.setup_button.isVisible() and not new.page.create_box.isVisible()  # behind an explicit step
    new.close()

    mine.request_to(usb / "request.req")
    town.until(lambda: mine.last_file is not None)
    assert (usb / "request.req").stat().st_size > 0 and mine.banner.kind() == "success"

    county = harness(open_desk(sup_dir), lambda ctx, nav: CertificatesPanel(ctx))
    ca = county.page
    ca.refresh()
    county.until(lambda: ca.state is not None)
    assert ca.manage_box.isVisible() and not ca.create_box.isVisible()
    before = ca.issued.rowCount()
    ca.issue(usb / "request.req", usb / "certs.pem")
    county.until(lambda: ca.banner.text() != "")
    assert "先输入" in ca.banner.text()  # the authority password is needed
    ca.ca_password.setText(CA_PASSWORD)
    ca.issue(usb / "request.req", usb / "certs.pem", confirm_township="白马镇")  # not what the request asks
    county.until(lambda: "乡镇" in ca.banner.text())
    assert ca.issued.rowCount() == before and not (usb / "certs.pem").exists()
    ca.issue(usb / "request.req", usb / "certs.pem", confirm_township="青龙镇")
    county.until(lambda: ca.last_file is not None and ca.issued.rowCount() == before + 2)

    mine.install_from(usb / "certs.pem")
    town.until(lambda: mine.mine.rowCount() == 2)
    assert "指纹" in mine.ca_info.text()
    assert town.ctx.desk.pki.trusted_ca() is not None

    serial = town.ctx.desk.pki.my_certificates()[0].serial
    row = next(i for i, c in enumerate(ca.issued.rows) if c.serial == serial)
    ca.issued_table.selectRow(row)
    ca.revoke_selected(usb / "county.crl")
    county.until(lambda: ca.last_file == usb / "county.crl")
    assert ca.issued.rows[row].revoked_at is not None or county.until(
        lambda: ca.issued.rows[row].revoked_at is not None) is None

    mine.install_crl_from(usb / "county.crl")
    town.until(lambda: mine.banner.kind() == "success" and "吊销列表" in mine.banner.text())
    assert town.ctx.desk.pki.crls()
