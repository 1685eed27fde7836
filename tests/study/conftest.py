"""Study-layer fixtures: an injected clock, the per-test collection on it, helpers.

Every test runs on a copy of the seeded pact collection (40 new cards) with a fake clock, so
due times and day boundaries are exact and nothing waits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import Integer, func, select, type_coerce, update

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.paths import DATABASE_NAME
from studyapp.storage import models
from studyapp.storage.cards import CardState
from studyapp.study.settings import STUDY_SETTINGS_KEY

UTC = dt.UTC
# A Tuesday morning, far from any DST change; with day_start_hour 4 (UTC) the study day runs
# from 2026-03-10 04:00 to 2026-03-11 04:00.
START = dt.datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


ServiceFactory = Callable[..., Collection]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def collection(data_dir: Path, clock: FakeClock) -> Iterator[Collection]:
    """The seeded collection on a per-test copy, on the test's clock (UTC days)."""
    opened = Collection.open(data_dir, clock.now, tz=UTC)
    yield opened
    opened.close()


@pytest.fixture
def make_service(data_dir: Path, clock: FakeClock) -> Iterator[ServiceFactory]:
    """The test's collection opened again, as a restart of the app would open it."""
    opened: list[Collection] = []

    def make(
        tz: dt.tzinfo = UTC, *, bury_siblings: bool = False, **settings: int | float
    ) -> Collection:
        """Sibling burying is off unless asked for: these tests are about the queue's order
        and limits, which burying would mix with its own rule (tested in test_siblings)."""
        if not bury_siblings:
            _store_without_sibling_burying(data_dir / DATABASE_NAME)
        reopened = Collection.open(data_dir, clock.now, tz=tz)
        opened.append(reopened)
        if settings:
            reopened.update_settings(dataclasses.replace(reopened.settings, **settings))
        return reopened

    yield make
    for each in opened:
        each.close()


def _store_without_sibling_burying(database: Path) -> None:
    """Turn sibling burying off in the stored study settings, leaving the rest as stored."""
    connection = sqlite3.connect(database)
    try:
        row = connection.execute(
            "SELECT value FROM settings WHERE key = ?", (STUDY_SETTINGS_KEY,)
        ).fetchone()
        stored = json.loads(row[0]) if row else {}
        if isinstance(stored, dict):
            stored.update(bury_new_siblings=False, bury_review_siblings=False)
            connection.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (STUDY_SETTINGS_KEY, json.dumps(stored)),
            )
            connection.commit()
    finally:
        connection.close()


@pytest.fixture
def service(make_service: ServiceFactory) -> Collection:
    return make_service()


def reading_order(collection: Collection) -> list[str]:
    with collection.database.sessions() as session:
        return list(session.scalars(select(models.Card.id).order_by(models.Card.position)))


def card_state(collection: Collection, card_id: str) -> CardState:
    with collection.database.sessions() as session:
        card = session.get(models.Card, card_id)
        assert card is not None
        return CardState(
            card.state, card.step, card.stability, card.difficulty, card.due, card.last_review
        )


class LoggedAnswer(NamedTuple):
    """A review log row, its card named by its text id; `id` is its key (the answer's time in
    microseconds, what Collection.answer returns as review_id)."""

    id: int
    card_id: str
    rating: int
    reviewed_at: dt.datetime
    duration_ms: int
    state_before: int
    due_before: dt.datetime | None
    last_review_before: dt.datetime | None
    state_after: int
    step_after: int | None
    stability_after: float | None
    difficulty_after: float | None
    due_after: dt.datetime


def review_rows(collection: Collection, card_id: str | None = None) -> list[LoggedAnswer]:
    """The review log, oldest answer first (of one card, or of all)."""
    log, card = models.ReviewLog, models.Card
    with collection.database.sessions() as session:
        query = (
            select(
                type_coerce(log.reviewed_at, Integer),
                card.id,
                log.rating,
                log.reviewed_at,
                log.duration_ms,
                log.state_before,
                log.due_before,
                log.last_review_before,
                log.state_after,
                log.step_after,
                log.stability_after,
                log.difficulty_after,
                log.due_after,
            )
            .join(card, card.number == log.card_number)
            .order_by(log.reviewed_at)
        )
        if card_id is not None:
            query = query.where(card.id == card_id)
        return [LoggedAnswer(*row) for row in session.execute(query)]


def review_count(collection: Collection) -> int:
    with collection.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(models.ReviewLog)) or 0


def set_card(collection: Collection, card_id: str, **values: object) -> None:
    """Put a card in a given state directly, for situations answers cannot reach quickly."""
    with collection.database.sessions.begin() as session:
        session.execute(update(models.Card).where(models.Card.id == card_id).values(**values))


def drain_queue(service: Collection) -> list[tuple[str, str]]:
    """What the queue gives now, in order, as (card id, queue) pairs, answering each Easy.

    Easy sends every card at least a day away, so each card is shown once and the daily
    limits are used up as a user would use them.
    """
    shown: list[tuple[str, str]] = []
    while (card := service.next_card()) is not None:
        assert card.id not in {seen for seen, _ in shown}, f"{card.id} shown twice"
        shown.append((card.id, card.queue))
        service.answer(card.id, 4, 1000)
    return shown


def reachable_cards(service: Collection) -> set[str]:
    """Every card the queue could show now: it buries each one it is given to see the next.

    Burying uses no daily limit, so this passes the limits; use it last in a test.
    """
    shown: set[str] = set()
    while (card := service.next_card()) is not None:
        assert card.id not in shown, f"{card.id} shown twice"
        shown.add(card.id)
        service.bury(card.id)
    return shown
