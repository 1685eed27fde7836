"""The first screen's reader: read-only, used only where the main path would open the collection
without writing, and reading what the Collection reads (the same functions, on sqlite3)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.collection.first_screen import SCHEMA_REVISION, FirstScreen
from studyapp.storage.migrate import HEAD_REVISION
from tests.helpers import fingerprint

START = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def test_the_reader_reads_the_schema_this_version_writes() -> None:
    assert SCHEMA_REVISION == HEAD_REVISION


def _window_reads(source: Collection | FirstScreen) -> dict[str, object]:
    """What the window reads before its first paint, by the Collection's method names."""
    articles = source.articles()
    return {
        "articles": articles,
        "view": [source.article_view(entry.id) for entry in articles],
        "default view": source.article_view(),
        "timeline": [source.timeline(entry.id) for entry in articles],
        "all events": source.timeline(None),
        "settings": source.settings,
        "study article": source.study_article,
        "day": source.day(),
        "next": source.study_next(),
        "counts": source.counts(),
        "next card": source.next_card(),
        "undo": source.undo_label(),
        "data dir": source.data_dir,
        "path": source.path,
    }


def _compare(data_dir: Path, clock: FakeClock) -> None:
    first = FirstScreen.open(data_dir, clock.now)
    assert first is not None
    try:
        read = _window_reads(first)
    finally:
        first.close()
    collection = Collection.open(data_dir, clock.now)
    try:
        assert read == _window_reads(collection)
    finally:
        collection.close()


def test_a_fresh_collection_reads_the_same_on_both_paths(data_dir: Path) -> None:
    _compare(data_dir, FakeClock(START))


def test_a_studied_collection_reads_the_same_on_both_paths(data_dir: Path) -> None:
    clock = FakeClock(START)
    collection = Collection.open(data_dir, clock.now)
    try:
        for rating in (3, 1, 4):
            card = collection.next_card()
            assert card is not None
            collection.previews(card.id)
            collection.answer(card.id, rating, 4000)
            clock.advance(seconds=20)
        upcoming = collection.next_card()
        assert upcoming is not None
        collection.suspend(upcoming.id)
        collection.study_only(collection.articles()[0].id)
    finally:
        collection.close()
    _compare(data_dir, clock)
    clock.advance(minutes=15)  # a learning card comes due
    _compare(data_dir, clock)
    clock.advance(days=1)  # the next study day: yesterday's limits are spent
    _compare(data_dir, clock)


def test_reading_writes_nothing(data_dir: Path) -> None:
    database = data_dir / "study.sqlite3"
    before = fingerprint(database)
    first = FirstScreen.open(data_dir)
    assert first is not None
    _window_reads(first)
    first.close()
    assert fingerprint(database) == before
    journal = data_dir / "study.sqlite3-wal"
    assert not journal.exists() or journal.stat().st_size == 0


def _set(database: Path, sql: str) -> None:
    connection = sqlite3.connect(database)
    with connection:
        connection.execute(sql)
    connection.close()  # the last connection: its journal is checkpointed away


def test_the_main_path_opens_a_first_run_an_upgrade_and_a_pack_update(
    data_dir: Path, tmp_path: Path
) -> None:
    assert FirstScreen.open(tmp_path / "nothing here") is None
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "study.sqlite3").write_bytes(b"")
    assert FirstScreen.open(tmp_path / "empty") is None
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "study.sqlite3").write_bytes(b"not a database, not at all" * 100)
    assert FirstScreen.open(tmp_path / "junk") is None

    database = data_dir / "study.sqlite3"
    _set(database, "UPDATE packs SET version = version - 1 WHERE builtin IS 1")
    assert FirstScreen.open(data_dir) is None  # the shipped pack is newer: opening updates it
    _set(database, "UPDATE packs SET version = version + 1 WHERE builtin IS 1")
    assert FirstScreen.open(data_dir) is not None
    _set(database, "UPDATE alembic_version SET version_num = '0003'")
    assert FirstScreen.open(data_dir) is None  # an older schema: opening upgrades it


def test_a_journal_a_crash_left_is_the_main_paths(data_dir: Path) -> None:
    journal = data_dir / "study.sqlite3-wal"
    journal.write_bytes(b"\x37\x7f\x06\x82" + bytes(60))  # a WAL header's magic, then nothing
    kept = journal.read_bytes()
    assert FirstScreen.open(data_dir) is None
    assert journal.read_bytes() == kept  # left for the main path to keep a copy of


def test_the_collection_opens_behind_the_first_screen_without_cycle_collections(
    data_dir: Path,
) -> None:
    """A full cycle collection during the opening would hold the window's event loop up for
    tens of ms: none runs while it opens, and collecting is on again after."""
    import gc

    from studyapp.collection.starting import StartingCollection

    first = FirstScreen.open(data_dir)
    assert first is not None
    collecting_while_opening: list[bool] = []

    def opener() -> Collection:
        collecting_while_opening.append(gc.isenabled())
        return Collection.open(data_dir, check_pages=False)

    starting = StartingCollection(first, opener)
    assert gc.isenabled()
    starting.open()
    try:
        assert starting.collection().next_card() is not None
        assert collecting_while_opening == [False]
        assert gc.isenabled()
    finally:
        starting.close()
        gc.unfreeze()  # what the opening froze is this test process's, not a start's


def test_a_closed_stand_in_opens_nothing_later(data_dir: Path) -> None:
    """Closed (the window replaced, say) before its opening began: a late open() does not
    open the collection behind nobody's back."""
    from studyapp.collection.starting import CollectionUnavailableError, StartingCollection

    first = FirstScreen.open(data_dir)
    assert first is not None
    opened: list[Collection] = []
    starting = StartingCollection(
        first, lambda: opened.append(Collection.open(data_dir)) or opened[-1]
    )
    starting.close()
    starting.open()
    with pytest.raises(CollectionUnavailableError, match="closed"):
        starting.collection()
    assert not starting.is_open and opened == []
