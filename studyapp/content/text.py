"""Passage text: inline footnote markers like "[3]" and the sentences a passage is made of."""

from __future__ import annotations

import re
from dataclasses import dataclass

FOOTNOTE_MARKER = re.compile(r"\[(\d+)\]")
# Where words are missing in the source itself, the dataset writes this (never a cloze gap,
# which shows as "[…]"); the views say what it means wherever they show it.
SOURCE_GAP = "[...]"
SOURCE_GAP_NOTE = f"{SOURCE_GAP} Words are missing here in the source; StudyApp fills nothing in."
# A sentence ends at . ! or ? (optionally closed by a quote mark and followed by footnote
# markers), where the next one starts with a capital letter or a quote mark.
_SENTENCE_END = re.compile(r"[.!?][\"”’]?(?:\[\d+\])*(?=\s+[\"“A-ZÀ-Ž]|\s*$)")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage: offsets into the raw text (markers included), plain text."""

    start: int
    end: int
    text: str


def strip_markers(text: str) -> str:
    """The text as read, without footnote markers."""
    return FOOTNOTE_MARKER.sub("", text)


def footnote_numbers(text: str) -> list[int]:
    return [int(number) for number in FOOTNOTE_MARKER.findall(text)]


def split_sentences(text: str) -> list[Sentence]:
    """Split a passage into sentences; each keeps its offsets so a view can highlight it."""
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        raw = text[start:end]
        lead = len(raw) - len(raw.lstrip())
        sentence_start = start + lead
        sentences.append(Sentence(sentence_start, end, strip_markers(text[sentence_start:end])))
        start = end
    tail = text[start:].strip()
    if tail:
        tail_start = text.index(tail, start)
        sentences.append(Sentence(tail_start, tail_start + len(tail), strip_markers(tail)))
    return sentences
