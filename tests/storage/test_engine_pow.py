"""pow() for the forgetting curve in SQL: SQLite's own where it has math functions, else ours."""

from __future__ import annotations

import math
import sqlite3
from typing import Any

from studyapp.storage.engine import ensure_pow


class NoMathConnection:
    """An SQLite build without math functions: pow() is unknown until registered."""

    def __init__(self) -> None:
        self.real = sqlite3.connect(":memory:")
        self.registered: list[tuple[str, int]] = []

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if "pow(" in sql and not self.registered:
            raise sqlite3.OperationalError("no such function: pow")
        return self.real.execute(sql, *args)

    def create_function(self, name: str, arity: int, function: Any, **options: Any) -> None:
        self.registered.append((name, arity))
        self.real.create_function(f"py_{name}", arity, function, **options)


def test_pow_is_registered_where_sqlite_lacks_it() -> None:
    connection = NoMathConnection()
    ensure_pow(connection)  # type: ignore[arg-type]
    assert connection.registered == [("pow", 2)]
    value = connection.real.execute("SELECT py_pow(1.25, -0.1542)").fetchone()[0]
    assert value == math.pow(1.25, -0.1542) == 1.25**-0.1542


def test_sqlite_with_math_functions_keeps_its_own() -> None:
    connection = sqlite3.connect(":memory:")
    ensure_pow(connection)
    assert connection.execute("SELECT pow(1.25, -0.1542)").fetchone()[0] == 1.25**-0.1542
