"""Keep the answer out of sight until the learner asks for it.

While a question is up, the article and the timeline are veiled (the article holds every
answer's sentence, the timeline every date), or, with the veil turned off, at least cleared of
the last card's highlight and selection. When the answer shows, the veils lift and the card's
sentence and event are shown. Part of the main window's wiring: it moves nothing but views.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from studyapp.ui.veil import Veil

if TYPE_CHECKING:
    from studyapp.study.queue_values import StudyCard
    from studyapp.ui.article import ArticlePane
    from studyapp.ui.review import ReviewPane
    from studyapp.ui.timeline import TimelinePane

REVEAL_TIMELINE_MS = 10  # after the answer shows, the timeline's veil lifts (see _on_answer)


class AnswerGuard(QObject):
    def __init__(
        self,
        article: ArticlePane,
        timeline: TimelinePane,
        review: ReviewPane,
        veiled: bool = True,
        show_article: Callable[[str], None] | None = None,
    ) -> None:
        """show_article: puts a card's article in the panes when its answer shows (a card of
        another pack than the one being read)."""
        super().__init__(review)
        self._show_article = show_article
        self._article = article
        self._timeline = timeline
        self._review = review
        self._veils = (Veil(article), Veil(timeline))
        self._veiled = veiled
        self._question: StudyCard | None = None
        review.questionShown.connect(self._on_question)
        review.answerShown.connect(self._on_answer)
        review.finished.connect(self._on_finished)

    @property
    def veiled(self) -> bool:
        """Whether questions veil the article and the timeline (the View menu's option)."""
        return self._veiled

    def set_veiled(self, veiled: bool) -> None:
        self._veiled = veiled
        self.update()

    def is_covering(self) -> bool:
        """Whether a question is up under the veils (the answer up, the timeline's veil may
        still be lifting: see _on_answer)."""
        return self._question is not None and any(veil.isVisible() for veil in self._veils)

    def update(self) -> None:
        """Cover or uncover for what the review pane shows now (and whether it is visible)."""
        card = self._review.current_card()
        asking = card is not None and not self._review.answer_shown()
        self._question = card if asking else None
        # Visible in its window (which may not be shown yet, at start-up).
        cover = asking and self._veiled and self._review.isVisibleTo(self._review.window())
        for veil in self._veils:
            if cover:
                veil.cover()
            else:
                veil.lift()
        if cover:
            self._take_focus_from_veiled_panes()

    def _take_focus_from_veiled_panes(self) -> None:
        focused = QApplication.focusWidget()
        for pane in (self._article, self._timeline):
            if focused is not None and (focused is pane or pane.isAncestorOf(focused)):
                self._review.setFocus()

    def _on_question(self, card: StudyCard) -> None:
        # Even unveiled, the last card's sentence and event must not sit beside this question.
        self._article.clear_highlight()
        self._timeline.clear_selection()
        self.update()

    def _on_answer(self, card: StudyCard) -> None:
        if card.article_id is not None and self._show_article is not None:
            self._show_article(card.article_id)  # nothing to do if it is the one shown
        self._question = None
        self._veils[0].lift()
        if card.passage_id is not None and card.sentence_index is not None:
            self._article.show_sentence(card.passage_id, card.sentence_index)
        # The timeline follows a moment later, once the event loop has painted the card and
        # the article and served what else was waiting: its repaint (tens of ms at 50,000
        # cards) comes apart from theirs, so the window is never held up by all three at once.
        QTimer.singleShot(
            REVEAL_TIMELINE_MS, self, lambda: self._reveal_timeline(card.id, card.event_ids)
        )

    def _reveal_timeline(self, card_id: str, event_ids: tuple[str, ...]) -> None:
        current = self._review.current_card()
        if current is None or current.id != card_id or not self._review.answer_shown():
            return  # the next question is up already: the timeline stays as it is for it
        self._veils[1].lift()
        if event_ids:
            self._timeline.select_event(event_ids[0])

    def _on_finished(self) -> None:
        self.update()
