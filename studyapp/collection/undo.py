"""Undo: every undoable operation records the rows it touches as they were before it ran.

Undoing puts exactly those rows back (and removes rows the operation added) in one
transaction, so the database after an undo equals the database before the operation, row for
row. The stack is in memory, holds the last UNDO_LIMIT operations, and goes with the
collection when it closes, as Anki's does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from studyapp.collection.changes import Changes
from studyapp.storage import models

UNDO_LIMIT = 30

# Parents before children: rows are put back in this order and removed in the reverse one.
TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        models.Setting.__table__,
        models.Pack.__table__,
        models.Card.__table__,
        models.CardEvent.__table__,
        models.CardTag.__table__,
        models.ReviewLog.__table__,
    )
    if isinstance(table, Table)
}
# How the journal names a row: its primary key, but a card by its text id (the one key its
# callers know; its integer key, the cards' primary key, comes back with a restored row).
KEYS: dict[str, tuple[Column[Any], ...]] = {
    name: (table.c.id,) if name == "cards" else tuple(table.primary_key.columns)
    for name, table in TABLES.items()
}
CARDS_BY_ID = select(TABLES["cards"]).where(
    TABLES["cards"].c.id.in_(bindparam("ids", expanding=True))
)
# One card (every answer): a plain parameter, no expanding IN to render per call.
CARD_BY_ID = select(TABLES["cards"]).where(TABLES["cards"].c.id == bindparam("card_id"))


@dataclass(frozen=True)
class RowBefore:
    """One row as it was before the operation; values None: the row did not exist. A row
    not `whole` holds its key and only the columns the operation changes (it is never
    removed by the operation, so undo only sets those back)."""

    table: str
    key: tuple[Any, ...]
    values: dict[str, Any] | None
    whole: bool = True


class Journal:
    """Collects the rows an operation is about to change, inside its transaction: an ORM
    session's, or (the answer's hot path) a Core connection's."""

    def __init__(self, session: Session | None = None, *, connection: Connection | None = None):
        if (session is None) == (connection is None):
            raise TypeError("a Journal needs a session or a connection")
        self._session = session
        self._connection = connection
        self._rows: dict[tuple[str, tuple[Any, ...]], RowBefore] = {}

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("this operation's transaction is a Core connection's")
        return self._session

    @property
    def connection(self) -> Connection:
        """The transaction's connection (a session's begins its transaction if need be)."""
        if self._connection is not None:
            return self._connection
        return self.session.connection()

    def capture(self, table: str, where: ColumnElement[bool]) -> list[dict[str, Any]]:
        """Record the rows of `table` matching `where` as they are now (first capture wins);
        the rows as read now, for a caller that needs them too."""
        result = self.connection.execute(select(TABLES[table]).where(where))
        return self.remember(table, result.mappings())

    def remember(
        self, table: str, rows: Iterable[Mapping[Any, Any]], *, whole: bool = True
    ) -> list[dict[str, Any]]:
        """Record these rows of `table`, just read in this transaction, as they are now:
        whole rows, or (whole=False) their key and the columns the operation will change."""
        kept = [dict(row) for row in rows]
        for values in kept:
            key = tuple(values[column.name] for column in KEYS[table])
            self._rows.setdefault((table, key), RowBefore(table, key, values, whole))
        return kept

    def capture_cards(self, card_ids: Iterable[str]) -> list[dict[str, Any]]:
        """capture() for cards by id, with a statement built once."""
        ids = list(card_ids)
        connection = self.connection
        if len(ids) == 1:
            return self.remember(
                "cards", connection.execute(CARD_BY_ID, {"card_id": ids[0]}).mappings()
            )
        rows = []
        for start in range(0, len(ids), 500):  # below SQLite's limit of bound variables
            result = connection.execute(CARDS_BY_ID, {"ids": ids[start : start + 500]})
            rows += self.remember("cards", result.mappings())
        return rows

    def created(self, table: str, *key: Any) -> None:
        """Record that the operation adds this row (undo removes it). Capture a row that may
        exist already before calling this: the first record of a row is the one kept."""
        self._rows.setdefault((table, key), RowBefore(table, key, None))

    def rows(self) -> tuple[RowBefore, ...]:
        return tuple(self._rows.values())


@dataclass(frozen=True)
class UndoEntry:
    changes: Changes  # what the operation moved; its label names it
    rows: tuple[RowBefore, ...]
    focus_card: str | None = None  # the card to study next after the undo


def put_back(session: Session, rows: Iterable[RowBefore]) -> None:
    """Restore rows as they were: remove added rows (children first), then restore the rest."""
    rows = list(rows)
    order = list(TABLES)
    for name in reversed(order):
        table = TABLES[name]
        for row in rows:
            if row.table == name and row.values is None:
                session.execute(delete(table).where(_key_is(table, row.key)))
    for name in order:
        table = TABLES[name]
        for row in rows:
            if row.table == name and row.values is not None:
                result = session.execute(
                    update(table).where(_key_is(table, row.key)).values(row.values)
                )
                if result.rowcount == 0:  # type: ignore[attr-defined]
                    if not row.whole:
                        raise RuntimeError(f"{row.table} {row.key} is gone: cannot put it back")
                    session.execute(insert(table).values(row.values))


def _key_is(table: Table, key: tuple[Any, ...]) -> ColumnElement[bool]:
    return and_(*(column == value for column, value in zip(KEYS[table.name], key, strict=True)))


class UndoStack:
    """The last UNDO_LIMIT undoable operations, newest last."""

    def __init__(self) -> None:
        self._entries: list[UndoEntry] = []

    def push(self, entry: UndoEntry) -> None:
        self._entries.append(entry)
        del self._entries[:-UNDO_LIMIT]

    def peek(self) -> UndoEntry | None:
        return self._entries[-1] if self._entries else None

    def pop(self) -> None:
        self._entries.pop()

    def clear(self) -> None:
        self._entries.clear()
