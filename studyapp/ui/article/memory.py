"""The article's memory map: each sentence tinted by its cards' recall now, with hover text."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from PySide6.QtGui import QColor, QPalette

from studyapp.study.recall import CardRecall, mean_recall
from studyapp.ui.memory_map import MemoryColours, describe

SentenceKey = tuple[str, int]  # (passage id, sentence index)
SentenceCards = Mapping[SentenceKey, list[CardRecall]]


class SentenceMemory:
    """The memory map's state for one article; `cards` None while the map is off. Each
    sentence's tint is worked out when its cards change (or the palette does), not per draw."""

    def __init__(self) -> None:
        self.cards: SentenceCards | None = None
        self._tints: dict[SentenceKey, QColor] = {}
        self._palette_key: tuple[int, int] | None = None

    @property
    def shown(self) -> bool:
        return self.cards is not None

    def set(self, cards: SentenceCards | None, touched: Collection[SentenceKey] | None) -> None:
        """New cards for the map; touched: only these sentences moved."""
        self.cards = cards
        if cards is None:
            self._tints = {}
            self._palette_key = None
        elif touched is None or self._palette_key is None:
            self._palette_key = None  # every tint again, at the next draw
        else:
            colours = MemoryColours(*self._palette_colours())
            for key in touched:
                found = cards.get(key)
                if found:
                    self._tints[key] = colours.tint(mean_recall(found))
                else:
                    self._tints.pop(key, None)

    def tint(self, key: SentenceKey, palette: QPalette) -> QColor | None:
        self._follow(palette)
        return self._tints.get(key)

    def tints(
        self,
        ranges: Mapping[SentenceKey, tuple[int, int]],
        palette: QPalette,
        span: tuple[int, int] | None = None,
    ) -> list[tuple[int, int, QColor]]:
        """(start, end, colour) for every tinted sentence in the document, or in the span
        (start, end positions) only."""
        self._follow(palette)
        first, last = span if span is not None else (0, 1 << 62)
        found = []
        for key, colour in self._tints.items():
            where = ranges.get(key)
            if where is not None and where[1] >= first and where[0] <= last:
                found.append((*where, colour))
        return found

    def _palette_colours(self) -> tuple[QColor, QColor]:
        assert self._palette_key is not None
        base, text = self._palette_key
        return QColor.fromRgba(base), QColor.fromRgba(text)

    def _follow(self, palette: QPalette) -> None:
        """Work every tint out again if the palette is not the one they were made for."""
        colours = MemoryColours.from_palette(palette)
        key = (colours.base.rgba(), colours.text.rgba())
        if self.cards is None or key == self._palette_key:
            return
        self._palette_key = key
        self._tints = {
            sentence: colours.tint(mean_recall(found))
            for sentence, found in self.cards.items()
            if found
        }

    def tip(self, ranges: Mapping[SentenceKey, tuple[int, int]], position: int) -> str:
        if self.cards is None:
            return ""
        for key, (start, end) in ranges.items():
            if start <= position < end:
                cards = self.cards.get(key)
                return describe(cards) if cards else ""
        return ""
