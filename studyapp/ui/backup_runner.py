"""Backups off the GUI thread: one at a time in a worker thread, its outcome delivered back in
the GUI thread; a caller that must wait does so with the event loop running, so the window
keeps repainting (a busy dialog appears if the wait is long)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

# A backup quicker than this is waited for without any dialog flashing up.
SHOW_BUSY_AFTER_MS = 400
WATCH_MS = 20  # how often a wait looks at the worker itself


@dataclass(frozen=True)
class BackupOutcome:
    path: Path | None  # the backup written; None if it failed
    error: Exception | None = None


class BackupRunner(QObject):
    """Runs one backup job at a time in a worker thread (the job opens its own connections:
    nothing of SQLite is shared with the GUI thread)."""

    finished = Signal(object)  # BackupOutcome, emitted in the GUI thread
    _done = Signal(object)  # from the worker (its result box); queued to the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._result: list[BackupOutcome] = []  # the running job's outcome, once it has one
        self._last: BackupOutcome | None = None
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        """True from start() until `finished` is emitted (both in the GUI thread)."""
        return self._thread is not None

    def start(self, job: Callable[[], Path]) -> bool:
        """Start job in a worker thread; False (and nothing started) if one is running."""
        if self._thread is not None:
            return False
        result: list[BackupOutcome] = []

        def work() -> None:
            try:
                outcome = BackupOutcome(job())
            except Exception as error:  # delivered to the GUI thread, which says or logs it
                outcome = BackupOutcome(None, error)
            result.append(outcome)
            # RuntimeError: this runner (its window) is gone, and no one is left to tell.
            with contextlib.suppress(RuntimeError):
                self._done.emit(result)

        self._result = result
        # Not a daemon: should the interpreter exit first, it waits for the backup to finish.
        self._thread = threading.Thread(target=work, name="studyapp-backup")
        self._thread.start()
        return True

    @Slot(object)
    def _on_done(self, result: list[BackupOutcome]) -> None:
        if result is self._result and self._thread is not None:  # not delivered by wait()
            self._deliver()

    def _deliver(self) -> None:
        assert self._thread is not None
        self._thread.join()  # it has its outcome: only its last instructions are left
        self._thread = None
        self._last = self._result[0]
        self.finished.emit(self._last)

    def wait(self, parent: QWidget | None, label: str) -> BackupOutcome | None:
        """Wait for the running backup and return its outcome (None if none was started).

        The event loop keeps running (paints, timers); the user's input waits until the
        backup is done, and after SHOW_BUSY_AFTER_MS a busy dialog without a cancel button
        says what is happening. The end is seen by the thread's own state too, so the wait
        cannot outlive the worker even if its queued notice never arrives.
        """
        thread = self._thread
        if thread is None:
            return self._last
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        watch = QTimer()
        watch.setInterval(WATCH_MS)
        watch.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
        watch.start()
        busy = QProgressDialog(label, "", 0, 0, parent)
        busy.setObjectName("backupBusyDialog")
        busy.setWindowTitle("StudyApp")
        busy.setCancelButton(None)
        busy.setWindowModality(Qt.WindowModality.WindowModal)
        busy.setMinimumDuration(SHOW_BUSY_AFTER_MS)
        busy.setValue(0)  # starts the dialog's own timer: it shows only if the wait is long
        try:
            if self._thread is thread:
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            watch.stop()
            self.finished.disconnect(loop.quit)
            busy.reset()
            busy.hide()
            busy.deleteLater()
        if self._thread is thread:  # ended, its notice not yet delivered: deliver it now
            self._deliver()
        return self._last
