"""受害人档案: the searchable, filterable list (lazy, masked) and the files opened from it, as tabs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain.enums import FileStatus, PlacementState
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.services.victims import VictimQuery
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.file_view import (
    PeopleTable,
    VictimFileView,
    _buttons,
    _clean,
    _primary,
    _scroll,
    profile_fields,
)
from fanguai_desk.ui.forms import Form, report
from fanguai_desk.ui.models import VictimIdRole, VictimTableModel
from fanguai_desk.ui.pages.base import Navigator, Page
from fanguai_desk.ui.widgets import Banner, EnumCombo, RecordTable, heading, muted

SEARCH_DELAY_MS = 250


class VictimListPanel(QWidget):
    def __init__(self, ctx: AppContext, open_file: Any, new_file: Any) -> None:
        super().__init__()
        self.ctx = ctx
        self._open_file = open_file
        self.model = VictimTableModel(lambda: ctx.desk, self, runner=ctx.call)
        self.search = QLineEdit()
        self.search.setObjectName("Search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search: file number, name, pinyin or initials (zsh), "
                                               "last 4 of the ID number"))
        self.township = QComboBox()
        self.township.addItem(self.tr("All townships"), None)
        self.status = EnumCombo(FileStatus, blank=self.tr("Any status"))
        self.placement = EnumCombo(PlacementState, blank=self.tr("Any placement"))
        self.placement.setMaximumWidth(230)
        self.minors = QCheckBox(self.tr("Minors"))
        self.overdue = QCheckBox(self.tr("Visit overdue"))
        self.unidentified = QCheckBox(self.tr("Identity unknown"))
        clear = QPushButton(self.tr("Clear filters"))
        clear.clicked.connect(self.clear_filters)
        self.new_button = _primary(self.tr("New file"))
        self.new_button.clicked.connect(new_file)
        self.count_label = muted("")
        self.table = RecordTable()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.open_requested.connect(self._open_index)
        widths = [150, 150, 50, 50, 170, 80, 250, 120]
        for i, w in enumerate(widths):
            self.table.setColumnWidth(i, w)
        self.model.total_changed.connect(self._show_count)
        self.model.loading.connect(lambda busy: self.count_label.setText(self.tr("Searching…")) if busy else None)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_query)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._search_enter)
        for combo in (self.township, self.status, self.placement):
            combo.currentIndexChanged.connect(lambda _i: self.run_query())
        for box in (self.minors, self.overdue, self.unidentified):
            box.toggled.connect(lambda _v: self.run_query())

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        self.ledger_button = QPushButton(self.tr("Import ledger…"))
        self.ledger_button.clicked.connect(self.open_ledger_wizard)
        top.addWidget(self.ledger_button)
        filters = QHBoxLayout()
        filters.addWidget(self.township)
        filters.addWidget(self.status)
        filters.addWidget(self.placement)
        filters.addWidget(self.minors)
        filters.addWidget(self.overdue)
        filters.addWidget(self.unidentified)
        filters.addStretch(1)
        filters.addWidget(clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self._suspend = False
        self._select_first_when_loaded = False
        self.model.total_changed.connect(self._loaded)

    def load_townships(self) -> None:
        many = self.ctx.can(Permission.SEE_ALL_TOWNSHIPS)
        self.township.setVisible(many)
        if not many:
            return

        def done(rows: list[tuple[str, str]]) -> None:
            current = self.township.currentData()
            self._suspend = True
            self.township.clear()
            self.township.addItem(self.tr("All townships"), None)
            for tid, name in rows:
                self.township.addItem(name, tid)
            self.township.setCurrentIndex(max(0, self.township.findData(current)))
            self._suspend = False

        self.ctx.call(lambda d: d.users.townships(), done)

    def build_query(self) -> VictimQuery:
        q = self.model.query
        status = self.status.value()
        placement = self.placement.value()
        return VictimQuery(
            text=self.search.text().strip() or None,
            township_id=self.township.currentData() if not self.township.isHidden() else None,
            status=FileStatus(status) if status else None,
            minors_only=self.minors.isChecked(),
            placement_state=PlacementState(placement) if placement else None,
            overdue_only=self.overdue.isChecked(),
            unidentified_only=self.unidentified.isChecked(),
            sort=q.sort, descending=q.descending,
        )

    def open_ledger_wizard(self) -> QWidget:
        """导入台账: the township ledger wizard (modal)."""
        from fanguai_desk.ui.ledger_wizard import LedgerImportDialog

        dialog = LedgerImportDialog(self.ctx, self)
        dialog.setModal(True)
        dialog.show()
        self.ledger_dialog = dialog
        return dialog

    def run_query(self) -> None:
        if self._suspend or self.ctx.is_locked:
            return
        self._timer.stop()
        self.model.set_query(self.build_query())

    def _search_enter(self) -> None:
        """Enter in the search box: search now, then go to the first result."""
        self.run_query()
        self._select_first_when_loaded = True

    def _loaded(self, _total: int) -> None:
        if self._select_first_when_loaded and self.model.rowCount() >= 1:
            self.table.setFocus()
            self.table.selectRow(0)
        self._select_first_when_loaded = False

    def set_filters(self, **filters: Any) -> None:
        self._suspend = True
        self.search.clear()
        self.status.set_value(filters.get("status"))
        self.placement.set_value(filters.get("placement_state"))
        self.minors.setChecked(bool(filters.get("minors_only")))
        self.overdue.setChecked(bool(filters.get("overdue_only")))
        self.unidentified.setChecked(bool(filters.get("unidentified_only")))
        self.township.setCurrentIndex(0)
        self._suspend = False
        self.run_query()

    def clear_filters(self) -> None:
        self.set_filters()

    def _show_count(self, total: int) -> None:
        self.count_label.setText(self.tr("%1 files").replace("%1", str(total)))

    def _open_index(self, index: Any) -> None:
        victim_id = index.data(VictimIdRole)
        if victim_id:
            self._open_file(victim_id)


class NewFileView(QWidget):
    """Register a new file.  Identity may be unknown: an alias and an estimated birth year are enough."""

    def __init__(self, ctx: AppContext, on_created: Any, on_cancel: Any) -> None:
        super().__init__()
        self.ctx = ctx
        self._on_created = on_created
        self.form = Form(profile_fields(), columns=2)
        self.township = QComboBox()
        self.guardians = PeopleTable(["name", "relation", "phone", "address", "id_number"],
                                     self.tr("Add guardian"), self.tr("Remove"))
        self.buyers = PeopleTable(["head_name", "address", "member_id_numbers", "notes"],
                                  self.tr("Add buyer household"), self.tr("Remove"))
        self.banner = Banner()
        body = QWidget()
        box = QVBoxLayout(body)
        box.addWidget(heading(self.tr("New dedicated file")))
        box.addWidget(muted(self.tr("If the identity is not known, enter an alias and an estimated birth year, "
                                    "set Identity to “unknown”, and complete the file later.")))
        row = QHBoxLayout()
        label = QLabel(self.tr("Township"))
        label.setObjectName("FieldLabel")
        row.addWidget(label)
        row.addWidget(self.township)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.form)
        for text, table in ((self.tr("Guardians (for a minor)"), self.guardians),
                            (self.tr("Buyer household — a minor is never placed with it"), self.buyers)):
            title = QLabel(text)
            title.setObjectName("SectionTitle")
            box.addWidget(title)
            box.addWidget(table)
        box.addStretch(1)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(on_cancel)
        self.create_button = _primary(self.tr("Create file"))
        self.create_button.clicked.connect(self.create_file)
        layout = QVBoxLayout(self)
        layout.addWidget(_scroll(body), 1)
        layout.addWidget(self.banner)
        layout.addWidget(_buttons(cancel, self.create_button))
        ctx.call(lambda d: d.users.townships(), self._townships)

    def _townships(self, rows: list[tuple[str, str]]) -> None:
        self.township.clear()
        for _tid, name in rows:
            self.township.addItem(name, name)
        actor = self.ctx.actor
        if actor is not None and actor.township_name:
            self.township.setCurrentIndex(max(0, self.township.findData(actor.township_name)))
        self.township.setEnabled(self.township.count() > 1)

    def is_dirty(self) -> bool:
        return self.form.is_dirty() or bool(self.guardians.rows()) or bool(self.buyers.rows())

    def create_file(self) -> None:
        self.banner.clear()
        self.form.clear_errors()
        data = {k: v for k, v in _clean(self.form.values()).items() if v not in (None, False)}
        if not data.get("name"):  # an alias only: the identity is not known (yet)
            data["identity_status"] = "unknown"
        if self.township.currentData():
            data["township"] = self.township.currentData()
        if self.guardians.rows():
            data["guardians"] = self.guardians.rows()
        if self.buyers.rows():
            data["buyer_households"] = self.buyers.rows()
        self.create_button.setEnabled(False)

        def done(result: tuple[str, list[Any]]) -> None:
            self.create_button.setEnabled(True)
            self.form.rebaseline()
            self.ctx.data_changed.emit("victims")
            self._on_created(result[0], result[1])

        def failed(exc: Exception) -> None:
            self.create_button.setEnabled(True)
            report(self.form, self.banner, exc)

        self.ctx.call(lambda d: d.victims.register(data), done, failed)


class VictimsPage(Page):
    depends_on = ("victims", "followups", "placements", "*")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.list = VictimListPanel(ctx, self.open_file, self.new_file)
        self.tabs.addTab(self.list, self.tr("File list"))
        self.tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.RightSide, None)
        self.tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.LeftSide, None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 8)
        layout.addWidget(self.tabs, 1)  # no page title: the tabs say where one is, and files need the height
        ctx.unlocked.connect(self.list.load_townships)
        close = QShortcut(QKeySequence.StandardKey.Close, self)  # Ctrl+W closes the current file
        close.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        close.activated.connect(lambda: self.close_tab(self.tabs.currentIndex()))

    def refresh(self) -> None:
        super().refresh()
        if self.list.township.count() <= 1:
            self.list.load_townships()
        self.list.run_query()

    def apply_filters(self, **filters: Any) -> None:
        self._stale = False
        self.tabs.setCurrentIndex(0)
        self.list.set_filters(**filters)

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.list.search.setFocus()
        self.list.search.selectAll()

    # ------------------------------------------------------------------ files

    def file_views(self) -> list[VictimFileView]:
        return [w for i in range(self.tabs.count()) if isinstance(w := self.tabs.widget(i), VictimFileView)]

    def open_file(self, victim_id: str, tab: str | None = None, select_id: str | None = None) -> VictimFileView:
        for view in self.file_views():
            if view.victim_id == victim_id:
                self.tabs.setCurrentWidget(view)
                if tab:
                    view.show_tab(tab, select_id)
                return view
        view = VictimFileView(self.ctx, victim_id)
        index = self.tabs.addTab(view, "…")
        view.title_changed.connect(lambda title, v=view: self.tabs.setTabText(self.tabs.indexOf(v), title))
        view.close_requested.connect(lambda v=view: self.close_tab(self.tabs.indexOf(v)))
        self.tabs.setCurrentIndex(index)
        if tab:
            view.show_tab(tab, select_id)
        view.reload(audit_read=True)
        return view

    def new_file(self) -> None:
        for i in range(self.tabs.count()):
            if isinstance(self.tabs.widget(i), NewFileView):
                self.tabs.setCurrentIndex(i)
                return
        view: NewFileView = NewFileView(self.ctx, self._created, lambda: self._discard(view))
        index = self.tabs.addTab(view, self.tr("New file"))
        self.tabs.setCurrentIndex(index)

    def _discard(self, view: QWidget | None) -> None:
        if view is None:
            return
        index = self.tabs.indexOf(view)
        if index > 0:
            self.tabs.removeTab(index)
            view.deleteLater()

    def _created(self, victim_id: str, hints: list[Any]) -> None:
        for i in range(self.tabs.count()):
            w = self.tabs.widget(i)
            if isinstance(w, NewFileView):
                self._discard(w)
                break
        view = self.open_file(victim_id)
        view.banner.success(self.tr("File created."))
        if hints:
            numbers = "、".join(h.file_number for h in hints)
            view.banner.show_message(self.tr("File created. Possibly the same person as file(s) %1 — please check.")
                                     .replace("%1", numbers), "warning")
        self.list.run_query()

    def has_unsaved_input(self) -> bool:
        for i in range(1, self.tabs.count()):
            w = self.tabs.widget(i)
            if (isinstance(w, VictimFileView) and w.is_dirty()) or (isinstance(w, NewFileView) and w.is_dirty()):
                return True
        return False

    def close_tab(self, index: int) -> None:
        if index <= 0:
            return
        widget = self.tabs.widget(index)
        dirty = (isinstance(widget, VictimFileView) and widget.is_dirty()) or \
                (isinstance(widget, NewFileView) and widget.is_dirty())
        if not dirty:
            self._discard(widget)
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved changes"),
                          self.tr("This file has changes that are not saved. Close it and discard them?"),
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: self._discard(widget) if box.standardButton(box.clickedButton())
                             == QMessageBox.StandardButton.Discard else None)
        box.open()
