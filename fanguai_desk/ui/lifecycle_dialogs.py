"""The dialogs of a file's whole life: close (结案), reopen, transfer, delete a file entered by mistake.

Each dialog is non-modal (``open()``), runs its one core call (``services/lifecycle.py``) on the worker and
shows a refusal under its field or in its banner; the file view reloads when it is done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.enums import ClosureReason, FollowUpMethod, ReferralStatus, ServiceType
from fanguai_desk.domain.lifecycle import CLOSE_REASONS_OFFERED, MIN_REASON_CHARS, REASONS_NEEDING_NOTE
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.lifecycle import Obligations
from fanguai_desk.store.clock import local_today
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.forms import F, Form, report
from fanguai_desk.ui.i18n import format_date
from fanguai_desk.ui.labels import enum_label
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.widgets import Banner, heading, muted


def _label(cls: Any, value: str) -> str:
    try:
        return enum_label(cls(value))
    except ValueError:
        return value


class _LifecycleDialog(QDialog):
    done_signal = Signal(object)

    def __init__(self, ctx: AppContext, victim_id: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.victim_id = victim_id
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.banner = Banner()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("Primary")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addWidget(heading(title, 2))
        self.result_value: Any = None

    def finish_layout(self) -> None:
        self.body.addWidget(self.banner)
        self.body.addWidget(self.buttons)

    def run(self, work: Callable[[Desk], Any], form: Form | None = None) -> None:
        self.banner.clear()
        if form is not None:
            form.clear_errors()
        self.ok_button.setEnabled(False)

        def done(result: Any) -> None:
            self.ok_button.setEnabled(True)
            self.result_value = result
            self.done_signal.emit(result)
            self.accept()

        def failed(exc: Exception) -> None:
            self.ok_button.setEnabled(True)
            if form is not None:
                report(form, self.banner, exc)
            else:
                self.banner.error(error_text(exc))

        self.ctx.call(work, done, failed)

    def submit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class CloseFileDialog(_LifecycleDialog):
    """结案: shows what is still open on the file first; closing cancels it, noting the reason."""

    def __init__(self, ctx: AppContext, victim_id: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, victim_id, self.tr("Close the file"), parent)
        self.obligations_label = QLabel(self.tr("Looking for open visits, services and referrals…"))
        self.obligations_label.setObjectName("Warning")
        self.obligations_label.setWordWrap(True)
        self.form = Form([
            F("reason", "enum", enum=ClosureReason, enum_values=CLOSE_REASONS_OFFERED, required=True, blank=False),
            F("note", "multiline", placeholder=self.tr("Required for “other” and “merged into a duplicate file” "
                                                        "(name the file it was merged into).")),
            F("closed_on", "date", required=True),
        ])
        self.form.set_values({"closed_on": local_today()})
        years = ctx.registry_settings.retention_years if ctx.registry_settings else 5
        self.retention = muted(self.tr("A closed file is read-only (it can be reopened with a reason). It is kept "
                                       "for %1 years after closing (PIPL art. 19), then it may be deleted for good.")
                               .replace("%1", str(years)))
        self.body.addWidget(self.obligations_label)
        self.body.addWidget(self.form)
        self.body.addWidget(self.retention)
        self.ok_button.setText(self.tr("Close the file"))
        self.finish_layout()
        self.obligations: Obligations | None = None
        ctx.call(lambda d: d.lifecycle.obligations(victim_id), self._show_obligations,
                 lambda exc: self.banner.error(error_text(exc)))

    def _show_obligations(self, ob: Obligations) -> None:
        self.obligations = ob
        if ob.total == 0:
            self.obligations_label.setText(self.tr("Nothing is still open on this file."))
            self.obligations_label.setObjectName("Muted")
            self.obligations_label.style().unpolish(self.obligations_label)
            self.obligations_label.style().polish(self.obligations_label)
            return
        lines = [self.tr("Still open on this file — closing cancels them, noting the reason:")]
        for o in ob.planned_visits:
            lines.append("• " + self.tr("planned visit on %1").replace("%1", format_date(o.when)) +
                         (f"（{_label(FollowUpMethod, o.kind)}）" if o.kind else ""))
        for o in ob.open_services:
            lines.append("• " + self.tr("service %1, due %2").replace("%1", _label(ServiceType, o.kind))
                         .replace("%2", format_date(o.when) if o.when else "—"))
        for o in ob.pending_referrals:
            lines.append("• " + self.tr("legal-aid referral of %1 (%2) — will be revoked")
                         .replace("%1", format_date(o.when)).replace("%2", _label(ReferralStatus, o.kind)))
        self.obligations_label.setText("\n".join(lines))

    def submit(self) -> None:
        values = self.form.values()
        reason = values.get("reason")
        note = values.get("note")
        if reason in REASONS_NEEDING_NOTE and not (note or "").strip():
            self.form.set_field_error("note", self.tr("Say why (for a merged file: the number of the file it was "
                                                      "merged into)."))
            return
        on: date | None = values.get("closed_on")
        vid = self.victim_id
        self.run(lambda d: d.lifecycle.close(vid, reason or "", note, closed_on=on), self.form)


class ReopenDialog(_LifecycleDialog):
    def __init__(self, ctx: AppContext, victim_id: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, victim_id, self.tr("Reopen the file"), parent)
        self.form = Form([F("reason", "multiline", required=True,
                            placeholder=self.tr("Why does the file need to be open again?"))])
        self.body.addWidget(muted(self.tr("The reason is kept in the file's history. Write at least %1 letters or "
                                          "characters; punctuation alone is not a reason.")
                                  .replace("%1", str(MIN_REASON_CHARS))))
        self.body.addWidget(self.form)
        self.ok_button.setText(self.tr("Reopen"))
        self.finish_layout()

    def submit(self) -> None:
        reason = self.form.values().get("reason") or ""
        vid = self.victim_id
        self.run(lambda d: d.lifecycle.reopen(vid, reason), self.form)


class TransferDialog(_LifecycleDialog):
    """移交: to another township of this registry (township and caseworker change, history kept), or to another
    installation (a signed, encrypted transfer bundle for the receiving user; the file closes here)."""

    def __init__(self, ctx: AppContext, victim_id: str, current_township: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, victim_id, self.tr("Transfer the file"), parent)
        self.current = current_township
        self.township = QComboBox()
        self.caseworker = QComboBox()
        self.township.currentIndexChanged.connect(lambda _i: self._load_caseworkers())
        inside = QWidget()
        form = QVBoxLayout(inside)
        form.addWidget(muted(self.tr("The file, its history and its planned visits go to the other township of "
                                     "this registry; your township's lists no longer show it.")))
        form.addWidget(QLabel(self.tr("To township")))
        form.addWidget(self.township)
        form.addWidget(QLabel(self.tr("Responsible caseworker there")))
        form.addWidget(self.caseworker)
        form.addStretch(1)

        outside = QWidget()
        out = QVBoxLayout(outside)
        out.addWidget(muted(self.tr("For another laptop or another county: the whole file with its history goes "
                                    "into a signed transfer bundle that only the receiving user can open (they "
                                    "import it on the Exchange page). The file is then closed here with the reason "
                                    "“transferred” and the destination recorded. Another county's certificate "
                                    "authority must have been trusted first (by its fingerprint).")))
        self.cert_path = QLineEdit()
        self.cert_path.setPlaceholderText(self.tr("The receiving user's encryption certificate (.pem)"))
        choose_cert = QPushButton(self.tr("Choose…"))
        choose_cert.clicked.connect(self._choose_cert)
        row = QHBoxLayout()
        row.addWidget(self.cert_path, 1)
        row.addWidget(choose_cert)
        self.destination = QLineEdit()
        self.destination.setPlaceholderText(self.tr("For example: 某县某镇民政办"))
        self.out_path = QLineEdit()
        self.out_path.setPlaceholderText(self.tr("Where to write the transfer bundle"))
        choose_out = QPushButton(self.tr("Choose…"))
        choose_out.clicked.connect(self._choose_out)
        row2 = QHBoxLayout()
        row2.addWidget(self.out_path, 1)
        row2.addWidget(choose_out)
        out.addWidget(QLabel(self.tr("Receiving user's certificate")))
        out.addLayout(row)
        out.addWidget(QLabel(self.tr("Destination")))
        out.addWidget(self.destination)
        out.addWidget(QLabel(self.tr("Transfer bundle file")))
        out.addLayout(row2)
        out.addStretch(1)

        self.modes = QTabWidget()
        self.modes.addTab(inside, self.tr("Within this registry"))
        self.modes.addTab(outside, self.tr("To another laptop or county"))
        self.modes.currentChanged.connect(self._mode_changed)
        self.body.addWidget(self.modes)
        self.ok_button.setText(self.tr("Transfer"))
        self.finish_layout()
        self._no_township = False
        ctx.call(lambda d: d.lifecycle.townships(), self._fill, lambda exc: self.banner.error(error_text(exc)))

    def _mode_changed(self, index: int) -> None:
        self.banner.clear()
        self.ok_button.setEnabled(index == 1 or not self._no_township)
        self.ok_button.setText(self.tr("Write the transfer bundle") if index == 1 else self.tr("Transfer"))

    def _choose_cert(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, self.tr("Receiving user's certificate"), "",
                                               self.tr("Certificates (*.pem *.crt *.cer)"))
        if path:
            self.cert_path.setText(path)

    def _choose_out(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, self.tr("Transfer bundle file"), "transfer.p7m",
                                               self.tr("Transfer bundles (*.p7m)"))
        if path:
            self.out_path.setText(path)

    def _fill(self, towns: list[tuple[str, str, str]]) -> None:
        self.township.blockSignals(True)
        self.township.clear()
        for tid, _code, name in towns:
            if name != self.current:
                self.township.addItem(name, tid)
        self.township.blockSignals(False)
        self._no_township = self.township.count() == 0
        if self._no_township:
            self.banner.show_message(self.tr("This registry has no other township."), "info")
            self.ok_button.setEnabled(self.modes.currentIndex() == 1)
        self._load_caseworkers()

    def _load_caseworkers(self) -> None:
        tid = self.township.currentData()
        if tid is None:
            return
        self.ctx.call(lambda d: d.lifecycle.caseworkers(tid), self._fill_caseworkers,
                      lambda exc: self.banner.error(error_text(exc)))

    def _fill_caseworkers(self, workers: list[tuple[str, str]]) -> None:
        self.caseworker.clear()
        self.caseworker.addItem(self.tr("(decide later)") if len(workers) != 1 else workers[0][1],
                                None if len(workers) != 1 else workers[0][0])
        if len(workers) != 1:
            for uid, name in workers:
                self.caseworker.addItem(name, uid)

    def submit(self) -> None:
        vid = self.victim_id
        if self.modes.currentIndex() == 0:
            name = self.township.currentText()
            worker = self.caseworker.currentData()
            self.run(lambda d: d.lifecycle.transfer(vid, name, worker))
            return
        cert_file, out_file = Path(self.cert_path.text().strip()), Path(self.out_path.text().strip())
        destination = self.destination.text().strip()
        if not self.cert_path.text().strip() or not self.out_path.text().strip() or not destination:
            self.banner.error(self.tr("Choose the receiving user's certificate, write the destination and choose "
                                      "where to write the bundle."))
            return
        try:
            cert = cert_file.read_bytes()
        except OSError:
            self.banner.error(self.tr("The certificate file cannot be read."))
            return

        def work(d: Desk) -> Any:
            from fanguai_desk.store.atomic import atomic_write_bytes

            return d.transfer.send(vid, cert, destination,
                                           write=lambda b: atomic_write_bytes(out_file, b))

        self.run(work)


class DeleteFileDialog(_LifecycleDialog):
    """Administrator: delete a file entered by mistake (within the configured days of its creation)."""

    def __init__(self, ctx: AppContext, victim_id: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, victim_id, self.tr("Delete a file entered by mistake"), parent)
        days = ctx.registry_settings.delete_window_days if ctx.registry_settings else 7
        warning = QLabel(self.tr("The file and everything on it are deleted for good, with their history. Only "
                                 "for a file entered by mistake, within %1 days of its creation; otherwise close "
                                 "it with a reason.").replace("%1", str(days)))
        warning.setObjectName("Warning")
        warning.setWordWrap(True)
        self.form = Form([F("reason", "multiline", required=True,
                            placeholder=self.tr("For example: entered twice; the duplicate is file …"))])
        self.body.addWidget(warning)
        self.body.addWidget(self.form)
        self.ok_button.setText(self.tr("Delete for good"))
        self.finish_layout()

    def submit(self) -> None:
        reason = self.form.values().get("reason") or ""
        vid = self.victim_id
        self.run(lambda d: d.lifecycle.delete_mistaken(vid, reason), self.form)
