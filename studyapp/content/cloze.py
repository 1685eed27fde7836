"""Cloze text: one {{gap}} in a sentence; the same rules for pack cards and the learner's."""

from __future__ import annotations

import re

from studyapp.content.model import CLOZE_GAP

CLOZE_PATTERN = re.compile(r"\{\{(.+?)\}\}")


def cloze_sides(text: str, quote: str | None = None) -> tuple[str, str]:
    """The (front, back) of a cloze text with exactly one {{gap}}; ValueError says why not.

    With a quote, the filled-in text must occur in it (a card cites its sentence).
    """
    gaps = CLOZE_PATTERN.findall(text)
    if len(gaps) != 1:
        raise ValueError(f"cloze text must have exactly one {{{{gap}}}}, not {len(gaps)}")
    if not gaps[0].strip():
        raise ValueError("the cloze gap {{…}} is empty")
    back = CLOZE_PATTERN.sub(r"\1", text)
    if quote is not None and back not in quote:
        raise ValueError("cloze text, filled in, does not occur in its quote")
    return CLOZE_PATTERN.sub(CLOZE_GAP, text), back
