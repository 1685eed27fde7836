"""Answering: previews equal what is saved, each answer committed at once, durations, undo."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest

from studyapp.collection import Collection
from studyapp.storage import models
from studyapp.storage.cards import CardState
from studyapp.storage.times import to_microseconds
from tests.study.conftest import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    FakeClock,
    ServiceFactory,
    card_state,
    reading_order,
    review_count,
    review_rows,
)

RATINGS = (AGAIN, HARD, GOOD, EASY)


def first_card(collection: Collection) -> str:
    return reading_order(collection)[0]


# -- previews are what answer() saves -------------------------------------------------------------


def test_new_card_previews_show_the_learning_steps(
    service: Collection, collection: Collection, clock: FakeClock
) -> None:
    previews = service.previews(first_card(collection))
    assert [preview.rating for preview in previews] == list(RATINGS)
    assert [preview.label for preview in previews][:3] == ["1m", "6m", "10m"]
    assert previews[0].due == clock.now() + dt.timedelta(minutes=1)
    assert previews[3].label.endswith("d") and previews[3].due - clock.now() >= dt.timedelta(days=1)


@pytest.mark.parametrize("think", [dt.timedelta(0), dt.timedelta(seconds=45)])
@pytest.mark.parametrize("rating", RATINGS)
def test_new_card_answer_saves_the_previewed_interval(
    service: Collection,
    collection: Collection,
    clock: FakeClock,
    rating: int,
    think: dt.timedelta,
) -> None:
    card_id = first_card(collection)
    shown = service.previews(card_id)[rating - 1]
    interval = shown.due - clock.now()
    clock.advance(think)
    result = service.answer(card_id, rating, 4000)
    answered_at = clock.now()
    saved = card_state(collection, card_id)
    assert result.interval == shown.label
    assert saved.due is not None and saved.due - answered_at == interval
    assert result.due == saved.due
    assert saved.last_review == answered_at
    assert review_rows(collection, card_id)[-1].due_after == saved.due


@pytest.mark.parametrize(
    "think",
    [
        dt.timedelta(0),
        dt.timedelta(seconds=45),  # shown 20 s before a whole day since the last review
    ],
)
@pytest.mark.parametrize("rating", RATINGS)
def test_review_card_answer_saves_the_previewed_interval(
    service: Collection,
    collection: Collection,
    clock: FakeClock,
    rating: int,
    think: dt.timedelta,
) -> None:
    card_id = first_card(collection)
    first_due = service.answer(card_id, EASY, 1000).due
    # 20 days overdue, shown 20 s before a whole number of days since the last review: after
    # a 45 s think the answer falls a day later by fsrs's count, which it schedules otherwise.
    clock.set(first_due + dt.timedelta(days=20, seconds=-20))
    shown = service.previews(card_id)
    labels = [preview.label for preview in shown]
    assert labels[0] == "10m", "Again relearns for 10 minutes"
    assert all(preview.due - clock.now() >= dt.timedelta(days=3) for preview in shown[1:])
    chosen = shown[rating - 1]
    interval = chosen.due - clock.now()
    clock.advance(think)
    result = service.answer(card_id, rating, 4000)
    saved = card_state(collection, card_id)
    assert result.interval == chosen.label
    assert saved.due is not None and saved.due - clock.now() == interval
    assert result.due == saved.due
    assert saved.state == (models.STATE_RELEARNING if rating == AGAIN else models.STATE_REVIEW)


def test_fuzz_is_in_the_previews(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    """Review cards with the same history get different (fuzzed) intervals, as previewed."""
    service = make_service(new_per_day=40)
    order = reading_order(collection)
    for card_id in order[:12]:
        service.answer(card_id, GOOD, 1000)
    clock.advance(minutes=10)
    for card_id in order[:12]:
        service.answer(card_id, GOOD, 1000)
    clock.advance(days=40)
    good = {service.previews(card_id)[GOOD - 1].due - clock.now() for card_id in order[:12]}
    assert len(good) > 1


def test_previews_of_another_card_are_not_saved(
    service: Collection, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service.answer(order[0], EASY, 1000)
    clock.advance(days=30)
    service.previews(order[0])  # a review card: Good would be weeks away
    result = service.answer(order[1], GOOD, 1000)  # a new card: Good is 10 minutes
    assert result.interval == "10m"
    assert card_state(collection, order[1]).due == clock.now() + dt.timedelta(minutes=10)


def test_settings_changed_after_previews_are_used_for_the_answer(
    service: Collection, collection: Collection, clock: FakeClock
) -> None:
    card_id = first_card(collection)
    service.answer(card_id, EASY, 1000)
    clock.advance(days=30)
    at_90 = service.previews(card_id)[EASY - 1]
    service.update_settings(dataclasses.replace(service.settings, desired_retention=0.70))
    at_70 = service.previews(card_id)[EASY - 1]
    assert at_70.due > at_90.due
    service.update_settings(dataclasses.replace(service.settings, desired_retention=0.80))
    result = service.answer(card_id, EASY, 1000)
    assert at_90.due < result.due < at_70.due


# -- each answer is committed before answer() returns ---------------------------------------------


def read_committed(collection: Collection, sql: str, *args: object) -> list[tuple[object, ...]]:
    """Read through a separate SQLite connection: it sees only committed data."""
    connection = sqlite3.connect(collection.database.path)
    try:
        return connection.execute(sql, args).fetchall()
    finally:
        connection.close()


def as_stored(when: dt.datetime | None) -> int | None:
    """A time as the database file holds it: microseconds since 1970, UTC."""
    return None if when is None else to_microseconds(when)


def test_every_answer_is_committed_before_answer_returns(
    service: Collection, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    plan = [(order[0], AGAIN), (order[1], GOOD), (order[0], HARD), (order[2], EASY)]
    for number, (card_id, rating) in enumerate(plan, start=1):
        service.previews(card_id)
        result = service.answer(card_id, rating, 1500)
        rows = read_committed(
            collection,
            "SELECT c.id, r.rating, r.duration_ms, r.reviewed_at FROM review_log r "
            "JOIN cards c ON c.number = r.card_number WHERE r.reviewed_at = ?",
            result.review_id,
        )
        assert rows == [(card_id, rating, 1500, as_stored(clock.now()))]
        saved = card_state(collection, card_id)
        cards = read_committed(
            collection,
            "SELECT state, step, stability, difficulty, due, last_review FROM cards WHERE id = ?",
            card_id,
        )
        assert cards == [
            (
                saved.state,
                saved.step,
                saved.stability,
                saved.difficulty,
                as_stored(result.due),
                as_stored(clock.now()),
            )
        ]
        assert read_committed(collection, "SELECT count(*) FROM review_log") == [(number,)]
        clock.advance(seconds=20)


def test_undo_suspend_and_bury_are_committed_at_once(
    service: Collection, collection: Collection
) -> None:
    order = reading_order(collection)
    result = service.answer(order[0], GOOD, 1000)
    service.undo()
    gone = read_committed(
        collection, "SELECT 1 FROM review_log WHERE reviewed_at = ?", result.review_id
    )
    assert gone == []
    assert read_committed(collection, "SELECT state, due FROM cards WHERE id = ?", order[0]) == [
        (models.STATE_NEW, None)
    ]
    service.suspend(order[1])
    service.bury(order[2])
    flags = read_committed(
        collection,
        "SELECT id, suspended, buried_until FROM cards WHERE id IN (?, ?) ORDER BY position",
        order[1],
        order[2],
    )
    assert flags == [(order[1], 1, None), (order[2], 0, as_stored(service.day().end))]


# -- time spent ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spent", "recorded"),
    [(1234, 1234), (59_999, 59_999), (60_000, 60_000), (75_000, 60_000), (0, 0), (-5, 0)],
)
def test_time_spent_is_recorded_in_ms_up_to_a_minute(
    service: Collection, collection: Collection, spent: int, recorded: int
) -> None:
    service.answer(first_card(collection), GOOD, spent)
    assert [row.duration_ms for row in review_rows(collection)] == [recorded]
    assert service.today().milliseconds == recorded


@pytest.mark.parametrize("rating", [0, 5, -1])
def test_a_rating_other_than_1_to_4_is_refused(
    service: Collection, collection: Collection, rating: int
) -> None:
    card_id = first_card(collection)
    with pytest.raises(ValueError, match="rating must be 1 to 4"):
        service.answer(card_id, rating, 1000)
    assert review_count(collection) == 0
    assert card_state(collection, card_id) == CardState.new()


def test_an_unknown_card_is_refused(service: Collection, collection: Collection) -> None:
    with pytest.raises(KeyError, match="no-such-card"):
        service.answer("no-such-card", GOOD, 1000)
    with pytest.raises(KeyError, match="no-such-card"):
        service.previews("no-such-card")
    assert review_count(collection) == 0


# -- undo ---------------------------------------------------------------------------------------


def test_undo_steps_back_through_the_last_answers(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    setup = make_service()
    setup.answer(order[5], EASY, 1000)  # a review card with stability and difficulty
    clock.advance(days=30)
    service = make_service()  # a fresh session: only its own answers can be undone
    counts_before = service.counts()
    plan = [(order[0], GOOD), (order[5], AGAIN), (order[1], HARD), (order[0], GOOD)]
    before: list[CardState] = []
    review_ids: list[int] = []
    for card_id, rating in plan:
        before.append(card_state(collection, card_id))
        service.previews(card_id)
        review_ids.append(service.answer(card_id, rating, 2000).review_id)
        clock.advance(minutes=11)
    assert service.counts() != counts_before

    steps = list(zip(plan, before, review_ids, strict=True))
    for (card_id, _), state, review_id in reversed(steps):
        assert service.can_undo()
        undone = service.undo()
        assert undone is not None and undone.card_ids == {card_id}
        assert undone.label == "Undo Answer" and undone.review_log
        assert card_state(collection, card_id) == state
        assert review_id not in {row.id for row in review_rows(collection)}
        shown = service.next_card()
        assert shown is not None and shown.id == card_id
    assert [row.card_id for row in review_rows(collection)] == [order[5]], "setup's answer stays"
    assert service.counts() == counts_before
    assert not service.can_undo()
    assert service.undo() is None
    assert review_count(collection) == 1


def test_undo_with_nothing_to_undo(service: Collection, collection: Collection) -> None:
    assert not service.can_undo()
    assert service.undo() is None
    assert review_count(collection) == 0


def test_the_undone_card_comes_next_even_if_another_is_due_first(
    service: Collection, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service.answer(order[0], AGAIN, 1000)  # due in 1 minute
    clock.advance(seconds=30)
    service.answer(order[1], AGAIN, 1000)
    clock.advance(minutes=2)  # both learning cards due; order[0] first
    undone = service.undo()
    assert undone is not None and undone.card_ids == {order[1]}
    assert card_state(collection, order[1]) == CardState.new()
    for _ in range(2):  # asking again (a redraw) shows the same card
        shown = service.next_card()
        assert shown is not None and (shown.id, shown.queue) == (order[1], "new")
    service.answer(order[1], GOOD, 1000)
    after = service.next_card()
    assert after is not None and (after.id, after.queue) == (order[0], "learning")


def test_answering_again_after_undo_gives_the_same_interval(
    service: Collection, collection: Collection, clock: FakeClock
) -> None:
    card_id = first_card(collection)
    service.answer(card_id, EASY, 1000)
    clock.advance(days=25)
    first = service.answer(card_id, GOOD, 1000)
    service.undo()
    previews = service.previews(card_id)
    assert previews[GOOD - 1].due == first.due
    again = service.answer(card_id, GOOD, 1000)
    assert (again.due, again.interval) == (first.due, first.interval)
    assert len(review_rows(collection, card_id)) == 2


def test_undo_gives_back_todays_figures(service: Collection, collection: Collection) -> None:
    order = reading_order(collection)
    service.answer(order[0], AGAIN, 5000)
    service.answer(order[1], GOOD, 7000)
    service.undo()
    today = service.today()
    assert (today.reviewed, today.correct, today.milliseconds) == (1, 0, 5000)
    assert service.counts().new == 19


def test_suspending_or_burying_the_undone_card_lets_the_queue_move_on(
    service: Collection, collection: Collection
) -> None:
    order = reading_order(collection)
    service.answer(order[0], GOOD, 1000)
    service.answer(order[1], GOOD, 1000)
    service.undo()
    service.suspend(order[1])
    shown = service.next_card()
    assert shown is not None and shown.id == order[2]
    assert service.undo_label() == "Undo Suspend"
    service.undo()  # the suspension: the card is back, and comes next
    shown = service.next_card()
    assert shown is not None and shown.id == order[1]
    service.bury(order[1])
    shown = service.next_card()
    assert shown is not None and shown.id == order[2]
