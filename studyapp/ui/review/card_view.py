"""The review pane's parts: the card itself, the answer buttons and the "done for now" view.

They only show what they are given (escaped HTML from text.py) and report clicks; the pane
decides what happens. None of their buttons takes focus: the pane keeps it, so its keys work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.ui.review.text import RATING_NAMES, CardFace, escape_text

BUTTON_HEIGHT = 32
CARD_WIDTH = 720  # the card column's widest, for readable lines (Anki centres its cards too)
DONE_TITLE = "Congratulations! You have studied everything due for now."


def make_label(parent: QWidget, name: str, accessible: str, scale: float = 1.0) -> QLabel:
    """A word-wrapped rich-text label; what it is given is always escaped first."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setAccessibleName(accessible)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setOpenExternalLinks(False)
    label.setForegroundRole(QPalette.ColorRole.Text)
    if scale != 1.0:
        font = QFont(label.font())
        font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    return label


def make_rule(parent: QWidget, name: str) -> QFrame:
    """A one-pixel line in the palette's Mid colour."""
    line = QFrame(parent)
    line.setObjectName(name)
    line.setFixedHeight(1)
    line.setAutoFillBackground(True)
    line.setBackgroundRole(QPalette.ColorRole.Mid)
    return line


def name_button(button: QAbstractButton, name: str, accessible: str, tip: str) -> None:
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    button.setToolTip(tip)
    # The pane keeps focus, so Space/Enter/1-4 always reach it and never click a button too.
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)


class CardView(QScrollArea):
    """One card, centred on the palette's Base colour: question, a line, answer, source."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewCardScroll")
        self.setAccessibleName("Card")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        content.setObjectName("reviewCard")
        content.setAutoFillBackground(True)
        content.setBackgroundRole(QPalette.ColorRole.Base)
        column = QWidget(content)
        column.setMaximumWidth(CARD_WIDTH)
        column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.question_label = make_label(column, "questionLabel", "Question", 1.5)
        self.answer_rule = make_rule(column, "answerRule")
        self.answer_label = make_label(column, "answerLabel", "Answer", 1.5)
        self.note_label = make_label(column, "noteLabel", "Source sentence")
        layout = QVBoxLayout(column)
        layout.setContentsMargins(28, 32, 28, 28)
        layout.setSpacing(18)
        for widget in (self.question_label, self.answer_rule, self.answer_label, self.note_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        for label in (self.question_label, self.answer_label, self.note_label):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        centred = QHBoxLayout(content)
        centred.setContentsMargins(0, 0, 0, 0)
        centred.addStretch(1)
        centred.addWidget(column, 100)  # the stretches take only what is past CARD_WIDTH
        centred.addStretch(1)
        self.setWidget(content)

    def show_face(self, face: CardFace, answer_shown: bool, quiet: str) -> None:
        self.question_label.setText(face.main)
        self.answer_rule.setVisible(answer_shown)
        self.answer_label.setVisible(face.answer is not None)
        self.answer_label.setText(face.answer or "")
        self.note_label.setVisible(face.note is not None)
        self.note_label.setText(f'<i style="color:{quiet}">{face.note}</i>' if face.note else "")

    def scroll_to_top(self) -> None:
        self.verticalScrollBar().setValue(0)

    def scroll_pages(self, pages: int) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + pages * bar.pageStep())


class AnswerBar(QStackedWidget):
    """At the bottom: "Show Answer", or the four ratings each with its next interval above."""

    showAnswerClicked = Signal()
    ratingClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewButtons")
        self.question_side = QWidget(self)
        show_layout = QHBoxLayout(self.question_side)
        show_layout.setContentsMargins(12, 10, 12, 12)
        self.show_answer_button = QPushButton("Show Answer", self.question_side)
        self.show_answer_button.setMinimumSize(180, BUTTON_HEIGHT)
        self.show_answer_button.clicked.connect(self.showAnswerClicked)
        name_button(
            self.show_answer_button,
            "showAnswerButton",
            "Show answer",
            "Show the answer (Space or Enter)",
        )
        show_layout.addStretch(1)
        show_layout.addWidget(self.show_answer_button, 0, Qt.AlignmentFlag.AlignBottom)
        show_layout.addStretch(1)

        self.answer_side = QWidget(self)
        answer_layout = QHBoxLayout(self.answer_side)
        answer_layout.setContentsMargins(12, 4, 12, 12)
        answer_layout.setSpacing(8)
        answer_layout.addStretch(1)
        self.answer_buttons: dict[int, QPushButton] = {}
        self.interval_labels: dict[int, QLabel] = {}
        for rating, name in RATING_NAMES.items():
            interval = QLabel(self.answer_side)
            interval.setObjectName(f"interval{name}")
            interval.setAccessibleName(f"{name}: next review")
            interval.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            button = QPushButton(name, self.answer_side)
            button.setMinimumSize(84, BUTTON_HEIGHT)
            button.clicked.connect(lambda _checked=False, r=rating: self.ratingClicked.emit(r))
            name_button(button, f"answer{name}", name, f"{name} ({rating})")
            interval.setBuddy(button)
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(interval)
            cell.addWidget(button)
            answer_layout.addLayout(cell)
            self.answer_buttons[rating] = button
            self.interval_labels[rating] = interval
        answer_layout.addStretch(1)
        self.addWidget(self.question_side)
        self.addWidget(self.answer_side)

    def show_question_side(self) -> None:
        self.setCurrentWidget(self.question_side)

    def show_answer_side(self, intervals: dict[int, str], quiet: str) -> None:
        """intervals: rating -> its label from the service's previews ("1m", "4d")."""
        for rating, name in RATING_NAMES.items():
            interval = intervals.get(rating, "")
            self.interval_labels[rating].setText(f'<span style="color:{quiet}">{interval}</span>')
            button = self.answer_buttons[rating]
            button.setAccessibleName(f"{name}, next review in {interval}")
            button.setToolTip(f"{name} ({rating}): next review in {interval}")
        self.setCurrentWidget(self.answer_side)


class DoneView(QWidget):
    """Nothing left for now: congratulations, when the next card is due, today's figures,
    what is buried and suspended, and the ways to go on (Unbury, Study More)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDone")
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.title_label = make_label(self, "doneTitle", "Done for now", 1.3)
        title_font = self.title_label.font()
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setText(DONE_TITLE)
        self.due_label = make_label(self, "doneNextDue", "Next card due", 1.1)
        self.summary_label = make_label(self, "doneSummary", "Studied today", 1.1)
        self.limits_label = make_label(self, "doneLimits", "Daily limits")
        self.status_label = make_label(self, "doneStatus", "Buried and suspended")
        self.unbury_button = QPushButton("Unbury", self)
        name_button(
            self.unbury_button,
            "doneUnburyButton",
            "Unbury",
            "Bring back the cards buried until tomorrow (Ctrl+Z takes it back)",
        )
        self.more_button = QPushButton("Study More…", self)
        name_button(
            self.more_button,
            "doneStudyMoreButton",
            "Study more",
            "More new cards today, reviews ahead, forgotten cards, one paragraph or event",
        )
        self.settings_button = QPushButton("Study Settings…", self)
        name_button(
            self.settings_button,
            "doneSettingsButton",
            "Study settings",
            "Change the daily limits, desired retention and when the day starts",
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.unbury_button, self.more_button, self.settings_button):
            button.setMinimumHeight(BUTTON_HEIGHT)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 40, 32, 32)
        layout.setSpacing(16)
        for label in (
            self.title_label,
            self.due_label,
            self.summary_label,
            self.limits_label,
            self.status_label,
        ):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(label)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def show_texts(self, due: str, summary: str, limits: str, status: str, quiet: str) -> None:
        """Plain texts; they are escaped here."""
        self.due_label.setText(escape_text(due))
        self.summary_label.setText(escape_text(summary))
        self.limits_label.setText(f'<span style="color:{quiet}">{escape_text(limits)}</span>')
        self.status_label.setText(f'<span style="color:{quiet}">{escape_text(status)}</span>')
