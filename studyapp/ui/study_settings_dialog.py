"""The Study Settings dialog: daily limits, desired retention and the hour a new day starts."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studyapp.ui.colours import readable_hue
from studyapp.ui.fsrs_section import MISSING_ENGINE, FsrsSection, FsrsTools, run_with_progress

if TYPE_CHECKING:
    from studyapp.study.settings import StudySettings

NEW_TIP = "How many cards you have never studied are introduced each day."
REVIEWS_TIP = "The most review cards shown in one day; the rest wait for the next day."
RETENTION_TIP = (
    "The chance of remembering a card when it comes due. Higher means more reviews: "
    "0.90 is a good balance."
)
SPIN_WIDTH = 96
HOUR_TIP = "When one study day ends and the next begins (local time), as in Anki."
SIBLINGS_TIP = (
    "Siblings are cards that cite the same sentence. After you answer one, the others wait "
    "for the next day, so one card does not give another away."
)


def _hint(parent: QWidget, text: str) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    return label


class StudySettingsDialog(QDialog):
    """Edit a StudySettings; use StudySettingsDialog.edit() to ask the user for one."""

    def __init__(
        self,
        settings: StudySettings,
        parent: QWidget | None = None,
        fsrs: FsrsTools | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("studySettingsDialog")
        self.setWindowTitle("Study Settings")
        self._original = settings
        self._parameters = settings.fsrs_parameters
        self.fsrs_section: FsrsSection | None = None
        if fsrs is not None:
            self._fsrs = fsrs
            self.fsrs_section = FsrsSection(fsrs, settings.fsrs_parameters, self)
            self.fsrs_section.parametersChosen.connect(self._set_parameters)
            self.fsrs_section.workloadRequested.connect(self.show_workload)

        self.new_spin = self._spin("newPerDay", "New cards per day", 0, 9999, NEW_TIP)
        self.new_spin.setValue(settings.new_per_day)
        self.reviews_spin = self._spin(
            "reviewsPerDay", "Maximum reviews per day", 0, 99999, REVIEWS_TIP
        )
        self.reviews_spin.setValue(settings.reviews_per_day)
        self.retention_spin = QDoubleSpinBox(self)
        self.retention_spin.setObjectName("desiredRetention")
        self.retention_spin.setAccessibleName("Desired retention")
        self.retention_spin.setToolTip(RETENTION_TIP)
        self.retention_spin.setDecimals(2)
        self.retention_spin.setRange(0.70, 0.97)
        self.retention_spin.setSingleStep(0.01)
        self.retention_spin.setMinimumWidth(SPIN_WIDTH)
        self.retention_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.retention_spin.setValue(settings.desired_retention)
        self.hour_spin = self._spin("dayStartHour", "Next day starts at", 0, 23, HOUR_TIP)
        self.hour_spin.setSuffix(":00")
        self.hour_spin.setValue(settings.day_start_hour)
        self.bury_new_box = QCheckBox("Bury new siblings until the next day", self)
        self.bury_new_box.setObjectName("buryNewSiblings")
        self.bury_new_box.setChecked(settings.bury_new_siblings)
        self.bury_review_box = QCheckBox("Bury review siblings until the next day", self)
        self.bury_review_box.setObjectName("buryReviewSiblings")
        self.bury_review_box.setChecked(settings.bury_review_siblings)
        for box in (self.bury_new_box, self.bury_review_box):
            box.setToolTip(SIBLINGS_TIP)
            box.setAccessibleName(box.text())

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("&New cards per day:", self.new_spin)
        form.addRow("Maximum &reviews per day:", self.reviews_spin)
        form.addRow("Desired re&tention:", self.retention_spin)
        form.addRow("", _hint(self, RETENTION_TIP))
        form.addRow("Next &day starts at:", self.hour_spin)
        form.addRow("", _hint(self, HOUR_TIP))
        form.addRow("Siblings:", self.bury_new_box)
        form.addRow("", self.bury_review_box)
        form.addRow("", _hint(self, SIBLINGS_TIP))
        if self.fsrs_section is not None:
            form.addRow("FSRS:", self.fsrs_section)

        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("settingsProblems")
        self.problems_label.setAccessibleName("Problems")
        self.problems_label.setWordWrap(True)
        problem_colour = readable_hue(0, self.palette().color(QPalette.ColorRole.Window))
        palette = self.problems_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, problem_colour)
        self.problems_label.setPalette(palette)
        self.problems_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("settingsButtons")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        ok.setAccessibleName("OK")
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.buttons)

    def _spin(self, name: str, accessible: str, low: int, high: int, tip: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setAccessibleName(accessible)
        spin.setToolTip(tip)
        spin.setRange(low, high)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.setMinimumWidth(SPIN_WIDTH)
        return spin

    def settings(self) -> StudySettings:
        """The settings as edited; fields this dialog does not show keep their values."""
        return replace(
            self._original,
            new_per_day=self.new_spin.value(),
            reviews_per_day=self.reviews_spin.value(),
            desired_retention=round(self.retention_spin.value(), 2),
            day_start_hour=self.hour_spin.value(),
            bury_new_siblings=self.bury_new_box.isChecked(),
            bury_review_siblings=self.bury_review_box.isChecked(),
            fsrs_parameters=self._parameters,
        )

    def _set_parameters(self, parameters: tuple[float, ...]) -> None:
        self._parameters = parameters

    def show_workload(self) -> None:
        """Simulate the workload at each retention; a retention picked there is set here."""
        try:
            workload = run_with_progress(
                self, "Simulating a year of your cards…", self._fsrs.workload
            )
        except ImportError:
            self.problems_label.setText(MISSING_ENGINE)
            self.problems_label.show()
            return
        from studyapp.ui.stats.workload_dialog import WorkloadDialog

        chosen = WorkloadDialog.choose(self, workload, self.retention_spin.value())
        if chosen is not None:
            self.retention_spin.setValue(chosen)

    def accept(self) -> None:
        problems = self.settings().problems()
        if problems:
            self.problems_label.setText("Please correct: " + "; ".join(problems) + ".")
            self.problems_label.show()
            return
        super().accept()

    @classmethod
    def edit(
        cls, parent: QWidget | None, settings: StudySettings, fsrs: FsrsTools | None = None
    ) -> StudySettings | None:
        """Ask the user to edit settings: the new settings on OK, None on Cancel."""
        dialog = cls(settings, parent, fsrs)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.settings()
            return None
        finally:
            dialog.deleteLater()
