"""Backups while the window runs: on close and every 30 minutes after a change; File and Tools
menu actions for backing up, restoring and checking the database."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError

from studyapp.storage.backup import last_review_id, list_backups, review_count
from studyapp.storage.errors import StorageError
from studyapp.ui.backup_dialogs import BackupRow, ReportDialog, RestoreDialog, local_time_text
from studyapp.ui.operations import Operations

log = logging.getLogger(__name__)

AUTO_BACKUP_INTERVAL_MS = 30 * 60 * 1000


class BackupActions(QObject):
    restoreRequested = Signal(object)  # the backup's Path, after the user confirmed

    def __init__(self, window: QWidget, operations: Operations) -> None:
        super().__init__(window)
        self._window = window
        self._operations = operations
        self._collection = operations.collection
        self._changed = False
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

    def mark_changed(self) -> None:
        self._changed = True

    def back_up(self) -> Path:
        """Write a backup now and prune old ones; raises OSError/sqlite3.Error on failure."""
        path = self._collection.backup()
        self._changed = False
        return path

    def auto_backup(self) -> Path | None:
        """The periodic backup: only if something changed since the last one."""
        if not self._changed:
            return None
        return self._quiet_backup()

    def on_close(self) -> str | None:
        """The backup on close: if anything changed since the newest backup (this session, or
        answers of a session that crashed before its backup), or if there is none yet.
        None when it is written or not needed; else what went wrong, for the user."""
        backups = list_backups(self.folder)
        if not self._changed and backups and not self._ahead_of(backups[0].path):
            return None
        try:
            self.back_up()
        except (OSError, sqlite3.Error, StorageError) as error:
            log.warning("the backup on close failed: %s", error)
            return f"StudyApp could not write its backup to {self.folder}: {error}."
        return None

    def _ahead_of(self, backup: Path) -> bool:
        """True if the collection holds answers the backup lacks (compared by last review id)."""
        return self._collection.last_review_id() != last_review_id(backup)

    def _quiet_backup(self) -> Path | None:
        try:
            return self.back_up()
        except Exception as error:  # a failed automatic backup must not stop the user
            log.warning("automatic backup failed: %s", error)
            return None

    def back_up_now(self) -> None:
        try:
            path = self.back_up()
        except Exception as error:
            QMessageBox.warning(
                self._window,
                "Backup failed",
                f"StudyApp could not write a backup to {self.folder}: {error}. "
                "Your collection is unchanged; earlier backups are untouched.",
            )
            return
        QMessageBox.information(self._window, "Backed up", f"Backup written to {path}.")

    def restore(self) -> None:
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
        try:
            lines = self._check_and_repair()
        except (SQLAlchemyError, sqlite3.Error, StorageError) as error:
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
