"""导入台账 — the township ledger wizard: choose the spreadsheet, check how its columns were understood (and
correct them), check everything (a dry run), then import every row or none.  The work is the core's
(``services/ledger.py``); this dialog shows it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.services.ledger import FIELDS, LedgerPreview, LedgerResult
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.jobs import FileChoice, core_text
from fanguai_desk.ui.labels import field_label
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.widgets import Banner, heading, muted

LEDGER_ONLY = {"guardian", "placement"}


class LedgerImportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path: Path | None = None
        self.preview: LedgerPreview | None = None
        self.outcome: LedgerResult | None = None
        self.setWindowTitle(self.tr("Import the township ledger"))
        self.resize(1000, 680)
        self.banner = Banner()
        self.file_label = muted(self.tr("No file chosen yet."))
        self.choose_button = QPushButton(self.tr("Choose spreadsheet…"))
        self.choose_button.clicked.connect(self._choose)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels([self.tr("Column in the ledger"), self.tr("Imported as"),
                                                      self.tr("First row")])
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        self.mapping_table.verticalHeader().hide()
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.check_button = QPushButton(self.tr("Check (writes nothing)"))
        self.check_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button = QPushButton(self.tr("Import all rows"))
        self.import_button.setObjectName("Primary")
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.accept)
        for b in (self.check_button, self.import_button):
            b.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Import the township ledger (台账)")))
        layout.addWidget(muted(self.tr(
            "An .xlsx or .csv spreadsheet (UTF-8 or GB18030). Every row goes through the same checks as the form "
            "(ID number, DNA rule, township …). Nothing is imported unless every row is correct; people already "
            "on file are flagged and not filed twice.")))
        layout.addLayout(top)
        layout.addWidget(QLabel(self.tr("How the columns were understood (change any that is wrong):")))
        layout.addWidget(self.mapping_table, 2)
        layout.addWidget(QLabel(self.tr("Result")))
        layout.addWidget(self.report, 1)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ file and mapping

    def _choose(self) -> None:
        path = FileChoice.open(self, self.tr("Choose the ledger"), self.tr("Spreadsheets (*.xlsx *.csv)"))
        if path is not None:
            self.load(path)

    def load(self, path: Path) -> None:
        self.banner.clear()
        self.report.clear()
        self.path = path
        self.file_label.setText(path.name)
        self.ctx.call(lambda d: d.ledger.preview(path), self._previewed, self._failed)

    def _previewed(self, preview: LedgerPreview) -> None:
        self.preview = preview
        fields = sorted(FIELDS, key=lambda f: self._field_text(f))
        first = preview.rows[0] if preview.rows else {}
        self.mapping_table.setRowCount(len(preview.headers))
        for i, header in enumerate(preview.headers):
            self.mapping_table.setItem(i, 0, QTableWidgetItem(header))
            combo = QComboBox()
            combo.addItem(self.tr("(not imported)"), "")
            for f in fields:
                combo.addItem(self._field_text(f), f)
            combo.setCurrentIndex(max(0, combo.findData(preview.mapping.get(header, ""))))
            self.mapping_table.setCellWidget(i, 1, combo)
            mapped = preview.mapping.get(header, "")
            sample = first.get(mapped, "") if mapped else ""
            self.mapping_table.setItem(i, 2, QTableWidgetItem("" if sample is None else str(sample)))
        self.mapping_table.resizeColumnsToContents()
        encoding = f" · {preview.encoding}" if preview.encoding else ""
        self.file_label.setText(self.tr("%1 — %2 rows, headers on row %3").replace("%1", self.path.name if self.path
                                                                                   else "")
                                .replace("%2", str(preview.row_count)).replace("%3", str(preview.header_row))
                                + encoding)
        for b in (self.check_button, self.import_button):
            b.setEnabled(True)

    def _field_text(self, f: str) -> str:
        if f == "guardian":
            return self.tr("Guardian (name)")
        if f == "placement":
            return self.tr("Placement (kept in the notes)")
        return field_label(f)

    def mapping(self) -> dict[str, str]:
        out = {}
        for i in range(self.mapping_table.rowCount()):
            header_item = self.mapping_table.item(i, 0)
            combo = self.mapping_table.cellWidget(i, 1)
            if header_item is not None and isinstance(combo, QComboBox):
                out[header_item.text()] = str(combo.currentData() or "")
        return out

    def set_mapping(self, header: str, fieldname: str) -> None:
        for i in range(self.mapping_table.rowCount()):
            item = self.mapping_table.item(i, 0)
            combo = self.mapping_table.cellWidget(i, 1)
            if item is not None and item.text() == header and isinstance(combo, QComboBox):
                combo.setCurrentIndex(max(0, combo.findData(fieldname)))

    # ------------------------------------------------------------------ run

    def run(self, *, dry_run: bool) -> None:
        if self.path is None:
            return
        path, mapping = self.path, self.mapping()
        self.banner.clear()
        self.report.setPlainText(self.tr("Checking every row…"))
        for b in (self.check_button, self.import_button):
            b.setEnabled(False)
        self.ctx.call(lambda d: d.ledger.import_file(path, dry_run=dry_run, mapping=mapping),
                      self._done, self._failed)

    def _done(self, result: LedgerResult) -> None:
        self.outcome = result
        for b in (self.check_button, self.import_button):
            b.setEnabled(True)
        lines = []
        for e in result.errors:
            where = self.tr("Row %1").replace("%1", str(e.row))
            if e.cell:
                where += f" {e.cell}"
            if e.column:
                where += f"（{e.column}）"
            lines.append(f"{where}：{core_text(e.code, e.params)}")
        for d in result.duplicates:
            lines.append(self.tr("Row %1: already on file %2 — not filed twice.")
                         .replace("%1", str(d.row)).replace("%2", d.file_number))
        self.report.setPlainText("\n".join(lines))
        if result.errors:
            self.banner.error(core_text("ledger_rows_invalid", {"count": len({e.row for e in result.errors})}))
        elif result.dry_run:
            self.banner.success(self.tr("All %1 rows are correct: %2 new files would be created, %3 already on file. "
                                        "Nothing was written.").replace("%1", str(result.rows))
                                .replace("%2", str(result.would_create)).replace("%3", str(len(result.duplicates))))
        else:
            self.banner.success(self.tr("Imported: %1 new files; %2 rows were already on file.")
                                .replace("%1", str(len(result.created))).replace("%2", str(len(result.duplicates))))
            self.import_button.setEnabled(False)
            self.ctx.data_changed.emit("victims")

    def _failed(self, exc: Exception) -> None:
        for b in (self.check_button, self.import_button):
            b.setEnabled(self.preview is not None and not isinstance(exc, ValidationError))
        self.report.clear()
        self.banner.error(error_text(exc))

