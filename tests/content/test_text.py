"""Footnote markers and sentence splitting: offsets into the raw text, marker-free sentences."""

from __future__ import annotations

import pytest

from studyapp.content.loader import load_dataset
from studyapp.content.text import (
    FOOTNOTE_MARKER,
    Sentence,
    footnote_numbers,
    split_sentences,
    strip_markers,
)
from studyapp.paths import dataset_path

# The article's third paragraph, as the dataset stores it (whitespace already normalised).
RATIFICATION = (
    "The pact was controversial in Lithuania and its ratification by the Third Seimas on "
    'November 5, 1926 caused student protests against "Bolshevization" of Lithuania. As one of '
    "the protests was dispersed by force, it is cited as one of the reasons for the military coup "
    "in December 1926.[1] However, the diplomats believed that keeping the dispute over Vilnius "
    "Region relevant in the European politics was worth the cost. The original pact was set to "
    "expire in five years, thus on May 6, 1931 it was extended for another five years.[4] On "
    "April 4, 1934 it was further extended to December 31, 1944.[5][6][7] A separate convention "
    'was signed to define "aggression" on July 5, 1933. The pact was broken when on June 15, 1940 '
    "Soviet Union occupied Lithuania.[8]"
)
NEGOTIATIONS = (
    "The pact was initiated by Lithuanians who sought a new direction in the foreign policy after "
    "the [...] Kaunas on his way to Moscow.[3] The negotiations were difficult as Latvia and "
    "Estonia disapproved the pact because it prevented creation of the Baltic Entente, Poland "
    "claimed that the agreement violated the Peace of Riga, and Germany was wary over "
    "strengthening Lithuanian claims to the Klaipėda Region.[3]"
)


def assert_offsets_right(raw: str, sentences: list[Sentence]) -> None:
    """Each sentence's offsets cut exactly its text (markers included) out of the raw text."""
    previous_end = 0
    for sentence in sentences:
        cut = raw[sentence.start : sentence.end]
        assert strip_markers(cut) == sentence.text
        assert cut == cut.strip(), f"offsets include whitespace: {cut!r}"
        assert sentence.start >= previous_end
        assert raw[previous_end : sentence.start].strip() == "", "text skipped between sentences"
        previous_end = sentence.end
    assert raw[previous_end:].strip() == "", "text lost after the last sentence"


def test_strip_markers() -> None:
    assert strip_markers("Lithuania.[1] Ratifications") == "Lithuania. Ratifications"
    assert strip_markers("1944.[5][6][7] A") == "1944. A"
    assert strip_markers("a[12]b") == "ab"
    # Only numbered markers are footnotes: the editorial gap and other brackets stay.
    assert strip_markers("after the [...] Kaunas") == "after the [...] Kaunas"
    assert strip_markers("[a] [] [1x]") == "[a] [] [1x]"


def test_footnote_numbers_in_order_with_repeats() -> None:
    assert footnote_numbers(RATIFICATION) == [1, 4, 5, 6, 7, 8]
    assert footnote_numbers(NEGOTIATIONS) == [3, 3]
    assert footnote_numbers("no markers [...] here") == []
    assert FOOTNOTE_MARKER.fullmatch("[10]") is not None


def test_split_ratification_paragraph() -> None:
    sentences = split_sentences(RATIFICATION)
    assert [s.text for s in sentences] == [
        "The pact was controversial in Lithuania and its ratification by the Third Seimas on "
        'November 5, 1926 caused student protests against "Bolshevization" of Lithuania.',
        "As one of the protests was dispersed by force, it is cited as one of the reasons for the "
        "military coup in December 1926.",
        "However, the diplomats believed that keeping the dispute over Vilnius Region relevant in "
        "the European politics was worth the cost.",
        "The original pact was set to expire in five years, thus on May 6, 1931 it was extended "
        "for another five years.",
        "On April 4, 1934 it was further extended to December 31, 1944.",
        'A separate convention was signed to define "aggression" on July 5, 1933.',
        "The pact was broken when on June 15, 1940 Soviet Union occupied Lithuania.",
    ]
    assert_offsets_right(RATIFICATION, sentences)


def test_markers_after_a_full_stop_stay_with_their_sentence() -> None:
    sentences = split_sentences(RATIFICATION)
    raw = [RATIFICATION[s.start : s.end] for s in sentences]
    assert raw[1].endswith("December 1926.[1]")
    assert raw[2].startswith("However,")
    assert raw[4] == "On April 4, 1934 it was further extended to December 31, 1944.[5][6][7]"
    assert raw[5].startswith("A separate convention")
    assert raw[6].endswith("Lithuania.[8]")
    assert sentences[6].end == len(RATIFICATION)


def test_the_editorial_gap_does_not_split_a_sentence() -> None:
    sentences = split_sentences(NEGOTIATIONS)
    assert len(sentences) == 2
    assert sentences[0].text == (
        "The pact was initiated by Lithuanians who sought a new direction in the foreign policy "
        "after the [...] Kaunas on his way to Moscow."
    )
    assert NEGOTIATIONS[sentences[0].start : sentences[0].end].endswith("Moscow.[3]")
    assert sentences[1].text.startswith("The negotiations were difficult")
    assert_offsets_right(NEGOTIATIONS, sentences)


@pytest.mark.parametrize(
    ("raw", "texts"),
    [
        # Offsets survive leading whitespace and line breaks.
        ("  One here.\n  Two here.  ", ["One here.", "Two here."]),
        # A closing quote mark belongs to the sentence it closes.
        ('He said "No." Then he left.', ['He said "No."', "Then he left."]),
        ("He said “No.” Then he left.", ["He said “No.”", "Then he left."]),
        # A sentence may open with a quote mark or a capital outside ASCII.
        ('First one. "Second" one.', ["First one.", '"Second" one.']),
        ("First one. Żeligowski's Mutiny came.", ["First one.", "Żeligowski's Mutiny came."]),
        # ! and ? end sentences too.
        ("Really? Yes! Good.", ["Really?", "Yes!", "Good."]),
        # Abbreviations followed by lower case or digits do not end a sentence.
        ("See vol. 60, pp. 146-159. Next.", ["See vol. 60, pp. 146-159.", "Next."]),
        # A last sentence without a full stop is still a sentence.
        ("One. Two without a stop", ["One.", "Two without a stop"]),
        # A marker inside a sentence is dropped from its text.
        ("Kaunas[2] is a city. Next.", ["Kaunas is a city.", "Next."]),
        ("", []),
        ("   ", []),
    ],
)
def test_split_sentences_cases(raw: str, texts: list[str]) -> None:
    sentences = split_sentences(raw)
    assert [s.text for s in sentences] == texts
    for sentence in sentences:
        assert strip_markers(raw[sentence.start : sentence.end]).strip() == sentence.text


@pytest.mark.parametrize(
    "raw", ["One. Two without a stop  ", "One. Two without a stop\n", "No stop at all \n"]
)
def test_unterminated_last_sentence_offsets_exclude_trailing_whitespace(raw: str) -> None:
    assert_offsets_right(raw, split_sentences(raw))


def test_every_passage_of_the_dataset_splits_with_right_offsets() -> None:
    dataset = load_dataset(dataset_path())
    passages = dataset.article.passages()
    assert len(passages) == 3
    for passage in passages:
        sentences = split_sentences(passage.text)
        assert sentences, passage.id
        assert_offsets_right(passage.text, sentences)
        # Every sentence ends at a full stop: no fragment was split off in the middle.
        assert all(s.text.endswith((".", '."')) for s in sentences), passage.id
    assert [len(split_sentences(p.text)) for p in passages] == [7, 2, 7]
