"""附件 — the file's encrypted attachments: add, preview (from memory), export, open in another program, remove.

The preview never writes a byte to disk: images are decoded with ``QImage.fromData`` (TIFF through Pillow, in
memory, when the Qt image plugins lack it) and PDFs are shown by ``QPdfDocument`` reading a ``QBuffer``.
"Open in another program" asks first; the copy goes to the session's private folder (``ctx.external_copies``),
removed when the app locks or closes.  Every preview and export is audited by the service.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fanguai_desk.domain import filetypes
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.services.attachments import AttachmentInfo
from fanguai_desk.ui.i18n import format_datetime
from fanguai_desk.ui.jobs import FileChoice
from fanguai_desk.ui.widgets import Column, RecordTable, RowsModel, muted

if TYPE_CHECKING:
    from fanguai_desk.ui.file_view import FileData, VictimFileView

from fanguai_desk.ui.file_view import _buttons, _primary, _Tab

TYPE_NAMES = {filetypes.PDF: "PDF", filetypes.JPEG: "JPEG", filetypes.PNG: "PNG", filetypes.TIFF: "TIFF"}


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def image_from_bytes(data: bytes) -> QImage:
    """Decode in memory; TIFF falls back to Pillow (PNG in memory) if Qt has no TIFF plugin."""
    image = QImage.fromData(data)
    if image.isNull():
        from PIL import Image

        with Image.open(io.BytesIO(data)) as pil:
            buf = io.BytesIO()
            pil.convert("RGB").save(buf, "PNG")
        image = QImage.fromData(buf.getvalue())
    return image


class AttachmentsTab(_Tab):
    def __init__(self, view: VictimFileView) -> None:
        super().__init__(view)
        self.model = RowsModel([
            Column(self.tr("Title"), lambda r: r.title),
            Column(self.tr("Type"), lambda r: TYPE_NAMES.get(r.media_type, r.media_type)),
            Column(self.tr("Size"), lambda r: _size(r.size)),
            Column(self.tr("Added"), lambda r: format_datetime(r.created_at)),
            Column(self.tr("Original file name"), lambda r: r.filename),
        ])
        self.table = RecordTable()
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(lambda _i: self.preview_selected())
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("Title of the next attachment (optional), e.g. 知情同意书"))
        self.add_button = _primary(self.tr("Add attachment…"))
        self.add_button.clicked.connect(self._choose_add)
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.clicked.connect(self.preview_selected)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.clicked.connect(self._choose_export)
        self.open_button = QPushButton(self.tr("Open in another program…"))
        self.open_button.clicked.connect(self._ask_open_external)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self._ask_remove)
        self.remove_button.setVisible(self.ctx.can(Permission.ATTACHMENT_REMOVE))

        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image_area = QScrollArea()
        image_area.setWidgetResizable(True)
        image_area.setWidget(self.image_label)
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.pdf_document = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setDocument(self.pdf_document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._pdf_buffer: QBuffer | None = None
        self.empty_label = muted(self.tr("Select an attachment and choose Preview. Attachments are kept "
                                         "encrypted inside the registry; the preview is decoded in memory."))
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(image_area)
        self.stack.addWidget(self.pdf_view)
        self.preview_title = QLabel()
        self.preview_title.setObjectName("SectionTitle")

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.preview_title)
        bl.addWidget(self.stack, 1)
        split.addWidget(bottom)
        split.setSizes([160, 420])
        add_row = QWidget()
        ar = QHBoxLayout(add_row)
        ar.setContentsMargins(0, 0, 0, 0)
        ar.addWidget(self.title_edit, 1)
        ar.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(self.tr("Scanned documents and photos (PDF, JPEG, PNG, TIFF), checked by content. "
                                       "Never add DNA comparison results: only the police may hold DNA data.")))
        layout.addWidget(split, 1)
        layout.addWidget(self.banner)
        layout.addWidget(add_row)
        layout.addWidget(_buttons(self.preview_button, self.export_button, self.open_button, self.remove_button))
        self.current: AttachmentInfo | None = None

    # ------------------------------------------------------------------ data

    def populate(self, data: FileData) -> None:
        self.model.set_rows(data.attachments)
        if self.current is not None and all(a.id != self.current.id for a in data.attachments):
            self.clear_preview()

    def selected(self) -> AttachmentInfo | None:
        row = self.table.selected_row()
        return row if isinstance(row, AttachmentInfo) else None

    def select(self, attachment_id: str) -> None:
        for i, row in enumerate(self.model.rows):
            if row.id == attachment_id:
                self.table.selectRow(i)
                return

    def _need_selection(self) -> AttachmentInfo | None:
        att = self.selected()
        if att is None:
            self.banner.show_message(self.tr("Select an attachment in the list first."), "info")
        return att

    # ------------------------------------------------------------------ add

    def _choose_add(self) -> None:
        path = FileChoice.open(self, self.tr("Add attachment"),
                               self.tr("Scans and photos (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;All files (*)"))
        if path is not None:
            self.add_path(path)

    def add_path(self, path: Path) -> None:
        self.banner.clear()
        title = self.title_edit.text().strip() or None
        victim_id = self.view.victim_id

        def done(info: AttachmentInfo) -> None:
            self.title_edit.clear()
            self.saved(self.tr("Attachment added (stored encrypted in the registry)."), "attachments")

        self.ctx.call(lambda d: d.attachments.add(victim_id, path, title=title), done,
                      lambda exc: self.failed(None, exc))

    # ------------------------------------------------------------------ preview

    def preview_selected(self) -> None:
        att = self._need_selection()
        if att is None:
            return
        self.banner.clear()
        self.ctx.call(lambda d: d.attachments.content(att.id), self.show_content, lambda exc: self.failed(None, exc))

    def show_content(self, result: tuple[AttachmentInfo, bytes]) -> None:
        info, data = result
        self.current = info
        self.preview_title.setText(info.title)
        if info.media_type == filetypes.PDF:
            self.pdf_document.close()
            self._pdf_buffer = QBuffer(self)
            self._pdf_buffer.setData(QByteArray(data))
            self._pdf_buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.pdf_document.load(self._pdf_buffer)
            self.stack.setCurrentWidget(self.pdf_view)
        else:
            image = image_from_bytes(data)
            width = max(200, self.stack.width() - 30)
            pixmap = QPixmap.fromImage(image)
            if pixmap.width() > width:
                pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            self.image_label.setPixmap(pixmap)
            self.stack.setCurrentIndex(1)
        del data

    def clear_preview(self) -> None:
        self.current = None
        self.preview_title.clear()
        self.image_label.clear()
        self.pdf_document.close()
        if self._pdf_buffer is not None:
            self._pdf_buffer.close()
            self._pdf_buffer = None
        self.stack.setCurrentWidget(self.empty_label)

    # ------------------------------------------------------------------ export / open / remove

    def _choose_export(self) -> None:
        att = self._need_selection()
        if att is None:
            return
        path = FileChoice.save(self, self.tr("Export attachment"), att.filename, self.tr("All files (*)"))
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        att = self._need_selection()
        if att is None:
            return
        self.ctx.call(lambda d: d.attachments.export(att.id, path),
                      lambda _i: self.banner.success(self.tr("Exported (recorded in the audit log): %1")
                                                     .replace("%1", path.name)),
                      lambda exc: self.failed(None, exc))

    def _ask_open_external(self) -> None:
        if self._need_selection() is None:
            return
        answer = QMessageBox.warning(
            self, self.tr("Open in another program"),
            self.tr("The other program needs a plain, unencrypted copy of this attachment on this computer. "
                    "It is written to a private folder and deleted when the registry locks or the program closes "
                    "— but the other program may keep its own copies (recent files, caches). Continue?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.open_external(confirmed=True)

    def open_external(self, *, confirmed: bool, launch: bool = True) -> None:
        att = self._need_selection()
        if att is None:
            return
        copies = self.ctx.external_copies

        def done(path: Path) -> None:
            self.last_external = path
            if launch:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
            self.banner.show_message(self.tr("Opened a temporary copy; it is deleted when the registry locks or "
                                             "the program closes."), "info")

        self.ctx.call(lambda d: copies.open_copy(d.attachments, att.id, confirmed=confirmed), done,
                      lambda exc: self.failed(None, exc))

    def _ask_remove(self) -> None:
        att = self._need_selection()
        if att is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Remove attachment"),
            self.tr("Remove “%1” for good? It cannot be restored (except from an older backup).")
            .replace("%1", att.title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_selected()

    def remove_selected(self) -> None:
        att = self._need_selection()
        if att is None:
            return
        self.ctx.call(lambda d: d.attachments.remove(att.id),
                      lambda _none: self.saved(self.tr("Attachment removed."), "attachments"),
                      lambda exc: self.failed(None, exc))

    def last_state(self) -> dict[str, Any]:  # for tests and screenshots
        return {"rows": len(self.model.rows), "preview": self.stack.currentIndex()}
