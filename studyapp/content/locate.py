"""Where a table or a field of a pack file is: its line and column, for messages an author can
act on ("pack.toml:120:9: card 'coup-when': ...").

tomllib gives a position only for syntax errors. For the loader's own checks the file's lines
are read once more: every `[[cards]]`, `[[events]]`, ... header starts a table, the tables of
one array are numbered in file order, and a field's `key = ` line inside a table is the exact
place (its column is where the value starts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=\s*")
_SYNTAX_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")
TOP_LEVEL = ""  # the table name of the keys before the first header


@dataclass(frozen=True)
class Place:
    """A 1-based line and column."""

    line: int
    column: int


@dataclass(frozen=True)
class TableRef:
    """One table of the file: `index` counts the tables of that name, in file order ("cards",
    3 is the fourth [[cards]]); a plain table such as [article] is index 0."""

    name: str
    index: int = 0


@dataclass
class _Table:
    name: str
    start: Place
    keys: dict[str, Place] = field(default_factory=dict)


class PackLayout:
    """The tables of a pack file and where each of their keys is, read from its lines."""

    def __init__(self, text: str) -> None:
        self._tables: dict[str, list[_Table]] = {TOP_LEVEL: [_Table(TOP_LEVEL, Place(1, 1))]}
        current = self._tables[TOP_LEVEL][0]
        in_string: str | None = None  # the delimiter of the multi-line string we are inside
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string is not None:
                if line.count(in_string) % 2 == 1:
                    in_string = None
                continue
            header = _HEADER.match(line)
            if header is not None:
                column = line.index(header.group(1)) + 1
                current = _Table(header.group(2), Place(number, column))
                self._tables.setdefault(current.name, []).append(current)
                continue
            key = _KEY.match(line)
            if key is not None:
                current.keys.setdefault(key.group(1), Place(number, key.end() + 1))
            for delimiter in ('"""', "'''"):
                if line.count(delimiter) % 2 == 1:
                    in_string = delimiter
                    break

    def place(self, table: TableRef, key: str | None = None) -> Place | None:
        """Where a key of a table is; without the key (or where it is missing), where the
        table's id is, else its header. None if the file has no such table."""
        tables = self._tables.get(table.name, [])
        if not 0 <= table.index < len(tables):
            return None
        found = tables[table.index]
        for name in (key, "id"):
            if name is not None and name in found.keys:
                return found.keys[name]
        if table.name == TOP_LEVEL:
            return None  # a file-wide problem with no line of its own
        return found.start


def syntax_place(message: str) -> Place | None:
    """The position in one of tomllib's messages: "... (at line 3, column 5)"."""
    match = _SYNTAX_PLACE.search(message)
    return Place(int(match.group(1)), int(match.group(2))) if match else None


def without_place(message: str) -> str:
    """tomllib's message without its position (the location says it once)."""
    return _SYNTAX_PLACE.sub("", message).rstrip()
