"""Read models for the panes: plain frozen values built from the database, no live ORM rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import ColumnClause, Integer, Select, func, literal_column, select
from sqlalchemy.orm import Session

from studyapp.content import model as content
from studyapp.content.dates import HistoricalDate
from studyapp.storage import models
from studyapp.storage.cards import hidden_articles, studied


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


def sentence_positions(
    session: Session, passage_ids: Collection[str]
) -> dict[str, tuple[str, int]]:
    """passage id -> (its article id, its place in the article's reading order)."""
    rows = session.execute(
        select(models.Passage.id, models.Section.article_id, models.Passage.position)
        .join(models.Section, models.Section.id == models.Passage.section_id)
        .where(models.Passage.id.in_(list(passage_ids)))
    )
    return {str(pid): (str(article_id), int(position)) for pid, article_id, position in rows}


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


def _shown_articles() -> Select[str, str, str, bool, str, str, str]:
    """Articles of packs not removed (or hidden): the built-in pack's first, then by install."""
    article = models.Article
    return (
        select(
            article.id,
            article.title,
            models.Pack.id,
            models.Pack.builtin,
            article.source,
            article.licence,
            article.attribution,
        )
        .join(models.Pack, models.Pack.id == article.pack_id)
        .where(models.Pack.hidden.is_(False))
        .order_by(models.Pack.builtin.desc(), models.Pack.installed_at, article.id)
    )


def shown_articles(session: Session) -> list[ArticleEntry]:
    return [
        ArticleEntry(str(id_), str(title), str(pack_id), bool(builtin), source, licence, credit)
        for id_, title, pack_id, builtin, source, licence, credit in session.execute(
            _shown_articles()
        )
    ]


def first_article_id(session: Session) -> str | None:
    """The article shown by default: the built-in pack's, else the first installed."""
    row = session.execute(_shown_articles().limit(1)).first()
    return None if row is None else str(row[0])


def load_article_view(session: Session, article_id: str | None = None) -> ArticleView:
    article_id = article_id or first_article_id(session)
    article_row = session.get(models.Article, article_id) if article_id else None
    if article_row is None:
        raise LookupError("the database holds no article" if article_id is None else article_id)
    section_rows = session.scalars(
        select(models.Section)
        .where(models.Section.article_id == article_row.id)
        .order_by(models.Section.position)
    ).all()
    passages_by_section: dict[str, list[content.Passage]] = defaultdict(list)
    for passage_row in session.scalars(
        select(models.Passage)
        .where(models.Passage.section_id.in_([row.id for row in section_rows]))
        .order_by(models.Passage.position)
    ):
        passages_by_section[passage_row.section_id].append(
            content.Passage(passage_row.id, passage_row.text)
        )
    sections = [
        content.Section(
            row.id, row.heading, row.editorial_heading, tuple(passages_by_section[row.id])
        )
        for row in section_rows
    ]
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
    events_by_sentence: dict[tuple[str, int], list[str]] = defaultdict(list)
    event_rows = session.connection().execute(
        select(models.Event.id, models.Event.passage_id, models.Event.sentence_index)
        .where(models.Event.article_id == article_row.id, models.Event.retired.is_(False))
        .order_by(models.Event.start_day, models.Event.id)
    )
    for event_id, passage_id, sentence_index in event_rows:
        if passage_id is not None and sentence_index is not None:
            events_by_sentence[(passage_id, sentence_index)].append(event_id)
    counts = passage_card_counts(session, article_row.id)
    return ArticleView(article, counts, dict(events_by_sentence))


# The cards' row ids, to leave out the (few) cards not studied by the index alone.
_CARD_ROWID: ColumnClause[int] = literal_column("cards.rowid", Integer)


def passage_card_counts(session: Session, article_id: str) -> dict[str, int]:
    """Studied cards per passage of one article, in one GROUP BY."""
    passages = (
        select(models.Passage.id)
        .join(models.Section, models.Section.id == models.Passage.section_id)
        .where(models.Section.article_id == article_id)
    )
    # Counted off the (passage, sentence) index, less the cards not studied (found on the
    # browser's covering index), rather than `studied()` read from every card's row: no
    # table read per card (160 ms -> 50 ms at 50,000 cards).
    not_studied = select(_CARD_ROWID).select_from(models.Card).where(~studied())
    rows = (
        session.connection()
        .execute(
            select(models.Card.passage_id, func.count())
            .where(models.Card.passage_id.in_(passages), _CARD_ROWID.not_in(not_studied))
            .group_by(models.Card.passage_id)
        )
        .all()
    )
    return {str(passage_id): int(number) for passage_id, number in rows}


def passage_cards(session: Session, passage_id: str) -> list[CardSummary]:
    """A passage's studied cards in reading order (what its badge counts)."""
    rows = session.execute(
        select(models.Card.id, models.Card.front, models.Card.sentence_index)
        .where(models.Card.passage_id == passage_id, studied())
        .order_by(models.Card.position, models.Card.id)
    )
    return [
        CardSummary(card_id, front, passage_id, sentence_index)
        for card_id, front, sentence_index in rows
    ]


def event_card_counts(session: Session) -> dict[str, int]:
    """Studied cards about each event."""
    # NOT IN the (few) cards not studied, rather than a join: one pass over card_events,
    # not a card lookup per link (140 ms -> 35 ms at 37,000 links).
    not_studied = select(models.Card.id).where(~studied())
    return {
        str(event_id): int(number)
        for event_id, number in session.connection()
        .execute(
            select(models.CardEvent.event_id, func.count())
            .where(models.CardEvent.card_id.not_in(not_studied))
            .group_by(models.CardEvent.event_id)
        )
        .all()
    }


def load_timeline(
    session: Session, article_id: str | None = None, event_ids: Collection[str] | None = None
) -> list[TimelineItem]:
    """The events and periods of one article (None: of every article shown; or only these
    events) in date order, with how many studied cards are about each."""
    card_counts = event_card_counts(session)
    event = models.Event
    query = (
        select(
            event.id,
            event.kind,
            event.start,
            event.end,
            event.date_text,
            event.title,
            event.description,
            event.passage_id,
            event.sentence_index,
            event.quote,
            event.article_id,
        )
        .where(event.retired.is_(False), event.article_id.not_in(hidden_articles()))
        .order_by(event.start_day, event.id)
    )
    if article_id is not None:
        query = query.where(event.article_id == article_id)
    if event_ids is not None:
        query = query.where(event.id.in_(list(event_ids)))
    rows = session.connection().execute(query).all()  # one fetch, not one a row
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
            open_end=kind == "period" and end is None,
            article_id=event_article,
        )
        for (
            event_id,
            kind,
            start,
            end,
            date_text,
            title,
            description,
            passage_id,
            sentence_index,
            quote,
            event_article,
        ) in rows
    ]


@lru_cache(maxsize=32768)  # a timeline of 10,000 events has about 7,500 distinct dates
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


def card_links(session: Session, card_id: str) -> CardLinks | None:
    row = session.get(models.Card, card_id)
    if row is None:
        return None
    return CardLinks(row.id, row.passage_id, row.sentence_index, card_event_ids(session, card_id))


def card_event_ids(session: Session, card_id: str) -> tuple[str, ...]:
    """The events a card is about, in date order."""
    return tuple(
        session.scalars(
            select(models.CardEvent.event_id)
            .join(models.Event, models.Event.id == models.CardEvent.event_id)
            .where(models.CardEvent.card_id == card_id, models.Event.retired.is_(False))
            .order_by(models.Event.start_day, models.Event.id)
        )
    )
