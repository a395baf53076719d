"""报表: follow-up record, file summary, the annual and period reports as signed PDFs, with a print preview;
the annual and period reports also as a spreadsheet ("Save as spreadsheet…").

The page is a thin layer over :class:`~fanguai_desk.services.reports.ReportService`: choose what to print
on the left, "Generate" runs the service on the worker (it signs and writes the PRINT audit entry), and
the real PDF pages are shown on the right with "Save as…" and "Print…".  "Verify a PDF…" checks a signed
report against the county CA installed on this laptop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.enums import FollowUpStatus
from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.reports.verify import PdfVerification
from fanguai_desk.services.victims import VictimQuery
from fanguai_desk.store.atomic import atomic_write_bytes
from fanguai_desk.store.clock import local_time
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.jobs import FileChoice, run_job
from fanguai_desk.ui.labels import enum_label
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.pages.base import Navigator, Page
from fanguai_desk.ui.pdf_preview import PdfPreview
from fanguai_desk.ui.widgets import Banner, heading, muted

FOLLOWUP, SUMMARY, ANNUAL, PERIOD = "followup_record", "file_summary", "annual", "period"
STATISTICS = (ANNUAL, PERIOD)
NO_CERTIFICATE = ("certificate_not_installed", "keys_not_enrolled")


class ReportsPage(Page):
    depends_on = ("victims", "followups")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.last_pdf: bytes | None = None
        self.last_verification: PdfVerification | None = None
        self.last_xlsx: Path | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(self.tr("Reports")))
        layout.addWidget(muted(self.tr("Follow-up records (回访记录表), file summaries for a handover, and the "
                                       "yearly statistical report for the joint-conference office — signed PDFs, "
                                       "with no names in the statistics.")))
        self.banner = Banner()
        layout.addWidget(self.banner)
        split = QSplitter(Qt.Orientation.Horizontal)
        form_area = QScrollArea()  # the form and both checks stay reachable on a 768-pixel-high screen
        form_area.setWidgetResizable(True)
        form_area.setFrameShape(QFrame.Shape.NoFrame)
        form_area.setWidget(self._build_form())
        form_area.setMinimumWidth(380)
        form_area.setMaximumWidth(480)
        split.addWidget(form_area)
        self.preview = PdfPreview()
        self.preview.saved.connect(lambda path: self.banner.success(self.tr("Saved to %1.").replace("%1", path)))
        self.preview.failed.connect(self.banner.error)
        self.preview.printed.connect(lambda: self.banner.success(self.tr("Sent to the printer.")))
        split.addWidget(self.preview)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([400, 700])
        layout.addWidget(split, 1)

    # ------------------------------------------------------------------ form

    def _build_form(self) -> QWidget:
        panel = QFrame()
        panel.setObjectName("Panel")
        panel.setMinimumWidth(360)
        panel.setMaximumWidth(460)
        v = QVBoxLayout(panel)
        v.setContentsMargins(12, 10, 12, 10)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Follow-up record (one visit)"), FOLLOWUP)
        self.kind.addItem(self.tr("File summary (for a handover)"), SUMMARY)
        self.kind.addItem(self.tr("Annual statistical report"), ANNUAL)
        self.kind.addItem(self.tr("Period report (phase and final evaluation)"), PERIOD)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        grid.addWidget(QLabel(self.tr("Report")), 0, 0)
        grid.addWidget(self.kind, 0, 1)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("File number or name"))
        self.search.returnPressed.connect(self.find_files)
        self.find_button = QPushButton(self.tr("Find"))
        self.find_button.clicked.connect(self.find_files)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.find_button)
        self.search_label = QLabel(self.tr("File"))
        grid.addWidget(self.search_label, 1, 0)
        grid.addLayout(search_row, 1, 1)
        self.file_combo = QComboBox()
        self.file_combo.setPlaceholderText(self.tr("Find a file by its number or name first"))
        self.file_combo.currentIndexChanged.connect(self._file_changed)
        grid.addWidget(self.file_combo, 2, 1)
        self.visit_label = QLabel(self.tr("Visit"))
        self.visit_combo = QComboBox()
        grid.addWidget(self.visit_label, 3, 0)
        grid.addWidget(self.visit_combo, 3, 1)
        self.year_label = QLabel(self.tr("Year"))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(QDate.currentDate().year())
        grid.addWidget(self.year_label, 4, 0)
        grid.addWidget(self.year, 4, 1)
        self.period_label = QLabel(self.tr("Years"))
        self.first_year, self.last_year = QSpinBox(), QSpinBox()
        for box, value in ((self.first_year, 2021), (self.last_year, 2025)):
            box.setRange(1990, 2100)
            box.setValue(value)
        period_row = QHBoxLayout()
        period_row.addWidget(self.first_year, 1)
        self.period_dash = QLabel("—")
        period_row.addWidget(self.period_dash)
        period_row.addWidget(self.last_year, 1)
        self.period_presets = QComboBox()
        self.period_presets.addItem(self.tr("Phase evaluation 2021–2025"), (2021, 2025))
        self.period_presets.addItem(self.tr("Final evaluation 2021–2030"), (2021, 2030))
        self.period_presets.activated.connect(self._preset_chosen)
        grid.addWidget(self.period_label, 5, 0)
        grid.addLayout(period_row, 5, 1)
        grid.addWidget(self.period_presets, 6, 1)
        v.addLayout(grid)

        self.full_name = QCheckBox(self.tr("Use the full name on this print"))
        self.full_name_warning = QLabel(self.tr(
            "The print will show the name and other identifiers in full. This is recorded in the audit log "
            "with your name. Only do this when the recipient needs it."))
        self.full_name_warning.setObjectName("Warning")
        self.full_name_warning.setWordWrap(True)
        self.full_name_warning.hide()
        self.full_name.toggled.connect(self.full_name_warning.setVisible)
        v.addWidget(self.full_name)
        v.addWidget(self.full_name_warning)
        v.addWidget(muted(self.tr("By default names, ID numbers and addresses are printed masked.")))
        self.generate_button = QPushButton(self.tr("Generate and preview"))
        self.generate_button.setObjectName("Primary")
        self.generate_button.clicked.connect(self.generate)
        v.addWidget(self.generate_button)
        self.xlsx_button = QPushButton(self.tr("Save as spreadsheet…"))
        self.xlsx_button.setToolTip(self.tr("The same protected tables as an .xlsx file, one sheet per table."))
        self.xlsx_button.clicked.connect(self._choose_xlsx)
        v.addWidget(self.xlsx_button)
        self.protection_note = muted(self.tr(
            "Counts of 1–4 print as \"<5\"; some other cells print as \"×\" so that they cannot be worked "
            "out from the totals (docs/statistics.md)."))
        v.addWidget(self.protection_note)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        v.addSpacing(8)
        v.addWidget(line)
        v.addWidget(heading(self.tr("Check a signed report"), 2))
        v.addWidget(muted(self.tr("Checks who signed a PDF, whether it was changed afterwards, and whether the "
                                  "signer's certificate comes from the county and is not revoked.")))
        self.verify_button = QPushButton(self.tr("Verify a PDF…"))
        self.verify_button.clicked.connect(self._choose_verify)
        row = QHBoxLayout()
        row.addWidget(self.verify_button)
        row.addStretch(1)
        v.addLayout(row)
        self.verify_result = QLabel()
        self.verify_result.setWordWrap(True)
        self.verify_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.verify_result)
        v.addSpacing(8)
        from fanguai_desk.ui.paper_check import PaperCheckPanel

        self.paper_check = PaperCheckPanel(self.ctx)
        v.addWidget(self.paper_check)
        v.addStretch(1)
        self._kind_changed()
        return panel

    def _kind_changed(self, *_: Any) -> None:
        kind = self.kind.currentData()
        per_file = kind in (FOLLOWUP, SUMMARY)
        for w in (self.search_label, self.search, self.find_button, self.file_combo):
            w.setVisible(per_file)
        self.visit_label.setVisible(kind == FOLLOWUP)
        self.visit_combo.setVisible(kind == FOLLOWUP)
        self.year_label.setVisible(kind == ANNUAL)
        self.year.setVisible(kind == ANNUAL)
        period_widgets: tuple[QWidget, ...] = (self.period_label, self.first_year, self.period_dash, self.last_year,
                                               self.period_presets)
        for widget in period_widgets:
            widget.setVisible(kind == PERIOD)
        self.xlsx_button.setVisible(kind in STATISTICS)
        self.protection_note.setVisible(kind in STATISTICS)
        self.full_name.setVisible(per_file)
        if not per_file:
            self.full_name.setChecked(False)

    def _preset_chosen(self, index: int) -> None:
        first, last = self.period_presets.itemData(index)
        self.first_year.setValue(first)
        self.last_year.setValue(last)

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    # ------------------------------------------------------------------ choosing a file and a visit

    def find_files(self) -> None:
        text = self.search.text().strip()
        self.banner.clear()
        self.ctx.call(lambda desk: desk.victims.list_rows(VictimQuery(text=text or None), limit=50),
                      self._files_found, self._failed)

    def _files_found(self, rows: list[Any]) -> None:
        self.file_combo.blockSignals(True)
        self.file_combo.clear()
        for r in rows:
            self.file_combo.addItem(f"{r.file_number}  {r.display_name}  ({r.township})", r.id)
        if rows:  # with a placeholder, filling does not choose the first: the first found is chosen here
            self.file_combo.setCurrentIndex(0)
        self.file_combo.blockSignals(False)
        if not rows:
            self.banner.show_message(self.tr("No file found."), "info")
        self._file_changed()

    def _file_changed(self, *_: Any) -> None:
        self.visit_combo.clear()
        victim_id = self.file_combo.currentData()
        if victim_id is None:
            return
        self.ctx.call(lambda desk: desk.followups.list(victim_id=victim_id, include_done=True),
                      self._visits_found, self._failed)

    def _visits_found(self, rows: list[Any]) -> None:
        self.visit_combo.clear()
        done = [r for r in rows if r.status is FollowUpStatus.DONE]
        for r in sorted(done, key=lambda r: r.actual_date or r.planned_date, reverse=True):
            when = (r.actual_date or r.planned_date).isoformat() if (r.actual_date or r.planned_date) else "—"
            self.visit_combo.addItem(f"{when}  {enum_label(r.method)}", r.id)
        if not done:
            self.visit_combo.addItem(self.tr("No visit done yet"), None)

    # ------------------------------------------------------------------ generate

    def generate(self) -> None:
        self.banner.clear()
        kind = self.kind.currentData()
        full = self.full_name.isChecked() and kind not in STATISTICS
        if kind == FOLLOWUP:
            visit_id = self.visit_combo.currentData()
            if visit_id is None:
                self.banner.error(self.tr("Choose a file and one of its visits first."))
                return
            name = "回访记录表.pdf"

            def job(desk: Any) -> bytes:
                return desk.reports.followup_record(visit_id, full_name=full)
        elif kind == SUMMARY:
            victim_id = self.file_combo.currentData()
            if victim_id is None:
                self.banner.error(self.tr("Choose a file first."))
                return
            name = "档案摘要.pdf"

            def job(desk: Any) -> bytes:
                return desk.reports.file_summary(victim_id, full_name=full)
        elif kind == ANNUAL:
            year = self.year.value()
            name = f"{year}年度统计表.pdf"

            def job(desk: Any) -> bytes:
                return desk.reports.annual(year)
        else:
            first, last = self.first_year.value(), self.last_year.value()
            name = f"{first}-{last}年阶段统计表.pdf"

            def job(desk: Any) -> bytes:
                return desk.reports.period(first, last)

        self.generate_button.setEnabled(False)
        run_job(self.ctx, job, title=self.tr("Preparing the report…"), parent=self,
                on_done=lambda pdf: self._generated(pdf, name), on_error=self._generate_failed)

    # ------------------------------------------------------------------ spreadsheet

    def _xlsx_name(self) -> str:
        if self.kind.currentData() == PERIOD:
            return f"{self.first_year.value()}-{self.last_year.value()}年阶段统计表.xlsx"
        return f"{self.year.value()}年度统计表.xlsx"

    def _choose_xlsx(self) -> None:
        path = FileChoice.save(self, self.tr("Save the spreadsheet"), self._xlsx_name(),
                               self.tr("Spreadsheets (*.xlsx)"))
        if path is not None:
            self.save_xlsx(path if path.suffix else path.with_suffix(".xlsx"))

    def save_xlsx(self, path: Path) -> None:
        """Build the protected tables as .xlsx on the worker and write them to ``path``."""
        self.banner.clear()
        kind = self.kind.currentData()
        year, first, last = self.year.value(), self.first_year.value(), self.last_year.value()

        def job(desk: Any) -> bytes:
            service = desk.reports
            return service.annual_workbook(year) if kind == ANNUAL else service.period_workbook(first, last)

        def done(data: bytes) -> None:
            try:
                atomic_write_bytes(path, data, mode=0o600)
            except OSError:
                self.banner.error(self.tr("The file could not be saved there. Choose another folder."))
                return
            self.last_xlsx = path
            self.banner.success(self.tr("Saved to %1.").replace("%1", str(path)))
            self.ctx.data_changed.emit("audit")

        run_job(self.ctx, job, title=self.tr("Preparing the spreadsheet…"), parent=self, on_done=done,
                on_error=self._failed)

    def _generated(self, pdf: bytes, name: str) -> None:
        self.generate_button.setEnabled(True)
        self.last_pdf = pdf
        self.preview.set_pdf(pdf, name)
        self.ctx.data_changed.emit("audit")

    def _generate_failed(self, exc: Exception) -> None:
        self.generate_button.setEnabled(True)
        self._failed(exc)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, FanguaiError) and exc.code in NO_CERTIFICATE:
            self.banner.error(error_text(exc) + " " + self.tr(
                "A signed report needs your certificate: go to Settings → Certificates to request and install it."),
                (self.tr("Open settings"), lambda: self.nav.navigate("settings")))
            return
        self.banner.error(error_text(exc))

    # ------------------------------------------------------------------ verify

    def _choose_verify(self) -> None:
        path = FileChoice.open(self, self.tr("Choose a signed PDF"), self.tr("PDF files (*.pdf)"))
        if path is not None:
            self.verify_file(path)

    def verify_file(self, path: Path) -> None:
        self.banner.clear()
        try:
            data = path.read_bytes()
        except OSError:
            self.banner.error(self.tr("The file cannot be read."))
            return
        self.verify_result.setText(self.tr("Checking…"))
        run_job(self.ctx, lambda desk: desk.reports.verify(data), title=self.tr("Checking…"), parent=self,
                on_done=self._verified, on_error=self._verify_failed)

    def _verify_failed(self, exc: Exception) -> None:
        self.verify_result.clear()
        self._failed(exc)

    def _verified(self, result: PdfVerification) -> None:
        self.last_verification = result
        yes, no = self.tr("yes"), self.tr("no")
        summaries = {
            "unsigned": self.tr("This PDF is not signed."),
            "valid": self.tr("Signature valid: the report is unchanged and signed by a county certificate."),
            "tampered": self.tr("The report was changed after it was signed. Do not rely on it."),
            "revoked": self.tr("The signer's certificate has been revoked."),
            "crl_outdated": self.tr("The installed revocation list is out of date: install the latest one "
                                    "from the county."),
            "certificate_expired": self.tr("The signer's certificate had expired."),
            "certificate_not_yet_valid": self.tr("The signer's certificate was not yet valid."),
            "untrusted": self.tr("The signer's certificate does not come from the county installed here."),
            "modified_after_signing": self.tr("Something was added to the file after it was signed."),
            "not_signing_certificate": self.tr("Signed with an encryption certificate: only a signing "
                                               "certificate may sign. Do not rely on it."),
        }
        lines = [summaries.get(result.summary_code, result.summary_code)]
        if result.signed:
            when = local_time(result.signed_at).strftime("%Y-%m-%d %H:%M") if result.signed_at else "—"
            lines += [
                self.tr("Signed by: %1").replace("%1", result.signer or "—"),
                self.tr("Signed at: %1").replace("%1", when),
                self.tr("Unchanged since signing: %1").replace("%1", yes if result.intact else no),
                self.tr("Certificate from the county: %1").replace("%1", yes if result.trusted else no),
                self.tr("Certificate revoked: %1").replace("%1", yes if result.revoked else no),
            ]
        self.verify_result.setText("\n".join(lines))
        self.verify_result.setObjectName("" if result.summary_code == "valid" else "FieldError")
        self.verify_result.style().unpolish(self.verify_result)
        self.verify_result.style().polish(self.verify_result)
