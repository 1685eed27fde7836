"""Label text widths for the timeline, added up from each character's advance.

Qt shapes a string anew for every width it measures or elides: about 10 µs and 25 µs a call,
0.3-0.5 s for the 9,000 labels of a large timeline. With kerning off (the timeline's font has
it off), a string of simple characters is as wide as its characters' advances added up, so
each distinct character is measured once. Anything else (combining marks, right-to-left or
complex scripts, controls) goes to Qt, as does every string when kerning is on.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF

ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
# Scripts whose characters sit side by side, one glyph each: Latin, Greek, Cyrillic, and the
# general punctuation block (dashes, quotes, the ellipsis).
_SIMPLE_BLOCKS = ((0x20, 0x7E), (0xA0, 0x052F), (0x1E00, 0x1FFF), (0x2010, 0x2027))
_NOT_ADDITIVE = frozenset({"Mn", "Mc", "Me", "Cf", "Cc", "Zl", "Zp"})


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
        self._advances: dict[str, float | None] = {}  # None: measure its strings with Qt
        self._words: dict[str, float] = {}
        self._ellipsis = self.metrics.horizontalAdvance(ELLIPSIS)
        self._space = self.metrics.horizontalAdvance(" ")

    def _advance(self, character: str) -> float | None:
        advance = self.metrics.horizontalAdvance(character) if _simple(character) else None
        self._advances[character] = advance
        return advance

    def _advances_of(self, text: str) -> list[float] | None:
        advances = self._advances
        found = []
        for character in text:
            advance = advances[character] if character in advances else self._advance(character)
            if advance is None:
                return None
            found.append(advance)
        return found

    def _word_widths(self, text: str) -> list[float] | None:
        """Each space-separated word's width (None: Qt must measure this text)."""
        if not self._additive:
            return None
        words = self._words
        found = []
        for word in text.split(" "):  # titles share their words: each is added up once
            width = words.get(word)
            if width is None:
                advances = self._advances_of(word)
                if advances is None:
                    return None
                width = words[word] = sum(advances)
            found.append(width)
        return found

    def width(self, text: str) -> float:
        """What QFontMetricsF.horizontalAdvance(text) gives (to half a pixel, as measured)."""
        widths = self._word_widths(text)
        if widths is None:
            return self.metrics.horizontalAdvance(text)
        return sum(widths) + self._space * (len(widths) - 1)

    def elided(self, text: str, width: float) -> str:
        """`text` whole if it fits in `width`, else its longest start that fits with an
        ellipsis after it, never wider than `width` (Qt's ElideRight, which now and then
        keeps a character less or more)."""
        widths = self._word_widths(text)
        if widths is None:
            return self.metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        if sum(widths) + self._space * (len(widths) - 1) <= width:
            return text
        room = width - self._ellipsis
        used, position = 0.0, 0
        for word, word_width in zip(text.split(" "), widths, strict=True):
            if used + word_width >= room:  # the cut is in this word
                for character in word:
                    used += self._advances[character] or 0.0
                    if used >= room:
                        break
                    position += 1
                break
            used += word_width
            position += len(word)
            used += self._space
            if used >= room:
                break
            position += 1
        return text[:position] + ELLIPSIS if position else ""
