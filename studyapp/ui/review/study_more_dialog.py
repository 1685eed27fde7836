"""Study More (Anki's custom study), from the done screen: more new cards today, or a one-off
session of reviews ahead, cards forgotten lately, one paragraph's or one event's cards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studyapp.study.custom import CustomKind, CustomStudy


@dataclass(frozen=True)
class ExtraNew:
    count: int


@dataclass(frozen=True)
class Target:
    """A paragraph or an event to study, as the dialog lists it."""

    id: str
    label: str


StudyMoreChoice = ExtraNew | CustomStudy


class StudyMoreDialog(QDialog):
    def __init__(
        self,
        paragraphs: Sequence[Target],
        events: Sequence[Target],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("studyMoreDialog")
        self.setWindowTitle("Study More")
        self.choices = QButtonGroup(self)
        grid = QGridLayout()
        self.new_option = self._option(grid, 0, "Increase today's &new card limit by")
        self.new_spin = self._spin(grid, 0, 1, 999, 10, "extra new cards")
        self.ahead_option = self._option(grid, 1, "Review &ahead: cards due in the next")
        self.ahead_spin = self._spin(grid, 1, 1, 365, 1, "days ahead", " days")
        self.forgotten_option = self._option(grid, 2, "Review cards &forgotten in the last")
        self.forgotten_spin = self._spin(grid, 2, 1, 365, 1, "days back", " days")
        self.paragraph_option = self._option(grid, 3, "All cards of a &paragraph:")
        self.paragraph_box = self._targets(grid, 3, paragraphs, "Paragraph")
        self.event_option = self._option(grid, 4, "All cards about an &event:")
        self.event_box = self._targets(grid, 4, events, "Event")
        self.new_option.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def _option(self, grid: QGridLayout, row: int, text: str) -> QRadioButton:
        option = QRadioButton(text, self)
        self.choices.addButton(option, row)
        grid.addWidget(option, row, 0)
        return option

    def _spin(
        self,
        grid: QGridLayout,
        row: int,
        low: int,
        high: int,
        value: int,
        name: str,
        suffix: str = "",
    ) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSuffix(suffix)
        spin.setAccessibleName(name)
        spin.valueChanged.connect(lambda _value: self.choices.button(row).setChecked(True))
        grid.addWidget(spin, row, 1)
        return spin

    def _targets(
        self, grid: QGridLayout, row: int, targets: Sequence[Target], name: str
    ) -> QComboBox:
        box = QComboBox(self)
        box.setAccessibleName(name)
        box.setMaximumWidth(360)
        for target in targets:
            box.addItem(target.label, target.id)
        box.activated.connect(lambda _index: self.choices.button(row).setChecked(True))
        if not targets:
            box.setEnabled(False)
            self.choices.button(row).setEnabled(False)
        grid.addWidget(box, row, 1)
        return box

    def choice(self) -> StudyMoreChoice:
        if self.ahead_option.isChecked():
            return CustomStudy(CustomKind.AHEAD, days=self.ahead_spin.value())
        if self.forgotten_option.isChecked():
            return CustomStudy(CustomKind.FORGOTTEN, days=self.forgotten_spin.value())
        if self.paragraph_option.isChecked():
            return CustomStudy(CustomKind.PASSAGE, target=str(self.paragraph_box.currentData()))
        if self.event_option.isChecked():
            return CustomStudy(CustomKind.EVENT, target=str(self.event_box.currentData()))
        return ExtraNew(self.new_spin.value())

    @classmethod
    def choose(
        cls, parent: QWidget | None, paragraphs: Sequence[Target], events: Sequence[Target]
    ) -> StudyMoreChoice | None:
        dialog = cls(paragraphs, events, parent)
        try:
            return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
