"""数据交换: export a signed, encrypted bundle for the county; import one (supervisor), review what it brought.

Every step is a thin call into :class:`~fanguai_desk.services.exchange.ExchangeService` on the worker.  An
import is always previewed first (the bundle is verified and described, nothing is written), and only the
"Import" button writes.  Refusals are shown inline in the banner with the core's message, never as a
traceback; a missing earlier bundle (``bundle_gap``) offers "Import anyway" explicitly.

Buttons ask for files with a dialog and then call a plain method with the path (``export_to``,
``preview_file``, ``import_now``) — which is also what the tests call.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.enums import Installation
from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.progress import Progress
from fanguai_desk.services.exchange import (
    BundlePreview,
    DeliveryStatus,
    ExportOutcome,
    ImportOutcome,
    ReceiptOutcome,
)
from fanguai_desk.services.exchange_views import ConflictView, FileRef, Laptop
from fanguai_desk.store.atomic import atomic_write_bytes
from fanguai_desk.store.clock import local_time
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.i18n import format_date, format_datetime
from fanguai_desk.ui.jobs import FileChoice, core_text, run_job, run_staged_job
from fanguai_desk.ui.labels import enum_label, field_label
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.pages.base import Navigator, Page
from fanguai_desk.ui.widgets import Banner, Column, RecordTable, RowsModel, heading, muted

translate = QCoreApplication.translate

RECORD_TYPES: dict[str, object] = {
    "township": QT_TRANSLATE_NOOP("RecordTypes", "Townships"),
    "user": QT_TRANSLATE_NOOP("RecordTypes", "Staff"),
    "case": QT_TRANSLATE_NOOP("RecordTypes", "Cases"),
    "victim": QT_TRANSLATE_NOOP("RecordTypes", "Files"),
    "guardian": QT_TRANSLATE_NOOP("RecordTypes", "Guardians"),
    "buyer_household": QT_TRANSLATE_NOOP("RecordTypes", "Buyer households"),
    "service": QT_TRANSLATE_NOOP("RecordTypes", "Assistance services"),
    "followup": QT_TRANSLATE_NOOP("RecordTypes", "Follow-up visits"),
    "referral": QT_TRANSLATE_NOOP("RecordTypes", "Legal-aid referrals"),
    "referral_event": QT_TRANSLATE_NOOP("RecordTypes", "Referral events"),
    "placement": QT_TRANSLATE_NOOP("RecordTypes", "Placements"),
    "consent": QT_TRANSLATE_NOOP("RecordTypes", "Consents"),
    "attachment": QT_TRANSLATE_NOOP("RecordTypes", "Attachments"),
    "print": QT_TRANSLATE_NOOP("RecordTypes", "Print records"),
}

DUPLICATE_REASONS: dict[str, object] = {
    "same_id_number": QT_TRANSLATE_NOOP("RecordTypes", "Same ID number"),
    "same_name_birth_sex": QT_TRANSLATE_NOOP("RecordTypes", "Same name, date of birth and sex"),
}


def record_type_label(code: str) -> str:
    return translate("RecordTypes", str(RECORD_TYPES[code])) if code in RECORD_TYPES else code


def laptop_text(laptop: Laptop | None) -> str:
    """A laptop by the township it was set up for: "青龙镇的电脑", "青龙镇的第 2 台电脑", "本机"."""
    if laptop is None:
        return "—"
    if laptop.this_laptop:
        return translate("ExchangePage", "this laptop")
    if laptop.township is None:
        return translate("ExchangePage", "a laptop not known here yet")
    return translate("ExchangePage", "%1's laptop").replace("%1", laptop.township)


def file_text(ref: FileRef | None) -> str:
    """A file as a caseworker finds it: "QL-2024-0012 张**（青龙镇）"."""
    if ref is None:
        return "—"
    if not ref.file_number:
        return translate("ExchangePage", "(file deleted)")
    head = " ".join(x for x in (ref.file_number, ref.name) if x)
    return f"{head}（{ref.township}）" if ref.township else head


def conflict_record_text(c: ConflictView) -> str:
    """Which record: the file for a file's records, else the case/township/staff member."""
    if c.file is not None:
        return file_text(c.file)
    return c.record_label or "—"


def value_text(value: Any) -> str:
    """A conflict's value (already masked by the core) in words."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return translate("ExchangePage", "yes") if value else translate("ExchangePage", "no")
    if isinstance(value, StrEnum):
        return enum_label(value)
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _counts_text(counts: dict[str, int]) -> str:
    shown = [(k, v) for k, v in counts.items() if v]
    if not shown:
        return "—"
    order = list(RECORD_TYPES)
    shown.sort(key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    return "、".join(f"{record_type_label(k)} {v}" for k, v in shown)


def subject_text(subject: str) -> str:
    """"CN=青龙镇社工,2.5.4.12=admin,OU=青龙镇,O=示例县,C=CN" → "青龙镇社工（青龙镇，示例县）"."""
    parts = dict(p.split("=", 1) for p in subject.split(",") if "=" in p)
    name = parts.get("CN", subject)
    where = "，".join(x for x in (parts.get("OU"), parts.get("O")) if x)
    return f"{name}（{where}）" if where else name


def _local(dt: Any) -> str:
    if dt is None:
        return ""
    return local_time(dt).strftime("%Y-%m-%d %H:%M")


class ExchangePage(Page):
    depends_on = ("exchange", "victims")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.recipient_path: Path | None = None
        self.bundle_path: Path | None = None
        self.preview: BundlePreview | None = None
        self.last_export: ExportOutcome | None = None
        self.last_import: ImportOutcome | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(self.tr("Data exchange")))
        layout.addWidget(muted(self.tr("Townships export encrypted, signed bundles on a USB stick; the county "
                                       "supervisor imports them. Nothing leaves the laptop any other way.")))
        # What this laptop is (township or county), and so what it does in the exchange.
        self.installation_label = muted("")
        self.installation_label.setObjectName("installation")
        layout.addWidget(self.installation_label)
        self.banner = Banner()
        layout.addWidget(self.banner)
        self.tabs = QTabWidget()
        self.export_tab = self._build_export()
        self.import_tab = self._build_import()
        self.conflicts_tab = self._build_conflicts()
        self.duplicates_tab = self._build_duplicates()
        self.history_tab = self._build_history()
        self.delivery_tab = self._build_delivery()
        # Which tabs, in this order, is decided by the services' own table (AppContext.can): the user's role and
        # what this laptop is.  The export tab on a township laptop; the county's review tabs on the county's.
        self._export_tabs = [(self.export_tab, self.tr("Export"))]
        self._review_tabs = [
            (self.import_tab, self.tr("Import")),
            (self.conflicts_tab, self.tr("Conflicts")),
            (self.duplicates_tab, self.tr("Possible duplicates")),
            (self.history_tab, self.tr("Past imports")),
        ]
        self._delivery_tabs = [(self.delivery_tab, self.tr("Delivery and receipts"))]
        layout.addWidget(self.tabs, 1)
        self._shown: tuple[bool, bool] | None = None
        self.last_receipt: ReceiptOutcome | None = None

    # ------------------------------------------------------------------ role

    @property
    def is_reviewer(self) -> bool:
        return self.ctx.can(Permission.IMPORT)

    @property
    def is_exporter(self) -> bool:
        return self.ctx.can(Permission.EXPORT)

    def _sync_tabs(self) -> None:
        shown = (self.is_exporter, self.is_reviewer)
        if shown == self._shown:
            return
        self._shown = shown
        exporter, reviewer = shown
        wanted = ((self._export_tabs if exporter else []) + (self._review_tabs if reviewer else [])
                  + self._delivery_tabs)
        current = self.tabs.currentWidget()
        while self.tabs.count():
            self.tabs.removeTab(0)
        for widget, title in wanted:
            self.tabs.addTab(widget, title)
        if current is not None and self.tabs.indexOf(current) >= 0:
            self.tabs.setCurrentWidget(current)
        if self.ctx.installation is Installation.COUNTY:
            text = self.tr("This laptop: %1. It imports the townships' bundles, reviews them and writes the "
                           "receipts; townships export on their own laptops.")
        else:
            text = self.tr("This laptop: %1. It exports to the county and takes in the county's receipts; "
                           "bundles are imported on the county's laptop.")
        self.installation_label.setText(text.replace("%1", enum_label(self.ctx.installation)))

    def refresh(self) -> None:
        super().refresh()
        self._sync_tabs()
        if self.ctx.is_locked:
            return
        if not self.is_reviewer:
            self.write_receipt_button.hide()
        if not self.is_exporter:
            self.read_receipt_button.hide()
        self.ctx.call(lambda desk: desk.exchange.status(), self._show_delivery, self._failed)
        if not self.is_reviewer:
            return
        self.ctx.call(lambda desk: (desk.exchange.conflicts(), desk.exchange.duplicates(),
                                    desk.exchange.imported()), self._show_lists, self._failed)

    def _show_lists(self, lists: tuple[list[Any], list[Any], list[Any]]) -> None:
        conflicts, duplicates, imported = lists
        self.conflicts.set_rows(conflicts)
        self.duplicates.set_rows(duplicates)
        self.history.set_rows(imported)
        self.tabs.setTabText(self.tabs.indexOf(self.conflicts_tab),
                             self.tr("Conflicts (%1)").replace("%1", str(len(conflicts))))
        self.tabs.setTabText(self.tabs.indexOf(self.duplicates_tab),
                             self.tr("Possible duplicates (%1)").replace("%1", str(len(duplicates))))
        self._conflict_selected()
        self._duplicate_selected()

    def _failed(self, exc: Exception) -> None:
        self.banner.error(error_text(exc))

    # ------------------------------------------------------------------ export

    def _build_export(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(12, 12, 12, 12)
        v.addWidget(muted(self.tr(
            "1. Put the USB stick from the county in the laptop and choose the supervisor's certificate "
            "(a .crt or .pem file).\n2. Choose what to send and click “Export to a file…”: the bundle is "
            "encrypted so that only that supervisor can open it, and signed with your certificate.\n"
            "3. Take the .p7m file to the county. Each export only sends what changed since the last one.")))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.recipient_edit = QLineEdit()
        self.recipient_edit.setReadOnly(True)
        self.recipient_edit.setPlaceholderText(self.tr("No certificate chosen"))
        choose = QPushButton(self.tr("Choose certificate…"))
        choose.clicked.connect(self._choose_recipient)
        row = QHBoxLayout()
        row.addWidget(self.recipient_edit, 1)
        row.addWidget(choose)
        form.addRow(self.tr("Supervisor's certificate"), row)
        self.stats_only = QCheckBox(self.tr("Statistics only (counts, no personal data)"))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(QDate.currentDate().year())
        self.year.setEnabled(False)
        self.stats_only.toggled.connect(self.year.setEnabled)
        stats_row = QHBoxLayout()
        stats_row.addWidget(self.stats_only)
        stats_row.addSpacing(12)
        stats_row.addWidget(QLabel(self.tr("Year")))
        stats_row.addWidget(self.year)
        stats_row.addStretch(1)
        form.addRow(self.tr("Content"), stats_row)
        self.with_attachments = QCheckBox(self.tr("Also send the files' attachments (scans, photos)"))
        self.stats_only.toggled.connect(lambda on: self.with_attachments.setEnabled(not on))
        form.addRow("", self.with_attachments)
        # ``export --catch-up``: when the county says bundles were lost (its import names the missing numbers)
        self.catch_up = QCheckBox(self.tr("Also resend everything the supervisor has not confirmed"))
        self.catch_up.setToolTip(self.tr("Use this when the county reports missing bundles: the export then "
                                         "carries every change since the supervisor's last receipt."))
        self.stats_only.toggled.connect(lambda on: self.catch_up.setEnabled(not on))
        form.addRow("", self.catch_up)
        v.addLayout(form)
        self.export_button = QPushButton(self.tr("Export to a file…"))
        self.export_button.setObjectName("Primary")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._choose_export_file)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        v.addLayout(buttons)
        self.export_result = QLabel()
        self.export_result.setWordWrap(True)
        self.export_result.setObjectName("Panel")
        self.export_result.hide()  # an empty panel says nothing: shown with the first export's result
        v.addWidget(self.export_result)
        v.addStretch(1)
        return w

    def _choose_recipient(self) -> None:
        path = FileChoice.open(self, self.tr("The supervisor's certificate"),
                               self.tr("Certificates (*.crt *.pem *.cer)"))
        if path is not None:
            self.set_recipient(path)

    def set_recipient(self, path: Path) -> None:
        self.recipient_path = path
        self.recipient_edit.setText(str(path))
        self.export_button.setEnabled(True)

    def _choose_export_file(self) -> None:
        suggested = "fanguai-" + QDate.currentDate().toString("yyyyMMdd") + ".p7m"
        path = FileChoice.save(self, self.tr("Save the bundle"), suggested, self.tr("Bundles (*.p7m)"))
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        self.banner.clear()
        if self.recipient_path is None:
            self.banner.error(self.tr("Choose the supervisor's certificate first."))
            return
        try:
            cert = self.recipient_path.read_bytes()
        except OSError:
            self.banner.error(self.tr("The certificate file cannot be read."))
            return
        stats_only = self.stats_only.isChecked()
        year = self.year.value() if stats_only else None
        attachments = self.with_attachments.isChecked() and not stats_only
        catch_up = self.catch_up.isChecked() and not stats_only
        target = path if path.suffix else path.with_suffix(".p7m")

        def job(desk: Any, progress: Progress) -> ExportOutcome:
            return desk.exchange.export(cert, statistics_only=stats_only, year=year,
                                        out=target,  # a large export: the set's list + parts
                                        include_attachments=attachments, catch_up=catch_up, progress=progress)

        self.export_button.setEnabled(False)
        self.job_dialog = run_staged_job(self.ctx, job, title=self.tr("Exporting…"), parent=self,
                                         on_done=lambda outcome: self._exported(outcome, target),
                                         on_error=self._export_failed)

    def _exported(self, outcome: ExportOutcome, path: Path) -> None:
        self.export_button.setEnabled(True)
        self.catch_up.setChecked(False)  # a one-time catch-up, not a standing choice
        self.last_export = outcome
        kind = self.tr("statistics") if outcome.kind == "statistics" else self.tr("records")
        self.banner.success(self.tr("Bundle no. %1 saved to %2.").replace("%1", str(outcome.sequence))
                            .replace("%2", str(path)))
        self.export_result.show()
        self.export_result.setText(
            self.tr("Bundle no. %1 (%2)\nRecords: %3\nDeletions: %4")
            .replace("%1", str(outcome.sequence)).replace("%2", kind)
            .replace("%3", _counts_text(outcome.counts)).replace("%4", str(outcome.tombstones)))
        self.ctx.data_changed.emit("exchange")

    def _export_failed(self, exc: Exception) -> None:
        self.export_button.setEnabled(True)
        self.banner.error(error_text(exc))

    # ------------------------------------------------------------------ import

    def _build_import(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(12, 12, 12, 12)
        v.addWidget(muted(self.tr(
            "Choose a bundle (.p7m) from a township. It is checked and described first — nothing is written "
            "until you click “Import”. A refused bundle changes nothing.")))
        row = QHBoxLayout()
        self.bundle_edit = QLineEdit()
        self.bundle_edit.setReadOnly(True)
        self.bundle_edit.setPlaceholderText(self.tr("No bundle chosen"))
        choose = QPushButton(self.tr("Choose bundle…"))
        choose.clicked.connect(self._choose_bundle)
        row.addWidget(self.bundle_edit, 1)
        row.addWidget(choose)
        v.addLayout(row)
        self.preview_label = QLabel()
        self.preview_label.setObjectName("Panel")
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_label.setMinimumHeight(60)
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        v.addWidget(self.preview_label)
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setObjectName("Primary")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(lambda: self.import_now())
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        v.addLayout(buttons)
        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.report_label)
        v.addStretch(1)
        return w

    def _choose_bundle(self) -> None:
        path = FileChoice.open(self, self.tr("Choose a bundle"), self.tr("Bundles (*.p7m);;All files (*)"))
        if path is not None:
            self.preview_file(path)

    def preview_file(self, path: Path) -> None:
        self.banner.clear()
        self.bundle_path = path
        self.preview = None
        self.bundle_edit.setText(str(path))
        self.import_button.setEnabled(False)
        self.preview_label.setText(self.tr("Checking the bundle…"))
        self.report_label.clear()
        run_job(self.ctx, lambda desk: desk.exchange.preview(path), title=self.tr("Checking the bundle…"),
                parent=self, on_done=self._previewed, on_error=self._preview_failed)

    def _previewed(self, preview: BundlePreview) -> None:
        self.preview = preview
        kind = self.tr("statistics") if preview.kind == "statistics" else self.tr("records")
        lines = [
            self.tr("Signature and sender verified."),
            self.tr("Kind: %1").replace("%1", kind),
            self.tr("Bundle no.: %1").replace("%1", str(preview.sequence)),
            self.tr("Made on: %1").replace("%1", _local(preview.created_at)),
            self.tr("From: %1").replace("%1", laptop_text(preview.laptop)),
            self.tr("Signed by: %1").replace("%1", subject_text(preview.author)),
            self.tr("Contains: %1").replace("%1", _counts_text(preview.counts)),
            self.tr("Deletions: %1").replace("%1", str(preview.tombstones)),
            core_text("import_disk_need", {"needed_mb": -(-preview.disk_needed // 2**20),
                                           "free_mb": preview.disk_free // 2**20}),
        ]
        if preview.gap:
            lines.append(self.tr("Warning: %1 earlier bundle(s) from this laptop were never imported.")
                         .replace("%1", str(preview.gap)))
        self.preview_label.setText("\n".join(lines))
        self.import_button.setEnabled(True)

    def _preview_failed(self, exc: Exception) -> None:
        self.preview_label.setText(self.tr("Refused: nothing was imported."))
        self.banner.error(error_text(exc))

    def import_now(self, accept_gap: bool = False) -> None:
        if self.bundle_path is None or self.preview is None:
            return
        path = self.bundle_path
        self.banner.clear()
        self.import_button.setEnabled(False)
        self.job_dialog = run_staged_job(
            self.ctx, lambda desk, progress: desk.exchange.import_bundle(path, accept_gap=accept_gap,
                                                                                progress=progress),
            title=self.tr("Importing…"), parent=self, on_done=self._imported, on_error=self._import_failed)

    def _imported(self, outcome: ImportOutcome) -> None:
        self.last_import = outcome
        self.preview = None
        r = outcome.report
        self.report_label.setText(self.tr(
            "Imported bundle no. %1.\nAdded: %2\nUpdated: %3\nDeleted: %4\nConflicts to review: %5\n"
            "Possible duplicates to review: %6")
            .replace("%1", str(outcome.preview.sequence)).replace("%2", _counts_text(r.added))
            .replace("%3", _counts_text(r.updated)).replace("%4", str(r.deleted))
            .replace("%5", str(r.conflicts)).replace("%6", str(r.duplicates)))
        self.banner.success(self.tr("Bundle imported."))
        self.ctx.data_changed.emit("*")
        self.refresh()

    def _import_failed(self, exc: Exception) -> None:
        if isinstance(exc, FanguaiError) and exc.code == "bundle_gap":
            self.import_button.setEnabled(True)
            self.banner.show_message(error_text(exc), "warning",
                                     (self.tr("Import anyway"), lambda: self.import_now(accept_gap=True)))
            return
        self.preview = None
        self.banner.error(error_text(exc))

    # ------------------------------------------------------------------ delivery: receipts and status

    def _build_delivery(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(12, 12, 12, 12)
        v.addWidget(muted(self.tr(
            "The county writes a signed receipt of everything it holds and gives it to the townships with the "
            "USB stick. A township takes it in here: it then knows which of its changes have arrived, and "
            "“Also resend everything the supervisor has not confirmed” on the Export tab sends the rest.")))
        buttons = QHBoxLayout()
        self.write_receipt_button = QPushButton(self.tr("Write a receipt for the townships…"))
        self.write_receipt_button.clicked.connect(self._choose_receipt_out)
        self.read_receipt_button = QPushButton(self.tr("Take in the supervisor's receipt…"))
        self.read_receipt_button.clicked.connect(self._choose_receipt_in)
        buttons.addWidget(self.write_receipt_button)
        buttons.addWidget(self.read_receipt_button)
        buttons.addStretch(1)
        v.addLayout(buttons)
        # Until the delivery status says what this laptop sent and received, neither button shows.
        self.write_receipt_button.hide()
        self.read_receipt_button.hide()
        self.receipt_hint = muted("")
        self.receipt_hint.hide()
        v.addWidget(self.receipt_hint)
        self.delivery_text = QLabel()
        self.delivery_text.setWordWrap(True)
        self.delivery_text.setObjectName("Panel")
        self.delivery_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.delivery_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        v.addWidget(self.delivery_text)
        v.addStretch(1)
        return w

    def _choose_receipt_out(self) -> None:
        suggested = "receipt-" + QDate.currentDate().toString("yyyyMMdd") + ".p7s"
        path = FileChoice.save(self, self.tr("Save the receipt"), suggested, self.tr("Receipts (*.p7s)"))
        if path is not None:
            self.write_receipt_to(path)

    def write_receipt_to(self, path: Path) -> None:
        """County: sign a receipt of what it holds from every laptop and save it for the townships."""
        self.banner.clear()
        target = path if path.suffix else path.with_suffix(".p7s")
        self.write_receipt_button.setEnabled(False)
        self.job_dialog = run_job(self.ctx, lambda desk: desk.exchange.receipt(), title=self.tr("Writing the receipt…"),
                                  parent=self, on_done=lambda data: self._receipt_written(data, target),
                                  on_error=self._receipt_failed)

    def _receipt_written(self, data: bytes, path: Path) -> None:
        self.write_receipt_button.setEnabled(True)
        try:
            atomic_write_bytes(path, data)
        except OSError:
            self.banner.error(self.tr("The receipt file cannot be written there. Choose another place."))
            return
        self.banner.success(self.tr("Signed receipt saved to %1. Give it to the townships with their USB stick.")
                            .replace("%1", str(path)))

    def _choose_receipt_in(self) -> None:
        path = FileChoice.open(self, self.tr("The supervisor's receipt"),
                               self.tr("Receipts (*.p7s);;All files (*)"))
        if path is not None:
            self.read_receipt_from(path)

    def read_receipt_from(self, path: Path) -> None:
        """Township: take in the supervisor's receipt; the delivery status then shows what arrived."""
        self.banner.clear()
        try:
            data = path.read_bytes()
        except OSError:
            self.banner.error(self.tr("The receipt file cannot be read."))
            return
        self.read_receipt_button.setEnabled(False)
        self.job_dialog = run_job(self.ctx, lambda desk: desk.exchange.import_receipt(data),
                                  title=self.tr("Reading the receipt…"), parent=self,
                                  on_done=self._receipt_read, on_error=self._receipt_failed)

    def _receipt_read(self, outcome: ReceiptOutcome) -> None:
        self.read_receipt_button.setEnabled(True)
        self.last_receipt = outcome
        self.banner.success(self.tr("Receipt taken in: the supervisor confirms holding this laptop's changes "
                                    "1–%1.").replace("%1", str(outcome.acked_through)))
        self.ctx.data_changed.emit("exchange")
        self.refresh()

    def _receipt_failed(self, exc: Exception) -> None:
        self.write_receipt_button.setEnabled(True)
        self.read_receipt_button.setEnabled(True)
        self.banner.error(error_text(exc))

    def _receipt_buttons(self, st: DeliveryStatus) -> None:
        """Each receipt button only where it means something, for someone allowed to use it (the services'
        own table, ``AppContext.can``: the user's role and what this laptop is): a receipt is written on the
        county's laptop once bundles from the townships have been imported, and taken in on a township laptop
        once bundles were sent."""
        received = bool(st.received or st.received_v1)
        write = self.is_reviewer and received
        read = self.is_exporter and bool(st.peers)
        self.write_receipt_button.setVisible(write)
        self.read_receipt_button.setVisible(read)
        if write or read:
            self.receipt_hint.hide()
            return
        self.receipt_hint.setText(self.tr(
            "Nothing has been sent or received on this laptop yet: receipts start with the first bundle "
            "(the county writes them after importing; a township takes them in after exporting)."))
        self.receipt_hint.show()

    def _show_delivery(self, st: DeliveryStatus) -> None:
        """The delivery status in sentences: supervisors by name, laptops by township, never an id."""
        self._receipt_buttons(st)
        lines: list[str] = []
        for p in st.peers:
            to = subject_text(p.subject) if p.subject else self.tr("the supervisor")
            lines.append(self.tr("To %1: bundles 1–%2 sent; the supervisor has confirmed changes up to no. %3.")
                         .replace("%1", to).replace("%2", str(p.last_sequence)).replace("%3", str(p.acked_through)))
            lines.append(self.tr("Last receipt: %1.").replace("%1", _local(p.acked_at)) if p.acked_at
                         else self.tr("No receipt from the supervisor yet."))
            lines.append(self.tr("Records not yet sent: %1; not yet confirmed: %2.")
                         .replace("%1", str(p.changed_since_sent)).replace("%2", str(p.changed_since_acked)))
            if p.acked_at:
                lines.append(self.tr("By the last receipt the county lacks %1 record(s), has an older version of "
                                     "%2, and %3 deletion(s) have not arrived.")
                             .replace("%1", str(len(p.missing_at_county)))
                             .replace("%2", str(len(p.outdated_at_county)))
                             .replace("%3", str(len(p.deletions_not_at_county))))
            if not p.digest_complete:
                lines.append(self.tr("Many differences (at least %1): resend everything not confirmed.")
                             .replace("%1", str(p.differences_at_least)))
            if p.changed_since_acked:
                lines.append(self.tr("To send them again, export with “Also resend everything the supervisor has "
                                     "not confirmed”."))
            lines.append("")
        for r in st.received:
            lines.append(self.tr("From %1: bundles %2 imported; changes held without a gap up to no. %3.")
                         .replace("%1", laptop_text(r.laptop)).replace("%2", "、".join(map(str, r.sequences)))
                         .replace("%3", str(r.held_through)))
            for low, high in r.missing_changes:
                lines.append(self.tr("  Changes %1–%2 are missing: ask that township to export again with "
                                     "“Also resend everything the supervisor has not confirmed”.")
                             .replace("%1", str(low + 1)).replace("%2", str(high)))
        for _inst, n, last in st.received_v1:
            lines.append(self.tr("From a laptop with an older program: %1 bundle(s), the last no. %2.")
                         .replace("%1", str(n)).replace("%2", str(last)))
        if not any(lines):
            lines = [self.tr("Nothing sent or received yet.")]
        self.delivery_text.setText("\n".join(lines).strip())

    # ------------------------------------------------------------------ conflicts

    def _build_conflicts(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(12, 12, 12, 12)
        v.addWidget(muted(self.tr("The same field was changed here and on the township laptop since the last "
                                  "exchange. The local value is kept until you choose. Double-click a file's "
                                  "conflict to open the file.")))
        self.conflicts = RowsModel([
            Column(self.tr("File"), conflict_record_text),
            Column(self.tr("Record"), lambda c: record_type_label(c.record_type)),
            Column(self.tr("Field"), lambda c: field_label(c.field)),
            Column(self.tr("Value here"), lambda c: value_text(c.local_value)),
            Column(self.tr("Incoming value"), lambda c: value_text(c.incoming_value)),
            Column(self.tr("From"), lambda c: laptop_text(c.laptop)),
        ])
        self.conflict_table = RecordTable()
        self.conflict_table.setModel(self.conflicts)
        self.conflict_table.set_empty_text(self.tr("No conflicts: every imported change could be applied."))
        self.conflict_table.selectionModel().selectionChanged.connect(self._conflict_selected)
        self.conflict_table.open_requested.connect(self._open_conflict)
        v.addWidget(self.conflict_table, 1)
        self.conflict_hint = muted("")
        v.addWidget(self.conflict_hint)
        self.keep_local = QPushButton(self.tr("Keep the value here"))
        self.take_incoming = QPushButton(self.tr("Take the incoming value"))
        self.keep_local.clicked.connect(lambda: self.resolve_selected("local"))
        self.take_incoming.clicked.connect(lambda: self.resolve_selected("incoming"))
        row = QHBoxLayout()
        row.addWidget(self.keep_local)
        row.addWidget(self.take_incoming)
        row.addStretch(1)
        v.addLayout(row)
        self._conflict_selected()
        return w

    def _conflict_selected(self, *_: Any) -> None:
        conflict = self.conflict_table.selected_row()
        has = conflict is not None
        self.keep_local.setEnabled(has)
        self.take_incoming.setEnabled(has)
        if conflict is not None and conflict.masked:
            self.conflict_hint.setText(self.tr("The values are masked. To compare them in full, double-click to "
                                               "open the file and use “Show full identity” (recorded in the "
                                               "audit log)."))
        else:
            self.conflict_hint.setText("")

    def _open_conflict(self, index: Any) -> None:
        conflict = self.conflicts.row_at(index)
        if conflict is not None and conflict.file is not None and conflict.file.file_number:
            self.nav.open_file(conflict.file.victim_id)

    def resolve_selected(self, keep: str) -> None:
        conflict = self.conflict_table.selected_row()
        if conflict is None:
            return
        cid = conflict.id

        def done(_: Any) -> None:
            self.banner.success(self.tr("Conflict resolved."))
            self.ctx.data_changed.emit("victims")
            self.refresh()

        self.ctx.call(lambda desk: desk.exchange.resolve_conflict(cid, keep), done, self._failed)

    # ------------------------------------------------------------------ duplicates

    def _build_duplicates(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(12, 12, 12, 12)
        v.addWidget(muted(self.tr("Two files that may be the same person. Double-click a row to open both "
                                  "files; then confirm or dismiss.")))
        self.duplicates = RowsModel([
            Column(self.tr("Imported file"), lambda d: file_text(d.file)),
            Column(self.tr("File already here"), lambda d: file_text(d.other)),
            Column(self.tr("Why"), lambda d: translate("RecordTypes", str(DUPLICATE_REASONS.get(d.reason, d.reason)))),
            Column(self.tr("From"), lambda d: laptop_text(d.laptop)),
            Column(self.tr("Flagged on"), lambda d: _local(d.created_at)),
        ])
        self.duplicate_table = RecordTable()
        self.duplicate_table.setModel(self.duplicates)
        self.duplicate_table.set_empty_text(self.tr("No possible duplicates to review."))
        self.duplicate_table.open_requested.connect(self._open_duplicate)
        self.duplicate_table.selectionModel().selectionChanged.connect(self._duplicate_selected)
        v.addWidget(self.duplicate_table, 1)
        self.dismiss_button = QPushButton(self.tr("Not the same person (dismiss)"))
        self.confirm_button = QPushButton(self.tr("Same person (confirm)"))
        self.dismiss_button.clicked.connect(lambda: self.review_selected("dismissed"))
        self.confirm_button.clicked.connect(lambda: self.review_selected("confirmed"))
        row = QHBoxLayout()
        row.addWidget(self.dismiss_button)
        row.addWidget(self.confirm_button)
        row.addStretch(1)
        v.addLayout(row)
        self._duplicate_selected()
        return w

    def _duplicate_selected(self, *_: Any) -> None:
        has = self.duplicate_table.selected_row() is not None
        self.dismiss_button.setEnabled(has)
        self.confirm_button.setEnabled(has)

    def _open_duplicate(self, index: Any) -> None:
        flag = self.duplicates.row_at(index)
        if flag is not None:
            for ref in (flag.other, flag.file):
                if ref.file_number:
                    self.nav.open_file(ref.victim_id)

    def review_selected(self, decision: str) -> None:
        flag = self.duplicate_table.selected_row()
        if flag is None:
            return
        fid = flag.id

        def done(_: Any) -> None:
            self.banner.success(self.tr("Review saved."))
            self.refresh()

        self.ctx.call(lambda desk: desk.exchange.review_duplicate(fid, decision), done, self._failed)

    # ------------------------------------------------------------------ history

    def _build_history(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(12, 12, 12, 12)
        self.history = RowsModel([
            Column(self.tr("Imported on"), lambda b: _local(b.imported_at)),
            Column(self.tr("Bundle no."), lambda b: b.sequence, align_right=True),
            Column(self.tr("Kind"), lambda b: self.tr("statistics") if b.kind == "statistics"
                   else self.tr("records")),
            Column(self.tr("From laptop"), lambda b: laptop_text(b.laptop)),
            Column(self.tr("Signed by"), lambda b: b.signed_by or "—"),
        ])
        self.history_table = RecordTable()
        self.history_table.setModel(self.history)
        self.history_table.set_empty_text(self.tr("No bundle has been imported yet."))
        self.history_table.selectionModel().selectionChanged.connect(self._history_selected)
        self.history_report = QPlainTextEdit()
        self.history_report.setReadOnly(True)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.history_table)
        split.addWidget(self.history_report)
        split.setSizes([500, 400])
        v.addWidget(split, 1)
        return w

    def _history_selected(self, *_: Any) -> None:
        bundle = self.history_table.selected_row()
        if bundle is None:
            self.history_report.clear()
            return
        try:
            report = json.loads(bundle.report or "{}")
        except ValueError:
            report = {}
        if bundle.kind == "statistics":  # protected counts, shown in the county reports (never as raw data)
            stats = report.get("statistics") or {}
            names = "、".join(str(n) for n in stats.get("townships") or []) if isinstance(stats, dict) else ""
            year = str(stats.get("year", "")) if isinstance(stats, dict) else ""
            self.history_report.setPlainText(self.tr(
                "Statistics only (protected counts, no records) for %1: %2.\n\nThey are added to the county's "
                "annual and period reports on the Reports page.").replace("%1", year).replace("%2", names or "—"))
            return
        lines = [
            self.tr("Bundle no. %1 from %2, signed by %3, made on %4.").replace("%1", str(bundle.sequence))
            .replace("%2", laptop_text(bundle.laptop)).replace("%3", bundle.signed_by or "—")
            .replace("%4", _local(bundle.created_at)),
            "",
            self.tr("Added: %1").replace("%1", _counts_text(report.get("added") or {})),
            self.tr("Updated: %1").replace("%1", _counts_text(report.get("updated") or {})),
            self.tr("Unchanged: %1").replace("%1", _counts_text(report.get("unchanged") or {})),
            self.tr("Deleted: %1").replace("%1", str(report.get("deleted", 0))),
            self.tr("Conflicts: %1").replace("%1", str(report.get("conflicts", 0))),
            self.tr("Possible duplicates: %1").replace("%1", str(report.get("duplicates", 0))),
        ]
        self.history_report.setPlainText("\n".join(lines))


__all__ = ["ExchangePage", "record_type_label", "subject_text"]
