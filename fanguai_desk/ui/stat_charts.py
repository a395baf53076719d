"""Small bar charts of the protected county figures for the workbench, drawn with QPainter (no chart library).

Only published cells are drawn (``services.statistics.key_figures``): a cell printed "<5" or "×" has no bar,
just its mark, exactly as in the PDF.  Kept apart from the dashboard page so other cards can grow there.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QWidget

from fanguai_desk.services.statistics import KeyChart, KeyFigures

BAR_COLOURS = ("#2F5D8A", "#C0504D", "#9BBB59", "#8064A2", "#4BACC6", "#F79646")


class BarChart(QWidget):
    """One small bar chart: a title, a bar per label with its printed value above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.labels: tuple[str, ...] = ()
        self.marks: tuple[str, ...] = ()
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(260, 170)

    def set_chart(self, title: str, labels: Sequence[str], marks: Sequence[str]) -> None:
        self.title, self.labels, self.marks = title, tuple(labels), tuple(marks)
        self.setAccessibleName(title)
        self.setToolTip("\n".join(f"{label}: {mark}" for label, mark in zip(self.labels, self.marks, strict=True)))
        self.update()

    def values(self) -> list[int | None]:
        return [int(m) if m.isdigit() else None for m in self.marks]

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(6, 4, -6, -4)
        font = QFont(self.font())
        p.setPen(self.palette().windowText().color())
        title_font = QFont(font)
        title_font.setBold(True)
        p.setFont(title_font)
        p.drawText(rect.adjusted(0, 0, 0, -rect.height() + 20), Qt.AlignmentFlag.AlignLeft, self.title)
        if not self.labels:
            p.end()
            return
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
        p.setFont(small)
        plot = rect.adjusted(0, 40, 0, -22)
        values = self.values()
        top = max((v for v in values if v is not None), default=0) or 1
        slot = plot.width() / len(self.labels)
        p.setPen(QPen(QColor("#999999"), 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        for i, (label, mark, value) in enumerate(zip(self.labels, self.marks, values, strict=True)):
            x = plot.left() + i * slot
            bar_w = slot * 0.6
            h = 0.0 if value is None else plot.height() * value / top
            bar = QRectF(x + (slot - bar_w) / 2, plot.bottom() - h, bar_w, h)
            if value:
                p.fillRect(bar, QColor(BAR_COLOURS[i % len(BAR_COLOURS)]))
            p.setPen(self.palette().windowText().color())
            p.drawText(QRectF(x, bar.top() - 16, slot, 14), Qt.AlignmentFlag.AlignCenter, mark)
            p.drawText(QRectF(x, plot.bottom() + 2, slot, 18), Qt.AlignmentFlag.AlignCenter,
                       p.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, int(slot) - 2))
        p.end()


class KeyFiguresPanel(QWidget):
    """The workbench's row of small charts (this year's county figures, protected)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(12)
        self.charts: list[BarChart] = []
        self.titles = {
            "files": self.tr("Files this year"),
            "sex": self.tr("Open files by sex"),
            "legal_aid": self.tr("Legal-aid referrals by outcome"),
        }
        self.figures: KeyFigures | None = None

    def show_figures(self, figures: KeyFigures) -> None:
        self.figures = figures
        while len(self.charts) < len(figures.charts):
            widget = BarChart(self)
            self.row.addWidget(widget)
            widget.show()  # added to a shown panel: visible now, not after a queued show
            self.charts.append(widget)
        for widget, spec in zip(self.charts, figures.charts, strict=False):
            widget.set_chart(self._title(spec, figures.year), spec.labels, spec.marks)

    def _title(self, chart: KeyChart, year: int) -> str:
        return f"{self.titles.get(chart.table_id, chart.title)} ({year})"


__all__ = ["BarChart", "KeyFiguresPanel"]
