"""The GUI's certificate flow shows what the README tells both sides to compare by phone: the request's check
code at enrolment and at issue, the county authority's fingerprint at install; a stale error clears."""

from __future__ import annotations

from fanguai_desk.services.pki import request_check_code
from fanguai_desk.ui.pages.certificates import CertificatesPanel
from tests.conftest import make_desk
from tests.ui.conftest_features import *  # noqa: F403 (fixtures)
from tests.ui.conftest_features import CA_PASSWORD, open_desk


def test_check_codes_and_fingerprint_are_shown_with_the_instruction_to_compare_by_phone(
        harness, sup_dir, tmp_path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    town = harness(make_desk(tmp_path / "town"), lambda ctx, nav: CertificatesPanel(ctx))
    mine = town.page
    mine.refresh()
    town.until(lambda: mine.state is not None)
    mine.request_to(usb / "request.req")
    town.until(lambda: mine.last_file is not None)
    code = request_check_code((usb / "request.req").read_bytes())
    assert code in mine.banner.text() and "电话" in mine.banner.text() and "核对" in mine.banner.text()

    county = harness(open_desk(sup_dir), lambda ctx, nav: CertificatesPanel(ctx))
    ca = county.page
    ca.refresh()
    county.until(lambda: ca.state is not None)
    ca.issue(usb / "request.req", usb / "certs.pem")
    county.until(lambda: ca.banner.kind() == "error")
    ca.ca_password.setText(CA_PASSWORD)
    ca.issue(usb / "request.req", usb / "certs.pem")
    county.until(lambda: ca.last_file is not None)
    assert ca.banner.kind() == "success"  # the stale "enter the password" error is gone
    assert code in ca.banner.text() and "电话" in ca.banner.text() and "吊销" in ca.banner.text()

    mine.install_from(usb / "certs.pem")
    town.until(lambda: mine.mine.rowCount() == 2)
    assert "县级证书机构指纹" in mine.banner.text() and "电话" in mine.banner.text()
    fingerprint = mine.banner.text().split("指纹：")[1].split(" ——")[0]
    assert fingerprint and fingerprint in mine.ca_info.text()
