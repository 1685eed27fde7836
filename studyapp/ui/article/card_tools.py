"""The article's cards: the list a paragraph's badge opens, and the words selected in the
article for a new card (Cloze This, New Card from Selection).

A mixin of ArticlePane (it reads the pane's document, sentence ranges and find matches), kept
apart so each file stays small. It makes no card itself: the pane's signals ask the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import SignalInstance

from studyapp.collection import CardOperationError
from studyapp.ui.article.cards_menu import ArticleCardMenu, find_card
from studyapp.ui.article.markup import CARDS_LINK
from studyapp.ui.article.selection import (
    NOTHING_SELECTED,
    SentenceKey,
    sentence_selection,
    trim,
)

if TYPE_CHECKING:
    from studyapp.collection.selection import SentenceSelection
    from studyapp.content.model import Passage
    from studyapp.storage.pane_values import ArticleView, CardSummary
    from studyapp.ui.article.browser import ArticleBrowser
    from studyapp.ui.article.find_bar import FindBar, Matches
    from studyapp.ui.article.pane import ArticleSource


class ArticleCards:
    """ArticlePane provides the attributes below."""

    cardActivated: SignalInstance
    _source: ArticleSource
    _view: ArticleView
    _passages: list[Passage]
    _browser: ArticleBrowser
    _find_bar: FindBar
    _matches: Matches
    _card_menu: ArticleCardMenu
    _links: dict[str, int]
    _sentences: dict[SentenceKey, tuple[int, int]]
    _highlight: SentenceKey | None
    _menu_cards: list[CardSummary]

    def show_sentence(self, passage_id: str, sentence_index: int) -> bool:
        raise NotImplementedError

    def card_selection(self) -> SentenceSelection:
        """The words selected for a card, in their one sentence: the find bar's current match
        while its field has focus (or nothing else is selected), else the text's selection.
        CardOperationError says why there is none (nothing selected, two sentences, …)."""
        match = self._matches.current_range() if self._find_bar.isVisible() else None
        cursor = self._browser.textCursor()
        if match is not None and (self._find_bar.field.hasFocus() or not cursor.hasSelection()):
            span = match
        elif cursor.hasSelection():
            span = (cursor.selectionStart(), cursor.selectionEnd())
        else:
            raise CardOperationError(NOTHING_SELECTED)
        document, kind = self._browser.document(), self._browser.link_kind
        texts = {passage.id: passage.text for passage in self._passages}
        return sentence_selection(
            trim(document, kind, *span), self._sentences, texts, self._view.events_by_sentence
        )

    def current_sentence(self) -> SentenceKey | None:
        """The sentence the reader is at: the text cursor's, else the highlighted one."""
        position = self._browser.textCursor().position()
        for key, (start, end) in self._sentences.items():
            if start <= position < end:
                return key
        return self._highlight

    def _show_card_menu(self, passage_index: int) -> None:
        cards = self._source.passage_cards(self._passages[passage_index].id)
        self._menu_cards = list(cards)
        link = self._links.get(f"{CARDS_LINK}:{passage_index}", 0)
        badge = self._browser.range_rect(link, link + 1)
        self._card_menu.show_cards(cards, badge, self._browser.viewport())

    def _on_card_chosen(self, card_id: str) -> None:
        card = find_card(self._menu_cards, card_id)
        if card is None:
            return
        if card.passage_id is not None and card.sentence_index is not None:
            self.show_sentence(card.passage_id, card.sentence_index)
        self.cardActivated.emit(card.id)
