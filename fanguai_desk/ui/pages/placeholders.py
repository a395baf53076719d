"""报表 and 数据交换: kept as the import point of ``MainWindow.PAGES``; the real pages live in their own modules."""

from __future__ import annotations

from fanguai_desk.ui.pages.exchange import ExchangePage
from fanguai_desk.ui.pages.reports import ReportsPage

__all__ = ["ExchangePage", "ReportsPage"]
