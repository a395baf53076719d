"""A print preview of the real PDF (QtPdf, from the ``PySide6-Pdf`` package), with "Save as…" and "Print…".

The PDF stays in memory (a ``QBuffer``): nothing is written to a temporary file.  Printing renders each
page with PDFium at the printer's resolution (capped, so a 1200 dpi printer does not need half a gigabyte
per page) and paints it onto the printer page, keeping the page's proportions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fanguai_desk.store.atomic import atomic_write_bytes
from fanguai_desk.ui.jobs import FileChoice

MAX_PRINT_DPI = 300


class PdfPreview(QWidget):
    saved = Signal(str)
    printed = Signal()
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: bytes | None = None
        self.suggested_name = "report.pdf"
        self._buffer: QBuffer | None = None
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("background: #98a2b3;")
        self.info = QLabel()
        self.info.setObjectName("Muted")
        self.save_button = QPushButton(self.tr("Save as…"))
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("Primary")
        self.save_button.clicked.connect(self._choose_save)
        self.print_button.clicked.connect(self._choose_printer)
        bar = QHBoxLayout()
        bar.addWidget(self.info, 1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.print_button)
        self.empty = QLabel(self.tr("The preview of the report appears here."))
        self.empty.setObjectName("Placeholder")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.view, 1)
        self.clear()

    # ------------------------------------------------------------------ content

    def set_pdf(self, data: bytes, suggested_name: str) -> None:
        self.document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.data = data
        self.suggested_name = suggested_name
        self.view.show()
        self.empty.hide()
        self.save_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self.info.setText(self.tr("%1 page(s)").replace("%1", str(self.page_count())))

    def clear(self) -> None:
        self.document.close()
        self.data = None
        self._buffer = None
        self.view.hide()
        self.empty.show()
        self.info.clear()
        self.save_button.setEnabled(False)
        self.print_button.setEnabled(False)

    def page_count(self) -> int:
        return self.document.pageCount()

    # ------------------------------------------------------------------ save

    def _choose_save(self) -> None:
        path = FileChoice.save(self, self.tr("Save the report"), self.suggested_name, self.tr("PDF files (*.pdf)"))
        if path is not None:
            self.save_to(path if path.suffix else path.with_suffix(".pdf"))

    def save_to(self, path: Path) -> bool:
        if self.data is None:
            return False
        try:
            atomic_write_bytes(path, self.data, mode=0o600)
        except OSError:
            self.failed.emit(self.tr("The file could not be saved there. Choose another folder."))
            return False
        self.saved.emit(str(path))
        return True

    # ------------------------------------------------------------------ print

    def _choose_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        dialog = QPrintDialog(printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._printer = printer  # kept alive while the dialog is open
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()  # window-modal, does not block the event loop

    def print_to(self, printer: QPrinter, progress: Callable[[int, int], None] | None = None) -> bool:
        if self.data is None or self.page_count() == 0:
            return False
        painter = QPainter()
        if not painter.begin(printer):
            self.failed.emit(self.tr("The printer could not be started."))
            return False
        try:
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            pages = self.page_count()
            for i in range(pages):
                if i:
                    printer.newPage()
                points = self.document.pagePointSize(i)
                size = QSize(max(1, round(points.width() / 72 * dpi)), max(1, round(points.height() / 72 * dpi)))
                image = self.document.render(i, size)
                area = QRectF(painter.viewport())
                scale = min(area.width() / size.width(), area.height() / size.height())
                w, h = size.width() * scale, size.height() * scale
                painter.drawImage(QRectF(area.x() + (area.width() - w) / 2, area.y(), w, h), image)
                if progress is not None:
                    progress(i + 1, pages)
        finally:
            painter.end()
        self.printed.emit()
        return True
