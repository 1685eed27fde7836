"""Card Info's forgetting curve: FSRS's chance of recall from the last review on, with today
and the due date marked. Drawn with the palette's colours, so it reads in either theme."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from studyapp.study.scheduling import recall_after
from studyapp.ui.colours import mix, readable

MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 14, 10, 26
SAMPLES = 120


class ForgettingCurve(QWidget):
    def __init__(
        self,
        stability: float,
        last_review: dt.datetime,
        due: dt.datetime | None,
        now: dt.datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("forgettingCurve")
        self.stability = stability
        self.now_days = max(0.0, (now - last_review).total_seconds() / 86_400)
        self.due_days = None if due is None else (due - last_review).total_seconds() / 86_400
        self.span = max(1.0, self.now_days, self.due_days or 0.0) * 1.5
        recall_now = recall_after(stability, int(self.now_days))
        self.setAccessibleName("Forgetting curve")
        self.setAccessibleDescription(
            f"Chance of recall {recall_now:.0%} now, {self.now_days:.0f} days after the last "
            f"review; stability {stability:.1f} days"
        )
        self.setToolTip(self.accessibleDescription())
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(520, 170)

    def _plot(self) -> QRectF:
        return QRectF(self.rect()).adjusted(MARGIN_LEFT, MARGIN_TOP, -MARGIN_RIGHT, -MARGIN_BOTTOM)

    def point(self, days: float, recall: float) -> QPointF:
        plot = self._plot()
        return QPointF(
            plot.left() + plot.width() * days / self.span, plot.bottom() - plot.height() * recall
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        quiet = mix(text, base, 0.55)
        line = readable(palette.color(QPalette.ColorRole.Highlight), base, text, 3.0)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), base)
        plot = self._plot()
        painter.setPen(QPen(quiet, 1))
        for recall in (0.0, 0.5, 0.9, 1.0):  # 90%: the usual desired retention
            y = self.point(0, recall).y()
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.drawText(
                QRectF(0, y - 8, MARGIN_LEFT - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{recall:.0%}",
            )
        step = _tick_step(self.span)
        day = 0.0
        while day <= self.span:
            x = self.point(day, 0).x()
            painter.drawText(
                QRectF(x - 30, plot.bottom() + 4, 60, 16),
                Qt.AlignmentFlag.AlignHCenter,
                f"{day:g}d",
            )
            day += step
        path = QPainterPath(self.point(0, 1.0))
        for sample in range(1, SAMPLES + 1):
            days = self.span * sample / SAMPLES
            path.lineTo(self.point(days, recall_after(self.stability, days)))
        painter.setPen(QPen(line, 2))
        painter.drawPath(path)
        if self.due_days is not None:
            self._marker(painter, self.due_days, "due", quiet, Qt.PenStyle.DashLine, 26)
        self._marker(painter, self.now_days, "now", text, Qt.PenStyle.SolidLine, 12)
        painter.end()

    def _marker(
        self,
        painter: QPainter,
        days: float,
        label: str,
        colour: object,
        style: Qt.PenStyle,
        below_top: int,
    ) -> None:
        plot = self._plot()
        x = self.point(days, 0).x()
        pen = QPen(colour, 1)  # type: ignore[call-overload]
        pen.setStyle(style)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.drawText(QPointF(x + 3, plot.top() + below_top), label)


def _tick_step(span: float) -> float:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if span / step <= 8:
            return float(step)
    return 10_000.0
