"""The review log written into the package by SQLite itself: the collection's database is
attached read-only to the package's and each slice of answers is one INSERT ... SELECT with
anki_scheduling.revlog_row's rules in SQL, so 500,000 answers never become Python objects.

The SQL does revlog_row's arithmetic step for step (Python's round-half-to-even spelled
out), each value computed once in a subquery SQLite keeps as it is (OFFSET 0: not merged
into the query around it, which would repeat the expression at every use). The start of
the next day comes from AnkiDays' day starts, written into the SQL as arithmetic runs
between clock changes; an answer outside the days it knows calls AnkiDays.interval itself.
Tests hold the SQL to revlog_row.

Anki's revlog id is the answer's millisecond and must be unique: of answers sharing one, the
earliest keeps it and each other takes the next free millisecond afterwards. (Our log's key is
the answer's microsecond, unique, later for each answer saved.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
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
SLICE_ANSWERS = 5000  # answers per INSERT ... SELECT: progress is reported between
LAST_TIME = 2**63 - 1  # the end of the last slice: after every answer

# Each answer's columns, read once: day spans for review answers, seconds and the time to
# the next day's start for learning ones.
_ANSWERS = """
SELECT r.reviewed_at AS answer,
  r.reviewed_at / 1000 - (r.reviewed_at % 1000 < 0) AS millisecond,
  c.anki_id AS cid, r.rating AS ease,
  r.reviewed_at AS reviewed_at, r.due_after AS due_after,
  r.last_review_before AS last_review_before, r.due_before AS due_before,
  CASE WHEN {after_review} THEN r.due_after - r.reviewed_at END AS after_span,
  CASE WHEN NOT {after_review} THEN max(0.0, (r.due_after - r.reviewed_at) / 1e6)
    END AS after_seconds,
  CASE WHEN NOT {after_review} THEN {after_until} END AS after_until,
  CASE WHEN {before_review} THEN r.due_before - r.last_review_before END AS last_span,
  CASE WHEN {before_learning}
    THEN max(0.0, (r.due_before - r.last_review_before) / 1e6) END AS last_seconds,
  CASE WHEN {before_learning} THEN {last_until} END AS last_until,
  ((r.difficulty_after - 1) / 9.0 + 0.1) * 1000 AS difficulty,
  min(max(r.duration_ms, 0), {max_i32}) AS time,
  CASE r.state_before WHEN {review} THEN {revlog_review}
    WHEN {relearning} THEN {revlog_relearning} ELSE {revlog_learning} END AS type
FROM {study}.review_log AS r CROSS JOIN temp.export_cards AS c ON c.study_number = r.card_number
"""


def _answers(starts: Sequence[float]) -> str:
    return _ANSWERS.format(
        after_review=f"r.state_after = {STATE_REVIEW}",
        before_review=f"r.state_before = {STATE_REVIEW}",
        before_learning=(
            f"r.state_before NOT IN ({STATE_NEW}, {STATE_REVIEW})"
            " AND r.due_before IS NOT NULL AND r.last_review_before IS NOT NULL"
        ),
        after_until=_until_next_day("(r.reviewed_at / 1e6)", starts),
        last_until=_until_next_day("(r.last_review_before / 1e6)", starts),
        max_i32=MAX_I32,
        review=STATE_REVIEW,
        relearning=STATE_RELEARNING,
        revlog_review=REVLOG_REVIEW,
        revlog_relearning=REVLOG_RELEARNING,
        revlog_learning=REVLOG_LEARNING,
        study=STUDY,
    )


def _until_next_day(seconds: str, starts: Sequence[float]) -> str:
    """SQL for AnkiDays.seconds_to_next_day(seconds) within the days it knows (`starts`, in
    arithmetic runs between clock changes), NULL outside them (AnkiDays is asked then)."""
    branches = []
    for first, last, step in _runs(starts):
        if step is None:  # one day of its own length (a clock change)
            branches.append(f"WHEN {seconds} < {last!r} THEN {last!r}")
            continue
        steps = f"CAST(({seconds} - {first!r}) / {step!r} AS INTEGER)"
        floored = f"({steps} - ({steps} * {step!r} > {seconds} - {first!r}))"
        branches.append(f"WHEN {seconds} < {last!r} THEN {first!r} + ({floored} + 1) * {step!r}")
    return f"(CASE WHEN {seconds} < {starts[0]!r} THEN NULL {' '.join(branches)} END) - {seconds}"


def _runs(starts: Sequence[float]) -> list[tuple[float, float, float | None]]:
    """The day starts as runs (first, last, step) in which first + k * step is exactly the
    k-th start; step None for a single day."""
    runs: list[tuple[float, float, float | None]] = []
    index = 0
    while index < len(starts) - 1:
        first, step = starts[index], starts[index + 1] - starts[index]
        end = index
        while end + 1 < len(starts) and first + (end + 1 - index) * step == starts[end + 1]:
            end += 1
        if end <= index + 1:
            runs.append((first, starts[index + 1], None))
            index += 1
        else:
            runs.append((first, starts[end], step))
            index = end
    return runs


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


def _interval(seconds: str, until: str) -> str:
    """AnkiDays.interval from its seconds and the seconds to the next day (NULL if none):
    negative seconds when it ends before the next day starts, else whole days after it."""
    beyond = f"({seconds} - {until})"
    days = f"CAST({beyond} / 86400.0 AS INTEGER)"
    return (
        f"CASE WHEN {until} IS NULL THEN NULL"
        f" WHEN {seconds} < {until} THEN -min({MAX_I32}, {_round_half_even(seconds)})"
        f" ELSE {days} - ({days} * 86400.0 > {beyond}) + 1 END"
    )


_ROWS = f"""
SELECT {{revlog_id}}, cid, -1, ease,
  coalesce({_whole_days("after_span")}, {_interval("after_seconds", "after_until")},
    anki_interval(reviewed_at, due_after)),
  coalesce({_whole_days("last_span")}, {_interval("last_seconds", "last_until")},
    CASE WHEN last_seconds IS NOT NULL THEN anki_interval(last_review_before, due_before) END,
    0),
  coalesce({_round_half_even("difficulty")}, 0),
  time, type
FROM ({{answers}} LIMIT -1 OFFSET 0)
"""
_INSERT = "INSERT OR IGNORE INTO main.revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"


def revlog_insert(where: str, days: AnkiDays, revlog_id: str = "millisecond") -> str:
    """The INSERT of the revlog rows of the answers (alias r) that `where` chooses."""
    answers = f"{_answers(days.day_starts())} WHERE {where} ORDER BY r.reviewed_at"
    return f"{_INSERT} {_ROWS.format(revlog_id=revlog_id, answers=answers)}"


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
        "CREATE TEMP TABLE export_ids (study_id TEXT PRIMARY KEY, anki_id INTEGER NOT NULL)"
        " WITHOUT ROWID"
    )
    database.executemany("INSERT INTO temp.export_ids VALUES (?, ?)", anki_ids)
    # The review log names cards by their integer key: the cards' ids turned into theirs.
    database.execute(
        "CREATE TEMP TABLE export_cards (study_number INTEGER PRIMARY KEY, anki_id INTEGER"
        " NOT NULL)"
    )
    database.execute(
        "INSERT INTO temp.export_cards SELECT c.number, e.anki_id FROM temp.export_ids AS e"
        f" JOIN {STUDY}.cards AS c ON c.id = e.study_id"
    )
    # All in the package's one transaction, so every slice reads the same answers.
    starts = _slice_starts(database)
    if not starts:
        return 0
    insert_slice = revlog_insert("r.reviewed_at >= :low AND r.reviewed_at < :high", days)
    written = 0
    for low, high in zip(starts, [*starts[1:], None], strict=True):
        slice_ = {"low": low, "high": high if high is not None else LAST_TIME}
        written += database.execute(insert_slice, slice_).rowcount
        progress(written)
    (answers,) = database.execute(
        f"SELECT count() FROM temp.export_cards AS c CROSS JOIN {STUDY}.review_log AS r"
        " ON r.card_number = c.study_number"
    ).fetchone()
    if written < answers:
        insert_one = revlog_insert("r.reviewed_at = :answer", days, revlog_id=":id")
        for answer, millisecond in _later_in_a_millisecond(database):
            revlog_id = millisecond
            while database.execute("SELECT 1 FROM revlog WHERE id = ?", (revlog_id,)).fetchone():
                revlog_id += 1
            parameters = {"id": revlog_id, "answer": answer}
            written += database.execute(insert_one, parameters).rowcount
    return written


def _slice_starts(database: sqlite3.Connection) -> list[int]:
    """Where each slice of answers starts, oldest first: the log's span of time cut in equal
    parts, about SLICE_ANSWERS answers each (the first, last and count come off its key and
    its smallest index, without reading the answers)."""
    first, last, answers = database.execute(
        f"SELECT min(reviewed_at), max(reviewed_at), count(*) FROM {STUDY}.review_log"
    ).fetchone()
    if first is None:
        return []
    step = (last - first) // max(1, -(-answers // SLICE_ANSWERS)) + 1
    return list(range(first, last + 1, step))


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
        f"SELECT r.reviewed_at, s.millisecond FROM temp.shared AS s"
        f" CROSS JOIN {STUDY}.review_log AS r"
        f" ON r.reviewed_at >= s.millisecond * 1000 AND r.reviewed_at < s.millisecond * 1000 + 1000"
        " JOIN temp.export_cards AS c ON c.study_number = r.card_number"
        " ORDER BY s.millisecond, r.reviewed_at"
    ):
        if shared == previous:
            found.append((answer, shared))
        previous = shared
    return found
