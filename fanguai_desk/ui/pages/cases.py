"""案件: the cases civil affairs knows of, their files, and adding one.  No suspects, no evidence."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.file_view import _buttons, _clean, _primary, _scroll
from fanguai_desk.ui.forms import F, Form, report
from fanguai_desk.ui.i18n import format_date
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.models import VictimIdRole
from fanguai_desk.ui.pages.base import Navigator, Page
from fanguai_desk.ui.widgets import Banner, Column, RecordTable, RowsModel, heading, muted


class CasesPage(Page):
    depends_on = ("cases", "victims")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.model = RowsModel([
            Column(self.tr("Police case number"), lambda r: r[0].police_case_ref),
            Column(self.tr("Handling unit"), lambda r: r[0].handling_unit),
            Column(self.tr("Opened on"), lambda r: format_date(r[0].opened_on)),
            Column(self.tr("Place"), lambda r: r[0].place),
            Column(self.tr("Type"), lambda r: r[0].exploitation_type),
            Column(self.tr("Files"), lambda r: r[1], align_right=True),
        ])
        self.table = RecordTable()
        self.table.setModel(self.model)
        self.table.set_empty_text(self.tr("No cases yet: add one with “New case” below."))
        for i, w in enumerate((160, 180, 120, 150, 120)):
            self.table.setColumnWidth(i, w)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._select(cur))
        self.victims = RowsModel([
            Column(self.tr("File number"), lambda r: r.file_number),
            Column(self.tr("Name"), lambda r: r.display_name),
            Column(self.tr("Township"), lambda r: r.township),
        ])
        self.victim_table = RecordTable()
        self.victim_table.setModel(self.victims)
        self.victim_table.set_empty_text(self.tr("Select a case above to see its files."))
        self.victim_table.setColumnWidth(0, 150)
        self.victim_table.open_requested.connect(
            lambda idx: self.nav.open_file(idx.data(VictimIdRole)) if idx.data(VictimIdRole) else None)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        self.form = Form([
            F("police_case_ref"), F("handling_unit"), F("opened_on", "date"), F("incident_date", "date"),
            F("place"), F("exploitation_type"), F("summary", "multiline", wide=True),
        ], columns=2)
        self.banner = Banner()
        add = _primary(self.tr("Add case"))
        add.clicked.connect(self.add)

        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(heading(self.tr("Files of the selected case"), 2))
        dl.addWidget(self.summary)
        dl.addWidget(self.victim_table, 1)
        new = QWidget()
        nl = QVBoxLayout(new)
        nl.setContentsMargins(0, 0, 0, 0)
        nl.addWidget(heading(self.tr("New case"), 2))
        nl.addWidget(self.form)
        nl.addStretch(1)
        lower = QHBoxLayout()
        lower.addWidget(detail, 2)
        lower.addWidget(_scroll(new), 3)
        lower_box = QWidget()
        lower_box.setLayout(lower)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower_box)
        split.setSizes([260, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(self.tr("Cases")))
        layout.addWidget(muted(self.tr("One trafficking case as far as civil affairs knows it; its victims each have "
                                       "their own file (link a file to its case in the file's Case tab).")))
        layout.addWidget(split, 1)
        layout.addWidget(self.banner)
        layout.addWidget(_buttons(add))

    def refresh(self) -> None:
        super().refresh()
        self.ctx.call(lambda d: d.cases.list(), self._show, lambda exc: self.banner.error(error_text(exc)))

    def _show(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(0)

    def _select(self, index: Any) -> None:
        row = self.model.row_at(index)
        if row is None:
            return
        case = row[0]
        self.summary.setText(case.summary or "")
        self.ctx.call(lambda d: d.cases.victims(case.id), self.victims.set_rows,
                      lambda exc: self.banner.error(error_text(exc)))

    def add(self) -> None:
        self.banner.clear()
        self.form.clear_errors()
        data = {k: v for k, v in _clean(self.form.values()).items() if v is not None}

        def done(_id: str) -> None:
            self.form.reset()
            self.banner.success(self.tr("Case added."))
            self.ctx.data_changed.emit("cases")

        self.ctx.call(lambda d: d.cases.add(data), done, lambda exc: report(self.form, self.banner, exc))
