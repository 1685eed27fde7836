"""The queue's shared reads (study/queue_reads.py) on stdlib sqlite3, as the first screen's
reader runs them, give what a Collection just opened on the same data and clock shows: its
settings, the article studied alone, the study day, the next card and the counts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest

import studyapp
from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.paths import DATABASE_NAME
from studyapp.storage import models
from studyapp.storage.plain_sql import sqlite_rows
from studyapp.storage.times import to_microseconds
from studyapp.study import queue_reads
from studyapp.study.queue_reads import FirstStudy, first_study
from studyapp.study.settings import STUDY_SETTINGS_KEY
from tests.fixtures.second_pack import SECOND_ARTICLE, second_pack
from tests.study.conftest import AGAIN, EASY, GOOD, HARD, reading_order

UTC = dt.UTC
PACT = "soviet-lithuanian-non-aggression-pact"
AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")


def _sql(data_dir: Path, statement: str, *parameters: object) -> None:
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        with connection:
            connection.execute(statement, parameters)
    finally:
        connection.close()


def _both_paths(data_dir: Path, clock: FakeClock, tz: dt.tzinfo = UTC) -> FirstStudy:
    """first_study() on sqlite3, checked equal to a freshly opened Collection's values."""
    opened = Collection.open(data_dir, clock.now, tz=tz)
    try:
        main = FirstStudy(opened.settings, opened.study_article, opened.day(), opened.study_next())
    finally:
        opened.close()
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        first = first_study(sqlite_rows(connection), clock.now(), tz)
    finally:
        connection.close()
    assert first == main
    return first


def _answer(collection: Collection, clock: FakeClock, *answers: tuple[str, int]) -> None:
    for card_id, rating in answers:
        collection.answer(card_id, rating, 1000)
        clock.advance(seconds=10)


def _settings(collection: Collection, **changes: int) -> None:
    collection.update_settings(dataclasses.replace(collection.settings, **changes))


def _reviews(collection: Collection, clock: FakeClock, count: int) -> list[str]:
    """The first `count` cards in reading order made review cards, all due now."""
    order = reading_order(collection)[:count]
    _answer(collection, clock, *((card_id, EASY) for card_id in order))
    clock.advance(days=60)
    return order


def test_a_fresh_collection(data_dir: Path, clock: FakeClock, collection: Collection) -> None:
    first = _both_paths(data_dir, clock)
    assert first.next.card is not None and first.next.card.id == reading_order(collection)[0]
    assert first.next.card.event_ids  # from its sentence: the card is linked to none
    assert (first.next.counts.new, first.article) == (20, None)


@pytest.mark.parametrize("minutes", [0, 2, 7, 30])
def test_after_answers_of_each_grade(
    data_dir: Path, clock: FakeClock, collection: Collection, minutes: int
) -> None:
    order = reading_order(collection)
    ratings = (AGAIN, HARD, GOOD, EASY)
    _answer(collection, clock, *zip(order, ratings, strict=False))
    clock.advance(minutes=minutes)
    first = _both_paths(data_dir, clock)
    assert first.next.card is not None
    if minutes >= 2:  # the Again card is due again
        assert (first.next.card.id, first.next.card.queue) == (order[0], "learning")


def test_learning_cards_learnt_ahead_once_new_cards_are_done(
    data_dir: Path, clock: FakeClock, collection: Collection
) -> None:
    order = reading_order(collection)
    _settings(collection, new_per_day=2)
    _answer(collection, clock, (order[0], AGAIN), (order[1], HARD))
    first = _both_paths(data_dir, clock)
    assert first.next.card is not None and first.next.card.queue == "learning"
    assert first.next.counts.new == 0 and first.next.counts.learning >= 1


def test_reviews_due_and_the_review_limit(
    data_dir: Path, clock: FakeClock, collection: Collection
) -> None:
    reviews = _reviews(collection, clock, 4)
    first = _both_paths(data_dir, clock)
    assert first.next.card is not None and first.next.card.queue == "review"
    assert first.next.counts.review == 4
    _settings(collection, reviews_per_day=2)
    _answer(collection, clock, (reviews[0], GOOD), (reviews[1], GOOD))
    first = _both_paths(data_dir, clock)
    assert first.next.counts.review == 0
    assert first.next.card is not None and first.next.card.queue == "new"


def test_the_new_card_limit_reached_nothing_left(
    data_dir: Path, clock: FakeClock, collection: Collection
) -> None:
    order = reading_order(collection)
    _settings(collection, new_per_day=2)
    _answer(collection, clock, (order[0], EASY), (order[1], EASY))
    first = _both_paths(data_dir, clock)
    assert first.next.card is None and first.next.counts.total == 0


def test_study_more_extra_new_today_and_yesterday(
    data_dir: Path, clock: FakeClock, collection: Collection
) -> None:
    order = reading_order(collection)
    _settings(collection, new_per_day=1)
    _answer(collection, clock, (order[0], EASY))
    collection.add_new_today(3)
    assert _both_paths(data_dir, clock).next.counts.new == 3
    clock.advance(days=1)  # Study More's cards were yesterday's
    assert _both_paths(data_dir, clock).next.counts.new == 1


def test_one_article_studied_alone_then_its_pack_removed(
    data_dir: Path, clock: FakeClock, collection: Collection
) -> None:
    collection.install_pack(second_pack())
    collection.study_only(SECOND_ARTICLE)
    first = _both_paths(data_dir, clock)
    assert first.article == SECOND_ARTICLE
    assert first.next.card is not None and first.next.card.article_id == SECOND_ARTICLE
    # The stored choice names an article whose pack is gone: every article is studied.
    _sql(
        data_dir,
        "UPDATE packs SET hidden = 1 WHERE id = (SELECT pack_id FROM articles WHERE id = ?)",
        SECOND_ARTICLE,
    )
    first = _both_paths(data_dir, clock)
    assert first.article is None
    assert first.next.card is not None and first.next.card.article_id == PACT


def test_a_removed_pack_through_the_collection(
    data_dir: Path, clock: FakeClock, collection: Collection
) -> None:
    collection.install_pack(second_pack())
    collection.study_only(SECOND_ARTICLE)
    (pack_id,) = [pack.id for pack in collection.packs() if not pack.builtin]
    collection.remove_pack(pack_id)
    assert _both_paths(data_dir, clock).article is None


def test_cards_out_of_study(data_dir: Path, clock: FakeClock, collection: Collection) -> None:
    order = reading_order(collection)
    collection.suspend(order[0])
    collection.bury(order[1])
    _sql(data_dir, "UPDATE cards SET retired = 1 WHERE id = ?", order[2])
    _sql(
        data_dir,
        "UPDATE cards SET deleted_at = ? WHERE id = ?",
        to_microseconds(clock.now()),
        order[3],
    )
    first = _both_paths(data_dir, clock)
    assert first.next.card is not None and first.next.card.id == order[4]


def test_events_linked_or_quoting_the_sentence(
    data_dir: Path, clock: FakeClock, collection: Collection
) -> None:
    order = reading_order(collection)
    collection.suspend(order[0])
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        linked = [
            row[0]
            for row in connection.execute(
                "SELECT event_id FROM card_events WHERE card_id = ?", (order[1],)
            )
        ]
    finally:
        connection.close()
    assert linked, "the second card of the pact is linked to an event"
    first = _both_paths(data_dir, clock)
    assert first.next.card is not None and first.next.card.id == order[1]
    assert set(linked) <= set(first.next.card.event_ids)
    # Its linked events retired: the events quoting its sentence instead.
    for event_id in linked:
        _sql(data_dir, "UPDATE events SET retired = 1 WHERE id = ?", event_id)
    first = _both_paths(data_dir, clock)
    assert first.next.card is not None and not set(linked) & set(first.next.card.event_ids)


def test_reviews_buried_before_and_after_the_day_start(
    data_dir: Path, clock: FakeClock, collection: Collection
) -> None:
    reviews = _reviews(collection, clock, 3)
    day = collection.day()
    assert day.start < clock.now() - dt.timedelta(hours=2)
    for card_id, until in (
        (reviews[0], day.start - dt.timedelta(hours=1)),  # unburied before the day began
        (reviews[1], day.start + dt.timedelta(hours=1)),  # buried into today: not today
    ):
        _sql(
            data_dir,
            "UPDATE cards SET buried_until = ? WHERE id = ?",
            to_microseconds(until),
            card_id,
        )
    first = _both_paths(data_dir, clock)
    assert first.next.counts.review == 2


def test_a_hidden_pack_and_a_card_of_no_article(
    data_dir: Path, clock: FakeClock, collection: Collection
) -> None:
    _sql(data_dir, "UPDATE packs SET hidden = 1")
    first = _both_paths(data_dir, clock)
    assert first.next.card is None
    _sql(data_dir, "UPDATE cards SET article_id = NULL WHERE id = ?", reading_order(collection)[5])
    first = _both_paths(data_dir, clock)
    assert first.next.card is not None and first.next.card.article_id is None


def test_a_marked_and_flagged_card(
    data_dir: Path, clock: FakeClock, collection: Collection
) -> None:
    card_id = reading_order(collection)[0]
    collection.set_marked(True, card_id)
    collection.set_flag(2, card_id)
    first = _both_paths(data_dir, clock)
    assert first.next.card is not None and (first.next.card.marked, first.next.card.flag) == (
        True,
        2,
    )


@pytest.mark.parametrize("hours", [0, 10, 14])
def test_a_later_day_start_in_another_time_zone(
    data_dir: Path, clock: FakeClock, collection: Collection, hours: int
) -> None:
    order = reading_order(collection)
    _settings(collection, new_per_day=3, day_start_hour=7)
    _answer(collection, clock, (order[0], EASY), (order[1], EASY))
    clock.advance(hours=hours)  # 10:00 UTC is 23:00 in Auckland; the day starts at 7 there
    first = _both_paths(data_dir, clock, AUCKLAND)
    assert first.settings.day_start_hour == 7
    assert first.next.counts.new == (1 if hours < 8 else 3)


def test_unusable_stored_settings_are_the_defaults(data_dir: Path, clock: FakeClock) -> None:
    _sql(
        data_dir,
        "UPDATE settings SET value = ? WHERE key = ?",
        json.dumps({"new_per_day": "5", "fsrs_parameters": [1, 2]}),
        STUDY_SETTINGS_KEY,
    )
    assert _both_paths(data_dir, clock).settings.new_per_day == 20


def test_the_card_states_are_the_models() -> None:
    assert (
        queue_reads.STATE_NEW,
        queue_reads.STATE_LEARNING,
        queue_reads.STATE_REVIEW,
        queue_reads.STATE_RELEARNING,
    ) == (
        models.STATE_NEW,
        models.STATE_LEARNING,
        models.STATE_REVIEW,
        models.STATE_RELEARNING,
    )


IMPORTS = [
    "studyapp.study.queue_reads",
    "studyapp.study.queue_values",
    "studyapp.study.settings_values",
    "studyapp.study.day",
]


@pytest.mark.parametrize("module", IMPORTS)
def test_the_reads_import_no_sqlalchemy_fsrs_or_qt(module: str) -> None:
    """The first screen's reader imports these before SQLAlchemy (and the values they return
    with them): importing one must not load SQLAlchemy, fsrs or Qt."""
    root = Path(studyapp.__file__).parents[1]
    heavy = "{'sqlalchemy', 'fsrs', 'PySide6'}"
    program = (
        f"import sys, {module}; print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))"
    )
    found = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert found.stdout.strip() == "[]"
