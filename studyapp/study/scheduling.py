"""The one bridge to py-fsrs: card state in and out, deterministic fuzz, interval labels."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterator
from contextlib import contextmanager

import fsrs
import fsrs.scheduler as fsrs_scheduler

from studyapp.storage.cards import CardState, recall_probability
from studyapp.storage.models import STATE_NEW

RATINGS = (fsrs.Rating.Again, fsrs.Rating.Hard, fsrs.Rating.Good, fsrs.Rating.Easy)
LEARNING_STEPS = (dt.timedelta(minutes=1), dt.timedelta(minutes=10))
RELEARNING_STEPS = (dt.timedelta(minutes=10),)
MAXIMUM_INTERVAL_DAYS = 36500
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs_scheduler.DEFAULT_PARAMETERS)


def make_scheduler(desired_retention: float, parameters: tuple[float, ...] = ()) -> fsrs.Scheduler:
    """The scheduler for these settings; parameters () are FSRS's defaults."""
    return fsrs.Scheduler(
        parameters=parameters or DEFAULT_PARAMETERS,
        desired_retention=desired_retention,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        maximum_interval=MAXIMUM_INTERVAL_DAYS,
        enable_fuzzing=True,
    )


def to_fsrs(state: CardState) -> fsrs.Card:
    if state.state == STATE_NEW:
        return fsrs.Card(card_id=0, state=fsrs.State.Learning, step=0)
    return fsrs.Card(
        card_id=0,
        state=fsrs.State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def from_fsrs(card: fsrs.Card) -> CardState:
    return CardState(
        int(card.state), card.step, card.stability, card.difficulty, card.due, card.last_review
    )


def decay_of(parameters: tuple[float, ...] = ()) -> float:
    """The forgetting curve's decay (FSRS-6 parameter 21): the learner's, or the default."""
    return (parameters or DEFAULT_PARAMETERS)[20]


def retrievability(
    state: CardState, when: dt.datetime, parameters: tuple[float, ...] = ()
) -> float | None:
    """The chance of recalling the card at `when` (None for a card never studied), counting
    whole days since its last review as py-fsrs does."""
    if state.state == STATE_NEW:
        return None
    return retrievability_of(state.stability, state.last_review, when, parameters)


def retrievability_of(
    stability: float | None,
    last_review: dt.datetime | None,
    when: dt.datetime,
    parameters: tuple[float, ...] = (),
) -> float | None:
    """As py-fsrs computes it (whole days since the last review), without building a card."""
    if stability is None or last_review is None or stability <= 0:
        return None
    elapsed = (when.astimezone(dt.UTC) - last_review).days
    return recall_probability(max(0, elapsed), stability, decay_of(parameters))


def fuzz_seed(card_id: str, review_number: int) -> int:
    """A stable seed per card and review count (Python's hash() changes per process)."""
    digest = hashlib.sha256(f"{card_id}:{review_number}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@contextmanager
def _deterministic_fuzz(seed: int) -> Iterator[None]:
    # py-fsrs draws its fuzz from the module-level random(); give it a seeded one for the call,
    # so the interval previewed on a button is exactly the one saved, and replays match.
    original = getattr(fsrs_scheduler, "random")  # noqa: B009 - not re-exported by fsrs
    setattr(fsrs_scheduler, "random", random.Random(seed).random)  # noqa: B010
    try:
        yield
    finally:
        setattr(fsrs_scheduler, "random", original)  # noqa: B010


def review(
    scheduler: fsrs.Scheduler,
    state: CardState,
    rating: int,
    when: dt.datetime,
    card_id: str,
    review_number: int,
) -> CardState:
    """The state after answering `rating` at `when` (UTC); fuzz fixed by card and count."""
    with _deterministic_fuzz(fuzz_seed(card_id, review_number)):
        card, _log = scheduler.review_card(
            to_fsrs(state), fsrs.Rating(rating), when.astimezone(dt.UTC)
        )
    return from_fsrs(card)


def interval_label(interval: dt.timedelta) -> str:
    """Anki-style short interval: "1m", "10m", "3h", "1d", "4d", "1.5mo", "2.1y"."""
    seconds = max(0, round(interval.total_seconds()))
    minutes = seconds / 60
    if minutes < 1:
        return f"{seconds}s"
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
