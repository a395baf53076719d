"""核验纸质件 — check a paper copy: type the code printed under the footer, or read the QR code from a scan or
photo (decoded in memory by the core: Pillow + zxing-cpp).  The answer comes from the print log."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fanguai_desk.reports.signing import beijing_text
from fanguai_desk.services.paper import GENUINE, UNKNOWN, PaperVerdict
from fanguai_desk.ui.context import AppContext
from fanguai_desk.ui.jobs import FileChoice
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.widgets import heading, muted

MAX_IMAGE_BYTES = 40 * 1024 * 1024


class PaperCheckPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last: PaperVerdict | None = None
        self.code = QLineEdit()
        self.code.setPlaceholderText("FG1-XXXXXXXX-1-XXXXXXXX")
        self.code.returnPressed.connect(self.check_typed)
        self.check_button = QPushButton(self.tr("Check"))
        self.check_button.clicked.connect(self.check_typed)
        self.image_button = QPushButton(self.tr("Read the QR code from a scan or photo…"))
        self.image_button.clicked.connect(self._choose_image)
        self.result = QLabel()
        self.result.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(self.tr("Check a paper copy"), 2))
        layout.addWidget(muted(self.tr("Every page of a signed print carries a QR code and a check code under the "
                                       "footer. Type the code, or read the QR code from a scan or photo.")))
        layout.addLayout(row)
        layout.addWidget(self.image_button)
        layout.addWidget(self.result)

    def check_typed(self) -> None:
        text = self.code.text()
        self.result.setText(self.tr("Checking…"))
        self.ctx.call(lambda d: d.paper.verify(text), self.show_verdict, self._failed)

    def _choose_image(self) -> None:
        path = FileChoice.open(self, self.tr("Scan or photo of the page"),
                               self.tr("Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp)"))
        if path is not None:
            self.check_image(path)

    def check_image(self, path: Path) -> None:
        try:
            if path.stat().st_size > MAX_IMAGE_BYTES:
                raise OSError
            data = path.read_bytes()
        except OSError:
            self.result.setText(self.tr("The image file cannot be read."))
            return
        self.result.setText(self.tr("Checking…"))
        self.ctx.call(lambda d: d.paper.verify_image(data), self.show_verdict, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.last = None
        self.result.setObjectName("FieldError")
        self.result.setText(error_text(exc))
        self._restyle()

    def _restyle(self) -> None:
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)

    def show_verdict(self, v: PaperVerdict) -> None:
        self.last = v
        self.code.setText(v.code)
        kinds = {"followup_record": self.tr("Follow-up record"), "file_summary": self.tr("File summary"),
                 "annual": self.tr("Annual statistical report")}
        if v.status == GENUINE:
            lines = [self.tr("Genuine: this page belongs to a signed print issued by the registry."),
                     self.tr("Document: %1").replace("%1", kinds.get(v.report or "", v.report or ""))
                     + (self.tr(" (file %1)").replace("%1", v.file_number) if v.file_number else ""),
                     self.tr("Page %1 of %2").replace("%1", str(v.page)).replace("%2", str(v.pages)),
                     self.tr("Signed by %1 at %2").replace("%1", v.signer_name or "—")
                     .replace("%2", beijing_text(v.signed_at) if v.signed_at else "—"),
                     self.tr("SHA-256 of the signed PDF: %1").replace(
                         "%1", " ".join((v.pdf_sha256 or "")[i:i + 16] for i in range(0, 64, 16)))]
            if v.superseded_by:
                lines.append(self.tr("Superseded: a later signed print of the same record exists (%1, %2).")
                             .replace("%1", v.superseded_by)
                             .replace("%2", beijing_text(v.superseded_at) if v.superseded_at else ""))
            else:
                lines.append(self.tr("This is the latest signed print of the record."))
            self.result.setObjectName("")
        elif v.status == UNKNOWN:
            lines = [self.tr("Not confirmed: this registry has no print with this code. It may be forged, or "
                             "printed on a laptop whose data has not been imported here.")]
            self.result.setObjectName("FieldError")
        else:
            lines = [self.tr("Not genuine: the code does not match the print log (altered or forged).")]
            self.result.setObjectName("FieldError")
        self.result.setText("\n".join(lines))
        self._restyle()
