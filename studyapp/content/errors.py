"""The one error a pack file gives: which file (and where in it), which item, and why."""

from __future__ import annotations

from pathlib import Path

from studyapp.content.locate import TableRef


class DatasetError(Exception):
    """The dataset file cannot be used; the message says which file (and where in it, when the
    loader can tell: line and column), which item and why."""

    def __init__(
        self,
        path: Path,
        item: str,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        table: TableRef | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(path, item, reason)
        self.path = path
        self.item = item
        self.reason = reason
        self.line = line
        self.column = column
        self.table = table  # the table the item is, for finding its line
        self.key = key  # the field the reason is about, if one is

    def location(self) -> str:
        """ "pack.toml:12:9", "pack.toml:12" or "pack.toml", as editors and compilers write it."""
        if self.line is None:
            return str(self.path)
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"

    def __str__(self) -> str:
        return f"{self.location()}: {self.item}: {self.reason}"
