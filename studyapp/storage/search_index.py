"""The card search index: every card's question, answer and source sentence, folded, in a
`card_search` table that triggers keep exact, with an FTS5 index over it where SQLite has FTS5.

Folding happens once, in Python (`fold`), on both sides: the triggers call it through an SQL
function every StudyApp connection registers, and the search parser folds the words searched
for. FTS5's `unicode61 remove_diacritics 2` folds case and accents; `fold` also turns the
letters it leaves alone (Ł, Ø, Đ, ß, Æ ...) into plain ones, so `lodz` finds Łódź. Without
FTS5 the same folded columns are searched with LIKE.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from typing import Any

from sqlalchemy import DDL, Connection, MetaData, Table, event
from sqlalchemy.sql.ddl import BaseDDLElement
from sqlalchemy.sql.schema import SchemaItem

FOLD_FUNCTION = "studyapp_fold"
FTS_TABLE = "card_search_fts"
FTS_TOKENIZER = "unicode61 remove_diacritics 2"

# Letters without a Unicode decomposition, so neither NFKD nor FTS5 takes their accent off.
_PLAIN_LETTERS = str.maketrans(
    {
        "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d",
        "Ħ": "H", "ħ": "h", "ı": "i", "Ŀ": "L", "ŀ": "l", "Ŧ": "T", "ŧ": "t", "ß": "ss",
        "ẞ": "SS", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "TH", "þ": "th",
        "ĸ": "k", "Ŋ": "N", "ŋ": "n",
    }
)  # fmt: skip
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str | None) -> str:
    """Text as the search index holds it: lower case, accents off, Ł -> l, ß -> ss."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN_LETTERS))
    return _COMBINING.sub("", decomposed).casefold()


def register_functions(connection: sqlite3.Connection) -> None:
    """Give an SQLite connection the fold function the index's triggers call."""
    connection.create_function(FOLD_FUNCTION, 1, fold, deterministic=True)


def fts5_available(connection: sqlite3.Connection) -> bool:
    """Whether this SQLite has the FTS5 module (almost every build does)."""
    try:
        connection.execute("CREATE VIRTUAL TABLE temp.studyapp_fts5_probe USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    connection.execute("DROP TABLE temp.studyapp_fts5_probe")
    return True


def _folded(prefix: str) -> str:
    return (
        f"{FOLD_FUNCTION}({prefix}.front), {FOLD_FUNCTION}({prefix}.back), "
        f"{FOLD_FUNCTION}({prefix}.quote)"
    )


# The cards table keeps card_search exact: a row per card, refolded when its text changes.
CARD_TRIGGERS: tuple[str, ...] = (
    "CREATE TRIGGER cards_search_insert AFTER INSERT ON cards BEGIN "
    "INSERT INTO card_search (card_id, question, answer, sentence) "
    f"VALUES (new.id, {_folded('new')}); END",
    "CREATE TRIGGER cards_search_update AFTER UPDATE OF front, back, quote ON cards "
    "WHEN old.front IS NOT new.front OR old.back IS NOT new.back OR old.quote IS NOT new.quote "
    "BEGIN "
    f"UPDATE card_search SET question = {FOLD_FUNCTION}(new.front), "
    f"answer = {FOLD_FUNCTION}(new.back), sentence = {FOLD_FUNCTION}(new.quote) "
    "WHERE card_id = new.id; END",
    "CREATE TRIGGER cards_search_delete AFTER DELETE ON cards BEGIN "
    "DELETE FROM card_search WHERE card_id = old.id; END",
)

_COLUMNS = "question, answer, sentence"
_OLD = "old.question, old.answer, old.sentence"
_NEW = "new.question, new.answer, new.sentence"
# FTS5 over card_search (external content: the text is stored once), kept by the usual triggers.
FTS_STATEMENTS: tuple[str, ...] = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({_COLUMNS}, content='card_search', "
    f"content_rowid='id', tokenize='{FTS_TOKENIZER}')",
    f"CREATE TRIGGER card_search_fts_insert AFTER INSERT ON card_search BEGIN "
    f"INSERT INTO {FTS_TABLE} (rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END",
    f"CREATE TRIGGER card_search_fts_delete AFTER DELETE ON card_search BEGIN "
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {_COLUMNS}) "
    f"VALUES ('delete', old.id, {_OLD}); END",
    f"CREATE TRIGGER card_search_fts_update AFTER UPDATE ON card_search BEGIN "
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {_COLUMNS}) "
    f"VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO {FTS_TABLE} (rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END",
)


def is_index_table(name: str | None) -> bool:
    """The FTS5 table and its shadow tables: SQLite's, not the models' (Alembic skips them)."""
    return bool(name) and str(name).startswith(FTS_TABLE)


def _has_fts5(
    ddl: BaseDDLElement,
    target: SchemaItem | str,
    bind: Connection | None,
    tables: list[Table] | None = None,
    state: Any | None = None,
    **_: Any,
) -> bool:
    if bind is None:
        return False
    raw = bind.connection.driver_connection
    return isinstance(raw, sqlite3.Connection) and fts5_available(raw)


def attach_to(metadata: MetaData) -> None:
    """Create the triggers and the FTS5 index with the tables (a first run's create_all)."""
    for statement in CARD_TRIGGERS:
        event.listen(metadata, "after_create", DDL(statement))  # type: ignore[no-untyped-call]
    for statement in FTS_STATEMENTS:
        fts = DDL(statement).execute_if(callable_=_has_fts5)  # type: ignore[no-untyped-call]
        event.listen(metadata, "after_create", fts)
