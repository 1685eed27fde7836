"""Collection operations: each is one transaction that says what moved, and undo puts the
database back as it was, row for row."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from studyapp.clock import FakeClock
from studyapp.collection import (
    CardOperationError,
    CardSource,
    CardText,
    Changes,
    Collection,
    NewCard,
)
from studyapp.content.model import CardKind
from studyapp.storage.errors import StorageError
from studyapp.storage.search_index import FTS_TABLE, is_index_table
from studyapp.study.settings import StudySettings

START = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def collection(data_dir: Path, clock: FakeClock) -> Iterator[Collection]:
    opened = Collection.open(data_dir, clock.now, tz=dt.UTC)
    yield opened
    opened.close()


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: what "the same database" means here. The FTS5
    index's own tables are SQLite's b-trees (their bytes depend on the order of writes): they
    are checked for consistency instead (integrity-check raises)."""
    connection = sqlite3.connect(path)
    try:
        connection.execute(
            f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
        )
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if not is_index_table(name)
        ]
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    finally:
        connection.close()


def _answered(collection: Collection) -> str:
    card = collection.next_card()
    assert card is not None
    collection.previews(card.id)
    collection.answer(card.id, 3, 2000)
    return card.id


def _note(source: str) -> NewCard:
    return (
        NewCard(
            CardText(
                CardKind.CLOZE,
                cloze="The pact was registered in {{League of Nations}} Treaty "
                "Series on March 4, 1927.",
            ),
            CardSource("overview-1", 6),
            ("league-registration",),
        )
        if source == "cloze"
        else NewCard(CardText(CardKind.BASIC, "Q?", "A."))
    )


OPERATIONS: dict[str, tuple[str, Callable[[Collection], Changes]]] = {
    "answer": ("Answer", lambda c: c.answer("parties", 3, 1000)),
    "answer and next": ("Answer", lambda c: c.answer("parties", 1, 1000, with_next=True)),
    "suspend": ("Suspend", lambda c: c.suspend("parties", "signed-when")),
    "unsuspend": ("Unsuspend", lambda c: c.unsuspend("coup-when")),
    "bury": ("Bury", lambda c: c.bury("parties")),
    "unbury": ("Unbury", lambda c: c.unbury("coup-reason")),
    "flag": ("Flag", lambda c: c.set_flag(2, "parties", "coup-when")),
    "mark": ("Mark", lambda c: c.set_marked(True, "parties")),
    "unmark": ("Unmark", lambda c: c.set_marked(False, "isolation-why")),
    "forget": ("Forget", lambda c: c.forget_cards("parties")),
    "clear flag": ("Clear Flag", lambda c: c.set_flag(0, "isolation-why")),
    "restore": ("Restore Original", lambda c: c.restore_original("isolation-why")),
    "add": ("Add Card", lambda c: c.add_card(_note("cloze"))),
    "edit": (
        "Edit Card",
        lambda c: c.edit_card("parties", CardText(CardKind.BASIC, "Who signed?", "Both.")),
    ),
    "delete": ("Delete", lambda c: c.delete_cards(c.add_card(_note("basic")).card_id)),
    "reposition": (
        "Reposition",
        lambda c: c.reposition_new(c.search("is:new", "due")[-3:], 2),
    ),
    "settings": (
        "Study Settings",
        lambda c: c.update_settings(StudySettings(new_per_day=5, desired_retention=0.85)),
    ),
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_undo_puts_every_row_back(collection: Collection, clock: FakeClock, name: str) -> None:
    # Some history first, so the rows an operation touches are not all fresh ones.
    answered = _answered(collection)
    collection.suspend("coup-when")
    collection.bury("coup-reason")
    collection.set_flag(3, "isolation-why")
    collection.edit_card("isolation-why", CardText(CardKind.BASIC, "Why isolated?", "Because."))
    collection.set_marked(True, "isolation-why")
    clock.advance(minutes=15)
    if name == "delete":  # the card to delete is added by the same lambda: undo twice
        label, operation = OPERATIONS[name]
        before = snapshot(collection.path)
        changes = operation(collection)
        assert changes.label == label and collection.undo_label() == "Undo Delete"
        collection.undo()
        assert collection.undo_label() == "Undo Add Card"
        collection.undo()
        assert snapshot(collection.path) == before
        return
    label, operation = OPERATIONS[name]
    before = snapshot(collection.path)
    changes = operation(collection)
    after = snapshot(collection.path)
    assert after != before, f"{name} changed nothing"
    assert changes.label == label
    assert collection.undo_label() == f"Undo {label}"
    undone = collection.undo()
    assert undone is not None and undone.label == f"Undo {label}"
    assert snapshot(collection.path) == before
    assert collection.undo_label() == "Undo Mark", "the setup's steps are still there"
    collection.undo()
    assert collection.undo_label() == "Undo Edit Card"
    assert collection.card(answered).reviews == 1


def test_what_each_operation_says_it_moved(collection: Collection) -> None:
    answer = collection.answer("parties", 3, 1000)
    assert (answer.scheduling, answer.review_log, answer.card_status) == (True, True, False)
    assert answer.interval == "10m"
    assert answer.siblings_buried == ("signed-when", "lithuanian-name"), "the same sentence's"
    assert answer.card_ids == {"parties", "signed-when", "lithuanian-name"}
    suspend = collection.suspend("signed-when")
    assert suspend.scheduling and suspend.card_status and suspend.card_counts
    assert not suspend.review_log and not suspend.card_content
    bury = collection.bury("coup-when")
    assert bury.scheduling and bury.study_queue and not bury.card_counts
    flag = collection.set_flag(1, "parties")
    assert flag.card_marks and not flag.study_queue and not flag.card_counts
    edit = collection.edit_card("parties", CardText(CardKind.BASIC, "Who signed it?", "Both."))
    assert edit.card_content and edit.study_queue and not edit.card_counts
    added = collection.add_card(_note("cloze"))
    assert added.card_status and added.card_links and added.card_counts
    settings = collection.update_settings(StudySettings(new_per_day=3))
    assert settings.settings and settings.study_queue and not settings.card_counts


def test_undo_after_suspend_brings_the_card_back_next(collection: Collection) -> None:
    card = collection.next_card()
    assert card is not None
    collection.suspend(card.id)
    assert collection.next_card() != card
    collection.undo()
    assert collection.next_card() == card
    assert not collection.card(card.id).suspended


def test_the_undo_stack_keeps_the_last_thirty(collection: Collection) -> None:
    for flag in range(35):
        collection.set_flag(flag % 4 + 1, "parties")
    undone = 0
    while collection.undo() is not None:
        undone += 1
    assert undone == 30
    assert collection.card("parties").flag == 1, "the first five flags are beyond undo"


def test_a_pack_update_cannot_be_stepped_over_by_undo(
    collection: Collection, tmp_path: Path
) -> None:
    from studyapp.content.loader import load_dataset
    from studyapp.paths import dataset_path
    from tests.storage.test_seeding import _next_version

    collection.suspend("parties")
    same = collection.sync_pack(load_dataset(dataset_path()))
    assert not same.changes.content and collection.undo_label() == "Undo Suspend", "no change"
    newer = tmp_path / "pact-next.toml"
    newer.write_text(_next_version(dataset_path().read_text(encoding="utf-8")), encoding="utf-8")
    moved = collection.sync_pack(load_dataset(newer))
    assert moved.changes.content and moved.result.moved
    assert collection.undo_label() is None, "the rows the stack holds may have changed"


def test_added_cards_sit_in_reading_order_after_their_sentence(collection: Collection) -> None:
    added = collection.add_card(_note("cloze"))
    card = collection.card(added.card_id)
    assert card.mine and card.passage_id == "overview-1" and card.sentence_index == 6
    assert card.front == "The pact was registered in […] Treaty Series on March 4, 1927."
    assert (
        card.back == "The pact was registered in League of Nations Treaty Series on March 4, 1927."
    )
    assert card.event_ids == ("league-registration",)
    in_paragraph = [summary.id for summary in collection.passage_cards("overview-1")]
    same_sentence = ["registered-when", "registration-volume"]
    assert in_paragraph[-3:] == [*same_sentence, added.card_id]
    earlier = collection.add_card(
        NewCard(
            CardText(CardKind.BASIC, "What did it confirm?", "The 1920 treaty."),
            CardSource("overview-1", 1),
        )
    )
    in_paragraph = [summary.id for summary in collection.passage_cards("overview-1")]
    after = in_paragraph.index("confirmed-peace-treaty") + 1
    assert in_paragraph[after] == earlier.card_id, "after its sentence's cards, before the next"


def test_cards_are_refused_with_the_loaders_reasons(collection: Collection) -> None:
    two_gaps = NewCard(
        CardText(CardKind.CLOZE, cloze="The {{pact}} was {{broken}}."), CardSource("overview-1", 0)
    )
    with pytest.raises(CardOperationError, match="exactly one"):
        collection.add_card(two_gaps)
    outside = NewCard(
        CardText(CardKind.CLOZE, cloze="The pact was {{never}} signed."),
        CardSource("overview-1", 0),
    )
    with pytest.raises(CardOperationError, match="does not occur in its quote"):
        collection.add_card(outside)
    with pytest.raises(CardOperationError, match="needs an answer"):
        collection.add_card(NewCard(CardText(CardKind.BASIC, "Q?", "  ")))
    with pytest.raises(CardOperationError, match="no sentence"):
        collection.add_card(
            NewCard(CardText(CardKind.BASIC, "Q?", "A."), CardSource("overview-1", 99))
        )
    with pytest.raises(CardOperationError, match="no event"):
        collection.add_card(NewCard(CardText(CardKind.BASIC, "Q?", "A."), event_ids=("nope",)))
    assert collection.undo_label() is None, "a refused operation leaves no undo step"


def test_pack_cards_cannot_be_deleted(collection: Collection) -> None:
    with pytest.raises(CardOperationError, match="suspend it instead"):
        collection.delete_cards("parties")
    assert not collection.card("parties").deleted


def test_a_deleted_card_keeps_its_history_but_is_never_shown(
    collection: Collection, clock: FakeClock
) -> None:
    added = collection.add_card(NewCard(CardText(CardKind.BASIC, "Mine?", "Yes.")))
    collection.update_settings(StudySettings(new_per_day=100))
    collection.answer(added.card_id, 1, 1000)
    collection.delete_cards(added.card_id)
    assert collection.card(added.card_id).deleted and collection.card(added.card_id).reviews == 1
    clock.advance(days=1)
    seen = set()
    while (card := collection.next_card()) is not None:
        seen.add(card.id)
        collection.bury(card.id)
    assert added.card_id not in seen and len(seen) == 41


def test_editing_a_pack_card_keeps_the_pack_text_aside(collection: Collection) -> None:
    original = collection.card("parties")
    collection.edit_card(
        "parties", CardText(CardKind.BASIC, "Who were the parties?", original.back)
    )
    edited = collection.card("parties")
    assert edited.edited and edited.front == "Who were the parties?"
    collection.restore_original("parties")
    restored = collection.card("parties")
    assert (restored.front, restored.back, restored.edited) == (
        original.front,
        original.back,
        False,
    )
    with pytest.raises(CardOperationError, match="already"):
        collection.restore_original("parties")


def test_a_failed_write_changes_nothing_and_leaves_no_undo_step(
    collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import event

    def refuse(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE CARDS"):
            raise sqlite3.OperationalError("database or disk is full")

    before = snapshot(collection.path)
    event.listen(collection.database.engine, "before_cursor_execute", refuse)
    try:
        with pytest.raises(StorageError, match="disk is full"):
            collection.suspend("parties")
    finally:
        event.remove(collection.database.engine, "before_cursor_execute", refuse)
    assert snapshot(collection.path) == before
    assert collection.undo_label() is None


def test_unknown_cards_are_refused(collection: Collection) -> None:
    with pytest.raises(KeyError, match="no-such-card"):
        collection.suspend("parties", "no-such-card")
    assert not collection.card("parties").suspended


def test_undoing_a_suspension_never_brings_a_card_forward_that_is_not_due(
    collection: Collection, clock: FakeClock
) -> None:
    collection.answer("parties", 4, 1000)  # Easy: due in days
    collection.suspend("parties")
    collection.undo()
    shown = collection.next_card()
    assert shown is not None and shown.id != "parties"


def test_an_unrelated_undo_keeps_the_intervals_on_the_buttons(
    collection: Collection, clock: FakeClock
) -> None:
    card = collection.next_card()
    assert card is not None
    collection.set_flag(1, "coup-when")
    shown = {p.rating: p for p in collection.previews(card.id)}
    collection.undo()  # the flag on another card
    clock.advance(seconds=20)
    answered = collection.answer(card.id, 3, 1000)
    assert answered.interval == shown[3].label
    assert answered.due == shown[3].due + dt.timedelta(seconds=20)


def test_deleted_and_suspended_cards_are_not_answered_or_changed(
    collection: Collection,
) -> None:
    mine = collection.add_card(NewCard(CardText(CardKind.BASIC, "Mine?", "Yes."))).card_id
    collection.delete_cards(mine)
    with pytest.raises(CardOperationError, match="deleted"):
        collection.answer(mine, 3, 1000)
    with pytest.raises(CardOperationError, match="deleted"):
        collection.edit_card(mine, CardText(CardKind.BASIC, "Mine again?", "Yes."))
    with pytest.raises(KeyError, match="deleted"):
        collection.set_flag(1, mine)
    collection.suspend("parties")
    with pytest.raises(CardOperationError, match="suspended"):
        collection.answer("parties", 3, 1000)
    assert collection.card("parties").reviews == 0
    with pytest.raises(CardOperationError, match="your own card"):
        collection.restore_original(
            collection.add_card(NewCard(CardText(CardKind.BASIC, "Q?", "A."))).card_id
        )


def test_repair_after_forget_keeps_what_the_answers_since_say(
    collection: Collection, clock: FakeClock
) -> None:
    from sqlalchemy import update

    from studyapp.storage import models

    for _ in range(3):
        collection.answer("parties", 3, 1000)
        clock.advance(days=3)
    collection.forget_cards("parties")
    collection.answer("parties", 3, 1000)
    expected = collection.card("parties")
    with collection.database.writes.begin() as session:
        session.execute(
            update(models.Card).where(models.Card.id == "parties").values(stability=-1.0)
        )
    repairs, _changes = collection.repair()
    assert [repair.card_id for repair in repairs] == ["parties"]
    repaired = collection.card("parties")
    assert (repaired.state, repaired.stability, repaired.due) == (
        expected.state,
        expected.stability,
        expected.due,
    )
