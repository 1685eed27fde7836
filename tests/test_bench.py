"""The benchmark, run once at tiny sizes so that it cannot rot; and its synthetic collection."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from studyapp.bench.__main__ import BenchOptions, parse_args, run_benchmarks
from studyapp.bench.db_size import SizeFigures, add_size_rows, compacted_size
from studyapp.bench.report import Report, Row, format_report, p95
from studyapp.bench.scale import prepare
from studyapp.bench.startup import BenchError
from studyapp.bench.synthetic import MARKER_FILE, Sizes, generate, is_synthetic
from studyapp.bench.synthetic_text import SYNTHETIC_TITLE
from studyapp.collection import Collection
from studyapp.paths import DATABASE_NAME
from studyapp.storage.models import STATE_NEW
from studyapp.storage.seed import SeedAction
from studyapp.storage.times import from_microseconds

TINY = Sizes(cards=200, reviews=1_000, events=50, import_rows=300)
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)

DECK_ROWS = (
    "floor",
    "first_run",
    "warm_start",
    "first_ratio",
    "warm_ratio",
    "rss_startup",
    "answer_median",
    "answer_p95",
    "answer_gap",
    "rss_answers",
    "timeline_p95",
    "memory_map_median",
    "memory_map_p95",
    "memory_map_on",
    "answer_map_p95",
    "stats_open",
    "stats_reopen",
)
SCALE_ROWS = (
    "scale_generate",
    "scale_warm_start",
    "scale_warm_ratio",
    "scale_start_gap",
    "scale_queue_build",
    "scale_export_apkg",
    "scale_import_csv",
    "scale_db_size",
    "scale_db_size_anki",
    "scale_db_size_ratio",
    "scale_answer_median",
    "scale_answer_p95",
    "scale_answer_gap",
    "scale_rss_answers",
    "scale_timeline_p95",
    "scale_memory_map_median",
    "scale_memory_map_p95",
    "scale_memory_map_on",
    "scale_answer_map_p95",
    "scale_stats_open",
    "scale_stats_reopen",
    "scale_browse_open",
    "scale_browse_search",
    "scale_browse_sort",
    "scale_browse_scroll",
    "scale_browse_page_down",
    "scale_browse_memory",
    "scale_backup_gap",
    "scale_close_gap",
    "scale_backup_s",
    "scale_backup_mb",
    "scale_backup_share",
)


@pytest.fixture(scope="module")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("synthetic") / "data"
    generate(data_dir, TINY, seed=7, now=NOW)
    return data_dir


def test_generator_writes_the_sizes_asked_for_and_marks_them_synthetic(synthetic_dir: Path) -> None:
    with sqlite3.connect(synthetic_dir / DATABASE_NAME) as connection:
        count = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("cards", "review_log", "events")
        }
        title = connection.execute("SELECT title FROM articles").fetchone()[0]
        states = dict(connection.execute("SELECT state, count(*) FROM cards GROUP BY state"))
        latest = connection.execute("SELECT max(reviewed_at) FROM review_log").fetchone()[0]
    assert count == {"cards": 200, "review_log": 1_000, "events": 50}
    assert title == SYNTHETIC_TITLE
    assert is_synthetic(synthetic_dir)
    assert "SYNTHETIC" in (synthetic_dir / MARKER_FILE).read_text(encoding="utf-8")
    # Most cards reviewed, a tenth still new; every review more than a day old.
    assert states[STATE_NEW] == 20 and sum(states.values()) == 200
    assert from_microseconds(latest) < NOW - dt.timedelta(days=1)


def test_each_review_starts_where_the_previous_one_left_the_card(synthetic_dir: Path) -> None:
    with sqlite3.connect(synthetic_dir / DATABASE_NAME) as connection:
        broken_chain = connection.execute(
            "SELECT count(*) FROM review_log a JOIN review_log b ON b.card_number = a.card_number "
            "AND b.reviewed_at = (SELECT min(reviewed_at) FROM review_log "
            "WHERE card_number = a.card_number AND reviewed_at > a.reviewed_at) "
            "WHERE b.state_before != a.state_after OR b.due_before != a.due_after "
            "OR b.last_review_before != a.reviewed_at"
        ).fetchone()[0]
        card_differs = connection.execute(
            "SELECT count(*) FROM cards c JOIN review_log r ON r.card_number = c.number "
            "AND r.reviewed_at = (SELECT max(reviewed_at) FROM review_log "
            "WHERE card_number = c.number) "
            "WHERE c.state != r.state_after OR c.due != r.due_after "
            "OR c.last_review != r.reviewed_at"
        ).fetchone()[0]
    assert broken_chain == 0
    assert card_differs == 0


def test_the_app_opens_the_synthetic_collection_as_it_is(synthetic_dir: Path) -> None:
    collection = Collection.open(synthetic_dir, lambda: NOW)
    try:
        assert collection.seed.action is SeedAction.UNCHANGED  # the pact is not seeded over it
        counts = collection.counts()
        card = collection.next_card()
    finally:
        collection.close()
    assert counts.new == 20 and counts.review > 0  # the daily new limit, and a backlog
    assert card is not None and card.id.startswith("syn-card-")


def test_a_reused_collection_is_not_seeded_over_after_a_dataset_update(tmp_path: Path) -> None:
    data_dir = tmp_path / "synthetic"
    generate(data_dir, Sizes(cards=30, reviews=60, events=5), now=NOW)
    with sqlite3.connect(data_dir / DATABASE_NAME) as connection:
        connection.execute("UPDATE packs SET version = 0 WHERE builtin = 1")
    assert prepare(data_dir, TINY, seed=1) is None  # reused, not generated again
    collection = Collection.open(data_dir)
    collection.close()
    assert collection.seed.action is SeedAction.UNCHANGED
    with sqlite3.connect(data_dir / DATABASE_NAME) as connection:
        assert connection.execute("SELECT title FROM articles").fetchall() == [(SYNTHETIC_TITLE,)]


def test_a_data_dir_holding_a_real_collection_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "real"
    Collection.open(data_dir).close()
    with pytest.raises(BenchError, match="not a synthetic collection"):
        prepare(data_dir, TINY, seed=1)
    with pytest.raises(FileExistsError):
        generate(data_dir, TINY)


def test_the_whole_benchmark_runs_and_reports_every_figure(tmp_path: Path) -> None:
    options = BenchOptions(
        runs=1,
        answers=10,
        frames=2,
        sizes=TINY,
        data_dir=tmp_path / "synthetic",
        warm_up=False,
    )
    report = run_benchmarks(options)
    assert [row.key for row in report.rows] == [*DECK_ROWS, *SCALE_ROWS]
    assert all(row.value > 0 for row in report.rows), report.rows
    text = format_report(report)
    for row in report.rows:
        assert row.label in text
    assert "Answer latency, median of 10" in text
    assert any(note.startswith("Anki peer") for note in report.notes)  # measured or skipped
    assert is_synthetic(tmp_path / "synthetic")  # kept where asked, for the next run to reuse


def test_the_database_size_is_the_compacted_file_and_anki_is_an_optional_peer(
    synthetic_dir: Path, tmp_path: Path
) -> None:
    database = synthetic_dir / DATABASE_NAME
    with sqlite3.connect(database) as connection:
        pages, page_size = (
            connection.execute("PRAGMA page_count").fetchone()[0],
            connection.execute("PRAGMA page_size").fetchone()[0],
        )
        free = connection.execute("PRAGMA freelist_count").fetchone()[0]
    assert compacted_size(database, tmp_path) <= (pages - free) * page_size
    without_anki = Report()
    add_size_rows(without_anki, SizeFigures(3 * 1024 * 1024, None, "Anki peer skipped: no anki."))
    assert [(row.key, row.value) for row in without_anki.rows] == [("scale_db_size", 3.0)]
    assert without_anki.notes == ["Anki peer skipped: no anki."]
    with_anki = Report()
    add_size_rows(with_anki, SizeFigures(3 * 1024 * 1024, 2 * 1024 * 1024, "measured"))
    ratio = with_anki.row("scale_db_size_ratio")
    assert (ratio.value, ratio.target, ratio.result) == (1.5, 1.5, "pass")


def test_targets_and_percentiles() -> None:
    assert p95([float(n) for n in range(1, 101)]) == 95.0
    assert p95([3.0]) == 3.0
    assert Row("a", "A", 0.5, "s", 0.6).result == "pass"
    assert Row("a", "A", 0.9, "s", 0.6).result == "MISS"
    assert Row("a", "A", 0.9, "s", 0.6).margin == "+50%"
    assert Row("a", "A", 0.9, "s").result == ""


def test_command_line_options() -> None:
    options = parse_args(["--runs", "7", "--no-scale", "--cards", "300", "--data-dir", "x"])
    assert (options.runs, options.scale, options.sizes.cards) == (7, False, 300)
    assert options.data_dir is not None and options.data_dir.is_absolute()
    with pytest.raises(SystemExit):
        parse_args(["--answers", "0"])
