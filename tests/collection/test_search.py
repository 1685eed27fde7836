"""The browser's search: every search word, negation, or, quotes, accents, mistakes; sorting
in SQL; the batch row read; the LIKE fallback without FTS5; repositioning new cards."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyapp.clock import FakeClock
from studyapp.collection import CardOperationError, CardSource, CardText, Collection, NewCard
from studyapp.collection.search_parser import SearchError
from studyapp.collection.sorting import SORT_KEYS
from studyapp.content.loader import load_dataset
from studyapp.content.model import CardKind
from studyapp.paths import dataset_path
from studyapp.storage import search_index

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def collection(data_dir: Path, clock: FakeClock) -> Iterator[Collection]:
    opened = Collection.open(data_dir, clock.now, tz=dt.UTC)
    yield opened
    opened.close()


def answer(collection: Collection, card_id: str, *ratings: int) -> None:
    for rating in ratings:
        collection.previews(card_id)
        collection.answer(card_id, rating, 3000)


@pytest.fixture
def studied(collection: Collection, clock: FakeClock) -> Collection:
    """Some history: reviews days ago, a lapse, today's answers, marks and a card of mine."""
    clock.set(NOW - dt.timedelta(days=20))
    answer(collection, "parties", 3, 3)  # graduates: a review card
    clock.set(NOW - dt.timedelta(days=10))
    answer(collection, "parties", 1)  # a lapse
    answer(collection, "signed-when", 4)  # easy: review, days from now
    clock.set(NOW)
    answer(collection, "coup-when", 3)  # introduced today, still learning
    collection.suspend("lithuania-gave")
    collection.bury("isolation-why")
    collection.set_flag(1, "parties")
    collection.set_flag(4, "klaipeda-objection")
    collection.set_marked(True, "riga-objection")
    collection.add_card(
        NewCard(
            CardText(CardKind.BASIC, "Where is Łódź?", "In Poland."), CardSource("overview-1", 0)
        )
    )
    return collection


def found(collection: Collection, query: str) -> set[str]:
    return set(collection.search(query))


def mine(collection: Collection) -> str:
    (card_id,) = found(collection, "is:mine")
    return card_id


# -- text ---------------------------------------------------------------------------------------


def test_words_without_their_accents_find_the_cards(collection: Collection) -> None:
    assert "klaipeda-interests" in found(collection, "klaipeda")
    assert "klaipeda-interests" in found(collection, "Klaipėda")
    assert {"recognized-vilnius", "vilnius-control"} <= found(collection, "zeligowski")
    assert found(collection, "ŻELIGOWSKI") == found(collection, "zeligowski")


def test_a_letter_fts_does_not_fold_is_folded_on_both_sides(studied: Collection) -> None:
    assert found(studied, "lodz") == found(studied, "Łódź") == {mine(studied)}


def test_a_word_matches_the_start_of_words(collection: Collection) -> None:
    assert "klaipeda-interests" in found(collection, "klaip")
    assert found(collection, "klaip") == found(collection, "klaipeda")


def test_words_all_match_and_quotes_keep_a_phrase(collection: Collection) -> None:
    both = found(collection, "poland riga")
    assert both and both == found(collection, "poland") & found(collection, "riga")
    phrase = found(collection, '"peace of riga"')
    assert "riga-objection" in phrase
    assert not found(collection, '"riga of peace"')


def test_or_negation_and_parentheses(collection: Collection) -> None:
    either = found(collection, "klaipeda or zeligowski")
    assert either == found(collection, "klaipeda") | found(collection, "zeligowski")
    assert found(collection, "klaipeda OR zeligowski") == either
    everything = found(collection, "")
    assert found(collection, "-klaipeda") == everything - found(collection, "klaipeda")
    # "and" binds tighter than "or", as in Anki; parentheses change it.
    assert found(collection, "poland riga or kaunas") == (
        found(collection, "poland riga") | found(collection, "kaunas")
    )
    assert found(collection, "poland (riga or kaunas)") == found(collection, "poland") & (
        found(collection, "riga") | found(collection, "kaunas")
    )
    assert found(collection, "-(klaipeda or zeligowski)") == everything - either


def test_the_source_sentence_is_searched_too(collection: Collection) -> None:
    # "bolshevization" is only in the sentence of some cards' quote, not their question.
    card = collection.card("seimas-ratified")
    assert "Bolshevization" not in card.front + card.back
    assert "seimas-ratified" in found(collection, "bolshevization")


def test_an_empty_search_finds_every_card_in_the_collection(studied: Collection) -> None:
    pack = len(load_dataset(dataset_path()).cards)
    assert len(found(studied, "")) == pack + 1  # the pack's and mine
    studied.delete_cards(mine(studied))
    assert len(found(studied, "  ")) == pack, "deleted cards are not found"


# -- search words -------------------------------------------------------------------------------


def test_state_words(studied: Collection) -> None:
    assert found(studied, "is:review") == {"parties", "signed-when"}  # relearning is review too
    assert found(studied, "is:learn") == {"parties", "coup-when"}
    assert "parties" not in found(studied, "is:new") and mine(studied) in found(studied, "is:new")
    assert found(studied, "is:new") | found(studied, "-is:new") == found(studied, "")
    assert found(studied, "is:suspended") == {"lithuania-gave"}
    # Buried by hand, and the siblings of today's answer (Anki's sibling burying).
    assert found(studied, "is:buried") == {"isolation-why", *studied.siblings("coup-when")}
    assert found(studied, "is:mine") == {mine(studied)}
    assert mine(studied) not in found(studied, "is:pack")


def test_is_due_is_what_the_queue_offers_now(studied: Collection, clock: FakeClock) -> None:
    # Both answered ten days ago are overdue; coup-when, answered now, is due in 10 minutes.
    assert found(studied, "is:due") == {"parties", "signed-when"}
    clock.advance(minutes=11)
    assert found(studied, "is:due") == {"parties", "signed-when", "coup-when"}
    studied.suspend("parties")
    assert found(studied, "is:due") == {"signed-when", "coup-when"}, "suspended is not due"


def test_flags_tags_and_kinds(studied: Collection) -> None:
    assert found(studied, "flag:1") == {"parties"}
    assert found(studied, "flag:4") == {"klaipeda-objection"}
    assert "parties" not in found(studied, "flag:0")
    assert found(studied, "is:flagged") == {"parties", "klaipeda-objection"}
    assert found(studied, "tag:marked") == found(studied, "tag:MARK*") == {"riga-objection"}
    cloze = found(studied, "kind:cloze")
    assert "registered-when" in cloze and "parties" not in cloze


def test_rated_introduced_and_properties(studied: Collection) -> None:
    assert found(studied, "rated:1") == {"coup-when"}
    assert found(studied, "rated:11") == {"coup-when", "parties", "signed-when"}
    assert found(studied, "rated:11:1") == {"parties"}
    assert found(studied, "rated:11:4") == {"signed-when"}
    assert found(studied, "introduced:1") == {"coup-when"}
    assert found(studied, "introduced:15") == {"coup-when", "signed-when"}
    assert found(studied, "prop:reps>=3") == {"parties"}
    assert found(studied, "prop:reps=1") == {"signed-when", "coup-when"}
    assert found(studied, "prop:lapses>0") == {"parties"}
    assert found(studied, "prop:ivl>=1") == {"signed-when"}
    assert "parties" in found(studied, "-prop:ivl>=1"), "a missing interval is not >= 1"
    signed = studied.card("signed-when")
    assert signed.due is not None and signed.stability is not None
    days = (signed.due - studied.day().start).days
    assert found(studied, f"prop:due={days}") == {"signed-when"}
    assert "signed-when" in found(studied, f"prop:due>={days}")
    assert found(studied, f"prop:s>{signed.stability - 0.01}") >= {"signed-when"}


def test_source_finds_a_section_by_words_of_its_heading_or_id(studied: Collection) -> None:
    negotiations = found(studied, "source:negotiations")
    assert "riga-objection" in negotiations and "parties" not in negotiations
    assert found(studied, "source:Negotiations") == negotiations
    assert found(studied, 'source:"soviet–lithuanian non-aggression"') == found(studied, "")
    assert found(studied, "source:nowhere") == set()


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ('"peace of riga', "quote is not closed"),
        ("(riga", "“(” is not closed"),
        ("riga)", "no “(”"),
        ("is:sleeping", "is:sleeping"),
        ("flag:7", "A flag is"),
        ("rated:week", "number of days"),
        ("rated:7:9", "rating R"),
        ("prop:ivl", "comparison and a number"),
        ("prop:age>3", "“age” is not a property"),
        ("colour:red", "“colour:” is not a search word"),
        ("riga or", "“or” needs a search after"),
        ("or riga", "“or” needs a search before"),
        ("riga -", "Nothing follows"),
        ("()", "Empty parentheses"),
        ('""', "Empty quotes"),
        ("kind:poem", "kind:basic"),
        ("tag:", "needs a value"),
    ],
)
def test_a_mistake_gives_a_message_not_an_exception(
    collection: Collection, query: str, says: str
) -> None:
    with pytest.raises(SearchError) as raised:
        collection.search(query)
    assert says in str(raised.value)


def test_text_with_a_colon_that_is_no_search_word_is_text(collection: Collection) -> None:
    assert found(collection, '"colour:red"') == set()
    assert found(collection, "1926:") == found(collection, "1926")


# -- sorting ------------------------------------------------------------------------------------


def test_every_column_sorts_in_sql_both_ways(studied: Collection) -> None:
    everything = found(studied, "")
    for key in SORT_KEYS:
        ascending = studied.search("", key)
        descending = studied.search("", key, descending=True)
        assert set(ascending) == set(descending) == everything, key
    by_due = studied.search("is:review", "due")
    rows = studied.browser_rows(by_due)
    dues = [rows[card_id].due for card_id in by_due]
    assert dues == sorted(dues)  # type: ignore[type-var]
    by_question = studied.search("", "question")
    assert by_question[:2] == ["isolation-why", "parties"]  # "At the time ...", "Between ..."
    # New cards have no due date: last in both directions (in reading order, or reversed).
    new = studied.search("is:new", "due")
    assert studied.search("", "due")[-len(new) :] == new
    assert studied.search("", "due", descending=True)[-len(new) :] == new[::-1]
    reviews = studied.search("", "reviews", descending=True)
    assert reviews[0] == "parties"
    assert studied.search("", "lapses", descending=True)[0] == "parties"
    recall = studied.search("-is:new", "retrievability")
    values = [studied.browser_rows(recall)[card_id].retrievability for card_id in recall]
    assert values == sorted(values)  # type: ignore[type-var]
    with pytest.raises(SearchError):
        studied.search("", "colour")


def test_rows_are_read_by_id_in_a_batch(studied: Collection) -> None:
    ids = studied.search("", "question")
    rows = studied.browser_rows(ids)
    assert list(rows) == ids or set(rows) == set(ids)
    parties = rows["parties"]
    assert (parties.reviews, parties.lapses, parties.flag) == (3, 1, 1)
    assert parties.section == "Overview" and parties.article is not None
    assert parties.retrievability is not None and not parties.mine
    assert rows["riga-objection"].marked and rows["lithuania-gave"].suspended
    assert rows["isolation-why"].buried
    own = rows[mine(studied)]
    assert own.mine and own.state == 0 and own.due is None and own.question == "Where is Łódź?"
    studied.delete_cards(own.id)
    assert studied.browser_rows([own.id])[own.id].deleted
    assert studied.browser_rows(["no-such-card"])["no-such-card"].deleted


# -- without FTS5 ------------------------------------------------------------------------------


def test_without_fts5_the_search_falls_back_to_like_with_the_same_folding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "fts5_available", lambda connection: False)
    collection = Collection.open(tmp_path / "data", lambda: NOW)
    try:
        assert not collection.full_text_search
        with sqlite3.connect(collection.path) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert search_index.FTS_TABLE not in tables
        assert "klaipeda-interests" in found(collection, "klaipeda")
        assert "klaipeda-interests" in found(collection, "Klaipėda")
        assert "vilnius-control" in found(collection, "zeligowski")
        assert "riga-objection" in found(collection, '"peace of riga"')
        assert found(collection, "-klaipeda") == found(collection, "") - found(
            collection, "klaipeda"
        )
    finally:
        collection.close()


def test_with_fts5_the_collection_says_so(collection: Collection) -> None:
    assert collection.full_text_search


# -- reposition ---------------------------------------------------------------------------------


def new_order(collection: Collection) -> list[str]:
    return collection.search("is:new", "due")


def test_reposition_moves_new_cards_to_the_front_and_undo_moves_them_back(
    studied: Collection,
) -> None:
    before = new_order(studied)
    last_two = before[-2:]
    changes = studied.reposition_new(last_two, 1)
    assert changes.label == "Reposition" and changes.repositioned == tuple(last_two)
    assert new_order(studied)[:2] == last_two
    assert new_order(studied)[2:] == before[:-2], "the others keep their order"
    assert studied.next_card() is not None
    studied.undo()
    assert new_order(studied) == before


def test_reposition_with_a_start_and_a_step(studied: Collection) -> None:
    before = new_order(studied)
    chosen = before[:3]
    studied.reposition_new(chosen, 4, 2)
    after = new_order(studied)
    assert [after.index(card_id) for card_id in chosen] == [3, 5, 7]
    assert [card_id for card_id in after if card_id not in chosen] == before[3:]


def test_reposition_leaves_studied_cards_alone_and_refuses_only_studied(
    studied: Collection,
) -> None:
    new = new_order(studied)[-1]
    changes = studied.reposition_new(["parties", new], 1)
    assert changes.not_new == ("parties",) and new_order(studied)[0] == new
    with pytest.raises(CardOperationError, match="Only new cards"):
        studied.reposition_new(["parties", "signed-when"], 1)
    with pytest.raises(CardOperationError, match="whole numbers"):
        studied.reposition_new([new], 0)


def test_reposition_between_cards_with_no_room_moves_the_neighbours_along(
    studied: Collection,
) -> None:
    # Three cards of mine on one sentence sit at consecutive positions: no room between.
    added = [
        studied.add_card(
            NewCard(CardText(CardKind.BASIC, f"Q{n}?", "A."), CardSource("overview-1", 1))
        ).card_id
        for n in range(3)
    ]
    order = new_order(studied)
    start = order.index(added[1]) + 1  # between added[0] and added[1]
    moved = order[-3:]
    studied.reposition_new(moved, start)
    after = new_order(studied)
    assert after[start - 1 : start + 2] == moved
    assert after.index(added[0]) < after.index(moved[0]) < after.index(added[1])
