"""Read models for the panes on a SQLAlchemy session: plain frozen values, no live ORM rows.

The reads the first screen needs are written once, as SQL text, in storage/pane_reads.py (no
SQLAlchemy): the functions here of the same names run them on the session's connection, so
the main path and the first screen's reader run the same statements and build the same values.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.storage import models, pane_reads
from studyapp.storage.cards import studied
from studyapp.storage.engine import core_rows
from studyapp.storage.pane_values import (
    ArticleEntry,
    ArticleView,
    CardLinks,
    CardSummary,
    TimelineItem,
)

__all__ = [
    "ArticleEntry",
    "ArticleView",
    "CardLinks",
    "CardSummary",
    "TimelineItem",
    "card_event_ids",
    "card_links",
    "event_card_counts",
    "first_article_id",
    "load_article_view",
    "load_timeline",
    "passage_card_counts",
    "passage_cards",
    "sentence_positions",
    "shown_articles",
]


def shown_articles(session: Session) -> list[ArticleEntry]:
    """The articles the learner can open: the built-in pack's first, then by install."""
    return pane_reads.shown_articles(core_rows(session.connection()))


def first_article_id(session: Session) -> str | None:
    """The article shown by default: the built-in pack's, else the first installed."""
    return pane_reads.first_article_id(core_rows(session.connection()))


def load_article_view(session: Session, article_id: str | None = None) -> ArticleView:
    """The article (None: the default one) with its card counts and its events' sentences."""
    return pane_reads.load_article_view(core_rows(session.connection()), article_id)


def passage_card_counts(session: Session, article_id: str) -> dict[str, int]:
    """Studied cards per passage of one article, in one GROUP BY."""
    return pane_reads.passage_card_counts(core_rows(session.connection()), article_id)


def event_card_counts(session: Session) -> dict[str, int]:
    """Studied cards about each event."""
    return pane_reads.event_card_counts(core_rows(session.connection()))


def load_timeline(
    session: Session, article_id: str | None = None, event_ids: Collection[str] | None = None
) -> list[TimelineItem]:
    """The events and periods of one article (None: of every article shown; or only these
    events) in date order, with how many studied cards are about each."""
    return pane_reads.load_timeline(core_rows(session.connection()), article_id, event_ids)


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
