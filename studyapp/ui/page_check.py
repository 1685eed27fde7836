"""SQLite's page check of the open collection in a worker thread, started once the window
shows: the start does not wait for it (about 2.5 ms a MB here from the page cache, 0.4 s for a
148 MB collection, seconds when the file is read from disk first), and damage it finds reaches
the GUI thread as a signal, which leads to the recovery dialog as damage found at start does."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot

from studyapp.storage.file_checks import page_damage


class PageCheck(QObject):
    """One check of one database file; `damaged(message)` is emitted in the GUI thread if it
    finds damage, `finished()` after it either way."""

    damaged = Signal(str)
    finished = Signal()
    _found = Signal(object)  # from the worker: the message or None; queued to the GUI thread

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._thread: threading.Thread | None = None
        self._found.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        def work() -> None:
            message = page_damage(self.path)
            # RuntimeError: the check's owner is gone (the window closed), no one to tell.
            with contextlib.suppress(RuntimeError):
                self._found.emit(message)

        # A daemon: it only reads, so quitting need not wait for it.
        self._thread = threading.Thread(target=work, name="studyapp-page-check", daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @Slot(object)
    def _deliver(self, message: str | None) -> None:
        if message is not None:
            self.damaged.emit(message)
        self.finished.emit()
