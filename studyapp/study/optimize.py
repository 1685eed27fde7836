"""Fit the 21 FSRS parameters to the learner's own review log, with the engine Anki runs
(fsrs-rs, through the fsrs-rs-python binding), and say whether the fit is better.

The log's UTC times become study days (the day starts at the configured local hour), each
card's answers a sequence of (rating, days since the previous answer): the engine's FSRSItem.
A card reset to new (Forget) starts a new sequence, as Anki ignores history before a reset.
The binding is imported only here, when the learner asks to optimize.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import text
from sqlalchemy.orm import Session

from studyapp.storage import models
from studyapp.storage.times import from_microseconds, to_microseconds
from studyapp.study.scheduling import DEFAULT_PARAMETERS
from studyapp.study.settings_values import PARAMETER_BOUNDS

if TYPE_CHECKING:
    import fsrs_rs_python

# Answers given on a later study day than the card's previous answer: what the fit predicts.
# Fewer than this and a fit says more about chance than about the learner; fsrs-rs itself
# returns its defaults on a few hundred.
MIN_REVIEWS = 400


class Answer(NamedTuple):
    """One review as the fit reads it (a tuple: the log can hold half a million)."""

    card_id: str
    reviewed_at: int  # microseconds since 1970 UTC, as the log stores it
    rating: int
    state_before: int


@dataclass(frozen=True)
class Evaluation:
    """How well parameters predict the log: lower is better for both."""

    log_loss: float
    rmse: float  # the engine's RMSE over bins, as Anki shows it


@dataclass(frozen=True)
class OptimizeResult:
    reviews: int  # answers the fit predicts (on a later day than the card's previous one)
    current: Evaluation | None  # None: too few reviews to evaluate
    fitted: Evaluation | None
    fitted_parameters: tuple[float, ...] | None

    @property
    def more_needed(self) -> int:
        return max(0, MIN_REVIEWS - self.reviews)

    @property
    def better(self) -> bool:
        """The fitted parameters predict this log better: lower log loss, RMSE no worse."""
        if self.current is None or self.fitted is None:
            return False
        return (
            self.fitted.log_loss < self.current.log_loss and self.fitted.rmse <= self.current.rmse
        )

    def summary(self) -> str:
        """What happened, in words, for the settings dialog."""
        if self.current is None or self.fitted is None:
            return (
                f"Optimizing needs {MIN_REVIEWS} reviews given on a later day than the card's "
                f"previous one; you have {self.reviews}, so {self.more_needed} more are "
                "needed. FSRS's default parameters stay in use."
            )
        lines = (
            f"On your {self.reviews} reviews: current parameters log loss "
            f"{self.current.log_loss:.4f}, RMSE {self.current.rmse:.2%}; fitted parameters "
            f"log loss {self.fitted.log_loss:.4f}, RMSE {self.fitted.rmse:.2%}."
        )
        if self.better:
            return (
                lines + " The fitted parameters predict your reviews better: press OK to use them."
            )
        return lines + " The fitted parameters are not better, so the current ones stay."


HOUR_US = 3_600_000_000
DAY_US = 24 * HOUR_US


class StudyDays:
    """Study day numbers of log times (microseconds, UTC): local days in the time zone that
    start at day_start_hour, as study.day counts them. The zone's offset is looked up once per
    hour of UTC time (an hour it does not change in), so half a million answers convert fast."""

    def __init__(self, day_start_hour: int, tz: dt.tzinfo | None) -> None:
        self._start_us = day_start_hour * HOUR_US
        self._tz = tz
        self._offsets: dict[int, int | None] = {}  # UTC hour -> offset in µs (None: it moves)

    def number(self, when_us: int) -> int:
        hour = when_us // HOUR_US
        offset = self._offsets[hour] if hour in self._offsets else self._hour(hour)
        if offset is None:  # the offset changes within this hour
            offset = self._offset(when_us)
        return (when_us + offset - self._start_us) // DAY_US + EPOCH_ORDINAL

    def _hour(self, hour: int) -> int | None:
        first, last = self._offset(hour * HOUR_US), self._offset((hour + 1) * HOUR_US - 1)
        found = first if first == last else None
        self._offsets[hour] = found
        return found

    def _offset(self, when_us: int) -> int:
        moment = from_microseconds(when_us)
        local = moment.astimezone(self._tz) if self._tz is not None else moment.astimezone()
        offset = local.utcoffset() or dt.timedelta(0)
        return offset // dt.timedelta(microseconds=1)


EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def study_day_number(when: dt.datetime, day_start_hour: int, tz: dt.tzinfo | None) -> int:
    """The study day `when` falls in, as a day number (days are counted in local time and
    start at day_start_hour, as study.day does)."""
    return StudyDays(day_start_hour, tz).number(to_microseconds(when))


def review_sequences(
    answers: Iterable[Answer], day_start_hour: int, tz: dt.tzinfo | None
) -> list[list[tuple[int, int]]]:
    """Each card's answers as (rating, study days since its previous answer), oldest first,
    cut where the card was new again; answers sorted by card and time."""
    sequences: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] | None = None
    card: str | None = None
    previous_day = 0
    days = StudyDays(day_start_hour, tz)
    for answer in answers:
        day = days.number(answer.reviewed_at)
        if answer.card_id != card or answer.state_before == models.STATE_NEW:
            card = answer.card_id
            if answer.state_before != models.STATE_NEW:
                current = None  # its history before this answer is missing: not usable
                continue
            current = []
            sequences.append(current)
            current.append((answer.rating, 0))
        elif current is not None:
            current.append((answer.rating, day - previous_day))
        previous_day = day
    return sequences


def training_histories(
    sequences: Sequence[Sequence[tuple[int, int]]],
) -> list[list[tuple[int, int]]]:
    """One history per answer on a later day: the card's answers up to and with it (Anki's
    conversion: same-day answers are history, not targets)."""
    return [
        list(sequence[: end + 1])
        for sequence in sequences
        for end in range(1, len(sequence))
        if sequence[end][1] > 0
    ]


def engine_items(
    sequences: Sequence[Sequence[tuple[int, int]]],
) -> list[fsrs_rs_python.FSRSItem]:
    """training_histories() as the engine's FSRSItems: each answer made into an FSRSReview once
    and shared by the items of its card (a long history is in many items)."""
    import fsrs_rs_python as engine

    items = []
    for sequence in sequences:
        reviews = [engine.FSRSReview(rating, delta) for rating, delta in sequence]
        items += [
            engine.FSRSItem(reviews[: end + 1])
            for end in range(1, len(sequence))
            if sequence[end][1] > 0
        ]
    return items


def load_answers(session: Session) -> list[Answer]:
    """Every answer, by card and time (times as stored: no datetime per row)."""
    rows = session.execute(
        text(
            "SELECT c.id, r.reviewed_at, r.rating, r.state_before FROM review_log AS r "
            "JOIN cards AS c ON c.number = r.card_number ORDER BY c.id, r.reviewed_at"
        )
    )
    return [Answer._make(row) for row in rows]


def clamp(parameters: Sequence[float]) -> tuple[float, ...]:
    """Into the bounds py-fsrs accepts (the engine's own bounds are nearly the same)."""
    return tuple(
        min(max(float(value), low), high)
        for value, (low, high) in zip(parameters, PARAMETER_BOUNDS, strict=True)
    )


def optimize(
    answers: Iterable[Answer],
    day_start_hour: int,
    tz: dt.tzinfo | None,
    current: tuple[float, ...] = (),
) -> OptimizeResult:
    """Fit parameters to these answers and evaluate them beside the current ones."""
    import fsrs_rs_python as engine

    items = engine_items(review_sequences(answers, day_start_hour, tz))
    if len(items) < MIN_REVIEWS:
        return OptimizeResult(len(items), None, None, None)
    current_parameters = list(current or DEFAULT_PARAMETERS)
    model = engine.FSRS(current_parameters)
    before = model.evaluate(items)
    fitted = clamp(engine.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(items))
    after = engine.FSRS(list(fitted)).evaluate(items)
    return OptimizeResult(
        len(items),
        Evaluation(before.log_loss, before.rmse_bins),
        Evaluation(after.log_loss, after.rmse_bins),
        fitted,
    )
