"""How SQLite runs the queue's statements: at 50,000 cards the wrong index costs 1-22 ms an
answer (it walked every overdue card in ix_cards_browse to find learning or new ones). The
collection has no statistics (no ANALYZE), so the plans do not depend on its size: the seeded
deck's plans are the large collection's."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from studyapp.collection import Collection


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


def test_learning_cards_are_read_off_the_state_and_due_index(collection: Collection) -> None:
    statements = _statements(collection)
    counts = [s for s in statements if s[0].startswith("SELECT (SELECT count(*)")]
    first_learning = [s for s in statements if "ORDER BY cards.state, cards.due" in s[0]]
    assert counts and first_learning
    for statement, parameters in (counts[0], first_learning[0]):
        plan = _plan(collection, statement, parameters)
        learning = [step for step in plan if "state=? AND due<?" in step]
        assert learning and all("ix_cards_state_due" in step for step in learning), plan
        assert not any("ix_cards_browse (retired=? AND deleted_at=? AND due<?)" in step
                       for step in plan[:3]), plan  # fmt: skip


def test_the_first_new_card_is_read_in_order_without_a_sort(collection: Collection) -> None:
    first_new = [
        (statement, parameters)
        for statement, parameters in _statements(collection)
        # The new cards' statement: a state, and no due time asked about.
        if statement.startswith("SELECT cards.id FROM cards") and "cards.state = ?" in statement
        and "cards.due <" not in statement and "LIMIT ? OFFSET ?" in statement
    ]  # fmt: skip
    assert first_new, "the seeded deck's first card is a new one"
    plan = _plan(collection, *first_new[0])
    assert not any("TEMP B-TREE" in step for step in plan), plan
