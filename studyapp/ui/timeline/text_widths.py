"""Label text widths for the timeline, added up from each character's advance.

Qt shapes a string anew for every width it measures or elides: about 10 µs and 25 µs a call,
0.3-0.5 s for the 9,000 labels of a large timeline. With kerning off (the timeline's font has
it off), a string of simple characters is as wide as its characters' advances added up, so
each distinct character is measured once. Anything else (combining marks, right-to-left or
complex scripts, controls) goes to Qt, as does every string when kerning is on.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_left
from itertools import accumulate

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF

ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
# Scripts whose characters sit side by side, one glyph each: Latin, Greek, Cyrillic, and the
# general punctuation block (dashes, quotes, the ellipsis).
_SIMPLE_BLOCKS = ((0x20, 0x7E), (0xA0, 0x052F), (0x1E00, 0x1FFF), (0x2010, 0x2027))
_NOT_ADDITIVE = frozenset({"Mn", "Mc", "Me", "Cf", "Cc", "Zl", "Zp"})
_QT = math.nan  # the advance of a character whose strings Qt measures


def _simple(character: str) -> bool:
    code = ord(character)
    return any(low <= code <= high for low, high in _SIMPLE_BLOCKS) and (
        unicodedata.category(character) not in _NOT_ADDITIVE
    )


class TextWidths:
    """Widths and right-elided strings for one font, as QFontMetricsF gives them."""

    def __init__(self, font: QFont) -> None:
        self.metrics = QFontMetricsF(font)
        self._additive = not font.kerning()
        # Each character's advance, NaN for one that makes its strings Qt's to measure: the
        # NaN carries through any sum, so one check of the total tells.
        self._advances: dict[str, float] = {}
        self._ellipsis = self.metrics.horizontalAdvance(ELLIPSIS)

    def _advances_of(self, text: str) -> list[float]:
        advances = self._advances
        try:  # the common case, every character seen before: a lookup each, in C
            return list(map(advances.__getitem__, text))
        except KeyError:
            for character in set(text).difference(advances):
                advances[character] = (
                    self.metrics.horizontalAdvance(character) if _simple(character) else _QT
                )
            return list(map(advances.__getitem__, text))

    def width(self, text: str) -> float:
        """What QFontMetricsF.horizontalAdvance(text) gives (to half a pixel, as measured)."""
        if self._additive:
            total = sum(self._advances_of(text))
            if total == total:  # not NaN
                return total
        return self.metrics.horizontalAdvance(text)

    def elided(self, text: str, width: float) -> str:
        """`text` whole if it fits in `width`, else its longest start that fits with an
        ellipsis after it, never wider than `width` (Qt's ElideRight, which now and then
        keeps a character less or more)."""
        cut = self._cut(text, width)
        if cut is None:
            return self.metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        return cut[0]

    def fitted(self, text: str, width: float) -> tuple[str, float]:
        """elided(text, width) and its width, measured in the same pass."""
        cut = self._cut(text, width)
        if cut is not None:
            return cut
        whole = self.metrics.horizontalAdvance(text)
        if whole <= width:  # most labels fit: one call, as before
            return text, whole
        shown = self.metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        return shown, self.metrics.horizontalAdvance(shown)

    def _cut(self, text: str, width: float) -> tuple[str, float] | None:
        """(elided text, its width) from the characters' advances; None: Qt's to measure."""
        if not self._additive:
            return None
        ends = list(accumulate(self._advances_of(text)))  # where each character ends
        whole = ends[-1] if ends else 0.0
        if whole != whole:  # NaN: a character only Qt can place
            return None
        if whole <= width:
            return text, whole
        # The characters kept are those ending before the ellipsis's room.
        kept = bisect_left(ends, width - self._ellipsis)
        if not kept:
            return "", 0.0
        return text[:kept] + ELLIPSIS, ends[kept - 1] + self._ellipsis
