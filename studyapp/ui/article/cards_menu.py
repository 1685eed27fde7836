"""The menu a paragraph's card badge opens in the article: the cards drawn from that paragraph."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from studyapp.ui.plain_text import plain_tip

if TYPE_CHECKING:
    from studyapp.storage.pane_values import CardSummary

CARD_FRONT_CHARS = 60  # card fronts longer than this are elided in the menu


class ArticleCardMenu(QMenu):
    """Lists cards by their fronts under a badge; emits `cardChosen(card id)` for the one picked."""

    cardChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleCardMenu")
        self.setAccessibleName("Cards from this paragraph")
        self.setToolTipsVisible(True)
        self.triggered.connect(self._on_triggered)

    def show_cards(self, cards: Iterable[CardSummary], badge: QRect, viewport: QWidget) -> None:
        """Pop up listing `cards`, its right edge under the right of `badge` (in `viewport`)."""
        self.clear()
        metrics = self.fontMetrics()
        width = metrics.averageCharWidth() * CARD_FRONT_CHARS
        for card in cards:
            label = metrics.elidedText(card.front, Qt.TextElideMode.ElideRight, width)
            action = self.addAction(label.replace("&", "&&"))
            action.setToolTip(plain_tip(card.front))
            action.setData(card.id)
        corner = QPoint(badge.right() - self.sizeHint().width(), badge.bottom() + 2)
        self.popup(viewport.mapToGlobal(corner))

    def _on_triggered(self, action: QAction) -> None:
        card_id = action.data()
        if isinstance(card_id, str):
            self.cardChosen.emit(card_id)


def find_card(cards: Sequence[CardSummary], card_id: str) -> CardSummary | None:
    """The card with `card_id` among the cards the menu listed, if it is there."""
    return next((card for card in cards if card.id == card_id), None)
