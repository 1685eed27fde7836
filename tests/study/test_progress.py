"""Today's figures, when studying can go on, and the same queue after a restart."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Integer, select, type_coerce

from studyapp.collection import Collection
from studyapp.storage import models
from studyapp.study.availability import LEARN_AHEAD
from studyapp.study.day import study_day
from studyapp.study.settings import StudySettings
from tests.study.conftest import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    UTC,
    FakeClock,
    ServiceFactory,
    reading_order,
    review_rows,
    set_card,
)

SECOND = dt.timedelta(seconds=1)


def test_today_before_any_answer(service: Collection) -> None:
    today = service.today()
    assert (today.reviewed, today.correct, today.milliseconds) == (0, 0, 0)
    assert today.percent_correct is None


def test_today_counts_answers_correct_ones_and_time(
    service: Collection, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    for card_id, rating, spent in [
        (order[0], AGAIN, 1000),
        (order[1], HARD, 2000),
        (order[2], GOOD, 75_000),
        (order[0], EASY, 3000),
    ]:
        service.answer(card_id, rating, spent)
        clock.advance(minutes=2)
    today = service.today()
    assert (today.reviewed, today.correct, today.milliseconds) == (4, 3, 66_000)
    assert today.percent_correct == 75


def test_percent_correct_is_rounded(service: Collection, collection: Collection) -> None:
    order = reading_order(collection)
    for card_id, rating in [(order[0], GOOD), (order[1], AGAIN), (order[2], HARD)]:
        service.answer(card_id, rating, 1000)
    assert service.today().percent_correct == 67


# -- next_due -----------------------------------------------------------------------------------


def assert_studying_resumes_exactly_at(
    service: Collection, clock: FakeClock, when: dt.datetime
) -> str:
    """Nothing to study just before `when`; a card at `when`. Returns that card's id."""
    assert service.next_due() == when
    assert service.next_card() is None
    clock.set(when - SECOND)
    assert service.next_card() is None
    clock.set(when)
    card = service.next_card()
    assert card is not None
    return card.id


def test_next_due_is_now_while_cards_wait(service: Collection, clock: FakeClock) -> None:
    assert service.next_card() is not None
    assert service.next_due() == clock.now()


def test_only_new_cards_beyond_the_limit_wait_for_the_next_day(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=2)
    for card_id in order[:2]:
        service.answer(card_id, EASY, 1000)
    day_end = service.day().end
    assert assert_studying_resumes_exactly_at(service, clock, day_end) == order[2]


def test_reviews_beyond_the_limit_wait_for_the_next_day(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=2, reviews_per_day=1)
    for card_id in order[:2]:
        service.answer(card_id, EASY, 1000)
    service.update_settings(StudySettings(new_per_day=0, reviews_per_day=1))
    clock.advance(days=60)  # both reviews due, one allowed a day
    card = service.next_card()
    assert card is not None and card.queue == "review"
    service.answer(card.id, GOOD, 1000)
    day_end = service.day().end
    assert service.next_due() == day_end  # not now: the review left is held back
    assert_studying_resumes_exactly_at(service, clock, day_end)


def test_next_due_is_the_next_review_when_no_new_cards_are_allowed(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=1)
    due = service.answer(order[0], EASY, 1000).due
    assert service.next_due() == service.day().end, "tomorrow's new card comes first"
    service.update_settings(StudySettings(new_per_day=0))
    offered_from = study_day(due, 4, dt.UTC).start
    assert service.next_due() == offered_from, "a review is offered from its due day's start"
    clock.set(offered_from - dt.timedelta(seconds=1))
    assert service.next_card() is None
    clock.set(offered_from)
    card = service.next_card()
    assert card is not None and (card.id, card.queue) == (order[0], "review")


def test_next_due_is_the_next_learning_card(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=1)
    service.answer(order[0], GOOD, 1000)
    later = clock.now() + dt.timedelta(hours=2)
    set_card(collection, order[0], due=later)
    assert service.next_card() is None
    offered_from = later - LEARN_AHEAD
    assert service.next_due() == offered_from, "learning cards come up to 20 minutes early"
    clock.set(offered_from - dt.timedelta(seconds=1))
    assert service.next_card() is None
    clock.set(offered_from)
    card = service.next_card()
    assert card is not None and (card.id, card.queue) == (order[0], "learning")


def test_a_buried_card_is_due_when_the_next_day_starts(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=1)
    service.answer(order[0], AGAIN, 1000)
    service.bury(order[0])
    day_end = service.day().end
    assert assert_studying_resumes_exactly_at(service, clock, day_end) == order[0]


@pytest.mark.parametrize("how", ["all suspended", "no new cards allowed"])
def test_next_due_is_none_when_nothing_will_come(
    make_service: ServiceFactory, collection: Collection, how: str
) -> None:
    service = make_service(new_per_day=0 if how == "no new cards allowed" else 20)
    if how == "all suspended":
        for card_id in reading_order(collection):
            service.suspend(card_id)
    assert service.next_card() is None
    assert service.next_due() is None


# -- restart ------------------------------------------------------------------------------------


def test_a_restart_shows_the_same_queue(
    data_dir: Path, collection: Collection, make_service: ServiceFactory, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=6, reviews_per_day=2)
    for card_id in order[:4]:
        service.answer(card_id, EASY, 1000)
    clock.advance(days=60)
    service.answer(order[4], AGAIN, 1000)
    service.answer(order[5], GOOD, 1000)
    service.suspend(order[6])
    service.bury(order[7])
    reviewed = service.next_card()
    assert reviewed is not None and reviewed.queue == "review"
    service.answer(reviewed.id, HARD, 1000)
    clock.advance(minutes=3)
    before = (service.counts(), service.next_card(), service.today(), service.next_due())
    assert before[0].new > 0 and before[0].learning > 0 and before[0].review > 0
    rows = [(row.id, row.card_id, row.rating) for row in review_rows(collection)]
    collection.close()

    reopened = Collection.open(data_dir, clock.now, tz=UTC)
    try:
        restarted = reopened
        after = (restarted.counts(), restarted.next_card(), restarted.today(), restarted.next_due())
        assert after == before
        assert restarted.settings == service.settings
        # Undo belongs to the session that answered: a restart cannot take back old answers.
        assert restarted.undo() is None
        with reopened.database.sessions() as session:
            kept = [
                tuple(row)
                for row in session.execute(
                    select(
                        type_coerce(models.ReviewLog.reviewed_at, Integer),
                        models.Card.id,
                        models.ReviewLog.rating,
                    )
                    .join(models.Card, models.Card.number == models.ReviewLog.card_number)
                    .order_by(models.ReviewLog.reviewed_at)
                )
            ]
        assert kept == rows
    finally:
        reopened.close()


# Previews of one card at a fixed time, computed by another Python process.
PREVIEW_ELSEWHERE = """
import datetime as dt, json, sys
from pathlib import Path
from studyapp.collection import Collection

when = dt.datetime.fromisoformat(sys.argv[3])
collection = Collection.open(Path(sys.argv[1]), lambda: when, tz=dt.timezone.utc)
previews = collection.previews(sys.argv[2])
print(json.dumps([[p.label, p.due.isoformat()] for p in previews]))
collection.close()
"""


def test_intervals_previewed_before_a_restart_are_saved_after_it(
    data_dir: Path, collection: Collection, make_service: ServiceFactory, clock: FakeClock
) -> None:
    """Fuzz must not depend on the process (Python's hash() changes with each start)."""
    card_id = reading_order(collection)[0]
    service = make_service()
    service.answer(card_id, EASY, 1000)
    clock.advance(days=40)
    elsewhere = subprocess.run(
        [sys.executable, "-c", PREVIEW_ELSEWHERE, str(data_dir), card_id, clock.now().isoformat()],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert elsewhere.returncode == 0, elsewhere.stderr
    shown = json.loads(elsewhere.stdout)
    assert len({label for label, _ in shown}) == 4
    for rating, (label, due) in zip((AGAIN, HARD, GOOD, EASY), shown, strict=True):
        result = service.answer(card_id, rating, 1000)
        assert (result.interval, result.due) == (label, dt.datetime.fromisoformat(due))
        service.undo()
