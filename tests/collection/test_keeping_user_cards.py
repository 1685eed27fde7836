"""The learner's own cards and their links are kept: through backups and a restore, a
released schema's database, deletion (undoable, history kept), and they study like pack
cards (reading order, the daily new limit, siblings on their sentence)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from studyapp.clock import FakeClock
from studyapp.collection import CardSource, CardText, Collection, NewCard
from studyapp.content.model import CardKind
from studyapp.storage import models
from studyapp.storage.cards import card_number
from studyapp.storage.recovery import restore_backup
from studyapp.study.settings import StudySettings
from tests.helpers import database_from_dump

NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
FIXTURES = Path(__file__).parents[1] / "storage" / "fixtures"
KAUNAS = NewCard(
    CardText(
        CardKind.CLOZE,
        cloze="Ratifications were exchanged in {{Kaunas}} on November 9, 1926, and the pact "
        "became effective on the same day.",
    ),
    CardSource("overview-1", 5),
    ("ratifications-exchanged",),
)


def _links(collection: Collection, card_id: str) -> set[str]:
    with collection.database.sessions() as session:
        return set(
            session.scalars(
                select(models.CardEvent.event_id).where(models.CardEvent.card_id == card_id)
            )
        )


def _reviews(collection: Collection, card_id: str) -> int:
    with collection.database.sessions() as session:
        count = session.scalar(
            select(func.count()).where(models.ReviewLog.card_number == card_number(card_id))
        )
    return count or 0


def test_a_backup_and_its_restore_keep_the_learners_cards_and_links(data_dir: Path) -> None:
    clock = FakeClock(NOW)
    collection = Collection.open(data_dir, clock.now, tz=dt.UTC)
    cloze = collection.add_card(KAUNAS).card_id
    chronology = collection.add_card(
        collection.chronology_card("pact-signed", "league-registration")
    ).card_id
    collection.answer(cloze, 3, 2000)
    backup = collection.backup()
    clock.advance(minutes=5)
    collection.delete_cards(cloze, chronology)
    collection.close()

    restore_backup(backup, data_dir / "study.sqlite3", data_dir / "backups", clock.now())
    restored = Collection.open(data_dir, clock.now, tz=dt.UTC)
    try:
        card = restored.card(cloze)
        assert not card.deleted and card.reviews == 1
        assert (card.passage_id, card.sentence_index, card.cloze) == (
            "overview-1",
            5,
            KAUNAS.text.cloze,
        )
        assert _links(restored, cloze) == {"ratifications-exchanged"}
        assert _links(restored, chronology) == {"pact-signed", "league-registration"}
        shown = {summary.id for summary in restored.passage_cards("overview-1")}
        assert {cloze, chronology} <= shown
        assert restored.check().ok
    finally:
        restored.close()


def test_a_released_schemas_database_keeps_its_learner_card_source_and_links(
    tmp_path: Path,
) -> None:
    # revision_0002.sql is a database written by the released schema, with one card of the
    # learner's (made by tests/storage/fixtures/make_revision_fixture.py).
    database_from_dump(FIXTURES / "revision_0002.sql", tmp_path / "data" / "study.sqlite3")
    collection = Collection.open(tmp_path / "data", lambda: NOW, tz=dt.UTC)
    try:
        with collection.database.sessions() as session:
            (mine,) = session.scalars(select(models.Card.id).where(models.Card.pack_id.is_(None)))
        card = collection.card(mine)
        assert card.mine and card.front == "Where were the ratifications exchanged?"
        assert (card.passage_id, card.sentence_index) == ("overview-1", 5)
        assert card.event_ids == ("ratifications-exchanged",) and card.reviews == 2
        assert mine in {summary.id for summary in collection.passage_cards("overview-1")}
        counts = collection.event_card_counts()
        assert counts["ratifications-exchanged"] >= 1
    finally:
        collection.close()


def test_deleting_a_learners_card_keeps_its_answers_and_undo_brings_it_back(
    data_dir: Path,
) -> None:
    collection = Collection.open(data_dir, lambda: NOW, tz=dt.UTC)
    try:
        card_id = collection.add_card(KAUNAS).card_id
        collection.answer(card_id, 3, 2000)
        badge = collection.passage_card_counts("soviet-lithuanian-non-aggression-pact")
        changes = collection.delete_cards(card_id)
        assert changes.card_counts, "the badges and the timeline recount"
        assert collection.card(card_id).deleted
        assert _reviews(collection, card_id) == 1, "its answer stays, for the statistics"
        after = collection.passage_card_counts("soviet-lithuanian-non-aggression-pact")
        assert after["overview-1"] == badge["overview-1"] - 1
        assert collection.undo_label() == "Undo Delete"
        collection.undo()
        assert not collection.card(card_id).deleted and collection.card(card_id).reviews == 1
        assert _links(collection, card_id) == {"ratifications-exchanged"}
    finally:
        collection.close()


def test_learner_cards_study_in_reading_order_within_the_limit_as_siblings(
    data_dir: Path,
) -> None:
    collection = Collection.open(data_dir, lambda: NOW, tz=dt.UTC)
    try:
        first_sentence = NewCard(
            CardText(CardKind.BASIC, "On which day was the pact signed?", "September 28, 1926."),
            CardSource("overview-1", 0),
            ("pact-signed",),
        )
        mine = collection.add_card(first_sentence).card_id
        collection.update_settings(StudySettings(new_per_day=4, bury_new_siblings=False))
        assert collection.counts().new == 4, "the daily limit holds with the learner's card"
        order = []
        while (card := collection.next_card()) is not None and len(order) < 5:
            order.append(card.id)
            collection.bury(card.id)  # (burying is no answer: the limit is not used up)
        # After its sentence's pack cards, before the next sentence's.
        assert order == [
            "parties",
            "signed-when",
            "lithuanian-name",
            mine,
            "confirmed-peace-treaty",
        ]
        assert set(collection.siblings(mine)) == {"parties", "signed-when", "lithuanian-name"}
        for card_id in order:
            collection.unbury(card_id)
        collection.update_settings(StudySettings(new_per_day=4, bury_new_siblings=True))
        answered = collection.answer("parties", 3, 1000)
        assert mine in answered.siblings_buried, "answering a pack card buries it till tomorrow"
    finally:
        collection.close()
