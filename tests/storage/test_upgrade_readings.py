"""Upgrading a studied collection changes nothing the learner can see: every reading of it
(card info, review history, statistics, searches, the browser, both exports) is what the
released version read from the same collection (fixtures/make_upgrade_fixture.py)."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sqlite3
from pathlib import Path
from typing import Any

from studyapp.collection import Collection
from studyapp.storage import migrate
from studyapp.storage.times import to_microseconds
from tests.helpers import database_from_dump
from tests.storage.fixtures.make_upgrade_fixture import READ_AT, build, readings, updated_pack

FIXTURES = Path(__file__).parent / "fixtures"
_FLOAT = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")


def _same(read: Any, expected: Any) -> bool:
    """Equal readings: the same text, but a float may differ in its last digits (a sum SQLite
    adds up in another order: 14.273941111880466 and 14.27394111188047)."""
    if isinstance(expected, dict):
        return (
            isinstance(read, dict)
            and read.keys() == expected.keys()
            and all(_same(read[key], value) for key, value in expected.items())
        )
    if isinstance(expected, list):
        return (
            isinstance(read, list)
            and len(read) == len(expected)
            and all(_same(a, b) for a, b in zip(read, expected, strict=True))
        )
    if not isinstance(expected, str) or not isinstance(read, str):
        return bool(read == expected)
    if _FLOAT.split(read) != _FLOAT.split(expected):
        return False
    numbers = zip(_FLOAT.findall(read), _FLOAT.findall(expected), strict=True)
    return all(math.isclose(float(a), float(b), rel_tol=1e-12) for a, b in numbers)


def _released_readings() -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(
        (FIXTURES / "readings_0003_studied.json").read_text(encoding="utf-8")
    )
    return expected


def _assert_same_readings(read: dict[str, Any], expected: dict[str, Any], when: str) -> None:
    assert list(read) == list(expected)
    # Answers come card by card, each card's in time order; the cards now in the order of
    # their integer keys (reading the log by card key, with no sort of every answer).
    read["export_reviews"].sort()
    expected["export_reviews"].sort()
    for reading, value in expected.items():
        assert _same(read[reading], value), f"{reading} differs {when}"
    assert len(read["export_reviews"]) > 250, "the fixture holds weeks of answers"


def test_upgrading_0003_keeps_every_reading_of_a_studied_collection(tmp_path: Path) -> None:
    database_from_dump(FIXTURES / "revision_0003_studied.sql", tmp_path / "data" / "study.sqlite3")
    pack = updated_pack(tmp_path / "pack.toml")
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    read = readings(tmp_path / "data", pack, scratch)

    _assert_same_readings(read, _released_readings(), "after the upgrade")
    backups = list((tmp_path / "data" / "backups").glob("study-before-upgrade-from-0003-*"))
    assert len(backups) == 1, "the released file was copied before upgrading"


def test_the_same_weeks_studied_on_this_schema_read_as_on_the_released_one(
    tmp_path: Path,
) -> None:
    """Answering, the queue, burying, forgetting and a pack update behave as they did: the
    fixture's history built again with this code reads as the released code read it."""
    pack = updated_pack(tmp_path / "pack.toml")
    build(tmp_path / "data", pack)
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    read = readings(tmp_path / "data", pack, scratch)

    _assert_same_readings(read, _released_readings(), "when studied on this schema")


def test_answers_saved_in_one_microsecond_keep_their_order_a_microsecond_apart(
    tmp_path: Path,
) -> None:
    """Before 0004 an answer saved while the clock was behind took the last answer's time; the
    log's key is now the time, so each such answer moves on by one microsecond, in order."""
    path = database_from_dump(FIXTURES / "revision_0003.sql", tmp_path / "data" / "study.sqlite3")
    with sqlite3.connect(path) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM review_log ORDER BY id")]
        (shared,) = connection.execute(
            "SELECT reviewed_at FROM review_log WHERE id = ?", (ids[1],)
        ).fetchone()
        connection.execute(
            "UPDATE review_log SET reviewed_at = ? WHERE id IN (?, ?)", (shared, ids[2], ids[3])
        )
        order = [
            (card, rating)
            for card, rating in connection.execute(
                "SELECT card_id, rating FROM review_log ORDER BY reviewed_at, id"
            )
        ]
    connection.close()

    collection = Collection.open(tmp_path / "data", lambda: READ_AT, tz=dt.UTC)
    try:
        assert collection.migration.from_revision == "0003"
        assert collection.migration.to_revision == migrate.HEAD_REVISION
        history = {card: collection.card_history(card) for card in {card for card, _ in order}}
        assert collection.check().ok
    finally:
        collection.close()
    with sqlite3.connect(path) as connection:
        after = connection.execute(
            "SELECT c.id, r.rating, r.reviewed_at FROM review_log r "
            "JOIN cards c ON c.number = r.card_number ORDER BY r.reviewed_at"
        ).fetchall()
    connection.close()
    assert [(card, rating) for card, rating, _ in after] == order
    times = [at for _, _, at in after]
    assert times[1:4] == [shared, shared + 1, shared + 2]
    assert sum(len(entries) for entries in history.values()) == len(order)
    seen = {to_microseconds(entry.reviewed_at) for entries in history.values() for entry in entries}
    assert {shared, shared + 1, shared + 2} <= seen
