"""Checks that a pack's cards teach well: each asks one thing, and no question gives an answer.

Heuristics on words, run by the loader on every pack; a card may name a check in its `allow`
table, with the reason, where a check finds something that is not a problem:

- own-answer: the question holds the card's own answer.
- sibling-answer: the question holds the answer of another card citing the same sentence
  (a learner sees both, so one would give the other away).
- two-questions: "and" joins two questions ("Where and when ...?", "Who ..., and what ...?").

An answer is found in a question as a run of its words (lower case, possessive "'s" dropped,
edge words such as "the" or "on" left out). The run's last word may carry a short suffix in the
question ("Lithuania" is found in "Soviet–Lithuanian"). A cloze card's answer is its gap; a
basic card's is its back, each item of a list in it ("A and B", "A, B") and each date written
in it; a chronology card's is the dates in its back (its question names its events by design).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from studyapp.content.cloze import CLOZE_PATTERN
from studyapp.content.dates import MONTHS
from studyapp.content.model import Card, CardKind

OWN_ANSWER = "own-answer"
SIBLING_ANSWER = "sibling-answer"
TWO_QUESTIONS = "two-questions"
CHECKS = (OWN_ANSWER, SIBLING_ANSWER, TWO_QUESTIONS)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_DATE = re.compile(rf"\b(?:{'|'.join(MONTHS)})(?: \d{{1,2}},)? \d{{4}}\b")
# List items: split at "and" and at commas, but not inside a date ("May 6, 1931").
_LIST_SEPARATOR = re.compile(r"\s+and\s+|,\s+(?!\d)")
_EDGE_WORDS = frozenset({
    "the", "a", "an", "on", "in", "at", "to", "of", "for", "by", "from", "since", "under",
    "with", "that", "it", "its", "was", "were", "is", "and", "or",
})  # fmt: skip
_INTERROGATIVES = frozenset(
    {"who", "whom", "whose", "what", "when", "where", "which", "why", "how"}
)
_SUFFIX_LETTERS = 2  # "Lithuania" in "Lithuanian", "Latvia" in "Latvians"

Term = tuple[str, ...]


@dataclass(frozen=True)
class CardProblem:
    card_id: str
    check: str  # one of CHECKS
    reason: str


def words(text: str) -> list[str]:
    """The words of a text, lower case, with the possessive "'s" dropped."""
    found = []
    for word in _WORD.findall(text.lower()):
        word = word.replace("’", "'")
        found.append(word[:-2] if word.endswith("'s") else word)
    return found


def _term(text: str) -> Term:
    found = words(text)
    while found and found[0] in _EDGE_WORDS:
        found.pop(0)
    while found and found[-1] in _EDGE_WORDS:
        found.pop()
    return tuple(found)


def answer_terms(card: Card) -> set[Term]:
    """The answers a question must not hold, as runs of words."""
    if card.kind is CardKind.CLOZE:
        texts = CLOZE_PATTERN.findall(card.cloze or "")
    elif card.kind is CardKind.CHRONOLOGY:
        texts = _DATE.findall(card.back)
    else:
        texts = [card.back, *_DATE.findall(card.back), *_LIST_SEPARATOR.split(card.back)]
    return {term for term in map(_term, texts) if term}


def found_in(term: Term, question: Sequence[str]) -> bool:
    *head, last = term
    for start in range(len(question) - len(term) + 1):
        if list(question[start : start + len(head)]) != head:
            continue
        word = question[start + len(head)]
        if word == last or (
            last.isalpha() and word.startswith(last) and len(word) - len(last) <= _SUFFIX_LETTERS
        ):
            return True
    return False


def _shown(term: Term) -> str:
    return " ".join(term)


def joins_two_questions(question: str) -> bool:
    """Two question marks, or "and" next to a question word: "Where and when", ", and why"."""
    if question.count("?") > 1:
        return True
    found = words(question)
    for index, word in enumerate(found):
        if word != "and":
            continue
        before = found[index - 1] if index else ""
        if before in _INTERROGATIVES or _INTERROGATIVES.intersection(found[index + 1 : index + 4]):
            return True
    return False


def card_problems(cards: Iterable[Card]) -> list[CardProblem]:
    """Every problem the checks find, card by card in the order given."""
    cards = list(cards)
    by_sentence: dict[tuple[str, int], list[Card]] = defaultdict(list)
    for card in cards:
        by_sentence[(card.source.passage_id, card.source.sentence_index)].append(card)
    terms = {card.id: answer_terms(card) for card in cards}
    problems: list[CardProblem] = []
    for card in cards:
        question = words(card.front)  # a cloze's front is its text with the gap
        for term in sorted(terms[card.id]):
            if found_in(term, question):
                problems.append(
                    CardProblem(
                        card.id, OWN_ANSWER, f"its question holds its own answer {_shown(term)!r}"
                    )
                )
                break
        for sibling in by_sentence[(card.source.passage_id, card.source.sentence_index)]:
            if sibling is card:
                continue
            held = [term for term in sorted(terms[sibling.id]) if found_in(term, question)]
            if held:
                problems.append(
                    CardProblem(
                        card.id,
                        SIBLING_ANSWER,
                        f"its question holds {_shown(held[0])!r}, the answer of card "
                        f"'{sibling.id}', which cites the same sentence",
                    )
                )
        if card.kind is not CardKind.CLOZE and joins_two_questions(card.front):
            problems.append(
                CardProblem(card.id, TWO_QUESTIONS, "it asks two questions joined by 'and'")
            )
    return problems
