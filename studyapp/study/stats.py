"""Statistics from the review log: today, reviews and time per day, study days and streaks, and
Anki's True Retention table. Each chart's figures come from one SQL query.

Days are study days: they start at the configured hour. As in Anki's statistics, a day is
counted back from the start of today in whole 24-hour steps (a review's day is
floor((reviewed_at - today's start) / 24 h); 0 is today, -1 yesterday), so a change of
daylight saving time moves the boundary of older days by its hour.

A review's kind follows Anki: learning (the card was new or learning), relearning, and young
or mature review by the interval it was scheduled at before the review (young under 21 days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from studyapp.storage.models import to_microseconds
from studyapp.study.day import StudyDay

DAY_US = 86_400_000_000
MATURE_DAYS = 21  # Anki: an interval of 21 days or more is mature
KINDS = ("learning", "young", "mature", "relearning")

# The day number of a time column, relative to today's start (:start); floor division by hand
# (SQLite's integer division truncates towards zero, and math functions are optional).
_DAY_OF = """CASE WHEN {column} >= :start THEN ({column} - :start) / :day
    ELSE -((:start - {column} + :day - 1) / :day) END"""
_KIND = f"""CASE WHEN state_before IN (0, 1) THEN 'learning'
    WHEN state_before = 3 THEN 'relearning'
    WHEN due_before - last_review_before < {MATURE_DAYS} * :day THEN 'young'
    ELSE 'mature' END"""


def _params(day: StudyDay, **more: Any) -> dict[str, Any]:
    return {"start": to_microseconds(day.start), "day": DAY_US, **more}


# -- today ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Today:
    """Today's answers, as Anki's statistics open with them."""

    reviews: int
    cards: int  # distinct cards answered
    milliseconds: int
    again: int
    learning: int  # answers to new and learning cards
    review: int
    relearning: int

    @property
    def correct_percent(self) -> float | None:
        return 100 * (self.reviews - self.again) / self.reviews if self.reviews else None


def today(session: Session, day: StudyDay) -> Today:
    row = session.execute(
        text(
            """SELECT count(*), count(DISTINCT card_id), coalesce(sum(duration_ms), 0),
                count(*) FILTER (WHERE rating = 1),
                count(*) FILTER (WHERE state_before IN (0, 1)),
                count(*) FILTER (WHERE state_before = 2),
                count(*) FILTER (WHERE state_before = 3)
            FROM review_log WHERE reviewed_at >= :start AND reviewed_at < :end"""
        ),
        _params(day, end=to_microseconds(day.end)),
    ).one()
    return Today(*(int(value) for value in row))


# -- reviews and time per day --------------------------------------------------------------------


@dataclass(frozen=True)
class DayReviews:
    """One study day's answers by kind: counts and milliseconds."""

    day: int  # 0 today, -1 yesterday, ...
    counts: dict[str, int] = field(default_factory=dict)
    milliseconds: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def total_ms(self) -> int:
        return sum(self.milliseconds.values())


def reviews_per_day(session: Session, day: StudyDay, days: int | None) -> list[DayReviews]:
    """Each study day with answers in the last `days` days (None: all), oldest first, by kind."""
    since = "" if days is None else "AND reviewed_at >= :since"
    rows = session.execute(
        text(
            f"""SELECT {_DAY_OF.format(column="reviewed_at")} AS day_number, {_KIND} AS kind,
                count(*), sum(duration_ms)
            FROM review_log WHERE reviewed_at < :end {since}
            GROUP BY day_number, kind ORDER BY day_number"""
        ),
        _params(
            day,
            end=to_microseconds(day.end),
            since=to_microseconds(day.start) - (days - 1) * DAY_US if days else 0,
        ),
    )
    by_day: dict[int, DayReviews] = {}
    for day_number, kind, count, milliseconds in rows:
        entry = by_day.setdefault(day_number, DayReviews(day_number))
        entry.counts[kind] = count
        entry.milliseconds[kind] = milliseconds
    return list(by_day.values())


# -- study days (calendar) -----------------------------------------------------------------------


@dataclass(frozen=True)
class StudyDays:
    """Answers per study day since the first, and the streaks they make."""

    counts: dict[int, int]  # day number (0 today) -> answers

    @classmethod
    def from_reviews(cls, days: list[DayReviews]) -> StudyDays:
        """From reviews_per_day(..., None): the calendar shares the reviews chart's query."""
        return cls({entry.day: entry.total for entry in days if entry.total})

    @property
    def current_streak(self) -> int:
        """Days in a row with answers up to today (or up to yesterday, if today has none yet)."""
        day = 0 if self.counts.get(0) else -1
        streak = 0
        while self.counts.get(day):
            streak += 1
            day -= 1
        return streak

    @property
    def longest_streak(self) -> int:
        longest = run = 0
        previous: int | None = None
        for day in sorted(self.counts):
            run = run + 1 if previous == day - 1 else 1
            longest = max(longest, run)
            previous = day
        return longest

    @property
    def days_studied(self) -> int:
        return len(self.counts)


# -- true retention ------------------------------------------------------------------------------

# (name, first day, last day): day numbers relative to today, both ends included.
RETENTION_PERIODS = (
    ("Today", 0, 0),
    ("Yesterday", -1, -1),
    ("Last week", -6, 0),
    ("Last month", -29, 0),
    ("Last year", -364, 0),
)


@dataclass(frozen=True)
class Retention:
    """Passed (not Again) and all reviews of review cards in one period, young and mature."""

    period: str
    young_passed: int
    young_total: int
    mature_passed: int
    mature_total: int

    @staticmethod
    def _rate(passed: int, total: int) -> float | None:
        return passed / total if total else None

    @property
    def young(self) -> float | None:
        return self._rate(self.young_passed, self.young_total)

    @property
    def mature(self) -> float | None:
        return self._rate(self.mature_passed, self.mature_total)

    @property
    def total_passed(self) -> int:
        return self.young_passed + self.mature_passed

    @property
    def total(self) -> int:
        return self.young_total + self.mature_total

    @property
    def overall(self) -> float | None:
        return self._rate(self.total_passed, self.total)


def true_retention(session: Session, day: StudyDay) -> list[Retention]:
    """Anki's True Retention table: review-state answers not Again / all, per period."""
    columns = []
    for _name, first, last in RETENTION_PERIODS:
        within = f"day_number BETWEEN {first} AND {last}"
        for kind in ("young", "mature"):
            columns.append(f"count(*) FILTER (WHERE {within} AND kind = '{kind}' AND rating > 1)")
            columns.append(f"count(*) FILTER (WHERE {within} AND kind = '{kind}')")
    row = session.execute(
        text(
            f"""SELECT {", ".join(columns)} FROM (
                SELECT {_DAY_OF.format(column="reviewed_at")} AS day_number, {_KIND} AS kind,
                    rating
                FROM review_log
                WHERE state_before = 2 AND reviewed_at >= :since AND reviewed_at < :end)"""
        ),
        _params(
            day,
            end=to_microseconds(day.end),
            since=to_microseconds(day.start) - 364 * DAY_US,
        ),
    ).one()
    return [
        Retention(name, *row[4 * index : 4 * index + 4])
        for index, (name, _first, _last) in enumerate(RETENTION_PERIODS)
    ]


def day_start_of(day: StudyDay, day_number: int) -> dt.datetime:
    """When study day `day_number` (0 today) starts, by the 24-hour rule above."""
    return day.start + dt.timedelta(days=day_number)
