"""Backups while the window runs: on close and every 30 minutes after a change; File and Tools
menu actions for backing up, restoring and checking the database. Every backup is written in
a worker thread (backup_runner.py): the periodic one in the background, the others waited
for with the event loop running, so the window never freezes."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from studyapp.storage.errors import StorageError, sqlalchemy_error
from studyapp.ui.backup_runner import BackupOutcome, BackupRunner

if TYPE_CHECKING:
    from studyapp.ui.operations import Operations

log = logging.getLogger(__name__)

AUTO_BACKUP_INTERVAL_MS = 30 * 60 * 1000
WRITING = "Writing a backup of your collection…"
WRITING_ON_CLOSE = "Writing a backup of your collection before closing…"


class BackupActions(QObject):
    restoreRequested = Signal(object)  # the backup's Path, after the user confirmed
    backupFinished = Signal(object)  # BackupOutcome of every backup, whoever started it

    def __init__(self, window: QWidget, operations: Operations) -> None:
        super().__init__(window)
        self._window = window
        self._operations = operations
        self._collection = operations.collection
        self._changed = False
        self._runner = BackupRunner(self)
        self._runner.finished.connect(self._on_finished)
        self.backup_now_action = QAction("&Back Up Now", window)
        self.backup_now_action.triggered.connect(self.back_up_now)
        self.restore_action = QAction("&Restore from Backup…", window)
        self.restore_action.triggered.connect(self.restore)
        self.check_action = QAction("&Check Database", window)
        self.check_action.triggered.connect(self.check)
        self.timer = QTimer(self)
        self.timer.setInterval(AUTO_BACKUP_INTERVAL_MS)
        self.timer.timeout.connect(self.auto_backup)
        self.timer.start()

    @property
    def folder(self) -> Path:
        return self._collection.backup_dir

    @property
    def running(self) -> bool:
        """A backup is being written in the background."""
        return self._runner.running

    def mark_changed(self) -> None:
        self._changed = True

    def _start(self) -> bool:
        """Start a backup in the worker; changes from now on are the next one's."""
        started = self._runner.start(self._collection.backup)
        if started:
            self._changed = False
        return started

    def _on_finished(self, outcome: BackupOutcome) -> None:
        if outcome.error is not None:
            self._changed = True  # what it should have kept is still to be backed up
            log.warning("a backup to %s failed: %s", self.folder, outcome.error)
        else:
            log.info("backed up to %s", outcome.path)
        self.backupFinished.emit(outcome)

    def auto_backup(self) -> bool:
        """The periodic backup, in the background: only if something changed since the last
        one, and none is running. True if one was started; its outcome is logged."""
        if not self._changed:
            return False
        return self._start()

    def wait_for_running(self, label: str = WRITING) -> BackupOutcome | None:
        """Wait (the window repainting) for a backup being written; None if there is none."""
        if not self._runner.running:
            return None
        return self._runner.wait(self._window, label)

    def back_up_and_wait(self, label: str = WRITING) -> BackupOutcome:
        """A backup of the collection as it is now, waited for with the event loop running.
        One already being written is waited for first, and is enough if nothing changed
        since it started: never two at once, never the same one twice."""
        earlier = self.wait_for_running(label)
        if earlier is not None and earlier.error is None and not self._changed:
            return earlier
        self._start()
        outcome = self._runner.wait(self._window, label)
        assert outcome is not None
        return outcome

    def on_close(self) -> str | None:
        """The backup on close: if anything changed since the newest backup (this session, or
        answers of a session that crashed before its backup), or if there is none yet. A
        backup still being written is waited for. None when it is written or not needed; else
        what went wrong, for the user."""
        from studyapp.storage.backup import list_backups  # (not at start-up: zipfile and all)

        self.wait_for_running(WRITING_ON_CLOSE)
        backups = list_backups(self.folder)
        if not self._changed and backups and not self._ahead_of(backups[0].path):
            return None
        outcome = self.back_up_and_wait(WRITING_ON_CLOSE)
        if outcome.error is not None:
            return f"StudyApp could not write its backup to {self.folder}: {outcome.error}."
        return None

    def _ahead_of(self, backup: Path) -> bool:
        """True if the collection holds answers the backup lacks (compared by last review id)."""
        from studyapp.storage.backup import last_review_id

        return self._collection.last_review_id() != last_review_id(backup)

    def back_up_now(self) -> None:
        outcome = self.back_up_and_wait()
        if outcome.error is not None:
            QMessageBox.warning(
                self._window,
                "Backup failed",
                f"StudyApp could not write a backup to {self.folder}: {outcome.error}. "
                "Your collection is unchanged; earlier backups are untouched.",
            )
            return
        QMessageBox.information(self._window, "Backed up", f"Backup written to {outcome.path}.")

    def restore(self) -> None:
        from studyapp.storage.backup import list_backups, review_count
        from studyapp.ui.backup_dialogs import BackupRow, RestoreDialog, local_time_text

        rows = [
            BackupRow(info.path, info.created, review_count(info.path))
            for info in list_backups(self.folder)
        ]
        if not rows:
            QMessageBox.information(
                self._window, "No backups", f"There are no backups in {self.folder} yet."
            )
            return
        chosen = RestoreDialog.choose(self._window, rows)
        if chosen is None:
            return
        row = next(row for row in rows if row.path == chosen)
        answer = QMessageBox.question(
            self._window,
            "Restore from backup",
            f"Replace your collection with the backup of {local_time_text(row.created)}? "
            "Your collection as it is now is backed up first.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restoreRequested.emit(chosen)

    def check(self) -> None:
        from studyapp.ui.backup_dialogs import ReportDialog

        try:
            lines = self._check_and_repair()
        except (sqlalchemy_error(), sqlite3.Error, StorageError) as error:
            lines = [
                f"The check could not finish: {error}.",
                "",
                "Nothing was repaired. If this keeps happening, use File > Restore from Backup.",
            ]
        ReportDialog.show_report(self._window, "Check Database", "\n".join(lines))

    def _check_and_repair(self) -> list[str]:
        report = self._collection.check()
        lines = [*report.lines()]
        if report.ok:
            lines.append("")
            lines.append("No problems found.")
        else:
            repairs, changes = self._collection.repair()
            if repairs:
                lines.append("")
                lines.append("Repaired:")
                lines += [f"  {r.card_id}: {r.reason}; {r.action}" for r in repairs]
                self._operations.announce(changes)
            after = self._collection.check()
            lines.append("")
            lines.append(
                "After repair the database is sound."
                if after.ok
                else f"Still wrong: {after.lines()[-1]}. Consider File > Restore from Backup."
            )
        return lines
