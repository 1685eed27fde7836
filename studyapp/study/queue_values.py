"""The review queue's plain values: what it counts, shows next, previews and saves. No
SQLAlchemy here (the first screen's reader builds them too: study/queue_reads.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class StudyCard:
    id: str
    kind: str
    front: str
    back: str
    cloze: str | None
    quote: str
    passage_id: str | None
    sentence_index: int | None
    event_ids: tuple[str, ...]
    queue: str  # "new", "learning" or "review"
    flag: int = 0  # 0 none, 1-4 red, orange, green, blue
    marked: bool = False
    article_id: str | None = None  # the article its sentence is in (None: no source)


@dataclass(frozen=True)
class QueueCounts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class StudyNext:
    """What the review pane shows next: the card (None: done for now) and today's counts."""

    card: StudyCard | None
    counts: QueueCounts


@dataclass(frozen=True)
class Preview:
    rating: int
    label: str  # "1m", "10m", "1d", "4d"
    due: dt.datetime


@dataclass(frozen=True)
class AnswerResult:
    card_id: str
    rating: int
    review_id: int  # the answer's key in the review log: its time in microseconds
    due: dt.datetime
    label: str
    answered_at: (
        dt.datetime
    )  # when it was saved (just after the last answer if the clock was behind)
    clock_behind: bool  # the clock read earlier than the last answer


@dataclass(frozen=True)
class DaySummary:
    reviewed: int
    correct: int  # answers other than Again
    milliseconds: int

    @property
    def percent_correct(self) -> int | None:
        return round(100 * self.correct / self.reviewed) if self.reviewed else None
