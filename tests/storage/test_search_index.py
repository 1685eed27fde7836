"""The card search index: one folding rule, triggers that keep it exact, FTS5 where it exists."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studyapp.collection import CardSource, CardText, Collection, NewCard
from studyapp.content.model import CardKind
from studyapp.storage import migrate, search_index
from studyapp.storage.database import create_sqlite_engine
from studyapp.storage.search_index import FTS_TABLE, fold

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Klaipėda", "klaipeda"),
        ("Żeligowski", "zeligowski"),
        ("Łódź", "lodz"),
        ("ŁUCK", "luck"),
        ("Straße", "strasse"),
        ("Ærø Øresund", "aero oresund"),
        ("Đakovo", "dakovo"),
        ("Vilnius", "vilnius"),
        ("", ""),
    ],
)
def test_fold_takes_case_and_every_accent_off(text: str, folded: str) -> None:
    assert fold(text) == folded


def _connect(path: Path) -> sqlite3.Connection:
    """A plain connection that can read the search view (it folds with the app's function)."""
    connection = sqlite3.connect(path)
    search_index.register_functions(connection)
    return connection


def _index(collection: Collection, card_id: str) -> tuple[str, str, str]:
    connection = _connect(collection.path)
    try:
        row = connection.execute(
            "SELECT question, answer, sentence FROM card_search WHERE card_id = ?", (card_id,)
        ).fetchone()
    finally:
        connection.close()
    return row


def _fts_ids(collection: Collection, match: str) -> set[str]:
    connection = _connect(collection.path)
    try:
        connection.execute(
            f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
        )
        rows = connection.execute(
            f"SELECT c.id FROM {FTS_TABLE} f JOIN cards c ON c.number = f.rowid "
            f"WHERE {FTS_TABLE} MATCH ?",
            (match,),
        ).fetchall()
    finally:
        connection.close()
    return {row[0] for row in rows}


def test_every_card_of_the_pack_is_indexed_folded(collection: Collection) -> None:
    _question, answer, sentence = _index(collection, "klaipeda-interests")
    assert "klaipeda" in answer and "ė" not in answer
    assert sentence == fold(collection.card("klaipeda-interests").quote)
    assert "klaipeda-interests" in _fts_ids(collection, "klaipeda")


def test_edits_restores_additions_and_undo_keep_the_index_exact(collection: Collection) -> None:
    collection.edit_card("parties", CardText(CardKind.BASIC, "Who signed at Łódź?", "Nobody."))
    assert _index(collection, "parties")[:2] == ("who signed at lodz?", "nobody.")
    assert _fts_ids(collection, "lodz") == {"parties"}
    collection.restore_original("parties")
    assert _fts_ids(collection, "lodz") == set()
    assert "parties" in _fts_ids(collection, "soviet")
    added = collection.add_card(
        NewCard(
            CardText(CardKind.BASIC, "Where is Klaipėda?", "By the sea."),
            CardSource("overview-1", 0),
        )
    ).card_id
    assert added in _fts_ids(collection, "klaipeda")
    collection.undo()  # the card goes, and its index row with it
    assert added not in _fts_ids(collection, "klaipeda")
    assert _index(collection, added) is None


def test_a_sqlite_without_fts5_gets_the_folded_view_and_no_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "fts5_available", lambda connection: False)
    engine = create_sqlite_engine(tmp_path / "study.sqlite3")
    try:
        migrate.create_at_head(engine)
    finally:
        engine.dispose()
    connection = sqlite3.connect(tmp_path / "study.sqlite3")
    try:
        names = dict(connection.execute("SELECT name, type FROM sqlite_master").fetchall())
    finally:
        connection.close()
    assert names["card_search"] == "view"
    assert "cards_search_update" not in names, "nothing to keep: the view reads the cards"
    assert not any(name.startswith(FTS_TABLE) for name in names)


def test_upgrading_0002_indexes_every_card_and_the_learners_edit(tmp_path: Path) -> None:
    path = tmp_path / "data" / "study.sqlite3"
    path.parent.mkdir()
    connection = sqlite3.connect(path)
    connection.executescript((FIXTURES / "revision_0002.sql").read_text(encoding="utf-8"))
    connection.close()
    collection = Collection.open(tmp_path / "data")
    try:
        connection = _connect(path)
        cards, indexed = connection.execute(
            "SELECT (SELECT count(*) FROM cards), (SELECT count(*) FROM card_search)"
        ).fetchone()
        connection.close()
        assert cards == indexed > 30
        # The fixture's edit of "signed-when" is what is indexed, not the pack's text.
        assert _index(collection, "signed-when")[0] == "when was the pact signed?"
        assert "signed-when" in _fts_ids(collection, "pact signed")
    finally:
        collection.close()


def test_a_pack_update_reindexes_its_reworded_and_added_cards(
    data_dir: Path, tmp_path: Path
) -> None:
    from studyapp.paths import dataset_path
    from tests.storage.test_seeding import _next_version

    next_pack = tmp_path / "pact-next.toml"
    next_pack.write_text(
        _next_version(dataset_path().read_text(encoding="utf-8")), encoding="utf-8"
    )
    collection = Collection.open(data_dir, dataset_file=next_pack)
    try:
        assert _index(collection, "parties")[0].startswith("which two states signed")
        assert "occupied-by" in _fts_ids(collection, "occupied")
    finally:
        collection.close()


def test_the_views_sql_folds_exactly_as_the_app_does() -> None:
    """fold_sql leaves plain ASCII to SQLite's lower() and the rest to fold: the same text."""
    texts = [
        "Between which two States?",
        "Klaipėda and ŁÓDŹ",
        "Straße, Ærø",
        "tab\there\nnew line",
        "…three dots",
        "",
        "ЛИТВА",
        "MiXeD 1926 ~!@#$%^&*()_+{}|:<>?",
    ]
    connection = sqlite3.connect(":memory:")
    search_index.register_functions(connection)
    connection.execute("CREATE TABLE t (x TEXT)")
    connection.executemany("INSERT INTO t VALUES (?)", [(text,) for text in texts])
    folded = [row[0] for row in connection.execute(f"SELECT {search_index.fold_sql('x')} FROM t")]
    connection.close()
    assert folded == [fold(text) for text in texts]


def test_any_connection_can_check_the_file_without_the_fold_function(
    collection: Collection,
) -> None:
    """SQLite 3.44+ checks FTS5 indexes in integrity_check and quick_check; an index whose
    content were the folding view would then fail on a connection without the app's function
    (a backup's check, the sqlite3 shell): the index holds no content, so there is none."""
    collection.edit_card("parties", CardText(CardKind.BASIC, "Who signed at Łódź?", "Nobody."))
    connection = sqlite3.connect(collection.path)  # no studyapp_fold
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        (options,) = connection.execute(
            "SELECT sql FROM sqlite_master WHERE name = ?", (FTS_TABLE,)
        ).fetchone()
    finally:
        connection.close()
    assert "content=''" in options
