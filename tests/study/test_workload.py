"""Workload vs retention: the day loop against the engine's own simulator, and this deck."""

from __future__ import annotations

import itertools

import pytest

from studyapp.collection import Collection
from studyapp.study.scheduling import DEFAULT_PARAMETERS
from studyapp.study.workload import RETENTIONS, Deck, SimCard, simulate


def engine_reviews_per_day(cards: int, new_per_day: int, retention: float) -> float:
    """fsrs-rs's own simulate() from an empty deck, no same-day steps, over five seeds."""
    import fsrs_rs_python as engine

    config = engine.default_simulator_config()
    config.deck_size = cards
    config.learn_limit = new_per_day
    config.learn_span = 365
    config.max_cost_perday = 1e9
    config.learning_step_count = 0
    config.relearning_step_count = 0
    runs = [engine.simulate(list(DEFAULT_PARAMETERS), retention, config, seed) for seed in range(5)]
    return sum(sum(run.review_cnt_per_day) for run in runs) / len(runs) / 365


@pytest.mark.parametrize("retention", [0.75, 0.9, 0.95])
def test_the_day_loop_agrees_with_the_engines_simulator_on_a_new_deck(retention: float) -> None:
    deck = Deck(tuple(SimCard(None, None, 0, 0) for _ in range(600)), 600, 10, 99999)
    ours = simulate(deck, retention, same_day_steps=False).reviews_per_day
    assert ours == pytest.approx(engine_reviews_per_day(600, 10, retention), rel=0.08)


def test_cards_already_learned_cost_fewer_reviews_than_new_ones() -> None:
    new = Deck(tuple(SimCard(None, None, 0, 0) for _ in range(200)), 200, 20, 9999)
    strong = Deck(tuple(SimCard(200.0, 5.0, -10, 190) for _ in range(200)), 200, 20, 9999)
    assert simulate(strong, 0.9).reviews_per_day < simulate(new, 0.9).reviews_per_day / 3


def test_a_sample_stands_for_the_whole_deck() -> None:
    cards = tuple(SimCard(None, None, 0, 0) for _ in range(100))
    whole = simulate(Deck(cards, 100, 10, 9999), 0.9)
    scaled = simulate(Deck(cards, 1000, 100, 99990), 0.9)  # the same cards standing for 10x
    assert scaled.reviews_per_day == pytest.approx(10 * whole.reviews_per_day)


def test_this_collection_costs_more_at_higher_retention(collection: Collection) -> None:
    result = collection.workload()
    assert [point.retention for point in result.points] == list(RETENTIONS)
    assert (RETENTIONS[0], RETENTIONS[-1]) == (0.70, 0.97)
    assert result.cards == 41 and result.sampled == 41
    low, high = result.points[0], result.points[-1]
    assert high.reviews_per_day > 2 * low.reviews_per_day
    assert high.memorized > low.memorized
    # 20 new cards a day: the 41 cards are all introduced in three days.
    assert sum(p.new_per_day for p in result.points[:1]) * 365 == pytest.approx(41)


def test_a_daily_review_limit_holds_cards_back_and_says_so() -> None:
    due_today = tuple(SimCard(10.0, 5.0, -10, 0) for _ in range(50))
    limited = simulate(Deck(due_today, 50, 0, 5), 0.9)
    free = simulate(Deck(due_today, 50, 0, 9999), 0.9)
    assert limited.held_back_days >= 9  # 50 cards due at once, 5 a day
    assert free.held_back_days == 0


def test_a_small_deck_is_averaged_over_several_runs_into_a_rising_curve(
    collection: Collection,
) -> None:
    points = collection.workload().points
    rising = sum(b.reviews_per_day >= a.reviews_per_day for a, b in itertools.pairwise(points))
    assert rising >= len(points) - 4  # one draw alone zigzags: 8 averaged mostly rise
