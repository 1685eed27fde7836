"""The review queue's statements on SQLAlchemy, each built once with bound parameters
(SQLAlchemy caches their compiled form): an answer's reads and writes of one card. The reads
the first screen shows too (the next card, the counts, today's limits, the card's columns and
events) are SQL text in study/queue_reads.py, run on both paths.

The rules themselves (which cards are active) come from storage/cards.py; only the moment they
are asked about is a parameter here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Integer, String, bindparam, exists, func, select

from studyapp.storage import models
from studyapp.storage.cards import CardState, active
from studyapp.storage.engine import core_rows
from studyapp.storage.models import UTCDateTime
from studyapp.study.queue_reads import scheduling
from studyapp.study.queue_values import StudyCard as StudyCard  # its home, free of SQLAlchemy

Card = models.Card
NOW = bindparam("now", type_=UTCDateTime())
CARD_ID = bindparam("card_id", type_=String())
ARTICLE = bindparam("article", type_=String())

CARD_NUMBER = select(Card.number).where(Card.id == CARD_ID).scalar_subquery()
REVIEW_NUMBER = select(func.count()).where(models.ReviewLog.card_number == CARD_NUMBER)
LATEST_ANSWER = select(func.max(models.ReviewLog.reviewed_at))
# The id and the one column burying changes: the caller's undo journal keeps that column as
# it was (whole rows cost more than the rest of the answer at 50,000 cards, dozens a sentence).
SIBLINGS = (
    select(Card.id, Card.buried_until)
    .where(
        Card.passage_id == bindparam("passage_id", type_=String()),
        Card.sentence_index == bindparam("sentence_index", type_=Integer()),
        Card.id != CARD_ID,
        active(NOW),
        Card.state.in_(bindparam("states", expanding=True)),
    )
    .order_by(Card.position)
)


ARTICLE_HIDDEN = select(
    exists().where(
        models.Article.id == ARTICLE,
        models.Pack.id == models.Article.pack_id,
        models.Pack.hidden.is_(True),
    )
)


def article_hidden(connection: Connection, article_id: str) -> bool:
    """Whether the article's pack was removed (or, the built-in one, hidden)."""
    return bool(connection.execute(ARTICLE_HIDDEN, {"article": article_id}).scalar())


def scheduling_of(connection: Connection, card_id: str) -> Mapping[str, Any]:
    """A card's scheduling columns and where it is in study (queue_reads.SCHEDULING);
    KeyError if there is none."""
    row = scheduling(core_rows(connection), card_id)
    if row is None:
        raise KeyError(f"no card with id {card_id!r}")
    return row


def state_from(row: Mapping[Any, Any]) -> CardState:
    return CardState(
        row["state"],
        row["step"],
        row["stability"],
        row["difficulty"],
        row["due"],
        row["last_review"],
    )


def is_active_row(row: Mapping[Any, Any], now: dt.datetime) -> bool:
    """storage.cards.active(now), for a row SCHEDULING read."""
    buried = row["buried_until"]
    return (
        bool(row["shown"])
        and not row["retired"]
        and row["deleted_at"] is None
        and not row["suspended"]
        and not (buried is not None and buried > now)
    )


def review_number(connection: Connection, card_id: str) -> int:
    """How many answers the card has had (its next answer's fuzz seed counts them)."""
    return int(connection.execute(REVIEW_NUMBER, {"card_id": card_id}).scalar_one())


def due_of(state: CardState) -> dt.datetime:
    if state.due is None:
        raise ValueError("a studied card always has a due time")
    return state.due
