"""Replay: a card's review log, fed through fsrs from the start, gives back its stored state.

The log is the card's history; if replaying it disagrees with the card, the history cannot be
trusted (for a scheduler change, an export, or a repair).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict

from studyapp.collection import Collection
from studyapp.storage import models
from studyapp.study.scheduling import CardState, make_scheduler, review
from tests.study.conftest import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    FakeClock,
    LoggedAnswer,
    ServiceFactory,
    card_state,
    review_rows,
)


def study_for_days(service: Collection, clock: FakeClock, rng: random.Random) -> int:
    """A realistic stretch of study: sessions on several days, mixed ratings, some undos.

    Most answers go through previews() with a few seconds' thought, as in the app; some are
    answered directly. Returns how many answers were kept.
    """
    kept = 0
    day = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    for _ in range(9):
        day += dt.timedelta(days=rng.choice((1, 1, 1, 2, 3)))
        clock.set(day + dt.timedelta(hours=rng.randint(7, 21), minutes=rng.randint(0, 59)))
        for _ in range(30):  # one sitting, at most 30 answers
            card = service.next_card()
            if card is None:
                break
            rating = rng.choices((AGAIN, HARD, GOOD, EASY), weights=(15, 15, 55, 15))[0]
            if rng.random() < 0.8:
                shown = service.previews(card.id)
                clock.advance(seconds=rng.randint(2, 40))
                result = service.answer(card.id, rating, rng.randint(1500, 90_000))
                assert result.interval == shown[rating - 1].label
            else:
                clock.advance(seconds=rng.randint(2, 40))
                service.answer(card.id, rating, rng.randint(1500, 90_000))
            kept += 1
            if rng.random() < 0.08:
                service.undo()  # the same card comes next and is answered again
                kept -= 1
            clock.advance(seconds=rng.randint(3, 30))
    return kept


def as_state(row: LoggedAnswer, when: str, previous: LoggedAnswer | None = None) -> CardState:
    if when == "before":  # the log keeps the state, due and last review before an answer; the
        # rest is the previous answer's after-values (none for a new card)
        derived = previous is not None and row.state_before != models.STATE_NEW
        return CardState(
            row.state_before,
            previous.step_after if derived and previous else None,
            previous.stability_after if derived and previous else None,
            previous.difficulty_after if derived and previous else None,
            row.due_before,
            row.last_review_before,
        )
    return CardState(
        row.state_after,
        row.step_after,
        row.stability_after,
        row.difficulty_after,
        row.due_after,
        row.reviewed_at,
    )


def assert_same_state(replayed: CardState, stored: CardState, where: str) -> None:
    assert (replayed.state, replayed.step) == (stored.state, stored.step), where
    for name in ("stability", "difficulty"):
        ours, theirs = getattr(replayed, name), getattr(stored, name)
        assert (ours is None) == (theirs is None), f"{where}: {name}"
        if ours is not None:
            assert math.isclose(ours, theirs, rel_tol=0, abs_tol=1e-9), f"{where}: {name}"
    assert replayed.due == stored.due, f"{where}: due"
    assert replayed.last_review == stored.last_review, f"{where}: last review"


def test_replaying_the_review_log_gives_back_every_card_state(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    service = make_service(new_per_day=6)
    kept = study_for_days(service, clock, random.Random(20260310))

    rows_by_card: dict[str, list[LoggedAnswer]] = defaultdict(list)
    for row in review_rows(collection):
        rows_by_card[row.card_id].append(row)
    assert sum(len(rows) for rows in rows_by_card.values()) == kept
    assert len(rows_by_card) >= 30, "a session of about 30 cards"
    ratings = {row.rating for rows in rows_by_card.values() for row in rows}
    assert ratings == {AGAIN, HARD, GOOD, EASY}
    states = {row.state_before for rows in rows_by_card.values() for row in rows}
    assert states == {
        models.STATE_NEW,
        models.STATE_LEARNING,
        models.STATE_REVIEW,
        models.STATE_RELEARNING,
    }, "the session should go through every state"

    scheduler = make_scheduler(service.settings.desired_retention)
    for card_id, rows in rows_by_card.items():
        state = CardState.new()
        previous = None
        for number, row in enumerate(sorted(rows, key=lambda row: row.reviewed_at)):
            where = f"{card_id} review {number}"
            assert_same_state(state, as_state(row, "before", previous), f"{where} (before)")
            previous = row
            state = review(scheduler, state, row.rating, row.reviewed_at, card_id, number)
            assert_same_state(state, as_state(row, "after"), where)
        assert_same_state(state, card_state(collection, card_id), f"{card_id} now")
