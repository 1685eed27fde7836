"""The browser's search box and the line under it (how many cards, or what is wrong)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from studyapp.ui.colours import readable_hue
from studyapp.ui.review.text import escape_text

PLACEHOLDER = "Search words (accents optional), is:due, is:suspended, flag:1, tag:marked, -is:new …"
SYNTAX_TIP = (
    "Words match the start of words, accents or not (klaipeda finds Klaipėda); "
    '"quotes" match a phrase; -word leaves out; a or b; (parentheses) group.\n'
    "is:new, is:learn, is:review, is:due, is:suspended, is:buried, is:mine, is:pack, "
    "is:edited, is:flagged · flag:0-4 · tag:marked · rated:7 (answered in 7 days), "
    "rated:7:1 (answered Again) · introduced:30 · prop:ivl>=10, prop:reps>5, prop:lapses>2, "
    "prop:due<0, prop:s>30, prop:d>7 · source:negotiations (a section or article) · "
    "kind:cloze"
)


class SearchBox(QLineEdit):
    """Enter searches (the line edit's returnPressed); Down goes on to the cards."""

    downPressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and not event.modifiers():
            self.downPressed.emit()
            return
        super().keyPressEvent(event)


class SearchBar(QWidget):
    searchRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("browserSearchBar")
        self.box = SearchBox(self)
        self.box.setObjectName("browserSearch")
        self.box.setAccessibleName("Search cards")
        self.box.setPlaceholderText(PLACEHOLDER)
        self.box.setToolTip(SYNTAX_TIP)
        self.box.setClearButtonEnabled(True)
        self.box.returnPressed.connect(lambda: self.searchRequested.emit(self.box.text()))
        self.message = QLabel(self)
        self.message.setObjectName("searchMessage")
        self.message.setAccessibleName("Search result")
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 2)
        layout.setSpacing(2)
        layout.addWidget(self.box)
        layout.addWidget(self.message)

    def text(self) -> str:
        return self.box.text()

    def set_text(self, text: str) -> None:
        self.box.setText(text)

    def focus(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def show_message(self, text: str, *, problem: bool = False) -> None:
        """A quiet line, or a problem in a readable red."""
        if problem:
            window = self.palette().color(QPalette.ColorRole.Window)
            colour = readable_hue(0, window).name()
            self.message.setText(f'<span style="color:{colour}">{escape_text(text)}</span>')
        else:
            self.message.setText(escape_text(text))
        self.message.setAccessibleDescription(text)

    def message_text(self) -> str:
        return self.message.accessibleDescription()
