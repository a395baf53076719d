"""维护 panel (in 设置): backups and their reminder, the check-up (doctor), and — for the administrator —
the files whose retention period has passed, to delete for good.

A thin layer over :class:`~fanguai_desk.services.maintenance.MaintenanceService` and
:class:`~fanguai_desk.services.purge.PurgeService`; every call runs on the worker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.permissions import Permission
from fanguai_desk.services.desk import clock_warning
from fanguai_desk.services.maintenance import BackupStatus
from fanguai_desk.services.purge import DueFile, PurgeReason, PurgeResult
from fanguai_desk.store.backup import BackupResult
from fanguai_desk.store.clock import local_time
from fanguai_desk.store.doctor import Check, DoctorReport, Status
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.jobs import core_text, run_job, run_staged_job
from fanguai_desk.ui.labels import enum_label
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.widgets import (
    MUTED_COLOR,
    OVERDUE_COLOR,
    SOON_COLOR,
    Banner,
    Column,
    RecordTable,
    RowsModel,
    heading,
    muted,
)

translate = QCoreApplication.translate

CHECK_NAMES: dict[str, object] = {
    "slots": QT_TRANSLATE_NOOP("Maintenance", "Key file"),
    "slots_copy": QT_TRANSLATE_NOOP("Maintenance", "Key file copy"),
    "recovery_slot": QT_TRANSLATE_NOOP("Maintenance", "Recovery key"),
    "cipher_integrity": QT_TRANSLATE_NOOP("Maintenance", "Encryption"),
    "integrity": QT_TRANSLATE_NOOP("Maintenance", "Database structure"),
    "schema": QT_TRANSLATE_NOOP("Maintenance", "Schema version"),
    "audit_chain": QT_TRANSLATE_NOOP("Maintenance", "Audit log"),
    "registry_id": QT_TRANSLATE_NOOP("Maintenance", "Registry identity"),
    "backup_age": QT_TRANSLATE_NOOP("Maintenance", "Backup"),
    "users_without_slot": QT_TRANSLATE_NOOP("Maintenance", "User keys"),
    "orphan_slots": QT_TRANSLATE_NOOP("Maintenance", "Unused keys"),
    "disk_space": QT_TRANSLATE_NOOP("Maintenance", "Disk space"),
    "files": QT_TRANSLATE_NOOP("Maintenance", "File sizes"),
    "in_use": QT_TRANSLATE_NOOP("Maintenance", "Other windows"),
    "database": QT_TRANSLATE_NOOP("Maintenance", "Database"),
}

STATUS_COLORS = {Status.OK: QColor("#067647"), Status.WARN: SOON_COLOR, Status.FAIL: OVERDUE_COLOR}


def _local(dt: Any) -> str:
    if dt is None:
        return "—"
    return local_time(dt).strftime("%Y-%m-%d %H:%M")


class MaintenancePanel(QWidget):
    """Backups, check-up and purge.  Call :meth:`refresh` when it becomes visible."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.status: BackupStatus | None = None
        self.report: DoctorReport | None = None
        self.last_backup: BackupResult | None = None
        self.last_purge: PurgeResult | None = None
        self._confirm_box: QMessageBox | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.banner = Banner()
        layout.addWidget(self.banner)
        self._build_backup(layout)
        self._build_doctor(layout)
        self._build_purge(layout)
        layout.addStretch(1)

    # ------------------------------------------------------------------ backup

    def _build_backup(self, layout: QVBoxLayout) -> None:
        layout.addWidget(heading(self.tr("Backups"), 2))
        self.reminder = QLabel()
        self.reminder.setObjectName("Warning")
        self.reminder.setWordWrap(True)
        self.reminder.hide()
        layout.addWidget(self.reminder)
        self.backup_info = QLabel()
        self.backup_info.setWordWrap(True)
        layout.addWidget(self.backup_info)
        layout.addWidget(muted(self.tr("A backup is encrypted like the registry itself and opens only with the "
                                       "registry's passwords. Copy the backup folder to a USB stick kept in a "
                                       "locked cupboard.")))
        self.backup_button = QPushButton(self.tr("Back up now"))
        self.backup_button.setObjectName("Primary")
        self.backup_button.clicked.connect(self.back_up)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addStretch(1)
        layout.addLayout(row)

    def _show_status(self, status: BackupStatus) -> None:
        self.status = status
        if status.last_backup_at is None:
            last = self.tr("Never backed up.")
        else:
            last = (self.tr("Last backup: %1 (%2 days ago).").replace("%1", _local(status.last_backup_at))
                    .replace("%2", str(status.days_since)))
        self.backup_info.setText(last + "\n" + self.tr("Backup folder: %1 (the last %2 are kept)")
                                 .replace("%1", str(status.folder)).replace("%2", str(status.keep)))
        if status.due:
            text = (self.tr("No backup has been made yet. Make one now.") if status.last_backup_at is None else
                    self.tr("The last backup is older than %1 days. Make one now.")
                    .replace("%1", str(status.reminder_days)))
            self.reminder.setText(text)
            self.reminder.show()
        else:
            self.reminder.hide()

    def back_up(self) -> None:
        self.banner.clear()
        self.backup_button.setEnabled(False)
        self.job_dialog = run_staged_job(
            self.ctx, lambda desk, progress: desk.maintenance.backup(progress=progress),
            title=self.tr("Backing up…"), parent=self, on_done=self._backed_up, on_error=self._backup_failed)

    def _backed_up(self, result: BackupResult) -> None:
        self.backup_button.setEnabled(True)
        self.last_backup = result
        self.banner.success(self.tr("Backup saved: %1 (%2 MB).").replace("%1", str(result.path))
                            .replace("%2", f"{result.size / 1024 / 1024:.1f}"))
        self.refresh()

    def _backup_failed(self, exc: Exception) -> None:
        self.backup_button.setEnabled(True)
        self.banner.error(error_text(exc))

    # ------------------------------------------------------------------ doctor

    def _build_doctor(self, layout: QVBoxLayout) -> None:
        layout.addWidget(heading(self.tr("Check-up"), 2))
        layout.addWidget(muted(self.tr("Checks that the registry's files are intact, the audit log has not been "
                                       "altered and a recent backup exists. It reads only counts, never "
                                       "personal data.")))
        self.doctor_status = QLabel()
        self.doctor_status.setObjectName("SectionTitle")
        self.checks = RowsModel([
            Column(self.tr("Result"), self._status_text, color=lambda c: STATUS_COLORS.get(c.status)),
            Column(self.tr("What was checked"), lambda c: translate("Maintenance", str(CHECK_NAMES[c.code]))
                   if c.code in CHECK_NAMES else c.code),
            Column(self.tr("Details"), lambda c: core_text(c.message, c.params)),
        ])
        self.check_table = RecordTable()
        self.check_table.setModel(self.checks)
        self.check_table.set_empty_text(self.tr("Click “Run the check-up”: the results appear here."))
        self.check_table.setMinimumHeight(340)
        self.doctor_button = QPushButton(self.tr("Run the check-up"))
        self.doctor_button.clicked.connect(self.run_doctor)
        row = QHBoxLayout()
        row.addWidget(self.doctor_button)
        row.addWidget(self.doctor_status, 1)
        layout.addLayout(row)
        layout.addWidget(self.check_table)

    def _status_text(self, c: Check) -> str:
        return {Status.OK: self.tr("OK"), Status.WARN: self.tr("Attention"),
                Status.FAIL: self.tr("Problem")}[c.status]

    def run_doctor(self) -> None:
        self.doctor_button.setEnabled(False)
        run_job(self.ctx, lambda desk: desk.maintenance.doctor(), title=self.tr("Checking the registry…"),
                parent=self, on_done=self._doctor_done, on_error=self._doctor_failed)

    def _doctor_done(self, report: DoctorReport) -> None:
        self.doctor_button.setEnabled(True)
        self.report = report
        self.checks.set_rows(report.checks)
        self.check_table.fit_columns()
        self.doctor_status.setText(core_text(report.title))

    def _doctor_failed(self, exc: Exception) -> None:
        self.doctor_button.setEnabled(True)
        self.banner.error(error_text(exc))

    # ------------------------------------------------------------------ purge (administrator)

    def _build_purge(self, layout: QVBoxLayout) -> None:
        self.purge_box = QWidget()
        v = QVBoxLayout(self.purge_box)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(heading(self.tr("Files due for deletion"), 2))
        v.addWidget(muted(self.tr("Closed files whose retention period has passed (PIPL art. 47). Deleting "
                                  "removes the file and everything recorded in it, for good; the audit log keeps "
                                  "only the file's id and the reason. Backups made earlier still hold it until "
                                  "they are rotated out.")))
        self.due = RowsModel([
            Column(self.tr("File number"), lambda d: d.file_number),
            Column(self.tr("Name"), lambda d: d.display_name),
            Column(self.tr("Township"), lambda d: d.township),
            Column(self.tr("Closed on"), lambda d: d.closed_on.isoformat() if d.closed_on else "—"),
            Column(self.tr("Reason closed"), lambda d: enum_label(d.closure_reason, "—")),
            Column(self.tr("Keep until"), lambda d: d.retention_until.isoformat(), color=lambda d: MUTED_COLOR),
        ])
        self.due_table = RecordTable()
        self.due_table.setModel(self.due)
        self.due_table.set_empty_text(self.tr("No closed file has reached the end of its retention period."))
        self.due_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.due_table.setMinimumHeight(160)
        v.addWidget(self.due_table)
        self.reason = QComboBox()
        for reason in PurgeReason:  # the wording of domain/labels.py (PIPL art. 47), the one copy
            self.reason.addItem(enum_label(reason), reason.value)
        self.purge_button = QPushButton(self.tr("Delete the selected files for good…"))
        self.purge_button.setObjectName("Danger")
        self.purge_button.clicked.connect(self.ask_purge)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Reason")))
        row.addWidget(self.reason)
        row.addWidget(self.purge_button)
        row.addStretch(1)
        v.addLayout(row)
        layout.addWidget(self.purge_box)

    def selected_due(self) -> list[DueFile]:
        rows = sorted({i.row() for i in self.due_table.selectionModel().selectedRows()})
        return [self.due.rows[r] for r in rows if r < len(self.due.rows)]

    def ask_purge(self) -> None:
        files = self.selected_due()
        if not files:
            self.banner.show_message(self.tr("Select the files to delete in the list first."), "info")
            return
        reason = str(self.reason.currentData())
        numbers = "、".join(f.file_number for f in files[:10]) + ("…" if len(files) > 10 else "")
        question = (self.tr("Delete %1 file(s) for good: %2?\nReason: %3\nThis cannot be undone.")
                    .replace("%1", str(len(files))).replace("%2", numbers).replace("%3", self.reason.currentText()))
        # A clock more than a day ahead of the last use must be confirmed before anything irreversible.
        desk = self.ctx.desk
        jump = desk.purge.clock_to_confirm() if desk is not None else None
        warning = clock_warning(jump) if jump is not None else None
        if warning is not None:
            question += "\n\n" + error_text(warning) + "\n" + self.tr(
                "Choosing Yes also confirms that the computer's date and time are right.")
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Delete files for good"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        ids = [f.id for f in files]
        confirm_clock = warning is not None
        box.finished.connect(lambda _r: self.purge(ids, reason, confirm_clock=confirm_clock)
                             if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes else None)
        box.open()
        self._confirm_box = box

    def purge(self, victim_ids: list[str], reason: str, *, confirm_clock: bool = False) -> None:
        def done(result: PurgeResult) -> None:
            self.last_purge = result
            self.banner.success(self.tr("%1 file(s) deleted for good.").replace("%1", str(len(result.files))))
            self.ctx.data_changed.emit("victims")
            self.refresh()

        self.job_dialog = run_staged_job(
            self.ctx, lambda desk, progress: desk.purge.purge(victim_ids, reason, confirm_clock=confirm_clock,
                                                                      progress=progress),
            title=self.tr("Deleting…"), parent=self, on_done=done, on_error=lambda exc: self.banner.error(error_text(exc)))

    # ------------------------------------------------------------------ refresh

    def refresh(self) -> None:
        if self.ctx.is_locked:
            return
        admin = self.ctx.can(Permission.FILE_PURGE)
        self.purge_box.setVisible(admin)

        def job(desk: Any) -> tuple[BackupStatus, list[DueFile]]:
            return desk.maintenance.backup_status(), (desk.purge.due() if admin else [])

        def done(result: tuple[BackupStatus, list[DueFile]]) -> None:
            status, due = result
            self._show_status(status)
            self.due.set_rows(due)

        self.ctx.call(job, done, lambda exc: self.banner.error(error_text(exc)))
