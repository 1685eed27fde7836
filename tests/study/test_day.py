"""The study day: where it starts and ends, and what resets at its boundary."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Iterator

import pytest

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.study.day import study_day
from tests.study.conftest import EASY, GOOD, UTC, ServiceFactory, reading_order

PLUS_3 = dt.timezone(dt.timedelta(hours=3))
MINUS_5 = dt.timezone(dt.timedelta(hours=-5))


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "start"),
    [
        (utc(2026, 3, 11, 3, 59, 59), utc(2026, 3, 10, 4)),
        (utc(2026, 3, 11, 4, 0, 0), utc(2026, 3, 11, 4)),
        (utc(2026, 3, 11, 23, 59, 59), utc(2026, 3, 11, 4)),
        (utc(2026, 3, 12, 0, 0, 0), utc(2026, 3, 11, 4)),
        (utc(2026, 1, 1, 2, 0), utc(2025, 12, 31, 4)),  # across the new year
    ],
)
def test_day_starts_at_4_am_in_utc(now: dt.datetime, start: dt.datetime) -> None:
    day = study_day(now, 4, UTC)
    assert (day.start, day.end) == (start, start + dt.timedelta(days=1))
    assert day.start.tzinfo == UTC and day.end.tzinfo == UTC


@pytest.mark.parametrize(
    ("tz", "now", "start"),
    [
        # 04:00 at UTC+3 is 01:00 UTC.
        (PLUS_3, utc(2026, 3, 11, 0, 59, 59), utc(2026, 3, 10, 1)),
        (PLUS_3, utc(2026, 3, 11, 1, 0, 0), utc(2026, 3, 11, 1)),
        # 04:00 at UTC-5 is 09:00 UTC.
        (MINUS_5, utc(2026, 3, 11, 8, 59, 59), utc(2026, 3, 10, 9)),
        (MINUS_5, utc(2026, 3, 11, 9, 0, 0), utc(2026, 3, 11, 9)),
    ],
)
def test_day_start_is_local_to_the_time_zone(
    tz: dt.tzinfo, now: dt.datetime, start: dt.datetime
) -> None:
    day = study_day(now, 4, tz)
    assert (day.start, day.end) == (start, start + dt.timedelta(days=1))


def test_day_start_hour_zero_is_midnight() -> None:
    assert study_day(utc(2026, 3, 10, 23, 59, 59), 0, UTC).start == utc(2026, 3, 10)
    assert study_day(utc(2026, 3, 11, 0, 0, 0), 0, UTC).start == utc(2026, 3, 11)


def test_day_around_daylight_saving_changes_keeps_the_local_hour() -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        vilnius = zoneinfo.ZoneInfo("Europe/Vilnius")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database on this system")
    # Clocks go forward on 29 March 2026 at 03:00 local: the study day ending at 04:00 that
    # morning has 23 hours.
    spring = study_day(utc(2026, 3, 29, 12), 4, vilnius)
    assert spring.start == utc(2026, 3, 29, 1)  # 04:00 EEST
    assert spring.end == utc(2026, 3, 30, 1)
    eve = study_day(utc(2026, 3, 29, 0, 59), 4, vilnius)  # 02:59 EET: still 28 March's day
    assert (eve.start, eve.end) == (utc(2026, 3, 28, 2), spring.start)
    assert spring.end - spring.start == dt.timedelta(hours=24)
    assert eve.end - eve.start == dt.timedelta(hours=23)
    # Clocks go back on 25 October 2026 at 04:00 local: the day before has 25 hours.
    autumn_eve = study_day(utc(2026, 10, 24, 12), 4, vilnius)
    assert autumn_eve.start == utc(2026, 10, 24, 1)  # 04:00 EEST
    assert autumn_eve.end == utc(2026, 10, 25, 2)  # 04:00 EET
    assert autumn_eve.end - autumn_eve.start == dt.timedelta(hours=25)


@pytest.fixture
def local_zone_plus_3() -> Iterator[None]:
    """Make the system's local time zone UTC+3 for one test (POSIX only)."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is POSIX only")
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "XST-3"  # POSIX spelling of UTC+3
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()


def test_no_time_zone_means_the_system_local_one(local_zone_plus_3: None) -> None:
    assert study_day(utc(2026, 3, 11, 0, 59), 4).start == utc(2026, 3, 10, 1)
    assert study_day(utc(2026, 3, 11, 1, 0), 4).start == utc(2026, 3, 11, 1)


# -- what the service resets at the boundary ------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "last_minute", "boundary"),
    [
        (UTC, utc(2026, 3, 11, 3, 59, 59), utc(2026, 3, 11, 4)),
        (PLUS_3, utc(2026, 3, 11, 0, 59, 59), utc(2026, 3, 11, 1)),
    ],
)
def test_new_card_limit_resets_when_the_next_day_starts(
    collection: Collection,
    make_service: ServiceFactory,
    clock: FakeClock,
    tz: dt.tzinfo,
    last_minute: dt.datetime,
    boundary: dt.datetime,
) -> None:
    order = reading_order(collection)
    service = make_service(tz, new_per_day=3)
    for card_id in order[:3]:
        card = service.next_card()
        assert card is not None and card.id == card_id
        service.answer(card_id, EASY, 1000)  # straight to review, due days later
    assert service.counts().new == 0
    assert service.next_card() is None

    clock.set(last_minute)
    assert service.counts().new == 0
    assert service.next_card() is None

    clock.set(boundary)
    assert service.counts().new == 3
    card = service.next_card()
    assert card is not None and (card.id, card.queue) == (order[3], "new")


def test_today_counts_answers_until_the_day_ends(
    service: Collection, clock: FakeClock, collection: Collection
) -> None:
    order = reading_order(collection)
    service.answer(order[0], GOOD, 2000)
    clock.set(utc(2026, 3, 11, 3, 59, 59))
    service.answer(order[1], GOOD, 3000)
    assert (service.today().reviewed, service.today().milliseconds) == (2, 5000)
    clock.set(utc(2026, 3, 11, 4))
    assert (service.today().reviewed, service.today().milliseconds) == (0, 0)
    assert service.today().percent_correct is None


def test_changed_day_start_hour_moves_the_boundary(
    collection: Collection, make_service: ServiceFactory, clock: FakeClock
) -> None:
    order = reading_order(collection)
    service = make_service(new_per_day=1)
    service.answer(order[0], EASY, 1000)
    clock.set(utc(2026, 3, 11, 5))
    assert service.counts().new == 1  # a new day since 04:00
    service.update_settings(dataclasses.replace(service.settings, day_start_hour=6))
    assert service.day().start == utc(2026, 3, 10, 6)
    assert service.counts().new == 0  # 05:00 is still the day that began at 06:00 yesterday
    clock.set(utc(2026, 3, 11, 6))
    assert service.counts().new == 1
