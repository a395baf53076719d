"""审计日志: the hash-chained log (administrators and supervisors), and checking the chain."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from fanguai_desk.domain.permissions import Permission
from fanguai_desk.services.audit_view import audit_lines, verify_audit
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.i18n import current_language
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.pages.base import Navigator, Page
from fanguai_desk.ui.widgets import Banner, Column, RecordTable, RowsModel, heading, muted

PAGE = 300


class AuditPage(Page):
    depends_on = ()

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.model = RowsModel([
            Column(self.tr("No."), lambda r: r.seq, align_right=True),
            Column(self.tr("What happened"), lambda r: r.sentence),
        ])
        self.table = RecordTable()
        self.table.setModel(self.model)
        self.table.setColumnWidth(0, 70)
        self.table.open_requested.connect(self._open)
        self.banner = Banner(reserve=False)  # over the stretching table: no empty band, the buttons stay
        self.more = QPushButton(self.tr("Load older entries"))
        self.more.clicked.connect(self.load_more)
        self.verify = QPushButton(self.tr("Check the chain"))
        self.verify.clicked.connect(self.check_chain)
        self.denied = muted(self.tr("Only administrators and supervisors can read the whole audit log. "
                                    "Each file shows its own trail in its Audit trail tab."))
        self.denied.hide()
        row = QHBoxLayout()
        row.addWidget(self.verify)
        row.addStretch(1)
        row.addWidget(self.more)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(self.tr("Audit log")))
        layout.addWidget(muted(self.tr("Every read, reveal, change, print, export, import and sign-in, chained by "
                                       "hashes so that no entry can be changed or removed unnoticed. Entries hold "
                                       "codes and record ids, never personal data.")))
        layout.addWidget(self.denied)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def _allowed(self) -> bool:
        return self.ctx.can(Permission.AUDIT_READ_ALL)

    def refresh(self) -> None:
        super().refresh()
        allowed = self._allowed()
        for w in (self.table, self.more, self.verify):
            w.setVisible(allowed)
        self.denied.setVisible(not allowed)
        if not allowed:
            return
        lang = current_language()
        self.ctx.call(lambda d: audit_lines(d.uow, lang=lang, limit=PAGE), self.model.set_rows,
                      lambda exc: self.banner.error(error_text(exc)))

    def load_more(self) -> None:
        offset = len(self.model.rows)

        def done(rows: list[Any]) -> None:
            self.model.set_rows(self.model.rows + rows)
            self.more.setEnabled(len(rows) == PAGE)

        lang = current_language()
        self.ctx.call(lambda d: audit_lines(d.uow, lang=lang, limit=PAGE, offset=offset), done,
                      lambda exc: self.banner.error(error_text(exc)))

    def check_chain(self) -> None:
        def done(result: Any) -> None:
            if result.ok:
                self.banner.success(self.tr("The audit log is intact: %1 entries, every hash checks.")
                                    .replace("%1", str(result.entries)))
            else:
                self.banner.error(self.tr("The audit log has been tampered with from entry %1 on.")
                                  .replace("%1", str(result.first_bad_seq)))

        self.ctx.call(lambda d: verify_audit(d.uow), done, lambda exc: self.banner.error(error_text(exc)))

    def _open(self, index: Any) -> None:
        row = self.model.row_at(index)
        if row is not None and row.file_victim_id:
            self.nav.open_file(row.file_victim_id, "audit")
