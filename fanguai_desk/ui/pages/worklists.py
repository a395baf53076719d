"""The work lists: 跟踪回访 (visits), 法律援助 (referrals), overdue services, 安置 (placement overview).

Each row opens its file at the right tab; recording a visit or an answer is done there, in one form.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QHeaderView, QPushButton, QVBoxLayout, QWidget

from fanguai_desk.domain.clocks import DueState
from fanguai_desk.domain.enums import FileStatus, PlacementState
from fanguai_desk.services.victims import VictimQuery
from fanguai_desk.services.worklists import WorkList
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.labels import enum_label
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.models import VictimIdRole, VictimTableModel
from fanguai_desk.ui.pages.attention import WorkListPanel
from fanguai_desk.ui.pages.base import Navigator, Page
from fanguai_desk.ui.widgets import (
    OVERDUE_COLOR,
    SOON_COLOR,
    Banner,
    Column,
    RecordTable,
    RowsModel,
    heading,
    muted,
)

LIMIT = 500
COMING_WEEKS = 4


def _segmented(parent: QWidget, options: list[tuple[str, str]], on_change: Any) -> tuple[QHBoxLayout, QButtonGroup,
                                                                                          dict[str, QPushButton]]:
    row = QHBoxLayout()
    group = QButtonGroup(parent)
    group.setExclusive(True)
    buttons: dict[str, QPushButton] = {}
    for key, text in options:
        b = QPushButton(text)
        b.setCheckable(True)
        b.setObjectName("Segment")
        group.addButton(b)
        b.clicked.connect(lambda _c=False, k=key: on_change(k))
        buttons[key] = b
        row.addWidget(b)
    row.addStretch(1)
    return row, group, buttons


def _state_color(state: DueState) -> Any:
    if state is DueState.OVERDUE:
        return OVERDUE_COLOR
    if state is DueState.DUE_SOON:
        return SOON_COLOR
    return None


class FollowUpsPage(Page):
    depends_on = ("followups", "victims")
    MODES: ClassVar[dict[str, WorkList]] = {"mine": WorkList.FOLLOWUPS_UPCOMING, "overdue": WorkList.FOLLOWUPS_OVERDUE,
             "due_soon": WorkList.FOLLOWUPS_DUE_SOON, "all": WorkList.FOLLOWUPS_PLANNED}

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.mode = "mine"
        options = [
            ("mine", self.tr("My visits, next %1 weeks").replace("%1", str(COMING_WEEKS))),
            ("overdue", self.tr("Overdue")),
            ("due_soon", self.tr("Due within 7 days")),
            ("all", self.tr("All planned")),
        ]
        row, self.group, self.buttons = _segmented(self, options, self.set_mode)
        self.panel = WorkListPanel(ctx, nav, self.MODES[self.mode], self)
        self.panel.mine = True
        self.table = self.panel.table
        self.model = self.panel.model
        self.banner = self.panel.banner
        self.count = self.panel.count
        self.record_button = QPushButton(self.tr("Record the selected visit…"))
        self.record_button.setObjectName("Primary")
        self.record_button.clicked.connect(lambda: self.panel._open(self.table.currentIndex()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(self.tr("Follow-up visits")))
        layout.addWidget(muted(self.tr("A visit is a task until it is recorded; it is overdue the day after its "
                                       "planned date. Double-click or press Enter to record it in the file.")))
        layout.addLayout(row)
        layout.addWidget(self.panel, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.record_button)
        layout.addLayout(bottom)
        self.buttons[self.mode].setChecked(True)

    def apply_filters(self, **filters: Any) -> None:
        self.set_mode(str(filters.get("mode", self.mode)), reload=False)
        self.refresh()

    def set_mode(self, mode: str, reload: bool = True) -> None:
        self.mode = mode
        self.buttons[mode].setChecked(True)
        self.panel.set_list(self.MODES[mode], mine=mode == "mine", reload=reload)

    def refresh(self) -> None:
        super().refresh()
        self.panel.refresh()


class LegalAidPage(Page):
    depends_on = ("referrals", "consents")
    MODES: ClassVar[dict[str, WorkList]] = {"open": WorkList.REFERRALS_OPEN, "waiting": WorkList.REFERRALS_WAITING,
             "overdue": WorkList.REFERRALS_OVERDUE, "all": WorkList.REFERRALS_ALL}

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.mode = "open"
        options = [
            ("open", self.tr("Open referrals")),
            ("waiting", self.tr("Waiting for a decision too long")),
            ("overdue", self.tr("Past the legal deadline")),
            ("all", self.tr("All")),
        ]
        row, self.group, self.buttons = _segmented(self, options, self.set_mode)
        self.panel = WorkListPanel(ctx, nav, self.MODES[self.mode], self)
        self.table = self.panel.table
        self.model = self.panel.model
        self.banner = self.panel.banner
        self.count = self.panel.count
        answer = QPushButton(self.tr("Record an answer…"))
        answer.setObjectName("Primary")
        answer.clicked.connect(lambda: self.panel._open(self.table.currentIndex()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(self.tr("Legal-aid referrals")))
        layout.addWidget(muted(self.tr("Legal Aid Law art. 43: the institution decides within 7 days of the referral "
                                       "and assigns a lawyer within 3 days of accepting; art. 44: with a legal "
                                       "deadline near, the decision is due before it (urgent referrals come "
                                       "first). New referrals are made from a file (its Legal aid tab).")))
        layout.addLayout(row)
        layout.addWidget(self.panel, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(answer)
        layout.addLayout(bottom)
        self.buttons[self.mode].setChecked(True)

    def apply_filters(self, **filters: Any) -> None:
        self.set_mode(str(filters.get("mode", self.mode)), reload=False)
        self.refresh()

    def set_mode(self, mode: str, reload: bool = True) -> None:
        self.mode = mode
        self.buttons[mode].setChecked(True)
        self.panel.set_list(self.MODES[mode], reload=reload)

    def refresh(self) -> None:
        super().refresh()
        self.panel.refresh()


class ServicesOverduePage(Page):
    """Reached from the workbench: services past their due date, across files."""

    depends_on = ("services",)

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.panel = WorkListPanel(ctx, nav, WorkList.SERVICES_OVERDUE, self)
        self.table = self.panel.table
        self.model = self.panel.model
        self.banner = self.panel.banner
        self.count = self.panel.count
        back = QPushButton(self.tr("← Workbench"))
        back.setObjectName("Link")
        back.clicked.connect(lambda: self.nav.navigate("dashboard"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(back)
        layout.addWidget(heading(self.tr("Services past their due date")))
        layout.addWidget(self.panel, 1)

    def refresh(self) -> None:
        super().refresh()
        self.panel.refresh()


class PlacementsPage(Page):
    """安置: open files by current placement; pick a state to list its files."""

    depends_on = ("placements", "victims")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.counts = RowsModel([
            Column(self.tr("Current placement"), lambda r: r[1]),
            Column(self.tr("Open files"), lambda r: r[2], align_right=True),
        ])
        self.count_table = RecordTable()
        self.count_table.setModel(self.counts)
        header = self.count_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.count_table.setMaximumWidth(440)
        self.count_table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._select(cur))
        self.files = VictimTableModel(lambda: ctx.desk, self, runner=ctx.call)
        self.file_table = RecordTable()
        self.file_table.setModel(self.files)
        self.file_table.open_requested.connect(self._open)
        for i, w in enumerate((150, 110, 50, 50, 170, 90, 200)):
            self.file_table.setColumnWidth(i, w)
        self.banner = Banner(reserve=False)  # over the stretching tables: no empty band
        row = QHBoxLayout()
        row.addWidget(self.count_table, 2)
        row.addWidget(self.file_table, 5)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(self.tr("Placement")))
        layout.addWidget(muted(self.tr("Placement is a timeline in each file; this is where everyone is now. "
                                       "A rescued child is never left with the buying family.")))
        layout.addWidget(self.banner)
        layout.addLayout(row, 1)

    def refresh(self) -> None:
        super().refresh()
        self.ctx.call(lambda d: d.dashboard.compute(longest=0).placement_counts, self._show,
                      lambda exc: self.banner.error(error_text(exc)))

    def _show(self, counts: dict[PlacementState | None, int]) -> None:
        rows = sorted(((s, enum_label(s, self.tr("No placement recorded")), n) for s, n in counts.items()),
                      key=lambda r: -r[2])
        self.counts.set_rows(rows)
        if rows:
            self.count_table.selectRow(0)

    def _select(self, index: Any) -> None:
        row = self.counts.row_at(index)
        if row is None or row[0] is None:
            self.files.clear()  # the core's VictimQuery cannot ask for "no placement recorded" yet
            return
        self.files.set_query(VictimQuery(status=FileStatus.OPEN, placement_state=row[0]))

    def _open(self, index: Any) -> None:
        victim_id = index.data(VictimIdRole)
        if victim_id:
            self.nav.open_file(victim_id, "placement")
