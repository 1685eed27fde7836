"""Finding a quote among the article's sentences, and saying well why one is not there.

A card or an event cites one whole sentence, quoted verbatim. When a quote is not one, the
reason names the sentence the author most likely meant, so the fix is a glance away.
"""

from __future__ import annotations

import difflib


class QuoteError(ValueError):
    """The quote is not one whole sentence of the article; str() says why, for an author."""


def find_quote(quote: str, sentences: dict[str, list[str]], order: list[str]) -> tuple[str, int]:
    """(passage id, sentence index) of the sentence the quote is; QuoteError says why not.

    `sentences` maps each passage id to its sentences, `order` the passage ids in reading order.
    """
    for passage_id in order:
        if quote in sentences[passage_id]:
            return passage_id, sentences[passage_id].index(quote)
    every = [sentence for passage_id in order for sentence in sentences[passage_id]]
    whole = next((sentence for sentence in every if quote in sentence), None)
    if whole is not None:
        raise QuoteError(
            f"quote is part of a sentence, not a whole one: {quote!r}; quote the whole "
            f"sentence: {whole!r}"
        )
    for passage_id in order:
        joined = " ".join(sentences[passage_id])
        if quote in joined:
            first = _sentence_at(sentences[passage_id], joined.index(quote))
            raise QuoteError(
                f"quote spans more than one sentence: {quote!r}; a card or event quotes one "
                f"sentence (sentences end at . ! or ? before a capital letter), such as "
                f"{first!r}"
            )
    reason = f"quote not found verbatim in the article: {quote!r}"
    nearest = _nearest(quote, every)
    if nearest is not None:
        reason += f"; nearest sentence: {nearest!r} ({_first_difference(quote, nearest)})"
    raise QuoteError(reason)


def _sentence_at(sentences: list[str], offset: int) -> str:
    """The sentence at an offset into the sentences joined by spaces."""
    for sentence in sentences:
        if offset < len(sentence) + 1:
            return sentence
        offset -= len(sentence) + 1
    return sentences[-1]


def _nearest(quote: str, sentences: list[str]) -> str | None:
    """The article's sentence most like the quote, if one is much like it (a typo, a word
    changed, a footnote marker kept)."""
    best, best_ratio = None, 0.6
    for sentence in sentences:
        matcher = difflib.SequenceMatcher(None, quote, sentence, autojunk=False)
        if matcher.real_quick_ratio() > best_ratio and matcher.ratio() > best_ratio:
            best, best_ratio = sentence, matcher.ratio()
    return best


def _first_difference(quote: str, sentence: str) -> str:
    """Where the quote leaves the sentence, in words an author can find."""
    same = 0
    while same < min(len(quote), len(sentence)) and quote[same] == sentence[same]:
        same += 1
    if same == 0:
        return "they differ from the first character"
    before = quote[max(0, same - 30) : same]
    return f"they differ after {'…' if same > 30 else ''}{before!r}"
