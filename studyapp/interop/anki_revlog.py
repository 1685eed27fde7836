"""The review log written into the package by SQLite itself: the collection's database is
attached read-only to the package's and each slice of answers is one INSERT ... SELECT with
anki_scheduling.revlog_row's rules in SQL, so 500,000 answers never become Python objects.

The SQL does revlog_row's arithmetic step for step (Python's round-half-to-even spelled
out), each value computed once in a subquery SQLite keeps as it is (OFFSET 0: not merged
into the query around it, which would repeat the expression at every use). Intervals that
depend on day boundaries call AnkiDays.interval itself. Tests hold the SQL to revlog_row.

Anki's revlog id is the answer's millisecond and must be unique: of answers sharing one, the
one stored first keeps it and each other takes the next free millisecond afterwards.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from studyapp.interop.anki_scheduling import (
    DAY_US,
    MAX_I32,
    REVLOG_LEARNING,
    REVLOG_RELEARNING,
    REVLOG_REVIEW,
    AnkiDays,
)
from studyapp.storage.files import readonly_uri
from studyapp.storage.models import STATE_NEW, STATE_RELEARNING, STATE_REVIEW

STUDY = "study"  # the schema name the collection's database is attached under
SLICE_ANSWERS = 5000  # review_log ids per INSERT ... SELECT: progress is reported between

# Each answer's columns, read once: spans for whole days, AnkiDays intervals for the rest.
_ANSWERS = f"""
SELECT r.id AS answer,
  r.reviewed_at / 1000 - (r.reviewed_at % 1000 < 0) AS millisecond,
  c.anki_id AS cid, r.rating AS ease,
  CASE WHEN r.state_after = {STATE_REVIEW} THEN r.due_after - r.reviewed_at END AS after_span,
  CASE WHEN r.state_after != {STATE_REVIEW}
    THEN anki_interval(r.reviewed_at, r.due_after) END AS after_interval,
  CASE WHEN r.state_before = {STATE_REVIEW}
    THEN r.due_before - r.last_review_before END AS last_span,
  CASE WHEN r.state_before NOT IN ({STATE_NEW}, {STATE_REVIEW})
      AND r.due_before IS NOT NULL AND r.last_review_before IS NOT NULL
    THEN anki_interval(r.last_review_before, r.due_before) END AS last_interval,
  ((r.difficulty_after - 1) / 9.0 + 0.1) * 1000 AS difficulty,
  min(max(r.duration_ms, 0), {MAX_I32}) AS time,
  CASE r.state_before WHEN {STATE_REVIEW} THEN {REVLOG_REVIEW}
    WHEN {STATE_RELEARNING} THEN {REVLOG_RELEARNING} ELSE {REVLOG_LEARNING} END AS type
FROM {STUDY}.review_log AS r CROSS JOIN temp.export_cards AS c ON c.study_id = r.card_id
"""


def _whole_days(span: str) -> str:
    """max(1, round(span / DAY_US)) of an integer span (NULL if none), in integers: round
    half to even; a negative span rounds to 0 or less, so 1."""
    quotient, twice_rest = f"{span} / {DAY_US}", f"2 * ({span} % {DAY_US})"
    return (
        f"max(1, {quotient} + ({twice_rest} > {DAY_US})"
        f" + ({twice_rest} = {DAY_US} AND {quotient} % 2 = 1))"
    )


def _round_half_even(value: str) -> str:
    """Python's round() of a float (NULL if none): to the nearest integer, a tie to the
    even one."""
    whole = f"CAST({value} AS INTEGER)"  # towards zero
    rest = f"({value} - {whole})"  # exact: in (-1, 1)
    return (
        f"({whole} + ({rest} > 0.5) - ({rest} < -0.5)"
        f" + (({rest} = 0.5) - ({rest} = -0.5)) * ({whole} % 2 != 0))"
    )


_ROWS = f"""
SELECT {{revlog_id}}, cid, -1, ease,
  coalesce({_whole_days("after_span")}, after_interval),
  coalesce({_whole_days("last_span")}, last_interval, 0),
  coalesce({_round_half_even("difficulty")}, 0),
  time, type
FROM ({{answers}} LIMIT -1 OFFSET 0)
"""
_INSERT = "INSERT OR IGNORE INTO main.revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"


def revlog_insert(where: str, revlog_id: str = "millisecond") -> str:
    """The INSERT of the revlog rows of the answers (alias r) that `where` chooses."""
    answers = f"{_ANSWERS} WHERE {where} ORDER BY r.id"
    return f"{_INSERT} {_ROWS.format(revlog_id=revlog_id, answers=answers)}"


INSERT_SLICE = revlog_insert("r.id >= :low AND r.id < :high")
INSERT_ONE = revlog_insert("r.id = :answer", revlog_id=":id")


def write_revlog(
    database: sqlite3.Connection,
    study_database: Path,
    anki_ids: Iterable[tuple[str, int]],
    days: AnkiDays,
    progress: Callable[[int], None],
) -> int:
    """Write into `database`'s revlog every answer of the cards in `anki_ids` (our id,
    Anki's) from the collection's database file; return how many. `progress(answers)` is
    called after each slice with the answers written so far (and may raise to stop)."""
    database.execute(f"ATTACH DATABASE ? AS {STUDY}", (readonly_uri(study_database),))
    try:
        return _write(database, anki_ids, days, progress)
    finally:
        database.commit()
        database.execute(f"DETACH DATABASE {STUDY}")


def _write(
    database: sqlite3.Connection,
    anki_ids: Iterable[tuple[str, int]],
    days: AnkiDays,
    progress: Callable[[int], None],
) -> int:
    database.create_function("anki_interval", 2, days.interval, deterministic=True)
    database.execute(
        "CREATE TEMP TABLE export_cards (study_id TEXT PRIMARY KEY, anki_id INTEGER NOT NULL)"
        " WITHOUT ROWID"
    )
    database.executemany("INSERT INTO temp.export_cards VALUES (?, ?)", anki_ids)
    # All in the package's one transaction, so every slice reads the same answers.
    first, last = database.execute(f"SELECT min(id), max(id) FROM {STUDY}.review_log").fetchone()
    if first is None:
        return 0
    written = 0
    for low in range(first, last + 1, SLICE_ANSWERS):
        slice_ = {"low": low, "high": low + SLICE_ANSWERS}
        written += database.execute(INSERT_SLICE, slice_).rowcount
        progress(written)
    (answers,) = database.execute(
        f"SELECT count() FROM temp.export_cards AS c CROSS JOIN {STUDY}.review_log AS r"
        " ON r.card_id = c.study_id"
    ).fetchone()
    if written < answers:
        for answer, millisecond in _later_in_a_millisecond(database):
            revlog_id = millisecond
            while database.execute("SELECT 1 FROM revlog WHERE id = ?", (revlog_id,)).fetchone():
                revlog_id += 1
            written += database.execute(INSERT_ONE, {"id": revlog_id, "answer": answer}).rowcount
    return written


def _later_in_a_millisecond(database: sqlite3.Connection) -> list[tuple[int, int]]:
    """(answer, millisecond) of each exported answer stored after another of its millisecond,
    by millisecond (a walk of the answer-time index finds the milliseconds)."""
    millisecond = "reviewed_at / 1000 - (reviewed_at % 1000 < 0)"
    database.execute("CREATE TEMP TABLE shared (millisecond INTEGER PRIMARY KEY)")
    database.execute(
        f"INSERT INTO temp.shared SELECT {millisecond} AS ms FROM {STUDY}.review_log"
        " GROUP BY ms HAVING count() > 1"
    )
    found, previous = [], None
    for answer, shared in database.execute(
        f"SELECT r.id, s.millisecond FROM temp.shared AS s CROSS JOIN {STUDY}.review_log AS r"
        f" ON r.reviewed_at >= s.millisecond * 1000 AND r.reviewed_at < s.millisecond * 1000 + 1000"
        " JOIN temp.export_cards AS c ON c.study_id = r.card_id ORDER BY s.millisecond, r.id"
    ):
        if shared == previous:
            found.append((answer, shared))
        previous = shared
    return found
