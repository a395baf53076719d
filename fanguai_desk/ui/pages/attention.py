"""Work lists with no cap, and the "nobody forgotten" lists the workbench's cards open.

``WorkListPanel`` is one lazy list (``ui/worklist_model.py`` over ``services/worklists.py``) with its township
and caseworker filters, sortable headers and the count the workbench shows; the visit, legal-aid and service
pages embed it, and ``AttentionPage`` shows the six "nobody forgotten" lists.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from fanguai_desk.domain.enums import (
    FollowUpMethod,
    ReferralMatter,
    ReferralStatus,
    ServiceStatus,
    ServiceType,
)
from fanguai_desk.services.worklists import (
    CARDS,
    REFERRAL_LISTS,
    VISIT_LISTS,
    WorkFilter,
    WorkList,
    WorkRow,
)
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.i18n import format_date
from fanguai_desk.ui.labels import enum_label
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.pages.base import Navigator, Page
from fanguai_desk.ui.widgets import OVERDUE_COLOR, SOON_COLOR, Banner, RecordTable, heading, muted
from fanguai_desk.ui.worklist_model import WorkColumn, WorkListModel, WorkQuery


def _enum(cls: Any, value: str | None) -> str:
    if not value:
        return ""
    try:
        return enum_label(cls(value))
    except ValueError:
        return value


class WorkListPanel(QWidget):
    """One work list: filters (township, caseworker), a lazy sortable table, its count."""

    def __init__(self, ctx: AppContext, nav: Navigator, kind: WorkList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.kind = kind
        self.mine = False
        self._names: dict[str, str] = {}
        self.township = QComboBox()
        self.caseworker = QComboBox()
        self.township.currentIndexChanged.connect(lambda _i: self.reload())
        self.caseworker.currentIndexChanged.connect(lambda _i: self.reload())
        self.count = muted("")
        self.model = WorkListModel(self.columns_for(kind), lambda: ctx.desk, self, runner=ctx.call)
        self.model.total_changed.connect(self._count_changed)
        self.table = RecordTable()
        self.table.setModel(self.model)
        self.model.modelReset.connect(self.table.fit_columns)  # the first page sets the widths
        self.table.open_requested.connect(self._open)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort)
        self.banner = Banner(reserve=False)  # over the stretching table: no empty band, nothing below moves
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Township")))
        filters.addWidget(self.township)
        filters.addWidget(QLabel(self.tr("Caseworker")))
        filters.addWidget(self.caseworker)
        filters.addStretch(1)
        filters.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        self._filling = False

    # ------------------------------------------------------------------ columns

    def columns_for(self, kind: WorkList) -> list[WorkColumn]:
        number = WorkColumn(self.tr("File number"), lambda r: r.file_number, "file_number")
        name = WorkColumn(self.tr("Name"), lambda r: r.display_name)
        town = WorkColumn(self.tr("Township"), lambda r: r.township, "township")
        worker = WorkColumn(self.tr("Caseworker"), lambda r: self._names.get(r.caseworker_id or "", ""))

        def overdue_color(r: WorkRow) -> Any:
            return OVERDUE_COLOR if (r.days or 0) > 0 else SOON_COLOR

        if kind in VISIT_LISTS:
            return [WorkColumn(self.tr("Planned"), lambda r: format_date(r.when), "when", overdue_color),
                    WorkColumn(self.tr("Days overdue"), lambda r: r.days if (r.days or 0) > 0 else ""),
                    number, name, town,
                    WorkColumn(self.tr("Method"), lambda r: _enum(FollowUpMethod, r.detail)), worker]
        if kind is WorkList.SERVICES_OVERDUE:
            return [WorkColumn(self.tr("Due"), lambda r: format_date(r.when), "when", lambda r: OVERDUE_COLOR),
                    WorkColumn(self.tr("Days overdue"), lambda r: r.days), number, name, town,
                    WorkColumn(self.tr("Service"), lambda r: _enum(ServiceType, r.detail)),
                    WorkColumn(self.tr("Status"), lambda r: _enum(ServiceStatus, r.status)), worker]
        if kind in REFERRAL_LISTS:
            return [WorkColumn(self.tr("Deadline"), self._deadline, "when",
                               lambda r: OVERDUE_COLOR if (r.days or 0) > 0 or r.urgent else None),
                    number, name, town, WorkColumn(self.tr("Matter"), lambda r: _enum(ReferralMatter, r.detail)),
                    WorkColumn(self.tr("Status"), lambda r: _enum(ReferralStatus, r.status)), worker]
        captions = {
            WorkList.FILES_WITHOUT_PLAN: self.tr("Last visit"),
            WorkList.FILES_WITHOUT_CONTACT: self.tr("Last contact"),
            WorkList.SCHOOL_AGE_WITHOUT_SCHOOL: self.tr("Last visit"),
            WorkList.TURNING_16: self.tr("Birthday"),
            WorkList.TURNING_18: self.tr("Birthday"),
            WorkList.UNIDENTIFIED_PAST_THRESHOLD: self.tr("Unidentified since"),
        }
        cols = [WorkColumn(captions.get(kind, self.tr("Date")),
                           lambda r: format_date(r.when) if r.when else self.tr("never"), "when"),
                number, name, town, worker]
        if kind in (WorkList.FILES_WITHOUT_CONTACT, WorkList.UNIDENTIFIED_PAST_THRESHOLD):
            cols.insert(1, WorkColumn(self.tr("Days"), lambda r: r.days))
        if kind in (WorkList.TURNING_16, WorkList.TURNING_18, WorkList.SCHOOL_AGE_WITHOUT_SCHOOL):
            cols.insert(1, WorkColumn(self.tr("What it means"), lambda r: self.detail_text(r.detail)))
        return cols

    def detail_text(self, code: str | None) -> str:
        return {
            "training_possible": self.tr("Turns 16: vocational training becomes possible (003 art. 19)"),
            "own_consent": self.tr("Turns 18: her or his own consent replaces the guardian's"),
            "no_school_service": self.tr("No return-to-school service"),
            "schooling_unknown": self.tr("Schooling not recorded at the last visit"),
        }.get(code or "", code or "")

    def _deadline(self, r: WorkRow) -> str:
        if r.status == ReferralStatus.MATERIALS_REQUESTED.value:
            text = self.tr("waiting for materials (clock paused)")
        elif r.when is None:
            text = ""
        else:
            text = format_date(r.when) + (" " + self.tr("(overdue)") if (r.days or 0) > 0 else "")
        return (self.tr("URGENT (art. 44)") + " · " + text) if r.urgent else text

    # ------------------------------------------------------------------ loading

    def set_list(self, kind: WorkList, mine: bool | None = None, *, reload: bool = True) -> None:
        if mine is not None:
            self.mine = mine
        if kind != self.kind:
            self.kind = kind
            self.model.set_columns(self.columns_for(kind))
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.model.query = None  # the next load uses the list's default order
        if reload:
            self.reload(reset_sort=True)

    def refresh(self) -> None:
        """Reload the filter choices (townships, caseworkers, names) and then the list."""
        def work(d: Any) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]], dict[str, str]]:

            towns = d.lifecycle.townships()
            visible = d.visible_township_ids()
            if visible is not None:
                towns = [t for t in towns if t[0] in visible]
            return towns, d.lifecycle.caseworkers(None), d.users.names()

        self.ctx.call(work, self._fill, lambda exc: self.banner.error(error_text(exc)))

    def _fill(self, result: tuple[list[tuple[str, str, str]], list[tuple[str, str]], dict[str, str]]) -> None:
        towns, workers, self._names = result
        self._filling = True
        keep_t, keep_c = self.township.currentData(), self.caseworker.currentData()
        self.township.clear()
        self.township.addItem(self.tr("All townships"), None)
        for tid, _code, name in towns:
            self.township.addItem(name, tid)
        self.caseworker.clear()
        self.caseworker.addItem(self.tr("Everyone"), None)
        for uid, name in workers:
            self.caseworker.addItem(name, uid)
        for combo, keep in ((self.township, keep_t), (self.caseworker, keep_c)):
            i = combo.findData(keep)
            combo.setCurrentIndex(max(0, i))
        self._filling = False
        self.reload()

    def current_filter(self) -> WorkFilter:
        caseworker = self.caseworker.currentData()
        if self.mine and self.ctx.desk is not None:
            caseworker = self.ctx.desk.actor.user_id
        return WorkFilter(township_id=self.township.currentData(), caseworker_id=caseworker)

    def reload(self, reset_sort: bool = False) -> None:
        if self._filling:
            return
        q = self.model.query
        sort, desc = ("when", None) if (reset_sort or q is None or q.kind != self.kind) else (q.sort, q.descending)
        self.model.set_query(WorkQuery(self.kind, self.current_filter(), sort, desc))

    def _sort(self, column: int, order: Qt.SortOrder) -> None:
        if column < 0 or not self.model.sortable(column):
            return
        self.model.sort(column, order)

    def _count_changed(self, n: int) -> None:
        self.count.setText(self.tr("%1 in the list").replace("%1", str(n)))

    def _open(self, index: Any) -> None:
        row = self.model.row_at(index)
        if row is None:
            return
        if self.kind in VISIT_LISTS:
            self.nav.open_file(row.victim_id, "followups", row.id)
        elif self.kind in REFERRAL_LISTS:
            self.nav.open_file(row.victim_id, "legal_aid", row.id)
        elif self.kind is WorkList.SERVICES_OVERDUE:
            self.nav.open_file(row.victim_id, "services")
        else:
            self.nav.open_file(row.victim_id)


class AttentionPage(Page):
    """关注: the files nobody is following — each of the workbench's "nobody forgotten" cards opens here."""

    depends_on = ("victims", "followups", "services", "placements")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.panel = WorkListPanel(ctx, nav, CARDS[0], self)
        self.choice = QComboBox()
        for kind in CARDS:
            self.choice.addItem(self.card_title(kind), kind.value)
        self.choice.currentIndexChanged.connect(lambda _i: self.panel.set_list(WorkList(self.choice.currentData())))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(self.tr("Nobody forgotten")))
        layout.addWidget(muted(self.tr("Open files that nobody is following, children whose schooling is not "
                                       "settled, birthdays that change what the person may do. Double-click a "
                                       "row to open the file.")))
        row = QHBoxLayout()
        row.addWidget(self.choice, 1)
        layout.addLayout(row)
        layout.addWidget(self.panel, 1)

    def card_title(self, kind: WorkList) -> str:
        return {
            WorkList.FILES_WITHOUT_PLAN: self.tr("Open files with no planned visit"),
            WorkList.FILES_WITHOUT_CONTACT: self.tr("Open files without contact for %1 days"),
            WorkList.SCHOOL_AGE_WITHOUT_SCHOOL: self.tr("School-age children without school"),
            WorkList.TURNING_16: self.tr("Turning 16 in the next 30 days"),
            WorkList.TURNING_18: self.tr("Turning 18 in the next 30 days"),
            WorkList.UNIDENTIFIED_PAST_THRESHOLD: self.tr("Unidentified past the hukou threshold"),
        }[kind].replace("%1", str(self.ctx.registry_settings.no_contact_days if self.ctx.registry_settings
                                  else 90))

    def apply_filters(self, **filters: Any) -> None:
        kind = filters.get("list")
        if kind:
            i = self.choice.findData(str(kind))
            if i >= 0 and i != self.choice.currentIndex():
                self.choice.blockSignals(True)
                self.choice.setCurrentIndex(i)
                self.choice.blockSignals(False)
            self.panel.set_list(WorkList(str(kind)), reload=False)
        self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self.panel.refresh()
