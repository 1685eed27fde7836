"""The real pact dataset: it loads, it is consistent, and it is faithful to its source article."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from studyapp.content.card_checks import SIBLING_ANSWER, card_problems
from studyapp.content.dates import Precision, parse_written_date
from studyapp.content.loader import load_dataset
from studyapp.content.model import CLOZE_GAP, CardKind, Dataset, Event
from studyapp.content.text import split_sentences
from studyapp.paths import dataset_path

# The source article, kept as a fixture so every clone checks the dataset against it.
SOURCE = Path(__file__).resolve().parent / "fixtures" / "source_article.txt"
# The source's one damaged sentence is stored with this editorial gap after "after the".
DAMAGED_AT = "after the [...] "
GAP = "[...] "


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(dataset_path())


@pytest.fixture(scope="module")
def raw_toml() -> dict[str, Any]:
    """The dataset file parsed by tomllib alone, to check the loader against."""
    return tomllib.loads(dataset_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


def events_by_id(dataset: Dataset) -> dict[str, Event]:
    return {event.id: event for event in dataset.events}


def as_in_source(text: str) -> str:
    """Undo the dataset's one editorial change: the "[...]" marking the damaged sentence."""
    if "[...]" not in text:
        return text
    assert text.count("[...]") == 1, text
    assert DAMAGED_AT in text, f"'[...]' used somewhere other than the damaged sentence: {text}"
    return text.replace(GAP, "", 1)


def assert_whole_sentence_in_source(source: str, quote: str) -> None:
    """The quote occurs verbatim in the source, starting and ending at sentence boundaries."""
    assert quote in source, f"not verbatim in the source: {quote!r}"
    assert quote.endswith((".", '."', "!", "?")), quote
    for match in re.finditer(re.escape(quote), source):
        before = source[: match.start()]
        after = source[match.end() :]
        starts = before == "" or before.endswith("\n") or re.search(r"[.!?](\[\d+\])* $", before)
        ends = re.match(r"(\[\d+\])*(\s|$)", after)
        if starts and ends:
            return
    pytest.fail(f"occurs in the source only as part of a sentence: {quote!r}")


def source_references(source: str) -> dict[int, str | None]:
    """The numbered reference lines at the end of the source: "  2. ^ League of ..."."""
    references: dict[int, str | None] = {}
    for number, rest in re.findall(r"(?m)^\s*(\d+)\.\s*\^(.*)$", source):
        # Back-links ("a b c") to several citations come before the text, if any.
        text = re.sub(r"^(?:[a-z](?=\s|$)\s*)+", "", rest.strip()).strip()
        references[int(number)] = text or None
    return references


# -- the dataset loads and has what the app needs ---------------------------------------------


def test_real_dataset_loads_with_enough_content(dataset: Dataset) -> None:
    assert isinstance(dataset.version, int)
    assert not isinstance(dataset.version, bool)
    assert dataset.version >= 1
    assert len(dataset.points) >= 11
    assert len(dataset.periods) == 3
    assert len(dataset.cards) >= 40
    assert {card.kind for card in dataset.cards} == set(CardKind)
    assert dataset.path == dataset_path()


def test_loader_keeps_every_item_in_file_order(dataset: Dataset, raw_toml: dict[str, Any]) -> None:
    assert dataset.version == raw_toml["dataset_version"]
    assert [e.id for e in dataset.points] == [e["id"] for e in raw_toml["events"]]
    assert [e.id for e in dataset.periods] == [e["id"] for e in raw_toml["periods"]]
    assert [c.id for c in dataset.cards] == [c["id"] for c in raw_toml["cards"]]
    assert [c.kind.value for c in dataset.cards] == [c["kind"] for c in raw_toml["cards"]]
    assert [p.id for p in dataset.article.passages()] == [
        "overview-1",
        "negotiations-1",
        "ratification-1",
    ]


def test_ids_are_unique(dataset: Dataset) -> None:
    event_ids = [event.id for event in dataset.events]
    card_ids = [card.id for card in dataset.cards]
    assert len(set(event_ids)) == len(event_ids)
    assert len(set(card_ids)) == len(card_ids)


# -- fidelity to the source article, checked without the loader --------------------------------


def test_every_quote_is_a_whole_sentence_of_the_source(
    raw_toml: dict[str, Any], source_text: str
) -> None:
    items = raw_toml["events"] + raw_toml["periods"] + raw_toml["cards"]
    assert len(items) >= 55
    for item in items:
        quote = " ".join(item["quote"].split())
        assert_whole_sentence_in_source(source_text, as_in_source(quote))


def test_the_damaged_sentence_differs_from_the_source_only_by_the_gap(
    dataset: Dataset, source_text: str
) -> None:
    damaged = [card for card in dataset.cards if "[...]" in card.source.quote]
    assert [card.id for card in damaged] == ["initiated-by", "initiators-sought"]
    quote = damaged[0].source.quote
    assert quote not in source_text
    assert DAMAGED_AT in quote
    assert quote.replace(GAP, "") in source_text
    assert "after the Kaunas on his way to Moscow.[3]" in source_text


def test_every_passage_occurs_in_the_source_with_its_markers(
    dataset: Dataset, source_text: str
) -> None:
    passages = dataset.article.passages()
    assert any("[1]" in passage.text for passage in passages)
    for passage in passages:
        assert as_in_source(passage.text) in source_text, passage.id
    with_gap = [passage.id for passage in passages if "[...]" in passage.text]
    assert with_gap == ["negotiations-1"]


def test_passages_together_are_the_whole_article_body(dataset: Dataset, source_text: str) -> None:
    """No paragraph of the article was left out: the last passage ends where the body does."""
    first, *_, last = dataset.article.passages()
    body_start = source_text.index(first.text)
    body_end = source_text.index(last.text) + len(last.text)
    body = source_text[body_start:body_end]
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
    assert paragraphs == [as_in_source(p.text) for p in dataset.article.passages()]


def test_references_match_the_source(dataset: Dataset, source_text: str) -> None:
    expected = source_references(source_text)
    assert sorted(expected) == list(range(1, 9))
    assert {n for n, text in expected.items() if text is None} == {1, 3, 6, 7, 8}
    assert {r.number: r.text for r in dataset.article.references} == expected
    assert dataset.article.references[1].text == (
        "League of Nations Treaty Series, vol. 60, pp. 146-159."
    )


def test_article_metadata_is_from_the_source(dataset: Dataset, source_text: str) -> None:
    article = dataset.article
    assert f"\n{article.title}\n" in source_text
    assert f"(Lithuanian: {article.title_lt})" in source_text
    assert article.attribution in source_text


def test_every_date_in_the_article_body_is_on_the_timeline(
    dataset: Dataset, source_text: str
) -> None:
    """Each is a point event, but for the end the second extension set (December 31, 1944),
    which no event happened on: it is drawn as that period's end."""
    body = " ".join(passage.text for passage in dataset.article.passages())
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    written = set(re.findall(rf"(?:(?:{months}) (?:\d{{1,2}}, )?)?\b1\d{{3}}\b", body))
    assert "December 1926" in written
    assert "September 28, 1926" in written
    points = {event.date_text for event in dataset.points}
    period_dates = {
        date.long_label()
        for period in dataset.periods
        for date in (period.start, period.end)
        if date is not None
    }
    assert written == points | period_dates
    assert written - points == {"December 31, 1944"}
    assert events_by_id(dataset)["second-extension-term"].end == parse_written_date(
        "December 31, 1944"
    )
    assert all(date in source_text for date in written)


# -- events and their dates ---------------------------------------------------------------------


def test_point_dates_parse_back_from_their_date_text(dataset: Dataset) -> None:
    for event in dataset.points:
        assert event.end is None
        assert event.date_text in event.source.quote, event.id
        parsed = parse_written_date(event.date_text)
        assert parsed == event.start, event.id
        assert parsed.precision is event.start.precision, event.id
        assert event.start.long_label() == event.date_text, event.id


def test_month_precision_event(dataset: Dataset) -> None:
    coup = events_by_id(dataset)["military-coup"]
    assert coup.start.precision is Precision.MONTH
    assert coup.start.short_label() == "Dec 1926"
    assert coup.start.iso() == "1926-12"
    months = [e.id for e in dataset.points if e.start.precision is Precision.MONTH]
    assert months == ["military-coup"]


def test_year_precision_events(dataset: Dataset) -> None:
    years = [e for e in dataset.points if e.start.precision is Precision.YEAR]
    assert [e.id for e in years] == ["peace-treaty-1920", "zeligowski-mutiny"]
    for event in years:
        assert event.start.long_label() == "1920"
        assert event.start.short_label() == "1920"


def test_point_events_are_in_date_order(dataset: Dataset) -> None:
    starts = [event.start.first_day() for event in dataset.points]
    assert starts == sorted(starts)


def test_periods_are_spans_that_do_not_end_before_they_start(dataset: Dataset) -> None:
    for period in dataset.periods:
        if period.open_end:
            assert period.end is None, period.id
        else:
            assert period.end is not None, period.id
            assert period.start.first_day() <= period.end.last_day(), period.id


def test_periods_show_only_what_the_article_states(dataset: Dataset) -> None:
    """No end by arithmetic ("another five years" from 1931 is no date the article gives);
    a period's dates are in its own sentence unless it is derived, and then it says how."""
    periods = events_by_id(dataset)
    first_extension = periods["first-extension-term"]
    assert first_extension.open_end and first_extension.end is None
    assert first_extension.start.long_label() == "May 6, 1931"
    assert "no end date" in first_extension.description
    ends = {p.end.year for p in dataset.periods if p.end is not None}
    assert not ends & {1931, 1936}, "no term ends by arithmetic"
    assert "original-term" not in periods, "the article states neither end of the first term"
    second = periods["second-extension-term"]
    assert "agreed April 4, 1934" in second.date_text
    assert "does not say when the extended term began" in second.description
    for period in dataset.periods:
        written = [d.long_label() for d in (period.start, period.end) if d is not None]
        if period.derivation is None:
            assert all(date in period.source.quote for date in written), period.id
        else:
            assert all(date in period.derivation for date in written), period.id
            assert period.shown_description.endswith(period.derivation)
    assert [p.id for p in dataset.periods if p.derivation] == ["in-force"]


def test_the_timeline_says_broken_as_the_article_does(dataset: Dataset) -> None:
    texts = [f"{e.title} {e.description} {e.derivation or ''}".lower() for e in dataset.events]
    assert not [text for text in texts if re.search(r"\bended\b|\bend of the\b", text)]
    assert "broken" in events_by_id(dataset)["in-force"].title.lower()


# -- cards ------------------------------------------------------------------------------------


def test_cards_are_in_reading_order(dataset: Dataset) -> None:
    passages = dataset.article.passages()
    position = {passage.id: index for index, passage in enumerate(passages)}
    sentences = {
        passage.id: [s.text for s in split_sentences(passage.text)] for passage in passages
    }
    order = []
    for card in dataset.cards:
        source = card.source
        assert sentences[source.passage_id][source.sentence_index] == source.quote, card.id
        order.append((position[source.passage_id], source.sentence_index))
    assert order == sorted(order)
    assert len({passage for passage, _ in order}) == 3, "every passage has cards"


def test_card_sources_name_the_first_passage_holding_their_quote(dataset: Dataset) -> None:
    passages = dataset.article.passages()
    for card in dataset.cards:
        holders = [
            p.id for p in passages if card.source.quote in [s.text for s in split_sentences(p.text)]
        ]
        assert holders[:1] == [card.source.passage_id], card.id


def test_cloze_cards(dataset: Dataset) -> None:
    clozes = [card for card in dataset.cards if card.kind is CardKind.CLOZE]
    assert len(clozes) >= 5
    for card in clozes:
        assert card.cloze is not None
        answers = re.findall(r"\{\{(.+?)\}\}", card.cloze)
        assert len(answers) == 1, card.id
        answer = answers[0]
        assert card.front.count(CLOZE_GAP) == 1, card.id
        assert answer not in card.front, card.id
        assert "{{" not in card.front and "}}" not in card.front, card.id
        assert card.front.replace(CLOZE_GAP, answer) == card.back, card.id
        assert card.back in card.source.quote, card.id


def test_non_cloze_cards_have_no_cloze_text(dataset: Dataset) -> None:
    for card in dataset.cards:
        if card.kind is not CardKind.CLOZE:
            assert card.cloze is None, card.id
            assert "{{" not in card.front + card.back, card.id
            assert CLOZE_GAP not in card.front, card.id


def test_card_events_exist(dataset: Dataset) -> None:
    known = events_by_id(dataset)
    named = [event_id for card in dataset.cards for event_id in card.event_ids]
    assert named
    assert set(named) <= set(known)


def test_chronology_earliest_is_certainly_earliest(
    dataset: Dataset, raw_toml: dict[str, Any]
) -> None:
    known = events_by_id(dataset)
    earliest_of = {c["id"]: c["earliest"] for c in raw_toml["cards"] if "earliest" in c}
    chronology = [card for card in dataset.cards if card.kind is CardKind.CHRONOLOGY]
    assert len(chronology) >= 3
    assert sorted(earliest_of) == sorted(card.id for card in chronology)
    for card in chronology:
        assert len(set(card.event_ids)) >= 2, f"{card.id} must compare two distinct events"
        earliest = known[earliest_of[card.id]]
        assert earliest.id in card.event_ids, card.id
        for other_id in card.event_ids:
            other = known[other_id]
            if other is not earliest:
                assert earliest.start.last_day() < other.start.first_day(), card.id
        # The answer names the earliest event's date first, as the article writes it.
        first_date = re.search(r"\(([^)]*)\)", card.back)
        assert first_date is not None, card.id
        assert first_date.group(1) == earliest.date_text, card.id


def test_cards_pass_the_card_checks_but_for_the_one_allowed(dataset: Dataset) -> None:
    """The loader refuses any other problem; this names the one exemption the dataset makes."""
    found = [(problem.card_id, problem.check) for problem in card_problems(dataset.cards)]
    assert found == [("lithuanian-name", SIBLING_ANSWER)]


def test_cloze_text_gives_its_context(dataset: Dataset) -> None:
    """A cloze starts where a reader can follow it: not with "it", "its" or "the agreement"."""
    for card in dataset.cards:
        if card.kind is CardKind.CLOZE:
            first = card.front.split()[0]
            assert first[0].isupper(), card.id
            assert first.lower() not in {"it", "its", "they", "their", "this"}, card.id
            assert "the agreement" not in card.front, card.id


def test_chronology_cards_are_not_answered_by_reading_order(dataset: Dataset) -> None:
    """Each asks an order reading gets wrong (the later event is read first) or one of two
    dates within two months of each other. (That logic alone does not give the order, as it
    did for "ratified before exchanged", is for the author to see; no test can.)"""
    known = events_by_id(dataset)
    sentences = [
        (passage.id, index)
        for passage in dataset.article.passages()
        for index in range(len(split_sentences(passage.text)))
    ]
    for card in dataset.cards:
        if card.kind is not CardKind.CHRONOLOGY:
            continue
        first, second = sorted((known[i] for i in card.event_ids), key=lambda e: e.start.sort_key())
        read = [
            sentences.index((e.source.passage_id, e.source.sentence_index)) for e in (first, second)
        ]
        close = (second.start.first_day() - first.start.last_day()).days <= 62
        assert read[0] > read[1] or close, card.id
