"""How SQLite runs the queue's statements (study/queue_reads.py): at 50,000 cards the wrong
index costs 1-22 ms an answer (it walked every overdue card in ix_cards_browse to find learning
or new ones). The collection has no statistics (no ANALYZE), so the plans do not depend on its
size: the seeded deck's plans are the large collection's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event

from studyapp.collection import Collection
from studyapp.storage.times import to_microseconds
from studyapp.study.day import StudyDay
from studyapp.study.queue_reads import EVERY_ARTICLE, ONE_ARTICLE, QueueSql


def _statements(collection: Collection) -> list[tuple[str, Any]]:
    """The statements a study_next() runs, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        seen.append((" ".join(statement.split()), parameters))

    engine = collection.database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        collection.study_next()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def _plan(collection: Collection, statement: str, parameters: Any) -> list[str]:
    with collection.database.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return [row[3] for row in rows]


def _queue_sql() -> list[tuple[QueueSql, dict[str, Any]]]:
    """Both scopes' statements, with parameters a study_next() would give them."""
    day = StudyDay(
        dt.datetime(2026, 3, 10, 4, tzinfo=dt.UTC), dt.datetime(2026, 3, 11, 4, tzinfo=dt.UTC)
    )
    now = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)
    values = {
        "article": "pact", "now": to_microseconds(now), "until": to_microseconds(now),
        "day_start": to_microseconds(day.start), "day_end": to_microseconds(day.end),
        "reviews_left": 200, "new_left": 20,
    }  # fmt: skip
    return [(EVERY_ARTICLE, values), (ONE_ARTICLE, values)]


def test_study_next_runs_the_shared_statements(collection: Collection) -> None:
    """The main path runs queue_reads's text as it is (what the first screen's reader runs)."""
    run = [statement for statement, _ in _statements(collection)]
    assert " ".join(EVERY_ARTICLE.first_learning.split()) in run
    assert " ".join(EVERY_ARTICLE.counts.split()) in run


def test_learning_cards_are_read_off_the_state_and_due_index(collection: Collection) -> None:
    for sql, values in _queue_sql():
        for statement in (sql.counts, sql.first_learning):
            plan = _plan(collection, statement, values)
            learning = [step for step in plan if "state=? AND due<?" in step]
            assert learning and all("ix_cards_state_due" in step for step in learning), plan
            assert not any("ix_cards_browse (retired=? AND deleted_at=? AND due<?)" in step
                           for step in plan[:3]), plan  # fmt: skip


def test_the_first_new_card_is_read_in_order_without_a_sort(collection: Collection) -> None:
    for sql, values in _queue_sql():
        plan = _plan(collection, sql.first_new, values)
        assert any("ix_cards_browse" in step for step in plan), plan
        assert not any("TEMP B-TREE" in step for step in plan), plan
