"""Find in the article: the bar (field, match count, previous/next, close) and the matches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindBar(QWidget):
    """Emits what the user asks for; the pane does the searching and reports the count back."""

    textChanged = Signal(str)
    nextRequested = Signal()
    previousRequested = Signal()
    closeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleFindBar")
        self.field = QLineEdit(self)
        self.field.setObjectName("findField")
        self.field.setAccessibleName("Find in article")
        self.field.setPlaceholderText("Find in article")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.textChanged)
        self.field.installEventFilter(self)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("findCount")
        self.count_label.setAccessibleName("Matches")
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("No matches") + 8)

        self.previous_button = self._button(
            "findPrevious", Qt.ArrowType.UpArrow, "Previous match", "Shift+F3"
        )
        self.previous_button.clicked.connect(self.previousRequested)
        self.next_button = self._button("findNext", Qt.ArrowType.DownArrow, "Next match", "F3")
        self.next_button.clicked.connect(self.nextRequested)
        self.close_button = self._button("findClose", Qt.ArrowType.NoArrow, "Close find bar", "Esc")
        self.close_button.setText("✕")
        self.close_button.clicked.connect(self.closeRequested)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.close_button)

    def _button(self, name: str, arrow: Qt.ArrowType, label: str, key: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setArrowType(arrow)
        button.setAutoRaise(True)
        button.setAccessibleName(label)
        button.setToolTip(f"{label} ({key})")
        return button

    def text(self) -> str:
        return self.field.text()

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def show_count(self, current: int | None, total: int) -> None:
        """current is 0-based; the label reads "3 of 7", "No matches", or nothing."""
        if not self.field.text():
            self.count_label.setText("")
        elif total == 0 or current is None:
            self.count_label.setText("No matches")
        else:
            self.count_label.setText(f"{current + 1} of {total}")
        self.previous_button.setEnabled(total > 0)
        self.next_button.setEnabled(total > 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.previousRequested.emit()
                else:
                    self.nextRequested.emit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.closeRequested.emit()
                return True
        return super().eventFilter(watched, event)


def find_in_document(
    document: QTextDocument, text: str, skip: Callable[[int], bool]
) -> list[tuple[int, int]]:
    """Every case-insensitive match of text as (start, end), but those starting where skip."""
    matches: list[tuple[int, int]] = []
    if not text:
        return matches
    found = document.find(text, 0)
    while not found.isNull() and found.selectionEnd() > found.selectionStart():
        start, end = found.selectionStart(), found.selectionEnd()
        if not skip(start):
            matches.append((start, end))
        found = document.find(text, end)
    return matches


@dataclass
class Matches:
    """The matches of the current search and which one is current (None: there are none)."""

    ranges: list[tuple[int, int]] = field(default_factory=list)
    current: int | None = None

    def replace(self, ranges: list[tuple[int, int]], from_position: int) -> None:
        """New matches; the current one is the first at or after from_position (wrapping)."""
        self.ranges = ranges
        after = [index for index, (start, _) in enumerate(ranges) if start >= from_position]
        self.current = (after[0] if after else 0) if ranges else None

    def step(self, delta: int) -> None:
        if self.ranges:
            current = self.current if self.current is not None else -delta
            self.current = (current + delta) % len(self.ranges)

    def clear(self) -> None:
        self.ranges = []
        self.current = None

    def current_range(self) -> tuple[int, int] | None:
        return self.ranges[self.current] if self.current is not None else None
