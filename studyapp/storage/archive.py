"""Backup archives: a standard zip holding a consistent copy of the collection
(`study.sqlite3`) and a small manifest (`backup.json`) with the figures that listing backups
and choosing one to restore need, read without decompressing the copy. Anki compresses its
backups too. No Qt: any thread may call these."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studyapp.storage.errors import DamagedBackupError, DatabaseTooNewError
from studyapp.storage.files import connect_readonly, newest_answer_query, publish, snapshot

ARCHIVE_SUFFIX = ".zip"
DATABASE_MEMBER = "study.sqlite3"
MANIFEST_MEMBER = "backup.json"
ARCHIVE_FORMAT = 1
# zlib's fastest level: the 122 MB synthetic collection shrinks to a third of its size, at
# about half the time of the default level 6, which saves only 2 points more.
COMPRESS_LEVEL = 1
CHUNK_BYTES = 1024 * 1024
# What reading a damaged archive raises (a bad checksum is a BadZipFile).
_READ_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, NotImplementedError)


@dataclass(frozen=True)
class BackupManifest:
    """What backup.json says about the copy inside the archive."""

    created: dt.datetime  # UTC: when the backup was taken (the file name says so too)
    schema_revision: str | None
    answers: int
    newest_answer_id: int | None  # the review log's key: an id up to 0003, a time from 0004
    cards: int
    database_bytes: int  # the size of the copy, uncompressed
    format: int = ARCHIVE_FORMAT
    # The newest answer's time in microseconds, comparable across revisions (None: none, or
    # a manifest written before StudyApp recorded it)
    newest_answer_at: int | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": self.format,
                "app": "StudyApp",
                "created": self.created.astimezone(dt.UTC).isoformat(),
                "schema_revision": self.schema_revision,
                "answers": self.answers,
                "newest_answer_id": self.newest_answer_id,
                "newest_answer_at": self.newest_answer_at,
                "cards": self.cards,
                "database_bytes": self.database_bytes,
                "database_member": DATABASE_MEMBER,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: bytes) -> BackupManifest:
        """Parse backup.json; ValueError (or TypeError) if it is not one of ours."""
        data: dict[str, Any] = json.loads(text)
        newest = data["newest_answer_id"]
        revision = data["schema_revision"]
        return cls(
            created=dt.datetime.fromisoformat(data["created"]).astimezone(dt.UTC),
            schema_revision=None if revision is None else str(revision),
            answers=_whole(data["answers"]),
            newest_answer_id=None if newest is None else _whole(newest),
            newest_answer_at=None
            if data.get("newest_answer_at") is None
            else _whole(data["newest_answer_at"]),
            cards=_whole(data["cards"]),
            database_bytes=_whole(data["database_bytes"]),
            format=_whole(data["format"]),
        )


def _whole(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{value!r} is not a count")
    return value


def is_archive(path: Path) -> bool:
    return path.name.endswith(ARCHIVE_SUFFIX)


def partial_archive(archive: Path) -> Path:
    """Where the archive is written before it gets its name."""
    return archive.with_name(archive.name + ".partial")


def scratch_copy(archive: Path) -> Path:
    """Where the consistent copy is taken before it is compressed: backup-….sqlite3.partial."""
    return archive.with_name(archive.name[: -len(ARCHIVE_SUFFIX)] + ".sqlite3.partial")


def checking_copy(archive: Path) -> Path:
    """Where an archive's copy is unpacked to be checked: backup-….zip.checking."""
    return archive.with_name(archive.name + ".checking")


def describe(database: Path, created: dt.datetime) -> BackupManifest:
    """The manifest of a database file: its revision, answers and cards, read read-only."""
    connection = connect_readonly(database)
    try:
        tables = {
            str(row[0])
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = None if row is None else str(row[0])
        answers, newest, newest_at = 0, None, None
        if "review_log" in tables:
            answers, newest, newest_at = connection.execute(
                newest_answer_query(connection)
            ).fetchone()
        cards = 0
        if "cards" in tables:
            cards = connection.execute("SELECT count(*) FROM cards").fetchone()[0]
    finally:
        connection.close()
    return BackupManifest(
        created=created.astimezone(dt.UTC),
        schema_revision=revision,
        answers=int(answers),
        newest_answer_id=None if newest is None else int(newest),
        cards=int(cards),
        database_bytes=database.stat().st_size,
        newest_answer_at=None if newest_at is None else int(newest_at),
    )


def write_archive(database: Path, archive: Path, now: dt.datetime) -> BackupManifest:
    """Write `archive`: a consistent copy of the live database, compressed, with its manifest.

    The copy is taken with SQLite's backup API beside the archive, the archive is written
    under a `.partial` name, flushed to disk and only then given its name (never replacing a
    file), so a failure (a full disk, a kill) never leaves a half-written file under it.
    """
    if archive.exists():
        raise FileExistsError(f"{archive} already exists; not overwriting it")
    copy, partial = scratch_copy(archive), partial_archive(archive)
    created_partial = False
    try:
        snapshot(database, copy)
        manifest = describe(copy, now)
        with partial.open("xb") as raw:
            created_partial = True
            with zipfile.ZipFile(
                raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
            ) as zipped:
                zipped.writestr(MANIFEST_MEMBER, manifest.to_json())
                zipped.write(copy, DATABASE_MEMBER)
            raw.flush()
            os.fsync(raw.fileno())
        publish(partial, archive)
    finally:
        if created_partial:
            partial.unlink(missing_ok=True)
        for scratch in (copy, copy.with_name(copy.name + "-journal")):
            scratch.unlink(missing_ok=True)
    return manifest


def read_manifest(archive: Path) -> BackupManifest:
    """The archive's backup.json, without unpacking the copy. DamagedBackupError if it cannot
    be read; OSError if the file cannot be opened at all."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            return _manifest_of(zipped, archive)
    except _READ_DAMAGE as error:
        raise damaged_archive(archive, error) from error


def extract_database(archive: Path, target: Path) -> BackupManifest:
    """Unpack the archive's copy of the database into target (a new file, flushed to disk),
    checking its checksum; returns the manifest. DamagedBackupError if the archive is damaged
    (target is then removed); OSError if target cannot be written."""
    created = False
    try:
        with zipfile.ZipFile(archive) as zipped:
            manifest = _manifest_of(zipped, archive)
            with zipped.open(DATABASE_MEMBER) as member, target.open("xb") as out:
                created = True
                shutil.copyfileobj(member, out, CHUNK_BYTES)  # the CRC is checked at the end
                out.flush()
                os.fsync(out.fileno())
    except _READ_DAMAGE as error:
        if created:
            target.unlink(missing_ok=True)
        raise damaged_archive(archive, error) from error
    except BaseException:
        if created:
            target.unlink(missing_ok=True)
        raise
    return manifest


def _manifest_of(zipped: zipfile.ZipFile, archive: Path) -> BackupManifest:
    try:
        text = zipped.read(MANIFEST_MEMBER)
    except KeyError as error:
        raise DamagedBackupError(
            f"The backup {archive} is damaged: it holds no {MANIFEST_MEMBER}."
        ) from error
    try:
        manifest = BackupManifest.from_json(text)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise DamagedBackupError(
            f"The backup {archive} is damaged: its {MANIFEST_MEMBER} cannot be read ({error})."
        ) from error
    if manifest.format > ARCHIVE_FORMAT:
        raise DatabaseTooNewError(
            f"The backup {archive} was written by a newer StudyApp (backup format "
            f"{manifest.format}; this version reads up to {ARCHIVE_FORMAT}). It has been left "
            "untouched: update StudyApp to restore it."
        )
    if DATABASE_MEMBER not in zipped.namelist():
        raise DamagedBackupError(f"The backup {archive} is damaged: it holds no {DATABASE_MEMBER}.")
    return manifest


def damaged_archive(archive: Path, error: BaseException) -> DamagedBackupError:
    """Why reading an archive failed, in words: the file, and what is wrong with it."""
    reason = str(error.args[0]) if error.args else type(error).__name__
    if isinstance(error, zipfile.BadZipFile) and "CRC" in reason:
        why = f"the copy inside it fails its checksum ({reason})"
    elif isinstance(error, zipfile.BadZipFile):
        why = f"it is cut short, or is not a zip archive ({reason})"
    elif isinstance(error, zlib.error):
        why = f"its compressed data is corrupt ({reason})"
    elif isinstance(error, EOFError):
        why = f"it is cut short ({reason})"
    elif isinstance(error, KeyError):
        why = f"a member is missing ({reason})"
    else:
        why = f"it cannot be unpacked ({reason})"
    return DamagedBackupError(f"The backup {archive} is damaged: {why}.")
