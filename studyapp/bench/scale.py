"""The large synthetic collection: generate (or reuse) it, then measure the app on it."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.bench.db_size import SizeFigures, measure_size
from studyapp.bench.interop import InteropFigures, measure_interop
from studyapp.bench.startup import BenchError, ChildRun, copy_collection, run_child
from studyapp.bench.synthetic import Sizes, generate, is_synthetic, keep_up_with_dataset
from studyapp.collection import Collection
from studyapp.paths import database_path


@dataclass
class ScaleFigures:
    data_dir: Path
    generated_s: float | None  # None: an existing synthetic data dir was reused
    warm: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)  # interleaved with the warm starts
    start_gap_ms: list[float] = field(default_factory=list)  # window shown -> painted, open
    open_after_paint_ms: list[float] = field(default_factory=list)  # the collection, behind it
    queue_ms: list[float] = field(default_factory=list)
    session: ChildRun | None = None
    interop: InteropFigures | None = None
    browser: ChildRun | None = None
    size: SizeFigures | None = None


def prepare(data_dir: Path, sizes: Sizes, seed: int) -> float | None:
    """Generate the collection in data_dir, or reuse it if it is synthetic already.

    Refuses a data dir holding any other database: the benchmark writes to what it opens.
    """
    if is_synthetic(data_dir):
        keep_up_with_dataset(data_dir)
        return None
    if database_path(data_dir).exists():
        raise BenchError(f"{data_dir} holds a database that is not a synthetic collection")
    return generate(data_dir, sizes, seed)


def measure_queue_build(data_dir: Path, runs: int) -> list[float]:
    """Collection.counts() + next_card() on a freshly opened collection, in milliseconds."""
    times = []
    for _ in range(runs):
        collection = Collection.open(data_dir)
        try:
            started = time.perf_counter()
            collection.counts()
            collection.next_card()
            times.append((time.perf_counter() - started) * 1000)
        finally:
            collection.close()
    return times


def measure_scale(
    work_dir: Path,
    data_dir: Path,
    sizes: Sizes,
    *,
    runs: int,
    answers: int,
    frames: int,
    seed: int,
    warm_up: bool = True,
) -> ScaleFigures:
    figures = ScaleFigures(data_dir, prepare(data_dir, sizes, seed))
    if warm_up:  # the first start after generating writes the window layout, as any first does
        run_child("start", work_dir, data_dir)
    for _ in range(runs):
        figures.floor.append(run_child("floor", work_dir).seconds)
        figures.warm.append(run_child("start", work_dir, data_dir).seconds)
        gapped = run_child("start", work_dir, data_dir, gaps=True)
        figures.start_gap_ms.append(gapped.result["start_gap_ms"])
        figures.open_after_paint_ms.append(gapped.result["open_after_paint_ms"])
    figures.queue_ms = measure_queue_build(data_dir, runs)
    figures.interop = measure_interop(work_dir, data_dir, sizes.import_rows, seed)
    figures.size = measure_size(work_dir, data_dir)
    answer_dir = copy_collection(data_dir, work_dir / "synthetic-answers")
    try:
        figures.session = run_child("session", work_dir, answer_dir, answers=answers, frames=frames)
    finally:
        shutil.rmtree(answer_dir)
    browse_dir = copy_collection(data_dir, work_dir / "synthetic-browser")
    try:
        figures.browser = run_child("browser", work_dir, browse_dir, frames=frames)
    finally:
        shutil.rmtree(browse_dir)
    return figures
