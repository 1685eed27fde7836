"""Study-layer fixtures: an injected clock, a ReviewService on the per-test collection, helpers.

Every test runs on a copy of the seeded pact collection (40 new cards) with a fake clock, so
due times and day boundaries are exact and nothing waits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, update

from studyapp.app import Collection
from studyapp.storage import models
from studyapp.study.scheduling import CardState
from studyapp.study.service import ReviewService

UTC = dt.UTC
# A Tuesday morning, far from any DST change; with day_start_hour 4 (UTC) the study day runs
# from 2026-03-10 04:00 to 2026-03-11 04:00.
START = dt.datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


class FakeClock:
    """A clock the test moves by hand; now() is an aware UTC datetime."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.current = start

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, delta: dt.timedelta | None = None, **parts: float) -> dt.datetime:
        self.current += delta if delta is not None else dt.timedelta(**parts)
        return self.current

    def set(self, when: dt.datetime) -> None:
        self.current = when


ServiceFactory = Callable[..., ReviewService]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_service(collection: Collection, clock: FakeClock) -> ServiceFactory:
    """A new ReviewService on the test's collection, as a restart of the app would make one."""

    def make(tz: dt.tzinfo = UTC, **settings: int | float) -> ReviewService:
        service = ReviewService(collection.database.sessions, clock.now, tz)
        if settings:
            service.update_settings(dataclasses.replace(service.settings, **settings))
        return service

    return make


@pytest.fixture
def service(make_service: ServiceFactory) -> ReviewService:
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


def review_rows(collection: Collection, card_id: str | None = None) -> list[models.ReviewLog]:
    with collection.database.sessions() as session:
        query = select(models.ReviewLog).order_by(models.ReviewLog.id)
        if card_id is not None:
            query = query.where(models.ReviewLog.card_id == card_id)
        return list(session.scalars(query))


def review_count(collection: Collection) -> int:
    with collection.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(models.ReviewLog)) or 0


def set_card(collection: Collection, card_id: str, **values: object) -> None:
    """Put a card in a given state directly, for situations answers cannot reach quickly."""
    with collection.database.sessions.begin() as session:
        session.execute(update(models.Card).where(models.Card.id == card_id).values(**values))


def drain_queue(service: ReviewService) -> list[tuple[str, str]]:
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


def reachable_cards(service: ReviewService) -> set[str]:
    """Every card the queue could show now: it buries each one it is given to see the next.

    Burying uses no daily limit, so this passes the limits; use it last in a test.
    """
    shown: set[str] = set()
    while (card := service.next_card()) is not None:
        assert card.id not in shown, f"{card.id} shown twice"
        shown.add(card.id)
        service.bury(card.id)
    return shown
