"""First run: create a registry (township, administrator, password) or open an existing one.

The password rule is explained in plain words: the data is encrypted with it, and nobody — not the
administrator, not the developers — can recover a lost password.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.enums import Installation
from fanguai_desk.domain.errors import FanguaiError, ValidationError
from fanguai_desk.domain.passwords import ensure_password_strength
from fanguai_desk.services.demo import DemoSpec
from fanguai_desk.services.desk import Desk, RegistrySettings, registry_exists
from fanguai_desk.ui.i18n import app_settings
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.resources import app_icon
from fanguai_desk.ui.tasks import TaskManager
from fanguai_desk.ui.widgets import Banner, StrengthMeter, heading, muted

DEMO_VICTIMS = 2000


class FirstRunWizard(QWidget):
    """Emits ``created(desk, settings)`` after creating, or ``open_requested(path)`` for an existing one."""

    created = Signal(object, object)
    open_requested = Signal(object)

    def __init__(self, data_dir: Path, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.tasks = tasks
        self.setObjectName("StartWindow")
        self.setWindowTitle(self.tr("Anti-trafficking case registry — first start"))
        self.setWindowIcon(app_icon())
        self.stack = QStackedWidget()
        self.stack.addWidget(self._welcome_page())
        self.stack.addWidget(self._create_page())
        self.stack.addWidget(self._open_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.resize(900, 700)

    # ------------------------------------------------------------------ pages

    def _card(self, *widgets: QWidget) -> QWidget:
        card = QFrame()
        card.setObjectName("Panel")
        card.setMaximumWidth(760)
        box = QVBoxLayout(card)
        box.setContentsMargins(32, 24, 32, 24)
        box.setSpacing(10)
        for w in widgets:
            box.addWidget(w)
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(24, 24, 24, 24)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        return page

    def _welcome_page(self) -> QWidget:
        title = heading(self.tr("Welcome"))
        text = muted(self.tr(
            "There is no registry in the data folder yet:\n%1\n\n"
            "Create a new registry for your township, or open one that already exists "
            "(for example one copied from a backup).").replace("%1", str(self.data_dir)))
        self.create_choice = QPushButton(self.tr("Create a new registry"))
        self.create_choice.setObjectName("Primary")
        self.create_choice.clicked.connect(lambda: self.stack.setCurrentIndex(1))
        self.open_choice = QPushButton(self.tr("Open an existing registry…"))
        self.open_choice.clicked.connect(lambda: self.stack.setCurrentIndex(2))
        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 12, 0, 0)
        row.addWidget(self.create_choice)
        row.addWidget(self.open_choice)
        row.addStretch(1)
        return self._card(title, text, buttons)

    def _create_page(self) -> QWidget:
        title = heading(self.tr("Create the registry"))
        self.county_name = QLineEdit()
        self.county_name.setPlaceholderText(self.tr("e.g. 示例县"))
        self.county_code = QLineEdit("5101")
        self.township = QLineEdit()
        self.township.setObjectName("township")
        self.township.setPlaceholderText(self.tr("e.g. 青龙镇"))
        self.township_code = QLineEdit("510101")
        self.admin_login = QLineEdit("admin")
        self.admin_login.setObjectName("admin_login")
        self.admin_name = QLineEdit()
        self.admin_name.setPlaceholderText(self.tr("Your name as shown in the audit log"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setObjectName("password2")
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = StrengthMeter()
        self.password.textChanged.connect(self._password_changed)
        self.password2.textChanged.connect(self._password_changed)
        self.password_hint = QLabel()
        self.password_hint.setObjectName("FieldError")
        self.password_hint.setWordWrap(True)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        rows: list[tuple[str, QWidget]] = [
            (self.tr("County"), self.county_name),
            (self.tr("County code"), self.county_code),
            (self.tr("Township") + " *", self.township),
            (self.tr("Township code"), self.township_code),
            (self.tr("Administrator user name") + " *", self.admin_login),
            (self.tr("Administrator display name"), self.admin_name),
            (self.tr("Password") + " *", self.password),
            (self.tr("Repeat the password") + " *", self.password2),
        ]
        for i, (text, widget) in enumerate(rows[:8]):
            r, c = divmod(i, 2)
            label = QLabel(text)
            label.setObjectName("FieldLabel")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, r, c * 2)
            grid.addWidget(widget, r, c * 2 + 1)
        grid.addWidget(self.meter, 4, 1, 1, 3)
        grid.addWidget(self.password_hint, 5, 1, 1, 3)
        # What this laptop is in the exchange: decided here, once (store/installation.py).
        self.installation = QComboBox()
        self.installation.setObjectName("installation")
        self.installation.addItem(self.tr("A township laptop (registers files, exports them to the county)"),
                                  Installation.TOWNSHIP.value)
        self.installation.addItem(self.tr("The county's laptop (imports the townships' bundles, county "
                                          "certificate authority)"), Installation.COUNTY.value)
        label = QLabel(self.tr("This laptop is"))
        label.setObjectName("FieldLabel")
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setBuddy(self.installation)
        grid.addWidget(label, 6, 0)
        grid.addWidget(self.installation, 6, 1, 1, 3)
        kind_hint = muted(self.tr("Cannot be changed later. Only the county's laptop imports bundles and holds the "
                                  "county certificate authority; only township laptops export to the county."))
        kind_hint.setWordWrap(True)
        grid.addWidget(kind_hint, 7, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        fields = QWidget()
        fields.setLayout(grid)

        self.warning = QLabel(self.tr(
            "Everything in the registry is encrypted with the key that your password unlocks. "
            "If the password is lost, nobody can recover it — not an administrator, not the "
            "developers — and without another administrator the data cannot be opened again. "
            "Choose a password of at least 10 characters that you will remember, write it down and "
            "keep it in a sealed envelope in a locked place."))
        self.warning.setObjectName("Warning")
        self.warning.setWordWrap(True)
        self.acknowledge = QCheckBox(self.tr("I understand: a lost password cannot be recovered."))
        self.acknowledge.setObjectName("acknowledge")
        self.demo = QCheckBox(self.tr("Fill with %1 invented demo files (for training only — never for real work)")
                              .replace("%1", str(DEMO_VICTIMS)))
        self.demo.setObjectName("demo")
        self.banner = Banner()
        back = QPushButton(self.tr("Back"))
        back.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        self.create_button = QPushButton(self.tr("Create registry"))
        self.create_button.setObjectName("Primary")
        self.create_button.clicked.connect(self.create_registry)
        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(back)
        row.addStretch(1)
        row.addWidget(self.create_button)
        page = self._card(title, fields, self.warning, self.acknowledge, self.demo, self.banner, buttons)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    def _open_page(self) -> QWidget:
        title = heading(self.tr("Open an existing registry"))
        text = muted(self.tr("Choose the folder that contains the registry (the files registry.db and "
                             "keyslots.json)."))
        self.open_path = QLineEdit(str(app_settings().value("last_data_dir") or ""))
        self.open_path.setObjectName("open_path")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        path_row = QWidget()
        row = QHBoxLayout(path_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.open_path, 1)
        row.addWidget(browse)
        self.open_banner = Banner()
        back = QPushButton(self.tr("Back"))
        back.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setObjectName("Primary")
        self.open_button.clicked.connect(self.open_existing)
        buttons = QWidget()
        brow = QHBoxLayout(buttons)
        brow.setContentsMargins(0, 0, 0, 0)
        brow.addWidget(back)
        brow.addStretch(1)
        brow.addWidget(self.open_button)
        return self._card(title, text, path_row, self.open_banner, buttons)

    # ------------------------------------------------------------------ create

    def _password_changed(self) -> None:
        pw = self.password.text()
        self.meter.update_for(pw)
        self.password_hint.setText(self._password_problem() or "")

    def _password_problem(self) -> str | None:
        pw = self.password.text()
        if not pw:
            return None
        try:
            ensure_password_strength(pw, self.admin_login.text())
        except FanguaiError as exc:
            return error_text(exc)
        if self.password2.text() and self.password2.text() != pw:
            return self.tr("The two passwords differ.")
        return None

    def create_registry(self) -> None:
        self.banner.clear()
        township = self.township.text().strip()
        login = self.admin_login.text().strip()
        pw = self.password.text()
        problems = []
        if not township:
            problems.append(self.tr("Enter the township."))
        if not login:
            problems.append(self.tr("Enter the administrator's user name."))
        if not self.county_code.text().strip().isdigit() or not self.township_code.text().strip().isdigit():
            problems.append(self.tr("County and township codes are digits (GB/T 2260)."))
        problem = self._password_problem()
        if problem:
            problems.append(problem)
        elif not pw:
            problems.append(self.tr("Choose a password."))
        elif pw != self.password2.text():
            problems.append(self.tr("The two passwords differ."))
        if not self.acknowledge.isChecked():
            problems.append(self.tr("Tick the box to confirm you understand that a lost password cannot be "
                                    "recovered."))
        if problems:
            self.banner.error("\n".join(problems))
            return
        self.create_button.setEnabled(False)
        self.banner.show_message(self.tr("Creating the encrypted registry…"), "info")
        data_dir = self.data_dir
        county_name = self.county_name.text().strip() or self.tr("County")
        county_code = self.county_code.text().strip()
        township_code = self.township_code.text().strip()
        display = self.admin_name.text().strip() or None
        kind = Installation(self.installation.currentData())

        def work() -> Desk:
            if registry_exists(data_dir):
                raise ValidationError("registry_exists")
            return Desk.create(data_dir, admin_login=login, admin_password=pw, township_name=township,
                               admin_display_name=display, township_code=township_code,
                               county_code=county_code, county_name=county_name, installation=kind)

        self.tasks.run(work, self._created, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.create_button.setEnabled(True)
        self.banner.error(error_text(exc))

    def _created(self, desk: Desk) -> None:
        self.password.clear()
        self.password2.clear()
        app_settings().setValue("last_data_dir", str(self.data_dir))
        if not self.demo.isChecked():
            self._finish(desk)
            return

        def generate():
            return desk.demo.generate(DemoSpec(victims=DEMO_VICTIMS, townships=3))

        def finished(_result: object) -> None:
            self._finish(desk)

        def cancelled() -> None:
            self.banner.show_message(self.tr("Demo data cancelled: the registry is empty."), "warning")
            self._finish(desk)

        def failed(exc: Exception) -> None:
            self.banner.error(error_text(exc))
            self._finish(desk)

        self.tasks.run_iter(generate, title=self.tr("Generating demo files…"), parent=self,
                            on_done=finished, on_error=failed, on_cancelled=cancelled)

    def _finish(self, desk: Desk) -> None:
        self.tasks.run(desk.settings, lambda settings: self._emit_created(desk, settings),
                       lambda exc: self.banner.error(error_text(exc)))

    def _emit_created(self, desk: Desk, settings: RegistrySettings) -> None:
        self.create_button.setEnabled(True)
        self.created.emit(desk, settings)

    # ------------------------------------------------------------------ open

    def _browse(self) -> None:
        dialog = QFileDialog(self, self.tr("Registry folder"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.fileSelected.connect(self.open_path.setText)
        dialog.open()

    def open_existing(self) -> None:
        text = self.open_path.text().strip()
        path = Path(text).expanduser() if text else None
        if path is None or not registry_exists(path):
            self.open_banner.error(self.tr("There is no registry in this folder."))
            return
        app_settings().setValue("last_data_dir", str(path))
        self.open_requested.emit(path)
