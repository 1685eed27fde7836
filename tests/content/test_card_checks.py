"""The card checks find what taught badly in dataset v2, and leave well-made cards alone."""

from __future__ import annotations

import pytest

from studyapp.content.card_checks import (
    OWN_ANSWER,
    SIBLING_ANSWER,
    TWO_QUESTIONS,
    answer_terms,
    card_problems,
    found_in,
    joins_two_questions,
    words,
)
from studyapp.content.cloze import cloze_sides
from studyapp.content.model import Card, CardKind, SourceRef

COUP = (
    "As one of the protests was dispersed by force, it is cited as one of the reasons for the "
    "military coup in December 1926."
)
SIGNED = (
    "Soviet–Lithuanian Non-Aggression Pact (Lithuanian: Lietuvos–TSRS nepuolimo sutartis) was a "
    "non-aggression pact, signed between the Soviet Union and Lithuania on September 28, 1926."
)


SENTENCES: dict[str, int] = {}  # quote -> its sentence index: cards of one quote are siblings


def source(quote: str) -> SourceRef:
    return SourceRef("p", SENTENCES.setdefault(quote, len(SENTENCES)), quote)


def card(
    card_id: str, front: str, back: str, quote: str, *, kind: CardKind = CardKind.BASIC
) -> Card:
    return Card(card_id, kind, front, back, None, source(quote), ())


def cloze(card_id: str, text: str, quote: str) -> Card:
    front, back = cloze_sides(text, quote)
    return Card(card_id, CardKind.CLOZE, front, back, text, source(quote), ())


def found(cards: list[Card]) -> list[tuple[str, str]]:
    return [(problem.card_id, problem.check) for problem in card_problems(cards)]


def test_words_are_lower_case_without_possessives_or_dashes() -> None:
    assert words("Lithuania's Soviet–Lithuanian Non-Aggression Żeligowski’s, 1926.") == [
        "lithuania",
        "soviet",
        "lithuanian",
        "non",
        "aggression",
        "żeligowski",
        "1926",
    ]


@pytest.mark.parametrize(
    ("term", "question", "expected"),
    [
        ("Lithuania", "Soviet–Lithuanian pact", True),  # a short suffix: the adjective
        ("Latvia", "the Latvians", True),
        ("December 1926", "the coup of December 1926?", True),
        ("December 1926", "the coup of December 1927?", False),
        ("Third Seimas", "ratified by the Seimas", False),  # the whole run, in order
        ("art", "the article", False),  # a longer ending is another word
        ("19", "in 1926", False),  # numbers match whole
    ],
)
def test_an_answer_is_found_as_a_run_of_words(term: str, question: str, expected: bool) -> None:
    assert found_in(tuple(words(term)), words(question)) is expected


def test_answer_terms_by_kind() -> None:
    basic = card("parties", "?", "The Soviet Union and Lithuania.", SIGNED)
    assert answer_terms(basic) == {
        ("soviet", "union", "and", "lithuania"),
        ("soviet", "union"),
        ("lithuania",),
    }
    dated = card("first-extension", "?", "On May 6, 1931, for another five years.", SIGNED)
    assert ("may", "6", "1931") in answer_terms(dated)  # the date stays whole
    assert ("another", "five", "years") in answer_terms(dated)
    chronology = card(
        "c",
        "?",
        "The military coup (December 1926); it came first.",
        COUP,
        kind=CardKind.CHRONOLOGY,
    )
    assert answer_terms(chronology) == {("december", "1926")}  # its events are named by design
    gap = cloze("name", "(Lithuanian: {{Lietuvos–TSRS nepuolimo sutartis}})", SIGNED)
    assert answer_terms(gap) == {("lietuvos", "tsrs", "nepuolimo", "sutartis")}


@pytest.mark.parametrize(
    "question",
    [  # every two-question card of dataset v2
        "Under whose control were Vilnius and the Vilnius Region, and since when?",
        "Where and when were the pact's ratifications exchanged?",
        "Who initiated the pact, and what were they seeking?",
        "Which body ratified the pact in Lithuania, and when?",
        "When was the pact first extended, and for how long?",
        "How and when was the pact broken?",
        "When was it signed? Where?",
    ],
)
def test_two_questions_joined_by_and_are_found(question: str) -> None:
    assert joins_two_questions(question)


@pytest.mark.parametrize(
    "question",
    [
        "Why did Latvia and Estonia disapprove of the pact?",
        "Which territories did the Soviet Union continue to recognize as Lithuania's?",
        "Which came first: the pact becoming effective or the military coup?",
        "In which month and year was the coup?",  # one question about one date
    ],
)
def test_one_question_with_and_in_it_is_not_two(question: str) -> None:
    assert not joins_two_questions(question)


def test_v2s_answers_inside_questions_are_found() -> None:
    v2 = [
        card(
            "parties",
            "Between which two states was the Soviet–Lithuanian Non-Aggression Pact signed?",
            "The Soviet Union and Lithuania.",
            SIGNED,
        ),
        card(
            "coup-reason",
            "How is the pact's ratification linked to the military coup of December 1926?",
            "One of the student protests against it was dispersed by force, which is cited as "
            "one of the reasons for the coup.",
            COUP,
        ),
        card("coup-when", "When was the military coup?", "December 1926.", COUP),
    ]
    assert found(v2) == [("parties", OWN_ANSWER), ("coup-reason", SIBLING_ANSWER)]


def test_an_answer_in_a_question_of_another_sentence_is_no_problem() -> None:
    other = COUP.replace("December 1926", "December 1926 (the other sentence)")
    cards = [
        card("coup-when", "When was the military coup?", "December 1926.", COUP),
        card("elsewhere", "What happened in December 1926?", "A coup.", other),
    ]
    assert found(cards) == []


def test_v3s_split_cards_pass() -> None:
    cards = [
        card(
            "seimas-ratified",
            "Which body ratified the pact in Lithuania?",
            "The Third Seimas.",
            COUP,
        ),
        card(
            "seimas-ratified-when",
            "When was the pact ratified in Lithuania?",
            "November 5, 1926.",
            COUP,
        ),
        card("two", "Which body ratified the pact in Lithuania, and when?", "Both.", SIGNED),
    ]
    assert found(cards) == [("two", TWO_QUESTIONS)]
