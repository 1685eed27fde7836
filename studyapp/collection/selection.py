"""Cards made from words selected in the article: the selection is a cloze's gap, or the
answer of a card the learner writes a question for; the sentence holding it is the quote.

The rules are the loader's (one non-empty gap inside one sentence); this module turns a
selection into card text and says in the learner's words why a selection cannot be one.
"""

from __future__ import annotations

from dataclasses import dataclass

from studyapp.collection.authoring_values import CardOperationError, CardSource, CardText, NewCard
from studyapp.content.model import CardKind
from studyapp.content.text import FOOTNOTE_MARKER, SOURCE_GAP


@dataclass(frozen=True)
class SentenceSelection:
    """Words selected in one sentence: offsets into the sentence as its passage stores it
    (footnote markers such as "[3]" included), and the events the sentence is the source of."""

    passage_id: str
    sentence_index: int
    sentence: str
    start: int
    end: int
    event_ids: tuple[str, ...] = ()

    @property
    def source(self) -> CardSource:
        return CardSource(self.passage_id, self.sentence_index)


def whole_words(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The span grown to whole words: a drag that starts or ends inside a word takes all of
    it (a gap of half a word, "{{Soviet Union occupied L}}ithuania", asks nothing)."""
    while start > 0 and sentence[start - 1].isalnum() and sentence[start].isalnum():
        start -= 1
    while end < len(sentence) and sentence[end - 1].isalnum() and sentence[end].isalnum():
        end += 1
    return start, end


def _read(sentence: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, selected, after) as read, without footnote markers; the selection is grown
    to whole words, and its words lose the spaces at their ends to the text around them."""
    if not 0 <= start < end <= len(sentence):
        raise CardOperationError("Nothing is selected in the sentence.")
    start, end = whole_words(sentence, start, end)
    hidden = {i for match in FOOTNOTE_MARKER.finditer(sentence) for i in range(*match.span())}

    def read(first: int, last: int) -> str:
        return "".join(sentence[i] for i in range(first, last) if i not in hidden)

    before, words, after = read(0, start), read(start, end), read(end, len(sentence))
    stripped = words.strip()
    if stripped:
        lead = words[: len(words) - len(words.lstrip())]
        trail = words[len(words.rstrip()) :]
        before, after = before + lead, trail + after
    return before, stripped, after


def selected_words(selection: SentenceSelection) -> str:
    """The selected words as read (footnote markers left out, spaces made single)."""
    _, words, _ = _read(selection.sentence, selection.start, selection.end)
    return " ".join(words.split())


def cloze_card(selection: SentenceSelection) -> NewCard:
    """A cloze card of the sentence with the selection as its one gap, linked to the
    sentence's events; CardOperationError says why the selection cannot be a gap."""
    before, words, after = _read(selection.sentence, selection.start, selection.end)
    if not words:
        raise CardOperationError(
            "The selection holds no words of the sentence (only spaces or a footnote marker), "
            "and a cloze gap cannot be empty. Select the words to hide."
        )
    if not words.replace(SOURCE_GAP, "").strip():
        raise CardOperationError(
            f"“{SOURCE_GAP}” marks words missing in the source itself, so it cannot be a "
            "cloze gap. Select words that are there."
        )
    if not (before + after).strip(" .,;:!?\"“”'’()"):
        raise CardOperationError(
            "The selection is the whole sentence, so the cloze would show nothing to recall "
            "it by. Select only the words to hide."
        )
    if any(brace in before + words + after for brace in ("{{", "}}")):
        raise CardOperationError(
            "The sentence holds “{{” or “}}”, which would be read as a cloze gap's marks, so "
            "no cloze can be made of it. Make a card with a question instead (Ctrl+Shift+N)."
        )
    cloze = f"{before}{{{{{words}}}}}{after}"
    return NewCard(CardText(CardKind.CLOZE, cloze=cloze), selection.source, selection.event_ids)
