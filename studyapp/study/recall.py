"""A card's recall as the memory map shows it: values the panes import before SQLAlchemy is
loaded (the figures come from study/card_stats.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CardRecall:
    card_id: str
    front: str
    recall: float | None  # None: not yet studied


def mean_recall(cards: list[CardRecall]) -> float | None:
    """The average recall of the studied ones (None if none is studied yet)."""
    values = [card.recall for card in cards if card.recall is not None]
    return sum(values) / len(values) if values else None
