"""The review queue: what comes next, the counts, daily limits, learn-ahead, suspend and bury."""

from __future__ import annotations

import collections
import datetime as dt

import pytest
from sqlalchemy import select

from studyapp.collection import Collection
from studyapp.storage import models
from tests.study.conftest import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    FakeClock,
    ServiceFactory,
    card_state,
    drain_queue,
    reachable_cards,
    reading_order,
    set_card,
)

NEXT_DAY_START = dt.datetime(2026, 3, 11, 4, 0, tzinfo=dt.UTC)  # START's day ends here


def make_reviews(service: Collection, clock: FakeClock, card_ids: list[str]) -> None:
    """Turn these new cards into review cards, all due when this returns."""
    for card_id in card_ids:
        service.answer(card_id, EASY, 1000)
    clock.advance(days=60)  # well past every Easy interval of a new card


def test_new_cards_come_in_reading_order_up_to_the_daily_limit(
    service: Collection, collection: Collection
) -> None:
    order = reading_order(collection)
    assert order != sorted(order), "the check below would not tell position from id order"
    assert (service.counts().new, service.counts().learning, service.counts().review) == (20, 0, 0)
    assert drain_queue(service) == [(card_id, "new") for card_id in order[:20]]
    assert service.counts().total == 0


def test_learning_then_reviews_then_new_then_learning_ahead(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=3)
    make_reviews(service, clock, order[:3])
    service.answer(order[3], AGAIN, 1000)  # a new card of today: learning, due in 1 minute
    clock.advance(minutes=2)
    by_due = sorted(order[:3], key=lambda card_id: card_state(collection, card_id).due)

    expected = [(order[3], "learning")]
    expected += [(card_id, "review") for card_id in by_due]
    expected += [(order[4], "new"), (order[5], "new")]  # 3 new a day, order[3] was the first
    # Then, nothing else left, the learning cards due within 20 minutes, earliest first.
    expected += [(order[3], "learning"), (order[4], "learning"), (order[5], "learning")]
    shown = []
    while (card := service.next_card()) is not None:
        shown.append((card.id, card.queue))
        service.answer(card.id, GOOD, 1000)
        clock.advance(seconds=10)
        assert len(shown) <= len(expected), f"the queue goes on: {shown}"
    assert shown == expected


def test_counts_match_what_the_queue_gives(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=5, reviews_per_day=3)
    make_reviews(service, clock, order[:4])  # 4 reviews due, 3 allowed today
    service.answer(order[4], AGAIN, 1000)  # learning, due in 1 minute
    service.answer(order[5], GOOD, 1000)  # learning, due in 10 minutes: learn-ahead
    clock.advance(minutes=1)
    counts = service.counts()
    assert (counts.new, counts.learning, counts.review) == (3, 2, 3)
    assert counts.total == 8
    shown = collections.Counter(queue for _, queue in drain_queue(service))
    assert shown == {"new": 3, "learning": 2, "review": 3}


def test_answering_moves_a_card_between_the_counts(
    service: Collection, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service.answer(order[0], GOOD, 1000)
    counts = service.counts()
    assert (counts.new, counts.learning, counts.review) == (19, 1, 0)
    assert service.new_cards_left_today() == 19
    clock.advance(minutes=10)
    service.answer(order[0], GOOD, 1000)  # graduates: due days later
    counts = service.counts()
    assert (counts.new, counts.learning, counts.review) == (19, 0, 0)


def test_learning_cards_ahead_only_when_nothing_else_is_left(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=2)
    service.answer(order[0], GOOD, 1000)  # due in 10 minutes
    card = service.next_card()
    assert card is not None and card.id == order[1], "a new card before learning ahead"
    service.answer(order[1], EASY, 1000)
    card = service.next_card()
    assert card is not None and (card.id, card.queue) == (order[0], "learning")


@pytest.mark.parametrize(("minutes", "shown"), [(20, True), (21, False)])
def test_learn_ahead_reaches_20_minutes(
    make_service: ServiceFactory,
    collection: Collection,
    clock: FakeClock,
    minutes: int,
    shown: bool,
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=1)
    service.answer(order[0], GOOD, 1000)
    set_card(collection, order[0], due=clock.now() + dt.timedelta(minutes=minutes))
    card = service.next_card()
    assert (card.id if card else None) == (order[0] if shown else None)
    assert service.counts().learning == (1 if shown else 0)


def test_reviews_due_before_the_day_ends_are_shown_today(
    make_service: ServiceFactory, collection: Collection
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=0)
    studied = {"state": models.STATE_REVIEW, "stability": 5.0, "difficulty": 5.0}
    last = NEXT_DAY_START - dt.timedelta(days=5)
    tonight = dt.datetime(2026, 3, 10, 23, 0, tzinfo=dt.UTC)
    just_before = NEXT_DAY_START - dt.timedelta(seconds=1)
    set_card(collection, order[7], due=NEXT_DAY_START, last_review=last, **studied)
    set_card(collection, order[8], due=just_before, last_review=last, **studied)
    set_card(collection, order[9], due=tonight, last_review=last, **studied)
    assert service.counts().review == 2
    assert drain_queue(service) == [(order[9], "review"), (order[8], "review")]


def test_review_limit_holds_back_the_rest_until_tomorrow(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=0, reviews_per_day=2)
    make_reviews(service, clock, order[:3])
    assert service.counts().review == 2
    for _ in range(2):
        card = service.next_card()
        assert card is not None and card.queue == "review"
        service.answer(card.id, GOOD, 1000)
    assert service.counts().review == 0
    assert service.next_card() is None
    clock.set(service.day().end)
    card = service.next_card()
    assert card is not None and card.queue == "review"
    assert service.counts().review == 1


def test_a_suspended_card_is_never_shown_again(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=40)
    make_reviews(service, clock, [order[5]])
    service.answer(order[6], AGAIN, 1000)  # learning
    for card_id in (order[0], order[5], order[6]):
        service.suspend(card_id)
    counts = service.counts()
    assert (counts.new, counts.learning, counts.review) == (38, 0, 0)
    for days in (0, 1, 30, 400):
        clock.advance(days=days)
        shown = reachable_cards(service)
        assert len(shown) == 38
        assert not shown & {order[0], order[5], order[6]}
    # Suspending keeps the card's schedule and history.
    assert card_state(collection, order[5]).state == models.STATE_REVIEW


@pytest.mark.parametrize("kind", ["new", "learning", "review"])
def test_a_buried_card_comes_back_when_the_next_day_starts(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock, kind: str
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=1)
    card_id = order[0]
    if kind == "review":
        make_reviews(service, clock, [card_id])
    elif kind == "learning":
        service.answer(card_id, AGAIN, 1000)
        clock.advance(minutes=1)
    shown = service.next_card()
    assert shown is not None and (shown.id, shown.queue) == (card_id, kind)
    service.bury(card_id)
    day_end = service.day().end
    for when in (clock.now(), day_end - dt.timedelta(seconds=1)):
        clock.set(when)
        assert card_id not in reachable_cards(make_service())
    clock.set(day_end)
    back = make_service().next_card()
    assert back is not None and (back.id, back.queue) == (card_id, kind)


def test_a_buried_learning_card_stays_hidden_within_learn_ahead_of_the_day_end(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=1)
    clock.set(NEXT_DAY_START - dt.timedelta(minutes=10))
    service.answer(order[0], AGAIN, 1000)  # due 03:51, the study day ends at 04:00
    service.bury(order[0])
    clock.advance(minutes=5)  # 03:55: learn-ahead would reach past 04:00
    assert service.next_card() is None
    assert service.counts().learning == 0
    clock.set(NEXT_DAY_START)
    card = service.next_card()
    assert card is not None and card.id == order[0]


def test_study_card_carries_the_content_and_links(
    service: Collection, collection: Collection
) -> None:
    shown = 0
    while (card := service.next_card()) is not None:
        with collection.database.sessions() as session:
            row = session.get(models.Card, card.id)
            assert row is not None
            content = (row.kind, row.front, row.back, row.cloze, row.quote)
            place = (row.passage_id, row.sentence_index)
            linked = set(
                session.scalars(
                    select(models.CardEvent.event_id).where(models.CardEvent.card_id == card.id)
                )
            )
            # A card linked to no event is about the events quoting its sentence.
            quoting = set(
                session.scalars(
                    select(models.Event.id).where(
                        models.Event.passage_id == row.passage_id,
                        models.Event.sentence_index == row.sentence_index,
                    )
                )
            )
        assert (card.kind, card.front, card.back, card.cloze, card.quote) == content
        assert (card.passage_id, card.sentence_index) == place
        assert set(card.event_ids) == (linked or quoting)
        assert len(card.event_ids) == len(linked or quoting)
        if card.event_ids and set(card.event_ids) & quoting:
            assert card.event_ids[0] in quoting, "the event of the card's own sentence first"
        shown += bool(linked)
        service.bury(card.id)
    assert shown > 0, "no card with timeline events was checked"


def test_study_next_reads_the_same_card_and_counts_as_asking_separately(
    make_service: ServiceFactory, clock: FakeClock
) -> None:
    """The reviewer's one read after an answer must agree with next_card() and counts()."""
    service = make_service(new_per_day=4)
    seen = []
    for rating in (GOOD, AGAIN, EASY, GOOD, AGAIN, GOOD, GOOD, HARD):
        upcoming = service.study_next()
        assert upcoming.card == service.next_card()
        assert upcoming.counts == service.counts()
        if upcoming.card is None:
            clock.advance(minutes=30)
            continue
        seen.append(upcoming.card.queue)
        service.answer(upcoming.card.id, rating, 1000)
        clock.advance(minutes=2)
    assert service.study_next().counts.new == 0, "four new a day, all four shown"
    assert {"new", "learning"} <= set(seen)
