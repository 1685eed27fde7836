"""The review pane's top bar: today's counts (each saying what it counts), the card's flag
and mark, the answer timer, Show Source and the More menu."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from studyapp.study.queue_reads import LEARN_AHEAD
from studyapp.ui.colours import readable_hue
from studyapp.ui.menu_keys import menus_take_letters
from studyapp.ui.review.card_view import name_button
from studyapp.ui.review.keys import FLAG_HUES, FLAG_NAMES, MAX_TIMER_SECONDS

QUEUE_NAMES = {"new": "New", "learning": "Learning", "review": "Due"}
QUEUE_TIPS = {
    "new": "New: cards you have not studied yet, left for today (your daily new-card limit)",
    "learning": (
        f"Learning: cards you are learning or relearning, due now or within "
        f"{LEARN_AHEAD.seconds // 60} minutes"
    ),
    "review": "Due: review cards due today, up to your daily review limit",
}
TIMER_TIP = f"Time on this card (an answer counts at most {MAX_TIMER_SECONDS} seconds, as in Anki)"


class TopBar(QWidget):
    def __init__(self, parent: QWidget, source_action: QAction) -> None:
        super().__init__(parent)
        self.setObjectName("reviewTopBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.setSpacing(6)
        self.count_labels: dict[str, QLabel] = {}
        for index, queue in enumerate(QUEUE_NAMES):
            if index:
                layout.addWidget(QLabel("·", self))
            label = QLabel(self)
            label.setObjectName(f"{queue}Count")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setToolTip(QUEUE_TIPS[queue])
            self.count_labels[queue] = label
            layout.addWidget(label)
        layout.addStretch(1)
        self.marks_label = QLabel(self)
        self.marks_label.setObjectName("cardMarks")
        self.marks_label.setTextFormat(Qt.TextFormat.RichText)
        self.marks_label.setAccessibleName("Flag and mark")
        layout.addWidget(self.marks_label)
        self.timer_label = QLabel(self)
        self.timer_label.setObjectName("answerTimer")
        self.timer_label.setAccessibleName("Time on this card")
        self.timer_label.setToolTip(TIMER_TIP)
        layout.addWidget(self.timer_label)
        self.source_button = QToolButton(self)
        self.source_button.setDefaultAction(source_action)
        self.source_button.setAutoRaise(True)
        name_button(self.source_button, "sourceButton", "Show source", "Show source (S)")
        layout.addWidget(self.source_button)
        self.more_menu = QMenu("More", self)
        self.more_menu.setObjectName("reviewMoreMenu")
        menus_take_letters(self.more_menu)
        self.more_button = QToolButton(self)
        self.more_button.setText("More")
        self.more_button.setMenu(self.more_menu)
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setAutoRaise(True)
        name_button(
            self.more_button, "moreButton", "More actions", "Edit, flag, suspend, bury, settings"
        )
        layout.addWidget(self.more_button)

    def show_counts(
        self, numbers: dict[str, int], current: str | None, colours: dict[str, str]
    ) -> None:
        for queue, number in numbers.items():
            # As in Anki, the current card's queue is underlined; the word says which is which.
            style = f"color:{colours[queue]};"
            if queue == current:
                style += "text-decoration:underline;"
            label = self.count_labels[queue]
            label.setText(f'{QUEUE_NAMES[queue]} <b style="{style}">{number}</b>')
            label.setAccessibleName(f"{QUEUE_NAMES[queue]}: {number}")

    def show_marks(self, flag: int, marked: bool) -> None:
        parts = []
        if flag in FLAG_NAMES:
            window = self.palette().color(QPalette.ColorRole.Window)
            colour = readable_hue(FLAG_HUES[flag], window).name()
            parts.append(f'<span style="color:{colour}">⚑ {FLAG_NAMES[flag]}</span>')
        if marked:
            parts.append("★ Marked")
        self.marks_label.setText(" ".join(parts))
        self.marks_label.setVisible(bool(parts))

    def show_time(self, seconds: int) -> None:
        minutes, rest = divmod(max(0, min(MAX_TIMER_SECONDS, seconds)), 60)
        self.timer_label.setText(f"{minutes}:{rest:02d}")
