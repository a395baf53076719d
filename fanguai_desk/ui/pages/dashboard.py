"""工作台: what needs doing today.  Every number opens the list it counts."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from fanguai_desk.domain.clocks import HUKOU_THRESHOLD_DAYS
from fanguai_desk.domain.enums import FileStatus
from fanguai_desk.services.dashboard import Dashboard
from fanguai_desk.services.statistics import KeyFigures, key_figures
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.i18n import format_date
from fanguai_desk.ui.labels import enum_label
from fanguai_desk.ui.pages.base import Navigator, Page
from fanguai_desk.ui.stat_charts import KeyFiguresPanel
from fanguai_desk.ui.widgets import Banner, Column, CountCard, RecordTable, RowsModel, heading, muted

KEY_FIGURES_TTL_S = 300.0


class DashboardPage(Page):
    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.data: Dashboard | None = None
        self._key_figures_at: float | None = None
        self.subtitle = muted("")
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        self.banner = Banner(reserve=False)  # above the cards, under the Refresh button: takes no space when empty

        self.cards: dict[str, CountCard] = {}
        grid = QGridLayout()
        grid.setSpacing(12)
        specs = [
            ("followups_overdue", self.tr("Follow-up visits overdue"), ("followups", {"mode": "overdue"})),
            ("followups_due_soon", self.tr("Visits due within 7 days"), ("followups", {"mode": "due_soon"})),
            ("services_overdue", self.tr("Services past their due date"), ("services", {})),
            ("open_files", self.tr("Open files"), ("victims", {"status": FileStatus.OPEN})),
            ("referrals_waiting", self.tr("Legal-aid referrals waiting for a decision"),
             ("legal_aid", {"mode": "waiting"})),
            ("referrals_overdue", self.tr("Legal-aid referrals past the legal deadline"),
             ("legal_aid", {"mode": "overdue"})),
            ("unidentified_count", self.tr("Persons whose identity is unknown"),
             ("victims", {"status": FileStatus.OPEN, "unidentified_only": True})),
        ]
        for i, (key, caption, (target, filters)) in enumerate(specs):
            card = CountCard(caption)
            card.setObjectName("CountCard")
            card.clicked.connect(lambda _c=False, t=target, f=filters: self.nav.navigate(t, **f))
            self.cards[key] = card
            grid.addWidget(card, i // 4, i % 4)
        for c in range(4):
            grid.setColumnStretch(c, 1)

        # Nobody forgotten (issue 13): each card opens its list (services/worklists.py counts and lists both).
        self.forgotten_cards: dict[str, CountCard] = {}
        forgotten = QGridLayout()
        forgotten.setSpacing(12)
        # Captions with their numbers filled in from the start: the counts arrive later (off the UI thread), and a
        # caption must never show a bare "%1" meanwhile.
        no_contact = self.ctx.registry_settings.no_contact_days if self.ctx.registry_settings else 90
        fspecs = [
            ("files_without_plan", self.tr("Open files with no planned visit"),
             ("attention", {"list": "files_without_plan"})),
            ("files_without_contact", self.tr("No contact for %1 days").replace("%1", str(no_contact)),
             ("attention", {"list": "files_without_contact"})),
            ("school_age_without_school", self.tr("School-age children: no school service or schooling unknown"),
             ("attention", {"list": "school_age_without_school"})),
            ("turning_16", self.tr("Turning 16 within 30 days: training becomes possible"),
             ("attention", {"list": "turning_16"})),
            ("turning_18", self.tr("Turning 18 within 30 days: own consent replaces the guardian's"),
             ("attention", {"list": "turning_18"})),
            ("unidentified_past_threshold",
             self.tr("Unidentified for more than %1 days (hukou registration)").replace("%1", str(HUKOU_THRESHOLD_DAYS)),
             ("attention", {"list": "unidentified_past_threshold"})),
            ("referrals_urgent", self.tr("Urgent legal-aid referrals (art. 44)"), ("legal_aid", {"mode": "open"})),
            ("files_flagged_for_review", self.tr("Files with records to review (a later change or a clashing "
                                                 "file number)"), ("", {})),
        ]
        for i, (key, caption, (target, filters)) in enumerate(fspecs):
            card = CountCard(caption)
            card.setObjectName("CountCard")
            if target:
                card.clicked.connect(lambda _c=False, t=target, f=filters: self.nav.navigate(t, **f))
            else:  # the list of flagged files is on this page: open the first one
                card.clicked.connect(self._open_first_flagged)
            self.forgotten_cards[key] = card
            self.cards[key] = card
            forgotten.addWidget(card, i // 4, i % 4)
        for c in range(4):
            forgotten.setColumnStretch(c, 1)

        self.stays = RowsModel([
            Column(self.tr("File number"), lambda r: r.file_number),
            Column(self.tr("Name"), lambda r: r.display_name),
            Column(self.tr("Since"), lambda r: format_date(r.since)),
            Column(self.tr("Days"), lambda r: r.days, align_right=True),
        ])
        self.stays_table = RecordTable()
        self.stays_table.setModel(self.stays)
        self.stays_table.open_requested.connect(self._open_stay)
        for i, w in enumerate((140, 110, 130)):
            self.stays_table.setColumnWidth(i, w)

        self.flagged = RowsModel([
            Column(self.tr("File number"), lambda r: r.file_number),
            Column(self.tr("Township"), lambda r: r.township),
            Column(self.tr("Records to review"), lambda r: r.open_flags, align_right=True),
        ])
        self.flagged_table = RecordTable()
        self.flagged_table.setModel(self.flagged)
        self.flagged_table.open_requested.connect(self._open_flagged)
        self.flagged_table.setColumnWidth(0, 140)

        self.placements = RowsModel([
            Column(self.tr("Placement"), lambda r: r[1]),
            Column(self.tr("Files"), lambda r: r[2], align_right=True),
        ])
        self.placement_table = RecordTable()
        self.placement_table.setModel(self.placements)
        self.placement_table.open_requested.connect(self._open_placement)
        self.placement_table.setColumnWidth(0, 330)

        left = QVBoxLayout()
        left.addWidget(heading(self.tr("Longest stays without identified identity (for hukou registration)"), 2))
        left.addWidget(self.stays_table)
        left.addWidget(heading(self.tr("Files with records to review"), 2))
        left.addWidget(self.flagged_table)
        right = QVBoxLayout()
        right.addWidget(heading(self.tr("Open files by placement"), 2))
        right.addWidget(self.placement_table)
        lists = QHBoxLayout()
        lists.addLayout(left, 1)
        lists.addLayout(right, 1)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(heading(self.tr("Workbench")))
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        top.addWidget(refresh, 0, Qt.AlignmentFlag.AlignTop)
        # The cards, charts and lists are taller than a 1366×768 laptop's screen: they scroll, so the window
        # fits the screen instead of pushing its lower part off it.
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(grid)
        layout.addWidget(heading(self.tr("Nobody forgotten"), 2))
        layout.addLayout(forgotten)
        layout.addSpacing(8)
        self.key_figures = KeyFiguresPanel()  # this year's protected county figures (ui/stat_charts.py)
        layout.addWidget(self.key_figures)
        layout.addSpacing(8)
        layout.addLayout(lists, 1)

    def refresh(self) -> None:
        super().refresh()
        self.ctx.call(lambda d: d.dashboard.compute(), self._show, lambda exc: self.banner.error(
            self.tr("The workbench could not be computed.")))
        # the protected county tables take seconds on a large registry: at most once per KEY_FIGURES_TTL
        now = time.monotonic()
        if self._key_figures_at is None or now - self._key_figures_at > KEY_FIGURES_TTL_S:
            self._key_figures_at = now
            self.ctx.call(lambda d: key_figures(d.uow), self._show_key_figures, lambda exc: None)

    def _show_key_figures(self, figures: KeyFigures) -> None:
        self.key_figures.show_figures(figures)
        if figures.report_due is not None:  # 七(一): last year's report is due by 15 February
            self.banner.show_message(self.tr(
                "The %1 annual report to the joint-conference office is due by %2: Reports → Annual "
                "statistical report.").replace("%1", str(figures.report_due.year - 1))
                .replace("%2", format_date(figures.report_due)), "warning",
                (self.tr("Open reports"), lambda: self.nav.navigate("reports")))

    def _show(self, d: Dashboard) -> None:
        self.data = d
        wait_days = self.ctx.registry_settings.referral_wait_days if self.ctx.registry_settings else 7
        self.subtitle.setText(self.tr("Today: %1").replace("%1", format_date(d.today)))
        self.cards["referrals_waiting"].caption.setText(
            self.tr("Legal-aid referrals waiting for a decision for more than %1 days").replace("%1", str(wait_days)))
        no_contact = self.ctx.registry_settings.no_contact_days if self.ctx.registry_settings else 90
        self.cards["files_without_contact"].caption.setText(
            self.tr("No contact for %1 days").replace("%1", str(no_contact)))
        self.cards["unidentified_past_threshold"].caption.setText(
            self.tr("Unidentified for more than %1 days (hukou registration)").replace("%1", str(HUKOU_THRESHOLD_DAYS)))
        alerts = {"followups_overdue", "services_overdue", "referrals_waiting", "referrals_overdue",
                  "files_without_plan", "files_without_contact", "school_age_without_school", "referrals_urgent",
                  "unidentified_past_threshold", "files_flagged_for_review"}
        for key, card in self.cards.items():
            card.set_count(int(getattr(d, key)), alert=key in alerts)
        self.stays.set_rows(d.unidentified_longest)
        self.flagged.set_rows(d.flagged_files)
        rows = sorted(((state, enum_label(state, self.tr("No placement recorded")), n)
                       for state, n in d.placement_counts.items()), key=lambda r: -r[2])
        self.placements.set_rows(rows)

    def _open_stay(self, index: Any) -> None:
        row = self.stays.row_at(index)
        if row is not None:
            self.nav.open_file(row.victim_id)

    def _open_flagged(self, index: Any) -> None:
        row = self.flagged.row_at(index)
        if row is not None:
            self.nav.open_file(row.victim_id)

    def _open_first_flagged(self) -> None:
        if self.data is not None and self.data.flagged_files:
            self.nav.open_file(self.data.flagged_files[0].victim_id)

    def _open_placement(self, index: Any) -> None:
        row = self.placements.row_at(index)
        if row is not None and row[0] is not None:
            self.nav.navigate("victims", status=FileStatus.OPEN, placement_state=row[0])
