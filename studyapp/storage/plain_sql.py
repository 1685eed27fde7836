"""Reads written as SQL text, each once, for the two paths that run them: the main path, on a
SQLAlchemy connection (`storage.engine.core_rows`), and the first screen's reader, on stdlib
sqlite3 before SQLAlchemy is imported (`collection/first_screen.py`). No SQLAlchemy here.

A read is a function of a `Rows` (SQL text and named parameters in, tuples out), so the same
statement and the same Python build the same value on either path. Times are parameters and
columns in microseconds (storage/times.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Rows = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]

# The rules of storage/cards.py, as SQL text: tests/storage/test_plain_sql.py checks that each
# compiles from its SQLAlchemy expression to this very text.
HIDDEN_ARTICLES = (
    "SELECT articles.id FROM articles JOIN packs ON packs.id = articles.pack_id "
    "WHERE packs.hidden IS 1"
)
IN_SHOWN_ARTICLE = f"(cards.article_id IS NULL OR (cards.article_id NOT IN ({HIDDEN_ARTICLES})))"
IN_COLLECTION = f"cards.retired IS 0 AND cards.deleted_at IS NULL AND {IN_SHOWN_ARTICLE}"
STUDIED = f"{IN_COLLECTION} AND cards.suspended IS 0"


def active(parameter: str) -> str:
    """Cards the queue may show at the time :parameter: studied, and not buried then."""
    return f"{STUDIED} AND (cards.buried_until IS NULL OR cards.buried_until <= :{parameter})"


SETTING = "SELECT value FROM settings WHERE key = :key"


def setting(rows: Rows, key: str, default: Any = None) -> Any:
    """A setting's JSON value (storage/settings.get_setting, as raw SQL)."""
    found = rows(SETTING, {"key": key})
    return default if not found else json.loads(found[0][0])


def sqlite_rows(connection: sqlite3.Connection) -> Rows:
    """Rows read on a stdlib sqlite3 connection."""

    def run(sql: str, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return connection.execute(sql, parameters).fetchall()

    return run
