"""The WAL is checkpointed by a thread of the collection soon after each write, so the commits
of answers on the GUI thread do not pay for copying it back into the database file."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.paths import database_path
from studyapp.storage import checkpoints as checkpoints_module
from studyapp.storage.checkpoints import AFTER_WRITE_S, Checkpoints
from studyapp.storage.engine import create_sqlite_engine, writing

START = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
WAIT_S = AFTER_WRITE_S + 5.0  # the checkpoint, on a slow and busy machine


def _answers_in_file_alone(data_dir: Path, copy_dir: Path) -> int | None:
    """The answers in a copy of the database file without its -wal (None: a torn copy)."""
    copy = copy_dir / "alone.sqlite3"
    shutil.copyfile(database_path(data_dir), copy)
    try:
        # immutable: no -wal or -shm is looked for, only the file's own pages are read
        with closing(sqlite3.connect(f"file:{copy}?immutable=1", uri=True)) as connection:
            return int(connection.execute("SELECT count(*) FROM review_log").fetchone()[0])
    except sqlite3.DatabaseError:
        return None
    finally:
        copy.unlink()


def _checkpoint_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    """The checkpoint threads started since `before` (other tests' collections left open may
    still have theirs)."""
    return [
        thread
        for thread in threading.enumerate()
        if thread.name == "studyapp-checkpoints" and thread not in before
    ]


def _answer(collection: Collection, clock: FakeClock, rating: int = 3) -> None:
    card = collection.study_next().card
    assert card is not None
    collection.answer(card.id, rating, 4000)
    clock.advance(dt.timedelta(seconds=10))


def _wait_for_answers_in_file(data_dir: Path, copy_dir: Path, expected: int) -> int | None:
    deadline = time.monotonic() + WAIT_S
    found = _answers_in_file_alone(data_dir, copy_dir)
    while found != expected and time.monotonic() < deadline:
        time.sleep(0.05)
        found = _answers_in_file_alone(data_dir, copy_dir)
    return found


def test_an_answer_reaches_the_database_file_itself_soon_after(
    data_dir: Path, tmp_path: Path
) -> None:
    clock = FakeClock(START)
    collection = Collection.open(data_dir, clock.now, tz=dt.UTC)
    try:
        assert _answers_in_file_alone(data_dir, tmp_path) == 0
        for _ in range(3):
            _answer(collection, clock)
        # Three answers are far below the 1,000 pages after which SQLite's commit itself
        # would checkpoint: only the collection's thread puts them in the file this soon.
        assert _wait_for_answers_in_file(data_dir, tmp_path, 3) == 3
    finally:
        collection.close()


def test_an_answer_given_while_another_program_reads_reaches_the_file_once_it_is_done(
    data_dir: Path, tmp_path: Path
) -> None:
    clock = FakeClock(START)
    collection = Collection.open(data_dir, clock.now, tz=dt.UTC)
    reader = sqlite3.connect(database_path(data_dir), isolation_level=None)
    try:
        reader.execute("BEGIN")  # a read transaction from before the answer (an SQLite shell)
        reader.execute("SELECT count(*) FROM review_log").fetchone()
        _answer(collection, clock)
        time.sleep(AFTER_WRITE_S * 3)
        # Its snapshot still needs the pages the answer changed: they stay in the WAL.
        assert _answers_in_file_alone(data_dir, tmp_path) == 0
        reader.execute("COMMIT")
        # The checkpoint, tried again a little later each time, copies them once it is done.
        assert _wait_for_answers_in_file(data_dir, tmp_path, 1) == 1
    finally:
        reader.close()
        collection.close()


def test_reading_alone_starts_no_checkpoint_thread_and_closing_stops_it(data_dir: Path) -> None:
    before = set(threading.enumerate())
    clock = FakeClock(START)
    collection = Collection.open(data_dir, clock.now, tz=dt.UTC)
    try:
        collection.study_next()
        collection.timeline()
        assert _checkpoint_threads(before) == []  # nothing written yet: no thread
        _answer(collection, clock, rating=4)
        assert len(_checkpoint_threads(before)) == 1
    finally:
        collection.close()
    assert _checkpoint_threads(before) == []
    # Closed, the collection left no journal: its last connection took the WAL in.
    assert not Path(f"{database_path(data_dir)}-wal").exists()


def test_writes_close_together_share_one_checkpoint(tmp_path: Path) -> None:
    engine = create_sqlite_engine(tmp_path / "plain.sqlite3")
    checkpoints = Checkpoints(engine, after_write_s=0.5)
    try:
        with writing(engine).begin() as connection:
            connection.exec_driver_sql("CREATE TABLE answers (n INTEGER)")
        for n in range(5):  # each commit asks for one; all come well within the half second
            with writing(engine).begin() as connection:
                connection.exec_driver_sql("INSERT INTO answers VALUES (?)", (n,))
        deadline = time.monotonic() + WAIT_S
        while checkpoints.done == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(1.0)
        assert checkpoints.done == 1
        with engine.connect() as connection:  # a read commits nothing: no checkpoint
            connection.exec_driver_sql("SELECT count(*) FROM answers").all()
            connection.commit()
        time.sleep(1.0)
        assert checkpoints.done == 1
    finally:
        checkpoints.close()
        engine.dispose()


def test_closing_just_as_a_checkpoint_comes_due_never_hangs(tmp_path: Path) -> None:
    before = set(threading.enumerate())
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
            assert _checkpoint_threads(before) == []
    finally:
        engine.dispose()


def test_the_thread_ends_when_idle_and_the_next_write_starts_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoints_module, "IDLE_S", 0.3)
    before = set(threading.enumerate())
    engine = create_sqlite_engine(tmp_path / "plain.sqlite3")
    checkpoints = Checkpoints(engine, after_write_s=0.05)
    try:
        with writing(engine).begin() as connection:
            connection.exec_driver_sql("CREATE TABLE answers (n INTEGER)")
        for expected in (1, 2):
            deadline = time.monotonic() + WAIT_S
            while checkpoints.done < expected and time.monotonic() < deadline:
                time.sleep(0.02)
            assert checkpoints.done == expected
            # Idle, the thread ends (a collection left open holds no thread for ever)...
            while _checkpoint_threads(before) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert _checkpoint_threads(before) == []
            # ... and the next write starts another.
            with writing(engine).begin() as connection:
                connection.exec_driver_sql("INSERT INTO answers VALUES (?)", (expected,))
            assert len(_checkpoint_threads(before)) == 1
    finally:
        checkpoints.close()
        engine.dispose()
