"""The browser's two small dialogs: where repositioned new cards go, and which columns show in
which order. Each is opened through a typed classmethod that hides exec()."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studyapp.ui.browser.columns import BY_KEY


@dataclass(frozen=True)
class RepositionChoice:
    start: int  # 1: the first new card
    step: int
    shuffle: bool


class RepositionDialog(QDialog):
    def __init__(self, selected: int, new_cards: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("repositionDialog")
        self.setWindowTitle("Reposition New Cards")
        chosen = "the selected card" if selected == 1 else f"the {selected} selected cards"
        about = QLabel(
            f"Move {chosen} to a place in the order new cards come (1 is next; there are "
            f"{new_cards} new cards). Cards already studied are left where they are.",
            self,
        )
        about.setWordWrap(True)
        self.start_box = QSpinBox(self)
        self.start_box.setObjectName("repositionStart")
        self.start_box.setRange(1, max(1, new_cards))
        self.start_box.setValue(1)
        self.step_box = QSpinBox(self)
        self.step_box.setObjectName("repositionStep")
        self.step_box.setRange(1, 9999)
        self.shuffle_box = QCheckBox("S&huffle the selected cards", self)
        self.shuffle_box.setObjectName("repositionShuffle")
        form = QFormLayout()
        form.addRow("&Start at new card #", self.start_box)
        form.addRow("S&tep (1: one after another)", self.step_box)
        form.addRow("", self.shuffle_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def choice(self) -> RepositionChoice:
        return RepositionChoice(
            self.start_box.value(), self.step_box.value(), self.shuffle_box.isChecked()
        )

    @classmethod
    def choose(
        cls, parent: QWidget | None, selected: int, new_cards: int
    ) -> RepositionChoice | None:
        dialog = cls(selected, new_cards, parent)
        try:
            return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class ColumnsDialog(QDialog):
    """Every column, ticked if shown, in the order shown; Move Up and Down reorder them."""

    def __init__(self, shown: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnsDialog")
        self.setWindowTitle("Browser Columns")
        self.resize(420, 460)
        self.columns = QListWidget(self)
        self.columns.setObjectName("columnList")
        self.columns.setAccessibleName("Columns: tick to show, Move Up and Down to reorder")
        hidden = [key for key in BY_KEY if key not in shown]
        for key in [*shown, *hidden]:
            item = QListWidgetItem(BY_KEY[key].title, self.columns)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = Qt.CheckState.Checked if key in shown else Qt.CheckState.Unchecked
            item.setCheckState(checked)
        self.columns.setCurrentRow(0)
        up = QPushButton("Move &Up", self)
        up.setObjectName("columnUp")
        up.clicked.connect(lambda: self._move(-1))
        down = QPushButton("Move &Down", self)
        down.setObjectName("columnDown")
        down.clicked.connect(lambda: self._move(1))
        side = QVBoxLayout()
        side.addWidget(up)
        side.addWidget(down)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.columns, 1)
        middle.addLayout(side)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Space ticks a column; Move Up and Down reorder them.", self))
        layout.addLayout(middle)
        layout.addWidget(buttons)

    def _move(self, by: int) -> None:
        row = self.columns.currentRow()
        target = row + by
        if row < 0 or not 0 <= target < self.columns.count():
            return
        item = self.columns.takeItem(row)
        self.columns.insertItem(target, item)
        self.columns.setCurrentRow(target)

    def shown(self) -> list[str]:
        keys = []
        for row in range(self.columns.count()):
            item = self.columns.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                keys.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return keys or ["question"]  # a table with no column would show nothing at all

    @classmethod
    def choose(cls, parent: QWidget | None, shown: list[str]) -> list[str] | None:
        """The columns to show, in order; None on Cancel."""
        dialog = cls(shown, parent)
        try:
            return dialog.shown() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
