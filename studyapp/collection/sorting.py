"""What the browser sorts by, as SQL over the cards: each column's sort key, and the figures
a search or a sort computes per card (reviews, lapses, interval, FSRS's forgetting)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, func, select, type_coerce

from studyapp.collection.search_parser import SearchError
from studyapp.storage import models
from studyapp.storage.models import STATE_REVIEW
from studyapp.storage.search_index import folded
from studyapp.storage.times import to_microseconds

DAY_US = 86_400_000_000
SORT_KEYS = (
    "question",
    "answer",
    "kind",
    "source",
    "state",
    "due",
    "interval",
    "stability",
    "difficulty",
    "retrievability",
    "reviews",
    "lapses",
    "last_review",
    "flag",
    "origin",
)
Card, Log = models.Card, models.ReviewLog


def micros(column: Any) -> ColumnElement[int]:
    """A time column as its stored microseconds, for arithmetic."""
    return type_coerce(column, Integer)


def review_count() -> ColumnElement[int]:
    return (
        select(func.count()).where(Log.card_number == Card.number).correlate(Card).scalar_subquery()
    )


def lapse_count() -> ColumnElement[int]:
    """Answers of Again on a card in review: Anki's lapses."""
    return (
        select(func.count())
        .where(Log.card_number == Card.number, Log.rating == 1, Log.state_before == STATE_REVIEW)
        .correlate(Card)
        .scalar_subquery()
    )


def interval_us() -> ColumnElement[int]:
    return micros(Card.due) - micros(Card.last_review)


def forgetting(now: dt.datetime) -> ColumnElement[Any]:
    """Whole days since the last review over stability: the higher, the lower FSRS's
    retrievability (it falls with exactly this ratio), so sorting by it sorts by recall."""
    elapsed = func.max(0, (to_microseconds(now) - micros(Card.last_review)) // DAY_US)
    return type_coerce(elapsed, Float) * 1.0 / Card.stability


def article_title() -> ColumnElement[str]:
    return (
        select(models.Article.title)
        .where(models.Article.id == Card.article_id)
        .correlate(Card)
        .scalar_subquery()
    )


def sort_key(key: str, now: dt.datetime) -> ColumnElement[Any]:
    """The expression a column sorts by (ascending; NULL, as new cards have, last both ways)."""
    keys: dict[str, Callable[[], Any]] = {
        "question": lambda: folded(Card.front),  # as the search index holds the text
        "answer": lambda: folded(Card.back),
        "kind": lambda: Card.kind,
        "source": article_title,
        "state": lambda: Card.state,
        "due": lambda: micros(Card.due),
        "interval": interval_us,
        "stability": lambda: Card.stability,
        "difficulty": lambda: Card.difficulty,
        "retrievability": lambda: -forgetting(now),
        "reviews": review_count,
        "lapses": lapse_count,
        "last_review": lambda: micros(Card.last_review),
        "flag": lambda: Card.flag,
        "origin": lambda: Card.pack_id.is_(None),
    }
    if key not in keys:
        raise SearchError(f"Cards cannot be sorted by {key!r}; use one of {', '.join(SORT_KEYS)}.")
    chosen: ColumnElement[Any] = keys[key]()
    return chosen
