"""The database check behind `studyapp --check` (and, later, Tools > Check database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from studyapp.storage import models
from studyapp.storage.database import Database
from studyapp.storage.migrate import current_revision
from studyapp.storage.settings import DATASET_VERSION, get_setting


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


def due_now_count(session: Session, now: dt.datetime) -> int:
    """Cards already studied whose due time has come (learning and review), not new ones."""
    query = select(func.count()).where(
        models.Card.state != models.STATE_NEW,
        models.Card.due <= now,
        models.Card.retired.is_(False),
        models.Card.suspended.is_(False),
        (models.Card.buried_until.is_(None)) | (models.Card.buried_until <= now),
    )
    return session.scalar(query) or 0


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

        def count(model: type[models.Base], *where: ColumnElement[bool]) -> int:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        counts = {
            "articles": count(models.Article),
            "sections": count(models.Section),
            "passages": count(models.Passage),
            "references": count(models.Reference),
            "events": count(models.Event, models.Event.kind == "point"),
            "periods": count(models.Event, models.Event.kind == "period"),
            "cards": count(models.Card),
            "reviews": count(models.ReviewLog),
            "due_now": due_now_count(session, now),
        }
        return CheckReport(
            data_dir=str(database.data_dir),
            schema_revision=current_revision(connection),
            dataset_version=get_setting(session, DATASET_VERSION),
            counts=counts,
            problems=problems,
        )
