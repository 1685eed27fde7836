"""Cards drafted from what the learner reads: a selection in a sentence becomes a cloze or an
answer; two events a "which came first" card, one event a "when" card."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from studyapp.collection import CardOperationError, Collection
from studyapp.collection.event_cards import chronology_refusal, chronology_text, when_text
from studyapp.collection.selection import SentenceSelection, cloze_card, selected_words
from studyapp.content.dates import HistoricalDate
from studyapp.content.text import split_sentences
from studyapp.storage import models
from studyapp.storage.queries import TimelineItem

NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def collection(data_dir: Path) -> Iterator[Collection]:
    opened = Collection.open(data_dir, lambda: NOW, tz=dt.UTC)
    yield opened
    opened.close()


def _selection(
    collection: Collection, passage_id: str, index: int, words: str
) -> SentenceSelection:
    """Words in a sentence as the article pane maps a selection: raw offsets, markers in."""
    passage = next(p for p in collection.article_view().article.passages() if p.id == passage_id)
    sentence = split_sentences(passage.text)[index]
    raw = passage.text[sentence.start : sentence.end]
    start = raw.index(words)
    events = collection.article_view().events_by_sentence.get((passage_id, index), [])
    return SentenceSelection(passage_id, index, raw, start, start + len(words), tuple(events))


def _item(event_id: str, start: str, title: str, end: str | None = None) -> TimelineItem:
    return TimelineItem(
        id=event_id,
        start=HistoricalDate.parse(start),
        end=HistoricalDate.parse(end) if end else None,
        date_text=start,
        title=title,
        description="",
        passage_id=None,
        sentence_index=None,
        quote="",
        card_count=0,
    )


def test_a_selection_becomes_a_cloze_of_its_sentence_without_footnote_markers(
    collection: Collection,
) -> None:
    # "… for another five years.[4]": the marker is in the sentence's text, not in the card.
    selection = _selection(collection, "ratification-1", 3, "another five years.[4]")
    card = cloze_card(selection)
    assert card.text.cloze == (
        "The original pact was set to expire in five years, thus on May 6, 1931 it was "
        "extended for {{another five years.}}"
    )
    added = collection.add_card(card)
    info = collection.card(added.card_id)
    assert (info.passage_id, info.sentence_index, info.kind) == ("ratification-1", 3, "cloze")
    assert info.front.endswith("extended for […]") and "[4]" not in info.back
    assert info.event_ids == ("first-extension", "first-extension-term"), "its sentence's events"


def test_half_a_word_grows_to_the_whole_word(collection: Collection) -> None:
    selection = _selection(collection, "ratification-1", 6, "Soviet Union occupied L")
    assert cloze_card(selection).text.cloze == (
        "The pact was broken when on June 15, 1940 {{Soviet Union occupied Lithuania}}."
    )
    assert selected_words(selection) == "Soviet Union occupied Lithuania"


def test_a_selection_that_cannot_be_a_gap_is_refused_with_the_reason(
    collection: Collection,
) -> None:
    marker_only = _selection(collection, "ratification-1", 3, "[4]")
    with pytest.raises(CardOperationError, match="no words of the sentence"):
        cloze_card(marker_only)
    passage = next(
        p for p in collection.article_view().article.passages() if p.id == "ratification-1"
    )
    whole = split_sentences(passage.text)[6]
    raw = passage.text[whole.start : whole.end]
    everything = SentenceSelection("ratification-1", 6, raw, 0, len(raw))
    with pytest.raises(CardOperationError, match="whole sentence"):
        cloze_card(everything)
    source_gap = next(
        (p.id, i, s)
        for p in collection.article_view().article.passages()
        for i, s in enumerate(split_sentences(p.text))
        if "[...]" in s.text
    )
    with pytest.raises(CardOperationError, match="missing in the source"):
        cloze_card(_selection(collection, source_gap[0], source_gap[1], "[...]"))
    assert collection.undo_label() is None


def test_which_came_first_needs_an_order_the_dates_settle() -> None:
    treaty = _item("peace-treaty-1920", "1920", "Soviet–Lithuanian Peace Treaty")
    mutiny = _item("zeligowski-mutiny", "1920", "Żeligowski's Mutiny")
    signed = _item("pact-signed", "1926-09-28", "Pact signed")
    year = _item("some-1926", "1926", "Something in 1926")
    coup = _item("military-coup", "1926-12", "Military coup")
    assert chronology_refusal([treaty, mutiny]) == "both are 1920"
    assert (
        chronology_refusal([year, signed]) == "1926 and September 28, 1926 may be in either order"
    )
    assert chronology_refusal([signed]) is not None and "two events" in chronology_refusal([signed])
    assert chronology_refusal([treaty, signed, coup]) == "select just two events"
    assert chronology_refusal([coup, signed]) is None
    with pytest.raises(CardOperationError, match=r"not certain .*both are 1920"):
        chronology_text([treaty, mutiny])
    for order in ([coup, signed], [signed, coup]):
        text = chronology_text(order)
        # Named alphabetically, never in date order (that would give the answer away).
        assert text.front == "Which came first: “Military coup” or “Pact signed”?"
        assert (
            text.back == "“Pact signed” (September 28, 1926), then “Military coup” (December 1926)."
        )


def test_a_when_card_answers_with_the_date_as_precisely_as_the_article_gives_it() -> None:
    coup = when_text(_item("military-coup", "1926-12", "Military coup"))
    assert (coup.front, coup.back) == ("When did “Military coup” happen?", "December 1926.")
    treaty = when_text(_item("peace-treaty-1920", "1920", "Peace treaty"))
    assert treaty.back == "1920."
    period = when_text(_item("in-force", "1926-11-09", "Pact in force", end="1940-06-15"))
    assert (period.front, period.back) == (
        "When was “Pact in force”?",
        "From November 9, 1926 to June 15, 1940.",
    )


def test_a_chronology_card_cites_the_sentence_read_last_and_links_both_events(
    collection: Collection,
) -> None:
    before = collection.event_card_counts()
    card = collection.chronology_card("league-registration", "pact-signed")
    assert card.event_ids == ("pact-signed", "league-registration"), "earlier first"
    # pact-signed is cited in overview-1 sentence 0, league-registration in sentence 6.
    assert (card.source.passage_id, card.source.sentence_index) == ("overview-1", 6)
    added = collection.add_card(card)
    after = collection.event_card_counts()
    for event_id in ("pact-signed", "league-registration"):
        assert after[event_id] == before.get(event_id, 0) + 1
    with collection.database.sessions() as session:
        links = set(
            session.scalars(
                select(models.CardEvent.event_id).where(models.CardEvent.card_id == added.card_id)
            )
        )
    assert links == {"pact-signed", "league-registration"}
    with pytest.raises(CardOperationError, match="both are 1920"):
        collection.chronology_card("peace-treaty-1920", "zeligowski-mutiny")
    with pytest.raises(CardOperationError, match="no event 'nope'"):
        collection.when_card("nope")


def test_a_when_card_of_an_open_ended_period_says_the_article_gives_no_end(
    collection: Collection,
) -> None:
    card = collection.when_card("first-extension-term")
    assert card.text.back == "From May 6, 1931 (the article gives no end)."
    assert card.source is not None and card.source.passage_id == "ratification-1"
    assert card.event_ids == ("first-extension-term",)


def test_certainly_before_compares_every_day_a_date_can_mean() -> None:
    parse = HistoricalDate.parse
    assert parse("1926-11-09").certainly_before(parse("1926-12"))
    assert not parse("1926-12").certainly_before(parse("1926-12-05"))
    assert not parse("1920").certainly_before(parse("1920"))
    assert parse("1920").certainly_before(parse("1921-01-01"))
