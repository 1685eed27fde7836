"""The timeline's memory map: each event coloured by its cards' recall now, with hover text.
Colours are worked out when the events' cards change (or the palette, or the events shown),
not per frame."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from PySide6.QtGui import QColor, QPalette

from studyapp.study.recall import CardRecall, mean_recall
from studyapp.ui.memory_map import MemoryColours, describe

EventCards = Mapping[str, list[CardRecall]]


class EventMemory:
    """The memory map's state for the events shown; `marks` is empty while the map is off."""

    def __init__(self) -> None:
        self.cards: EventCards | None = None
        self.marks: list[QColor | None] = []  # by scene index: the colour, or None (no cards)

    def set(
        self,
        cards: EventCards | None,
        touched: Collection[str] | None,
        ids: Mapping[str, int],
        event_ids: Sequence[str],
        palette: QPalette,
    ) -> list[int] | None:
        """New cards for the map; touched: only these events moved (an answer). The events
        whose colour changed, by scene index (None: every event was coloured again)."""
        self.cards = cards
        if cards is None or touched is None or not self.marks:
            self.recolour(event_ids, palette)
            return None
        colours = MemoryColours.from_palette(palette)
        changed = []
        for event_id in touched:
            index = ids.get(event_id)
            if index is not None:
                found = cards.get(event_id)
                mark = colours.mark(mean_recall(found)) if found else None
                if mark != self.marks[index]:
                    self.marks[index] = mark
                    changed.append(index)
        return changed

    def recolour(self, event_ids: Sequence[str], palette: QPalette) -> None:
        """Every event's colour again (other events shown, or another palette)."""
        if self.cards is None:
            self.marks = []
            return
        colours = MemoryColours.from_palette(palette)
        cards = self.cards
        self.marks = [
            colours.mark(mean_recall(cards[event_id])) if cards.get(event_id) else None
            for event_id in event_ids
        ]

    def mark(self, index: int | None) -> QColor | None:
        return None if index is None or not self.marks else self.marks[index]

    def tip(self, event_id: str) -> str:
        found = self.cards.get(event_id) if self.cards is not None else None
        return describe(found) if found else ""
