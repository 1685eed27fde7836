"""The card search index: every card's question, answer and source sentence, folded, seen
through a `card_search` view of the cards, with an FTS5 index over it where SQLite has FTS5.

Folding happens once, in Python (`fold`), on both sides: the view and the triggers call it
through an SQL function every StudyApp connection registers, and the search parser folds the
words searched for. FTS5's `unicode61 remove_diacritics 2` folds case and accents; `fold` also
turns the letters it leaves alone (Ł, Ø, Đ, ß, Æ ...) into plain ones, so `lodz` finds Łódź.
Without FTS5 the view's folded columns are searched with LIKE.

The folded text is not stored (it took two thirds of the cards' own size): the view folds a
card's text when it is read, and the FTS5 index holds no content, fed by triggers on the
cards. Its 'delete' needs the text it indexed, folded again: so a change to `fold` must come
with a migration that rebuilds the index.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from typing import Any

from sqlalchemy import (
    DDL,
    ColumnElement,
    Connection,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    case,
    cast,
    column,
    event,
    func,
    table,
)
from sqlalchemy.orm import QueryableAttribute
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
_HAS_PLAIN_LETTER = re.compile("[" + "".join(map(chr, _PLAIN_LETTERS)) + "]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str | None) -> str:
    """Text as the search index holds it: lower case, accents off, Ł -> l, ß -> ss."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    if _HAS_PLAIN_LETTER.search(text) is not None:  # translate() is slow: only when needed
        text = text.translate(_PLAIN_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
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


def fold_sql(column: str) -> str:
    """fold(column) in SQL: SQLite's own lower() for ASCII text (its UTF-8 bytes as many as
    its characters), where fold is just that, with no call into Python; the fold function
    for the rest."""
    return (
        f"CASE WHEN length(CAST({column} AS BLOB)) = length({column}) THEN lower({column}) "
        f"ELSE {FOLD_FUNCTION}({column}) END"
    )


def _folded(prefix: str) -> str:
    return ", ".join(fold_sql(f"{prefix}.{column}") for column in ("front", "back", "quote"))


SEARCH_VIEW = "card_search"
# One row per card: its integer key (the FTS5 rowid), its id and its text as the index holds it.
VIEW_STATEMENT = (
    f"CREATE VIEW {SEARCH_VIEW} (id, card_id, question, answer, sentence) AS "
    f"SELECT number, id, {_folded('cards')} FROM cards"
)

_COLUMNS = "question, answer, sentence"
# FTS5 without content (the text is the cards', folded as the view folds it), kept by triggers
# on cards. Contentless, not external content over the view: SQLite 3.44+ checks an external
# content index against its content in every integrity_check and quick_check, which would then
# need the fold function on any connection that checks the file (a backup's, sqlite3's).
FTS_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({_COLUMNS}, content='', "
    f"tokenize='{FTS_TOKENIZER}')"
)
_ADD_NEW = f"INSERT INTO {FTS_TABLE} (rowid, {_COLUMNS}) VALUES (new.number, {_folded('new')});"
_REMOVE_OLD = (
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {_COLUMNS}) "
    f"VALUES ('delete', old.number, {_folded('old')});"
)
INSERT_TRIGGER = f"CREATE TRIGGER cards_search_insert AFTER INSERT ON cards BEGIN {_ADD_NEW} END"
UPDATE_TRIGGER = (
    "CREATE TRIGGER cards_search_update AFTER UPDATE OF front, back, quote ON cards "
    "WHEN old.front IS NOT new.front OR old.back IS NOT new.back OR old.quote IS NOT new.quote "
    f"BEGIN {_REMOVE_OLD} {_ADD_NEW} END"
)
DELETE_TRIGGER = f"CREATE TRIGGER cards_search_delete AFTER DELETE ON cards BEGIN {_REMOVE_OLD} END"
FTS_STATEMENTS: tuple[str, ...] = (FTS_CREATE, INSERT_TRIGGER, UPDATE_TRIGGER, DELETE_TRIGGER)


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
    """Create the view, and the FTS5 index with its triggers, with the tables (a first run's
    create_all)."""
    event.listen(metadata, "after_create", DDL(VIEW_STATEMENT))  # type: ignore[no-untyped-call]
    for statement in FTS_STATEMENTS:
        fts = DDL(statement).execute_if(callable_=_has_fts5)  # type: ignore[no-untyped-call]
        event.listen(metadata, "after_create", fts)


# The view for queries (Core): it is no table of the models, which create_all would make.
card_search = table(
    SEARCH_VIEW,
    column("id", Integer),
    column("card_id", String),
    column("question", Text),
    column("answer", Text),
    column("sentence", Text),
)


def folded(text_column: ColumnElement[str] | QueryableAttribute[str]) -> ColumnElement[str]:
    """fold_sql of a text column as an expression (for sorting): as the view holds the text."""
    ascii_only = func.length(cast(text_column, LargeBinary)) == func.length(text_column)
    return case(
        (ascii_only, func.lower(text_column)), else_=func.studyapp_fold(text_column, type_=Text)
    )
