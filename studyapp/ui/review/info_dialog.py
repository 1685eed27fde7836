"""Card Info (I; Ctrl+Shift+I in the browser): a card's memory state, its forgetting curve and
its review history, as Anki's card info shows."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studyapp.study.scheduling import interval_label
from studyapp.ui.review.forgetting_curve import ForgettingCurve
from studyapp.ui.review.text import RATING_NAMES, duration_text, when_text

if TYPE_CHECKING:
    from studyapp.collection import CardInfo
    from studyapp.collection.reading import ReviewEntry

STATE_NAMES = {0: "New", 1: "Learning", 2: "Review", 3: "Relearning"}
COLUMNS = ("Date", "Rating", "State before", "Interval", "Stability", "Difficulty", "Time")


def facts(card: CardInfo, now: dt.datetime, tz: dt.tzinfo | None) -> list[tuple[str, str]]:
    """(label, value) rows about the card's memory, in words."""
    rows = [("State", STATE_NAMES.get(card.state, str(card.state)))]
    if card.suspended:
        rows.append(("Suspended", "yes"))
    if card.buried:
        rows.append(("Buried", "until the next study day"))
    rows.append(("Due", when_text(card.due, now, tz) if card.due else "new: not yet studied"))
    if card.stability is not None:
        rows.append(("Stability", f"{card.stability:.1f} days"))
    if card.difficulty is not None:
        rows.append(("Difficulty", f"{card.difficulty:.1f} of 10"))
    if card.retrievability is not None:
        rows.append(("Retrievability now", f"{card.retrievability:.0%}"))
    rows.append(("Reviews", str(card.reviews)))
    rows.append(("Origin", "your own card" if card.mine else f"pack {card.pack_id}"))
    return rows


class CardInfoDialog(QDialog):
    def __init__(
        self,
        card: CardInfo,
        history: list[ReviewEntry],
        now: dt.datetime,
        tz: dt.tzinfo | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cardInfoDialog")
        self.setWindowTitle("Card Info")
        self.resize(640, 560)
        self.facts_label = QLabel(self)
        self.facts_label.setObjectName("cardFacts")
        self.facts_label.setText(
            "\n".join(f"{label}: {value}" for label, value in facts(card, now, tz))
        )
        self.facts_label.setWordWrap(True)
        self.history_table = QTableWidget(len(history), len(COLUMNS), self)
        self.history_table.setObjectName("reviewHistory")
        self.history_table.setAccessibleName("Review history")
        self.history_table.setHorizontalHeaderLabels(COLUMNS)
        self.history_table.verticalHeader().setVisible(False)
        for row, entry in enumerate(history):
            local = entry.reviewed_at.astimezone(tz) if tz else entry.reviewed_at.astimezone()
            cells = (
                local.strftime("%Y-%m-%d %H:%M"),
                RATING_NAMES.get(entry.rating, str(entry.rating)),
                STATE_NAMES.get(entry.state_before, str(entry.state_before)),
                interval_label(entry.interval),
                "" if entry.stability_after is None else f"{entry.stability_after:.1f}",
                "" if entry.difficulty_after is None else f"{entry.difficulty_after:.1f}",
                duration_text(entry.duration_ms),
            )
            for column, text in enumerate(cells):
                self.history_table.setItem(row, column, QTableWidgetItem(text))
        self.history_table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.curve: ForgettingCurve | None = None
        if card.stability is not None and card.last_review is not None:
            self.curve = ForgettingCurve(
                card.stability, card.last_review, card.due, now, self, decay=card.decay
            )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(card.front, self))
        layout.addWidget(self.facts_label)
        if self.curve is not None:
            layout.addWidget(self.curve)
        layout.addWidget(self.history_table, 1)
        layout.addWidget(buttons)

    @classmethod
    def show_for(
        cls,
        parent: QWidget | None,
        card: CardInfo,
        history: list[ReviewEntry],
        now: dt.datetime,
        tz: dt.tzinfo | None,
    ) -> None:
        dialog = cls(card, history, now, tz, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
