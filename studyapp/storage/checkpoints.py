"""The write-ahead log copied back into the database by a thread of its own, not by an answer.

SQLite checkpoints (copies the WAL's pages into the database file and syncs it) inside the
commit that takes the WAL past 1,000 pages. On the GUI thread that commit is an answer's: at
50,000 cards one answer in ten paid 15-100 ms for it. Here a thread checkpoints shortly after
each write instead, PASSIVE (it never waits for a reader or a writer, nor makes one wait): the
WAL stays short and SQLite's own checkpoint is left as the backstop of a long burst of writes.
A checkpoint changes nothing a reader sees and is safe to interrupt: a crash in one leaves
the WAL to finish it at the next opening.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError

from studyapp.storage.engine import WRITE_OPTION

log = logging.getLogger(__name__)

AFTER_WRITE_S = 0.25  # writes this close together share one checkpoint


class Checkpoints:
    """Checkpoints `engine`'s database AFTER_WRITE_S after each committed write."""

    def __init__(self, engine: Engine, after_write_s: float = AFTER_WRITE_S) -> None:
        self._engine = engine
        self._after_write_s = after_write_s
        self._wanted = threading.Event()
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.done = 0  # checkpoints run (for tests and the bench)
        event.listen(engine, "commit", self._on_commit)

    def _on_commit(self, connection: Any) -> None:
        if connection.get_execution_options().get(WRITE_OPTION, False):
            self.wrote()

    def wrote(self) -> None:
        """A write is being committed: checkpoint soon (the thread starts with the first)."""
        with self._lock:
            if self._closing.is_set():
                return
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="studyapp-checkpoints", daemon=True
                )
                self._thread.start()
        self._wanted.set()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            # The commit that asked is still finishing, and more writes may follow it.
            if self._closing.wait(self._after_write_s):
                return
            self._wanted.clear()
            if self._closing.is_set():  # close() may have set _wanted just before the clear
                return
            self.checkpoint()

    def checkpoint(self) -> None:
        """One PASSIVE checkpoint on a connection of its own; a failure is only logged (the
        pages stay in the WAL, as safe there, for the next checkpoint)."""
        try:
            connection = self._engine.raw_connection()
        except (DBAPIError, sqlite3.Error) as error:
            log.info("no checkpoint: cannot connect (%s)", error)
            return
        try:
            # Outside any transaction (the module's autocommit): a checkpoint cannot run in one.
            driver = connection.driver_connection
            assert driver is not None  # a checked-out connection has one
            driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.done += 1
        except sqlite3.Error as error:
            log.info("checkpoint failed, left for the next one: %s", error)
        finally:
            connection.close()

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
