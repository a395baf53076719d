"""设置/用户: users and their key slots (administrator), registry settings, one's own password, language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.enums import Role
from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.domain.passwords import ensure_password_strength
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.domain.settings import SETTINGS
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.file_view import _primary, _scroll
from fanguai_desk.ui.i18n import LANGUAGES, current_language, save_language, saved_language
from fanguai_desk.ui.labels import enum_label, field_label
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.pages.base import Navigator, Page
from fanguai_desk.ui.pages.certificates import CertificatesPanel
from fanguai_desk.ui.pages.maintenance import MaintenancePanel

if TYPE_CHECKING:
    from fanguai_desk.services.users import UserRow
from fanguai_desk.ui.widgets import (
    Banner,
    Column,
    EnumCombo,
    RecordTable,
    RowsModel,
    StrengthMeter,
    heading,
    muted,
)


def _password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _grid(rows: list[tuple[str, QWidget]]) -> QWidget:
    """A label/field grid of a readable width (fields 1100 px wide are hard to scan)."""
    box = QWidget()
    box.setMaximumWidth(760)
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(12)
    for i, (text, w) in enumerate(rows):
        label = QLabel(text)
        label.setObjectName("FieldLabel")
        grid.addWidget(label, i, 0)
        grid.addWidget(w, i, 1)
    grid.setColumnStretch(1, 1)
    return box


class SettingsPage(Page):
    depends_on = ("users",)

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self._build_users()
        self._build_registry()
        self._build_account()
        self.body_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(self.tr("Settings and users")))
        self.certificates = CertificatesPanel(ctx)
        self.maintenance = MaintenancePanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(_scroll(body), self.tr("Users and settings"))
        self.tabs.addTab(_scroll(self.certificates), self.tr("Certificates"))
        self.tabs.addTab(_scroll(self.maintenance), self.tr("Maintenance and backups"))
        layout.addWidget(self.tabs, 1)

    # ------------------------------------------------------------------ users

    def _build_users(self) -> None:
        self.users_box = QWidget()
        box = QVBoxLayout(self.users_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(heading(self.tr("Users"), 2))
        self.users = RowsModel([
            Column(self.tr("User name"), lambda r: r.login),
            Column(self.tr("Display name"), lambda r: r.display_name),
            Column(self.tr("Role"), lambda r: enum_label(r.role)),
            Column(self.tr("Township"), lambda r: r.township or self.tr("Whole county")),
            Column(self.tr("Account"), self._account_text),
            Column(self.tr("Sign-in on this laptop"), self._sign_in_text),
        ])
        self.user_table = RecordTable()
        self.user_table.setModel(self.users)
        self.user_table.setMinimumHeight(170)
        for i, w in enumerate((110, 130, 110, 90, 70)):
            self.user_table.setColumnWidth(i, w)
        self.remove_button = QPushButton(self.tr("Remove selected user…"))
        self.remove_button.setObjectName("Danger")
        self.remove_button.clicked.connect(self.remove_user)
        self.reset_pw = _password_edit("reset_password")
        self.reset_pw2 = _password_edit("reset_password2")
        self.reset_button = QPushButton(self.tr("Reset the selected user's password"))
        self.reset_button.clicked.connect(self.reset_password)
        reset_row = QHBoxLayout()
        reset_row.addWidget(QLabel(self.tr("New password")))
        reset_row.addWidget(self.reset_pw)
        reset_row.addWidget(QLabel(self.tr("Repeat")))
        reset_row.addWidget(self.reset_pw2)
        reset_row.addWidget(self.reset_button)
        self.reset_compromised = QCheckBox(self.tr("Suspected compromise: also re-encrypt the database under a new "
                                                   "key (old key files and backups then open only their old copy)"))
        actions = QHBoxLayout()
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        box.addWidget(self.user_table)
        box.addLayout(actions)
        box.addWidget(muted(self.tr("A reset gives the user a new key slot with a new personal key: the registry "
                                    "opens again, but their signing certificate must be requested anew.")))
        box.addLayout(reset_row)
        box.addWidget(self.reset_compromised)

        self.add_box = QWidget()
        add_layout = QVBoxLayout(self.add_box)
        add_layout.setContentsMargins(0, 0, 0, 0)
        add_layout.addWidget(heading(self.tr("Add a user"), 2))
        self.new_login = QLineEdit()
        self.new_login.setObjectName("new_login")
        self.new_name = QLineEdit()
        self.new_role = EnumCombo(Role)
        self.new_role.set_value(Role.CASEWORKER)
        self.new_township = QComboBox()
        self.new_township.setEditable(True)
        self.new_pw = _password_edit("new_password")
        self.new_pw2 = _password_edit("new_password2")
        self.new_meter = StrengthMeter()
        self.new_pw.textChanged.connect(self.new_meter.update_for)
        grid = _grid([
            (field_label("login") + " *", self.new_login), (field_label("display_name"), self.new_name),
            (field_label("role") + " *", self.new_role), (field_label("township"), self.new_township),
            (field_label("password") + " *", self.new_pw), (self.tr("Repeat the password") + " *", self.new_pw2),
            ("", self.new_meter),
        ])
        add_layout.addWidget(grid)
        self.add_button = _primary(self.tr("Add user"))
        self.add_button.clicked.connect(self.add_user)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_button)
        add_layout.addLayout(row)
        self.users_banner = Banner()
        box.addWidget(self.users_banner)
        box.addWidget(self.add_box)
        self.body_layout.addWidget(self.users_box)

    def _account_text(self, row: UserRow) -> str:
        return self.tr("In use") if row.active else self.tr("Removed")

    def _sign_in_text(self, row: UserRow) -> str:
        """What the key slot means for the person: can she sign in here, and if not, what fixes it."""
        if not row.active:
            return self.tr("Cannot sign in (removed)")
        if row.has_key_slot:
            return self.tr("Password set")
        return self.tr("No password here: an administrator resets it")

    def _selected_login(self) -> str | None:
        row = self.user_table.selected_row()
        return row.login if row is not None else None

    def _check_new_password(self, pw: str, pw2: str, login: str) -> str | None:
        if pw != pw2:
            return self.tr("The two passwords differ.")
        try:
            ensure_password_strength(pw, login)
        except FanguaiError as exc:
            return error_text(exc)
        return None

    def add_user(self) -> None:
        self.users_banner.clear()
        login = self.new_login.text().strip()
        pw = self.new_pw.text()
        problem = self._check_new_password(pw, self.new_pw2.text(), login)
        if problem:
            self.users_banner.error(problem)
            return
        role = Role(self.new_role.value() or Role.CASEWORKER)
        township = self.new_township.currentText().strip() or None
        name = self.new_name.text().strip() or None

        def done(_id: str) -> None:
            for w in (self.new_login, self.new_name, self.new_pw, self.new_pw2):
                w.clear()
            self.users_banner.success(self.tr("User %1 added.").replace("%1", login))
            self.ctx.data_changed.emit("users")

        self.ctx.call(lambda d: d.users.add(login, pw, role, township, display_name=name), done,
                      lambda exc: self.users_banner.error(error_text(exc)))

    def remove_user(self) -> None:
        login = self._selected_login()
        if login is None:
            self.users_banner.show_message(self.tr("Select a user in the list first."), "info")
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Remove user"),
                          self.tr("Remove user %1? Their key slot is deleted and the database is re-encrypted "
                                  "under a new key: they can no longer open the registry, not even with an old "
                                  "copy of the key file. Their entries in the audit log stay.").replace("%1", login),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: self._remove_confirmed(login) if box.standardButton(box.clickedButton())
                             == QMessageBox.StandardButton.Yes else None)
        box.open()
        self._confirm_box = box

    def _remove_confirmed(self, login: str) -> None:
        def done(outcome: object) -> None:
            self.users_banner.success(self.tr("User %1 removed.").replace("%1", login))
            self._show_rekey_outcome(outcome)
            self.ctx.data_changed.emit("users")

        self.ctx.call(lambda d: d.users.remove(login), done, lambda exc: self.users_banner.error(error_text(exc)))

    def _show_rekey_outcome(self, outcome: object) -> None:
        """After a re-key (automatic on removal): a new recovery key to print, and users left without a key."""
        from fanguai_desk.store.rekey import RekeyOutcome

        if not isinstance(outcome, RekeyOutcome):
            return
        lines = [self.tr("The database was re-encrypted with a new key: old key files and backups open only "
                         "their own old copy.")]
        if outcome.unsealed_logins:
            lines.append(self.tr("These users had not signed in since key rotation existed; reset their "
                                 "password: %1").replace("%1", ", ".join(outcome.unsealed_logins)))
        if outcome.recovery_key:
            lines.append(self.tr("New recovery key (shown only this once: print it and keep it safe; the old one "
                                 "no longer works): %1").replace("%1", outcome.recovery_key))
        if len(lines) == 1:
            return
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("New database key"), "\n\n".join(lines),
                          QMessageBox.StandardButton.Ok, self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.open()
        self._rekey_box = box

    def reset_password(self) -> None:
        self.users_banner.clear()
        login = self._selected_login()
        if login is None:
            self.users_banner.show_message(self.tr("Select a user in the list first."), "info")
            return
        pw = self.reset_pw.text()
        problem = self._check_new_password(pw, self.reset_pw2.text(), login)
        if problem:
            self.users_banner.error(problem)
            return

        compromised = self.reset_compromised.isChecked()

        def done(outcome: object) -> None:
            self.reset_pw.clear()
            self.reset_pw2.clear()
            self.reset_compromised.setChecked(False)
            self.users_banner.success(self.tr("The password of %1 was reset.").replace("%1", login))
            self._show_rekey_outcome(outcome)
            self.ctx.data_changed.emit("users")

        self.ctx.call(lambda d: d.users.reset_password(login, pw, compromised=compromised), done,
                      lambda exc: self.users_banner.error(error_text(exc)))

    # ------------------------------------------------------------------ registry settings

    def _build_registry(self) -> None:
        self.registry_box = QWidget()
        box = QVBoxLayout(self.registry_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(heading(self.tr("Registry settings"), 2))
        self.idle = QSpinBox()
        self.idle.setObjectName("idle_lock_minutes")
        self.idle.setRange(1, 120)
        self.idle.setSuffix(self.tr(" min"))
        self.wait_days = QSpinBox()
        self.wait_days.setRange(1, 90)
        self.wait_days.setSuffix(self.tr(" days"))
        self.retention = QSpinBox()
        self.retention.setRange(1, 50)
        self.retention.setSuffix(self.tr(" years"))
        # Issue 13's settings; their ranges are the core's (domain/settings.py), which refuses others.
        self.no_contact = QSpinBox()
        self.no_contact.setRange(int(SETTINGS["no_contact_days"].minimum or 0),
                                 int(SETTINGS["no_contact_days"].maximum or 0))
        self.no_contact.setSuffix(self.tr(" days"))
        self.delete_window = QSpinBox()
        self.delete_window.setRange(int(SETTINGS["delete_window_days"].minimum or 0),
                                    int(SETTINGS["delete_window_days"].maximum or 0))
        self.delete_window.setSuffix(self.tr(" days"))
        self.county = QLineEdit()
        self.attachment_max = QSpinBox()
        self.attachment_max.setObjectName("attachment_max_mb")
        self.attachment_max.setRange(1, 200)
        self.attachment_max.setSuffix(" MB")
        box.addWidget(_grid([
            (field_label("idle_lock_minutes"), self.idle),
            (field_label("referral_wait_days"), self.wait_days),
            (field_label("retention_years"), self.retention),
            (field_label("no_contact_days"), self.no_contact),
            (field_label("delete_window_days"), self.delete_window),
            (field_label("county_name"), self.county),
            (field_label("attachment_max_mb"), self.attachment_max),
        ]))
        self.registry_banner = Banner()
        box.addWidget(self.registry_banner)
        save = _primary(self.tr("Save settings"))
        save.clicked.connect(self.save_settings)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(save)
        box.addLayout(row)
        self.body_layout.addWidget(self.registry_box)

    def save_settings(self) -> None:
        changes: dict[str, int | str] = {
            "idle_lock_minutes": self.idle.value(), "referral_wait_days": self.wait_days.value(),
            "retention_years": self.retention.value(), "attachment_max_mb": self.attachment_max.value(),
            "no_contact_days": self.no_contact.value(), "delete_window_days": self.delete_window.value(),
        }
        if self.county.text().strip():
            changes["county_name"] = self.county.text().strip()

        def done(_r: object) -> None:
            self.registry_banner.success(self.tr("Settings saved."))
            self.ctx.reload_settings()

        self.ctx.call(lambda d: d.update_settings(changes), done,
                      lambda exc: self.registry_banner.error(error_text(exc)))

    # ------------------------------------------------------------------ own account, language

    def _build_account(self) -> None:
        box = QVBoxLayout()
        box.addWidget(heading(self.tr("My password"), 2))
        self.old_pw = _password_edit("old_password")
        self.my_pw = _password_edit("my_password")
        self.my_pw2 = _password_edit("my_password2")
        self.my_meter = StrengthMeter()
        self.my_pw.textChanged.connect(self.my_meter.update_for)
        box.addWidget(_grid([(self.tr("Current password"), self.old_pw), (self.tr("New password"), self.my_pw),
                             (self.tr("Repeat the password"), self.my_pw2), ("", self.my_meter)]))
        box.addWidget(muted(self.tr("A lost password cannot be recovered; only an administrator can give access "
                                    "back with a reset.")))
        self.account_banner = Banner()
        box.addWidget(self.account_banner)
        change = QPushButton(self.tr("Change my password"))
        change.clicked.connect(self.change_password)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(change)
        box.addLayout(row)

        box.addWidget(heading(self.tr("Language"), 2))
        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.setAccessibleName(self.tr("Language"))
        names = {"zh_CN": "中文（简体）", "en": "English"}
        for code in LANGUAGES:
            self.language.addItem(names[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(saved_language() or current_language())))
        self.language.currentIndexChanged.connect(self._language_changed)
        self.language_note = muted(self.tr("The language changes the next time the program starts."))
        lang_row = QHBoxLayout()
        lang_row.addWidget(self.language)
        lang_row.addWidget(self.language_note, 1)
        box.addLayout(lang_row)
        self.body_layout.addLayout(box)

    def _language_changed(self) -> None:
        save_language(str(self.language.currentData()))

    def change_password(self) -> None:
        self.account_banner.clear()
        login = self.ctx.login or ""
        new = self.my_pw.text()
        problem = self._check_new_password(new, self.my_pw2.text(), login)
        if problem:
            self.account_banner.error(problem)
            return
        old = self.old_pw.text()

        def done(_r: object) -> None:
            for w in (self.old_pw, self.my_pw, self.my_pw2):
                w.clear()
            self.account_banner.success(self.tr("Your password was changed."))

        self.ctx.call(lambda d: d.users.change_own_password(old, new), done,
                      lambda exc: self.account_banner.error(error_text(exc)))

    # ------------------------------------------------------------------ refresh

    def refresh(self) -> None:
        super().refresh()
        self.certificates.refresh()
        self.maintenance.refresh()
        manage_users = self.ctx.can(Permission.USERS_MANAGE)
        self.users_box.setVisible(self.ctx.can(Permission.USERS_LIST))
        self.registry_box.setVisible(self.ctx.can(Permission.SETTINGS_EDIT))
        for w in (self.remove_button, self.reset_button, self.reset_pw, self.reset_pw2):
            w.setEnabled(manage_users)
        self.add_box.setVisible(manage_users)
        settings = self.ctx.registry_settings
        if settings is not None:
            self.idle.setValue(settings.idle_lock_minutes)
            self.wait_days.setValue(settings.referral_wait_days)
            self.retention.setValue(settings.retention_years)
            self.no_contact.setValue(settings.no_contact_days)
            self.delete_window.setValue(settings.delete_window_days)
            self.county.setText(settings.county_name)
            self.attachment_max.setValue(settings.attachment_max_mb)
        if not self.ctx.can(Permission.USERS_LIST):
            return

        def work(d: Any) -> tuple[list[Any], list[tuple[str, str]]]:
            return d.users.list(), d.users.townships()

        def done(result: tuple[list[Any], list[tuple[str, str]]]) -> None:
            users, towns = result
            self.users.set_rows(users)
            current = self.new_township.currentText()
            self.new_township.clear()
            for _tid, name in towns:
                self.new_township.addItem(name)
            if current:
                self.new_township.setCurrentText(current)

        self.ctx.call(work, done, lambda exc: self.users_banner.error(error_text(exc)))
