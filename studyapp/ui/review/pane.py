"""The flashcard review pane: question, answer, four ratings, suspend, bury, and "done".

It works from the keyboard alone, as Anki does: Space or Enter shows the answer (and on the
answer side rates Good), 1-4 rate, S shows the source, @ suspends, - buries (Ctrl+Z, the
window's undo, takes any of them back). Its changes run through Operations, and it follows
changes made elsewhere through on_changes().
Its buttons never take focus, so a key press always reaches the pane and acts once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.collection import Changes
from studyapp.study.queue import StudyCard
from studyapp.study.review import LEARN_AHEAD, Preview
from studyapp.ui.operations import Operations
from studyapp.ui.review.card_view import AnswerBar, CardView, DoneView, make_rule, name_button
from studyapp.ui.review.text import (
    RATING_NAMES,
    ReviewColours,
    card_face,
    escape_text,
    next_due_text,
    summary_text,
)
from studyapp.ui.study_settings_dialog import StudySettingsDialog

DONE_POLL_MS = 30_000  # while done, look again for cards that have become due
QUEUE_NAMES = {"new": "New", "learning": "Learning", "review": "Due"}
QUEUE_TIPS = {
    "new": "New cards left to learn today",
    "learning": f"Cards in learning, due within {LEARN_AHEAD.seconds // 60} minutes",
    "review": "Review cards due today",
}
_ENTER_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
_RATING_KEYS = {Qt.Key.Key_1: 1, Qt.Key.Key_2: 2, Qt.Key.Key_3: 3, Qt.Key.Key_4: 4}
# Shift is allowed because some layouts (AZERTY) need it for digits.
_PLAIN = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


class ReviewPane(QWidget):
    """Study the due cards one at a time."""

    sourceRequested = Signal(object)  # the current StudyCard

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
        self._collection = operations.collection
        self._monotonic = monotonic
        self._card: StudyCard | None = None
        self._answer_shown = False
        self._previews: dict[int, Preview] = {}
        self._question_shown_at = monotonic()
        self._notice = ""
        self._colours = ReviewColours.from_palette(self.palette())

        self._build_actions()
        top_bar = self._build_top_bar()
        self.card_view = CardView(self)
        self.done_view = DoneView(self)
        self.done_view.settings_button.clicked.connect(self.settings_action.trigger)
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
        self.refresh()
        self._ready = True

    # -- building ----------------------------------------------------------------------------

    def _action(self, text: str, shortcut: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.suspend_action = self._action("Suspend Card", "@", self.suspend)
        self.bury_action = self._action("Bury Card Until Tomorrow", "-", self.bury)
        self.source_action = self._action("Show Source", "S", self.request_source)
        self.source_action.setToolTip(
            "Show this card's sentence in the article and its event on the timeline (S)"
        )
        self.settings_action = QAction("Study Settings…", self)
        self.settings_action.triggered.connect(self.edit_settings)
        self.addAction(self.settings_action)

    def _build_top_bar(self) -> QWidget:
        bar = QWidget(self)
        bar.setObjectName("reviewTopBar")
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.setSpacing(6)
        self.count_labels: dict[str, QLabel] = {}
        for index, queue in enumerate(QUEUE_NAMES):
            if index:
                layout.addWidget(QLabel("·", bar))
            label = QLabel(bar)
            label.setObjectName(f"{queue}Count")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setToolTip(QUEUE_TIPS[queue])
            self.count_labels[queue] = label
            layout.addWidget(label)
        layout.addStretch(1)
        self.source_button = QToolButton(bar)
        self.source_button.setDefaultAction(self.source_action)
        self.source_button.setAutoRaise(True)
        name_button(self.source_button, "sourceButton", "Show source", "Show source (S)")
        layout.addWidget(self.source_button)
        self.more_menu = QMenu("More", self)
        self.more_menu.setObjectName("reviewMoreMenu")
        self.more_menu.addActions([self.suspend_action, self.bury_action])
        self.more_menu.addSeparator()
        self.more_menu.addAction(self.settings_action)
        self.more_button = QToolButton(bar)
        self.more_button.setText("More")
        self.more_button.setMenu(self.more_menu)
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setAutoRaise(True)
        name_button(self.more_button, "moreButton", "More actions", "Suspend, bury, settings")
        layout.addWidget(self.more_button)
        return bar

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
        card = self._collection.next_card()
        if card is None or self._card is None or card.id != self._card.id:
            self._present(card)
            return
        self._card = card
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

    def answer(self, rating: int) -> None:
        """Rate the current card 1 (Again) to 4 (Easy); ignored until the answer is shown."""
        if rating not in RATING_NAMES:
            raise ValueError(f"rating must be 1 to 4, not {rating}")
        if self._card is None or not self._answer_shown:
            return
        card_id = self._card.id
        milliseconds = max(0, round((self._monotonic() - self._question_shown_at) * 1000))
        if self._run(lambda c: c.answer(card_id, rating, milliseconds)):
            self._move_on("")
        # else the answer side stays up: the user was told why, and can try again

    def suspend(self) -> None:
        if self._card is not None:
            card_id = self._card.id
            if self._run(lambda c: c.suspend(card_id)):
                self._move_on("Card suspended.")

    def bury(self) -> None:
        if self._card is not None:
            card_id = self._card.id
            if self._run(lambda c: c.bury(card_id)):
                self._move_on("Card buried until tomorrow.")

    def request_source(self) -> None:
        if self._card is not None:
            self.sourceRequested.emit(self._card)

    def edit_settings(self) -> None:
        current = self._collection.settings
        chosen = StudySettingsDialog.edit(self, current)
        if chosen is None or chosen == current:
            return
        if self._run(lambda c: c.update_settings(chosen)):
            self.refresh()

    def on_changes(self, changes: Changes, initiator: object) -> None:
        """The collection changed: follow it unless this pane made the change and redrew."""
        if initiator is self:
            return
        current = self._card.id if self._card is not None else None
        if changes.study_queue or current in changes.card_ids:
            self.refresh()
        if changes.label.startswith("Undo "):
            self._show_notice(f"{changes.label.removeprefix('Undo ')} undone.")

    def _run(self, operation: Callable[..., Changes]) -> bool:
        """Run an operation on the collection; False if it was not done (the user was told)."""
        try:
            return self._operations.run(operation, parent=self, initiator=self) is not None
        except KeyError:  # the card left the collection under us
            self.refresh()
            return False

    # -- showing -----------------------------------------------------------------------------

    def _move_on(self, notice: str) -> None:
        self._present(self._collection.next_card())
        self._show_notice(notice)

    def _present(self, card: StudyCard | None) -> None:
        """Show this card's question side (restarting its timer), or the done view."""
        self._card = card
        self._answer_shown = False
        self._previews = {}
        self._question_shown_at = self._monotonic()
        self._show_notice("")
        self.card_view.scroll_to_top()
        self._render()

    def _show_notice(self, text: str) -> None:
        """A quiet line over the card saying what the last key did ("Card suspended.")."""
        self._notice = text
        quiet = self._colours.quiet
        self.notice_label.setText(f'<span style="color:{quiet}">{escape_text(text)}</span>')
        self.notice_label.setVisible(bool(text))

    def _render(self) -> None:
        self._render_counts()
        self._update_actions()
        card = self._card
        if card is None:
            self._render_done()
            return
        self._done_timer.stop()
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
        counts = self._collection.counts()
        current = self._card.queue if self._card is not None else None
        numbers = {"new": counts.new, "learning": counts.learning, "review": counts.review}
        for queue, number in numbers.items():
            # As in Anki, the current card's queue is underlined; the word says which is which.
            style = f"color:{self._colours.queues[queue]};"
            if queue == current:
                style += "text-decoration:underline;"
            label = self.count_labels[queue]
            label.setText(f'{QUEUE_NAMES[queue]} <b style="{style}">{number}</b>')
            label.setAccessibleName(f"{QUEUE_NAMES[queue]}: {number}")

    def _render_done(self) -> None:
        self._pages.setCurrentWidget(self.done_view)
        self.answer_bar.hide()
        self._bottom_rule.hide()
        collection = self._collection
        settings = collection.settings
        self.done_view.show_texts(
            next_due_text(collection.next_due(), collection.clock(), collection.tz),
            f"Today: {summary_text(collection.today())}",
            f"Daily limits: {settings.new_per_day} new cards, {settings.reviews_per_day} reviews.",
            self._colours.quiet,
        )
        if not self._done_timer.isActive():
            self._done_timer.start()

    def _update_actions(self) -> None:
        has_card = self._card is not None
        for action in (self.suspend_action, self.bury_action, self.source_action):
            action.setEnabled(has_card)

    def _look_again(self) -> None:
        """While done: show a card as soon as one is due, else keep the wording current."""
        if self._card is None:
            self._present(self._collection.next_card())

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
        elif plain and key == Qt.Key.Key_At:
            # "@" is Shift+2 on many layouts; where the key mapper does not match that to the
            # action's shortcut, the key press arrives here instead (never both).
            self.suspend_action.trigger()
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
