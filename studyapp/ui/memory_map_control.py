"""The memory map's wiring: read the map from the collection and give it to the article and the
timeline; after an answer, read only the answered cards' sentences and events again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from studyapp.storage.errors import sqlalchemy_error

if TYPE_CHECKING:
    from studyapp.collection import Changes, Collection
    from studyapp.collection.statistics import MemoryMap
    from studyapp.ui.article import ArticlePane
    from studyapp.ui.timeline import TimelinePane

log = logging.getLogger(__name__)


class MemoryMapControl:
    """Holds the map shown while View > Memory Map is on; MainWindow calls it."""

    def __init__(
        self,
        collection: Collection,
        article: ArticlePane,
        timeline: TimelinePane,
        tell: Callable[[str], None],
    ) -> None:
        self._collection = collection
        self._article = article
        self._timeline = timeline
        self._tell = tell  # a message for the status bar
        self._memory: MemoryMap | None = None
        self.on = False

    def set_on(self, on: bool) -> None:
        self.on = on
        self.refresh()

    def on_changes(self, changes: Changes) -> None:
        if not self.on:
            return
        if changes.content or changes.card_status or changes.card_links or changes.settings:
            self.refresh()  # which cards a sentence has, or the forgetting curve, moved
        elif (changes.scheduling or changes.card_content) and changes.card_ids:
            self.refresh(changes.card_ids)  # these cards' sentences and events

    def refresh(self, card_ids: frozenset[str] | None = None) -> None:
        """Tint the article's sentences and the timeline's events by recall now, or clear;
        with card_ids, read only those cards' sentences and events again."""
        if not self.on:
            self._memory = None
            self._article.set_memory_map(None)
            self._timeline.set_memory_map(None)
            return
        article_id = self._article.article().id
        partial = None
        try:
            if card_ids is not None and self._memory is not None:
                partial = self._collection.memory_map(article_id, card_ids)
                memory = self._memory.updated(partial)
            else:
                memory = self._collection.memory_map(article_id)
        except sqlalchemy_error() as error:
            log.warning("could not read the memory map: %s", error)
            self._tell("The memory map could not be read.")
            return
        self._memory = memory
        sentences, events = (None, None) if partial is None else partial.touched()
        self._article.set_memory_map(memory.sentences, sentences)
        self._timeline.set_memory_map(memory.events, events)
