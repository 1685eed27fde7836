"""Optimizing FSRS to the learner's log: study days, sequences, the fit, and its storage."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import zoneinfo

import pytest

from studyapp.collection import Collection
from studyapp.storage.cards import recall_probability
from studyapp.storage.times import to_microseconds
from studyapp.study.optimize import (
    MIN_REVIEWS,
    Answer,
    engine_items,
    optimize,
    review_sequences,
    study_day_number,
    training_histories,
)
from studyapp.study.scheduling import DEFAULT_PARAMETERS
from studyapp.study.settings import StudySettings
from studyapp.study.settings_values import PARAMETER_BOUNDS

UTC = dt.UTC
EASY = 4


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def us(text: str) -> int:
    """A log time: microseconds since 1970 UTC."""
    return to_microseconds(at(text))


def test_study_days_start_at_the_day_start_hour_in_local_time() -> None:
    plus_ten = dt.timezone(dt.timedelta(hours=10))
    # 17:30 UTC is 03:30 the next morning at UTC+10: still the study day before (4 AM start).
    assert study_day_number(at("2026-03-01T17:30"), 4, plus_ten) == dt.date(2026, 3, 1).toordinal()
    assert study_day_number(at("2026-03-01T18:30"), 4, plus_ten) == dt.date(2026, 3, 2).toordinal()
    assert study_day_number(at("2026-03-02T03:59"), 4, UTC) == dt.date(2026, 3, 1).toordinal()
    assert study_day_number(at("2026-03-02T04:00"), 4, UTC) == dt.date(2026, 3, 2).toordinal()


def test_study_days_follow_daylight_saving_time() -> None:
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")  # CET +1, CEST +2 from 2026-03-29 01:00 UTC
    # 02:30 UTC on 2026-03-29 is 04:30 CEST: the new study day; an hour earlier (01:30 UTC) is
    # 03:30 CEST, still the day before; in winter 02:30 UTC is 03:30 CET, the day before.
    assert study_day_number(at("2026-03-29T02:30"), 4, berlin) == dt.date(2026, 3, 29).toordinal()
    assert study_day_number(at("2026-03-29T01:30"), 4, berlin) == dt.date(2026, 3, 28).toordinal()
    assert study_day_number(at("2026-03-20T02:30"), 4, berlin) == dt.date(2026, 3, 19).toordinal()


def test_sequences_count_study_days_between_answers_and_restart_at_new() -> None:
    answers = [
        Answer("x", us("2026-03-01T10:00"), 3, 0),
        Answer("x", us("2026-03-02T03:00"), 3, 1),  # before 4 AM: the same study day
        Answer("x", us("2026-03-05T05:00"), 1, 2),
        Answer("x", us("2026-03-05T05:10"), 3, 3),
        Answer("x", us("2026-03-09T12:00"), 4, 0),  # forgotten: new again
        Answer("x", us("2026-03-11T12:00"), 3, 2),
        Answer("y", us("2026-03-01T10:00"), 3, 2),  # its first answers are missing: skipped
        Answer("y", us("2026-03-03T10:00"), 3, 2),
    ]
    sequences = review_sequences(answers, 4, UTC)
    assert sequences == [[(3, 0), (3, 0), (1, 4), (3, 0)], [(4, 0), (3, 2)]]
    # One item per answer on a later day, holding the history up to it.
    assert training_histories(sequences) == [
        [(3, 0), (3, 0), (1, 4)],
        [(4, 0), (3, 2)],
    ]


def test_too_few_reviews_keep_the_defaults_and_say_how_many_more() -> None:
    answers = [Answer("x", us("2026-03-01T10:00"), 3, 0), Answer("x", us("2026-03-04T10:00"), 3, 2)]
    result = optimize(answers, 4, UTC)
    assert result.reviews == 1
    assert result.more_needed == MIN_REVIEWS - 1
    assert not result.better and result.fitted_parameters is None
    assert f"{MIN_REVIEWS - 1} more are needed" in result.summary()


def simulated_log(cards: int, seed: int = 7) -> list[Answer]:
    """A learner whose memory is twice as stable as FSRS's defaults expect."""
    rng = random.Random(seed)
    answers = []
    start = at("2025-01-01T12:00")
    for card in range(cards):
        when = start + dt.timedelta(days=rng.randrange(60))
        stability = 6.0
        answers.append(Answer(f"c{card}", to_microseconds(when), 3, 0))
        for _ in range(6):
            interval = max(1, round(stability * rng.uniform(0.6, 1.6)))
            when += dt.timedelta(days=interval)
            recalled = rng.random() < recall_probability(interval, stability, 0.1542)
            answers.append(Answer(f"c{card}", to_microseconds(when), 3 if recalled else 1, 2))
            stability = stability * 3.0 if recalled else max(1.0, stability / 4)
    return answers


def test_a_fit_on_enough_reviews_is_evaluated_beside_the_current_parameters() -> None:
    result = optimize(simulated_log(150), 4, UTC)
    assert result.reviews == 900
    assert result.current is not None and result.fitted is not None
    assert result.fitted_parameters is not None and len(result.fitted_parameters) == 21
    for value, (low, high) in zip(result.fitted_parameters, PARAMETER_BOUNDS, strict=True):
        assert low <= value <= high
    assert result.better == (
        result.fitted.log_loss < result.current.log_loss
        and result.fitted.rmse <= result.current.rmse
    )
    # This learner differs from the defaults: the fit predicts the log better.
    assert result.better
    assert "predict your reviews better" in result.summary()


def test_fitted_parameters_are_stored_used_from_the_next_answer_and_undone(
    collection: Collection,
) -> None:
    card = collection.next_card()
    assert card is not None

    def easy_days() -> float:
        preview = collection.previews(card.id)[EASY - 1]
        return (preview.due - collection.clock()).total_seconds() / 86400

    default_easy = easy_days()
    assert default_easy == pytest.approx(DEFAULT_PARAMETERS[3], abs=1.0)  # about 8 days
    fitted = list(DEFAULT_PARAMETERS)
    fitted[3] = 30.0  # a learner for whom an Easy first answer lasts a month
    settings = dataclasses.replace(collection.settings, fsrs_parameters=tuple(fitted))
    collection.update_settings(settings)
    assert easy_days() == pytest.approx(30.0, abs=3.0)
    collection.answer(card.id, EASY, 3000)
    assert (collection.card(card.id).due - collection.clock()).days in range(27, 34)

    reopened = Collection.open(collection.data_dir, collection.clock, tz=UTC)
    try:
        assert reopened.settings.fsrs_parameters == tuple(fitted)
    finally:
        reopened.close()

    collection.undo()  # the answer
    collection.undo()  # the parameters
    assert collection.settings.fsrs_parameters == ()
    assert easy_days() == pytest.approx(default_easy)


def test_parameters_out_of_bounds_are_refused_with_their_number() -> None:
    bad = list(DEFAULT_PARAMETERS)
    bad[4] = 99.0
    problems = StudySettings(fsrs_parameters=tuple(bad)).problems()
    assert problems == ["FSRS parameter 5 (99.0) must be a number from 1.0 to 10.0"]
    assert StudySettings(fsrs_parameters=(1.0, 2.0)).problems() == [
        "the FSRS parameters must be 21 numbers"
    ]


def test_the_engines_items_are_the_histories() -> None:
    sequences = [[(3, 0), (3, 0), (1, 4), (3, 0), (3, 2)], [(4, 0)], [(1, 0), (3, 1)]]
    items = engine_items(sequences)
    lengths = [len(item.reviews) for item in items]
    assert lengths == [len(history) for history in training_histories(sequences)] == [3, 5, 2]
    # A review shows its figures only in its repr: "FSRSReview { rating: 1, delta_t: 4 }".
    assert repr(items[0].reviews[-1]) == "FSRSReview { rating: 1, delta_t: 4 }"
    assert repr(items[1].reviews[-1]) == "FSRSReview { rating: 3, delta_t: 2 }"
