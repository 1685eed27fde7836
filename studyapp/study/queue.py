"""Queries behind the review queue, and moving card state between rows and values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from studyapp.storage import models
from studyapp.storage.cards import LEARNING_STATES, MARKED, CardState, active
from studyapp.storage.queries import card_event_ids
from studyapp.study.day import StudyDay
from studyapp.study.scope import in_scope


@dataclass(frozen=True)
class StudyCard:
    id: str
    kind: str
    front: str
    back: str
    cloze: str | None
    quote: str
    passage_id: str | None
    sentence_index: int | None
    event_ids: tuple[str, ...]
    queue: str  # "new", "learning" or "review"
    flag: int = 0  # 0 none, 1-4 red, orange, green, blue
    marked: bool = False
    article_id: str | None = None  # the article its sentence is in (None: no source)


def learning_due(
    until: dt.datetime, now: dt.datetime, article_id: str | None = None
) -> Select[models.Card]:
    """Learning cards due by `until`; a card buried at `now` stays hidden even if due. With
    an article, only that article's cards (the learner studies it alone)."""
    return (
        select(models.Card)
        .where(active(now), models.Card.state.in_(LEARNING_STATES), models.Card.due <= until)
        .where(in_scope(article_id))
        .order_by(models.Card.due, models.Card.position)
    )


def reviews_due(day: StudyDay, article_id: str | None = None) -> Select[models.Card]:
    return (
        select(models.Card)
        .where(
            active(day.start),
            models.Card.state == models.STATE_REVIEW,
            models.Card.due < day.end,
        )
        .where(in_scope(article_id))
        .order_by(models.Card.due, models.Card.position)
    )


def new_cards(now: dt.datetime, article_id: str | None = None) -> Select[models.Card]:
    return (
        select(models.Card)
        .where(active(now), models.Card.state == models.STATE_NEW, in_scope(article_id))
        .order_by(models.Card.position)
    )


def count(session: Session, query: Select[models.Card], limit: int | None) -> int:
    """How many cards the query yields, counting no further than the limit."""
    ids = query.with_only_columns(models.Card.id).order_by(None)
    if limit is not None:
        ids = ids.limit(limit)
    return session.scalar(select(func.count()).select_from(ids.subquery())) or 0


def get(session: Session, card_id: str) -> models.Card:
    card = session.get(models.Card, card_id)
    if card is None:
        raise KeyError(f"no card with id {card_id!r}")
    return card


def review_count(session: Session, card_id: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(models.ReviewLog)
            .where(models.ReviewLog.card_id == card_id)
        )
        or 0
    )


def due_of(state: CardState) -> dt.datetime:
    if state.due is None:
        raise ValueError("a studied card always has a due time")
    return state.due


def study_card(session: Session, card: models.Card) -> StudyCard:
    event_ids = card_event_ids(session, card.id)
    queue = {models.STATE_NEW: "new", models.STATE_REVIEW: "review"}.get(card.state, "learning")
    marked = session.get(models.CardTag, (card.id, MARKED)) is not None
    return StudyCard(
        card.id,
        card.kind,
        card.front,
        card.back,
        card.cloze,
        card.quote,
        card.passage_id,
        card.sentence_index,
        event_ids,
        queue,
        card.flag,
        marked,
        card.article_id,
    )
