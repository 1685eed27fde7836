"""Dialogs for backups and recovery: choose a backup, a damaged database, a check report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class BackupRow:
    path: Path
    created: dt.datetime  # UTC
    reviews: int | None  # None: the backup cannot be read


def local_time_text(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%a %d %b %Y, %H:%M:%S")


class RestoreDialog(QDialog):
    """Lists backups newest first with their date and review count."""

    def __init__(self, rows: list[BackupRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle("Restore from Backup")
        self.resize(560, 420)
        intro = QLabel(
            "Choose a backup to restore. Your collection as it is now is backed up first, "
            "so a restore can itself be undone by restoring that backup.",
            self,
        )
        intro.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setAccessibleName("Backups")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(["Date", "Answers recorded", "File"])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row in rows:
            reviews = "unreadable" if row.reviews is None else str(row.reviews)
            item = QTreeWidgetItem([local_time_text(row.created), reviews, row.path.name])
            item.setData(0, Qt.ItemDataRole.UserRole, str(row.path))
            if row.reviews is None:
                item.setDisabled(True)
            self.table.addTopLevelItem(item)
        for column in range(3):
            self.table.resizeColumnToContents(column)
        first = next(
            (self.table.topLevelItem(i) for i in range(len(rows)) if rows[i].reviews is not None),
            None,
        )
        if first is not None:
            self.table.setCurrentItem(first)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Restore")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.itemDoubleClicked.connect(lambda *_: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.table.setFocus()

    def chosen(self) -> Path | None:
        item = self.table.currentItem()
        if item is None or item.isDisabled():
            return None
        return Path(str(item.data(0, Qt.ItemDataRole.UserRole)))

    @classmethod
    def choose(cls, parent: QWidget | None, rows: list[BackupRow]) -> Path | None:
        dialog = cls(rows, parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


class DamagedChoice(Enum):
    RESTORE = "restore"
    FRESH = "fresh"
    QUIT = "quit"


def ask_about_damaged_database(
    parent: QWidget | None, message: str, backup: BackupRow | None
) -> DamagedChoice:
    """Explain the damage and offer: restore the newest good backup, start fresh, or quit."""
    box = QMessageBox(parent)
    box.setObjectName("damagedDatabaseDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("StudyApp: the database is damaged")
    box.setText("Your StudyApp database is damaged and cannot be opened.")
    kept = (
        "Whatever you choose, the damaged file is kept in the data folder, renamed with "
        "today's date; StudyApp never deletes it."
    )
    box.setInformativeText(f"{message}\n\n{kept}")
    restore = None
    if backup is not None:
        answers = "?" if backup.reviews is None else str(backup.reviews)
        restore = box.addButton(
            f"Restore the backup of {local_time_text(backup.created)} ({answers} answers)",
            QMessageBox.ButtonRole.AcceptRole,
        )
    fresh = box.addButton("Start a fresh database", QMessageBox.ButtonRole.DestructiveRole)
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore or quit_button)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return DamagedChoice.RESTORE
    if clicked is fresh:
        return DamagedChoice.FRESH
    return DamagedChoice.QUIT


def ask_to_retry_locked_database(parent: QWidget | None, message: str) -> bool:
    """Another program holds the database: Retry (True) or Quit. Never a restore: the file
    is sound, only busy."""
    box = QMessageBox(parent)
    box.setObjectName("lockedDatabaseDialog")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("StudyApp: the database is in use")
    box.setText("Another program is using your StudyApp database.")
    box.setInformativeText(message)
    retry = box.addButton("Retry", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)
    box.exec()
    return box.clickedButton() is retry


def ask_to_quit_anyway(parent: QWidget | None, problems: list[str]) -> bool:
    """Say what could not be saved on the way out; True to quit all the same."""
    box = QMessageBox(parent)
    box.setObjectName("closeProblemsDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("StudyApp: not everything was saved")
    box.setText("Your answers and cards are saved in the collection, but this was not saved:")
    box.setInformativeText("\n\n".join(problems))
    quit_button = box.addButton("Quit Anyway", QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton("Stay", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay)
    box.exec()
    return box.clickedButton() is quit_button


class ReportDialog(QDialog):
    """A plain-text report (the database check), selectable and copyable."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(title)
        self.resize(560, 380)
        self.view = QPlainTextEdit(self)
        self.view.setReadOnly(True)
        self.view.setAccessibleName(title)
        self.view.setPlainText(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)

    @classmethod
    def show_report(cls, parent: QWidget | None, title: str, text: str) -> None:
        cls(title, text, parent).exec()
