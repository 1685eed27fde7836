"""The memory map's colours and words: a sentence or event tinted by how well its cards are
remembered now (no tint: no cards; grey: not yet studied; red to green: weak to strong).

The colours come from the palette: the ramp's hues are made readable on its base, and the
article's tints are blended into the base so the text on them keeps its contrast.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from studyapp.study.recall import CardRecall, mean_recall
from studyapp.ui.colours import mix, readable_hue

WEAK = 0.70  # recall at or below this is the ramp's red end
STRONG = 1.00  # the green end
RED_HUE, GREEN_HUE = 0, 120
TINT_AMOUNT = 0.30  # how far the article's sentence tint goes from the base towards the hue
LEGEND_STEPS = (0.70, 0.80, 0.90, 1.00)


def ramp_hue(recall: float) -> int:
    """The hue for a recall probability: red at WEAK or below, through yellow, green at 1."""
    share = min(max((recall - WEAK) / (STRONG - WEAK), 0.0), 1.0)
    return round(RED_HUE + (GREEN_HUE - RED_HUE) * share)


@dataclass(frozen=True)
class MemoryColours:
    """The memory map's colours for one palette."""

    base: QColor
    text: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> MemoryColours:
        return cls(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text))

    def mark(self, recall: float | None) -> QColor:
        """A marker's full colour (3:1 against the base at least, as graphics need)."""
        return self._colours(None if recall is None else ramp_hue(recall))[0]

    def tint(self, recall: float | None) -> QColor:
        """A background behind text: the mark blended into the base."""
        return self._colours(None if recall is None else ramp_hue(recall))[1]

    def _colours(self, hue: int | None) -> tuple[QColor, QColor]:
        """(mark, tint) for a ramp hue (None: not yet studied), worked out once per palette:
        the ramp has 121 hues, the map thousands of sentences and events."""
        key = (self.base.rgba(), self.text.rgba(), hue)
        found = _COLOURS.get(key)
        if found is None:
            if hue is None:
                found = (mix(self.base, self.text, 0.45), mix(self.base, self.text, 0.16))
            else:
                mark = readable_hue(hue, self.base, minimum=3.0)
                found = (mark, mix(self.base, mark, TINT_AMOUNT))
            _COLOURS[key] = found
        return QColor(found[0]), QColor(found[1])


_COLOURS: dict[tuple[int, int, int | None], tuple[QColor, QColor]] = {}


def describe(cards: list[CardRecall]) -> str:
    """Hover text: the recall of the sentence's (or event's) cards, one line each."""
    average = mean_recall(cards)
    count = f"{len(cards)} card" + ("" if len(cards) == 1 else "s")
    head = (
        f"Memory: {count}, not yet studied"
        if average is None
        else f"Memory: {count}, recall now {average:.0%} on average"
    )
    lines = [head]
    for card in cards:
        recall = "not yet studied" if card.recall is None else f"{card.recall:.0%}"
        lines.append(f"• {card.front} — {recall}")
    return "\n".join(lines)


def legend_text() -> str:
    return "Memory map: no tint, no cards · grey, not yet studied · red to green, recall now"


class MemoryLegend(QWidget):
    """The memory map's key: a swatch per step, in the palette's colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memoryLegend")
        self.setAccessibleName("Memory map legend")
        self.setToolTip(legend_text())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._swatches: list[tuple[QLabel, float | None]] = []
        steps = [(f"{r:.0%}" if r > WEAK else f"≤{r:.0%}", r) for r in LEGEND_STEPS]
        for text, recall in (("not studied", None), *steps):
            swatch = QLabel(text, self)
            swatch.setContentsMargins(4, 0, 4, 0)
            swatch.setAutoFillBackground(True)
            layout.addWidget(swatch)
            self._swatches.append((swatch, recall))
        self._restyle()

    def texts(self) -> list[str]:
        return [swatch.text() for swatch, _ in self._swatches]

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_swatches"):
            self._restyle()

    def _restyle(self) -> None:
        colours = MemoryColours.from_palette(self.palette())
        for swatch, recall in self._swatches:
            palette = swatch.palette()
            palette.setColor(QPalette.ColorRole.Window, colours.tint(recall))
            palette.setColor(QPalette.ColorRole.WindowText, colours.text)
            swatch.setPalette(palette)
