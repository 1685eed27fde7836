"""The review log SQLite writes into a package (anki_revlog.py) holds the rows revlog_row
computes in Python, answer for answer, and unique ids when answers share a millisecond."""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from pathlib import Path
from random import Random

import pytest

from studyapp.collection import Collection
from studyapp.collection.export_rows import CardSelection
from studyapp.collection.importing import Cancelled
from studyapp.interop import anki_schema as schema
from studyapp.interop.anki_revlog import SLICE_ANSWERS, write_revlog
from studyapp.interop.anki_scheduling import DAY_US, MAX_I32, AnkiDays, revlog_row
from studyapp.interop.exporting import export_file
from studyapp.storage.models import (
    STATE_LEARNING,
    STATE_NEW,
    STATE_RELEARNING,
    STATE_REVIEW,
    to_microseconds,
)

UTC = dt.UTC
START = dt.datetime(2026, 3, 1, 12, tzinfo=UTC)  # a month crossing Vilnius' clock change
NOW = dt.datetime(2026, 4, 5, 12, tzinfo=UTC)
MINUTE_US = 60 * 10**6


def _vilnius() -> dt.tzinfo:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        return zoneinfo.ZoneInfo("Europe/Vilnius")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database on this system")


@functools.cache
def _difficulties() -> list[float | None]:
    """Difficulties whose revlog factor is a tie (x.5 exactly) and others, and none."""
    ties = [d / 64 for d in range(64, 641) if ((d / 64 - 1) / 9 + 0.1) * 1000 % 1 == 0.5]
    assert ties, "no difficulty gives a tie: the rounding case is not tested"
    return [*ties[:5], 1.0, 5.5, 9.99, 3.2109876, None]


def _answers(card_ids: list[str], count: int, seed: int) -> list[tuple[object, ...]]:
    """Answers of every kind: spans of whole and half days and half seconds (ties), negative
    spans, learning steps ending on, before and after a day's start (and beyond the days the
    package knows), missing times, odd durations."""
    rng = Random(seed)
    start = to_microseconds(START)
    rows: list[tuple[object, ...]] = []
    for number in range(count):
        reviewed = start + number * 2 * 3600 * 10**6 + rng.randrange(3600 * 10**6)
        reviewed = reviewed // 1000 * 1000 + number % 1000  # distinct milliseconds
        before, after = (
            rng.choice([STATE_NEW, STATE_LEARNING, STATE_REVIEW, STATE_RELEARNING] * 2 + [7]),
            rng.choice([STATE_LEARNING, STATE_REVIEW, STATE_RELEARNING]),
        )
        span = rng.choice(
            [
                10 * MINUTE_US,
                10 * MINUTE_US + 500_000,  # 600.5 seconds: a tie, to 600
                MINUTE_US + 1_500_000,  # 61.5 seconds: a tie, to 62
                rng.randrange(-DAY_US, 3 * DAY_US),
                3 * DAY_US // 2,  # 1.5 days: a tie, to 2
                5 * DAY_US // 2,  # 2.5 days: a tie, to 2
                rng.randrange(1, 40) * DAY_US,
                -5 * MINUTE_US,
            ]
        )
        if rng.random() < 0.3:  # end exactly at the start of a day (04:00 local)
            local = dt.datetime.fromtimestamp(reviewed / 1e6, _vilnius())
            boundary = (local + dt.timedelta(days=1)).replace(hour=4, minute=0, second=0)
            span = to_microseconds(boundary.replace(microsecond=0)) - reviewed
        last = None if rng.random() < 0.15 else reviewed - rng.choice([span, DAY_US, 600])
        due_before = None if rng.random() < 0.1 else reviewed - rng.randrange(0, DAY_US)
        duration = rng.choice([4200, -5, MAX_I32 + 10, 0])
        rows.append(
            (
                rng.choice(card_ids),
                rng.randrange(1, 5),
                reviewed,
                duration,
                before,
                due_before,
                last,
                after,
                reviewed + span,
                rng.choice(_difficulties()),
            )
        )
    return rows


def _store(collection: Collection, rows: list[tuple[object, ...]]) -> None:
    with sqlite3.connect(collection.path) as database:
        database.execute("DELETE FROM review_log")
        database.executemany(
            "INSERT INTO review_log (card_number, rating, reviewed_at, duration_ms, state_before,"
            " due_before, last_review_before, state_after, due_after, difficulty_after)"
            " VALUES ((SELECT number FROM cards WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    database.close()


def _package(collection: Collection, anki_ids: dict[str, int], days: AnkiDays) -> list[tuple]:  # type: ignore[type-arg]
    package = sqlite3.connect(":memory:", uri=True)
    package.executescript(schema.TABLES)
    reported: list[int] = []
    written = write_revlog(package, collection.path, anki_ids.items(), days, reported.append)
    rows = package.execute("SELECT * FROM revlog ORDER BY id").fetchall()
    package.close()
    assert written == len(rows) and reported and reported[-1] <= written
    return rows


def _card_ids(collection: Collection) -> dict[str, int]:
    cards = [card.id for card in collection.export_cards(CardSelection())]
    return {card_id: 1_700_000_000_000 + number for number, card_id in enumerate(cards)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sql_revlog_is_revlog_row_answer_for_answer(collection: Collection, seed: int) -> None:
    days = AnkiDays(START, 4, _vilnius(), until=NOW)
    anki_ids = _card_ids(collection)
    _store(collection, _answers(sorted(anki_ids)[:-3], 600, seed))
    expected = sorted(
        (review.reviewed_at_us // 1000, anki_ids[review.card_id], -1, *row[:4], duration, row[4])
        for review in collection.export_reviews(CardSelection())
        for row in [revlog_row(review, days)]
        for duration in [min(max(review.duration_ms, 0), MAX_I32)]
    )
    assert len(expected) == 600
    assert _package(collection, anki_ids, days) == expected
    # Only the exported cards' answers: a card left out takes its answers with it.
    some = dict(list(anki_ids.items())[:10])
    assert {row[1] for row in _package(collection, some, days)} <= set(some.values())


def test_answers_sharing_a_millisecond_get_unique_ids(collection: Collection) -> None:
    days = AnkiDays(START, 4, UTC, until=NOW)
    anki_ids = _card_ids(collection)
    first, second, third = sorted(anki_ids)[:3]
    at = to_microseconds(START) + 123_456_789  # millisecond M and 789 microseconds
    answer = (3, 4000, STATE_NEW, None, None, STATE_LEARNING)
    _store(
        collection,
        [
            (first, *answer[:1], at + 200, *answer[1:], at + 10 * MINUTE_US, 5.0),
            (second, *answer[:1], at, *answer[1:], at + 10 * MINUTE_US, 5.0),  # same M
            (third, *answer[:1], at + 1000, *answer[1:], at + 10 * MINUTE_US, 5.0),  # M + 1
            (third, *answer[:1], at + 1100, *answer[1:], at + 10 * MINUTE_US, 5.0),  # M + 1
        ],
    )
    rows = _package(collection, anki_ids, days)
    millisecond = at // 1000
    # Every answer is there once; the earliest keeps its millisecond, the others take the
    # next free ones.
    assert [(row[0], row[1]) for row in rows] == [
        (millisecond, anki_ids[second]),
        (millisecond + 1, anki_ids[third]),
        (millisecond + 2, anki_ids[first]),
        (millisecond + 3, anki_ids[third]),
    ]


def test_an_export_cancelled_while_writing_the_review_log_writes_nothing(
    collection: Collection, tmp_path: Path
) -> None:
    anki_ids = _card_ids(collection)
    _store(collection, _answers(sorted(anki_ids), 12_000, seed=4))
    reports: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        reports.append((done, total))
        if done > len(anki_ids):  # past the cards: in the review log
            raise Cancelled("The export was cancelled.")

    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "cancelled.apkg"
    with pytest.raises(Cancelled):
        export_file(collection, path, CardSelection(), with_progress=True, progress=progress)
    assert list(folder.iterdir()) == []  # no package, no temporary file
    # Stopped after the first slice of answers (the log's time cut in parts of about
    # SLICE_ANSWERS answers: these are evenly spread, so at most that many).
    done, total = reports[-1]
    assert total == len(anki_ids) + 12_000
    assert 0 < done - len(anki_ids) <= SLICE_ANSWERS
    # Not cancelled, it reports the answers slice by slice, up to the whole.
    reports.clear()
    result = export_file(
        collection,
        path,
        CardSelection(),
        with_progress=True,
        progress=lambda d, t: reports.append((d, t)),
    )
    assert result.reviews == 12_000 and reports[-1] == (len(anki_ids) + 12_000,) * 2
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)
