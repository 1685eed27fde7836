"""Showing text from a pack or from the learner exactly as written, and within the window.

Qt guesses whether a tooltip is HTML; a card's front that happens to look like markup must
still show as the characters it is. A 400-letter "word" must wrap, not widen the window.
"""

from __future__ import annotations

import html
import re

ZERO_WIDTH_SPACE = "\u200b"
_LONG_RUN = re.compile(r"\S{30,}")


def plain_tip(text: str) -> str:
    """A tooltip that shows `text` literally (rich text forced, every character escaped, its
    line breaks kept)."""
    return f"<qt>{html.escape(text).replace(chr(10), '<br>')}</qt>" if text else ""


def breakable(text: str, every: int = 30) -> str:
    """The text with an invisible break chance every `every` characters of a run without
    spaces, so wrapping labels can always wrap it."""

    def split(match: re.Match[str]) -> str:
        run = match.group(0)
        return ZERO_WIDTH_SPACE.join(run[i : i + every] for i in range(0, len(run), every))

    return _LONG_RUN.sub(split, text)
