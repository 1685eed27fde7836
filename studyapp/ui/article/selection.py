"""Which words of which sentence are selected in the article, for making a card of them.

The pane knows each sentence's range in the document; a selection maps onto one of them, or
is refused with the reason (two sentences, none, or past its sentence's end).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextDocument

from studyapp.collection import CardOperationError
from studyapp.content.text import split_sentences
from studyapp.ui.article.markup import CONTROL_LINKS

if TYPE_CHECKING:  # the collection's values load behind the first paint (collection/starting.py)
    from studyapp.collection.selection import SentenceSelection

SentenceKey = tuple[str, int]  # (passage id, sentence index)

NOTHING_SELECTED = (
    "Nothing is selected in the article. Select the words with the mouse, "
    "or find them with Ctrl+F, then make the card."
)
NO_WORDS = "The selection holds no words of the article. Select the words to make a card of."
NOT_IN_A_SENTENCE = (
    "The selection is not in a sentence of the article's text (headings, references and the "
    "source note cannot be a card's source). Select words within one sentence."
)
ACROSS_SENTENCES = (
    "The selection runs across {count} sentences. A card cites one sentence, so select words "
    "within one sentence."
)
PAST_ITS_SENTENCE = (
    "The selection reaches beyond its sentence, and a card's gap must lie inside the sentence "
    "it cites. Select words within one sentence."
)


def trim(
    document: QTextDocument, link_kind: Callable[[int], str], start: int, end: int
) -> tuple[int, int]:
    """The span without the spaces and the pane's own controls (◆, card badges) at its ends."""

    def skip(position: int) -> bool:
        return document.characterAt(position).isspace() or link_kind(position) in CONTROL_LINKS

    while start < end and skip(start):
        start += 1
    while end > start and skip(end - 1):
        end -= 1
    return start, end


def sentence_selection(
    span: tuple[int, int],
    sentences: Mapping[SentenceKey, tuple[int, int]],
    passage_texts: Mapping[str, str],
    events_by_sentence: Mapping[SentenceKey, Sequence[str]],
) -> SentenceSelection:
    """The selected words (a trimmed document span) in their one sentence; CardOperationError
    with the reason when the span is empty, in no sentence, or in more than one."""
    from studyapp.collection.selection import SentenceSelection

    start, end = span
    if start >= end:
        raise CardOperationError(NO_WORDS)
    hit = [(key, (a, b)) for key, (a, b) in sentences.items() if a < end and start < b]
    if not hit:
        raise CardOperationError(NOT_IN_A_SENTENCE)
    if len(hit) > 1:
        raise CardOperationError(ACROSS_SENTENCES.format(count=_count_words(len(hit))))
    (passage_id, index), (first, last) = hit[0]
    if start < first or end > last:
        raise CardOperationError(PAST_ITS_SENTENCE)
    text = passage_texts[passage_id]
    sentence = split_sentences(text)[index]
    return SentenceSelection(
        passage_id,
        index,
        text[sentence.start : sentence.end],
        start - first,
        end - first,
        tuple(events_by_sentence.get((passage_id, index), ())),
    )


def _count_words(count: int) -> str:
    return {2: "two", 3: "three", 4: "four"}.get(count, str(count))
