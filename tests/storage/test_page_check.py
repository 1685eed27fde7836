"""SQLite's page check: at start, or left to the window's worker thread (page_damage)."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from studyapp.storage.database import open_database
from studyapp.storage.errors import CorruptDatabaseError
from studyapp.storage.file_checks import page_damage
from tests.helpers import damage_page_of, fingerprint

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
# Read by searches only: opening a collection never reads it, its page check does.
UNREAD_AT_START = "card_search_fts_idx"


def test_a_sound_collection_has_no_page_damage(data_dir: Path) -> None:
    assert page_damage(data_dir / "study.sqlite3") is None


def test_damage_only_the_page_check_sees_is_refused_at_start_unless_left_to_the_window(
    data_dir: Path,
) -> None:
    path = data_dir / "study.sqlite3"
    damage_page_of(path, UNREAD_AT_START)
    damaged = fingerprint(path)
    with pytest.raises(CorruptDatabaseError, match="damaged"):
        open_database(data_dir, lambda: NOW)
    assert fingerprint(path) == damaged  # refused untouched, as before

    database = open_database(data_dir, lambda: NOW, check_pages=False)  # no wait for the check
    database.close()
    message = page_damage(path)
    assert message is not None
    assert str(path) in message and "damaged" in message


def test_the_page_check_runs_in_another_thread(data_dir: Path) -> None:
    path = data_dir / "study.sqlite3"
    damage_page_of(path, UNREAD_AT_START)
    found: list[str | None] = []
    worker = threading.Thread(target=lambda: found.append(page_damage(path)))
    worker.start()
    worker.join(10)
    assert found and found[0] is not None and "integrity check" in found[0]


def test_a_database_behind_the_schema_is_checked_before_its_upgrade_writes(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyapp.storage import migrate

    path = data_dir / "study.sqlite3"
    damage_page_of(path, UNREAD_AT_START)
    # This file's revision is no longer the head: opening would upgrade, so write to it.
    monkeypatch.setattr(migrate, "HEAD_REVISION", "9999_newer")
    monkeypatch.setattr(migrate, "KNOWN_REVISIONS", (*migrate.KNOWN_REVISIONS, "9999_newer"))
    damaged = fingerprint(path)
    with pytest.raises(CorruptDatabaseError):
        open_database(data_dir, lambda: NOW, check_pages=False)
    assert fingerprint(path) == damaged
