"""Schema migrations: from empty, from each released revision; newer and foreign files refused."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from studyapp.storage import migrate
from studyapp.storage.database import create_sqlite_engine, open_database
from studyapp.storage.errors import (
    DatabaseLockedError,
    DatabaseTooNewError,
    NotADatabaseError,
    StorageError,
)
from studyapp.storage.models import Base
from studyapp.storage.search_index import is_index_table
from tests.helpers import HEAD_HISTORY, database_from_dump, fingerprint, released_history

FIXTURES = Path(__file__).parent / "fixtures"
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def test_known_revisions_match_alembic_scripts() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    oldest_first = [revision.revision for revision in reversed(list(script.walk_revisions()))]
    assert tuple(oldest_first) == migrate.KNOWN_REVISIONS
    assert script.get_current_head() == migrate.HEAD_REVISION


def test_fresh_database_is_migrated_to_head(tmp_path: Path) -> None:
    database = open_database(tmp_path / "data", lambda: NOW)
    try:
        assert database.migration.from_revision is None
        assert database.migration.to_revision == migrate.HEAD_REVISION
        assert database.migration.backup is None
        with database.engine.connect() as connection:
            tables = {
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            }
            assert {"cards", "review_log", "events", "settings"} <= tables
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        assert journal == "wal"
        assert foreign_keys == 1
    finally:
        database.close()


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """As migrations/env.py: the FTS5 index's tables are SQLite's, not the models'."""
    return not (type_ == "table" and is_index_table(name))


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    """Autogenerate finds no difference between the models and the migrations run from empty."""
    engine = create_sqlite_engine(tmp_path / "migrated.sqlite3")
    try:
        migrate.upgrade_to_head(engine)
        with engine.connect() as connection:
            assert migrate.current_revision(connection) == migrate.HEAD_REVISION
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": include_name}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def _schema(path: Path) -> list[tuple[str, str, str]]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    finally:
        connection.close()
    return sorted((kind, name, " ".join((sql or "").split())) for kind, name, sql in rows)


def test_a_first_run_creates_exactly_the_migrated_schema(tmp_path: Path) -> None:
    """First runs skip Alembic (create from the models, stamp head): same schema, same stamp."""
    migrated = create_sqlite_engine(tmp_path / "migrated.sqlite3")
    created = create_sqlite_engine(tmp_path / "created.sqlite3")
    try:
        migrate.upgrade_to_head(migrated)
        migrate.create_at_head(created)
    finally:
        migrated.dispose()
        created.dispose()
    # Whitespace, and the quotes SQLite puts round a table's name when a migration renames
    # the rebuilt table into place, are not part of the schema.
    normalise = str.maketrans("", "", ' \n\t"')
    migrated_schema = [
        (k, n, s.translate(normalise)) for k, n, s in _schema(tmp_path / "migrated.sqlite3")
    ]
    created_schema = [
        (k, n, s.translate(normalise)) for k, n, s in _schema(tmp_path / "created.sqlite3")
    ]
    assert created_schema == migrated_schema
    assert len(created_schema) > 20


@pytest.mark.parametrize("dump", sorted(FIXTURES.glob("revision_*.sql")), ids=lambda p: p.stem)
def test_each_released_revision_opens_with_its_history(dump: Path, tmp_path: Path) -> None:
    path = database_from_dump(dump, tmp_path / "data" / "study.sqlite3")
    before = sqlite3.connect(path)
    columns = {row[1] for row in before.execute("PRAGMA table_info(review_log)")}
    reviews_before = before.execute(
        "SELECT card_id, rating FROM review_log ORDER BY reviewed_at, id"
        if "card_id" in columns  # up to 0003; then the card's integer key
        else "SELECT c.id, r.rating FROM review_log r JOIN cards c ON c.number = r.card_number "
        "ORDER BY r.reviewed_at"
    ).fetchall()
    before.close()
    assert reviews_before, "the fixture should carry review history"

    database = open_database(tmp_path / "data", lambda: NOW)
    try:
        assert database.migration.to_revision == migrate.HEAD_REVISION
        with database.engine.connect() as connection:
            reviews_after = connection.exec_driver_sql(
                "SELECT c.id, r.rating FROM review_log r JOIN cards c ON c.number = r.card_number "
                "ORDER BY r.reviewed_at"
            ).fetchall()
    finally:
        database.close()
    assert [tuple(row) for row in reviews_after] == reviews_before


def test_older_revision_is_backed_up_before_upgrading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    database = open_database(data_dir, lambda: NOW)
    database.close()
    # Pretend the head moved on: the database now sits at an older, known revision.
    released = migrate.HEAD_REVISION
    monkeypatch.setattr(migrate, "KNOWN_REVISIONS", (*migrate.KNOWN_REVISIONS, "9001"))
    monkeypatch.setattr(migrate, "HEAD_REVISION", "9001")
    upgraded: list[str] = []

    def fake_upgrade(engine: object, revision: str = "head") -> None:
        backups = list((data_dir / "backups").glob("*.sqlite3"))
        assert backups, "the backup must exist before the upgrade runs"
        upgraded.append(revision)

    monkeypatch.setattr(migrate, "upgrade_to_head", fake_upgrade)
    engine = create_sqlite_engine(data_dir / "study.sqlite3")
    try:
        result = migrate.ensure_schema(
            engine, data_dir / "study.sqlite3", data_dir / "backups", NOW
        )
    finally:
        engine.dispose()
    assert upgraded == ["head"]
    assert result.backup is not None and result.backup.name.startswith(
        f"study-before-upgrade-from-{released}"
    )
    copy = sqlite3.connect(result.backup)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (released,)
    copy.close()


def test_newer_revision_is_refused_and_left_untouched(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    open_database(data_dir, lambda: NOW).close()
    path = data_dir / "study.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    before = fingerprint(path)

    with pytest.raises(DatabaseTooNewError, match="newer StudyApp") as raised:
        open_database(data_dir, lambda: NOW)

    assert "9999" in str(raised.value) and str(path) in str(raised.value)
    assert fingerprint(path) == before
    assert not (data_dir / "backups").exists()


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = data_dir / "study.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.execute("INSERT INTO recipes VALUES ('soup')")
    connection.commit()
    connection.close()
    before = fingerprint(path)

    with pytest.raises(NotADatabaseError, match="not a StudyApp one"):
        open_database(data_dir, lambda: NOW)
    assert fingerprint(path) == before


def test_a_locked_database_gives_a_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = data_dir / "study.sqlite3"
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    monkeypatch.setattr(
        "studyapp.storage.database.create_sqlite_engine",
        _engine_without_busy_wait(),
    )
    try:
        with pytest.raises(StorageError, match="database is locked") as raised:
            open_database(data_dir, lambda: NOW)
    finally:
        holder.rollback()
        holder.close()
    assert "in use by another program" in str(raised.value)
    assert isinstance(raised.value, DatabaseLockedError), "a lock is not damage"
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


def _engine_without_busy_wait():  # type: ignore[no-untyped-def]
    """The real engine, but failing at once on a lock instead of waiting five seconds."""
    from sqlalchemy import event

    def make(path: Path):  # type: ignore[no-untyped-def]
        engine = create_sqlite_engine(path)

        @event.listens_for(engine, "connect")
        def _no_wait(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.execute("PRAGMA busy_timeout = 0")

        return engine

    return make


def test_large_files_skip_the_page_check_at_start_but_not_a_damaged_schema(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyapp.storage import database as database_module
    from studyapp.storage.errors import CorruptDatabaseError

    path = data_dir / "study.sqlite3"
    monkeypatch.setattr(database_module, "FULL_PROBE_MAX_BYTES", 0)  # every file is "large"
    open_database(data_dir, lambda: NOW).close()  # sound: opens
    data = bytearray(path.read_bytes())
    data[100:4000] = b"\x5a" * 3900  # the schema catalogue (page 1, after the file header)
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabaseError):
        open_database(data_dir, lambda: NOW)


def _rows(path: Path, query: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def _as_0002(row: tuple[object, ...], times: tuple[int, ...]) -> tuple[object, ...]:
    """A 0001 row with its times (ISO text) as 0002 stores them (microseconds since 1970)."""
    from studyapp.storage.times import to_microseconds

    def convert(index: int, value: object) -> object:
        if index not in times or value is None:
            return value
        return to_microseconds(dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC))

    return tuple(convert(index, value) for index, value in enumerate(row))


CARD_STATE = (
    "SELECT id, state, step, stability, difficulty, due, last_review, suspended, buried_until, "
    "retired FROM cards ORDER BY id"
)


def test_upgrading_0001_keeps_every_card_and_makes_the_builtin_pack(tmp_path: Path) -> None:
    from studyapp.collection import Collection

    path = database_from_dump(FIXTURES / "revision_0001.sql", tmp_path / "data" / "study.sqlite3")
    states = _rows(path, CARD_STATE)
    order = [row[0] for row in _rows(path, "SELECT id FROM cards ORDER BY position")]
    reviews = _rows(path, "SELECT * FROM review_log ORDER BY reviewed_at, id")
    links = _rows(path, "SELECT * FROM card_events ORDER BY card_id, event_id")
    (article,) = _rows(path, "SELECT id, title FROM articles")
    (version,) = _rows(path, "SELECT value FROM settings WHERE key = 'dataset_version'")

    database = open_database(tmp_path / "data", lambda: NOW)
    database.close()
    assert _rows(path, "SELECT version_num FROM alembic_version") == [(migrate.HEAD_REVISION,)]
    assert _rows(path, CARD_STATE) == [_as_0002(row, (5, 6, 8)) for row in states]
    assert [row[0] for row in _rows(path, "SELECT id FROM cards ORDER BY position")] == order
    assert _rows(path, HEAD_HISTORY) == released_history(
        [_as_0002(row, (3, 9, 10, 15)) for row in reviews]
    )
    assert _rows(path, "SELECT * FROM card_events ORDER BY card_id, event_id") == links
    assert _rows(path, "SELECT id, title, version, builtin FROM packs") == [
        (article[0], article[1], int(str(version[0])), 1)
    ]
    assert _rows(path, "SELECT DISTINCT pack_id, article_id FROM cards") == [(article[0],) * 2]
    assert _rows(path, "SELECT DISTINCT pack_id FROM events") == [(article[0],)]
    assert _rows(path, "SELECT count(*) FROM settings WHERE key = 'dataset_version'") == [(0,)]
    assert _rows(path, "PRAGMA foreign_key_check") == []

    # The app then updates the pack in place from dataset 1 to today's, keeping the history.
    collection = Collection.open(tmp_path / "data", lambda: NOW)
    try:
        assert collection.seed.previous_version == int(str(version[0]))
        report = collection.check()
        assert report.ok and report.schema_revision == migrate.HEAD_REVISION
        assert report.counts["reviews"] == len(reviews)
        assert report.counts["packs"] == 1 and report.counts["user_cards"] == 0
    finally:
        collection.close()


def test_opening_0002_keeps_the_learners_cards_marks_and_edits(tmp_path: Path) -> None:
    from studyapp.collection import Collection

    database_from_dump(FIXTURES / "revision_0002.sql", tmp_path / "data" / "study.sqlite3")
    collection = Collection.open(tmp_path / "data", lambda: NOW)
    try:
        report = collection.check()
        assert report.ok
        counts = report.counts
        assert (counts["user_cards"], counts["flagged"], counts["suspended"]) == (1, 1, 1)
        assert counts["reviews"] == 8
        edited = collection.card("signed-when")
        assert edited.edited and edited.marked and edited.front == "When was the pact signed?"
        assert collection.card("parties").flag == 1
    finally:
        collection.close()


def test_an_upgrade_leaves_the_file_compact(tmp_path: Path) -> None:
    """The rebuilt tables' old pages are given back: an upgraded collection is as small as
    one written at this revision (a VACUUM after the upgrade)."""
    path = database_from_dump(
        FIXTURES / "revision_0003_studied.sql", tmp_path / "data" / "study.sqlite3"
    )
    before = path.stat().st_size
    open_database(tmp_path / "data", lambda: NOW).close()
    with sqlite3.connect(path) as connection:
        (free,) = connection.execute("PRAGMA freelist_count").fetchone()
        (pages,) = connection.execute("PRAGMA page_count").fetchone()
    connection.close()
    assert free == 0
    assert path.stat().st_size < before, "0004 stores less than 0003"
    assert pages > 20
