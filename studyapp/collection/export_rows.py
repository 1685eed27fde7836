"""What an export reads: the chosen cards with their article, section, tags and counts, and
their review log, as plain frozen values streamed from SQL (a 50,000-card collection with
500,000 answers is read without building ORM objects)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    func,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

from studyapp.storage import models
from studyapp.storage.cards import MARKED, in_collection
from studyapp.storage.models import STATE_REVIEW
from studyapp.storage.times import from_microseconds, to_microseconds

ARTICLE_PREFIX = "article:"


class SelectionError(ValueError):
    """A card selection that names nothing: its message says what is accepted."""


@dataclass(frozen=True)
class CardSelection:
    """Which cards an export takes: every card, the learner's own, or one article's."""

    what: str = "all"  # "all", "mine" or "article"
    article_id: str | None = None

    @classmethod
    def parse(cls, text: str) -> CardSelection:
        """`all`, `mine` or `article:ID` (the command line's --what)."""
        if text in ("all", "mine"):
            return cls(text)
        if text.startswith(ARTICLE_PREFIX) and text[len(ARTICLE_PREFIX) :]:
            return cls("article", text[len(ARTICLE_PREFIX) :])
        raise SelectionError(f"{text!r} is not a selection: use all, mine or article:ID")

    def __str__(self) -> str:
        return f"{ARTICLE_PREFIX}{self.article_id}" if self.what == "article" else self.what

    def where(self) -> ColumnElement[bool]:
        chosen = in_collection()
        if self.what == "mine":
            return chosen & models.Card.pack_id.is_(None)
        if self.what == "article":
            return chosen & (models.Card.article_id == self.article_id)
        return chosen


@dataclass(frozen=True, slots=True)
class ExportCard:
    """One card as an export writes it."""

    id: str
    kind: str
    front: str
    back: str
    cloze: str | None
    quote: str  # the cited sentence ("" for a card without a source)
    position: int  # reading order
    article_id: str | None  # None: a card of no article
    article_title: str | None
    section_heading: str | None  # None: no source sentence (or its passage is gone)
    pack_id: str | None  # None: the learner's own card
    edited: bool  # a pack card showing the learner's text
    flag: int
    tags: tuple[str, ...]
    suspended: bool
    buried: bool  # buried at the time of reading
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: dt.datetime | None
    last_review: dt.datetime | None
    reps: int  # answers in the review log
    lapses: int  # answers Again to a card in review
    modified_at: dt.datetime | None

    @property
    def mine(self) -> bool:
        return self.pack_id is None

    @property
    def marked(self) -> bool:
        return MARKED in self.tags


class ExportReview(NamedTuple):
    """One answer in the review log, with the card's state before and after it.

    Times are microseconds since 1970 (UTC), as stored, and the row is a named tuple: an
    export reads half a million of these, and datetimes or dataclasses would double that.
    """

    card_id: str
    reviewed_at_us: int
    rating: int
    duration_ms: int
    state_before: int
    due_before_us: int | None
    last_review_before_us: int | None
    state_after: int
    due_after_us: int
    difficulty_after: float | None

    @property
    def reviewed_at(self) -> dt.datetime:
        return from_microseconds(self.reviewed_at_us)


def export_size(session: Session, selection: CardSelection) -> ExportSize:
    log, card = models.ReviewLog, models.Card
    cards = session.scalar(select(func.count()).select_from(card).where(selection.where()))
    reviews, first = session.execute(
        select(func.count(), func.min(log.reviewed_at))
        # IN, not a join: the card_number index answers it (a third of the time).
        .where(log.card_number.in_(select(card.number).where(selection.where())))
    ).one()
    return ExportSize(cards or 0, reviews or 0, first)


@dataclass(frozen=True)
class ExportSize:
    cards: int
    reviews: int  # answers in the selected cards' review log
    first_review: dt.datetime | None  # the oldest of those answers


def article_exists(session: Session, article_id: str) -> bool:
    return session.get(models.Article, article_id) is not None


def export_card_cells(session: Session, selection: CardSelection) -> ExportCells:
    """The chosen cards in reading order as rows of cells (ExportCells), read at once."""
    tags = _tags(session, selection)
    rows = list(_cursor_rows(session, _cards_query(selection)))
    return ExportCells(rows, tags)


@dataclass(frozen=True)
class ExportCells:
    """The chosen cards as the rows of one query: ExportCard's fields in its order, times as
    stored microseconds (buried_until in place of buried), then the card's first answer's
    time (None if none); `tags` by card id. For an export of 50,000 cards that builds
    rows of its own: no object per card, and the counts come with them."""

    rows: list[tuple[Any, ...]]
    tags: dict[str, tuple[str, ...]]

    def size(self) -> ExportSize:
        first = min(
            (row[FIRST_ANSWER] for row in self.rows if row[FIRST_ANSWER] is not None), default=None
        )
        reviews = sum(row[REPS] for row in self.rows)
        return ExportSize(
            len(self.rows), reviews, None if first is None else from_microseconds(first)
        )


REPS, FIRST_ANSWER = 21, 24  # ExportCells' columns: answers, and the first one's time


def _cards_query(selection: CardSelection) -> ClauseElement:
    card, passage, section, article, log = (
        models.Card,
        models.Passage,
        models.Section,
        models.Article,
        models.ReviewLog,
    )
    stored = partial(type_coerce, type_=Integer)  # a time's stored microseconds, unconverted
    counts = (
        select(
            log.card_number.label("card_number"),
            func.count().label("reps"),
            func.sum(
                case((and_(log.rating == 1, log.state_before == STATE_REVIEW), 1), else_=0)
            ).label("lapses"),
            func.min(stored(log.reviewed_at)).label("first_answer"),
        )
        # Every answer is read: in one pass over the log (kept in time order), grouped in a
        # sort; the unary + keeps SQLite from walking the card index and looking each answer
        # up instead (three times slower at 500,000).
        .group_by(literal_column("+review_log.card_number"))
        .subquery()
    )
    return (
        select(
            card.id,
            card.kind,
            card.front,
            card.back,
            card.cloze,
            card.quote,
            card.position,
            card.article_id,
            article.title,
            section.heading,
            card.pack_id,
            card.original_front.is_not(None),
            card.flag,
            card.suspended,
            stored(card.buried_until),
            card.state,
            card.step,
            card.stability,
            card.difficulty,
            stored(card.due),
            stored(card.last_review),
            func.coalesce(counts.c.reps, 0),
            func.coalesce(counts.c.lapses, 0),
            stored(func.coalesce(card.modified_at, card.created_at)),
            counts.c.first_answer,
        )
        .outerjoin(article, article.id == card.article_id)
        .outerjoin(passage, passage.id == card.passage_id)
        .outerjoin(section, section.id == passage.section_id)
        .outerjoin(counts, counts.c.card_number == card.number)
        .where(selection.where())
        .order_by(card.position, card.id)
    )


def export_cards(
    session: Session, selection: CardSelection, now: dt.datetime
) -> Iterator[ExportCard]:
    """The chosen cards in reading order."""
    tags = _tags(session, selection)
    now_us = to_microseconds(now)
    time = from_microseconds
    for cells in _cursor_rows(session, _cards_query(selection)):
        card_id, kind, front, back, cloze, quote, position, article_id, title, heading = cells[:10]
        (pack_id, edited, flag, suspended, buried_until, state, step) = cells[10:17]
        (stability, difficulty, due, last_review, reps, lapses, modified, _) = cells[17:]
        yield ExportCard(
            id=card_id,
            kind=kind,
            front=front,
            back=back,
            cloze=cloze,
            quote=quote,
            position=position,
            article_id=article_id,
            article_title=title,
            section_heading=heading,
            pack_id=pack_id,
            edited=bool(edited),
            flag=flag,
            tags=tags.get(card_id, ()),
            suspended=bool(suspended),
            buried=buried_until is not None and buried_until > now_us,
            state=state,
            step=step,
            stability=stability,
            difficulty=difficulty,
            due=None if due is None else time(due),
            last_review=None if last_review is None else time(last_review),
            reps=reps,
            lapses=lapses,
            modified_at=None if modified is None else time(modified),
        )


def export_reviews(session: Session, selection: CardSelection) -> Iterator[ExportReview]:
    """The chosen cards' answers, card by card (in the order of their integer keys: the
    order they were added in), each card's oldest first."""
    log, card = models.ReviewLog, models.Card
    query = (
        select(
            card.id,
            type_coerce(log.reviewed_at, Integer),  # the stored microseconds, unconverted
            log.rating,
            log.duration_ms,
            log.state_before,
            type_coerce(log.due_before, Integer),
            type_coerce(log.last_review_before, Integer),
            log.state_after,
            type_coerce(log.due_after, Integer),
            log.difficulty_after,
        )
        # IN, then a join for the card's id: SQLite walks the card_number index (whose entries
        # end in the answer's time) in order; no sort of 500,000 answers, as ordering by the
        # card's text id would need.
        .select_from(log)
        .join(card, card.number == log.card_number)
        .where(log.card_number.in_(select(card.number).where(selection.where())))
        .order_by(log.card_number, log.reviewed_at)
    )
    yield from map(ExportReview._make, _cursor_rows(session, query))


def _cursor_rows(session: Session, query: ClauseElement) -> Iterator[tuple[Any, ...]]:
    """The query's rows straight from SQLite's cursor, streamed: neither the ORM (which would
    fetch them all first) nor SQLAlchemy's row objects (a second per 500,000 rows)."""
    connection = session.connection()
    compiled = cast(SQLCompiler, query.compile(dialect=connection.dialect))
    parameters = [compiled.params[name] for name in compiled.positiontup or ()]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        yield from cursor.execute(str(compiled), parameters)
    finally:
        cursor.close()


def _tags(session: Session, selection: CardSelection) -> dict[str, tuple[str, ...]]:
    tag, card = models.CardTag, models.Card
    rows = session.execute(
        select(tag.card_id, tag.tag)
        .join(card, card.id == tag.card_id)
        .where(selection.where())
        .order_by(tag.card_id, tag.tag)
    )
    found: dict[str, list[str]] = defaultdict(list)
    for card_id, name in rows:
        found[card_id].append(name)
    return {card_id: tuple(names) for card_id, names in found.items()}
