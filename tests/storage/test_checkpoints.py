"""The WAL is checkpointed by a thread of the collection soon after each write, so the commits
of answers on the GUI thread do not pay for copying it back into the database file."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.paths import database_path
from studyapp.storage.checkpoints import AFTER_WRITE_S, Checkpoints
from studyapp.storage.engine import create_sqlite_engine

START = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
WAIT_S = AFTER_WRITE_S + 5.0  # the checkpoint, on a slow and busy machine


def _answers_in_file_alone(data_dir: Path, copy_dir: Path) -> int | None:
    """The answers in a copy of the database file without its -wal (None: a torn copy)."""
    copy = copy_dir / "alone.sqlite3"
    shutil.copyfile(database_path(data_dir), copy)
    try:
        # immutable: no -wal or -shm is looked for, only the file's own pages are read
        with sqlite3.connect(f"file:{copy}?immutable=1", uri=True) as connection:
            return int(connection.execute("SELECT count(*) FROM review_log").fetchone()[0])
    except sqlite3.DatabaseError:
        return None
    finally:
        copy.unlink()


def _checkpoint_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "studyapp-checkpoints"]


def test_an_answer_reaches_the_database_file_itself_soon_after(
    data_dir: Path, tmp_path: Path
) -> None:
    clock = FakeClock(START)
    collection = Collection.open(data_dir, clock.now, tz=dt.UTC)
    try:
        assert _answers_in_file_alone(data_dir, tmp_path) == 0
        for _ in range(3):
            card = collection.study_next().card
            assert card is not None
            collection.answer(card.id, 3, 4000)
            clock.advance(dt.timedelta(seconds=10))
        # Three answers are far below the 1,000 pages after which SQLite's commit itself
        # would checkpoint: only the collection's thread puts them in the file this soon.
        deadline = time.monotonic() + WAIT_S
        found = _answers_in_file_alone(data_dir, tmp_path)
        while found != 3 and time.monotonic() < deadline:
            time.sleep(0.05)
            found = _answers_in_file_alone(data_dir, tmp_path)
        assert found == 3
    finally:
        collection.close()


def test_reading_alone_starts_no_checkpoints_and_closing_stops_them(data_dir: Path) -> None:
    clock = FakeClock(START)
    collection = Collection.open(data_dir, clock.now, tz=dt.UTC)
    try:
        collection.study_next()
        collection.timeline()
        assert _checkpoint_threads() == []  # nothing written yet: no thread
        card = collection.study_next().card
        assert card is not None
        collection.answer(card.id, 4, 3000)
        assert len(_checkpoint_threads()) == 1
    finally:
        collection.close()
    assert _checkpoint_threads() == []
    # Closed, the collection left no journal: its last connection took the WAL in.
    assert not Path(f"{database_path(data_dir)}-wal").exists()


@pytest.mark.parametrize("writes", [1, 5])
def test_checkpoints_run_once_writes_pause(data_dir: Path, writes: int) -> None:
    clock = FakeClock(START)
    collection = Collection.open(data_dir, clock.now, tz=dt.UTC)
    try:
        checkpoints = collection.database.checkpoints
        assert checkpoints is not None
        for _ in range(writes):  # quicker than AFTER_WRITE_S apart: they share a checkpoint
            card = collection.study_next().card
            assert card is not None
            collection.answer(card.id, 3, 2000)
        deadline = time.monotonic() + WAIT_S
        while checkpoints.done == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(AFTER_WRITE_S * 2)
        assert 1 <= checkpoints.done <= 2
    finally:
        collection.close()


def test_closing_just_as_a_checkpoint_comes_due_never_hangs(tmp_path: Path) -> None:
    engine = create_sqlite_engine(tmp_path / "plain.sqlite3")
    try:
        for attempt in range(40):
            checkpoints = Checkpoints(engine, after_write_s=0.002)
            checkpoints.wrote()
            time.sleep((attempt % 8) * 0.001)  # close before, during and after it is due
            closing = threading.Thread(target=checkpoints.close)
            closing.start()
            closing.join(timeout=5)
            assert not closing.is_alive(), f"close() hung (attempt {attempt})"
            assert _checkpoint_threads() == []
    finally:
        engine.dispose()
