"""What a backup costs the window: the longest gap between the ticks of a 5 ms QTimer while
BackupActions writes a backup (Back Up Now's wait, then closing the window after an answer),
and the backup's size beside the collection's.

Runs in the child, on the real window; the gaps are measured as gaps.py says.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from studyapp.bench.answers import run_answers
from studyapp.bench.gaps import TICK_MS, longest_gap_during
from studyapp.storage.archive import read_manifest

if TYPE_CHECKING:
    from studyapp.clock import FakeClock
    from studyapp.collection import Collection
    from studyapp.ui.main_window import MainWindow


class BackupBenchError(RuntimeError):
    """The backup being measured failed."""


def run_backups(window: MainWindow, collection: Collection, clock: FakeClock) -> dict[str, Any]:
    """Back Up Now's backup, then closing the window after one more answer (which backs up
    again); the gap during each, the first one's time and its size."""
    outcomes = []
    seconds = []

    def back_up_now() -> None:
        started = time.perf_counter()
        outcomes.append(window.backups.back_up_and_wait())  # Back Up Now, without its message
        seconds.append(time.perf_counter() - started)

    backup_gap = longest_gap_during(back_up_now)
    outcome = outcomes[0]
    if outcome.path is None:
        raise BackupBenchError(f"the backup failed: {outcome.error}")
    manifest = read_manifest(outcome.path)
    run_answers(window, collection, clock, 1)  # a change, so that closing backs up again
    closed = []
    close_gap = longest_gap_during(lambda: closed.append(window.close()))
    if closed != [True] or window.backups.running:
        raise BackupBenchError("the window did not close, or closed with its backup unfinished")
    return {
        "tick_ms": TICK_MS,
        "backup_gap_ms": backup_gap,
        "close_gap_ms": close_gap,
        "backup_s": seconds[0],
        "backup_bytes": outcome.path.stat().st_size,
        "copy_bytes": manifest.database_bytes,
        "collection_bytes": collection.path.stat().st_size,
    }
