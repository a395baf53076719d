"""审计日志 page: the log as sentences and the chain check, through the same services as `audit verify`."""

from __future__ import annotations

from fanguai_desk.ui.pages.audit import AuditPage
from tests.ui.conftest_features import *  # noqa: F403 (fixtures)


def test_administrator_reads_the_log_and_checks_the_chain(harness, desk) -> None:
    h = harness(desk, lambda ctx, nav: AuditPage(ctx, nav))
    page = h.page
    page.refresh()
    h.until(lambda: page.model.rowCount() > 0)
    assert page.verify.isVisibleTo(page) and not page.denied.isVisibleTo(page)
    page.check_chain()
    h.until(lambda: page.banner.kind() == "success")
    assert "哈希" in page.banner.text()


def test_caseworker_is_told_the_log_is_not_theirs(harness, caseworker) -> None:
    h = harness(caseworker, lambda ctx, nav: AuditPage(ctx, nav))
    page = h.page
    page.refresh()
    assert page.denied.isVisibleTo(page) and not page.verify.isVisibleTo(page)
    assert page.model.rowCount() == 0
