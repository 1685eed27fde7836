"""Statistics from the review log: today, reviews and time per day, study days and streaks, and
Anki's True Retention table. Each chart's figures come from one SQL query.

Days are study days: they start at the configured hour. As in Anki's statistics, a day is
counted back from the start of today in whole 24-hour steps (a review's day is
floor((reviewed_at - today's start) / 24 h); 0 is today, -1 yesterday), so a change of
daylight saving time moves the boundary of older days by its hour.

A review's kind follows Anki: learning (the card was new or learning), relearning, and young
or mature review by the interval it was scheduled at before the review (young under 21 days).
Only answers to cards in the collection count: a deleted card, one its pack retired, or one of
a removed pack takes its answers out of the figures, as deleting does in Anki's statistics.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from studyapp.storage.times import to_microseconds
from studyapp.study.day import StudyDay

DAY_US = 86_400_000_000
MATURE_DAYS = 21  # Anki: an interval of 21 days or more is mature
KINDS = ("learning", "young", "mature", "relearning")

# storage.cards.in_collection() for these text queries, on cards aliased c (a test holds the
# two equal): not retired, not deleted, not on an article of a pack the learner removed. The
# NOT EXISTS comes first: with no removed pack (the usual case) no card's article is read, so
# the card queries read the narrow ix_cards_browse index instead of the rows.
_HIDDEN_ARTICLES = """SELECT hidden_article.id FROM articles hidden_article
    JOIN packs hidden_pack ON hidden_pack.id = hidden_article.pack_id WHERE hidden_pack.hidden"""
IN_COLLECTION = f"""c.retired = 0 AND c.deleted_at IS NULL
    AND (NOT EXISTS (SELECT 1 FROM packs WHERE packs.hidden) OR c.article_id IS NULL
        OR c.article_id NOT IN ({_HIDDEN_ARTICLES}))"""
# The answers that count: to cards in the collection (the few that are not are listed once).
EXCLUDED = f"SELECT c.number FROM cards c WHERE NOT ({IN_COLLECTION})"
COUNTED = f"card_number NOT IN ({EXCLUDED})"

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
            f"""SELECT count(*), count(DISTINCT card_number), coalesce(sum(duration_ms), 0),
                count(*) FILTER (WHERE rating = 1),
                count(*) FILTER (WHERE state_before IN (0, 1)),
                count(*) FILTER (WHERE state_before = 2),
                count(*) FILTER (WHERE state_before = 3)
            FROM review_log WHERE reviewed_at >= :start AND reviewed_at < :end AND {COUNTED}"""
        ),
        _params(day, end=to_microseconds(day.end)),
    ).one()
    return Today(*(int(value) for value in row))


# -- reviews and time per day --------------------------------------------------------------------

YEAR_DAYS = 365  # what the window reads at first: its longest period short of "all"


@dataclass(frozen=True)
class DayReviews:
    """One study day's answers by kind: counts, milliseconds, and answers other than Again."""

    day: int  # 0 today, -1 yesterday, ...
    counts: dict[str, int] = field(default_factory=dict)
    milliseconds: dict[str, int] = field(default_factory=dict)
    passed: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def total_ms(self) -> int:
        return sum(self.milliseconds.values())


def reviews_per_day(session: Session, day: StudyDay, days: int | None) -> list[DayReviews]:
    """Each study day with answers in the last `days` days (None: all), oldest first, by kind.

    One query, a day at a time: the log's key is the answer's time, so each day's answers are
    one range of it, summed where they lie (grouping the year's answers by day sorted all of
    them: twice as long). The innermost query works out each answer's kind once (LIMIT -1
    keeps SQLite from folding it back into each of the twelve filters).
    """
    figures = []
    for kind in KINDS:
        figures += [
            f"count(*) FILTER (WHERE kind = '{kind}')",
            f"coalesce(sum(duration_ms) FILTER (WHERE kind = '{kind}'), 0)",
            f"count(*) FILTER (WHERE kind = '{kind}' AND rating > 1)",
        ]
    first = (
        "SELECT :first"
        if days is not None
        else f"""SELECT coalesce({_DAY_OF.format(column="min(reviewed_at)")}, 0)
            FROM review_log WHERE reviewed_at < :end"""
    )
    rows = session.execute(
        text(
            f"""WITH RECURSIVE study_days(day_number) AS ({first}
                UNION ALL SELECT day_number + 1 FROM study_days
                WHERE day_number < {_DAY_OF.format(column="(:end - 1)")})
            SELECT json_group_array(json_array(day_number, (SELECT json_array({", ".join(figures)})
                FROM (SELECT {_KIND} AS kind, duration_ms, rating FROM review_log
                    WHERE reviewed_at >= :start + day_number * :day
                        AND reviewed_at < min(:start + (day_number + 1) * :day, :end)
                        AND {COUNTED} LIMIT -1))))
            FROM study_days"""
        ),
        _params(day, end=to_microseconds(day.end), first=-(days - 1) if days else 0),
    )
    found = []
    for day_number, day_figures in json.loads(rows.scalar_one()):
        # Nested as an array where SQLite keeps the subquery's JSON subtype, else as text.
        values = json.loads(day_figures) if isinstance(day_figures, str) else day_figures
        entry = DayReviews(day_number)
        for index, kind in enumerate(KINDS):
            count, milliseconds, passed = values[3 * index : 3 * index + 3]
            if count:
                entry.counts[kind] = count
                entry.milliseconds[kind] = milliseconds
                entry.passed[kind] = passed
        if entry.counts:
            found.append(entry)
    return found


# -- study days (calendar) -----------------------------------------------------------------------


@dataclass(frozen=True)
class StudyDays:
    """The days with answers, all time, and the streaks they make."""

    days: frozenset[int]  # day numbers (0 today) with at least one answer

    @property
    def current_streak(self) -> int:
        """Days in a row with answers up to today (or up to yesterday, if today has none yet)."""
        day = 0 if 0 in self.days else -1
        streak = 0
        while day in self.days:
            streak += 1
            day -= 1
        return streak

    @property
    def longest_streak(self) -> int:
        longest = run = 0
        previous: int | None = None
        for day in sorted(self.days):
            run = run + 1 if previous == day - 1 else 1
            longest = max(longest, run)
            previous = day
        return longest

    @property
    def days_studied(self) -> int:
        return len(self.days)


def study_days(session: Session, day: StudyDay) -> StudyDays:
    """Every study day with an answer, all time: from the first answer, each step seeks the
    first answer of a later day in the time index (a few thousand seeks, not a scan); the
    cards out of the collection are listed once for all the steps."""
    day_of_t = _DAY_OF.format(column="t")
    rows = session.execute(
        text(
            f"""WITH RECURSIVE excluded(id) AS ({EXCLUDED}), answered(t) AS (
                SELECT min(reviewed_at) FROM review_log WHERE card_number NOT IN excluded
                UNION ALL
                SELECT (SELECT min(reviewed_at) FROM review_log
                        WHERE reviewed_at >= :start + ({day_of_t} + 1) * :day
                            AND card_number NOT IN excluded)
                FROM answered WHERE t IS NOT NULL AND t < :end)
            SELECT {day_of_t} FROM answered WHERE t IS NOT NULL AND t < :end"""
        ),
        _params(day, end=to_microseconds(day.end)),
    )
    return StudyDays(frozenset(day_number for (day_number,) in rows))


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


def true_retention(per_day: list[DayReviews]) -> list[Retention]:
    """Anki's True Retention table: review-state answers not Again / all, per period; from the
    reviews per day (the same query as the daily charts, over the last year at least)."""
    table = []
    for name, first, last in RETENTION_PERIODS:
        figures = [0, 0, 0, 0]
        for entry in per_day:
            if first <= entry.day <= last:
                for offset, kind in ((0, "young"), (2, "mature")):
                    figures[offset] += entry.passed.get(kind, 0)
                    figures[offset + 1] += entry.counts.get(kind, 0)
        table.append(Retention(name, *figures))
    return table


def day_start_of(day: StudyDay, day_number: int) -> dt.datetime:
    """When study day `day_number` (0 today) starts, by the 24-hour rule above."""
    return day.start + dt.timedelta(days=day_number)
