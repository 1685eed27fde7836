"""Making cards from the window: Add Card (A), Cloze This and New Card from Selection in the
article, and the timeline's "which came first" and "when" cards.

The panes say what was asked (their signals); this runs the collection's add_card through
Operations, so every new card is one undoable change that reaches every pane at once (the
badge, its card list, the timeline's count), and the status bar says what was added.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QMessageBox

from studyapp.collection import CardOperationError, CardSource
from studyapp.content.model import CLOZE_GAP

if TYPE_CHECKING:  # the dialog is imported when first opened, not at start-up
    from studyapp.collection import AddedCard, Collection, NewCard
    from studyapp.ui.add_card_dialog import CardDraft
    from studyapp.ui.answer_guard import AnswerGuard
    from studyapp.ui.article import ArticlePane
    from studyapp.ui.operations import Operations

WHILE_ASKING = (
    "The article and the timeline open when the answer shows (Space): make the card then."
)
MESSAGE_MS = 8000
FRONT_CHARS = 90  # of the new card's front, in the status bar


class CardAuthoring(QObject):
    def __init__(
        self,
        window: QMainWindow,
        operations: Operations,
        article: ArticlePane,
        guard: AnswerGuard,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._operations = operations
        self._article = article
        self._guard = guard

    def add_card(self) -> str | None:
        """A: the Add Card dialog, citing the sentence the reader is at (none while a
        question is up: the article is veiled)."""
        from studyapp.ui.add_card_dialog import CardDraft

        key = None if self._guard.is_covering() else self._article.current_sentence()
        return self._open(CardDraft(source=CardSource(*key) if key else None))

    def cloze_from_article(self) -> str | None:
        """Ctrl+Shift+C: a cloze of the selected words (or the current find match)."""
        if self._asking():
            return None
        from studyapp.collection.selection import cloze_card

        return self._add(
            lambda c: c.add_card(cloze_card(self._article.card_selection())), "Cloze card"
        )

    def card_from_article(self) -> str | None:
        """Ctrl+Shift+N: the dialog, the selected words as the answer, their sentence cited."""
        if self._asking():
            return None
        try:
            selection = self._article.card_selection()
        except CardOperationError as error:
            QMessageBox.information(self._window, "Not done", str(error))
            return None
        from studyapp.collection.selection import selected_words
        from studyapp.ui.add_card_dialog import CardDraft

        draft = CardDraft(source=selection.source, back=selected_words(selection))
        return self._open(draft)

    def chronology_card(self, first_event_id: str, second_event_id: str) -> str | None:
        if self._asking():
            return None
        return self._add(
            lambda c: c.add_card(c.chronology_card(first_event_id, second_event_id)),
            "“Which came first” card",
        )

    def when_card(self, event_id: str) -> str | None:
        if self._asking():
            return None
        return self._add(lambda c: c.add_card(c.when_card(event_id)), "“When” card")

    # -- helpers -------------------------------------------------------------------------------

    def _asking(self) -> bool:
        if self._guard.is_covering():
            self._window.statusBar().showMessage(WHILE_ASKING, MESSAGE_MS)
            return True
        return False

    def _open(self, draft: CardDraft) -> str | None:
        from studyapp.ui.add_card_dialog import AddCardDialog

        collection = self._operations.collection

        def submit(card: NewCard) -> str | None:
            return self._add(lambda c: c.add_card(card), "Card")

        return AddCardDialog.add(self._window, collection, draft, submit)

    def _add(self, operation: Callable[[Collection], AddedCard], what: str) -> str | None:
        """Run one add_card; the new card's id, or None (the learner was told why)."""
        from studyapp.collection.changes import AddedCard

        added = self._operations.run(operation, parent=self._window, initiator=self)
        if not isinstance(added, AddedCard):
            return None
        front = short_front(self._operations.collection.card(added.card_id).front)
        self._window.statusBar().showMessage(
            f"{what} added: {front} (Ctrl+Z takes it back)", MESSAGE_MS
        )
        return added.card_id


def short_front(front: str, chars: int = FRONT_CHARS) -> str:
    """A card's front for one line: cut short around a cloze's gap, so the gap shows."""
    text = " ".join(front.split())
    if len(text) <= chars:
        return text
    gap = text.find(CLOZE_GAP)
    start = max(0, min(gap - chars // 2, len(text) - chars)) if gap >= 0 else 0
    shown = text[start : start + chars].strip()
    return ("…" if start > 0 else "") + shown + ("…" if start + chars < len(text) else "")
