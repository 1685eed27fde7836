"""Data safety, second round: each way the adversarial run found to lose or misplace data."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from studyapp.app import main
from studyapp.clock import FakeClock
from studyapp.collection import Collection, StartupError
from studyapp.content.loader import DatasetError, load_dataset
from studyapp.paths import NoHomeError, dataset_path, default_data_dir
from studyapp.storage import database as database_module
from studyapp.storage import engine as engine_module
from studyapp.storage import search_index
from studyapp.storage.backup import make_backup, prune_backups
from studyapp.storage.errors import DatabaseLockedError, EmptyDatabaseError, StorageError
from studyapp.storage.leftovers import clean_leftovers
from studyapp.storage.recovery import restore_backup
from tests.helpers import fingerprint

REPO = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Locks give up after 0.3 s instead of 5 s, so the tests do not wait."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 300)


HOLD = """
import sqlite3, sys, time
holder = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
holder.execute("PRAGMA locking_mode = EXCLUSIVE")
holder.execute("BEGIN EXCLUSIVE")
print("holding", flush=True)
time.sleep(60)
"""


@pytest.fixture
def exclusive_holder(data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """Another program holds the database with an exclusive lock (a sync tool, a shell)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir / "study.sqlite3")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    yield holder
    holder.kill()
    holder.wait()


# -- 1. a locked file is not a damaged one ---------------------------------------------------------


def test_a_locked_database_is_reported_as_locked_not_damaged(
    data_dir: Path, short_waits: None, exclusive_holder: subprocess.Popen[str]
) -> None:
    before = fingerprint(data_dir / "study.sqlite3")
    with pytest.raises(StartupError) as raised:
        Collection.open(data_dir)
    assert isinstance(raised.value.__cause__, DatabaseLockedError)
    message = str(raised.value)
    assert "in use by another program" in message and "not damaged" in message
    assert f"pid {exclusive_holder.pid}" in message, "the OS tells which program holds it"
    assert fingerprint(data_dir / "study.sqlite3") == before
    assert not list(data_dir.glob("study.corrupt-*"))


def test_restore_over_a_locked_database_refuses_and_sets_nothing_aside(
    data_dir: Path, short_waits: None
) -> None:
    backup = make_backup(data_dir / "study.sqlite3", data_dir / "backups", NOW)
    holder = sqlite3.connect(data_dir / "study.sqlite3", isolation_level=None, timeout=0)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLockedError):
            restore_backup(backup, data_dir / "study.sqlite3", data_dir / "backups", NOW)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (data_dir / "study.sqlite3").exists()
    assert not list(data_dir.glob("study.corrupt-*"))


def test_check_says_locked_and_exits_2(
    data_dir: Path,
    short_waits: None,
    exclusive_holder: subprocess.Popen[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--check", "--data-dir", str(data_dir)]) == 2
    assert "in use by another program" in capsys.readouterr().err


def test_a_write_lock_held_elsewhere_fails_an_answer_with_its_real_cause(
    data_dir: Path, short_waits: None
) -> None:
    collection = Collection.open(data_dir, lambda: NOW)
    holder = sqlite3.connect(data_dir / "study.sqlite3", isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError) as raised:
            collection.answer("parties", 3, 1000)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "another program is using the database" in str(raised.value)
    assert "disk space" not in str(raised.value)
    collection.answer("parties", 3, 1000)  # the lock gone, the same answer goes through
    assert collection.review_count() == 1
    collection.close()


# -- 3. an empty file beside good backups is a lost collection --------------------------------


def test_an_empty_database_beside_backups_with_answers_is_not_started_afresh(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = Collection.open(data_dir, lambda: NOW)
    collection.answer("parties", 3, 1000)
    collection.backup()
    collection.close()
    (data_dir / "study.sqlite3").write_bytes(b"")
    with pytest.raises(StartupError) as raised:
        Collection.open(data_dir)
    assert isinstance(raised.value.__cause__, EmptyDatabaseError)
    assert main(["--check", "--data-dir", str(data_dir)]) == 2
    assert "is empty" in capsys.readouterr().err
    assert (data_dir / "study.sqlite3").stat().st_size == 0, "left as it is"


def test_a_fresh_collection_never_prunes_a_backup_with_more_answers(data_dir: Path) -> None:
    clock = FakeClock(NOW - dt.timedelta(days=10))
    collection = Collection.open(data_dir, clock.now)
    collection.answer("parties", 3, 1000)
    answered = collection.backup()
    collection.close()
    (data_dir / "study.sqlite3").unlink()  # the collection is lost; a fresh one starts
    clock.advance(hours=1)
    fresh = Collection.open(data_dir, clock.now)
    later = fresh.backup()  # the same day: the rule keeps only the newest of a past day
    clock.set(NOW)
    fresh.backup()  # ten days on: the pruning that would let the answered one go
    fresh.close()
    assert answered.exists(), "the backup with the only answer stays"
    assert prune_backups(data_dir / "backups", NOW) == [answered], "(the rule alone)"
    assert later.exists()


# -- 4. a damaged -wal is never dropped silently -----------------------------------------------


def _killed_with_answers(data_dir: Path, target: Path, answers: int) -> None:
    """A studying session's files as a SIGKILL leaves them: the database and its -wal."""
    collection = Collection.open(data_dir, lambda: NOW)
    for card in list(collection.passage_cards("overview-1"))[:answers]:
        collection.answer(card.id, 1, 1000)
    target.mkdir()
    for name in ("study.sqlite3", "study.sqlite3-wal"):
        (target / name).write_bytes((data_dir / name).read_bytes())
    collection.close()


def test_an_unclean_journal_is_copied_aside_and_a_damaged_one_reported(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    killed = tmp_path / "killed"
    _killed_with_answers(data_dir, killed, 10)
    wal = killed / "study.sqlite3-wal"
    assert wal.stat().st_size > 0
    damaged = bytearray(wal.read_bytes())
    damaged[32 + 24 + 100] ^= 0xFF  # one byte of the first frame
    wal.write_bytes(bytes(damaged))
    reopened = Collection.open(killed, lambda: NOW)
    try:
        assert reopened.warnings and "journal" in reopened.warnings[0]
        assert "damaged" in reopened.warnings[0]
    finally:
        reopened.close()
    copies = sorted((killed / "backups").glob("study-unclean-*"))
    assert [path.name.endswith("-wal") for path in copies] == [False, True], "both kept"
    assert copies[1].read_bytes() == bytes(damaged)


def test_an_intact_journal_replays_and_its_copy_goes(data_dir: Path, tmp_path: Path) -> None:
    killed = tmp_path / "killed"
    _killed_with_answers(data_dir, killed, 10)
    reopened = Collection.open(killed, lambda: NOW)
    try:
        assert reopened.warnings == ()
        assert reopened.review_count() == 10
    finally:
        reopened.close()
    assert not list((killed / "backups").glob("study-unclean-*"))


# -- 5. text that is not UTF-8 ----------------------------------------------------------------


def test_check_reads_every_text_value_and_reports_bad_utf8(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(data_dir / "study.sqlite3") as connection:
        # A damaged byte, as a disk or another program leaves it (the search index's trigger,
        # which folds the text in Python, would refuse it).
        connection.execute("DROP TRIGGER cards_search_update")
        connection.execute("UPDATE cards SET front = CAST(X'4E6FFF' AS TEXT) WHERE id = 'parties'")
        connection.execute(search_index.UPDATE_TRIGGER)
    assert main(["--check", "--data-dir", str(data_dir)]) == 1
    out = capsys.readouterr().out
    assert "not valid UTF-8" in out and "cards.front" in out


# -- 6. nothing half-written is left for ever ------------------------------------------------


def test_leftovers_of_interrupted_copies_are_cleaned_and_nothing_else(data_dir: Path) -> None:
    backups = data_dir / "backups"
    backups.mkdir()
    leftovers = [
        backups / "backup-20261201-101010.sqlite3.partial",
        backups / "backup-20261201-101010-2.sqlite3.partial-journal",
        backups / "study-before-upgrade-from-0001-20261201-101010.sqlite3.partial",
        backups / "backup-20261201-101011.zip.partial",
        backups / "backup-20261201-101011-3.zip.checking",
        data_dir / "study.sqlite3.restoring",
        data_dir / "study.sqlite3.restoring.partial",
        data_dir / "study.sqlite3.restoring.partial-journal",
    ]
    kept = [
        backups / "backup-20261201-101010.sqlite3",
        backups / "backup-20261201-101011.zip",
        backups / "notes.partial",
        backups / "notes.zip.partial",
        data_dir / "study.sqlite3",
        data_dir / "my.sqlite3.partial",
    ]
    for path in [*leftovers, *kept[:4], kept[5]]:
        path.write_bytes(b"x")
    assert clean_leftovers(data_dir) == sorted(leftovers)
    assert all(path.exists() for path in kept)


# -- 9. a runaway dataset ---------------------------------------------------------------------


def test_a_deeply_nested_or_huge_dataset_gets_the_dataset_message(tmp_path: Path) -> None:
    nested = tmp_path / "nested.toml"
    nested.write_text("x = " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(DatasetError, match="nested too deeply"):
        load_dataset(nested)
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    with pytest.raises(DatasetError, match="more than a dataset can be"):
        load_dataset(huge)
    assert load_dataset(dataset_path()).version >= 2


# -- 11. no home folder; a clock gone back ----------------------------------------------------


def test_an_empty_home_asks_for_a_data_dir(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("STUDYAPP_DATA_DIR", raising=False)
    monkeypatch.setenv("HOME", "")
    with pytest.raises(NoHomeError, match="--data-dir"):
        default_data_dir()
    assert main(["--check"]) == 2
    assert "--data-dir" in capsys.readouterr().err


def test_after_the_clock_goes_back_today_counts_no_answer_from_the_future(
    data_dir: Path,
) -> None:
    clock = FakeClock(NOW)
    collection = Collection.open(data_dir, clock.now, tz=dt.UTC)
    collection.update_settings(collection.settings.__class__(new_per_day=2))
    for card_id in ("parties", "confirmed-peace-treaty"):
        collection.answer(card_id, 4, 1000)
    assert collection.counts().new == 0
    clock.set(NOW - dt.timedelta(days=1))  # the computer's clock set back a day
    assert collection.today().reviewed == 0
    assert collection.counts().new == 2, "yesterday's limit is not used up by today's answers"
    collection.close()


# -- 12. two --check at once ------------------------------------------------------------------


def test_two_checks_at_once_on_a_fresh_data_dir_both_succeed(tmp_path: Path) -> None:
    for attempt in range(3):
        data_dir = tmp_path / f"fresh-{attempt}"
        command = [sys.executable, "-m", "studyapp", "--check", "--data-dir", str(data_dir)]
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        runs = [
            subprocess.Popen(
                command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=60) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], [err for _out, err in outputs]
        assert outputs[0][0] == outputs[1][0], "the same figures"


def test_a_first_run_waits_again_for_another_studyapp_creating_the_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second of two StudyApps started on a fresh data dir waits out the first's
    creation even when one step of it outlasts the busy timeout; an existing collection
    locked by another program is reported at once, as before."""
    from studyapp.collection import opening

    real = opening.open_database
    calls: list[Path] = []

    def busy_once(
        data_dir: Path, now: Any, being_created: bool = False, check_pages: bool = True
    ) -> Any:
        calls.append(data_dir)
        if len(calls) == 1:
            raise DatabaseLockedError("The database is in use by another program …")
        # Its -wal is then the other StudyApp's live journal, not a crash's to copy aside.
        assert being_created, "a retry knows another StudyApp is creating the collection"
        return real(data_dir, now, being_created=being_created, check_pages=check_pages)

    monkeypatch.setattr(opening, "open_database", busy_once)
    fresh = Collection.open(tmp_path / "fresh", lambda: NOW)
    try:
        assert len(calls) == 2 and fresh.review_count() == 0 and fresh.warnings == ()
    finally:
        fresh.close()

    calls.clear()

    def always_busy(
        data_dir: Path, now: Any, being_created: bool = False, check_pages: bool = True
    ) -> Any:
        calls.append(data_dir)
        raise DatabaseLockedError("The database is in use by another program …")

    monkeypatch.setattr(opening, "open_database", always_busy)
    with pytest.raises(StartupError, match="in use by another program"):
        Collection.open(tmp_path / "fresh", lambda: NOW)  # exists now: no waiting again
    assert len(calls) == 1
