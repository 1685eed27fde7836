"""Consistent copies of the database file, made with SQLite's online backup API."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path


def timestamp(now: dt.datetime) -> str:
    """A file-name-safe UTC timestamp, sortable as text: 20261127-083300."""
    return now.astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")


def copy_database(source: Path, target: Path) -> Path:
    """Copy a live SQLite file consistently (never a raw file copy); returns the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise FileExistsError(f"{target} already exists; not overwriting it")
    partial = target.with_name(target.name + ".partial")
    source_connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        target_connection = sqlite3.connect(partial)
        try:
            source_connection.backup(target_connection)
        finally:
            target_connection.close()
    finally:
        source_connection.close()
    partial.replace(target)
    return target
