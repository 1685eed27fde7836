"""Collection.import_cards: one transaction and one undo step; duplicates skipped, GUIDs
update, bad rows reported by line and never written."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy import event, func, select

from studyapp.collection import CardOperationError, CardText, Collection
from studyapp.collection.export_rows import CardSelection
from studyapp.collection.importing import Cancelled, ImportRow, card_guid
from studyapp.content.model import CardKind
from studyapp.storage import models
from studyapp.storage.errors import StorageError

ARTICLE = "soviet-lithuanian-non-aggression-pact"
FIRST_SENTENCE = (
    "Soviet–Lithuanian Non-Aggression Pact (Lithuanian: Lietuvos–TSRS nepuolimo sutartis) was "
    "a non-aggression pact, signed between the Soviet Union and Lithuania on September 28, 1926."
)


def basic(line: int, front: str, back: str, **extra: Any) -> ImportRow:
    return ImportRow(line, CardText(CardKind.BASIC, front, back), **extra)


def cloze(line: int, text: str, **extra: Any) -> ImportRow:
    return ImportRow(line, CardText(CardKind.CLOZE, cloze=text), **extra)


def card_count(collection: Collection) -> int:
    with collection.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(models.Card)) or 0


def test_rows_become_the_learners_cards_of_the_chosen_article(collection: Collection) -> None:
    before = card_count(collection)
    changes = collection.import_cards(
        [
            basic(2, "Who chaired the Seimas?", "Its speaker.", tags=("marked", "history")),
            cloze(3, "The pact was signed in {{Moscow}}.", flag=2),
            basic(4, "Sourced?", "Yes.", source=FIRST_SENTENCE),
        ],
        ARTICLE,
    )
    assert (changes.added, changes.updated, changes.linked) == (3, 0, 1)
    assert changes.duplicates == () and changes.rejected == ()
    assert card_count(collection) == before + 3
    cards = {card.front: card for card in map(collection.card, changes.added_ids)}
    question = cards["Who chaired the Seimas?"]
    assert question.mine and question.article_id == ARTICLE and question.passage_id is None
    assert question.marked and question.tags == ("history", "marked")
    assert question.state == models.STATE_NEW
    gap = collection.card(changes.added_ids[1])
    assert gap.kind == "cloze" and gap.front == "The pact was signed in […]." and gap.flag == 2
    sourced = cards["Sourced?"]
    assert (sourced.passage_id, sourced.sentence_index) == ("overview-1", 0)
    assert sourced.quote == FIRST_SENTENCE
    assert collection.undo_label() == "Undo Import"


def test_one_undo_removes_every_imported_card(collection: Collection) -> None:
    before = card_count(collection)
    rows = [basic(line, f"Question {line}?", f"Answer {line}.") for line in range(1, 1201)]
    changes = collection.import_cards(rows, None)
    assert changes.added == 1200 and card_count(collection) == before + 1200
    undone = collection.undo()
    assert undone is not None and undone.label == "Undo Import"
    assert card_count(collection) == before
    assert not collection.can_undo()


def test_duplicates_are_skipped_and_reported_with_their_line(collection: Collection) -> None:
    parties = collection.card("parties")
    changes = collection.import_cards(
        [
            basic(5, parties.front, parties.back),  # the pack's own card
            basic(6, "New?", "Yes."),
            basic(7, "  New? ", "Yes. "),  # the row above again, spaced differently
        ],
        ARTICLE,
    )
    assert changes.added == 1
    assert [(note.line, note.reason) for note in changes.duplicates] == [
        (5, "the same text as card 'parties'"),
        (7, "the same text as line 6"),
    ]


def test_a_row_whose_guid_names_a_card_updates_its_text(collection: Collection) -> None:
    before = card_count(collection)
    guid = card_guid("parties")
    changes = collection.import_cards(
        [basic(2, "Which states signed the pact?", "Lithuania and the USSR.", guid=guid)],
        ARTICLE,
    )
    assert (changes.added, changes.updated) == (0, 1)
    card = collection.card("parties")
    assert card.front == "Which states signed the pact?" and card.edited
    assert card_count(collection) == before
    collection.undo()
    assert collection.card("parties").front.startswith("Between which two states")


def test_bad_rows_are_rejected_with_line_and_reason_and_the_rest_imported(
    collection: Collection,
) -> None:
    changes = collection.import_cards(
        [
            basic(2, "", "An answer without a question."),
            cloze(3, "A cloze without a gap."),
            basic(4, "Fine?", "Fine."),
            basic(5, "Tag?", "Too long.", tags=("x" * 101,)),
            cloze(6, "Signed in {{Moscow}}.", guid=card_guid("parties")),  # a basic card
        ],
        None,
    )
    assert changes.added == 1
    reasons = {note.line: note.reason for note in changes.rejected}
    assert reasons[2] == "a card needs a question (its front)"
    assert "exactly one {{gap}}" in reasons[3]
    assert "longer than 100 characters" in reasons[5]
    assert "names the basic card 'parties'" in reasons[6]


def test_nothing_to_add_leaves_nothing_to_undo(collection: Collection) -> None:
    parties = collection.card("parties")
    changes = collection.import_cards([basic(1, parties.front, parties.back)], None)
    assert changes.added == 0 and len(changes.duplicates) == 1
    assert not collection.can_undo()


def test_an_unknown_article_is_refused(collection: Collection) -> None:
    with pytest.raises(CardOperationError, match="no article 'nowhere'"):
        collection.import_cards([basic(1, "Q?", "A.")], "nowhere")


def test_a_full_disk_imports_nothing(collection: Collection) -> None:
    before = card_count(collection)
    engine = collection.database.engine

    def refuse(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CARD_TAGS"):
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(engine, "before_cursor_execute", refuse)
    try:
        with pytest.raises(StorageError, match="disk is full"):
            collection.import_cards(
                [basic(1, "Q1?", "A."), basic(2, "Q2?", "A.", tags=("marked",))], None
            )
    finally:
        event.remove(engine, "before_cursor_execute", refuse)
    assert card_count(collection) == before
    assert not collection.can_undo()


def test_cancelling_through_progress_imports_nothing(collection: Collection) -> None:
    before = card_count(collection)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 500:
            raise Cancelled("The import was cancelled.")

    rows = [basic(line, f"Q{line}?", "A.") for line in range(1, 2001)]
    with pytest.raises(Cancelled):
        collection.import_cards(rows, None, progress=progress)
    assert seen[:2] == [(0, 2000), (500, 2000)]
    assert card_count(collection) == before


def test_exports_read_the_selected_cards(collection: Collection) -> None:
    collection.import_cards([basic(1, "Mine?", "Yes.")], None)
    everything = list(collection.export_cards(CardSelection()))
    mine = list(collection.export_cards(CardSelection("mine")))
    article = list(collection.export_cards(CardSelection.parse(f"article:{ARTICLE}")))
    assert [card.front for card in mine] == ["Mine?"]
    assert len(everything) == len(article) + 1
    assert all(card.article_title == "Soviet–Lithuanian Non-Aggression Pact" for card in article)
    assert article[0].section_heading == "Overview"
    assert collection.export_size(CardSelection("mine")).cards == 1
