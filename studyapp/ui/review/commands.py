"""What the review pane's keys and buttons do to the card on screen: source, edit, info,
mark, flags, suspend and bury (with siblings), unbury, Study More, settings.

A mixin of ReviewPane (it uses the pane's card, its operations and its redraws), kept apart so
each file stays small; every change runs through Operations, so it is undoable and announced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from studyapp.content.text import split_sentences
from studyapp.ui.review.keys import FLAG_NAMES, FLAGS

if TYPE_CHECKING:  # the dialogs are imported when first opened, not at start-up
    from studyapp.collection import Changes, Collection
    from studyapp.study.queue_values import StudyCard
    from studyapp.ui.review.study_more_dialog import Target

SOURCE_LATER = "The source holds the answer: press Space first, then S."
PREVIEW_CHARS = 60


class ReviewCommands:
    """The pane's commands; ReviewPane provides the attributes below."""

    _card: StudyCard | None
    _answer_shown: bool
    _collection: Collection

    def _run(self, operation: Callable[[Collection], Changes | None]) -> Changes | None:
        raise NotImplementedError

    def _move_on(self, notice: str) -> None:
        raise NotImplementedError

    def _show_notice(self, text: str) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        raise NotImplementedError

    def _widget(self) -> QWidget:
        raise NotImplementedError

    def _source_requested(self, card: StudyCard) -> None:
        raise NotImplementedError

    # -- the card on screen --------------------------------------------------------------------

    def request_source(self) -> None:
        """S: the card's sentence and event, but only once the answer is up."""
        if self._card is None:
            return
        if not self._answer_shown:
            self._show_notice(SOURCE_LATER)
            return
        self._source_requested(self._card)

    def edit_card(self) -> None:
        if self._card is None:
            return
        from studyapp.ui.review.edit_dialog import CardEditDialog

        card_id = self._card.id
        text = CardEditDialog.edit(self._widget(), self._collection.card(card_id))
        if text is not None and self._run(lambda c: c.edit_card(card_id, text)):
            self.refresh()
            self._show_notice("Card edited.")

    def show_info(self) -> None:
        if self._card is None:
            return
        from studyapp.ui.review.info_dialog import CardInfoDialog

        collection = self._collection
        CardInfoDialog.show_for(
            self._widget(),
            collection.card(self._card.id),
            collection.card_history(self._card.id),
            collection.clock(),
            collection.tz,
        )

    def toggle_mark(self) -> None:
        if self._card is not None:
            card_id, marked = self._card.id, not self._card.marked
            if self._run(lambda c: c.set_marked(marked, card_id)):
                self.refresh()
                self._show_notice("Card marked." if marked else "Card unmarked.")

    def _flag(self, name: str) -> None:
        if self._card is not None:
            card_id, flag = self._card.id, FLAGS[name]
            if self._run(lambda c: c.set_flag(flag, card_id)):
                self.refresh()
                self._show_notice(f"{FLAG_NAMES[flag]} flag set." if flag else "Flag cleared.")

    def flag_red(self) -> None:
        self._flag("flag_red")

    def flag_orange(self) -> None:
        self._flag("flag_orange")

    def flag_green(self) -> None:
        self._flag("flag_green")

    def flag_blue(self) -> None:
        self._flag("flag_blue")

    def flag_clear(self) -> None:
        self._flag("flag_clear")

    def suspend(self) -> None:
        self._set_aside(suspend=True, siblings=False)

    def suspend_siblings(self) -> None:
        self._set_aside(suspend=True, siblings=True)

    def bury(self) -> None:
        self._set_aside(suspend=False, siblings=False)

    def bury_siblings(self) -> None:
        self._set_aside(suspend=False, siblings=True)

    def _set_aside(self, *, suspend: bool, siblings: bool) -> None:
        if self._card is None:
            return
        ids = [self._card.id]
        if siblings:
            ids += self._collection.siblings(self._card.id)

        def operation(collection: Collection) -> Changes:
            return collection.suspend(*ids) if suspend else collection.bury(*ids)

        if self._run(operation):
            verb = "suspended" if suspend else "buried until tomorrow"
            what = "Card" if len(ids) == 1 else f"Card and {len(ids) - 1} siblings"
            if siblings and len(ids) == 1:
                what = "Card (it has no siblings)"
            self._move_on(f"{what} {verb}.")

    # -- the done screen -----------------------------------------------------------------------

    def unbury_all(self) -> None:
        if self._run(lambda c: c.unbury_all()):
            self._move_on("Buried cards are back.")

    def study_more(self) -> None:
        from studyapp.ui.review.study_more_dialog import ExtraNew, StudyMoreDialog, Target

        collection = self._collection
        events = [
            Target(item.id, f"{item.date_text}: {item.title}") for item in collection.timeline()
        ]
        choice = StudyMoreDialog.choose(self._widget(), paragraph_targets(collection), events)
        if choice is None:
            return
        if isinstance(choice, ExtraNew):
            count = choice.count
            if self._run(lambda c: c.add_new_today(count)):
                self._move_on(f"{count} more new cards today.")
            return
        found = collection.start_custom_study(choice)
        if found:
            self._move_on(f"Studying {choice.describe()}: {found} cards.")
        else:
            self._show_notice(f"No cards to study ({choice.describe()}).")

    def edit_settings(self) -> None:
        from studyapp.ui.fsrs_section import FsrsTools
        from studyapp.ui.study_settings_dialog import StudySettingsDialog

        current = self._collection.settings
        collection = self._collection
        tools = FsrsTools(collection.optimize_parameters, collection.workload)
        chosen = StudySettingsDialog.edit(self._widget(), current, tools)
        if chosen is None or chosen == current:
            return
        if self._run(lambda c: c.update_settings(chosen)):
            self.refresh()


def paragraph_targets(collection: Collection) -> list[Target]:
    """Each paragraph that has cards, named by its section and first words."""
    from studyapp.ui.review.study_more_dialog import Target

    view = collection.article_view()
    targets = []
    for section in view.article.sections:
        for number, passage in enumerate(section.passages, start=1):
            if view.card_count(passage.id):
                sentences = split_sentences(passage.text)
                opening = sentences[0].text if sentences else passage.text
                if len(opening) > PREVIEW_CHARS:
                    opening = opening[:PREVIEW_CHARS].rsplit(" ", 1)[0] + "…"
                label = f"{section.heading} ¶{number}: {opening}"
                targets.append(Target(passage.id, label))
    return targets
