"""The article pane: the article with a table of contents, find, footnotes, card badges and
links to the timeline. It only emits signals; the main window wires them to other panes, and
tells it when the collection changed (refresh_cards, reload)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from studyapp.content.text import split_sentences
from studyapp.ui.article.browser import ArticleBrowser, article_colours
from studyapp.ui.article.card_tools import ArticleCards
from studyapp.ui.article.cards_menu import ArticleCardMenu
from studyapp.ui.article.find_bar import FindBar, Matches, find_in_document
from studyapp.ui.article.markup import (
    BACK_LINK,
    BACK_TEXT,
    CARDS_LINK,
    CONTROL_LINKS,
    EVENT_LINK,
    FOOTNOTE_LINK,
    REFERENCES_ANCHOR,
    SOURCE_ANCHOR,
    reference_anchor,
    render_article,
    section_anchor,
    sentence_anchor,
)
from studyapp.ui.article.memory import SentenceCards, SentenceMemory
from studyapp.ui.article.switcher import ArticleSwitcher
from studyapp.ui.memory_map import MemoryLegend

if TYPE_CHECKING:
    from studyapp.content.model import Article
    from studyapp.storage.pane_values import ArticleEntry, ArticleView, CardSummary
    from studyapp.ui.article.selection import SentenceKey

log = logging.getLogger(__name__)

ZOOM_MIN = -5
ZOOM_MAX = 10
_ZOOM_FACTOR = 1.1  # each step scales the text by 10%
_READING_SCALE = 1.15  # the article reads a little larger than the interface font
_MEASURE_CHARS = 90  # the widest column, in average characters: ~78 of text, then the badges

CLOZE_KEYS = "Ctrl+Shift+C"
NEW_CARD_KEYS = "Ctrl+Shift+N"


class ArticleSource(Protocol):
    """What the pane reads: the Collection, or anything that answers the same questions."""

    def article_view(self, article_id: str | None = None) -> ArticleView: ...

    def passage_card_counts(self, article_id: str) -> dict[str, int]: ...

    def passage_cards(self, passage_id: str) -> Sequence[CardSummary]: ...


class ArticlePane(ArticleCards, QWidget):
    """Shows one article; reports which event or card the reader activated, and which article
    the reader asked for in its switcher (the window decides what is shown)."""

    eventSourceActivated = Signal(str)  # event id
    cardActivated = Signal(str)  # card id
    zoomChanged = Signal(int)  # the new zoom step
    clozeRequested = Signal()  # Cloze This: make a cloze of card_selection()
    cardFromSelectionRequested = Signal()  # New Card from Selection: a card to write
    articleRequested = Signal(str)  # article id, chosen in the switcher

    def __init__(
        self,
        source: ArticleSource,
        parent: QWidget | None = None,
        article_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("articlePane")
        self._ready = False
        self._source = source
        view = source.article_view(article_id)
        self._view = view
        self._passages = view.article.passages()
        self._zoom = 0
        self._anchors: dict[str, int] = {}  # named anchor -> document position
        self._links: dict[str, int] = {}  # href -> position of its first link
        self._sentences: dict[SentenceKey, tuple[int, int]] = {}  # -> document range
        self._highlight: SentenceKey | None = None
        self._memory = SentenceMemory()  # the memory map
        self._tinted: tuple[int, int] | None = None  # the span the tints were given for
        self._matches = Matches()
        self._back_stack: list[tuple[int, QTextCursor]] = []  # (scroll value, text cursor)

        self._toc = QComboBox(self)
        self._toc.setObjectName("tableOfContents")
        self._toc.setAccessibleName("Table of contents")
        self._toc.setToolTip("Jump to a section")
        self._toc.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._toc.activated.connect(self._on_toc_activated)
        toc_label = QLabel("Contents:", self)
        toc_label.setBuddy(self._toc)
        self.switcher = ArticleSwitcher(self)
        self.switcher.articleRequested.connect(self.articleRequested)

        self._browser = ArticleBrowser(self)
        self._browser.setFrameShape(QTextBrowser.Shape.NoFrame)
        size = self._browser.font().pointSizeF()
        self._base_point_size = (size if size > 0 else 10.0) * _READING_SCALE
        self._browser.anchorClicked.connect(self._on_link)
        self._browser.positionClicked.connect(self._on_position_clicked)
        self._browser.backRequested.connect(self.go_back)
        self._browser.resized.connect(self._update_page_margins)
        self._browser.paletteChanged.connect(self._on_palette_changed)
        self._browser.verticalScrollBar().valueChanged.connect(self._sync_toc)
        self._browser.verticalScrollBar().valueChanged.connect(self._follow_tints)
        self._browser.resized.connect(self._follow_tints)
        self._browser.position_tip = self.memory_tip_at
        self._legend = MemoryLegend(self)
        self._legend.hide()

        self._find_bar = FindBar(self)
        self._find_bar.hide()
        self._find_bar.textChanged.connect(self._search)
        self._find_bar.nextRequested.connect(self.find_next)
        self._find_bar.previousRequested.connect(self.find_previous)
        self._find_bar.closeRequested.connect(self.close_find)

        self._card_menu = ArticleCardMenu(self)
        self._card_menu.cardChosen.connect(self._on_card_chosen)

        top = QHBoxLayout()
        top.setContentsMargins(8, 6, 8, 6)
        top.addWidget(self.switcher)
        top.addWidget(toc_label)
        top.addWidget(self._toc)
        top.addStretch(1)
        top.addWidget(self._legend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self._browser, 1)
        layout.addWidget(self._find_bar)
        self.setFocusProxy(self._browser)

        self._shortcut(QKeySequence(Qt.Key.Key_F3), self.find_next)
        self._shortcut(QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F3), self.find_previous)
        self._escape = self._shortcut(QKeySequence(Qt.Key.Key_Escape), self.close_find)
        self._escape.setEnabled(False)  # only while the find bar is open
        self.cloze_action = self._action("Clo&ze This", CLOZE_KEYS, self.clozeRequested.emit)
        self.new_card_action = self._action(
            "&New Card from Selection…", NEW_CARD_KEYS, self.cardFromSelectionRequested.emit
        )
        self._browser.context_actions = [self.cloze_action, self.new_card_action]

        self._apply_font()
        self._render()
        self._ready = True

    # -- public API ---------------------------------------------------------------------------

    def article(self) -> Article:
        return self._view.article

    def article_id(self) -> str:
        return self._view.article.id

    def set_articles(self, articles: Sequence[ArticleEntry]) -> None:
        """The articles the switcher offers (it shows only when there are two or more)."""
        self.switcher.set_articles(articles, self._view.article.id)

    def show_article(self, article_id: str) -> None:
        """Show another article (from its start); the same one stays where the reader is."""
        if article_id != self._view.article.id:
            self._set_view(self._source.article_view(article_id))
        self.switcher.select(article_id)

    def card_count(self, passage_id: str) -> int:
        """The number on a paragraph's card badge."""
        return self._view.card_count(passage_id)

    def refresh_cards(self) -> None:
        """Read the card counts again; redraw the badges in place if any moved."""
        counts = self._source.passage_card_counts(self._view.article.id)
        if counts != self._view.card_counts:
            self._view = replace(self._view, card_counts=counts)
            self._render(keep_place=True)

    def reload(self) -> None:
        """Read the whole article again (its pack was updated)."""
        self._set_view(self._source.article_view(self._view.article.id))

    def _set_view(self, view: ArticleView) -> None:
        self._view = view
        self._passages = view.article.passages()
        self._highlight = None
        self._back_stack.clear()
        self._render()
        self._browser.verticalScrollBar().setValue(0)

    def show_sentence(self, passage_id: str, sentence_index: int) -> bool:
        """Scroll the sentence into view and highlight it as the source sentence."""
        key = (passage_id, sentence_index)
        if key not in self._sentences:
            log.warning("Article pane: passage %r has no sentence %s", passage_id, sentence_index)
            return False
        self._highlight = key
        self._apply_selections()
        start, end = self._sentences[key]
        # Tab goes on from the sentence, so keyboard users carry on from what they are shown.
        self._browser.setTextCursor(self._browser.cursor_at(start))
        self._browser.reveal(start, end)
        return True

    def set_memory_map(
        self,
        sentences: SentenceCards | None,
        touched: Collection[SentenceKey] | None = None,
    ) -> None:
        """Tint each sentence by its cards' recall now (None: the memory map is off); touched:
        only these sentences moved (an answer)."""
        self._memory.set(sentences, touched)
        self._legend.setVisible(sentences is not None)
        self._apply_selections()

    def memory_map_shown(self) -> bool:
        return self._memory.shown

    def memory_tint(self, passage_id: str, sentence_index: int) -> QColor | None:
        """The sentence's memory-map tint (None: no tint, or the map is off)."""
        return self._memory.tint((passage_id, sentence_index), self._browser.palette())

    def memory_tip_at(self, position: int) -> str:
        """The memory map's hover text for the sentence at a document position ("" if none)."""
        return self._memory.tip(self._sentences, position)

    def sentence_range(self, passage_id: str, sentence_index: int) -> tuple[int, int] | None:
        """Where a sentence is in the document (for hovering it)."""
        return self._sentences.get((passage_id, sentence_index))

    def clear_highlight(self) -> None:
        if self._highlight is not None:  # (every question asks, most often of nothing)
            self._highlight = None
            self._apply_selections()

    def highlighted_text(self) -> str:
        """The text highlighted as the source sentence, without its footnote markers."""
        if self._highlight is None:
            return ""
        return self._browser.text_without_links(*self._sentences[self._highlight])

    def jump_to_section(self, section_id: str) -> None:
        for index, section in enumerate(self._view.article.sections):
            if section.id == section_id:
                self._jump_to_anchor(section_anchor(index))
                return
        log.warning("Article pane: no section %r", section_id)

    def go_back(self) -> None:
        """Return to where the reader was before the last jump (footnote or contents)."""
        if self._back_stack:
            scroll, cursor = self._back_stack.pop()
            self._browser.setTextCursor(cursor)
            self._browser.verticalScrollBar().setValue(scroll)

    def open_find(self) -> None:
        was_open = self._find_bar.isVisible()
        self._find_bar.show()
        self._escape.setEnabled(True)
        self._find_bar.focus_field()
        if not was_open:
            self._matches.clear()
            self._search()

    def close_find(self) -> None:
        if not self._find_bar.isVisible():
            return
        self._find_bar.hide()
        self._escape.setEnabled(False)
        self._matches.clear()
        self._apply_selections()
        self._browser.setFocus(Qt.FocusReason.OtherFocusReason)

    def find_next(self) -> None:
        self._step_match(1)

    def find_previous(self) -> None:
        self._step_match(-1)

    def match_count(self) -> int:
        return len(self._matches.ranges)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom - 1)

    def zoom_reset(self) -> None:
        self.set_zoom(0)

    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, step: int) -> None:
        """Set the text size step (0 is the default), clamped to ZOOM_MIN..ZOOM_MAX."""
        step = max(ZOOM_MIN, min(ZOOM_MAX, int(step)))
        if step == self._zoom:
            return
        self._zoom = step
        top = self._browser.top_position()
        self._apply_font()
        self._render()  # spacing is in em, which the HTML import turns into pixels
        self._back_stack.clear()  # its scroll values were for the old size
        self._browser.scroll_to_line_of(top)
        self.zoomChanged.emit(step)

    # -- rendering ----------------------------------------------------------------------------

    def _apply_font(self) -> None:
        font = QFont(self._browser.font())
        font.setPointSizeF(self._base_point_size * _ZOOM_FACTOR**self._zoom)
        self._browser.setFont(font)

    def _render(self, keep_place: bool = False) -> None:
        scroll = self._browser.verticalScrollBar().value()
        colours = article_colours(self._browser.palette())
        self._browser.document().setDefaultStyleSheet(f"a {{ color: {colours.link}; }}")
        self._browser.setHtml(render_article(self._view, colours))
        self._browser.forget_tints()
        self._anchors, self._links = self._browser.index_anchors()
        self._sentences.clear()
        for passage_index, passage in enumerate(self._passages):
            for sentence_index, sentence in enumerate(split_sentences(passage.text)):
                start = self._anchors.get(sentence_anchor(passage_index, sentence_index))
                if start is not None:  # the HTML renders the raw text one to one
                    end = start + sentence.end - sentence.start
                    self._sentences[(passage.id, sentence_index)] = (start, end)
        self._update_page_margins()
        self._rebuild_toc()
        if self._find_bar.isVisible():
            self._search()
        self._apply_selections()
        if keep_place:
            self._browser.verticalScrollBar().setValue(scroll)

    def _update_page_margins(self) -> None:
        self._browser.set_page_margins(_MEASURE_CHARS)

    def _on_palette_changed(self) -> None:
        # Link and note colours are part of the HTML, so a new palette needs a new render.
        if self._ready:
            self._render(keep_place=True)

    def _rebuild_toc(self) -> None:
        self._toc.clear()
        for index, section in enumerate(self._view.article.sections):
            self._toc.addItem(section.heading, section_anchor(index))
        if REFERENCES_ANCHOR in self._anchors:
            self._toc.addItem("References", REFERENCES_ANCHOR)
        self._toc.addItem("Source and licence", SOURCE_ANCHOR)

    def _sync_toc(self, value: int) -> None:
        """Show the section being read in the table of contents (without jumping)."""
        reading_line = value + 2 * self._browser.fontMetrics().lineSpacing()
        current = 0
        for index in range(self._toc.count()):
            position = self._anchors.get(self._toc.itemData(index))
            if position is not None and self._browser.block_top(position) <= reading_line:
                current = index
        self._toc.setCurrentIndex(current)

    def _on_toc_activated(self, index: int) -> None:
        self._jump_to_anchor(self._toc.itemData(index))

    # -- highlights and jumps -----------------------------------------------------------------

    def _apply_selections(self) -> None:
        """The memory map's tints, the source sentence, then every find match, then the current
        match on top. Only the tints from a page above the view to a page below it are handed
        to the text view, which draws every extra selection it holds in every frame."""
        source = None if self._highlight is None else self._sentences[self._highlight]
        tints = []
        self._tinted = None
        if self._memory.shown:
            self._tinted = self._browser.visible_span(pages=1)
            tints = self._memory.tints(self._sentences, self._browser.palette(), self._tinted)
        self._browser.set_highlights(source, self._matches.ranges, self._matches.current, tints)

    def _follow_tints(self, *_args: object) -> None:
        """After a scroll or a resize, the tints of what comes into view."""
        if self._tinted is None:
            return
        first, last = self._tinted
        shown_first, shown_last = self._browser.visible_span()
        if shown_first < first or shown_last > last:
            self._apply_selections()

    def _push_place(self) -> None:
        scroll = self._browser.verticalScrollBar().value()
        self._back_stack.append((scroll, QTextCursor(self._browser.textCursor())))

    def _jump_to_anchor(self, name: str) -> None:
        position = self._anchors.get(name)
        if position is not None:
            self._push_place()
            self._browser.setTextCursor(self._browser.cursor_at(position))
            self._browser.scroll_to_block_of(position)

    # -- find ---------------------------------------------------------------------------------

    def _search(self) -> None:
        """Find every match; the current one stays where it was, or where the reader is."""
        current = self._matches.current_range()
        from_position = current[0] if current else self._browser.top_position()
        found = find_in_document(
            self._browser.document(),
            self._find_bar.text(),
            skip=lambda position: self._browser.link_kind(position) in CONTROL_LINKS,
        )
        self._matches.replace(found, from_position)
        self._show_current_match()

    def _step_match(self, delta: int) -> None:
        if not self._find_bar.isVisible():
            self.open_find()
        else:
            self._matches.step(delta)
            self._show_current_match()

    def _show_current_match(self) -> None:
        self._find_bar.show_count(self._matches.current, len(self._matches.ranges))
        self._apply_selections()
        current = self._matches.current_range()
        if current is not None:
            self._browser.reveal(*current)

    # -- links and clicks ------------------------------------------------------

    def _on_link(self, url: QUrl) -> None:
        kind, _, value = url.toString().partition(":")
        try:
            if kind == FOOTNOTE_LINK:
                self._show_reference(int(value))
            elif kind == BACK_LINK:
                self._back_from_reference(int(value))
            elif kind == CARDS_LINK:
                self._show_card_menu(int(value))
            elif kind == EVENT_LINK:
                passage_index, _, sentence_index = value.partition(".")
                passage = self._passages[int(passage_index)]
                self._activate_sentence((passage.id, int(sentence_index)))
            else:
                log.warning("Article pane: ignored link %s", url.toString())
        except (ValueError, IndexError):
            log.warning("Article pane: bad link %s", url.toString())

    def _show_reference(self, number: int) -> None:
        position = self._anchors.get(reference_anchor(number))
        if position is None:
            log.warning("Article pane: reference %d is not listed", number)
            return
        self._push_place()
        back = self._links.get(f"{BACK_LINK}:{number}")
        if back is not None:  # focus the "↩ back" link: Enter returns at once
            self._browser.setTextCursor(self._browser.cursor_at(back, back + len(BACK_TEXT)))
        self._browser.scroll_to_line_of(position, fraction=0.25)  # with the references around

    def _back_from_reference(self, number: int) -> None:
        if self._back_stack:
            self.go_back()
            return
        marker = self._links.get(f"{FOOTNOTE_LINK}:{number}")
        if marker is not None:  # the reader scrolled here: go to the first marker citing it
            self._browser.setTextCursor(self._browser.cursor_at(marker))
            self._browser.reveal(marker, marker + 1)

    def _activate_sentence(self, key: SentenceKey) -> None:
        event_ids = self._view.events_by_sentence.get(key)
        if event_ids and key in self._sentences:
            self._highlight = key
            self._apply_selections()
            self.eventSourceActivated.emit(event_ids[0])

    def _on_position_clicked(self, position: int) -> None:
        for key, (start, end) in self._sentences.items():
            if start <= position < end and self._view.events_by_sentence.get(key):
                self._activate_sentence(key)
                return

    def _action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        """An action of the pane's own (its key acts where the article has focus)."""
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _shortcut(self, keys: QKeySequence, slot: Callable[[], None]) -> QShortcut:
        shortcut = QShortcut(keys, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return shortcut
