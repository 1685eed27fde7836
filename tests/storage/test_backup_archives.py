"""Compressed backups: zip archives with a manifest, restored and checked like plain copies;
the released version's plain backups alongside; damaged archives and a full disk."""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from studyapp.collection import CardText, Collection
from studyapp.content.model import CardKind
from studyapp.storage.archive import DATABASE_MEMBER, MANIFEST_MEMBER, read_manifest
from studyapp.storage.backup import (
    backups_to_prune,
    last_review_id,
    list_backups,
    make_backup,
    prune_backups,
    review_count,
)
from studyapp.storage.errors import CorruptDatabaseError
from studyapp.storage.leftovers import clean_leftovers
from studyapp.storage.migrate import HEAD_REVISION
from studyapp.storage.recovery import (
    newest_good_backup,
    restore_backup,
    verify_backup,
)
from studyapp.storage.times import to_microseconds
from tests.helpers import (
    corrupt_backup,
    database_from_dump,
    fill_the_disk,
    fingerprint,
    plain_backup,
    unpacked_backup,
)

FIXTURES = Path(__file__).parent / "fixtures"
UTC = dt.UTC
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _answer(collection: Collection, how_many: int) -> None:
    cards = [card.id for card in collection.passage_cards("overview-1")]
    for card_id in cards[:how_many]:
        collection.answer(card_id, 3, 1000)


def test_a_zip_backup_restores_the_answers_it_was_taken_with(data_dir: Path) -> None:
    collection = Collection.open(data_dir, lambda: NOW)
    _answer(collection, 3)
    backup = collection.backup()
    _answer(collection, 5)
    assert collection.review_count() == 8
    collection.close()

    database = data_dir / "study.sqlite3"
    assert backup.name == "backup-20261127-120000.zip"
    with zipfile.ZipFile(backup) as archive:
        assert archive.namelist() == [MANIFEST_MEMBER, DATABASE_MEMBER]
        assert archive.testzip() is None
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
        header = archive.read(DATABASE_MEMBER)[:20]
    assert header[:16] == b"SQLite format 3\x00"
    assert header[18:20] == b"\x01\x01", "the copy is in rollback-journal mode, not WAL"
    assert backup.stat().st_size * 4 < database.stat().st_size, "compressed well below"

    result = restore_backup(backup, database, data_dir / "backups", NOW + dt.timedelta(hours=1))
    reopened = Collection.open(data_dir, lambda: NOW)
    try:
        assert reopened.review_count() == 3, "the answers as they were at backup time"
        assert reopened.check().ok
    finally:
        reopened.close()
    assert result.safety_backup is not None and review_count(result.safety_backup) == 8
    assert not list(data_dir.glob("study.sqlite3.restoring*"))
    assert not [p.name for p in (data_dir / "backups").iterdir() if not p.name.endswith(".zip")]


def test_backup_json_holds_the_databases_own_figures(data_dir: Path, tmp_path: Path) -> None:
    collection = Collection.open(data_dir, lambda: NOW)
    _answer(collection, 4)
    backup = collection.backup()
    collection.close()
    manifest = read_manifest(backup)
    copy = unpacked_backup(backup, tmp_path / "unpacked")
    with sqlite3.connect(copy) as connection:
        answers, newest = connection.execute(
            "SELECT count(*), max(reviewed_at) FROM review_log"
        ).fetchone()
        (cards,) = connection.execute("SELECT count(*) FROM cards").fetchone()
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    # Four answers at one clock reading: each saved a microsecond after the one before.
    assert (manifest.answers, manifest.newest_answer_id) == (answers, newest)
    assert (answers, newest) == (4, to_microseconds(NOW) + 3)
    assert manifest.cards == cards == 41
    assert manifest.schema_revision == revision == HEAD_REVISION
    assert manifest.database_bytes == copy.stat().st_size
    assert manifest.created == NOW and manifest.format == 1
    assert review_count(backup) == 4


def _edit(collection: Collection, front: str) -> None:
    collection.edit_card("parties", CardText(CardKind.BASIC, front, "Two states."))


def test_a_restored_zip_backup_keeps_its_search_index_and_takes_edits(data_dir: Path) -> None:
    """The search index (schema 0003) travels in the copy: after a restore the cards are found
    by their text at backup time, and an edit (whose index triggers call the app's
    studyapp_fold function) goes through and is found, accents folded."""
    collection = Collection.open(data_dir, lambda: NOW)
    assert collection.full_text_search
    _edit(collection, "Who signed the Zanzibar accord?")
    backup = collection.backup()
    _edit(collection, "Who signed the Quixotic treaty?")
    assert collection.search("quixotic") == ["parties"]
    collection.close()
    verify_backup(backup)
    assert read_manifest(backup).schema_revision == HEAD_REVISION

    restore_backup(backup, data_dir / "study.sqlite3", data_dir / "backups", NOW)
    reopened = Collection.open(data_dir, lambda: NOW)
    try:
        assert reopened.search("zanzibar") == ["parties"]
        assert reopened.search("quixotic") == []
        _edit(reopened, "Who signed the Élan pact?")
        assert reopened.search("elan") == ["parties"]
        assert reopened.search("zanzibar") == []
        assert reopened.check().ok
    finally:
        reopened.close()


def test_plain_backups_of_the_released_version_live_alongside_zip_ones(data_dir: Path) -> None:
    database = data_dir / "study.sqlite3"
    backups = data_dir / "backups"
    collection = Collection.open(data_dir, lambda: NOW)
    _answer(collection, 1)
    collection.close()
    old = plain_backup(database, backups, NOW - dt.timedelta(days=3))
    newer = make_backup(database, backups, NOW - dt.timedelta(days=1))
    assert old.suffix == ".sqlite3" and newer.suffix == ".zip"
    assert [info.path for info in list_backups(backups)] == [newer, old]
    assert [info.compressed for info in list_backups(backups)] == [True, False]
    assert review_count(old) == review_count(newer) == 1
    verify_backup(old)
    verify_backup(newer)

    corrupt_backup(newer)
    found = newest_good_backup(backups)
    assert found is not None and found.path == old, "a damaged zip is skipped for a plain one"
    collection = Collection.open(data_dir, lambda: NOW)
    _answer(collection, 3)
    collection.close()
    restore_backup(old, database, backups, NOW)
    assert review_count(database) == 1


def test_a_released_versions_backup_of_schema_0001_restores_and_is_upgraded(
    data_dir: Path,
) -> None:
    """A plain backup as the released app left it (its schema, 0001, and answers): found good
    behind a damaged zip, restored, then upgraded on opening like any old collection."""
    backups = data_dir / "backups"
    old = database_from_dump(
        FIXTURES / "revision_0001.sql", backups / "backup-20261120-080000.sqlite3"
    )
    newer = make_backup(data_dir / "study.sqlite3", backups, NOW)
    assert [info.path for info in list_backups(backups)] == [newer, old]
    assert review_count(old) == 6
    corrupt_backup(newer)
    found = newest_good_backup(backups)
    assert found is not None and found.path == old

    restore_backup(old, data_dir / "study.sqlite3", backups, NOW)
    reopened = Collection.open(data_dir, lambda: NOW)
    try:
        assert reopened.migration.from_revision == "0001"
        assert reopened.migration.to_revision == HEAD_REVISION
        assert reopened.review_count() == 6
        assert reopened.search("lithuania") and "parties" in reopened.search("lithuania")
        assert reopened.check().ok
    finally:
        reopened.close()


def test_the_retention_rule_treats_both_kinds_as_one_series(data_dir: Path) -> None:
    database = data_dir / "study.sqlite3"
    backups = data_dir / "backups"
    for day in range(40):
        moment = NOW - dt.timedelta(days=day, hours=3)
        if day % 2:
            plain_backup(database, backups, moment)
        else:
            make_backup(database, backups, moment)
    # Same day, two kinds: the rule keeps only the newest of a past day, whatever its kind.
    same_day = NOW - dt.timedelta(days=5, hours=1)
    zipped = make_backup(database, backups, same_day)
    expected = set(backups_to_prune(list_backups(backups), NOW, UTC))
    assert any(p.suffix == ".zip" for p in expected) and any(
        p.suffix == ".sqlite3" for p in expected
    )
    assert zipped not in expected
    older_plain = backups / f"backup-{NOW - dt.timedelta(days=5, hours=3):%Y%m%d-%H%M%S}.sqlite3"
    assert older_plain in expected, "the plain one of that day makes way for the newer zip"
    pruned = prune_backups(backups, NOW, UTC)
    assert set(pruned) == expected and not any(path.exists() for path in pruned)
    assert len(list_backups(backups)) == 41 - len(pruned)


def test_a_plain_and_a_zip_backup_never_share_a_name(data_dir: Path) -> None:
    database = data_dir / "study.sqlite3"
    plain = plain_backup(database, data_dir / "backups", NOW)
    zipped = make_backup(database, data_dir / "backups", NOW)
    assert plain.name == "backup-20261127-120000.sqlite3"
    assert zipped.name == "backup-20261127-120000-1.zip"


# -- damaged archives ---------------------------------------------------------------------------


def _rezip(path: Path, keep: Callable[[str], bool]) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist() if keep(name)}
    path.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _bad_checksum(path: Path) -> None:
    """The data decompresses, but its CRC-32 is not the one recorded (in both headers)."""
    with zipfile.ZipFile(path) as archive:
        crc = archive.getinfo(DATABASE_MEMBER).CRC
    data = path.read_bytes()
    recorded = struct.pack("<I", crc)
    assert data.count(recorded) == 2
    path.write_bytes(data.replace(recorded, struct.pack("<I", crc ^ 0xFFFF)))


def _not_a_zip(path: Path) -> None:
    path.write_bytes(b"PK but not really a zip archive\n" * 1000)


def _lying_manifest(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        manifest = archive.read(MANIFEST_MEMBER).replace(b'"answers": 2', b'"answers": 7')
        database = archive.read(DATABASE_MEMBER)
    path.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_MEMBER, manifest)
        archive.writestr(DATABASE_MEMBER, database)


DAMAGE = {
    "truncated": (_truncate, "not a zip archive"),
    "bad checksum": (_bad_checksum, "fails its checksum"),
    "corrupt data": (corrupt_backup, "damaged"),
    "no database": (lambda p: _rezip(p, lambda name: name != DATABASE_MEMBER), DATABASE_MEMBER),
    "no manifest": (lambda p: _rezip(p, lambda name: name != MANIFEST_MEMBER), MANIFEST_MEMBER),
    "not a zip": (_not_a_zip, "not a zip archive"),
    "lying manifest": (_lying_manifest, "says 7 answers"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_archive_is_refused_with_its_reason_and_skipped(
    data_dir: Path, kind: str
) -> None:
    damage, reason = DAMAGE[kind]
    database = data_dir / "study.sqlite3"
    backups = data_dir / "backups"
    collection = Collection.open(data_dir, lambda: NOW)
    _answer(collection, 1)
    good = collection.backup()
    _answer(collection, 1)
    collection.close()
    bad = make_backup(database, backups, NOW + dt.timedelta(hours=1))
    damage(bad)
    before = fingerprint(database)

    with pytest.raises(CorruptDatabaseError) as raised:
        restore_backup(bad, database, backups, NOW + dt.timedelta(hours=2))
    message = str(raised.value)
    assert str(bad) in message and "damaged" in message and reason in message, message
    assert "Traceback" not in message
    with pytest.raises(CorruptDatabaseError):
        verify_backup(bad)
    found = newest_good_backup(backups)
    assert found is not None and found.path == good
    assert fingerprint(database) == before, "the collection is untouched"
    assert sorted(p.name for p in backups.iterdir()) == sorted([good.name, bad.name])
    assert not list(data_dir.glob("study.sqlite3.restoring*"))


# -- a full disk ------------------------------------------------------------------------------


def test_a_full_disk_leaves_no_file_under_a_final_name(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups = data_dir / "backups"
    collection = Collection.open(data_dir, lambda: NOW)
    earlier = collection.backup()
    fill_the_disk(monkeypatch)
    with pytest.raises(OSError) as raised:
        collection.backup()
    collection.close()
    assert raised.value.errno == errno.ENOSPC and "No space left" in str(raised.value)
    assert [p.name for p in backups.iterdir()] == [earlier.name], "nothing half-written"
    assert [info.path for info in list_backups(backups)] == [earlier]


def test_the_leftovers_of_a_killed_backup_are_cleaned_at_the_next_start(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups = data_dir / "backups"
    earlier = make_backup(data_dir / "study.sqlite3", backups, NOW)
    fill_the_disk(monkeypatch)
    # A kill at that moment: nothing runs after it, so no clean-up either.
    monkeypatch.setattr(Path, "unlink", lambda self, missing_ok=False: None)
    with pytest.raises(OSError):
        make_backup(data_dir / "study.sqlite3", backups, NOW)
    monkeypatch.undo()
    left = sorted(p.name for p in backups.iterdir() if p != earlier)
    assert left == [
        "backup-20261127-120000-1.sqlite3.partial",
        "backup-20261127-120000-1.zip.partial",
    ]
    assert [info.path for info in list_backups(backups)] == [earlier]
    assert [p.name for p in clean_leftovers(data_dir)] == left
    assert [p.name for p in backups.iterdir()] == [earlier.name]


def test_pruning_keeps_an_older_schemas_backup_with_newer_answers(data_dir: Path) -> None:
    """A backup of schema 0003 names its newest answer by the log's id (299 here); the
    collection, at 0004, by its time. Pruning compares times, so the old backup that holds
    answers newer than the collection's (Nov 21) is kept, though the rule would let it go."""
    backups = data_dir / "backups"
    early = dt.datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    collection = Collection.open(data_dir, lambda: early)
    try:
        _answer(collection, 2)  # answered on Nov 1: older than every answer of the fixture
        newest = collection.last_review_id()
    finally:
        collection.close()
    older = database_from_dump(
        FIXTURES / "revision_0003_studied.sql", backups / "backup-20261115-100000.sqlite3"
    )
    plain_backup(data_dir / "study.sqlite3", backups, dt.datetime(2026, 11, 15, 11, 0, tzinfo=UTC))
    assert newest is not None and last_review_id(older) == to_microseconds(
        dt.datetime(2026, 11, 21, 18, 15, tzinfo=UTC)
    )
    assert backups_to_prune(list_backups(backups), NOW, UTC) == [older]  # the rule alone
    assert prune_backups(backups, NOW, UTC, keep_ahead_of=newest) == []
    assert older.exists()
