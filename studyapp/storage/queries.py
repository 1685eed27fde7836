"""Read models for the panes: plain frozen values built from the database, no live ORM rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from studyapp.content import model as content
from studyapp.content.dates import HistoricalDate
from studyapp.storage import models


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

    @property
    def is_period(self) -> bool:
        return self.end is not None


@dataclass(frozen=True)
class CardSummary:
    """A card as the article pane lists it."""

    id: str
    front: str
    passage_id: str | None
    sentence_index: int | None


class PassageCards(Mapping[str, Sequence[CardSummary]]):
    """Each passage's cards: counts known at once, a passage's list read when first asked for
    (a large collection has tens of thousands of cards; the article shows only counts)."""

    def __init__(self, sessions: sessionmaker[Session], counts: dict[str, int]) -> None:
        self._sessions = sessions
        self._counts = counts
        self._loaded: dict[str, list[CardSummary]] = {}

    def count(self, passage_id: str) -> int:
        return self._counts.get(passage_id, 0)

    def __getitem__(self, passage_id: str) -> list[CardSummary]:
        if passage_id not in self._counts:
            raise KeyError(passage_id)
        if passage_id not in self._loaded:
            with self._sessions() as session:
                rows = session.execute(
                    select(models.Card.id, models.Card.front, models.Card.sentence_index)
                    .where(models.Card.passage_id == passage_id, models.Card.retired.is_(False))
                    .order_by(models.Card.position)
                )
                self._loaded[passage_id] = [
                    CardSummary(card_id, front, passage_id, sentence_index)
                    for card_id, front, sentence_index in rows
                ]
        return self._loaded[passage_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


@dataclass(frozen=True)
class ArticleView:
    """The article with what links it to the cards and the timeline."""

    article: content.Article
    cards_by_passage: Mapping[str, Sequence[CardSummary]] = field(default_factory=dict)
    # (passage id, sentence index) -> ids of the events that sentence is the source of
    events_by_sentence: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    def card_count(self, passage_id: str) -> int:
        cards = self.cards_by_passage
        if isinstance(cards, PassageCards):
            return cards.count(passage_id)
        return len(cards.get(passage_id, ()))


def load_article_view(sessions: sessionmaker[Session]) -> ArticleView:
    with sessions() as session:
        article_row = session.scalars(select(models.Article)).first()
        if article_row is None:
            raise LookupError("the database holds no article")
        sections = []
        section_rows = session.scalars(
            select(models.Section)
            .where(models.Section.article_id == article_row.id)
            .order_by(models.Section.position)
        ).all()
        passages_by_section: dict[str, list[content.Passage]] = defaultdict(list)
        for passage_row in session.scalars(
            select(models.Passage).order_by(models.Passage.position)
        ):
            passages_by_section[passage_row.section_id].append(
                content.Passage(passage_row.id, passage_row.text)
            )
        for row in section_rows:
            sections.append(
                content.Section(
                    row.id, row.heading, row.editorial_heading, tuple(passages_by_section[row.id])
                )
            )
        references = tuple(
            content.Reference(row.number, row.text)
            for row in session.scalars(
                select(models.Reference)
                .where(models.Reference.article_id == article_row.id)
                .order_by(models.Reference.number)
            )
        )
        article = content.Article(
            id=article_row.id,
            title=article_row.title,
            title_lt=article_row.title_lt,
            source=article_row.source,
            licence=article_row.licence,
            attribution=article_row.attribution,
            sections=tuple(sections),
            references=references,
        )
        counts = session.execute(
            select(models.Card.passage_id, func.count())
            .where(models.Card.retired.is_(False), models.Card.passage_id.is_not(None))
            .group_by(models.Card.passage_id)
        ).all()
        cards_by_passage = PassageCards(sessions, {str(pid): int(n) for pid, n in counts})
        events_by_sentence: dict[tuple[str, int], list[str]] = defaultdict(list)
        event_rows = session.execute(
            select(models.Event.id, models.Event.passage_id, models.Event.sentence_index).order_by(
                models.Event.start_day, models.Event.id
            )
        )
        for event_id, passage_id, sentence_index in event_rows:
            if passage_id is not None and sentence_index is not None:
                events_by_sentence[(passage_id, sentence_index)].append(event_id)
        return ArticleView(article, cards_by_passage, dict(events_by_sentence))


def load_timeline(sessions: sessionmaker[Session]) -> list[TimelineItem]:
    """Every event and period in date order, with how many active cards are about each."""
    with sessions() as session:
        # NOT IN the (few) retired cards, rather than a join: one pass over card_events,
        # not a card lookup per link (140 ms -> 35 ms at 37,000 links).
        retired = select(models.Card.id).where(models.Card.retired.is_(True))
        card_counts = dict(
            session.execute(
                select(models.CardEvent.event_id, func.count())
                .where(models.CardEvent.card_id.not_in(retired))
                .group_by(models.CardEvent.event_id)
            ).all()
        )
        event = models.Event
        rows = session.execute(
            select(
                event.id,
                event.start,
                event.end,
                event.date_text,
                event.title,
                event.description,
                event.passage_id,
                event.sentence_index,
                event.quote,
            ).order_by(event.start_day, event.id)
        )
        return [
            TimelineItem(
                id=event_id,
                start=_date(start),
                end=_date(end) if end is not None else None,
                date_text=date_text,
                title=title,
                description=description,
                passage_id=passage_id,
                sentence_index=sentence_index,
                quote=quote,
                card_count=card_counts.get(event_id, 0),
            )
            for (
                event_id,
                start,
                end,
                date_text,
                title,
                description,
                passage_id,
                sentence_index,
                quote,
            ) in rows
        ]


@lru_cache(maxsize=4096)
def _date(text: str) -> HistoricalDate:
    """Parsed once per distinct stored date (many events share a day)."""
    return HistoricalDate.parse(text)


@dataclass(frozen=True)
class CardLinks:
    """Where a card comes from: its sentence and the events it is about."""

    card_id: str
    passage_id: str | None
    sentence_index: int | None
    event_ids: tuple[str, ...]


def card_links(sessions: sessionmaker[Session], card_id: str) -> CardLinks | None:
    with sessions() as session:
        row = session.get(models.Card, card_id)
        if row is None:
            return None
        return CardLinks(
            row.id, row.passage_id, row.sentence_index, card_event_ids(session, card_id)
        )


def card_event_ids(session: Session, card_id: str) -> tuple[str, ...]:
    """The events a card is about, in date order."""
    return tuple(
        session.scalars(
            select(models.CardEvent.event_id)
            .join(models.Event, models.Event.id == models.CardEvent.event_id)
            .where(models.CardEvent.card_id == card_id)
            .order_by(models.Event.start_day, models.Event.id)
        )
    )
