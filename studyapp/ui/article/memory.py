"""The article's memory map: each sentence tinted by its cards' recall now, with hover text."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QColor, QPalette

from studyapp.study.card_stats import CardRecall, mean_recall
from studyapp.ui.memory_map import MemoryColours, describe

SentenceKey = tuple[str, int]  # (passage id, sentence index)
SentenceCards = Mapping[SentenceKey, list[CardRecall]]


class SentenceMemory:
    """The memory map's state for one article; `cards` None while the map is off."""

    def __init__(self) -> None:
        self.cards: SentenceCards | None = None

    @property
    def shown(self) -> bool:
        return self.cards is not None

    def tint(self, key: SentenceKey, palette: QPalette) -> QColor | None:
        cards = self.cards.get(key) if self.cards is not None else None
        if not cards:
            return None
        return MemoryColours.from_palette(palette).tint(mean_recall(cards))

    def tints(
        self, ranges: Mapping[SentenceKey, tuple[int, int]], palette: QPalette
    ) -> list[tuple[int, int, QColor]]:
        """(start, end, colour) for every tinted sentence in the document."""
        if self.cards is None:
            return []
        colours = MemoryColours.from_palette(palette)
        return [
            (*ranges[key], colours.tint(mean_recall(cards)))
            for key, cards in self.cards.items()
            if cards and key in ranges
        ]

    def tip(self, ranges: Mapping[SentenceKey, tuple[int, int]], position: int) -> str:
        if self.cards is None:
            return ""
        for key, (start, end) in ranges.items():
            if start <= position < end:
                cards = self.cards.get(key)
                return describe(cards) if cards else ""
        return ""
