"""The review queue's statements, each built once with bound parameters (SQLAlchemy caches
their compiled form): the hot path of every answer runs them, so none is rebuilt per call.

The rules themselves (which cards are active, due, new) come from storage/cards.py; only the
moment they are asked about is a parameter here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Integer, String, bindparam, exists, func, select
from sqlalchemy.orm import aliased

from studyapp.storage import models
from studyapp.storage.cards import LEARNING_STATES, MARKED, CardState, active, in_shown_article
from studyapp.storage.models import UTCDateTime

Card = models.Card
NOW = bindparam("now", type_=UTCDateTime())
UNTIL = bindparam("until", type_=UTCDateTime())
DAY_START = bindparam("day_start", type_=UTCDateTime())
DAY_END = bindparam("day_end", type_=UTCDateTime())
CARD_ID = bindparam("card_id", type_=String())


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


ARTICLE = bindparam("article", type_=String())
# Learning cards due by :until (a card buried at :now stays hidden even if due).
LEARNING_DUE = (
    select(Card.id)
    .where(active(NOW), Card.state.in_(LEARNING_STATES), Card.due <= UNTIL)
    .order_by(Card.due, Card.position)
)
# Review cards due in the study day (buried ones from its start stay hidden).
REVIEWS_DUE = (
    select(Card.id)
    .where(active(DAY_START), Card.state == models.STATE_REVIEW, Card.due < DAY_END)
    .order_by(Card.due, Card.position)
)
# In reading order. A new card has no due time (CardState.new()), so (due, position) is the
# order of position, and the one ix_cards_browse keeps them in after (retired, deleted_at):
# SQLite walks it in order and stops at the first active new card, where ordering by
# position alone sorted every card first (13-22 ms at 50,000 cards, against 0.02 ms).
NEW_CARDS = (
    select(Card.id)
    .where(active(NOW), Card.state == models.STATE_NEW)
    .order_by(Card.due, Card.position)
)


@dataclass(frozen=True)
class QueueStatements:
    """The queue's statements for one scope: every article, or the one studied alone (its
    id the :article parameter). Both are built once."""

    first_learning: Any
    first_review: Any
    first_new: Any
    counts: Any


def _counted(query: Any, limit: str | None, *order: Any) -> Any:
    ids = query.order_by(None).order_by(*order)
    if limit is not None:
        ids = ids.limit(bindparam(limit, type_=Integer()))
    return select(func.count()).select_from(ids.subquery()).scalar_subquery()


def _statements(scoped: bool) -> QueueStatements:
    queries = [LEARNING_DUE, REVIEWS_DUE, NEW_CARDS]
    if scoped:
        queries = [query.where(Card.article_id == ARTICLE) for query in queries]
    learning, reviews, new = queries
    # The three counts at once: learning due by :until, reviews and new cards up to what
    # today's limits leave (:reviews_left, :new_left).
    counts = select(
        # Ordered as ix_cards_state_due is: SQLite then counts off that index (the learning
        # cards, 0.06 ms at 50,000 cards) instead of walking every card due before :until in
        # ix_cards_browse (1.2-1.5 ms).
        _counted(learning, None, Card.state, Card.due),
        _counted(reviews, "reviews_left"),
        _counted(new, "new_left"),
    )
    return QueueStatements(_first_learning(learning), reviews.limit(1), new.limit(1), counts)


def _first_learning(learning: Any) -> Any:
    """The learning card due first (ties in reading order), found through ix_cards_state_due.

    Left to itself SQLite walks ix_cards_browse in due order, past every card due before
    :until, to find the first learning one: 2-10 ms at 50,000 cards when none is due yet (most
    answers), where the learning cards alone take 0.2 ms. Ordered by (state, due) with a LIMIT
    (so it is not merged into the outer query), the inner query reads them off that index.
    """
    due_learning = (
        learning.add_columns(Card.due, Card.position)
        .order_by(None)
        .order_by(Card.state, Card.due)
        .limit(-1)  # no limit: only to keep the subquery apart
        .subquery()
    )
    return select(due_learning.c.id).order_by(due_learning.c.due, due_learning.c.position).limit(1)


EVERY_ARTICLE = _statements(scoped=False)
ONE_ARTICLE = _statements(scoped=True)
DONE_TODAY = (
    select(models.ReviewLog.state_before, func.count())
    # The study day's own answers: never ones from "the future" (a clock gone back must not
    # leave today's limits used up).
    .where(models.ReviewLog.reviewed_at >= DAY_START, models.ReviewLog.reviewed_at < DAY_END)
    .group_by(models.ReviewLog.state_before)
)
SCHEDULING = select(
    Card.number,
    Card.state,
    Card.step,
    Card.stability,
    Card.difficulty,
    Card.due,
    Card.last_review,
    Card.retired,
    Card.deleted_at,
    Card.suspended,
    Card.buried_until,
    Card.passage_id,
    Card.sentence_index,
    Card.article_id,
    in_shown_article().label("shown"),
).where(Card.id == CARD_ID)
SHOWN = select(
    Card.id,
    Card.kind,
    Card.front,
    Card.back,
    Card.cloze,
    Card.quote,
    Card.passage_id,
    Card.sentence_index,
    Card.state,
    Card.flag,
    Card.article_id,
    exists().where(models.CardTag.card_id == Card.id, models.CardTag.tag == MARKED).label("marked"),
).where(Card.id == CARD_ID)
_EVENT, _CARD, _LINK = models.Event, models.Card, models.CardEvent
_LINKED_EVENT = aliased(models.Event)
_LINKED = select(_LINK.event_id).where(_LINK.card_id == CARD_ID)
_SAME_SENTENCE = (_EVENT.passage_id == _CARD.passage_id) & (
    _EVENT.sentence_index == _CARD.sentence_index
)
# The events a card is about, for Show Source and its answer: those it is linked to, or, a
# card linked to none, the events quoting its sentence; the event of its own sentence first,
# and a point (the day it states) before a period.
EVENTS = (
    select(_EVENT.id)
    .join(_CARD, _CARD.id == CARD_ID)
    .where(
        _EVENT.retired.is_(False),
        _EVENT.id.in_(_LINKED)
        | (
            ~exists(
                select(_LINK.event_id)
                .join(_LINKED_EVENT, _LINKED_EVENT.id == _LINK.event_id)
                .where(_LINK.card_id == CARD_ID, _LINKED_EVENT.retired.is_(False))
            )
            & _SAME_SENTENCE
        ),
    )
    .order_by(_SAME_SENTENCE.desc(), (_EVENT.kind == "period"), _EVENT.start_day, _EVENT.id)
)
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


def scheduling_of(connection: Connection, card_id: str) -> Mapping[Any, Any]:
    """A card's scheduling columns and where it is in study; KeyError if there is none."""
    row = connection.execute(SCHEDULING, {"card_id": card_id}).mappings().first()
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


def study_card(connection: Connection, card_id: str) -> StudyCard | None:
    row = connection.execute(SHOWN, {"card_id": card_id}).first()
    if row is None:
        return None
    events = tuple(connection.execute(EVENTS, {"card_id": card_id}).scalars())
    queue = {models.STATE_NEW: "new", models.STATE_REVIEW: "review"}.get(row.state, "learning")
    return StudyCard(
        row.id,
        row.kind,
        row.front,
        row.back,
        row.cloze,
        row.quote,
        row.passage_id,
        row.sentence_index,
        events,
        queue,
        row.flag,
        bool(row.marked),
        row.article_id,
    )


def due_of(state: CardState) -> dt.datetime:
    if state.due is None:
        raise ValueError("a studied card always has a due time")
    return state.due
