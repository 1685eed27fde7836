"""Workload vs retention: how many reviews a day this collection costs over the next year at
each desired retention, so the learner chooses retention knowing the price.

Every memory change comes from the FSRS engine Anki runs (fsrs-rs: its next_states gives the
stability, difficulty and interval after each rating); this module only keeps the calendar.
The binding's own simulate() would serve, but it always starts from an empty deck (it passes
no existing cards to the engine), which would drop every memory the learner has built; so the
day loop here starts from the cards as they are today, with the daily limits, and draws
recall from the forgetting curve and ratings from the learner's own log. A large collection
is simulated on a fixed random sample and scaled up.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.storage import models
from studyapp.storage.cards import recall_probability, studied
from studyapp.study.scheduling import (
    DEFAULT_PARAMETERS,
    LEARNING_STEPS,
    MAXIMUM_INTERVAL_DAYS,
    RELEARNING_STEPS,
    decay_of,
)

if TYPE_CHECKING:
    import fsrs_rs_python

DAYS = 365
RETENTIONS = tuple(round(0.70 + 0.01 * step, 2) for step in range(28))  # 0.70 .. 0.97
SAMPLE_CARDS = 1000
MAX_RUNS = 8  # simulations averaged for a small deck
# The engine's defaults (fsrs-rs SimulatorConfig), used until the log has enough answers.
FIRST_RATING_PROB = (0.24, 0.094, 0.495, 0.171)  # Again, Hard, Good, Easy on a new card
REVIEW_RATING_PROB = (0.224, 0.631, 0.145)  # Hard, Good, Easy when a review is recalled
MIN_ANSWERS_FOR_PROBABILITIES = 50
# Same-day answers a rating leads to, by our learning steps (1m, 10m) and relearning step
# (10m): Again and Hard go through every step, Good through the rest, Easy graduates; a
# forgotten review goes through the relearning step.
LEARNING_ANSWERS = (len(LEARNING_STEPS), len(LEARNING_STEPS), len(LEARNING_STEPS) - 1, 0)
RELEARNING_ANSWERS = len(RELEARNING_STEPS)


@dataclass(frozen=True)
class SimCard:
    """A card as the simulation starts it: None stability for a new card."""

    stability: float | None
    difficulty: float | None
    last_day: int  # days from today of its last review (<= 0)
    due_day: int  # days from today it falls due (overdue cards are due today, 0)


@dataclass(frozen=True)
class Deck:
    cards: tuple[SimCard, ...]
    total: int  # cards in the collection the sample stands for
    new_per_day: int
    reviews_per_day: int
    first_rating_prob: tuple[float, ...] = FIRST_RATING_PROB
    review_rating_prob: tuple[float, ...] = REVIEW_RATING_PROB

    @property
    def scale(self) -> float:
        return self.total / len(self.cards) if self.cards else 1.0


@dataclass(frozen=True)
class WorkloadPoint:
    retention: float
    reviews_per_day: float  # answers a day (reviews and same-day steps), over the year
    new_per_day: float  # new cards introduced a day, averaged over the year
    memorized: float  # expected cards remembered at the end of the year
    held_back_days: float = 0.0  # days on which the daily review limit held cards back


@dataclass(frozen=True)
class Workload:
    points: tuple[WorkloadPoint, ...]
    cards: int
    sampled: int  # cards simulated (fewer than `cards` when sampled)
    days: int = DAYS
    notes: tuple[str, ...] = field(default=())


def load_deck(session: Session, now: dt.datetime, new_per_day: int, reviews_per_day: int) -> Deck:
    """The studied (not suspended) cards as they are now, sampled to SAMPLE_CARDS."""
    card = models.Card
    rows = session.execute(
        select(card.state, card.stability, card.difficulty, card.last_review, card.due).where(
            studied()
        )
    ).all()
    cards = []
    for state, stability, difficulty, last_review, due in rows:
        if state == models.STATE_NEW or stability is None or last_review is None or due is None:
            cards.append(SimCard(None, None, 0, 0))
        else:
            last = -max(0, (now - last_review) // dt.timedelta(days=1))
            due_day = max(0, -((now - due) // dt.timedelta(days=1)))
            cards.append(SimCard(stability, difficulty or 5.0, last, due_day))
    total = len(cards)
    if total > SAMPLE_CARDS:
        cards = random.Random(2023).sample(cards, SAMPLE_CARDS)
    first, review = rating_probabilities(session)
    return Deck(tuple(cards), total, new_per_day, reviews_per_day, first, review)


def rating_probabilities(session: Session) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The learner's own rating shares: on new cards, and on recalled reviews (one query)."""
    log = models.ReviewLog
    new = log.state_before == models.STATE_NEW
    review = log.state_before == models.STATE_REVIEW
    columns = [func.count().filter(new, log.rating == rating) for rating in (1, 2, 3, 4)]
    columns += [func.count().filter(review, log.rating == rating) for rating in (2, 3, 4)]
    counts = session.execute(select(*columns)).one()
    first_counts, review_counts = counts[:4], counts[4:]
    first = _shares(first_counts) or FIRST_RATING_PROB
    recalled = _shares(review_counts) or REVIEW_RATING_PROB
    return first, recalled


def _shares(counts: Sequence[int]) -> tuple[float, ...] | None:
    total = sum(counts)
    if total < MIN_ANSWERS_FOR_PROBABILITIES:
        return None
    return tuple(count / total for count in counts)


def simulate(
    deck: Deck,
    retention: float,
    parameters: tuple[float, ...] = (),
    seed: int = 42,
    *,
    same_day_steps: bool = True,
) -> WorkloadPoint:
    """One year of this deck at one desired retention (the same seed for every retention);
    same_day_steps False counts only the first answer of each day (the engine's simulate
    with no learning steps, which the tests compare it with)."""
    import fsrs_rs_python as engine

    model = engine.FSRS(list(parameters or DEFAULT_PARAMETERS))
    decay = decay_of(parameters)
    rng = random.Random(seed)
    scale = deck.scale
    learn_quota = deck.new_per_day / scale
    review_quota = deck.reviews_per_day / scale
    due_on: dict[int, list[int]] = {}
    stability: list[float] = []
    difficulty: list[float] = []
    last: list[int] = []
    new_cards = 0
    for card in deck.cards:
        if card.stability is None or card.difficulty is None:
            new_cards += 1
            continue
        due_on.setdefault(card.due_day, []).append(len(stability))
        stability.append(card.stability)
        difficulty.append(card.difficulty)
        last.append(card.last_day)
    reviews = learned = held_back = 0
    learn_left = review_left = 0.0
    for day in range(DAYS):
        review_left = min(review_left, 1.0) + review_quota
        waiting = due_on.pop(day, [])
        postponed = []
        for index in waiting:
            if review_left < 1.0:
                postponed.append(index)
                continue
            review_left -= 1.0
            reviews += 1
            elapsed = day - last[index]
            recalled = rng.random() < recall_probability(elapsed, stability[index], decay)
            rating = 1 if not recalled else 2 + _draw(rng, deck.review_rating_prob)
            if not recalled and same_day_steps:
                reviews += RELEARNING_ANSWERS
            states = model.next_states(
                engine.MemoryState(stability[index], difficulty[index]), retention, elapsed
            )
            after = (states.again, states.hard, states.good, states.easy)[rating - 1]
            _schedule(index, after, day, stability, difficulty, last, due_on)
        if postponed:
            held_back += 1
            due_on.setdefault(day + 1, []).extend(postponed)
        learn_left = min(learn_left, 1.0) + learn_quota
        while new_cards and learn_left >= 1.0:
            learn_left -= 1.0
            new_cards -= 1
            learned += 1
            rating = 1 + _draw(rng, deck.first_rating_prob)
            if same_day_steps:
                reviews += LEARNING_ANSWERS[rating - 1]
            states = model.next_states(None, retention, 0)
            after = (states.again, states.hard, states.good, states.easy)[rating - 1]
            index = len(stability)
            stability.append(0.0)
            difficulty.append(0.0)
            last.append(day)
            _schedule(index, after, day, stability, difficulty, last, due_on)
    memorized = sum(
        recall_probability(DAYS - last[i], stability[i], decay) for i in range(len(stability))
    )
    return WorkloadPoint(
        retention, reviews * scale / DAYS, learned * scale / DAYS, memorized * scale, held_back
    )


def _schedule(
    index: int,
    after: fsrs_rs_python.ItemState,
    day: int,
    stability: list[float],
    difficulty: list[float],
    last: list[int],
    due_on: dict[int, list[int]],
) -> None:
    memory = after.memory
    stability[index] = memory.stability
    difficulty[index] = memory.difficulty
    last[index] = day
    interval = min(max(1, round(after.interval)), MAXIMUM_INTERVAL_DAYS)
    due_on.setdefault(day + interval, []).append(index)


def _draw(rng: random.Random, probabilities: Sequence[float]) -> int:
    """An index drawn with these probabilities."""
    value = rng.random() * sum(probabilities)
    for index, probability in enumerate(probabilities):
        value -= probability
        if value < 0:
            return index
    return len(probabilities) - 1


def workload(
    deck: Deck, parameters: tuple[float, ...] = (), retentions: Sequence[float] = RETENTIONS
) -> Workload:
    """Every retention on the same seeds; a small deck is simulated several times over and
    averaged, so one lucky or unlucky draw does not shape the curve."""
    runs = max(1, min(MAX_RUNS, SAMPLE_CARDS // max(1, len(deck.cards))))
    points = []
    for retention in retentions:
        each = [simulate(deck, retention, parameters, seed=42 + run) for run in range(runs)]
        points.append(
            WorkloadPoint(
                retention,
                sum(p.reviews_per_day for p in each) / runs,
                sum(p.new_per_day for p in each) / runs,
                sum(p.memorized for p in each) / runs,
                sum(p.held_back_days for p in each) / runs,
            )
        )
    return Workload(tuple(points), deck.total, len(deck.cards))
