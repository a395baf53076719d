"""证书 panel (in 设置): the user's certificates and enrolment by USB stick; the county CA on the supervisor's laptop.

A thin layer over :class:`~fanguai_desk.services.pki.PkiService`.  Buttons ask for files and then call a
method taking the path (``request_to``, ``install_from``, ``issue``…), which is what the tests call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.errors import NotFound, ValidationError
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.pki.binding import requested_binding
from fanguai_desk.pki.ca import load_csr
from fanguai_desk.pki.enrolment import EnrolmentRequest
from fanguai_desk.services.pki import CertificateInfo, cert_fingerprint, pem, request_check_code
from fanguai_desk.store.atomic import atomic_write_bytes
from fanguai_desk.store.clock import local_day
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.jobs import FileChoice, run_job
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.widgets import OVERDUE_COLOR, Banner, Column, RecordTable, RowsModel, heading, muted


def _date(dt: datetime | None) -> str:
    if dt is None:
        return ""
    return local_day(dt).isoformat()


def _common_name(subject: str) -> str:
    for part in subject.split(","):
        if part.startswith("CN="):
            return part[3:]
    return subject


@dataclass
class _State:
    mine: list[CertificateInfo]
    ca_name: str | None
    ca_fingerprint: str | None
    has_ca: bool = False
    issued: list[CertificateInfo] = field(default_factory=list)


def fingerprint_text(hex_digest: str) -> str:
    h = hex_digest.upper()
    return " ".join(h[i:i + 4] for i in range(0, len(h), 4))


class CertificatesPanel(QWidget):
    """My certificates and enrolment; the county CA for the administrator or supervisor."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_file: Path | None = None
        self.state: _State | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.banner = Banner()
        layout.addWidget(self.banner)
        self._build_mine(layout)
        self._build_ca(layout)
        layout.addStretch(1)

    def _purpose(self, purpose: str) -> str:
        return self.tr("Signing") if purpose == "signing" else self.tr("Encryption")

    # ------------------------------------------------------------------ my certificates

    def _build_mine(self, layout: QVBoxLayout) -> None:
        layout.addWidget(heading(self.tr("My certificates"), 2))
        steps = QLabel(self.tr(
            "How to get your certificates (once, and again before they expire):\n"
            "1. Click “Request a certificate…” and save the request file on a USB stick.\n"
            "2. Take the USB stick to the county supervisor. The county issues your certificates and saves "
            "them on the same stick.\n"
            "3. Back at this laptop, click “Install certificates…” and choose the file from the county.\n"
            "4. Check that the county fingerprint shown here is the one the supervisor reads out to you.\n"
            "When the county sends a new revocation list, install it with “Install revocation list…”."))
        steps.setObjectName("Panel")
        steps.setWordWrap(True)
        steps.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(steps)
        self.mine = RowsModel([
            Column(self.tr("Purpose"), lambda c: self._purpose(c.purpose)),
            Column(self.tr("Holder"), lambda c: _common_name(c.subject)),
            Column(self.tr("Serial"), lambda c: c.serial),
            Column(self.tr("Valid until"), lambda c: _date(c.not_after),
                   color=lambda c: OVERDUE_COLOR if c.not_after < datetime.now(UTC) else None),
        ])
        self.mine_table = RecordTable()
        self.mine_table.setModel(self.mine)
        self.mine_table.set_empty_text(self.tr("No certificate on this laptop yet: follow the steps above."))
        self.mine_table.setMinimumHeight(100)
        self.mine_table.setMaximumHeight(130)
        layout.addWidget(self.mine_table)
        self.ca_info = QLabel()
        self.ca_info.setObjectName("Muted")
        self.ca_info.setWordWrap(True)
        layout.addWidget(self.ca_info)
        self.request_button = QPushButton(self.tr("Request a certificate…"))
        self.install_button = QPushButton(self.tr("Install certificates…"))
        self.crl_button = QPushButton(self.tr("Install revocation list…"))
        self.export_enc_button = QPushButton(self.tr("Export my encryption certificate…"))
        self.request_button.clicked.connect(self._choose_request)
        self.install_button.clicked.connect(self._choose_install)
        self.crl_button.clicked.connect(self._choose_crl)
        self.export_enc_button.clicked.connect(self._choose_export_enc)
        row = QHBoxLayout()
        for b in (self.request_button, self.install_button, self.crl_button, self.export_enc_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)

    def _choose_request(self) -> None:
        login = self.ctx.login or "user"
        path = FileChoice.save(self, self.tr("Save the certificate request"), f"证书申请-{login}.req",
                               self.tr("Certificate requests (*.req)"))
        if path is not None:
            self.request_to(path)

    def request_to(self, path: Path) -> None:
        """New key pairs and the request file.  Replaces the current keys (and certificates)."""
        self._run(lambda desk: desk.pki.enrol(), self.tr("Creating your keys…"),
                  lambda data: self._write(path, data, self.tr(
                      "Request saved to %1. Take it to the county supervisor.") + "\n" + self.tr(
                      "Check code of the request: %2 — read it to the supervisor on the phone when the "
                      "certificates are issued; they must match.").replace("%2", request_check_code(data))))

    def _choose_install(self) -> None:
        path = FileChoice.open(self, self.tr("The certificates from the county"),
                               self.tr("Certificate files (*.pem *.crt *.p7b *.certs);;All files (*)"))
        if path is not None:
            self.install_from(path)

    def install_from(self, path: Path) -> None:
        data = self._read(path)
        if data is not None:
            def job(desk: Any) -> Any:
                desk.pki.install(data)
                return desk.pki.trusted_ca()

            self._run(job,
                      self.tr("Installing…"), lambda ca: self._done(self.tr(
                          "Certificates installed. You can now sign reports and export bundles.") + (
                          "\n" + self.tr("County authority fingerprint: %1 — compare it by phone with the one "
                                         "the supervisor reads out; if it differs, do not use these "
                                         "certificates.").replace("%1", fingerprint_text(cert_fingerprint(ca)))
                          if ca is not None else "")))

    def _choose_crl(self) -> None:
        path = FileChoice.open(self, self.tr("The revocation list from the county"),
                               self.tr("Revocation lists (*.crl);;All files (*)"))
        if path is not None:
            self.install_crl_from(path)

    def install_crl_from(self, path: Path) -> None:
        data = self._read(path)
        if data is not None:
            self._run(lambda desk: desk.pki.install_crl(data), self.tr("Installing…"),
                      lambda _r: self._done(self.tr("Revocation list installed.")))

    def _choose_export_enc(self) -> None:
        login = self.ctx.login or "user"
        path = FileChoice.save(self, self.tr("Save my encryption certificate"), f"加密证书-{login}.crt",
                               self.tr("Certificates (*.crt)"))
        if path is not None:
            self.export_encryption_to(path)

    def export_encryption_to(self, path: Path) -> None:
        self._run(lambda desk: desk.pki.export_encryption_certificate(), self.tr("Exporting…"),
                  lambda data: self._write(path, data, self.tr(
                      "Saved to %1. Give this file to the townships: they export their bundles to it."),
                      mode=0o644))

    # ------------------------------------------------------------------ county CA

    def _build_ca(self, layout: QVBoxLayout) -> None:
        self.ca_box = QFrame()
        v = QVBoxLayout(self.ca_box)
        v.setContentsMargins(0, 8, 0, 0)
        v.addWidget(heading(self.tr("County certificate authority"), 2))
        v.addWidget(muted(self.tr(
            "Only on the county supervisor's laptop. The authority issues the certificates of every "
            "caseworker in the county. Its password protects its key: keep it on paper in a locked place.")))
        self.ca_state = QLabel()
        self.ca_state.setWordWrap(True)
        v.addWidget(self.ca_state)

        self.setup_button = QPushButton(self.tr("Set up the county authority on this laptop…"))
        self.setup_button.clicked.connect(self.show_create_form)
        setup_row = QHBoxLayout()
        setup_row.addWidget(self.setup_button)
        setup_row.addStretch(1)
        v.addLayout(setup_row)
        self.create_box = QWidget()
        self.create_box.setMaximumWidth(760)
        form = QFormLayout(self.create_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.ca_name = QLineEdit()
        self.ca_name.setPlaceholderText(self.tr("e.g. Example County Civil Affairs Certificate Centre"))
        self.ca_org = QLineEdit()
        self.ca_org.setPlaceholderText(self.tr("e.g. Example County Civil Affairs Bureau"))
        self.ca_pw1 = QLineEdit()
        self.ca_pw1.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_pw2 = QLineEdit()
        self.ca_pw2.setEchoMode(QLineEdit.EchoMode.Password)
        self.create_button = QPushButton(self.tr("Create the county authority"))
        self.create_button.clicked.connect(self.create_ca)
        form.addRow(self.tr("Name"), self.ca_name)
        form.addRow(self.tr("Organisation"), self.ca_org)
        form.addRow(self.tr("Authority password"), self.ca_pw1)
        form.addRow(self.tr("Repeat the password"), self.ca_pw2)
        create_row = QHBoxLayout()
        create_row.addWidget(self.create_button)
        create_row.addStretch(1)
        form.addRow("", create_row)
        self.create_box.hide()
        v.addWidget(self.create_box)

        self.manage_box = QWidget()
        m = QVBoxLayout(self.manage_box)
        m.setContentsMargins(0, 0, 0, 0)
        self.issued = RowsModel([
            Column(self.tr("Purpose"), lambda c: self._purpose(c.purpose)),
            Column(self.tr("Holder"), lambda c: _common_name(c.subject)),
            Column(self.tr("Serial"), lambda c: c.serial),
            Column(self.tr("Valid until"), lambda c: _date(c.not_after)),
            Column(self.tr("Revoked"), lambda c: _date(c.revoked_at) if c.revoked_at else "",
                   color=lambda c: OVERDUE_COLOR if c.revoked_at else None),
        ])
        self.issued_table = RecordTable()
        self.issued_table.setModel(self.issued)
        self.issued_table.set_empty_text(self.tr("No certificate issued yet."))
        self.issued_table.setMinimumHeight(150)
        m.addWidget(self.issued_table)
        pw_row = QHBoxLayout()
        self.ca_password = QLineEdit()
        self.ca_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_password.setPlaceholderText(self.tr("needed to issue and revoke"))
        pw_row.addWidget(QLabel(self.tr("Authority password")))
        pw_row.addWidget(self.ca_password, 1)
        m.addLayout(pw_row)
        self.issue_button = QPushButton(self.tr("Issue from a request file…"))
        self.revoke_button = QPushButton(self.tr("Revoke the selected certificate…"))
        self.revoke_button.setObjectName("Danger")
        self.export_ca_button = QPushButton(self.tr("Export county.crt…"))
        self.issue_button.clicked.connect(self._choose_issue)
        self.revoke_button.clicked.connect(self._choose_revoke)
        self.export_ca_button.clicked.connect(self._choose_export_ca)
        row = QHBoxLayout()
        for b in (self.issue_button, self.revoke_button, self.export_ca_button):
            row.addWidget(b)
        row.addStretch(1)
        m.addLayout(row)
        v.addWidget(self.manage_box)
        layout.addWidget(self.ca_box)

    def show_create_form(self) -> None:
        self.setup_button.hide()
        self.create_box.show()
        self.ca_name.setFocus()

    def create_ca(self) -> None:
        self.banner.clear()
        name, org = self.ca_name.text().strip(), self.ca_org.text().strip()
        pw = self.ca_pw1.text()
        if not name or not org:
            self.banner.error(self.tr("Enter the authority's name and organisation."))
            return
        if pw != self.ca_pw2.text():
            self.banner.error(self.tr("The two passwords are not the same."))
            return

        def done(_r: Any) -> None:
            self.ca_pw1.clear()
            self.ca_pw2.clear()
            self._done(self.tr("County authority created. Export county.crt and keep a copy of this laptop's "
                               "backup in a safe place."))

        self._run(lambda desk: desk.pki.ca_init(name, org, pw), self.tr("Creating the authority…"), done)

    def _choose_issue(self) -> None:
        request = FileChoice.open(self, self.tr("The request file"), self.tr("Certificate requests (*.req);;"
                                                                              "All files (*)"))
        if request is None:
            return
        out = FileChoice.save(self, self.tr("Save the certificates"), request.stem.replace("证书申请", "证书")
                              + ".pem", self.tr("Certificate files (*.pem)"))
        if out is None:
            return
        data = self._read(request)
        if data is None:
            return
        try:
            binding = requested_binding(load_csr(EnrolmentRequest.from_file_bytes(data).signing_csr))
        except ValidationError as exc:
            self.banner.error(error_text(exc))
            return
        if binding is None:
            self.banner.error(self.tr("The request names no township: ask the user to make a new request."))
            return
        # The supervisor confirms the township and role that go into the certificates (docs/security-model.md).
        answer = QMessageBox.question(
            self, self.tr("Issue certificates"),
            self.tr("Bind these certificates to the township “%1” with the role “%2”? Bundles signed with them "
                    "will only be accepted for that township.").replace("%1", binding.township_name)
            .replace("%2", binding.role),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.issue(request, out, confirm_township="*" if binding.county_wide else binding.township_name)

    def issue(self, request: Path, out: Path, confirm_township: str | None = None) -> None:
        data = self._read(request)
        pw = self.ca_password.text()
        if data is None:
            return
        if not pw:
            self.banner.error(self.tr("Enter the authority password first."))
            return
        code = request_check_code(data)
        self._run(lambda desk: desk.pki.ca_issue(data, pw, confirm_township=confirm_township),
                  self.tr("Issuing…"),
                  lambda bundle: self._write(out, bundle, self.tr(
                      "Certificates saved to %1. Give the file back to the caseworker.") + "\n" + self.tr(
                      "Check code of the request: %2 — compare it by phone with the code the caseworker reads "
                      "out; if it differs, do not hand over the certificates and revoke them.").replace(
                      "%2", code), mode=0o644))

    def _choose_revoke(self) -> None:
        out = FileChoice.save(self, self.tr("Save the new revocation list"), "county.crl",
                              self.tr("Revocation lists (*.crl)"))
        if out is not None:
            self.revoke_selected(out)

    def revoke_selected(self, out: Path) -> None:
        info = self.issued_table.selected_row()
        pw = self.ca_password.text()
        if info is None:
            self.banner.show_message(self.tr("Select a certificate in the list first."), "info")
            return
        if not pw:
            self.banner.error(self.tr("Enter the authority password first."))
            return
        serial = info.serial
        self._run(lambda desk: desk.pki.ca_revoke([serial], pw), self.tr("Revoking…"),
                  lambda crl: self._write(out, crl, self.tr(
                      "Certificate revoked. New revocation list saved to %1: install it on every laptop."),
                      mode=0o644))

    def _choose_export_ca(self) -> None:
        out = FileChoice.save(self, self.tr("Save county.crt"), "county.crt", self.tr("Certificates (*.crt)"))
        if out is not None:
            self.export_ca_to(out)

    def export_ca_to(self, out: Path) -> None:
        def job(desk: Any) -> bytes:
            ca = desk.pki.trusted_ca()
            return pem(ca) if ca is not None else b""

        def done(data: bytes) -> None:
            if not data:
                self.banner.error(self.tr("No county certificate is installed yet."))
                return
            self._write(out, data, self.tr("Saved to %1."), mode=0o644)

        self._run(job, self.tr("Exporting…"), done)

    # ------------------------------------------------------------------ plumbing

    def _read(self, path: Path) -> bytes | None:
        self.banner.clear()
        try:
            return path.read_bytes()
        except OSError:
            self.banner.error(self.tr("The file cannot be read."))
            return None

    def _run(self, fn: Callable[[Any], Any], title: str, on_done: Callable[[Any], None]) -> None:
        self.banner.clear()
        run_job(self.ctx, fn, title=title, parent=self, on_done=on_done,
                on_error=lambda exc: self.banner.error(error_text(exc)))

    def _write(self, path: Path, data: bytes, message: str, mode: int = 0o600) -> None:
        try:
            atomic_write_bytes(path, data, mode=mode)
        except OSError:
            self.banner.error(self.tr("The file could not be saved there. Choose another folder."))
            return
        self.last_file = path
        self._done(message.replace("%1", str(path)))

    def _done(self, message: str) -> None:
        self.banner.success(message)
        self.refresh()

    def refresh(self) -> None:
        if self.ctx.is_locked:
            return
        county = self.ctx.can(Permission.COUNTY_CA)
        self.ca_box.setVisible(county)
        self.export_enc_button.setVisible(county)

        def job(desk: Any) -> _State:
            pki = desk.pki
            ca = pki.trusted_ca()
            state = _State(pki.my_certificates(), _common_name(ca.subject.rfc4514_string()) if ca else None,
                           cert_fingerprint(ca) if ca else None)
            if county:
                try:
                    pki.ca_pkcs12()
                except NotFound as exc:
                    if exc.code != "ca_missing":
                        raise
                else:
                    state.has_ca = True
                    state.issued = pki.issued()
            return state

        self.ctx.call(job, self._show, lambda exc: self.banner.error(error_text(exc)))

    def _show(self, state: _State) -> None:
        self.state = state
        self.mine.set_rows(state.mine)
        if state.ca_name is None or state.ca_fingerprint is None:
            self.ca_info.setText(self.tr("No county certificate installed yet."))
        else:
            self.ca_info.setText(self.tr("Trusted county authority: %1\nFingerprint (SHA-256): %2")
                                 .replace("%1", state.ca_name).replace("%2", fingerprint_text(state.ca_fingerprint)))
        self.setup_button.setVisible(not state.has_ca and self.create_box.isHidden())
        if state.has_ca:
            self.create_box.hide()
        self.manage_box.setVisible(state.has_ca)
        self.ca_state.setText(self.tr("This laptop holds the county authority.") if state.has_ca else
                              self.tr("This laptop holds no county authority. Create one only on the "
                                      "supervisor's laptop, once for the whole county."))
        self.issued.set_rows(state.issued)
