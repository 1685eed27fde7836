"""The Statistics window's figures and the memory map, read in one session: plain values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
    per_day: list[stats.DayReviews]  # each day with answers in the last year, oldest first
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


def read_statistics(
    sessions: Callable[[], Session], now: dt.datetime, day: StudyDay, decay: float
) -> Statistics:
    """The review log's figures on a worker thread while the cards' are read here: SQLite lets
    go of the GIL while it works, so on two cores the two halves overlap."""

    def log_figures() -> tuple[list[stats.DayReviews], stats.Today, stats.StudyDays]:
        with sessions() as session:
            per_day = stats.reviews_per_day(session, day, stats.YEAR_DAYS)
            return per_day, stats.today(session, day), stats.study_days(session, day)

    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(log_figures)
        with sessions() as session:
            card_counts = card_stats.card_counts(session, now)
            forecast = card_stats.forecast(session, day)
            difficulty = card_stats.difficulty_distribution(session)
            stability = card_stats.stability_distribution(session)
            retrievability = card_stats.retrievability_distribution(session, now, decay)
            progress = card_stats.section_progress(session, now, decay)
        per_day, today, study_days = reading.result()
    return Statistics(
        now=now,
        day=day,
        today=today,
        per_day=per_day,
        study_days=study_days,
        retention=stats.true_retention(per_day),
        card_counts=card_counts,
        forecast=forecast,
        difficulty=difficulty,
        stability=stability,
        retrievability=retrievability,
        progress=progress,
    )


@dataclass(frozen=True)
class MemoryMap:
    """Each sentence's and each event's cards with their recall now (the memory map).

    A partial map (read for some cards) also says which sentences and events it covers: those
    not in it have no studied cards any more.
    """

    sentences: dict[tuple[str, int], list[card_stats.CardRecall]]
    events: dict[str, list[card_stats.CardRecall]]
    touched_sentences: frozenset[tuple[str, int]] | None = None  # None: the whole map
    touched_events: frozenset[str] | None = None

    def touched(self) -> tuple[frozenset[tuple[str, int]] | None, frozenset[str] | None]:
        """The sentences and events a partial map covers (None, None: the whole map)."""
        return self.touched_sentences, self.touched_events

    def updated(self, partial: MemoryMap) -> MemoryMap:
        """This whole map with a partial one's sentences and events put in."""
        sentences = dict(self.sentences)
        events = dict(self.events)
        for sentence in partial.touched_sentences or ():
            sentences.pop(sentence, None)
        for event_id in partial.touched_events or ():
            events.pop(event_id, None)
        sentences.update(partial.sentences)
        events.update(partial.events)
        return MemoryMap(sentences, events)


def read_memory_map(
    session: Session,
    article_id: str,
    now: dt.datetime,
    decay: float,
    card_ids: frozenset[str] | None = None,
) -> MemoryMap:
    sentences, touched_sentences = card_stats.sentence_recall(
        session, article_id, now, decay, card_ids
    )
    events, touched_events = card_stats.event_recall(session, now, decay, card_ids)
    return MemoryMap(
        sentences,
        events,
        None if touched_sentences is None else frozenset(touched_sentences),
        None if touched_events is None else frozenset(touched_events),
    )
