"""One victim's dedicated file (专门档案): profile, case, services, follow-ups, legal aid, placement,
consents and the file's own audit trail, each in a tab.

Names and ID numbers are masked until the user reveals them for this view (an audited act).  Every write
goes through the core with the version the form loaded, so a change made meanwhile in another window or
by another user is reported as a conflict — the user's input stays in the form — never overwritten.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.clocks import followup_state, protected_as_minor, service_state
from fanguai_desk.domain.enums import (
    ConsentGiver,
    ConsentScope,
    FileStatus,
    FollowUpMethod,
    FollowUpStatus,
    IdentityStatus,
    PlacementState,
    ReferralMatter,
    ReferralStatus,
    ServiceStatus,
    ServiceType,
    Sex,
)
from fanguai_desk.domain.errors import ConflictError, FanguaiError
from fanguai_desk.domain.masking import IDENTITY_MASKS, mask_field
from fanguai_desk.domain.nationality import NATIONALITIES, nationality_name
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.domain.rules import ensure_training_allowed
from fanguai_desk.services.audit_view import AuditLine, audit_lines
from fanguai_desk.services.desk import Desk
from fanguai_desk.services.placements import check_placement
from fanguai_desk.services.privacy import FILE_RECORDS, masked_record
from fanguai_desk.services.referrals import TRANSITIONS, clock_of
from fanguai_desk.services.victims import VictimFile
from fanguai_desk.store.clock import local_today
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.forms import F, Form, check_id_number, report
from fanguai_desk.ui.i18n import current_language, format_date, format_datetime, is_chinese
from fanguai_desk.ui.labels import deadline_text, enum_label, field_label
from fanguai_desk.ui.lifecycle_dialogs import CloseFileDialog, DeleteFileDialog, ReopenDialog, TransferDialog
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.widgets import (
    OVERDUE_COLOR,
    SOON_COLOR,
    Banner,
    Column,
    EnumCombo,
    OptionalDateEdit,
    RecordTable,
    RowsModel,
    muted,
)

log = logging.getLogger(__name__)

TAB_KEYS = ("profile", "case", "services", "followups", "legal_aid", "placement", "consents", "attachments", "audit")
NEXT_VISIT_DAYS = 30


@dataclass
class FileData:
    """What a file view shows: the file, plus the few lists its tabs need."""

    file: VictimFile
    user_names: dict[str, str] = field(default_factory=dict)
    cases: list[tuple[str, str]] = field(default_factory=list)  # (id, label)
    audit: list[AuditLine] = field(default_factory=list)
    history: list[Any] = field(default_factory=list)
    attachments: list[Any] = field(default_factory=list)  # AttachmentInfo (titles and types, no content)
    review_flags: list[Any] = field(default_factory=list)  # ReviewFlagView: records to review (services/review.py)


def load_file_data(desk: Desk, victim_id: str, audit_read: bool) -> FileData:
    vf = desk.victims.open_file(victim_id, audit_read=audit_read)
    # a case with nothing filled in yet is named by when it was entered, never by its record id
    cases = [(c.id, " · ".join(x for x in (c.police_case_ref, c.exploitation_type,
                                           format_date(c.opened_on)) if x)
              or QCoreApplication.translate("FileView", "Case without details (entered %1)").replace(
                  "%1", format_datetime(c.created_at)))
             for c, _n in desk.cases.list()]
    return FileData(vf, desk.users.names(), cases,
                    audit_lines(desk.uow, lang=current_language(), record_id=victim_id, limit=500),
                    desk.victims.history(victim_id), desk.attachments.list(victim_id),
                    desk.review.flags(victim_id, include_closed=True))


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _buttons(*widgets: QWidget) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 4, 0, 0)
    row.addStretch(1)
    for w in widgets:
        row.addWidget(w)
    return box


def _primary(text: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName("Primary")
    return b


def _due_color(state: Any) -> Any:
    value = getattr(state, "value", state)
    if value == "overdue":
        return OVERDUE_COLOR
    if value == "due_soon":
        return SOON_COLOR
    return None


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Form values as the core takes them: blank text as None."""
    return {k: (v if not (isinstance(v, str) and not v.strip()) else None) for k, v in values.items()}


class _Tab(QWidget):
    """Plumbing shared by the tabs (no visible strings here: subclasses translate their own)."""

    def __init__(self, view: VictimFileView) -> None:
        super().__init__()
        self.view = view
        self.ctx = view.ctx
        self.banner = Banner()

    def populate(self, data: FileData) -> None:
        raise NotImplementedError

    def saved(self, message: str, kind: str = "records") -> None:
        self.banner.success(message)
        self.ctx.data_changed.emit(kind)
        self.view.reload(audit_read=False)

    def failed(self, form: Form | None, exc: Exception) -> None:
        if isinstance(exc, ConflictError):
            self.banner.error(error_text(exc), (self.view.reload_text(), lambda: self.view.reload(audit_read=False)))
        elif form is not None:
            report(form, self.banner, exc)
        else:
            self.banner.error(error_text(exc))


# ====================================================================================== profile

def profile_fields() -> list[F]:
    return [
        F("name"), F("alias"),
        F("sex", "enum", Sex, blank=False), F("identity_status", "enum", IdentityStatus, blank=False),
        F("birth_date", "date"), F("estimated_birth_year", "int", minimum=1899, maximum=2100),
        F("id_number", check=check_id_number), F("identified_on", "date"),
        F("ethnicity"), F("nationality", "choice", choices=[
            (nationality_name(code, current_language()), code) for code in NATIONALITIES]),
        F("household_registration", wide=True), F("current_residence", wide=True),
        F("phone"), F("rescue_unit"),
        F("rescue_date", "date"), F("arrived_at_institution_on", "date"),
        F("disability"), F("disability_grade"),
        F("hidden_name", "bool"), F("attention_flag", "bool"),
        F("attention_message", wide=True),
        F("notes", "multiline", wide=True, extra={"height": 80}),
    ]


class PeopleTable(QWidget):
    """An editable little table (guardians, buyer households) with add/remove; model/view, no QTableWidget."""

    changed = Signal()

    def __init__(self, keys: list[str], add_text: str, remove_text: str) -> None:
        super().__init__()
        self.keys = keys
        self.model = QStandardItemModel(0, len(keys))
        self.model.setHorizontalHeaderLabels([field_label(k) for k in keys])
        self.model.itemChanged.connect(lambda _i: self.changed.emit())
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setFixedHeight(110)
        add = QPushButton(add_text)
        add.clicked.connect(self.add_row)
        remove = QPushButton(remove_text)
        remove.clicked.connect(self.remove_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addWidget(_buttons(add, remove))
        self._baseline: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for r in rows:
            self.model.appendRow([QStandardItem(str(r.get(k) or "")) for k in self.keys])
        self._baseline = self.rows()

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for i in range(self.model.rowCount()):
            row = {k: (self.model.item(i, j).text().strip() if self.model.item(i, j) else "")
                   for j, k in enumerate(self.keys)}
            if any(row.values()):
                out.append({k: (v or None) for k, v in row.items()})
        return out

    def is_changed(self) -> bool:
        return self.rows() != self._baseline

    def add_row(self) -> None:
        self.model.appendRow([QStandardItem("") for _ in self.keys])
        self.view.setCurrentIndex(self.model.index(self.model.rowCount() - 1, 0))
        self.view.edit(self.view.currentIndex())
        self.changed.emit()

    def remove_row(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.model.removeRow(index.row())
            self.changed.emit()


#: The profile fields the core masks (``domain.masking.IDENTITY_MASKS``, not a list of this form's own): shown
#: masked and read-only until the audited reveal; never sent back while masked.
MASKED_KEYS = tuple(f.key for f in profile_fields() if f.key in IDENTITY_MASKS)


class ProfileTab(_Tab):
    def __init__(self, view: VictimFileView) -> None:
        super().__init__(view)
        self.form = Form(profile_fields(), columns=2)
        self.guardians = PeopleTable(["name", "relation", "phone", "address", "id_number"],
                                     self.tr("Add guardian"), self.tr("Remove"))
        self.buyers = PeopleTable(["head_name", "address", "member_id_numbers", "notes"],
                                  self.tr("Add buyer household"), self.tr("Remove"))
        self.mask_hint = muted(self.tr("Name, alias, ID number, birth date, phone and addresses are masked. Use "
                                       "“Show full identity” above to see or change them (recorded in the audit "
                                       "log)."))
        body = QWidget()
        box = QVBoxLayout(body)
        box.addWidget(self.mask_hint)
        box.addWidget(self.form)
        guardian_title = QLabel(self.tr("Guardians (for a minor)"))
        guardian_title.setObjectName("SectionTitle")
        box.addWidget(guardian_title)
        box.addWidget(self.guardians)
        buyer_title = QLabel(self.tr("Buyer household — a minor is never placed with it"))
        buyer_title.setObjectName("SectionTitle")
        box.addWidget(buyer_title)
        box.addWidget(self.buyers)
        box.addStretch(1)
        self.save_button = _primary(self.tr("Save changes"))
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(_scroll(body), 1)
        layout.addWidget(self.banner)
        layout.addWidget(_buttons(self.save_button))
        self._version: int | None = None

    def is_dirty(self) -> bool:
        return self.form.is_dirty() or self.guardians.is_changed() or self.buyers.is_changed()

    def populate(self, data: FileData) -> None:
        if self._version is not None and self.is_dirty():
            # Unsaved input stays, and so does the version it was based on: a change made meanwhile
            # elsewhere is still reported as a conflict when this form is saved.
            return
        v = data.file.victim
        values = {k: getattr(v, k) for k in self.form.fields if hasattr(v, k)}
        revealed = self.view.revealed
        if revealed is not None:
            values.update({k: revealed.get(k) for k in MASKED_KEYS})
        else:
            values.update({k: None for k in MASKED_KEYS})
        self.form.set_values(values, baseline=False)
        if revealed is None:
            self._show_masked(masked_record(v))  # the core's masked view: nothing is masked by hand here
        self.form.rebaseline()
        self._set_people(data)
        self._version = v.version
        self.apply_mask()

    def _set_people(self, data: FileData) -> None:
        """Guardians and buyer households: the core's masked view, or — after a reveal — the clear values
        the reveal returned (and only then editable)."""
        for table, key, rows in ((self.guardians, "guardians", data.file.guardians),
                                 (self.buyers, "buyer_households", data.file.buyer_households)):
            table.set_rows([{k: self.view.shown(key, r, k) for k in table.keys} for r in rows])
            table.setEnabled(self.view.revealed is not None)

    def apply_mask(self) -> None:
        masked = self.view.revealed is None
        for key in MASKED_KEYS:
            self.form.set_read_only(key, masked)
        self.mask_hint.setVisible(masked)

    def _show_masked(self, masked: dict[str, Any]) -> None:
        """The core's masked values in the masked fields (a birth date shows its year only)."""
        for key in MASKED_KEYS:
            shown = masked.get(key)
            if self.form.fields[key].kind == "date":
                editor = self.form.editor(key)
                editor.set_value(None)
                if shown:
                    editor.line.setText(self.tr("%1 (year only)").replace("%1", str(shown)))
            else:
                self.form.set_value(key, "" if shown is None else str(shown))

    def set_revealed(self, revealed: dict[str, Any] | None, data: FileData) -> None:
        """Show (or mask again) the identity fields without touching anything else the user typed."""
        if revealed is None:
            self._show_masked(masked_record(data.file.victim))
        else:
            for key in MASKED_KEYS:
                self.form.set_value(key, revealed.get(key))
        for key in MASKED_KEYS:
            self.form.rebaseline(key)
        self._set_people(data)
        self.apply_mask()

    def identity_edited(self) -> bool:
        return self.view.revealed is not None and any(k in self.form.changed_values() for k in MASKED_KEYS)

    def save(self) -> None:
        self.banner.clear()
        self.form.clear_errors()
        changes = _clean(self.form.changed_values())
        if self.view.revealed is None:
            for key in MASKED_KEYS:
                changes.pop(key, None)
        if self.guardians.is_changed():
            changes["guardians"] = self.guardians.rows()
        if self.buyers.is_changed():
            changes["buyer_households"] = self.buyers.rows()
        if not changes:
            self.banner.show_message(self.tr("Nothing has changed."), "info")
            return
        victim_id, version = self.view.victim_id, self._version
        self.save_button.setEnabled(False)

        def done(_v: int) -> None:
            self.save_button.setEnabled(True)
            self.form.rebaseline()
            self.guardians.set_rows(self.guardians.rows())
            self.buyers.set_rows(self.buyers.rows())
            if self.view.revealed is not None:
                for key in MASKED_KEYS:
                    if key in changes:
                        self.view.revealed[key] = changes[key]
            self.saved(self.tr("Saved."), "victims")

        def failed(exc: Exception) -> None:
            self.save_button.setEnabled(True)
            self.failed(self.form, exc)

        self.ctx.call(lambda d: d.victims.edit(victim_id, changes, expected_version=version), done, failed)


# ====================================================================================== case

class CaseTab(_Tab):
    def __init__(self, view: VictimFileView) -> None:
        super().__init__(view)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.form = Form([F("case_id", "choice", blank=True)])
        self.link_button = _primary(self.tr("Link to this case"))
        self.link_button.clicked.connect(self.link)
        layout = QVBoxLayout(self)
        layout.addWidget(self.details)
        layout.addWidget(muted(self.tr("The registry does not investigate: it keeps what civil affairs knows of "
                                       "the case, no suspects and no evidence.")))
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(self.banner)
        layout.addWidget(_buttons(self.link_button))
        self._version: int | None = None

    def populate(self, data: FileData) -> None:
        self._version = data.file.victim.version
        c = data.file.case
        if c is None:
            self.details.setText(self.tr("This file is not linked to a case."))
        else:
            lines = [(field_label("police_case_ref"), c.police_case_ref),
                     (field_label("handling_unit"), c.handling_unit),
                     (field_label("opened_on"), format_date(c.opened_on)),
                     (field_label("incident_date"), format_date(c.incident_date)),
                     (field_label("place"), c.place), (field_label("exploitation_type"), c.exploitation_type),
                     (field_label("summary"), c.summary)]
            self.details.setText("\n".join(f"{k}：{v}" for k, v in lines if v))
        if self.form.is_dirty():
            return
        combo = self.form.editor("case_id")
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("—", None)
        for case_id, label in data.cases:
            combo.addItem(label, case_id)
        combo.setCurrentIndex(max(0, combo.findData(data.file.victim.case_id)))
        combo.blockSignals(False)
        self.form.rebaseline("case_id")

    def _linked(self) -> None:
        self.form.rebaseline()
        self.saved(self.tr("Case link saved."), "victims")

    def link(self) -> None:
        self.banner.clear()
        case_id = self.form.value("case_id")
        victim_id, version = self.view.victim_id, self._version
        self.ctx.call(lambda d: d.victims.edit(victim_id, {"case_id": case_id}, expected_version=version),
                      lambda _v: self._linked(),
                      lambda exc: self.failed(self.form, exc))


# ====================================================================================== services

class ServicesTab(_Tab):
    def __init__(self, view: VictimFileView) -> None:
        super().__init__(view)
        today = local_today()
        self.model = RowsModel([
            Column(self.tr("Service"), lambda r: enum_label(r.service_type)),
            Column(self.tr("Responsible unit"), lambda r: r.responsible_unit),
            Column(self.tr("Start"), lambda r: format_date(r.start_date)),
            Column(self.tr("Due"), lambda r: format_date(r.due_date)),
            Column(self.tr("End"), lambda r: format_date(r.end_date)),
            Column(self.tr("Status"), lambda r: enum_label(r.status)),
            Column(self.tr("Deadline"), lambda r: enum_label(service_state(r.due_date, r.status, today)),
                   color=lambda r: _due_color(service_state(r.due_date, r.status, today))),
        ])
        self.table = RecordTable()
        self.table.setModel(self.model)
        self.form = Form([
            F("service_type", "enum", ServiceType, required=True), F("responsible_unit"),
            F("start_date", "date", required=True), F("due_date", "date"),
            F("cooperating_units", wide=True),
            F("willing", "bool", label="", placeholder=self.tr("Recorded: the person wishes to take part "
                                                               "(training)"), wide=True),
            F("notes", "multiline", wide=True),
        ], columns=2)
        self.form.editor("service_type").currentIndexChanged.connect(self.precheck)
        self.form.editor("start_date").dateChanged.connect(self.precheck)
        self.form.editor("willing").toggled.connect(self.precheck)
        self.add_button = _primary(self.tr("Add service"))
        self.add_button.clicked.connect(self.add)
        self.status_combo = EnumCombo(ServiceStatus)
        self.end_date = OptionalDateEdit()
        self.update_button = QPushButton(self.tr("Update selected"))
        self.update_button.clicked.connect(self.update_selected)
        update_row = QWidget()
        row = QHBoxLayout(update_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Selected service:")))
        row.addWidget(self.status_combo)
        row.addWidget(QLabel(field_label("end_date")))
        row.addWidget(self.end_date)
        row.addWidget(self.update_button)
        row.addStretch(1)
        title = QLabel(self.tr("New service"))
        title.setObjectName("SectionTitle")
        body = QWidget()
        box = QVBoxLayout(body)
        box.addWidget(title)
        box.addWidget(self.form)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table)
        tl.addWidget(update_row)
        split.addWidget(top)
        split.addWidget(_scroll(body))
        split.setSizes([200, 320])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.banner)
        layout.addWidget(_buttons(self.add_button))
        self.form.set_values({"start_date": today})

    def populate(self, data: FileData) -> None:
        self.model.set_rows(list(reversed(data.file.services)))

    def precheck(self, *_args: Any) -> None:
        """The under-16 rule and the willingness rule, shown as soon as the form says "training"."""
        vf = self.view.file
        stype = self.form.value("service_type")
        start = self.form.value("start_date") or local_today()
        self.form.clear_field_error("service_type")
        self.form.clear_field_error("willing")
        if vf is None or stype != ServiceType.VOCATIONAL_TRAINING.value:
            return
        try:
            ensure_training_allowed(ServiceType.VOCATIONAL_TRAINING, start, vf.victim.birth_date,
                                    vf.victim.estimated_birth_year)
        except FanguaiError as exc:
            self.form.set_field_error("service_type", error_text(exc))
            return
        if not self.form.value("willing"):
            from fanguai_desk.domain.errors import ValidationError

            self.form.set_field_error("willing", error_text(ValidationError("training_willingness_required")))

    def add(self) -> None:
        self.banner.clear()
        self.form.clear_errors()
        data = _clean(self.form.values())
        if data.get("service_type") != ServiceType.VOCATIONAL_TRAINING.value and not data.get("willing"):
            data.pop("willing", None)
        victim_id = self.view.victim_id

        def done(_id: str) -> None:
            self.form.reset()
            self.form.set_values({"start_date": local_today()})
            self.saved(self.tr("Service added."), "services")

        def failed(exc: Exception) -> None:
            if isinstance(exc, FanguaiError) and exc.code in ("training_under_16", "training_age_unknown",
                                                              "school_service_not_school_age"):
                self.form.set_field_error("service_type", error_text(exc))
                self.banner.error(error_text(exc))
            elif isinstance(exc, FanguaiError) and exc.code == "training_willingness_required":
                self.form.set_field_error("willing", error_text(exc))
                self.banner.error(error_text(exc))
            else:
                self.failed(self.form, exc)

        self.ctx.call(lambda d: d.assistance.add(victim_id, data), done, failed)

    def update_selected(self) -> None:
        row = self.table.selected_row()
        if row is None:
            self.banner.show_message(self.tr("Select a service in the list first."), "info")
            return
        status = self.status_combo.value()
        changes: dict[str, Any] = {"status": status.value if status else None}
        if self.end_date.value():
            changes["end_date"] = self.end_date.value()
        self.ctx.call(lambda d: d.assistance.update(row.id, changes, expected_version=row.version),
                      lambda _r: self.saved(self.tr("Service updated."), "services"),
                      lambda exc: self.failed(None, exc))


# ====================================================================================== follow-ups

class FollowUpsTab(_Tab):
    def __init__(self, view: VictimFileView) -> None:
        super().__init__(view)
        today = local_today()
        self.model = RowsModel([
            Column(self.tr("Planned"), lambda r: format_date(r.planned_date)),
            Column(self.tr("Visited"), lambda r: format_date(r.actual_date)),
            Column(self.tr("Method"), lambda r: enum_label(r.method)),
            Column(self.tr("State"), lambda r: enum_label(self._state(r, today)),
                   color=lambda r: _due_color(self._state(r, today))),
            Column(self.tr("Caseworker"), lambda r: self._names.get(r.caseworker_id or "", "")),
            Column(self.tr("Needs found"), lambda r: (r.needs or "").replace("\n", " ")[:60]),
        ])
        self._names: dict[str, str] = {}
        self.table = RecordTable()
        self.table.setModel(self.model)
        self.table.selectionModel().currentRowChanged.connect(self._row_selected)
        self.form = Form([
            F("planned_visit", "choice", label=self.tr("Completes the planned visit"), blank=False, wide=True),
            F("actual_date", "date", required=True), F("method", "enum", FollowUpMethod, required=True),
            F("visitors"), F("referred_to_unit"),
            F("living_situation", "multiline"), F("schooling", "multiline"),
            F("work", "multiline"), F("health", "multiline"),
            F("psychological", "multiline"), F("needs", "multiline"),
            F("difficulties", "multiline", wide=True),
            F("next_visit_date", "date"), F("notes", "multiline"),
        ], columns=2)
        self.record_button = _primary(self.tr("Record visit"))
        self.record_button.clicked.connect(self.record)
        self.plan_date = OptionalDateEdit()
        self.confirm_box: QMessageBox | None = None
        self.plan_method = EnumCombo(FollowUpMethod, blank="—")
        self.plan_button = QPushButton(self.tr("Plan a visit"))
        self.plan_button.clicked.connect(self.plan)
        plan_row = QWidget()
        prow = QHBoxLayout(plan_row)
        prow.setContentsMargins(0, 0, 0, 0)
        prow.addWidget(QLabel(self.tr("Plan a visit on")))
        prow.addWidget(self.plan_date)
        method_label = QLabel(self.tr("Method"))
        method_label.setBuddy(self.plan_method)
        prow.addWidget(method_label)  # every field has its label (the method box had none)
        prow.addWidget(self.plan_method)
        prow.addWidget(self.plan_button)
        prow.addStretch(1)
        title = QLabel(self.tr("Record a visit"))
        title.setObjectName("SectionTitle")
        body = QWidget()
        box = QVBoxLayout(body)
        box.addWidget(title)
        box.addWidget(self.form)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table)
        tl.addWidget(plan_row)
        split.addWidget(top)
        split.addWidget(_scroll(body))
        split.setSizes([300, 300])  # the visits themselves stay readable on a 768-pixel screen
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.banner)
        layout.addWidget(_buttons(self.record_button))
        self._reset_form()

    @staticmethod
    def _state(r: Any, today: date) -> Any:
        return followup_state(r.status, r.planned_date, today)

    def _reset_form(self) -> None:
        today = local_today()
        self.form.reset()
        self.form.set_values({"actual_date": today, "next_visit_date": today + timedelta(days=NEXT_VISIT_DAYS)})

    def populate(self, data: FileData) -> None:
        self._names = data.user_names
        self.model.set_rows(sorted(data.file.followups, key=lambda f: f.planned_date or f.actual_date or date.min,
                                   reverse=True))
        combo = self.form.editor("planned_visit")
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("None — an unplanned visit"), None)
        for f in sorted(data.file.followups, key=lambda f: f.planned_date or date.max):
            if f.status is FollowUpStatus.PLANNED:
                combo.addItem(self.tr("Planned for %1").replace("%1", format_date(f.planned_date)), f.id)
        if current is None:  # by default complete the earliest planned visit
            combo.setCurrentIndex(1 if combo.count() > 1 else 0)
        else:
            combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)
        self.form.rebaseline("planned_visit")

    def select_followup(self, followup_id: str) -> None:
        combo = self.form.editor("planned_visit")
        index = combo.findData(followup_id)
        if index >= 0:
            combo.setCurrentIndex(index)
            self.form.rebaseline("planned_visit")
        for i, r in enumerate(self.model.rows):
            if r.id == followup_id:
                self.table.selectRow(i)

    def _row_selected(self, current: Any, _previous: Any) -> None:
        row = self.model.row_at(current)
        if row is not None and row.status is FollowUpStatus.PLANNED:
            combo = self.form.editor("planned_visit")
            combo.setCurrentIndex(max(0, combo.findData(row.id)))
            self.form.rebaseline("planned_visit")

    def record(self) -> None:
        self.banner.clear()
        self.form.clear_errors()
        values = _clean(self.form.values())
        followup_id = values.pop("planned_visit", None)
        version = next((f.version for f in self.model.rows if f.id == followup_id), None)
        victim_id = self.view.victim_id
        self.record_button.setEnabled(False)

        def work(d: Desk) -> tuple[str, str | None]:
            if followup_id:
                return d.followups.record(values, followup_id=followup_id, expected_version=version)
            return d.followups.record(values, victim_id=victim_id)

        def done(result: tuple[str, str | None]) -> None:
            self.record_button.setEnabled(True)
            next_date = values.get("next_visit_date")
            self._reset_form()
            msg = self.tr("Visit recorded.")
            if result[1] and next_date:
                # sentences follow each other without a space in Chinese (。已安排…), with one in English
                msg += ("" if is_chinese() else " ") + self.tr("Next visit planned for %1.").replace(
                    "%1", format_date(next_date))
            self.saved(msg, "followups")

        def failed(exc: Exception) -> None:
            self.record_button.setEnabled(True)
            self.failed(self.form, exc)

        self.ctx.call(work, done, failed)

    def plan(self) -> None:
        self.banner.clear()
        when = self.plan_date.value()
        if when is None:
            self.banner.error(self.tr("Choose the date of the planned visit."))
            return
        method = self.plan_method.value()
        if when < local_today():
            # Usually a typo: ask (non-modal, like every confirmation of the app), plan only on "Yes".
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("Plan a visit in the past?"),
                              self.tr("The planned date %1 is before today. Plan the visit on that date anyway?")
                              .replace("%1", format_date(when)),
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            box.finished.connect(lambda _r: self._plan(when, method, True) if box.standardButton(
                box.clickedButton()) == QMessageBox.StandardButton.Yes else None)
            box.open()
            self.confirm_box = box
            return
        self._plan(when, method, False)

    def _plan(self, when: date, method: Any, confirm_past: bool) -> None:
        victim_id = self.view.victim_id
        def done(_id: str) -> None:
            # emptied once planned: a second click must not plan the same visit twice (seen on Xvfb)
            self.plan_date.set_value(None)
            self.plan_method.setCurrentIndex(0)
            self.saved(self.tr("Visit planned for %1.").replace("%1", format_date(when)), "followups")

        self.ctx.call(lambda d: d.followups.plan(victim_id, when, method, confirm_past=confirm_past), done,
                      lambda exc: self.failed(None, exc))


# ====================================================================================== legal aid

class LegalAidTab(_Tab):
    def __init__(self, view: VictimFileView) -> None:
        super().__init__(view)
        today = local_today()
        self.model = RowsModel([
            Column(self.tr("Institution"), lambda r: r.institution),
            Column(self.tr("Matter"), lambda r: enum_label(r.matter)),
            Column(self.tr("Referred"), lambda r: format_date(r.referral_date)),
            Column(self.tr("Status"), lambda r: enum_label(r.status)),
            Column(self.tr("Deadline"), lambda r: self._deadline(r, today),
                   color=lambda r: OVERDUE_COLOR if self._clock(r, today).overdue else None),
            Column(self.tr("Consent"), lambda r: self.tr("override") if r.consent_override_reason
                   else self.tr("on file")),
        ])
        self.table = RecordTable()
        self.table.setModel(self.model)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self.overrides = QLabel()
        self.overrides.setObjectName("Warning")
        self.overrides.setWordWrap(True)
        self.overrides.hide()
        # status update of the selected referral
        self.next_status = QLabel()
        self.update_form = Form([
            F("status", "choice", blank=False), F("date", "date", required=True),
            F("lawyer"), F("outcome"), F("note", wide=True),
        ], columns=2)
        self.update_button = QPushButton(self.tr("Update selected referral"))
        self.update_button.clicked.connect(self.update_selected)
        # new referral
        self.consent_state = QLabel()
        self.consent_state.setWordWrap(True)
        self.form = Form([
            F("institution", required=True, label=self.tr("Legal-aid institution")),
            F("matter", "enum", ReferralMatter, required=True),
            F("referral_date", "date", required=True), F("urgent_deadline", "date"),
            F("green_channel", "bool", label="", placeholder=self.tr("Green channel: priority handling (优先受理)"),
              wide=True),
            F("notes", "multiline", wide=True),
            F("override", "bool", label="", placeholder=self.tr(
                "Refer without consent — an exception, kept in the audit log and shown on the file"), wide=True),
            F("consent_override_reason", "multiline", wide=True),
        ], columns=2)
        self.form.editor("override").toggled.connect(self._override_toggled)
        self.add_button = _primary(self.tr("Refer to legal aid"))
        self.add_button.clicked.connect(self.add)
        up_title = QLabel(self.tr("Answer from the institution"))
        up_title.setObjectName("SectionTitle")
        new_title = QLabel(self.tr("New referral"))
        new_title.setObjectName("SectionTitle")
        self.answer_box = QWidget()
        answer = QVBoxLayout(self.answer_box)
        answer.setContentsMargins(0, 0, 0, 0)
        answer.addWidget(up_title)
        answer.addWidget(self.update_form)
        answer.addWidget(_buttons(self.update_button))
        self.answer_hint = muted(self.tr("Select a referral in the list to record the institution's answer."))
        body = QWidget()
        box = QVBoxLayout(body)
        box.addWidget(self.answer_hint)
        box.addWidget(self.answer_box)
        box.addWidget(new_title)
        box.addWidget(self.consent_state)
        box.addWidget(self.form)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table)
        tl.addWidget(self.overrides)
        split.addWidget(top)
        split.addWidget(_scroll(body))
        split.setSizes([190, 350])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.banner)
        layout.addWidget(_buttons(self.add_button))
        self._reset()

    @staticmethod
    def _clock(r: Any, today: date) -> Any:
        return clock_of(r, today)

    def _deadline(self, r: Any, today: date) -> str:
        return deadline_text(self._clock(r, today))

    def _reset(self) -> None:
        self.form.reset()
        self.form.set_values({"referral_date": local_today(), "green_channel": True})
        self._override_toggled(False)
        self.update_form.set_values({"date": local_today()})

    def _override_toggled(self, on: bool) -> None:
        self.form.editor("consent_override_reason").setEnabled(bool(on))
        self.form.labels["consent_override_reason"].setEnabled(bool(on))

    def populate(self, data: FileData) -> None:
        vf = data.file
        self.model.set_rows(list(reversed(vf.referrals)))
        today = local_today()
        minor = protected_as_minor(vf.victim.birth_date, vf.victim.estimated_birth_year, today)
        valid = [c for c in vf.consents if c.scope is ConsentScope.REFERRAL and c.given_on <= today
                 and (c.withdrawn_on is None or c.withdrawn_on > today)
                 and (not minor or c.given_by is ConsentGiver.GUARDIAN)]
        if valid:
            c = valid[-1]
            self.consent_state.setText("✓ " + self.tr("Consent to referral on file: %1, %2")
                                       .replace("%1", enum_label(c.given_by)).replace("%2", format_date(c.given_on)))
            self.consent_state.setObjectName("")
        else:
            text = self.tr("No valid consent to referral on file (for a minor: the guardian's). Record it in "
                           "the Consents tab, or refer as an explicit exception with a reason.")
            self.consent_state.setText("× " + text)
            self.consent_state.setObjectName("Warning")
        self.consent_state.style().unpolish(self.consent_state)
        self.consent_state.style().polish(self.consent_state)
        if vf.consent_overrides:
            lines = [self.tr("Referred without consent:")]
            for r in vf.consent_overrides:
                lines.append(f"· {format_date(r.referral_date)} {r.institution} — {r.consent_override_reason}")
            self.overrides.setText("\n".join(lines))
            self.overrides.show()
        else:
            self.overrides.hide()
        self._selection_changed()

    def _selection_changed(self) -> None:
        row = self.table.selected_row()
        combo = self.update_form.editor("status")
        combo.clear()
        allowed = sorted(TRANSITIONS.get(row.status, frozenset()), key=list(ReferralStatus).index) if row else []
        for status in allowed:
            combo.addItem(enum_label(status), status.value)
        self.update_form.rebaseline("status")
        self.update_button.setEnabled(bool(allowed))
        self.answer_box.setVisible(bool(allowed))
        self.answer_hint.setVisible(row is None)

    def update_selected(self) -> None:
        self.banner.clear()
        self.update_form.clear_errors()
        row = self.table.selected_row()
        if row is None:
            self.banner.show_message(self.tr("Select a referral in the list first."), "info")
            return
        v = _clean(self.update_form.values())
        self.ctx.call(lambda d: d.referrals.update(row.id, v["status"], v["date"], note=v.get("note"),
                                                   lawyer=v.get("lawyer"), outcome=v.get("outcome"),
                                                   expected_version=row.version),
                      lambda _r: self._updated(), lambda exc: self.failed(self.update_form, exc))

    def _updated(self) -> None:
        self.update_form.reset()
        self.update_form.set_values({"date": local_today()})
        self.saved(self.tr("Referral updated."), "referrals")

    def add(self) -> None:
        self.banner.clear()
        self.form.clear_errors()
        values = _clean(self.form.values())
        override = values.pop("override", False)
        reason = values.pop("consent_override_reason", None)
        if override and not reason:
            self.form.set_field_error("consent_override_reason",
                                      self.tr("Write why the referral cannot wait for consent."))
            return
        values["green_channel"] = bool(values.get("green_channel"))
        victim_id = self.view.victim_id

        def done(_id: str) -> None:
            self._reset()
            self.saved(self.tr("Referred to legal aid."), "referrals")

        self.ctx.call(lambda d: d.referrals.add(victim_id, values, consent_override_reason=reason if override
                                                else None),
                      done, lambda exc: self.failed(self.form, exc))


# ====================================================================================== placement

class PlacementTab(_Tab):
    def __init__(self, view: VictimFileView) -> None:
        super().__init__(view)
        self.model = RowsModel([
            Column(self.tr("From"), lambda r: format_date(r.start_date)),
            Column(self.tr("Placement"), lambda r: enum_label(r.state)),
            Column(self.tr("Institution"), lambda r: r.institution),
            Column(self.tr("Household"), lambda r: view.shown("placements", r, "household_head")),
            Column(self.tr("Address"), lambda r: view.shown("placements", r, "address")),
        ])
        self.table = RecordTable()
        self.table.setModel(self.model)
        self.form = Form([
            F("state", "enum", PlacementState, required=True), F("start_date", "date", required=True),
            F("institution"), F("household_head"),
            F("address", wide=True), F("caregiver_id_number", check=check_id_number),
            F("is_buyer_household", "bool", label="", placeholder=self.tr("This is the household that bought "
                                                                          "the person")),
            F("notes", "multiline", wide=True),
        ], columns=2)
        for key in ("household_head", "address", "caregiver_id_number", "is_buyer_household", "state"):
            editor = self.form.editor(key)
            signal = getattr(editor, "editingFinished", None) or getattr(editor, "toggled", None) \
                or editor.currentIndexChanged
            signal.connect(self.precheck)
        self.add_button = _primary(self.tr("Add to the timeline"))
        self.add_button.clicked.connect(self.add)
        title = QLabel(self.tr("New placement (the timeline keeps every earlier one)"))
        title.setObjectName("SectionTitle")
        body = QWidget()
        box = QVBoxLayout(body)
        box.addWidget(title)
        box.addWidget(self.form)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(_scroll(body))
        split.setSizes([200, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.banner)
        layout.addWidget(_buttons(self.add_button))
        self.form.set_values({"start_date": local_today()})

    def populate(self, data: FileData) -> None:
        self.model.set_rows(sorted(data.file.placements, key=lambda p: p.start_date, reverse=True))

    def precheck(self, *_args: Any) -> None:
        """不得由收买家庭继续抚养: shown as soon as the form matches the buyer household on file."""
        vf = self.view.file
        if vf is None:
            return
        values = _clean(self.form.values())
        try:
            check_placement(vf.victim, values, bool(values.get("is_buyer_household")))
        except FanguaiError as exc:
            self.banner.error(error_text(exc))
            return
        if self.banner.kind() == "error":
            self.banner.clear()

    def add(self) -> None:
        self.banner.clear()
        self.form.clear_errors()
        values = _clean(self.form.values())
        values["is_buyer_household"] = bool(values.get("is_buyer_household"))
        victim_id = self.view.victim_id

        def done(_id: str) -> None:
            self.form.reset()
            self.form.set_values({"start_date": local_today()})
            self.saved(self.tr("Placement added."), "placements")

        self.ctx.call(lambda d: d.placements.add(victim_id, values), done, lambda exc: self.failed(self.form, exc))


# ====================================================================================== consents

class ConsentsTab(_Tab):
    def __init__(self, view: VictimFileView) -> None:
        super().__init__(view)
        self.model = RowsModel([
            Column(self.tr("Consent to"), lambda r: enum_label(r.scope)),
            Column(self.tr("Given by"), lambda r: enum_label(r.given_by)),
            Column(self.tr("Guardian"), lambda r: view.shown("consents", r, "guardian_name")),
            Column(self.tr("Given on"), lambda r: format_date(r.given_on)),
            Column(self.tr("Withdrawn on"), lambda r: format_date(r.withdrawn_on)),
        ])
        self.table = RecordTable()
        self.table.setModel(self.model)
        self.withdraw_button = QPushButton(self.tr("Withdraw selected (today)"))
        self.withdraw_button.clicked.connect(self.withdraw)
        self.form = Form([
            F("scope", "enum", ConsentScope, required=True), F("given_by", "enum", ConsentGiver, required=True),
            F("guardian_name"), F("given_on", "date", required=True),
            F("notes", "multiline", wide=True),
        ], columns=2)
        self.add_button = _primary(self.tr("Record consent"))
        self.add_button.clicked.connect(self.add)
        title = QLabel(self.tr("Record a consent (PIPL: for a minor, the guardian's)"))
        title.setObjectName("SectionTitle")
        body = QWidget()
        box = QVBoxLayout(body)
        box.addWidget(title)
        box.addWidget(self.form)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table)
        tl.addWidget(_buttons(self.withdraw_button))
        split.addWidget(top)
        split.addWidget(_scroll(body))
        split.setSizes([220, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.banner)
        layout.addWidget(_buttons(self.add_button))
        self.form.set_values({"given_on": local_today()})

    def populate(self, data: FileData) -> None:
        self.model.set_rows(list(reversed(data.file.consents)))

    def add(self) -> None:
        self.banner.clear()
        self.form.clear_errors()
        values = _clean(self.form.values())
        victim_id = self.view.victim_id

        def done(_id: str) -> None:
            self.form.reset()
            self.form.set_values({"given_on": local_today()})
            self.saved(self.tr("Consent recorded."), "consents")

        self.ctx.call(lambda d: d.consents.add(victim_id, values), done, lambda exc: self.failed(self.form, exc))

    def withdraw(self) -> None:
        row = self.table.selected_row()
        if row is None:
            self.banner.show_message(self.tr("Select a consent in the list first."), "info")
            return
        today = local_today()
        self.ctx.call(lambda d: d.consents.withdraw(row.id, today),
                      lambda _r: self.saved(self.tr("Consent withdrawn."), "consents"),
                      lambda exc: self.failed(None, exc))


# ====================================================================================== audit

class AuditTab(_Tab):
    def __init__(self, view: VictimFileView) -> None:
        super().__init__(view)
        self.model = RowsModel([Column(self.tr("What happened"), lambda r: r.sentence)])
        self.table = RecordTable()
        self.table.setModel(self.model)
        self.history_model = RowsModel([
            Column(self.tr("Time"), lambda r: format_datetime(r.changed_at)),
            Column(self.tr("User"), lambda r: self._names.get(r.changed_by or "", "")),
            Column(self.tr("Record"), lambda r: self._record(r.record_type)),
            Column(self.tr("Field changed"), lambda r: self.tr("created") if r.field == "*" else field_label(r.field)),
        ])
        self._names: dict[str, str] = {}
        self.history = RecordTable()
        self.history.setModel(self.history_model)
        a_title = QLabel(self.tr("Audit trail of this file (reads, reveals, changes)"))
        a_title.setObjectName("SectionTitle")
        h_title = QLabel(self.tr("Change history (fields only; values stay in the encrypted registry)"))
        h_title.setObjectName("SectionTitle")
        layout = QVBoxLayout(self)
        layout.addWidget(a_title)
        layout.addWidget(self.table, 3)
        layout.addWidget(h_title)
        layout.addWidget(self.history, 2)

    def _record(self, record_type: str | None) -> str:
        names = {"victim": self.tr("file"), "followup": self.tr("visit"), "service": self.tr("service"),
                 "referral": self.tr("legal aid"), "placement": self.tr("placement"), "consent": self.tr("consent"),
                 "guardian": self.tr("guardian"), "buyer_household": self.tr("buyer household"),
                 "referral_event": self.tr("legal aid"), "case": self.tr("case"),
                 "attachment": self.tr("attachment")}
        return names.get(record_type or "", record_type or "")

    def populate(self, data: FileData) -> None:
        self._names = data.user_names
        self.model.set_rows(data.audit)
        self.history_model.set_rows(list(reversed(data.history)))


# ====================================================================================== the view

class VictimFileView(QWidget):
    title_changed = Signal(str)
    close_requested = Signal()

    def __init__(self, ctx: AppContext, victim_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.victim_id = victim_id
        self.data: FileData | None = None
        self.revealed: dict[str, Any] | None = None  # the person's clear identity, after a reveal
        self.revealed_records: dict[str, dict[str, dict[str, Any]]] = {}  # record kind → id → clear values
        self._pending_tab: str | None = None
        self._pending_select: str | None = None
        self.loaded_once = False

        self.name_label = QLabel("…")
        self.name_label.setObjectName("HeaderName")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info_label = muted("")
        self.id_label = QLabel()
        self.id_label.setObjectName("Muted")
        self.attention = QLabel()
        self.attention.setObjectName("Warning")
        self.attention.setWordWrap(True)
        self.attention.hide()
        # Records to review (services/review.py): each open flag in the user's language, with what to check
        # and a button to mark it reviewed (audited; only for those who may work the file).
        self.review_notice = QFrame()
        self.review_notice.setObjectName("ReviewNotice")
        self.review_layout = QVBoxLayout(self.review_notice)
        self.review_layout.setContentsMargins(14, 4, 14, 4)
        self.review_notice.hide()
        # Flags already reviewed (here, or at the township and received with its bundle): collapsed, each
        # with who closed it, when, and the note (services/review.py, ReviewService.flags(include_closed)).
        self.reviewed_toggle = QPushButton()
        self.reviewed_toggle.setObjectName("ReviewedFlagsToggle")
        self.reviewed_toggle.setCheckable(True)
        self.reviewed_toggle.setFlat(True)
        self.reviewed_list = QWidget()
        self.reviewed_layout = QVBoxLayout(self.reviewed_list)
        self.reviewed_layout.setContentsMargins(14, 0, 14, 4)
        self.reviewed_list.hide()
        self.reviewed_toggle.toggled.connect(self._show_reviewed)
        self.reviewed_toggle.hide()
        self.reveal_button = QPushButton(self.tr("Show full identity"))
        self.reveal_button.setToolTip(self.tr("Shows the full name and ID number in this view only. "
                                              "Recorded in the audit log."))
        self.reveal_button.clicked.connect(self.toggle_reveal)
        self.reload_button = QPushButton(self.tr("Reload"))
        self.reload_button.clicked.connect(lambda: self.reload(audit_read=True))
        self.close_button = QPushButton(self.tr("Close tab"))
        self.close_button.setToolTip(self.tr("Close this tab (the file stays as it is)"))
        self.close_button.clicked.connect(self.close_requested)
        # A file's whole life (issue 13): close (结案) / reopen, transfer, delete a file entered by mistake.
        self.close_file_button = QPushButton(self.tr("Close the file…"))
        self.close_file_button.clicked.connect(self.open_close_dialog)
        self.reopen_button = QPushButton(self.tr("Reopen…"))
        self.reopen_button.clicked.connect(self.open_reopen_dialog)
        self.reopen_button.hide()
        self.transfer_button = QPushButton(self.tr("Transfer…"))
        self.transfer_button.clicked.connect(self.open_transfer_dialog)
        self.delete_button = QPushButton(self.tr("Delete (entered by mistake)…"))
        self.delete_button.clicked.connect(self.open_delete_dialog)
        self.dialog: QDialog | None = None
        self.closed_notice = QLabel()
        self.closed_notice.setObjectName("Warning")
        self.closed_notice.setWordWrap(True)
        self.closed_notice.hide()
        header = QFrame()
        header.setObjectName("FileHeader")
        hl = QHBoxLayout(header)
        hl.setContentsMargins(14, 8, 14, 8)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.name_label)
        names.addWidget(self.info_label)
        names.addWidget(self.id_label)
        hl.addLayout(names, 1)
        hl.addWidget(self.reveal_button)
        hl.addWidget(self.close_file_button)
        hl.addWidget(self.reopen_button)
        hl.addWidget(self.transfer_button)
        hl.addWidget(self.delete_button)
        hl.addWidget(self.reload_button)
        hl.addWidget(self.close_button)
        # Only once it has a parent: showing a parentless widget opens it as a window of its own for a moment,
        # which takes the activation from the main window (and with it every application shortcut, Ctrl+L too).
        self.delete_button.setVisible(ctx.desk is not None and ctx.desk.can(Permission.FILE_DELETE))
        self.banner = Banner(reserve=False)

        self.tabs = QTabWidget()
        from fanguai_desk.ui.attachments_tab import AttachmentsTab

        self._tab_classes: dict[str, type[_Tab]] = {
            "profile": ProfileTab, "case": CaseTab, "services": ServicesTab, "followups": FollowUpsTab,
            "legal_aid": LegalAidTab, "placement": PlacementTab, "consents": ConsentsTab,
            "attachments": AttachmentsTab, "audit": AuditTab,
        }
        self._tab_titles = {
            "profile": self.tr("Profile"), "case": self.tr("Case"), "services": self.tr("Services"),
            "followups": self.tr("Follow-ups"), "legal_aid": self.tr("Legal aid"), "placement": self.tr("Placement"),
            "consents": self.tr("Consents"), "attachments": self.tr("Attachments"), "audit": self.tr("Audit trail"),
        }
        self._tabs_by_key: dict[str, _Tab] = {}
        for key in TAB_KEYS:  # tabs are built when first shown: opening a file stays quick
            self.tabs.addTab(QWidget(), self._tab_titles[key])
        self.tabs.currentChanged.connect(lambda i: self.tab(TAB_KEYS[i]) if 0 <= i < len(TAB_KEYS) else None)
        self.tab("profile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(header)
        layout.addWidget(self.closed_notice)
        layout.addWidget(self.attention)
        layout.addWidget(self.review_notice)
        layout.addWidget(self.reviewed_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.reviewed_list)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        ctx.locked.connect(self.on_locked)

    # ------------------------------------------------------------------ tabs

    def tab(self, key: str) -> Any:
        """The tab's widget, built (and filled with the loaded file) on first use."""
        built = self._tabs_by_key.get(key)
        if built is not None:
            return built
        tab = self._tab_classes[key](self)
        self._tabs_by_key[key] = tab
        index = TAB_KEYS.index(key)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        placeholder = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, tab, self._tab_titles[key])
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        if placeholder is not None:
            placeholder.deleteLater()
        if self.data is not None:
            tab.populate(self.data)
        return tab

    @property
    def profile(self) -> ProfileTab:
        return self.tab("profile")

    @property
    def case(self) -> CaseTab:
        return self.tab("case")

    @property
    def services(self) -> ServicesTab:
        return self.tab("services")

    @property
    def followups(self) -> FollowUpsTab:
        return self.tab("followups")

    @property
    def legal_aid(self) -> LegalAidTab:
        return self.tab("legal_aid")

    @property
    def placement(self) -> PlacementTab:
        return self.tab("placement")

    @property
    def consents(self) -> ConsentsTab:
        return self.tab("consents")

    @property
    def audit(self) -> AuditTab:
        return self.tab("audit")

    # ------------------------------------------------------------------ loading

    @property
    def file(self) -> VictimFile | None:
        return self.data.file if self.data else None

    def is_dirty(self) -> bool:
        """Unsaved input anywhere in this file's forms."""
        if self.profile.is_dirty():
            return True
        forms = [getattr(tab, name) for key, tab in self._tabs_by_key.items() if key != "profile"
                 for name in ("form", "update_form") if isinstance(getattr(tab, name, None), Form)]
        return any(f.is_dirty() for f in forms)

    def reload_text(self) -> str:
        return self.tr("Reload the file")

    def reload(self, audit_read: bool = True) -> None:
        victim_id = self.victim_id
        self.ctx.call(lambda d: load_file_data(d, victim_id, audit_read), self._loaded, self._load_failed)

    def _loaded(self, data: FileData) -> None:
        self.data = data
        self.loaded_once = True
        vf = data.file
        v = vf.victim
        self._render_header()
        parts = [v.file_number, enum_label(v.sex)]
        if vf.age is not None:
            parts.append(self.tr("%1 years").replace("%1", str(vf.age)))
        parts += [vf.township, enum_label(v.status)]
        if v.identity_status is IdentityStatus.UNKNOWN:
            parts.append(enum_label(v.identity_status))
            if vf.days_unidentified is not None:
                parts.append(self.tr("unidentified for %1 days").replace("%1", str(vf.days_unidentified)))
        if v.status is FileStatus.CLOSED and v.retention_until:
            parts.append(self.tr("keep until %1").replace("%1", format_date(v.retention_until)))
        self.info_label.setText(" · ".join(parts))
        closed = v.status is FileStatus.CLOSED
        self.close_file_button.setVisible(not closed)
        self.transfer_button.setVisible(not closed)
        self.reopen_button.setVisible(closed)
        if closed:
            text = self.tr("Closed on %1: %2. The file is read-only; reopen it (with a reason) to change it.") \
                .replace("%1", format_date(v.closed_on)).replace("%2", enum_label(v.closure_reason))
            if v.transferred_to:
                text += " " + self.tr("Transferred to: %1").replace("%1", v.transferred_to)
            self.closed_notice.setText(text)
        self.closed_notice.setVisible(closed)
        if v.attention_flag:
            self.attention.setText("★ " + (v.attention_message or self.tr("Flagged for attention")))
            self.attention.show()
        else:
            self.attention.hide()
        self._render_review_flags(data.review_flags)
        for tab in self._tabs_by_key.values():
            tab.populate(data)
        self.title_changed.emit(v.file_number)
        if self._pending_tab:
            self.show_tab(self._pending_tab, self._pending_select)
            self._pending_tab = self._pending_select = None

    def _load_failed(self, exc: Exception) -> None:
        self.banner.error(error_text(exc))

    def _render_review_flags(self, all_flags: list[Any]) -> None:
        for box in (self.review_layout, self.reviewed_layout):
            while box.count():
                item = box.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.deleteLater()
        en = current_language().startswith("en")
        flags = [f for f in all_flags if f.status == "open"]
        self._render_reviewed_flags([f for f in all_flags if f.status != "open"], en)
        for flag in flags:
            row = QWidget()
            rl = QHBoxLayout(row)
            rl.setContentsMargins(0, 0, 0, 0)
            label = QLabel("⚑ " + (flag.text_en if en else flag.text))
            label.setObjectName("Warning")
            label.setWordWrap(True)
            rl.addWidget(label, 1)
            # Closing is offered only where it works (services/review.py, ReviewFlagView.can_close): a flag
            # raised at a township closes there, and its closure arrives with the township's next bundle.
            if flag.can_close:
                note = QLineEdit()
                note.setObjectName("ReviewFlagNote")
                note.setPlaceholderText(self.tr("What you found or did (optional)"))
                note.setMaxLength(500)
                rl.addWidget(note, 1)
                button = QPushButton(self.tr("Mark reviewed"))
                button.setObjectName("ReviewFlagButton")
                button.clicked.connect(lambda _c=False, fid=flag.id, n=note: self.mark_flag_reviewed(fid, n.text()))
                rl.addWidget(button, 0)
            elif flag.raised_at:
                where = QLabel(self.tr("Raised at %1: it is closed at the township; the closure arrives with "
                                       "the township's next bundle.").replace("%1", flag.raised_at))
                where.setObjectName("ReviewFlagOrigin")
                where.setWordWrap(True)
                rl.addWidget(where, 1)
            self.review_layout.addWidget(row)
        self.review_notice.setVisible(bool(flags))

    def _render_reviewed_flags(self, closed: list[Any], en: bool) -> None:
        for flag in closed:
            who = flag.resolved_by or self.tr("unknown user")
            when = format_datetime(flag.resolved_at) if flag.resolved_at else ""
            text = "✓ " + (flag.text_en if en else flag.text) + "\n" + (
                self.tr("Reviewed by %1 on %2").replace("%1", who).replace("%2", when))
            if flag.note:
                text += "\n" + self.tr("Note: %1").replace("%1", flag.note)
            label = QLabel(text)
            label.setObjectName("ReviewedFlag")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            self.reviewed_layout.addWidget(label)
        self.reviewed_toggle.setText(self.tr("Reviewed (%1)").replace("%1", str(len(closed))))
        self.reviewed_toggle.setVisible(bool(closed))
        self._show_reviewed(self.reviewed_toggle.isChecked())

    def _show_reviewed(self, shown: bool) -> None:
        self.reviewed_toggle.setText(("▾ " if shown else "▸ ") + self.reviewed_toggle.text().lstrip("▸▾ "))
        self.reviewed_list.setVisible(shown and self.reviewed_layout.count() > 0)

    def mark_flag_reviewed(self, flag_id: str, note: str = "") -> None:
        def done(_r: Any) -> None:
            self.banner.success(self.tr("Marked as reviewed."))
            self.reload(audit_read=False)

        self.ctx.call(lambda d: d.review.mark_reviewed(flag_id, note or None), done,
                      lambda exc: self.banner.error(error_text(exc)))

    def _render_header(self) -> None:
        vf = self.file
        if vf is None:
            return
        if self.revealed is not None:
            name = self.revealed.get("name") or self.revealed.get("alias") or ""
            if self.revealed.get("alias") and self.revealed.get("name"):
                name += "（" + self.tr("alias: %1").replace("%1", self.revealed["alias"]) + "）"
            self.name_label.setText(name)
            self.id_label.setText(self.tr("ID number: %1").replace("%1", self.revealed.get("id_number") or "—"))
            self.reveal_button.setText(self.tr("Mask identity"))
        else:
            self.name_label.setText(vf.display_name or "—")
            self.id_label.setText(self.tr("ID number: %1").replace("%1", vf.id_number_masked or "—"))
            self.reveal_button.setText(self.tr("Show full identity"))

    def show_tab(self, key: str, select_id: str | None = None) -> None:
        if not self.loaded_once:
            self._pending_tab, self._pending_select = key, select_id
            return
        if key not in self._tab_classes:
            return
        tab = self.tab(key)
        self.tabs.setCurrentWidget(tab)
        if select_id and tab is self.followups:
            self.followups.select_followup(select_id)
        if select_id and tab is self.legal_aid:
            for i, r in enumerate(self.legal_aid.model.rows):
                if r.id == select_id:
                    self.legal_aid.table.selectRow(i)

    # ------------------------------------------------------------------ a file's whole life

    def _lifecycle_done(self, message: str) -> None:
        self.banner.success(message)
        self.reload(audit_read=False)
        self.ctx.data_changed.emit("victims")
        self.ctx.data_changed.emit("followups")
        self.ctx.data_changed.emit("referrals")
        self.ctx.data_changed.emit("services")

    def _show_dialog(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def open_close_dialog(self) -> None:
        dialog = CloseFileDialog(self.ctx, self.victim_id, self)
        dialog.done_signal.connect(lambda r: self._lifecycle_done(
            self.tr("File closed. %1 visit(s) and %2 service(s) cancelled, %3 referral(s) revoked; kept until %4.")
            .replace("%1", str(r.visits_cancelled)).replace("%2", str(r.services_cancelled))
            .replace("%3", str(r.referrals_revoked)).replace("%4", format_date(r.retention_until))))
        self._show_dialog(dialog)

    def open_reopen_dialog(self) -> None:
        dialog = ReopenDialog(self.ctx, self.victim_id, self)
        dialog.done_signal.connect(lambda _r: self._lifecycle_done(self.tr("File reopened; the reason is in its "
                                                                           "history.")))
        self._show_dialog(dialog)

    def open_transfer_dialog(self) -> None:
        vf = self.file
        dialog = TransferDialog(self.ctx, self.victim_id, vf.township if vf else "", self)
        dialog.done_signal.connect(lambda r: self._lifecycle_done(
            self.tr("File transferred to %1.").replace("%1", getattr(r, "township", None) or r.destination)))
        self._show_dialog(dialog)

    def open_delete_dialog(self) -> None:
        dialog = DeleteFileDialog(self.ctx, self.victim_id, self)
        dialog.done_signal.connect(lambda _r: self._deleted())
        self._show_dialog(dialog)

    def _deleted(self) -> None:
        self.ctx.data_changed.emit("victims")
        self.close_requested.emit()

    # ------------------------------------------------------------------ reveal

    def toggle_reveal(self) -> None:
        if self.revealed is not None:
            self.mask_identity()
            return
        victim_id = self.victim_id
        self.reveal_button.setEnabled(False)

        def done(clear: dict[str, Any]) -> None:
            self.reveal_button.setEnabled(True)
            self.revealed = dict(clear["victim"])
            self.revealed_records = {k: {r["id"]: r for r in clear[k]} for k in FILE_RECORDS}
            self._render_header()
            if self.data is not None:
                self.profile.set_revealed(self.revealed, self.data)
            self.reload(audit_read=False)  # the audit trail shows the reveal

        def failed(exc: Exception) -> None:
            self.reveal_button.setEnabled(True)
            self.banner.error(error_text(exc))

        self.ctx.call(lambda d: d.victims.reveal_file(victim_id, purpose="view"), done, failed)

    def shown(self, kind: str, row: Any, field: str) -> Any:
        """What a tab shows for ``row.field``: the clear value after a reveal, else the core's mask."""
        clear = self.revealed_records.get(kind, {}).get(row.id)
        if clear is not None and field in clear:
            return clear[field]
        return mask_field(field, getattr(row, field))

    def mask_identity(self) -> None:
        self.revealed = None
        self.revealed_records = {}
        self._render_header()
        if self.data is not None:
            self.profile.set_revealed(None, self.data)

    def on_locked(self) -> None:
        """Locking masks the identity again — unless the user was editing it (their input is kept)."""
        if self.revealed is not None and not self.profile.identity_edited():
            self.mask_identity()
