"""The flashcard review pane: question, answer, four ratings, the card's commands, and "done".

It works from the keyboard alone, with Anki's keys: Space or Enter shows the answer (and on
the answer side rates Good), 1-4 rate, and the keys of keys.REVIEW_ACTIONS act on the card
(commands.py; Ctrl+Z, the window's undo, takes any change back). Its changes run through
Operations, and it follows changes made elsewhere through on_changes(). It says when a
question or an answer is up (questionShown, answerShown, finished), so the window can keep
the answer out of sight until it is asked for. Its buttons never take focus, so a key press
always reaches the pane and acts once.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.study.queue_values import Preview, QueueCounts, StudyNext
from studyapp.ui.review.card_view import AnswerBar, CardView, DoneView, make_rule
from studyapp.ui.review.commands import ReviewCommands
from studyapp.ui.review.keys import REVIEW_ACTIONS, TYPED_KEYS
from studyapp.ui.review.text import (
    RATING_NAMES,
    ReviewColours,
    card_face,
    clock_text,
    escape_text,
    next_due_text,
    summary_text,
)
from studyapp.ui.review.top_bar import TopBar

if TYPE_CHECKING:  # the collection's values load behind the first paint (collection/starting.py)
    from studyapp.collection import AnswerChanges, Changes, Collection
    from studyapp.study.queue_values import StudyCard
    from studyapp.ui.operations import Operations

DONE_POLL_MS = 30_000  # while done, look again for cards that have become due
CLOCK_BEHIND = (
    "Your computer's clock reads earlier than your last answer, so this answer was saved at "
    "{time}, just after it."
)
_ENTER_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
_RATING_KEYS = {Qt.Key.Key_1: 1, Qt.Key.Key_2: 2, Qt.Key.Key_3: 3, Qt.Key.Key_4: 4}
_SHIFTED = {
    Qt.Key.Key_At: "suspend",
    Qt.Key.Key_Exclam: "suspend_siblings",
    Qt.Key.Key_Asterisk: "toggle_mark",
}
# Shift is allowed because some layouts (AZERTY) need it for digits.
_PLAIN = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


class ReviewPane(ReviewCommands, QWidget):
    """Study the due cards one at a time."""

    sourceRequested = Signal(object)  # the current StudyCard
    questionShown = Signal(object)  # a StudyCard's question side is up
    answerShown = Signal(object)  # its answer side is up
    finished = Signal()  # nothing to study for now
    countsShown = Signal(object)  # the QueueCounts shown in the top bar

    def __init__(
        self,
        operations: Operations,
        parent: QWidget | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """monotonic (seconds) times each answer."""
        super().__init__(parent)
        self.setObjectName("reviewPane")
        self.setAccessibleName("Flashcard review")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._operations = operations
        self._collection: Collection = operations.collection
        self._monotonic = monotonic
        self._card: StudyCard | None = None
        self._counts = QueueCounts(0, 0, 0)
        self._answer_shown = False
        self._previews: dict[int, Preview] = {}
        self._question_shown_at = monotonic()
        self._notice = ""
        self._colours = ReviewColours.from_palette(self.palette())

        self._build_actions()
        top_bar = TopBar(self, self.source_action)
        top_bar.more_menu.addActions(list(self.card_actions.values())[1:])
        top_bar.more_menu.addSeparator()
        top_bar.more_menu.addActions([self.study_more_action, self.settings_action])
        self.top_bar = top_bar
        self.count_labels = top_bar.count_labels
        self.source_button = top_bar.source_button
        self.card_view = CardView(self)
        self.done_view = DoneView(self)
        self.done_view.settings_button.clicked.connect(self.settings_action.trigger)
        self.done_view.unbury_button.clicked.connect(self.unbury_all)
        self.done_view.more_button.clicked.connect(self.study_more)
        self._pages = QStackedWidget(self)
        self._pages.setObjectName("reviewPages")
        self._pages.addWidget(self.card_view)
        self._pages.addWidget(self.done_view)
        self.answer_bar = AnswerBar(self)
        self.answer_bar.showAnswerClicked.connect(self.show_answer)
        self.answer_bar.ratingClicked.connect(self.answer)
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("reviewNotice")
        self.notice_label.setAccessibleName("Last action")
        self.notice_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice_label.setWordWrap(True)
        self.notice_label.setAutoFillBackground(True)
        self.notice_label.setBackgroundRole(QPalette.ColorRole.Base)
        self.notice_label.setContentsMargins(12, 8, 12, 0)
        self.notice_label.hide()
        self._bottom_rule = make_rule(self, "reviewBottomRule")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(top_bar)
        layout.addWidget(make_rule(self, "reviewTopRule"))
        layout.addWidget(self.notice_label)
        layout.addWidget(self._pages, 1)
        layout.addWidget(self._bottom_rule)
        layout.addWidget(self.answer_bar)

        self._done_timer = QTimer(self)
        self._done_timer.setInterval(DONE_POLL_MS)
        self._done_timer.timeout.connect(self._look_again)
        self._answer_timer = QTimer(self)
        self._answer_timer.setInterval(1000)
        self._answer_timer.timeout.connect(self._show_time)
        self.refresh()
        # The pane's minimum size is fixed at what it needs without a notice: a notice line
        # coming and going must not move the splitters (the article would lay its whole text
        # out again for a change of one pixel: 80-100 ms at 50,000 cards).
        self.setMinimumSize(self.minimumSizeHint())
        self._ready = True

    # -- building ----------------------------------------------------------------------------

    def _build_actions(self) -> None:
        """The card's actions, from the one table the shortcuts dialog lists too."""
        self.card_actions: dict[str, QAction] = {}
        for entry in REVIEW_ACTIONS:
            action = QAction(entry.text, self)
            action.setObjectName(f"{entry.name}Action")
            action.setShortcuts([QKeySequence(key) for key in entry.keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            if entry.tip:
                action.setToolTip(f"{entry.tip} ({', '.join(entry.keys)})")
            slot: Callable[[], None] = getattr(self, entry.name)
            action.triggered.connect(lambda _checked=False, run=slot: run())
            self.addAction(action)
            self.card_actions[entry.name] = action
        self.source_action = self.card_actions["request_source"]
        self.suspend_action = self.card_actions["suspend"]
        self.bury_action = self.card_actions["bury"]
        self.settings_action = QAction("Study Settings…", self)
        self.settings_action.triggered.connect(self.edit_settings)
        self.addAction(self.settings_action)
        self.study_more_action = QAction("Study More…", self)
        self.study_more_action.triggered.connect(self.study_more)
        self.addAction(self.study_more_action)

    def key_help(self) -> list[tuple[str, str]]:
        """(keys, what) for every key of this pane: the typed keys, then each action's."""
        rows = list(TYPED_KEYS)
        for action in self.card_actions.values():
            keys = ", ".join(
                key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()
            )
            rows.append((keys, action.text()))
        return rows

    # -- public API --------------------------------------------------------------------------

    @property
    def operations(self) -> Operations:
        """Where this pane's changes run (and are announced from)."""
        return self._operations

    @property
    def colours(self) -> ReviewColours:
        """The colours the pane draws with, derived from its palette."""
        return self._colours

    def current_card(self) -> StudyCard | None:
        return self._card

    def answer_shown(self) -> bool:
        return self._answer_shown

    def refresh(self) -> None:
        """Reload the counts and the card to study; the side shown stays if the card does."""
        upcoming = self._collection.study_next()
        card = upcoming.card
        if card is None or self._card is None or card.id != self._card.id:
            self._present(upcoming)
            return
        self._card = card
        self._counts = upcoming.counts
        if self._answer_shown:  # settings may have changed the intervals
            self._previews = {p.rating: p for p in self._collection.previews(card.id)}
        self._render()

    def show_answer(self) -> None:
        if self._card is None or self._answer_shown:
            return
        try:
            previews = self._collection.previews(self._card.id)
        except KeyError:  # the card left the collection under us
            self.refresh()
            return
        self._previews = {preview.rating: preview for preview in previews}
        self._answer_shown = True
        self._render()
        self.answerShown.emit(self._card)

    def answer(self, rating: int) -> None:
        """Rate the current card 1 (Again) to 4 (Easy); ignored until the answer is shown."""
        if rating not in RATING_NAMES:
            raise ValueError(f"rating must be 1 to 4, not {rating}")
        if self._card is None or not self._answer_shown:
            return
        card_id = self._card.id
        milliseconds = max(0, round((self._monotonic() - self._question_shown_at) * 1000))
        from studyapp.collection.changes import AnswerChanges

        changes = self._run(lambda c: c.answer(card_id, rating, milliseconds, with_next=True))
        if isinstance(changes, AnswerChanges):
            notice = answer_notice(changes, self._collection.tz)
            if changes.upcoming is not None:  # read in the answer's own transaction
                self._present(changes.upcoming, notice)
            else:
                self._move_on(notice)
        # else the answer side stays up: the user was told why, and can try again

    def _widget(self) -> QWidget:
        return self

    def _source_requested(self, card: StudyCard) -> None:
        self.sourceRequested.emit(card)

    def on_changes(self, changes: Changes, initiator: object) -> None:
        """The collection changed: follow it unless this pane made the change and redrew."""
        if initiator is self:
            return
        current = self._card.id if self._card is not None else None
        if changes.study_queue or current in changes.card_ids:
            self.refresh()
        shown = self._card.id if self._card is not None else None
        # An undo is announced over the card it brought back or changed, not over any card.
        if changes.label.startswith("Undo ") and shown is not None and shown in changes.card_ids:
            self._show_notice(f"{changes.label.removeprefix('Undo ')} undone.")

    def _run(self, operation: Callable[[Collection], Changes | None]) -> Changes | None:
        """Run an operation on the collection; None if it was not done (the user was told)."""
        try:
            return self._operations.run(operation, parent=self, initiator=self)
        except KeyError:  # the card left the collection under us
            self.refresh()
            return None

    # -- showing -----------------------------------------------------------------------------

    def _move_on(self, notice: str) -> None:
        self._present(self._collection.study_next(), notice)

    def _present(self, upcoming: StudyNext, notice: str = "") -> None:
        """Show this card's question side (restarting its timer), or the done view; `notice`
        says what the last key did."""
        card = upcoming.card
        self._card = card
        self._counts = upcoming.counts
        self._answer_shown = False
        self._previews = {}
        self._question_shown_at = self._monotonic()
        self._show_notice(notice)
        self.card_view.scroll_to_top()
        self._render()
        if card is None:
            self.finished.emit()
        else:
            self.questionShown.emit(card)

    def _show_notice(self, text: str) -> None:
        """A quiet line over the card saying what the last key did ("Card suspended.")."""
        self._notice = text
        quiet = self._colours.quiet
        html = f'<span style="color:{quiet}">{escape_text(text)}</span>'
        if html != self.notice_label.text():  # an unchanged label is not laid out again
            self.notice_label.setText(html)
        self.notice_label.setVisible(bool(text))

    def _render(self) -> None:
        self._render_counts()
        self._update_actions()
        self._render_marks()
        card = self._card
        if card is None:
            self._answer_timer.stop()
            self.top_bar.timer_label.clear()
            self._render_done()
            return
        self._done_timer.stop()
        self._show_time()
        if not self._answer_timer.isActive():
            self._answer_timer.start()
        self._pages.setCurrentWidget(self.card_view)
        self.answer_bar.show()
        self._bottom_rule.show()
        quiet = self._colours.quiet
        face = card_face(card, self._answer_shown, self._colours.emphasis)
        self.card_view.show_face(face, self._answer_shown, quiet)
        if self._answer_shown:
            intervals = {rating: preview.label for rating, preview in self._previews.items()}
            self.answer_bar.show_answer_side(intervals, quiet)
        else:
            self.answer_bar.show_question_side()

    def _render_counts(self) -> None:
        counts = self._counts  # read with the card it goes with
        current = self._card.queue if self._card is not None else None
        numbers = {"new": counts.new, "learning": counts.learning, "review": counts.review}
        self.top_bar.show_counts(numbers, current, self._colours.queues)
        self.countsShown.emit(counts)

    def _render_done(self) -> None:
        self._pages.setCurrentWidget(self.done_view)
        self.answer_bar.hide()
        self._bottom_rule.hide()
        collection = self._collection
        settings = collection.settings
        done = collection.done_screen()
        status = done.status
        limits = (
            f"Daily limits: {settings.new_per_day} new cards, {settings.reviews_per_day} reviews."
        )
        studied = collection.study_article
        if studied is not None:  # the other articles may have cards waiting
            title = next((a.title for a in collection.articles() if a.id == studied), studied)
            limits += f" Studying “{title}” only: Study > Study All Articles takes in the others."
        self.done_view.show_texts(
            next_due_text(done.next_due, collection.clock(), collection.tz),
            f"Today: {summary_text(done.today)}",
            limits,
            f"Buried until tomorrow: {status.buried} · Suspended: {status.suspended}",
            self._colours.quiet,
        )
        self.done_view.unbury_button.setEnabled(status.buried > 0)
        if not self._done_timer.isActive():
            self._done_timer.start()

    def _render_marks(self) -> None:
        card = self._card
        flag, marked = (card.flag, card.marked) if card is not None else (0, False)
        self.top_bar.show_marks(flag, marked)

    def _show_time(self) -> None:
        self.top_bar.show_time(int(self._monotonic() - self._question_shown_at))

    def _update_actions(self) -> None:
        has_card = self._card is not None
        for action in self.card_actions.values():
            action.setEnabled(has_card)

    def _look_again(self) -> None:
        """While done: show a card as soon as one is due, else keep the wording current."""
        if self._card is None:
            self._present(self._collection.study_next())

    # -- Qt events ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        plain = not (event.modifiers() & ~_PLAIN)
        if plain and key in _ENTER_KEYS and self._card is not None:
            if not event.isAutoRepeat():  # holding Space must not run through the cards
                if self._answer_shown:
                    self.answer(3)  # Anki: on the answer side Space/Enter means Good
                else:
                    self.show_answer()
            event.accept()
        elif plain and key in _RATING_KEYS:
            if self._answer_shown and not event.isAutoRepeat():
                self.answer(_RATING_KEYS[key])
            event.accept()
        elif plain and key in _SHIFTED:
            # "@", "!" and "*" are shifted digits on many layouts; where the key mapper does
            # not match them to the action's shortcut, the press arrives here (never both).
            self.card_actions[_SHIFTED[key]].trigger()
            event.accept()
        elif plain and key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.card_view.scroll_pages(1 if key == Qt.Key.Key_PageDown else -1)
            event.accept()
        else:
            super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "_ready", False):
            # Colours are baked into the HTML, so a new palette (dark mode) means a new render.
            self._colours = ReviewColours.from_palette(self.palette())
            self._show_notice(self._notice)
            self._render()


def answer_notice(changes: AnswerChanges, tz: dt.tzinfo | None) -> str:
    """What an answer did beyond the obvious: a clock gone back, siblings set aside."""
    parts = []
    if changes.clock_behind:
        local = changes.answered_at.astimezone(tz) if tz else changes.answered_at.astimezone()
        parts.append(CLOCK_BEHIND.format(time=clock_text(local)))
    buried = len(changes.siblings_buried)
    if buried:
        cards, wait = ("card", "waits") if buried == 1 else ("cards", "wait")
        parts.append(f"{buried} other {cards} of the sentence just answered {wait} for tomorrow.")
    return " ".join(parts)
