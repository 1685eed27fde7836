"""Our scheduling state in Anki's terms: card type, queue, due, interval, FSRS memory state,
and review log rows, by the conventions of Anki's scheduler (rslib/src/scheduler).

Anki counts review due dates in days since the collection was created, day boundaries at the
rollover hour in local time; learning cards are due at an epoch second. A package carries its
own creation day, and Anki's importer moves day numbers by the difference between that and its
own collection's, so a card due in 5 days is due in 5 days after the import.
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_right
from dataclasses import dataclass

from studyapp.collection.export_rows import ExportCard, ExportReview
from studyapp.storage.models import STATE_LEARNING, STATE_NEW, STATE_RELEARNING, STATE_REVIEW
from studyapp.storage.times import from_microseconds, to_microseconds
from studyapp.study.day import study_day

DAY = dt.timedelta(days=1)
DAY_US = 86_400_000_000

# cards.type
TYPE_NEW, TYPE_LEARNING, TYPE_REVIEW, TYPE_RELEARNING = 0, 1, 2, 3
# cards.queue
QUEUE_USER_BURIED, QUEUE_SUSPENDED = -3, -1
QUEUE_NEW, QUEUE_LEARNING, QUEUE_REVIEW, QUEUE_DAY_LEARNING = 0, 1, 2, 3
# revlog.type
REVLOG_LEARNING, REVLOG_REVIEW, REVLOG_RELEARNING = 0, 1, 2
INITIAL_EASE = 2500  # Anki's starting ease factor, in permille
MAX_I32 = 2**31 - 1
LOOKAHEAD_DAYS = 36_525  # how far ahead day_of_us counts days by their starts


class AnkiDays:
    """Day numbers as Anki counts them for a collection created at `created` (aware), whose
    days start at `rollover_hour` local time. Day starts up to `until` are computed once, so
    placing half a million answers is a binary search each."""

    def __init__(
        self,
        created: dt.datetime,
        rollover_hour: int,
        tz: dt.tzinfo | None,
        until: dt.datetime | None = None,
    ) -> None:
        self.rollover_hour = rollover_hour
        self.tz = tz
        self.creation = study_day(created, rollover_hour, tz).start
        self._first = self._date(self.creation)
        self._starts: list[float] = []  # epoch seconds of each day's start, from creation
        self._starts_us: list[int] = []  # the same in stored microseconds, then later ones
        day = study_day(self.creation, rollover_hour, tz)
        last = (until or created) + DAY
        while day.start <= last:
            self._starts.append(day.start.timestamp())
            self._starts_us.append(to_microseconds(day.start))
            day = study_day(day.end, rollover_hour, tz)
        self._starts.append(day.start.timestamp())
        self._starts_us.append(to_microseconds(day.start))

    def _date(self, when: dt.datetime) -> dt.date:
        local = when.astimezone(self.tz) if self.tz is not None else when.astimezone()
        return (local - dt.timedelta(hours=self.rollover_hour)).date()

    def day(self, when: dt.datetime) -> int:
        """The day number of an instant: 0 on the creation day."""
        return (self._date(when) - self._first).days

    def day_of_us(self, when_us: int) -> int:
        """day() of a stored time (microseconds): a binary search in the day starts, which
        grow (to LOOKAHEAD_DAYS) for the due dates of cards scheduled months ahead."""
        starts = self._starts_us
        if starts[-1] <= when_us < starts[-1] + LOOKAHEAD_DAYS * DAY_US:
            while starts[-1] <= when_us:
                day = study_day(from_microseconds(starts[-1]), self.rollover_hour, self.tz)
                starts.append(to_microseconds(day.end))
        index = bisect_right(starts, when_us)
        if 0 < index < len(starts):
            return index - 1
        return self.day(from_microseconds(when_us))

    def creation_seconds(self) -> int:
        return int(self.creation.timestamp())

    def creation_minutes_west(self) -> int:
        """The creation time's UTC offset as Anki keeps it (minutes west of UTC)."""
        local = self.creation.astimezone(self.tz) if self.tz else self.creation.astimezone()
        offset = local.utcoffset() or dt.timedelta()
        return -int(offset.total_seconds() // 60)

    def day_starts(self) -> tuple[float, ...]:
        """The epoch seconds of each day's start, from the creation day's to the last known."""
        return tuple(self._starts)

    def seconds_to_next_day(self, seconds: float) -> float:
        """From an epoch second to the start of the next day."""
        index = bisect_right(self._starts, seconds)
        if 0 < index < len(self._starts):
            return self._starts[index] - seconds
        when = dt.datetime.fromtimestamp(seconds, dt.UTC)
        return (study_day(when, self.rollover_hour, self.tz).end - when).total_seconds()

    def interval(self, start_us: int, end_us: int) -> int:
        """Anki's revlog interval between two stored times: negative seconds when it ends
        before the next day starts, else days (rslib IntervalKind::maybe_as_days)."""
        seconds = max(0.0, (end_us - start_us) / 1e6)
        until_next_day = self.seconds_to_next_day(start_us / 1e6)
        if seconds < until_next_day:
            return -min(MAX_I32, round(seconds))
        return int((seconds - until_next_day) // 86_400) + 1


@dataclass(frozen=True, slots=True)
class AnkiScheduling:
    """The scheduling columns of one card in Anki's cards table."""

    type: int
    queue: int
    due: int
    interval: int
    factor: int
    reps: int
    lapses: int
    left: int
    flags: int
    data: str


def memory_data(card: ExportCard, desired_retention: float, decay: float) -> str:
    """The card's FSRS memory state as Anki 23.10+ keeps it (cards.data JSON: stability,
    difficulty, desired retention, decay, last review in epoch seconds)."""
    if card.stability is None or card.difficulty is None or card.state == STATE_NEW:
        return ""
    # Formatted by hand: json.dumps for 50,000 cards costs more than the rest of the card.
    text = (
        f'{{"s":{round(card.stability, 4)!r},"d":{round(card.difficulty, 3)!r},'
        f"{_retention_and_decay(desired_retention, decay)}"
    )
    if card.last_review is not None:
        text += f',"lrt":{int(card.last_review.timestamp())}'
    return text + "}"


@functools.lru_cache(maxsize=8)
def _retention_and_decay(desired_retention: float, decay: float) -> str:
    """The part of cards.data that every card of an export shares."""
    return f'"dr":{round(desired_retention, 2)!r},"decay":{round(decay, 4)!r}'


def review_days(due: dt.datetime | None, last_review: dt.datetime | None) -> int:
    """A review card's interval in whole days (at least one)."""
    if due is None or last_review is None:
        return 1
    return max(1, round((due - last_review) / DAY))


def card_scheduling(
    card: ExportCard,
    *,
    new_position: int,
    days: AnkiDays,
    now: dt.datetime,
    desired_retention: float,
    decay: float,
    learning_steps: int,
    relearning_steps: int,
) -> AnkiScheduling:
    """A card's Anki scheduling, its progress kept."""
    state = card.state
    data = memory_data(card, desired_retention, decay)
    factor = 0 if state == STATE_NEW else INITIAL_EASE
    if state == STATE_REVIEW and card.due is not None:
        kind, queue, due = TYPE_REVIEW, QUEUE_REVIEW, days.day(card.due)
        interval, left = review_days(card.due, card.last_review), 0
    elif state in (STATE_LEARNING, STATE_RELEARNING) and card.due is not None:
        kind = TYPE_LEARNING if state == STATE_LEARNING else TYPE_RELEARNING
        steps = learning_steps if state == STATE_LEARNING else relearning_steps
        left = max(1, steps - (card.step or 0))
        if days.day(card.due) <= days.day(now):
            queue, due = QUEUE_LEARNING, int(card.due.timestamp())
        else:
            queue, due = QUEUE_DAY_LEARNING, days.day(card.due)
        # A relearning card returns to review at about its stability, in days (FSRS at 90%).
        interval = 0 if state == STATE_LEARNING else max(1, round(card.stability or 1))
    else:
        kind, queue, due, interval, left, factor = TYPE_NEW, QUEUE_NEW, new_position, 0, 0, 0
    if card.suspended:
        queue = QUEUE_SUSPENDED
    elif card.buried:
        queue = QUEUE_USER_BURIED
    return AnkiScheduling(
        kind, queue, due, interval, factor, card.reps, card.lapses, left, card.flag, data
    )


def new_card_scheduling(card: ExportCard, new_position: int) -> AnkiScheduling:
    """A card as new, no progress (what Anki's own export without scheduling writes)."""
    queue = QUEUE_SUSPENDED if card.suspended else QUEUE_NEW
    return AnkiScheduling(TYPE_NEW, queue, new_position, 0, 0, 0, 0, 0, 0, "")


_REVLOG_TYPES = {
    STATE_NEW: REVLOG_LEARNING,
    STATE_LEARNING: REVLOG_LEARNING,
    STATE_REVIEW: REVLOG_REVIEW,
    STATE_RELEARNING: REVLOG_RELEARNING,
}


def revlog_row(review: ExportReview, days: AnkiDays) -> tuple[int, int, int, int, int]:
    """(ease, ivl, lastIvl, factor, type) of one answer in Anki's revlog: intervals in days,
    or negative seconds for one that ended before the next day began. (Called half a million
    times by an export: kept to plain arithmetic on the tuple's items.)"""
    _, reviewed, rating, _, state_before, due_before, last_before, state_after, due_after, d = (
        review
    )
    if state_after == STATE_REVIEW:
        after = max(1, round((due_after - reviewed) / DAY_US))
    else:
        after = days.interval(reviewed, due_after)
    if state_before == STATE_NEW or due_before is None or last_before is None:
        last = 0
    elif state_before == STATE_REVIEW:
        last = max(1, round((due_before - last_before) / DAY_US))
    else:
        last = days.interval(last_before, due_before)
    # Anki keeps an FSRS card's difficulty in the revlog as (D - 1) / 9 + 0.1, in permille.
    factor = 0 if d is None else round(((d - 1) / 9 + 0.1) * 1000)
    return rating, after, last, factor, _REVLOG_TYPES.get(state_before, REVLOG_LEARNING)
