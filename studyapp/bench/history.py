"""A plausible review history for one synthetic card: FSRS-like states, growing intervals.

Not py-fsrs itself (500,000 scheduler calls would take minutes); a cheap imitation whose rows
have the shape the app writes: each review's "before" is the previous review's "after", the
card holds the last "after", and every review lies more than a day before `now`, so today's
limits start fresh and the review queue holds a realistic spread of overdue and future cards.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from random import Random
from typing import Any

from studyapp.storage.times import to_microseconds

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
# Cumulative odds of Again, Hard and Good (Easy takes the rest).
RATING_ODDS = (0.1, 0.2, 0.9)
FINAL_ODDS = (0.0, 0.05, 0.9)  # a card's last answer so far; see simulate_card
FIRST_STABILITY = {1: 0.4, 2: 1.2, 3: 3.2, 4: 15.7}  # py-fsrs 6 defaults, days
GROWTH = {2: 1.2, 3: 2.5, 4: 4.0}
MAX_STABILITY = 3650.0
HISTORY_DAYS = 4 * 365.0
MINUTE = 1 / (24 * 60)


@dataclass(frozen=True)
class CardHistory:
    reviews: int
    # state, step, stability, difficulty, due, last_review (times as the database stores them)
    card_state: tuple[Any, ...]
    log_rows: list[tuple[Any, ...]]


def _stamp(base: dt.datetime, days: float) -> int:
    """A time as the database stores it (microseconds since 1970, UTC; see UTCDateTime)."""
    return to_microseconds(base + dt.timedelta(days=days))


def _rating(draw: float, odds: tuple[float, float, float]) -> int:
    for rating, limit in enumerate(odds, start=1):
        if draw < limit:
            return rating
    return 4


def _next_state(state: int, step: int | None, rating: int) -> tuple[int, int | None]:
    if state in (NEW, LEARNING):
        if rating == 4 or (rating == 3 and step == 1):
            return REVIEW, None
        if rating == 3:
            return LEARNING, 1
        return LEARNING, 0 if rating == 1 or step is None else step
    if state == RELEARNING:
        return (REVIEW, None) if rating >= 3 else (RELEARNING, 0)
    return (RELEARNING, 0) if rating == 1 else (REVIEW, None)


def simulate_card(
    rng: Random, card_number: int, reviews: int, now: dt.datetime, left_learning: bool = False
) -> CardHistory:
    """`reviews` answers for a card; `now` is an aware UTC time.

    A card ends in the review state, as nearly all of a real collection does between sessions,
    unless `left_learning`: then its last answer was Again, a day or so ago, and it waits in
    (re)learning, as the few cards do that were left mid-session.
    """
    if reviews == 0:
        return CardHistory(0, (NEW, None, None, None, None, None), [])
    state, step = NEW, None
    stability = difficulty = 0.0
    t = interval = 0.0
    steps: list[tuple[Any, ...]] = []  # rating, time, before, after, due
    for number in range(reviews):
        if number < reviews - 1:
            rating = _rating(rng.random(), RATING_ODDS)
        elif left_learning:
            rating = 1
        elif state == REVIEW:
            rating = _rating(rng.random(), FINAL_ODDS)
        else:
            rating = 4  # Easy graduates a new or (re)learning card at once
        before = state  # the log keeps the state before; the rest is the previous "after"
        if state == NEW:
            difficulty = min(10.0, max(1.0, rng.uniform(3, 7) - (rating - 3)))
            stability = FIRST_STABILITY[rating]
        elif rating == 1:
            difficulty = min(10.0, difficulty + 0.8)
            stability = max(0.1, stability * (0.3 if state == REVIEW else 0.8))
        else:
            difficulty = min(10.0, max(1.0, difficulty - 0.2 * (rating - 3)))
            if state == REVIEW:  # growth slows as stability grows, as in FSRS
                slowing = max(0.1, 1 - math.log10(stability + 1) / 3.5)
                growth = 1 + (GROWTH[rating] - 1) * slowing * rng.uniform(0.8, 1.2)
                stability = min(MAX_STABILITY, stability * growth)
        state, step = _next_state(state, step, rating)
        if state == REVIEW:
            interval = max(1.0, stability * rng.uniform(0.9, 1.1))
        elif state == LEARNING and step == 0:
            interval = MINUTE if rating == 1 else 6 * MINUTE
        else:
            interval = 10 * MINUTE
        after = (state, step, stability, difficulty)
        steps.append((rating, t, before, after, t + interval))
        if state == REVIEW:
            t += interval * rng.uniform(0.85, 1.4)
        else:
            t = t + interval + rng.uniform(0, 30 * MINUTE)
    # A long history is squeezed into HISTORY_DAYS, as a collection has a start; its times
    # stay in order and each "before" still equals the previous "after".
    squeeze = min(1.0, HISTORY_DAYS / steps[-1][4])
    last, interval = steps[-1][1] * squeeze, (steps[-1][4] - steps[-1][1]) * squeeze
    # Place the last review more than a day ago; a review card's due then falls anywhere from
    # a day overdue (a short backlog) to a whole interval ahead.
    age = rng.uniform(1, max(interval, 1) + 1) if state == REVIEW else rng.uniform(1, 3)
    offset = -age - last
    rows = []
    due_stamp = last_stamp = None  # "before" is the previous "after": stamp each time once
    for rating, at, before, after, due_after in steps:
        at_stamp = _stamp(now, at * squeeze + offset)
        due_after_stamp = _stamp(now, due_after * squeeze + offset)
        duration = int(min(60_000, rng.lognormvariate(8.7, 0.5)))
        row = (card_number, rating, at_stamp, duration, before, due_stamp, last_stamp, *after)
        rows.append((*row, due_after_stamp))
        due_stamp, last_stamp = due_after_stamp, at_stamp
    card_state = (state, step, stability, difficulty, due_stamp, last_stamp)
    return CardHistory(reviews, card_state, rows)
