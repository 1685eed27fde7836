"""The write-ahead log copied back into the database by a thread of its own, not by an answer.

SQLite checkpoints (copies the WAL's pages into the database file and syncs it) inside the
commit that takes the WAL past 1,000 pages. On the GUI thread that commit is an answer's: at
50,000 cards one answer in ten paid 15-120 ms for it. Here a thread checkpoints shortly after
each write instead, PASSIVE (it never waits for a reader or a writer, nor makes one wait): the
WAL stays short and SQLite's own checkpoint is left as the backstop of a long burst of writes.
A checkpoint changes nothing a reader sees and is safe to interrupt: a crash in one leaves
the WAL to finish it at the next opening.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import Engine, event

from studyapp.storage.engine import WRITE_OPTION

log = logging.getLogger(__name__)

AFTER_WRITE_S = 0.25  # writes this close together share one checkpoint
# A checkpoint that could not copy the whole WAL (a reader still used part of it, or the commit
# that asked had not finished) is tried again after twice as long, up to this long.
RETRY_UP_TO_S = 4.0
IDLE_S = 30.0  # the thread ends after this long without a write (a write starts it again)


class Checkpoints:
    """Checkpoints `engine`'s database AFTER_WRITE_S after each committed write."""

    def __init__(self, engine: Engine, after_write_s: float = AFTER_WRITE_S) -> None:
        self._engine = engine
        self._after_write_s = after_write_s
        self._wanted = threading.Event()
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.done = 0  # checkpoints that copied the whole WAL (the tests read it)
        event.listen(engine, "commit", self._on_commit)

    def _on_commit(self, connection: Any) -> None:
        # (SQLAlchemy calls this just before the commit: the thread waits after_write_s.)
        if connection.get_execution_options().get(WRITE_OPTION, False):
            self.wrote()

    def wrote(self) -> None:
        """A write is being committed: checkpoint soon (the thread starts with the first)."""
        with self._lock:
            if self._closing.is_set():
                return
            self._wanted.set()  # under the lock: an idle thread ending sees it, or is replaced
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="studyapp-checkpoints", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        delay = self._after_write_s
        while True:
            if not self._wanted.wait(IDLE_S):
                with self._lock:
                    if not self._wanted.is_set():
                        self._thread = None
                        return
            # The commit that asked is still finishing, and more writes may follow it.
            if self._closing.wait(delay):
                return
            self._wanted.clear()
            if self._closing.is_set():  # close() may have set _wanted just before the clear
                return
            if self.checkpoint():
                delay = self._after_write_s
            elif delay < RETRY_UP_TO_S:
                delay *= 2
                self._wanted.set()  # again, a little later
            else:
                delay = self._after_write_s  # left to the next write's checkpoint

    def checkpoint(self) -> bool:
        """One PASSIVE checkpoint on a connection of its own; whether it copied the whole WAL.
        A failure is only logged: the pages stay in the WAL, as safe there, for the next one."""
        try:
            connection = self._engine.raw_connection()
            try:
                # Outside any transaction (the module's autocommit): a checkpoint cannot run in
                # one. The row: (1 if it had to stop short, frames in the WAL, frames copied).
                driver = connection.driver_connection
                assert driver is not None  # a checked-out connection has one
                busy, frames, copied = driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            finally:
                connection.close()
        except Exception as error:  # the thread must live on: logged, tried again later
            log.info("checkpoint failed, left for the next one: %s", error)
            return False
        whole = not busy and copied == frames
        if whole:
            self.done += 1
        return whole

    def close(self) -> None:
        """Stop the thread (after the checkpoint under way, if any); no more are run."""
        with self._lock:
            self._closing.set()
            thread = self._thread
        self._wanted.set()
        if thread is not None:
            thread.join()
        if event.contains(self._engine, "commit", self._on_commit):
            event.remove(self._engine, "commit", self._on_commit)
