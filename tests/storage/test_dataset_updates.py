"""Updating the built-in pack in place from each released dataset version keeps every card's
scheduling state and review history; a card the new version drops is retired, not deleted."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from studyapp.collection import Collection
from studyapp.content.loader import load_dataset
from studyapp.paths import dataset_path
from studyapp.storage import models
from studyapp.storage.seed import SeedAction
from tests.helpers import HEAD_HISTORY, database_from_dump, released_history

FIXTURES = Path(__file__).parent / "fixtures"
NOW = dt.datetime(2027, 1, 15, 12, 0, tzinfo=dt.UTC)
SCHEDULING = (
    "SELECT id, kind, state, step, stability, difficulty, due, last_review, suspended, "
    "buried_until FROM cards ORDER BY id"
)
SCHEDULING_TIMES = (6, 7, 9)
REVIEW_TIMES = (3, 9, 10, 15)  # reviewed_at, due_before, last_review_before, due_after
# What each released version loses on the way to today's, named so a change is deliberate.
RETIRED_SINCE = {
    2: (
        "additional-protocol",  # three reference cards became one
        "broken-before-term-end",  # an order logic gives (broken before the term ran out)
        "effective-before-registered",  # an order logic gives
        "first-extension-text",
        "germany-wary",  # the objections now go from the reason to the country
        "isolation-cloze",  # its text showed another card's answer; now a basic card
        "latvia-estonia",
        "mutiny-before-pact",  # an order logic gives; named another card's answer
        "negotiations-objectors",  # a set to enumerate
        "peace-treaty-year",  # its text showed the treaty, another card's answer
        "poland-claim",
        "protests-against",  # its text showed two other cards' answers; now a basic card
        "ratified-before-exchanged",  # an order logic gives
        "second-extension-until",  # each showed the other's answer; now two basic cards
        "second-extension-when",
    ),
}


def _released_version(path: Path) -> int:
    """The built-in pack's version, as a released schema keeps it (0001: in settings)."""
    tables = {row[0] for row in _rows(path, "SELECT name FROM sqlite_master")}
    if "packs" in tables:
        return int(str(_rows(path, "SELECT version FROM packs WHERE builtin = 1")[0][0]))
    return int(str(_rows(path, "SELECT value FROM settings WHERE key = 'dataset_version'")[0][0]))


def _as_stored_now(row: tuple[object, ...], times: tuple[int, ...]) -> tuple[object, ...]:
    """A row of an older schema with its times as today's schema stores them."""
    from studyapp.storage.times import to_microseconds

    def convert(index: int, value: object) -> object:
        if index in times and isinstance(value, str):
            return to_microseconds(dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC))
        return value

    return tuple(convert(index, value) for index, value in enumerate(row))


def _rows(path: Path, query: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


@pytest.mark.parametrize("dump", sorted(FIXTURES.glob("dataset_v*.sql")), ids=lambda p: p.stem)
def test_an_update_keeps_every_cards_state_and_history(dump: Path, tmp_path: Path) -> None:
    path = database_from_dump(dump, tmp_path / "data" / "study.sqlite3")
    old_version = _released_version(path)
    cards_before = {
        row[0]: _as_stored_now(row, SCHEDULING_TIMES) for row in _rows(path, SCHEDULING)
    }
    reviews_before = released_history(
        [_as_stored_now(row, REVIEW_TIMES) for row in _rows(path, "SELECT * FROM review_log")]
    )
    reviewed = {row[0] for row in _rows(path, "SELECT DISTINCT card_id FROM review_log")}
    assert reviewed == set(cards_before), "the fixture has history on every card"
    dataset = load_dataset(dataset_path())
    assert old_version < dataset.version
    kept = set(cards_before) & {card.id for card in dataset.cards}
    dropped = set(cards_before) - kept

    collection = Collection.open(tmp_path / "data", lambda: NOW)
    try:
        assert collection.seed.action is SeedAction.UPDATED
        assert (collection.seed.previous_version, collection.seed.version) == (
            old_version,
            dataset.version,
        )
        assert collection.seed.retired_cards == tuple(sorted(dropped))
        assert collection.seed.retired_cards == RETIRED_SINCE[old_version]
        report = collection.check()
        assert report.ok, report.problems
        assert report.counts["reviews"] == len(reviews_before)
        assert report.counts["cards"] == len(cards_before) + len(dataset.cards) - len(kept)
    finally:
        collection.close()

    assert _rows(path, HEAD_HISTORY) == reviews_before
    cards_after = {row[0]: row for row in _rows(path, SCHEDULING)}
    for card_id, before in cards_before.items():
        assert cards_after[card_id] == before, f"{card_id} keeps its state"
    retired = {row[0] for row in _rows(path, "SELECT id FROM cards WHERE retired = 1")}
    assert retired == dropped
    new = set(cards_after) - set(cards_before)
    assert new == {card.id for card in dataset.cards} - kept
    assert {cards_after[card_id][2] for card_id in new} == {models.STATE_NEW}
    # The cards kept are studied again at once; the retired ones never are.
    collection = Collection.open(tmp_path / "data", lambda: NOW)
    try:
        assert all(not collection.card(card_id).retired for card_id in kept)
        assert all(collection.card(card_id).reviews >= 1 for card_id in cards_before)
        studied = {card.id for card in collection.passage_cards("ratification-1")}
        assert not studied & dropped and "coup-reason" in studied
    finally:
        collection.close()
