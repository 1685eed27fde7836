"""The rules about card rows, each written once: which cards are studied, which are due, and
how a card's scheduling state maps to its columns and to the review log's before/after columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, false, select

from studyapp.storage import models
from studyapp.storage.card_states import MARKED as MARKED
from studyapp.storage.models import STATE_LEARNING, STATE_NEW, STATE_RELEARNING, STATE_REVIEW

LEARNING_STATES = (STATE_LEARNING, STATE_RELEARNING)
STUDIED_STATES = (STATE_LEARNING, STATE_REVIEW, STATE_RELEARNING)
FLAGS = {0: "no flag", 1: "red", 2: "orange", 3: "green", 4: "blue"}  # Anki's flag colours


@dataclass(frozen=True)
class CardState:
    """A card's scheduling state as the database keeps it (state 0 = never studied)."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: dt.datetime | None
    last_review: dt.datetime | None

    @classmethod
    def new(cls) -> CardState:
        return cls(STATE_NEW, None, None, None, None, None)


# -- which cards are studied -------------------------------------------------------------------


# The rules without a parameter are built once: composing a subquery costs more than running
# it (the queue asks for them several times per answer), and SQL expressions are immutable.


@cache
def hidden_articles() -> Select[str]:
    """The articles of the packs the learner removed (the built-in pack: hid)."""
    return (
        select(models.Article.id)
        .join(models.Pack, models.Pack.id == models.Article.pack_id)
        .where(models.Pack.hidden.is_(True))
    )


@cache
def in_shown_article() -> ColumnElement[bool]:
    """Cards whose article is shown: a removed pack takes its cards out of study, and the
    learner's cards on its article with them (a card without an article always stays)."""
    return models.Card.article_id.is_(None) | models.Card.article_id.not_in(hidden_articles())


@cache
def in_collection() -> ColumnElement[bool]:
    """Cards the learner has: not retired by their pack, not deleted, and not of a pack the
    learner removed (or hid)."""
    return models.Card.retired.is_(False) & models.Card.deleted_at.is_(None) & in_shown_article()


@cache
def studied() -> ColumnElement[bool]:
    """Cards the queue may show some day: in the collection and not suspended."""
    return in_collection() & models.Card.suspended.is_(False)


def active(now: dt.datetime | ColumnElement[dt.datetime]) -> ColumnElement[bool]:
    """Cards the queue may show now: studied, and not buried at `now`."""
    return studied() & (models.Card.buried_until.is_(None) | (models.Card.buried_until <= now))


def is_active(card: models.Card, now: dt.datetime, hidden: Collection[str] = ()) -> bool:
    """active(now) for a loaded row; `hidden` holds the ids of hidden_articles()."""
    return (
        not card.retired
        and card.deleted_at is None
        and card.article_id not in hidden
        and not card.suspended
        and not (card.buried_until is not None and card.buried_until > now)
    )


def due_now(now: dt.datetime) -> ColumnElement[bool]:
    """Studied cards (learning and review, not new) whose due time has come."""
    return (
        models.Card.state.in_(STUDIED_STATES)  # IN, not !=, so the (state, due) index serves it
        & (models.Card.due <= now)
        & active(now)
    )


def is_buried(now: dt.datetime) -> ColumnElement[bool]:
    return in_collection() & (models.Card.buried_until > now)


def siblings_of(card: models.Card) -> ColumnElement[bool]:
    """The other cards citing the same sentence as `card` (none if it cites none)."""
    if card.passage_id is None or card.sentence_index is None:
        return false()
    return (
        (models.Card.passage_id == card.passage_id)
        & (models.Card.sentence_index == card.sentence_index)
        & (models.Card.id != card.id)
    )


# -- memory ------------------------------------------------------------------------------------


def curve_factor(decay: float) -> float:
    """The forgetting curve's factor for a decay: it makes R 0.9 when t equals S."""
    return float(0.9 ** (-1 / decay) - 1)


def recall_probability(elapsed_days: float, stability: float, decay: float) -> float:
    """FSRS-6's forgetting curve: R = (1 + factor * t / S) ** -decay, so R is 0.9 at t = S.

    Statistics compute the same expression in SQL (study/card_stats.py RECALL), with the same
    factor, in the same order, through C's pow: the figures agree.
    """
    return float((1 + curve_factor(decay) * max(0.0, elapsed_days) / stability) ** -decay)


# -- state <-> columns -------------------------------------------------------------------------


def state_of(card: models.Card) -> CardState:
    return CardState(
        card.state, card.step, card.stability, card.difficulty, card.due, card.last_review
    )


def set_state(card: models.Card, state: CardState) -> None:
    card.state = state.state
    card.step = state.step
    card.stability = state.stability
    card.difficulty = state.difficulty
    card.due = state.due
    card.last_review = state.last_review


def state_columns(state: CardState) -> dict[str, Any]:
    """The cards table's scheduling columns for a state (for Core updates)."""
    return {
        "state": state.state,
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": state.due,
        "last_review": state.last_review,
    }


def card_number(card_id: str) -> ScalarSelect[int]:
    """The card's integer key (what the review log stores), as a subquery."""
    return select(models.Card.number).where(models.Card.id == card_id).scalar_subquery()


def review_log_values(
    card_number: int,
    rating: int,
    reviewed_at: dt.datetime,
    duration_ms: int,
    before: CardState,
    after: CardState,
) -> dict[str, Any]:
    """The review log's columns for one answer (models.ReviewLog): the state before it as the
    statistics read it, the state after it to replay. `card_number` is the card's integer key;
    `reviewed_at` must be later than every answer saved so far (it is the row's key)."""
    if after.due is None:
        raise ValueError("a studied card always has a due time")
    return {
        "card_number": card_number,
        "rating": rating,
        "reviewed_at": reviewed_at,
        "duration_ms": duration_ms,
        "state_before": before.state,
        "due_before": before.due,
        "last_review_before": before.last_review,
        "state_after": after.state,
        "step_after": after.step,
        "stability_after": after.stability,
        "difficulty_after": after.difficulty,
        "due_after": after.due,
    }


def review_log_row(
    card_number: int,
    rating: int,
    reviewed_at: dt.datetime,
    duration_ms: int,
    before: CardState,
    after: CardState,
) -> models.ReviewLog:
    """review_log_values as an ORM row."""
    return models.ReviewLog(
        **review_log_values(card_number, rating, reviewed_at, duration_ms, before, after)
    )
