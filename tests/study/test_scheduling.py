"""The fsrs bridge: the scheduler's defaults, what each rating does, fuzz, interval labels."""

from __future__ import annotations

import datetime as dt

import pytest

from studyapp.storage import models
from studyapp.study.scheduling import (
    MAXIMUM_INTERVAL_DAYS,
    CardState,
    interval_label,
    make_scheduler,
    review,
)
from studyapp.study.settings import StudySettings
from tests.study.conftest import AGAIN, EASY, GOOD, HARD, START

MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)


def review_card(stability: float = 20.0, difficulty: float = 5.0, days_ago: int = 20) -> CardState:
    """A card in review, last seen `days_ago` days before START and due now."""
    return CardState(
        models.STATE_REVIEW,
        None,
        stability,
        difficulty,
        START,
        START - dt.timedelta(days=days_ago),
    )


def test_default_study_settings() -> None:
    settings = StudySettings()
    assert settings.desired_retention == 0.90
    assert settings.new_per_day == 20
    assert settings.reviews_per_day == 200
    assert settings.day_start_hour == 4
    assert settings.problems() == []


def test_scheduler_uses_the_app_steps_maximum_and_fuzz() -> None:
    scheduler = make_scheduler(0.90)
    assert scheduler.desired_retention == 0.90
    assert tuple(scheduler.learning_steps) == (MINUTE, 10 * MINUTE)
    assert tuple(scheduler.relearning_steps) == (10 * MINUTE,)
    assert scheduler.maximum_interval == MAXIMUM_INTERVAL_DAYS == 36500
    assert scheduler.enable_fuzzing is True


@pytest.mark.parametrize(
    ("rating", "state", "step", "interval"),
    [
        (AGAIN, models.STATE_LEARNING, 0, MINUTE),
        (HARD, models.STATE_LEARNING, 0, 5.5 * MINUTE),  # halfway between the two steps
        (GOOD, models.STATE_LEARNING, 1, 10 * MINUTE),
    ],
)
def test_new_card_goes_through_the_learning_steps(
    rating: int, state: int, step: int, interval: dt.timedelta
) -> None:
    after = review(make_scheduler(0.9), CardState.new(), rating, START, "parties", 0)
    assert (after.state, after.step, after.due, after.last_review) == (
        state,
        step,
        START + interval,
        START,
    )
    assert after.stability is not None and after.stability > 0
    assert after.difficulty is not None and 1 <= after.difficulty <= 10


def test_easy_new_card_skips_learning() -> None:
    after = review(make_scheduler(0.9), CardState.new(), EASY, START, "parties", 0)
    assert after.state == models.STATE_REVIEW and after.step is None
    assert after.due is not None and after.due - START >= DAY


def test_good_on_the_last_learning_step_graduates() -> None:
    scheduler = make_scheduler(0.9)
    first = review(scheduler, CardState.new(), GOOD, START, "parties", 0)
    assert first.state == models.STATE_LEARNING
    second = review(scheduler, first, GOOD, START + 10 * MINUTE, "parties", 1)
    assert second.state == models.STATE_REVIEW and second.step is None
    assert second.due is not None and second.due - (START + 10 * MINUTE) >= DAY


def test_forgotten_review_card_relearns_for_10_minutes() -> None:
    scheduler = make_scheduler(0.9)
    after = review(scheduler, review_card(), AGAIN, START, "parties", 5)
    assert (after.state, after.step, after.due) == (models.STATE_RELEARNING, 0, START + 10 * MINUTE)
    relearned = review(scheduler, after, GOOD, START + 10 * MINUTE, "parties", 6)
    assert relearned.state == models.STATE_REVIEW


def test_interval_is_capped_at_36500_days() -> None:
    # Without the cap this card would wait ~10 million days; fuzz may only shorten the cap.
    strong = review_card(stability=10_000_000.0, difficulty=1.0, days_ago=30_000)
    scheduler = make_scheduler(0.7)
    intervals = set()
    for index in range(20):
        due = review(scheduler, strong, EASY, START, f"card-{index}", 9).due
        assert due is not None
        intervals.add((due - START).days)
    assert max(intervals) <= 36500
    assert min(intervals) >= 36500 * 0.9


def test_fuzz_spreads_review_intervals_but_repeats_for_the_same_card_and_count() -> None:
    scheduler = make_scheduler(0.9)
    card = review_card()

    def interval(card_id: str, number: int) -> dt.timedelta:
        due = review(scheduler, card, GOOD, START, card_id, number).due
        assert due is not None
        return due - START

    spread = {interval(f"card-{index}", 3) for index in range(30)}
    assert len(spread) > 3, "fuzz is on: different cards get different intervals"
    assert all(value.total_seconds() % 86400 == 0 for value in spread), "whole days"
    assert max(spread) - min(spread) <= 0.2 * max(spread), "fuzz stays small"
    assert interval("card-7", 3) == interval("card-7", 3)
    assert {interval("card-7", number) for number in range(30)} != {interval("card-7", 3)}


def test_review_accepts_any_aware_time_for_the_same_instant() -> None:
    plus_3 = dt.timezone(dt.timedelta(hours=3))
    scheduler = make_scheduler(0.9)
    in_utc = review(scheduler, review_card(), GOOD, START, "parties", 2)
    elsewhere = review(scheduler, review_card(), GOOD, START.astimezone(plus_3), "parties", 2)
    assert elsewhere == in_utc
    assert elsewhere.due is not None and elsewhere.due.utcoffset() == dt.timedelta(0)


def test_higher_desired_retention_gives_shorter_intervals() -> None:
    def good_interval(retention: float) -> dt.timedelta:
        due = review(make_scheduler(retention), review_card(), GOOD, START, "parties", 2).due
        assert due is not None
        return due - START

    assert good_interval(0.97) < good_interval(0.90) < good_interval(0.70)


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (dt.timedelta(seconds=30), "30s"),
        (MINUTE, "1m"),
        (5.5 * MINUTE, "6m"),
        (10 * MINUTE, "10m"),
        (dt.timedelta(minutes=59), "59m"),
        (dt.timedelta(hours=3), "3h"),
        (DAY, "1d"),
        (4 * DAY, "4d"),
        (29 * DAY, "29d"),
        (30 * DAY, "1mo"),
        (45 * DAY, "1.5mo"),
        (365 * DAY, "1y"),
        (767 * DAY, "2.1y"),
        (36500 * DAY, "100y"),
        (-MINUTE, "0s"),
    ],
)
def test_interval_labels(interval: dt.timedelta, label: str) -> None:
    assert interval_label(interval) == label
