"""`python -m studyapp.bench`: start-up, answer latency, memory and scale, printed as a table.

Every figure comes from separate processes on the offscreen Qt platform (see child.py); the
targets are the issue's, printed beside the figures. A benchmark, not a test: it never fails
on a missed target (the test suite runs it once at tiny sizes so that it cannot rot).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyapp.bench.browser import SEARCHES
from studyapp.bench.db_size import add_size_rows
from studyapp.bench.report import Report, format_report, machine_info, median, p95
from studyapp.bench.scale import measure_scale
from studyapp.bench.startup import BenchError, ChildRun, copy_collection, measure_startup, run_child
from studyapp.bench.synthetic import Sizes

# The targets, for a 2-core machine.
WARM_START_S = 0.6
WARM_RATIO = 2.5  # warm start / the bare window's, measured in the same loop
FIRST_RUN_S = 1.0
FIRST_RUN_RATIO = 3.5
SCALE_WARM_RATIO = 4.0
ANSWER_MEDIAN_MS = 3.0  # at the pact deck and at 50,000 cards, the commit included
ANSWER_P95_MS = 8.0
MAP_ANSWER_P95_MS = 16.0  # an answer with the memory map on (its refresh included)
RSS_MB = 150.0
SCALE_WARM_START_S = 1.5
FRAME_P95_MS = 16.0
MEMORY_MAP_MS = 5.0  # the memory map's refresh after an answer, at the pact deck
STATS_OPEN_S = 1.0  # Statistics open, every chart painted, at 50,000 cards
EXPORT_APKG_S = 10.0
IMPORT_CSV_S = 3.0
BROWSE_OPEN_MS = 300.0
BROWSE_SEARCH_MS = 100.0
BROWSE_SORT_MS = 150.0
BROWSE_MEMORY_MB = 30.0
GUI_GAP_MS = 50.0  # the longest the GUI thread may stall: answering, a backup, quitting
KIB_PER_MB = 1024
BYTES_PER_MB = 1024 * 1024


@dataclass(frozen=True)
class BenchOptions:
    runs: int = 5
    answers: int = 200
    frames: int = 20  # zoom and pan steps after fit-all; the browser's scroll steps too
    scale: bool = True
    sizes: Sizes = field(default_factory=Sizes)
    data_dir: Path | None = None  # the synthetic collection's data dir (kept); None: temporary
    seed: int = 1926
    warm_up: bool = True  # one discarded process before each series


def _progress(text: str) -> None:
    print(f"studyapp.bench: {text}", file=sys.stderr, flush=True)


def _measure_deck(report: Report, work_dir: Path, options: BenchOptions) -> None:
    """The pact deck (41 cards): start-up (floor, first, warm), answers, memory, timeline."""
    _progress(f"start-up: floor, first run and warm run, {options.runs} processes each")
    startup, pact_dir = measure_startup(work_dir, options.runs, options.warm_up)
    floor, warm = median(startup.floor), median(startup.warm)
    report.add("floor", "Bare QMainWindow process (floor)", floor, "s")
    report.add(
        "first_run",
        "First run: empty data dir (migrate, seed)",
        median(startup.first),
        "s",
        FIRST_RUN_S,
    )
    report.add("warm_start", "Warm start: existing database", warm, "s", WARM_START_S)
    report.add(
        "first_ratio", "First run / floor", median(startup.first) / floor, "x", FIRST_RUN_RATIO
    )
    report.add("warm_ratio", "Warm start / floor", warm / floor, "x", WARM_RATIO)
    report.notes.append(anki_peer_note())
    report.add("rss_startup", "Peak RSS after start-up", median(startup.warm_rss_mb), "MB", RSS_MB)
    report.notes.append(
        f"Start-up spread over {options.runs} runs (min-max): floor {_spread(startup.floor)}, "
        f"first run {_spread(startup.first)}, warm {_spread(startup.warm)}."
    )
    _progress(f"answers: {options.answers} on the pact deck; timeline: {options.frames} steps")
    session = run_child(
        "session",
        work_dir,
        copy_collection(pact_dir, work_dir / "pact-answers"),
        answers=options.answers,
        frames=options.frames,
    )
    answers = session.result["answers_ms"]
    report.add(
        "answer_median",
        f"Answer latency, median of {len(answers)}",
        median(answers),
        "ms",
        ANSWER_MEDIAN_MS,
    )
    report.add("answer_p95", "Answer latency, p95", p95(answers), "ms", ANSWER_P95_MS)
    _add_answer_gap(report, session, "answer_gap", "L")
    rss = session.result["rss_after_answers_kib"] / KIB_PER_MB
    report.add("rss_answers", f"Peak RSS after {len(answers)} answers", rss, "MB", RSS_MB)
    frames = session.result["frames_ms"]
    report.add("timeline_p95", _frames_label("Timeline", frames), p95(frames), "ms")
    _add_statistics(report, session, False, MEMORY_MAP_MS, None)


def _add_statistics(
    report: Report,
    session: ChildRun,
    scale: bool,
    map_target: float | None,
    stats_target: float | None,
) -> None:
    """The memory map's refresh and answers with it on; opening Statistics."""
    key, prefix = ("scale_", "Synthetic: m") if scale else ("", "M")
    refresh = session.result["memory_map_ms"]
    report.add(
        f"{key}memory_map_median",
        f"{prefix}emory-map refresh after an answer, median of {len(refresh)}",
        median(refresh),
        "ms",
        map_target,
    )
    report.add(f"{key}memory_map_p95", f"{prefix}emory-map refresh, p95", p95(refresh), "ms")
    report.add(
        f"{key}memory_map_on",
        f"{prefix}emory map turned on (whole map read and drawn)",
        session.result["memory_map_full_ms"],
        "ms",
    )
    with_map = session.result["answers_with_map_ms"]
    report.add(
        f"{key}answer_map_p95",
        f"{'Synthetic: a' if scale else 'A'}nswer latency with the memory map on, p95",
        p95(with_map),
        "ms",
        None if scale else MAP_ANSWER_P95_MS,
    )
    label = "Synthetic: open Statistics" if scale else "Open Statistics"
    report.add(
        f"{key}stats_open",
        f"{label}, all charts painted (first time)",
        session.result["stats_open_s"],
        "s",
        stats_target,
    )
    report.add(
        f"{key}stats_reopen",
        f"{label} again",
        session.result["stats_reopen_s"],
        "s",
        stats_target,
    )


def anki_peer_note() -> str:
    """Anki's desktop app as an optional peer: only where its GUI package (aqt) is installed."""
    if importlib.util.find_spec("aqt") is None:
        return (
            "Anki peer skipped: Anki's desktop app (the aqt package, with PyQt6) is not "
            "installed in this environment (only its library, anki, is)."
        )
    return "Anki peer skipped: aqt is installed, but launching it is not measured yet."


def _add_answer_gap(report: Report, session: ChildRun, key: str, prefix: str) -> None:
    report.add(
        key,
        f"{prefix}ongest event-loop gap answering {session.result['answer_gap_count']} cards",
        session.result["answer_gap_ms"],
        "ms",
        GUI_GAP_MS,
    )


def _spread(seconds: Sequence[float]) -> str:
    return f"{min(seconds):.3f}-{max(seconds):.3f} s"


def _frames_label(prefix: str, frames: Sequence[float]) -> str:
    return f"{prefix} frame p95 (fit all + {len(frames) - 1} zoom/pan steps)"


def _measure_scale(report: Report, work_dir: Path, options: BenchOptions) -> None:
    sizes = options.sizes
    data_dir = options.data_dir or work_dir / "synthetic"
    _progress(f"scale: synthetic collection in {data_dir} ({sizes.describe()})")
    figures = measure_scale(
        work_dir,
        data_dir,
        sizes,
        runs=options.runs,
        answers=options.answers,
        frames=options.frames,
        seed=options.seed,
        warm_up=options.warm_up,
    )
    if figures.generated_s is not None:
        report.add(
            "scale_generate", f"Synthetic: generate {sizes.describe()}", figures.generated_s, "s"
        )
    else:
        report.notes.append(f"Synthetic collection reused from {data_dir}.")
    report.add(
        "scale_warm_start", "Synthetic: warm start", median(figures.warm), "s", SCALE_WARM_START_S
    )
    report.add(
        "scale_warm_ratio",
        "Synthetic: warm start / floor",
        median(figures.warm) / median(figures.floor),
        "x",
        SCALE_WARM_RATIO,
    )
    report.add(
        "scale_start_gap",
        "Synthetic: longest event-loop gap, window shown to painted and its collection open",
        median(figures.start_gap_ms),
        "ms",
        GUI_GAP_MS,
    )
    opened = figures.open_after_paint_ms
    report.notes.append(
        f"Synthetic warm start spread (min-max): {_spread(figures.warm)}, its floor "
        f"{_spread(figures.floor)}, the start's longest gap "
        f"{min(figures.start_gap_ms):.1f}-{max(figures.start_gap_ms):.1f} ms; the collection "
        f"was open {min(opened):.0f}-{max(opened):.0f} ms after the first paint (it opens in a "
        "worker thread behind the first screen)."
    )
    report.add(
        "scale_queue_build",
        "Synthetic: queue build (counts + next_card)",
        median(figures.queue_ms),
        "ms",
    )
    interop = figures.interop
    assert interop is not None
    report.add(
        "scale_export_apkg",
        f"Synthetic: export {interop.exported_cards:,} cards, {interop.exported_reviews:,} "
        "reviews to .apkg",
        interop.export_s,
        "s",
        EXPORT_APKG_S,
    )
    report.add(
        "scale_import_csv",
        f"Synthetic: import {interop.imported:,} CSV rows",
        interop.import_s,
        "s",
        IMPORT_CSV_S,
    )
    add_size_rows(report, figures.size)
    session: ChildRun | None = figures.session
    assert session is not None
    answers = session.result["answers_ms"]
    report.add(
        "scale_answer_median",
        f"Synthetic: answer latency, median of {len(answers)}",
        median(answers),
        "ms",
        ANSWER_MEDIAN_MS,
    )
    report.add(
        "scale_answer_p95", "Synthetic: answer latency, p95", p95(answers), "ms", ANSWER_P95_MS
    )
    _add_answer_gap(report, session, "scale_answer_gap", "Synthetic: l")
    rss = session.result["rss_after_answers_kib"] / KIB_PER_MB
    report.add("scale_rss_answers", f"Synthetic: peak RSS after {len(answers)} answers", rss, "MB")
    frames = session.result["frames_ms"]
    report.add(
        "scale_timeline_p95",
        _frames_label("Synthetic: timeline", frames),
        p95(frames),
        "ms",
        FRAME_P95_MS,
    )
    _add_statistics(report, session, True, None, STATS_OPEN_S)
    assert figures.browser is not None
    _browser_rows(report, figures.browser.result)
    _report_backups(report, session.result["backups"])


def _browser_rows(report: Report, result: dict[str, Any]) -> None:
    cards = f"{result['browser_cards']:,}"
    report.add(
        "scale_browse_open",
        f"Synthetic: open Browse (B) on {cards} cards, to a painted table",
        result["browser_open_ms"],
        "ms",
        BROWSE_OPEN_MS,
    )
    searches = result["browser_search_ms"]
    report.add(
        "scale_browse_search",
        f"Synthetic: text search, median of {len(searches)}",
        median(searches),
        "ms",
        BROWSE_SEARCH_MS,
    )
    sorts = result["browser_sort_due_ms"]
    report.add(
        "scale_browse_sort",
        f"Synthetic: sort {cards} cards by due, median of {len(sorts)}",
        median(sorts),
        "ms",
        BROWSE_SORT_MS,
    )
    frames = result["browser_scroll_ms"]
    report.add(
        "scale_browse_scroll",
        f"Synthetic: scroll the table a page, p95 of {len(frames)} frames",
        p95(frames),
        "ms",
        FRAME_P95_MS,
    )
    keys = result["browser_page_down_ms"]
    report.add(
        "scale_browse_page_down",
        f"Synthetic: Page Down (editor follows), p95 of {len(keys)}",
        p95(keys),
        "ms",
    )
    report.add(
        "scale_browse_memory",
        "Synthetic: memory growth with the browser open",
        result["browser_rss_growth_kib"] / KIB_PER_MB,
        "MB",
        BROWSE_MEMORY_MB,
    )
    report.notes.append(
        "Browser searches (ms): "
        + ", ".join(f"{query} {ms:.0f}" for query, ms in zip(SEARCHES, searches, strict=True))
        + f". Sort by due (ms): {', '.join(f'{ms:.0f}' for ms in sorts)}."
    )


def _report_backups(report: Report, backups: dict[str, float]) -> None:
    report.add(
        "scale_backup_gap",
        "Synthetic: longest event-loop gap during Back Up Now",
        backups["backup_gap_ms"],
        "ms",
        GUI_GAP_MS,
    )
    report.add(
        "scale_close_gap",
        "Synthetic: longest event-loop gap closing (with its backup)",
        backups["close_gap_ms"],
        "ms",
        GUI_GAP_MS,
    )
    report.add("scale_backup_s", "Synthetic: backup time (worker thread)", backups["backup_s"], "s")
    report.add(
        "scale_backup_mb", "Synthetic: backup size", backups["backup_bytes"] / BYTES_PER_MB, "MB"
    )
    report.add(
        "scale_backup_share",
        "Synthetic: backup size / collection file size",
        backups["backup_bytes"] / backups["collection_bytes"] * 100,
        "%",
    )
    report.notes.append(
        f"Synthetic backup: {backups['backup_bytes'] / BYTES_PER_MB:.1f} MB zip of a "
        f"{backups['copy_bytes'] / BYTES_PER_MB:.1f} MB consistent copy; the collection file "
        f"is {backups['collection_bytes'] / BYTES_PER_MB:.1f} MB. Gaps: a "
        f"{backups['tick_ms']:g} ms QTimer in the GUI thread, the longest interval between two "
        "ticks."
    )


def run_benchmarks(options: BenchOptions) -> Report:
    report = Report(machine=machine_info())
    report.notes.append(
        f"Start-up: median of {options.runs} processes, spawn until the window is exposed and "
        "the article, timeline and review panes are painted. Answers: grade key press until "
        "the next card is painted, commit included. p95: nearest rank. RSS: the process's "
        "peak resident set (VmHWM), in MiB."
    )
    with tempfile.TemporaryDirectory(prefix="studyapp-bench-") as temporary:
        work_dir = Path(temporary)
        _measure_deck(report, work_dir, options)
        if options.scale:
            _measure_scale(report, work_dir, options)
    return report


def parse_args(argv: Sequence[str] | None) -> BenchOptions:
    defaults = BenchOptions()
    parser = argparse.ArgumentParser(
        prog="python -m studyapp.bench",
        description="Measure StudyApp's start-up, answer latency, memory and behaviour on a "
        "large synthetic collection, and print the figures beside their targets.",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=defaults.runs,
        help="processes per start-up figure (default %(default)s)",
    )
    parser.add_argument(
        "--answers",
        type=int,
        default=defaults.answers,
        help="answers timed per deck (default %(default)s)",
    )
    parser.add_argument(
        "--frames",
        type=int,
        default=defaults.frames,
        help="timeline zoom/pan steps after fit-all, and browser scroll steps "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--scale",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure the synthetic collection (default: yes)",
    )
    parser.add_argument("--cards", type=int, default=defaults.sizes.cards)
    parser.add_argument("--reviews", type=int, default=defaults.sizes.reviews)
    parser.add_argument("--events", type=int, default=defaults.sizes.events)
    parser.add_argument(
        "--import-rows",
        type=int,
        default=defaults.sizes.import_rows,
        help="CSV rows the import figure reads (default %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=defaults.seed, help="for the generator")
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="keep the synthetic collection here: generated if DIR has no database, reused if "
        "it holds a synthetic one (default: a temporary dir, deleted afterwards)",
    )
    args = parser.parse_args(argv)
    if min(args.runs, args.answers, args.frames) < 1:
        parser.error("--runs, --answers and --frames must be at least 1")
    return BenchOptions(
        runs=args.runs,
        answers=args.answers,
        frames=args.frames,
        scale=args.scale,
        sizes=Sizes(args.cards, args.reviews, args.events, args.import_rows),
        data_dir=args.data_dir.expanduser().absolute() if args.data_dir else None,
        seed=args.seed,
    )


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    try:
        report = run_benchmarks(options)
    except BenchError as error:
        print(f"studyapp.bench: {error}", file=sys.stderr)
        return 1
    print(format_report(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
