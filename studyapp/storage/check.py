"""The database check behind `studyapp --check` (and, later, Tools > Check database)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from studyapp.storage import cards, models
from studyapp.storage.database import Database
from studyapp.storage.migrate import current_revision
from studyapp.storage.seed import builtin_version


@dataclass(frozen=True)
class CheckReport:
    data_dir: str
    schema_revision: str | None
    dataset_version: int | None
    counts: dict[str, int]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """One `key: value` line per figure, in a fixed order."""
        lines = [
            f"data_dir: {self.data_dir}",
            f"schema_revision: {self.schema_revision}",
            f"dataset_version: {self.dataset_version}",
        ]
        lines += [f"{key}: {value}" for key, value in self.counts.items()]
        lines.append(f"integrity: {'ok' if self.ok else '; '.join(self.problems)}")
        return lines


# Scheduling states that no sequence of answers can produce, each with its reason.
IMPOSSIBLE_STATES: tuple[tuple[str, str], ...] = (
    (
        "state = 0 AND (stability IS NOT NULL OR difficulty IS NOT NULL OR due IS NOT NULL "
        "OR last_review IS NOT NULL OR step IS NOT NULL)",
        "new but has scheduling data",
    ),
    (
        "state != 0 AND (stability IS NULL OR difficulty IS NULL OR due IS NULL "
        "OR last_review IS NULL)",
        "studied but missing scheduling data",
    ),
    ("stability IS NOT NULL AND stability <= 0", "stability is not positive"),
    ("difficulty IS NOT NULL AND (difficulty < 1 OR difficulty > 10)", "difficulty outside 1-10"),
    ("state IN (1, 3) AND (step IS NULL OR step < 0)", "learning without a learning step"),
    ("state = 2 AND step IS NOT NULL", "in review but has a learning step"),
    ("due IS NOT NULL AND last_review IS NOT NULL AND due < last_review", "due before reviewed"),
    (
        "state != 0 AND NOT EXISTS "
        "(SELECT 1 FROM review_log WHERE review_log.card_number = cards.number)",
        "studied but has no review history",
    ),
)


def impossible_cards(session: Session) -> list[tuple[str, str]]:
    """(card id, reason) for every card whose scheduling state cannot be right."""
    found: dict[str, str] = {}
    for condition, reason in IMPOSSIBLE_STATES:
        for (card_id,) in session.execute(text(f"SELECT id FROM cards WHERE {condition}")):
            found.setdefault(card_id, reason)
    return sorted(found.items())


def unreadable_text(connection: sqlite3.Connection) -> list[str]:
    """Text values that are not valid UTF-8 (reading one would fail mid-way), as
    "table.column row N"; every text column of every row is read, as bytes."""
    found = []
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for table in tables:
        for _cid, column, declared, *_rest in connection.execute(f'PRAGMA table_info("{table}")'):
            if not any(kind in str(declared).upper() for kind in ("CHAR", "TEXT", "CLOB")):
                continue
            rows = connection.execute(
                f'SELECT rowid, CAST("{column}" AS BLOB) FROM "{table}" '
                f"WHERE typeof(\"{column}\") = 'text'"
            )
            for rowid, value in rows:
                try:
                    bytes(value).decode("utf-8")
                except UnicodeDecodeError:
                    found.append(f"{table}.{column} row {rowid}")
    return found


def due_now_count(session: Session, now: dt.datetime) -> int:
    """Cards already studied whose due time has come (learning and review), not new ones."""
    return session.scalar(select(func.count()).where(cards.due_now(now))) or 0


def run_check(database: Database, now: dt.datetime) -> CheckReport:
    """Count what the collection holds and run SQLite's quick and foreign-key checks."""
    problems: list[str] = []
    with database.sessions() as session:
        connection = session.connection()
        quick = [row[0] for row in connection.execute(text("PRAGMA quick_check"))]
        if quick != ["ok"]:
            problems.append("quick_check: " + "; ".join(quick[:5]))
        orphans = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
        if orphans:
            tables = sorted({row[0] for row in orphans})
            problems.append(
                f"foreign_key_check: {len(orphans)} broken links in {', '.join(tables)}"
            )
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        damaged_text = unreadable_text(raw) if quick == ["ok"] else []
        if damaged_text:
            shown = ", ".join(damaged_text[:5])
            more = f" and {len(damaged_text) - 5} more" if len(damaged_text) > 5 else ""
            problems.append(
                f"{len(damaged_text)} text values are not valid UTF-8 (damaged): {shown}{more}"
            )
        impossible = impossible_cards(session) if quick == ["ok"] and not damaged_text else []
        if impossible:
            shown = ", ".join(f"{card_id} ({reason})" for card_id, reason in impossible[:5])
            more = f" and {len(impossible) - 5} more" if len(impossible) > 5 else ""
            problems.append(
                f"{len(impossible)} cards with an impossible scheduling state: {shown}{more}"
            )

        def count(model: type[models.Base], *where: ColumnElement[bool]) -> int:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        counts = {
            "articles": count(models.Article),
            "sections": count(models.Section),
            "passages": count(models.Passage),
            "references": count(models.Reference),
            "events": count(models.Event, models.Event.kind == "point", ~models.Event.retired),
            "periods": count(models.Event, models.Event.kind == "period", ~models.Event.retired),
            "cards": count(models.Card),
            "user_cards": count(
                models.Card, models.Card.pack_id.is_(None), models.Card.deleted_at.is_(None)
            ),
            "suspended": count(models.Card, models.Card.suspended.is_(True), cards.in_collection()),
            "buried": count(models.Card, cards.is_buried(now)),
            "flagged": count(models.Card, models.Card.flag != 0, cards.in_collection()),
            "packs": count(models.Pack),
            "reviews": count(models.ReviewLog),
            "due_now": due_now_count(session, now),
        }
        return CheckReport(
            data_dir=str(database.data_dir),
            schema_revision=current_revision(connection),
            dataset_version=builtin_version(session),
            counts=counts,
            problems=problems,
        )
