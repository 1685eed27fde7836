"""The values the panes show (article list, article, timeline, a card's links): plain frozen
dataclasses, importable with no SQLAlchemy, so the first screen's reader and the Qt panes can
use them before it loads. Built by storage/pane_reads.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from studyapp.content import model as content
from studyapp.content.dates import HistoricalDate


@dataclass(frozen=True)
class TimelineItem:
    """One event or period as the timeline shows it."""

    id: str
    start: HistoricalDate
    end: HistoricalDate | None  # None for a point event
    date_text: str  # the date as the article gives it
    title: str
    description: str
    passage_id: str | None  # None when the source passage is missing
    sentence_index: int | None
    quote: str
    card_count: int
    open_end: bool = False  # a period whose end the source does not state (end is None)
    article_id: str = ""  # the article (and pack) the event comes from

    @property
    def is_period(self) -> bool:
        return self.end is not None or self.open_end


@dataclass(frozen=True)
class CardSummary:
    """A card as the article pane lists it."""

    id: str
    front: str
    passage_id: str | None
    sentence_index: int | None


@dataclass(frozen=True)
class ArticleView:
    """The article with what links it to the cards and the timeline."""

    article: content.Article
    # passage id -> how many studied cards it has (suspended, retired and deleted ones not)
    card_counts: dict[str, int] = field(default_factory=dict)
    # (passage id, sentence index) -> ids of the events that sentence is the source of
    events_by_sentence: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    def card_count(self, passage_id: str) -> int:
        return self.card_counts.get(passage_id, 0)


@dataclass(frozen=True)
class ArticleEntry:
    """An article the learner can open, with the pack it comes from and how to credit it."""

    id: str
    title: str
    pack_id: str
    builtin: bool
    source: str
    licence: str
    attribution: str


@dataclass(frozen=True)
class CardLinks:
    """Where a card comes from: its sentence and the events it is about."""

    card_id: str
    passage_id: str | None
    sentence_index: int | None
    event_ids: tuple[str, ...]
