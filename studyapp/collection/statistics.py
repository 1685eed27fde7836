"""The Statistics window's figures and the memory map, read in one session: plain values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from studyapp.study import card_stats, stats
from studyapp.study.day import StudyDay


@dataclass(frozen=True)
class Statistics:
    """Everything the Statistics window charts, as of `now`."""

    now: dt.datetime
    day: StudyDay
    today: stats.Today
    per_day: list[stats.DayReviews]  # every day with answers, oldest first
    study_days: stats.StudyDays
    retention: list[stats.Retention]
    card_counts: dict[str, int]
    forecast: list[card_stats.DueDay]
    difficulty: list[card_stats.Bucket]
    stability: list[card_stats.Bucket]
    retrievability: list[card_stats.Bucket]
    progress: list[card_stats.Progress]

    def lines(self) -> list[str]:
        """`key: value` lines for `studyapp --stats`."""
        lines = [
            f"reviews_today: {self.today.reviews}",
            f"time_today_seconds: {round(self.today.milliseconds / 1000)}",
            f"correct_today_percent: {_percent(self.today.correct_percent)}",
        ]
        for entry in self.retention:
            key = entry.period.lower().replace(" ", "_")
            lines.append(f"true_retention_{key}: {_ratio(entry.overall)}")
        lines += [
            f"due_today: {self.forecast[0].total}",
            f"due_tomorrow: {self.forecast[1].total}",
            f"due_next_7_days: {sum(d.total for d in self.forecast[1:8])}",
            f"current_streak_days: {self.study_days.current_streak}",
        ]
        lines += [f"cards_{name}: {count}" for name, count in self.card_counts.items()]
        return lines


def _percent(value: float | None) -> str:
    return "none" if value is None else f"{value:.1f}"


def _ratio(value: float | None) -> str:
    return "none" if value is None else f"{value:.4f}"


def read_statistics(session: Session, now: dt.datetime, day: StudyDay, decay: float) -> Statistics:
    per_day = stats.reviews_per_day(session, day, None)
    return Statistics(
        now=now,
        day=day,
        today=stats.today(session, day),
        per_day=per_day,
        study_days=stats.StudyDays.from_reviews(per_day),
        retention=stats.true_retention(session, day),
        card_counts=card_stats.card_counts(session, now),
        forecast=card_stats.forecast(session, day),
        difficulty=card_stats.difficulty_distribution(session),
        stability=card_stats.stability_distribution(session),
        retrievability=card_stats.retrievability_distribution(session, now, decay),
        progress=card_stats.section_progress(session, now, decay),
    )


@dataclass(frozen=True)
class MemoryMap:
    """Each sentence's and each event's cards with their recall now (the memory map)."""

    sentences: dict[tuple[str, int], list[card_stats.CardRecall]]
    events: dict[str, list[card_stats.CardRecall]]


def read_memory_map(session: Session, article_id: str, now: dt.datetime, decay: float) -> MemoryMap:
    return MemoryMap(
        card_stats.sentence_recall(session, article_id, now, decay),
        card_stats.event_recall(session, now, decay),
    )
