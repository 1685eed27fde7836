"""Workload vs retention: reviews a day over the next year at each desired retention, with the
current choice marked; the learner can pick another one (← → or the spin box) and use it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from studyapp.ui.stats.charts import LineChart, series_colour

if TYPE_CHECKING:
    from studyapp.study.workload import Workload, WorkloadPoint


def point_text(point: WorkloadPoint, days: int) -> str:
    text = (
        f"Desired retention {point.retention:.2f}: about {point.reviews_per_day:.1f} answers a "
        f"day over the next {days} days, {point.memorized:.0f} cards remembered at the end."
    )
    if point.held_back_days >= 1:
        text += (
            f" Your daily review limit holds cards back on {point.held_back_days:.0f} of "
            f"the {days} days."
        )
    return text


class WorkloadDialog(QDialog):
    """The workload plot; WorkloadDialog.choose() returns the retention picked, or None."""

    def __init__(self, workload: Workload, current: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workloadDialog")
        self.setWindowTitle("Workload vs Retention")
        self.resize(760, 480)
        self._workload = workload
        self.chart = LineChart(
            "workloadChart",
            "Answers per day over the next year",
            "Desired retention",
            "Answers per day",
            self,
        )
        self.retention_spin = QDoubleSpinBox(self)
        self.retention_spin.setObjectName("workloadRetention")
        self.retention_spin.setAccessibleName("Desired retention")
        self.retention_spin.setDecimals(2)
        self.retention_spin.setSingleStep(0.01)
        points = workload.points
        self.retention_spin.setRange(points[0].retention, points[-1].retention)
        self.retention_spin.setValue(current)
        self.retention_spin.valueChanged.connect(lambda _value: self._redraw())
        self.choice_label = QLabel(self)
        self.choice_label.setObjectName("workloadChoice")
        self.choice_label.setWordWrap(True)
        note = f"Simulated from your {workload.cards} cards as they are today"
        if workload.sampled < workload.cards:
            note += f" (a sample of {workload.sampled}, scaled up)"
        note += ", with your daily limits; answers include same-day learning steps."
        self.note_label = QLabel(note, self)
        self.note_label.setWordWrap(True)
        self.note_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Use This Retention")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Desired retention:", self.retention_spin)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.note_label)
        layout.addLayout(form)
        layout.addWidget(self.choice_label)
        layout.addWidget(buttons)
        self.retention_spin.setFocus(Qt.FocusReason.OtherFocusReason)
        self._redraw()

    def chosen_point(self) -> WorkloadPoint:
        wanted = round(self.retention_spin.value(), 2)
        return min(self._workload.points, key=lambda p: abs(p.retention - wanted))

    def _redraw(self) -> None:
        points = self._workload.points
        chosen = self.chosen_point()
        palette = self.palette()
        self.chart.set_line(
            [p.retention for p in points],
            [p.reviews_per_day for p in points],
            series_colour(palette, 210),
            (chosen.retention, chosen.reviews_per_day),
            series_colour(palette, 20),
            lambda index: point_text(points[index], self._workload.days),
        )
        self.choice_label.setText(point_text(chosen, self._workload.days))

    @classmethod
    def choose(cls, parent: QWidget | None, workload: Workload, current: float) -> float | None:
        dialog = cls(workload, current, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.chosen_point().retention
            return None
        finally:
            dialog.deleteLater()
