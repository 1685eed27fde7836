"""Reads of single cards for the browser, the editor and card info: plain frozen values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.storage import models
from studyapp.storage.cards import card_number, in_collection, is_buried, state_of
from studyapp.storage.queries import card_event_ids
from studyapp.study.queue_values import DaySummary
from studyapp.study.scheduling import decay_of, retrievability


@dataclass(frozen=True)
class StatusCounts:
    buried: int  # now, until the next study day (or unburied)
    suspended: int


@dataclass(frozen=True)
class DoneScreen:
    """What the reviewer says when nothing is left for now."""

    next_due: dt.datetime | None  # when a card comes (None: none ever will)
    today: DaySummary
    status: StatusCounts


def status_counts(session: Session, now: dt.datetime) -> StatusCounts:
    buried = session.scalar(
        select(func.count()).where(is_buried(now), models.Card.suspended.is_(False))
    )
    suspended = session.scalar(
        select(func.count()).where(in_collection(), models.Card.suspended.is_(True))
    )
    return StatusCounts(buried or 0, suspended or 0)


@dataclass(frozen=True)
class ReviewEntry:
    """One answer of a card, as Card Info lists it."""

    reviewed_at: dt.datetime
    rating: int
    duration_ms: int
    state_before: int
    due_after: dt.datetime
    stability_after: float | None
    difficulty_after: float | None

    @property
    def interval(self) -> dt.timedelta:
        return self.due_after - self.reviewed_at


@dataclass(frozen=True)
class CardInfo:
    id: str
    kind: str
    front: str
    back: str
    cloze: str | None
    quote: str
    passage_id: str | None
    sentence_index: int | None
    article_id: str | None
    pack_id: str | None  # None: the learner's own card
    event_ids: tuple[str, ...]
    state: int
    due: dt.datetime | None
    stability: float | None
    difficulty: float | None
    reviews: int
    suspended: bool
    buried: bool  # buried at the time of reading
    flag: int
    tags: tuple[str, ...]
    edited: bool  # a pack card showing the learner's text
    retired: bool
    deleted: bool
    last_review: dt.datetime | None
    retrievability: float | None  # the chance of recall at the time of reading
    decay: float  # the forgetting curve's decay in use: the learner's fitted one, or FSRS's

    @property
    def mine(self) -> bool:
        return self.pack_id is None

    @property
    def marked(self) -> bool:
        return "marked" in self.tags


def card_info(
    session: Session, card_id: str, now: dt.datetime, parameters: tuple[float, ...] = ()
) -> CardInfo:
    row = session.get(models.Card, card_id)
    if row is None:
        raise KeyError(f"no card with id {card_id!r}")
    tags = tuple(
        session.scalars(
            select(models.CardTag.tag)
            .where(models.CardTag.card_id == card_id)
            .order_by(models.CardTag.tag)
        )
    )
    reviews = session.scalar(select(func.count()).where(models.ReviewLog.card_number == row.number))
    return CardInfo(
        id=row.id,
        kind=row.kind,
        front=row.front,
        back=row.back,
        cloze=row.cloze,
        quote=row.quote,
        passage_id=row.passage_id,
        sentence_index=row.sentence_index,
        article_id=row.article_id,
        pack_id=row.pack_id,
        event_ids=card_event_ids(session, card_id),
        state=row.state,
        due=row.due,
        stability=row.stability,
        difficulty=row.difficulty,
        reviews=reviews or 0,
        suspended=row.suspended,
        buried=row.buried_until is not None and row.buried_until > now,
        flag=row.flag,
        tags=tags,
        edited=row.original_front is not None,
        retired=row.retired,
        deleted=row.deleted_at is not None,
        last_review=row.last_review,
        retrievability=retrievability(state_of(row), now, parameters),
        decay=decay_of(parameters),
    )


def review_history(session: Session, card_id: str) -> list[ReviewEntry]:
    log = models.ReviewLog
    rows = session.execute(
        select(
            log.reviewed_at,
            log.rating,
            log.duration_ms,
            log.state_before,
            log.due_after,
            log.stability_after,
            log.difficulty_after,
        )
        .where(log.card_number == card_number(card_id))
        .order_by(log.reviewed_at)
    )
    return [ReviewEntry(*row) for row in rows]
