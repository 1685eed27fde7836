"""Our scheduling in Anki's terms, by rule (test_with_anki.py checks the same with Anki)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from studyapp.collection.export_rows import ExportCard, ExportReview
from studyapp.interop.anki_scheduling import (
    QUEUE_DAY_LEARNING,
    QUEUE_LEARNING,
    QUEUE_REVIEW,
    QUEUE_SUSPENDED,
    QUEUE_USER_BURIED,
    AnkiDays,
    card_scheduling,
    memory_data,
    revlog_row,
)
from studyapp.storage.models import (
    STATE_LEARNING,
    STATE_NEW,
    STATE_RELEARNING,
    STATE_REVIEW,
    to_microseconds,
)

UTC = dt.UTC


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


CREATED = utc(2026, 1, 10, 12)
NOW = utc(2026, 3, 10, 12)
DAYS = AnkiDays(CREATED, 4, UTC, until=NOW)


def card(**changes: object) -> ExportCard:
    base = ExportCard(
        id="c",
        kind="basic",
        front="Q",
        back="A",
        cloze=None,
        quote="",
        position=1,
        article_id=None,
        article_title=None,
        section_heading=None,
        pack_id=None,
        edited=False,
        flag=0,
        tags=(),
        suspended=False,
        buried=False,
        state=STATE_REVIEW,
        step=None,
        stability=12.3456789,
        difficulty=5.4321,
        due=utc(2026, 3, 15, 9),
        last_review=utc(2026, 3, 3, 9),
        reps=4,
        lapses=1,
        modified_at=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def schedule(exported: ExportCard):  # type: ignore[no-untyped-def]
    return card_scheduling(
        exported,
        new_position=7,
        days=DAYS,
        now=NOW,
        desired_retention=0.9,
        decay=0.1542,
        learning_steps=2,
        relearning_steps=1,
    )


def test_days_count_from_the_creation_day_at_the_rollover_hour() -> None:
    assert DAYS.day(utc(2026, 1, 10, 4)) == 0
    assert DAYS.day(utc(2026, 1, 11, 3, 59)) == 0  # before 4 AM: still the day before
    assert DAYS.day(utc(2026, 1, 11, 4)) == 1
    assert DAYS.creation_seconds() == int(utc(2026, 1, 10, 4).timestamp())
    assert DAYS.creation_minutes_west() == 0


def test_days_keep_the_local_hour_across_daylight_saving() -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        vilnius = zoneinfo.ZoneInfo("Europe/Vilnius")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database on this system")
    days = AnkiDays(utc(2026, 3, 20, 12), 4, vilnius, until=utc(2026, 4, 5))
    assert days.creation_minutes_west() == -120  # EET, as Anki keeps it
    # 29 March: clocks go forward at 03:00; the day still starts at 04:00 local (01:00 UTC).
    assert days.day(utc(2026, 3, 30, 0, 59)) == days.day(utc(2026, 3, 29, 1)) == 9
    assert days.day(utc(2026, 3, 30, 1)) == 10
    # An interval from 00:30 UTC on 30 March ends the day at 01:00: 30 minutes.
    start = to_microseconds(utc(2026, 3, 30, 0, 30))
    assert days.interval(start, start + 10 * 60 * 10**6) == -600
    assert days.interval(start, start + 40 * 60 * 10**6) == 1


def test_a_review_card_is_due_on_its_day_with_its_interval_and_memory() -> None:
    anki = schedule(card())
    assert (anki.type, anki.queue) == (2, QUEUE_REVIEW)
    assert anki.due == DAYS.day(utc(2026, 3, 15, 9)) == 64
    assert (anki.interval, anki.factor, anki.reps, anki.lapses) == (12, 2500, 4, 1)
    data = json.loads(anki.data)
    assert data == {
        "s": 12.3457,
        "d": 5.432,
        "dr": 0.9,
        "decay": 0.1542,
        "lrt": int(utc(2026, 3, 3, 9).timestamp()),
    }


def test_learning_cards_are_due_at_a_second_today_or_on_a_later_day() -> None:
    soon = schedule(card(state=STATE_LEARNING, step=1, due=NOW + dt.timedelta(minutes=10)))
    assert (soon.type, soon.queue, soon.due) == (1, QUEUE_LEARNING, int(NOW.timestamp()) + 600)
    assert (soon.interval, soon.left) == (0, 1)
    later = schedule(card(state=STATE_RELEARNING, step=0, due=NOW + dt.timedelta(days=2)))
    assert (later.type, later.queue, later.due) == (3, QUEUE_DAY_LEARNING, DAYS.day(NOW) + 2)
    assert later.interval == 12 and later.left == 1


def test_new_suspended_and_buried_cards() -> None:
    new = schedule(card(state=STATE_NEW, due=None, stability=None, difficulty=None, reps=0))
    assert (new.type, new.queue, new.due, new.interval, new.data) == (0, 0, 7, 0, "")
    assert schedule(card(suspended=True)).queue == QUEUE_SUSPENDED
    assert schedule(card(buried=True)).queue == QUEUE_USER_BURIED
    assert schedule(card(flag=3)).flags == 3
    assert memory_data(card(state=STATE_NEW), 0.9, 0.15) == ""


def review(**changes: object) -> ExportReview:
    reviewed = to_microseconds(NOW)
    base = ExportReview(
        card_id="c",
        reviewed_at_us=reviewed,
        rating=3,
        duration_ms=5000,
        state_before=STATE_NEW,
        due_before_us=None,
        last_review_before_us=None,
        state_after=STATE_LEARNING,
        due_after_us=reviewed + 10 * 60 * 10**6,
        difficulty_after=1.0,
    )
    return base._replace(**changes)  # type: ignore[arg-type]


def test_revlog_rows_follow_ankis_conventions() -> None:
    # A first answer: learning, 10 minutes later (negative seconds), from nothing.
    assert revlog_row(review(), DAYS) == (3, -600, 0, 100, 0)
    day = 86_400 * 10**6
    reviewed = to_microseconds(NOW)
    # A review answered Good: 9 days, after 4; difficulty 5.5 is factor 600.
    assert revlog_row(
        review(
            state_before=STATE_REVIEW,
            due_before_us=reviewed,
            last_review_before_us=reviewed - 4 * day,
            state_after=STATE_REVIEW,
            due_after_us=reviewed + 9 * day,
            difficulty_after=5.5,
        ),
        DAYS,
    ) == (3, 9, 4, 600, 1)
    # A relearning answer: from a 10-minute step; the next review in 2 days.
    assert revlog_row(
        review(
            rating=1,
            state_before=STATE_RELEARNING,
            due_before_us=reviewed,
            last_review_before_us=reviewed - 10 * 60 * 10**6,
            state_after=STATE_RELEARNING,
            due_after_us=reviewed + 2 * day,
            difficulty_after=None,
        ),
        DAYS,
    ) == (1, 2, -600, 0, 2)
