"""Run the window: one instance per data dir, the collection (recovering a damaged one if the
user wants), the main window, and restores that swap the collection under it."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from studyapp.clock import utc_now
from studyapp.paths import APP_ID, APP_NAME, backup_dir, database_path, resources_dir
from studyapp.storage.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    StorageError,
    is_damage,
    sqlalchemy_error,
)
from studyapp.storage.file_checks import prepare_data_dir
from studyapp.storage.leftovers import clean_leftovers
from studyapp.ui.first_paint import after_first_paint
from studyapp.ui.page_check import PageCheck
from studyapp.ui.single_instance import SingleInstance

if TYPE_CHECKING:
    from studyapp.collection import Collection
    from studyapp.collection.starting import StartingCollection
    from studyapp.ui.main_window import MainWindow

EXIT_CANNOT_OPEN = 2
DAMAGE_RETRY_MS = 250  # how soon damage found behind a dialog or an operation is looked at again
OPEN_UNPAINTED_MS = 1000  # the collection opens behind a window not painted by then
Opener = Callable[[Path], "Collection"]


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icon.svg"))


def make_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    name_application(app)
    return app


def name_application(app: QApplication) -> None:
    """The names docks and menus know StudyApp by: the desktop file name is the menu entry's
    (`studyapp --install-desktop-entry`), so the window is grouped under it."""
    app.setApplicationName(APP_NAME)  # X11 puts it in WM_CLASS: StartupWMClass
    app.setApplicationDisplayName("StudyApp")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())


def run_window(
    data_dir: Path, open_collection: Opener, started: Callable[[], None] | None = None
) -> int:
    """The window's event loop; its exit status. started() is called once the window is
    painted and its collection open (app.py resumes cycle collection then)."""
    from studyapp.ui.error_dialog import install_error_dialog

    controller = AppController(make_application(), data_dir, open_collection, started)
    previous = install_error_dialog(lambda: controller.window)
    try:
        return controller.run()
    finally:
        sys.excepthook = previous


def _fail(message: str) -> int:
    QMessageBox.critical(None, "StudyApp cannot start", message)
    print(f"studyapp: {message}", file=sys.stderr)
    return EXIT_CANNOT_OPEN


class AppController(QObject):
    _opened = Signal(object)  # from the worker thread: the StartingCollection it opened

    def __init__(
        self,
        app: QApplication,
        data_dir: Path,
        opener: Opener,
        started: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._app = app
        self._data_dir = data_dir
        self._opener = opener
        self._started = started  # called once: the window is painted, its collection open
        self._instance: SingleInstance | None = None
        self.collection: Collection | None = None
        self.window: MainWindow | None = None
        self.page_check: PageCheck | None = None  # the open collection's, once its window shows
        self._exit_status = 0  # what run() returns when the event loop ends, if not 0
        self._opened.connect(self._collection_opened, Qt.ConnectionType.QueuedConnection)

    def run(self) -> int:
        try:
            prepare_data_dir(self._data_dir)
        except StorageError as error:
            return _fail(str(error))
        instance = SingleInstance(self._data_dir, self)
        if not instance.acquire():
            if instance.notify_running():
                print(f"studyapp: StudyApp is already running on {self._data_dir}; raised it.")
                return 0
            # Not answered: unless the other one let go while it was asked (then this one
            # starts), it holds the data dir without listening.
            if not instance.acquire():
                return _fail(
                    f"Another StudyApp holds {self._data_dir} but does not answer. If none is "
                    "running, remove the file studyapp.lock in that folder and start again."
                )
        self._instance = instance
        try:
            if not self.show_first_screen():
                instance.listen()  # the main path (a first run, an upgrade): its window is slow
                collection = self.open_collection()
                if collection is None or not self.show_window(collection):
                    return EXIT_CANNOT_OPEN
            status = self._app.exec()
            return self._exit_status or status
        finally:
            if self.collection is not None:
                self.collection.close()
            instance.release()

    def _start_finished(self) -> None:
        """The start went well: the window is painted and its collection open (once)."""
        started, self._started = self._started, None
        if started is not None:
            started()

    def _clean_leftovers(self) -> None:
        # Half-written copies an interrupted backup or restore left: ours alone to remove,
        # as the caller holds the data dir's lock.
        for leftover in clean_leftovers(self._data_dir):
            print(f"studyapp: removed {leftover}, left by an interrupted copy", file=sys.stderr)

    def show_first_screen(self) -> bool:
        """Show the window painted from the first screen's reads, before SQLAlchemy is
        imported; the Collection opens in a worker thread once the panes are painted
        (collection/starting.py). False: this collection is the main path's to open (a first
        run, an upgrade, a journal a crash left, anything unreadable; first_screen.py)."""
        from studyapp.collection.first_screen import FirstScreen
        from studyapp.collection.starting import CollectionUnavailableError, StartingCollection

        self._clean_leftovers()
        first = FirstScreen.open(self._data_dir)
        if first is None:
            return False
        starting = StartingCollection(
            first, lambda: self._opener(self._data_dir), lambda: self._opened.emit(starting)
        )
        try:
            return self.show_window(cast("Collection", starting), starting)
        except (sqlite3.Error, CollectionUnavailableError) as error:
            # The reader could not read it, or a read the window could not do without the
            # collection found it would not open: the main path opens it, and says why.
            print(f"studyapp: the first screen could not be read ({error})", file=sys.stderr)
            if self.window is not None:
                self.window.close_for_restore()
            starting.close()
            self.collection = self.window = None
            return False

    def open_collection(self) -> Collection | None:
        """Open the collection; a damaged one leads to the recovery dialog. None: the user
        was told why it cannot be opened, or chose to quit."""
        from studyapp.collection import StartupError

        self._clean_leftovers()
        while True:
            try:
                return self._opener(self._data_dir)
            except StartupError as error:
                if isinstance(error.__cause__, DatabaseLockedError):
                    from studyapp.ui import backup_dialogs  # dialogs of a start gone wrong

                    if backup_dialogs.ask_to_retry_locked_database(None, str(error)):
                        continue  # the other program may have let go
                    return None
                if isinstance(error.__cause__, CorruptDatabaseError):
                    return self._recover(str(error))
                _fail(str(error))
                return None

    def _recover(self, message: str) -> Collection | None:
        """The database is damaged: offer the newest good backup or a fresh start."""
        from studyapp.storage.backup import review_count
        from studyapp.storage.recovery import newest_good_backup, restore_backup, set_aside
        from studyapp.ui import backup_dialogs

        folder = backup_dir(self._data_dir)
        database = database_path(self._data_dir)
        good = newest_good_backup(folder)
        row = (
            None
            if good is None
            else backup_dialogs.BackupRow(good.path, good.created, review_count(good.path))
        )
        choice = backup_dialogs.ask_about_damaged_database(None, message, row)
        try:
            if choice is backup_dialogs.DamagedChoice.RESTORE and good is not None:
                restore_backup(good.path, database, folder, utc_now())
            elif choice is backup_dialogs.DamagedChoice.FRESH:
                set_aside(database, utc_now())
            else:
                return None
        except StorageError as error:
            _fail(str(error))
            return None
        return self.open_collection()

    def show_window(
        self, collection: Collection, starting: StartingCollection | None = None
    ) -> bool:
        """Build and show the window; a damage found while reading leads to recovery.
        starting: the window's collection is that one, still opening (show_first_screen)."""
        from studyapp.ui.main_window import MainWindow

        self.collection = collection
        try:
            window = MainWindow(collection, opening=starting is not None)
        except sqlalchemy_error("DatabaseError") as error:
            if not is_damage(error):
                raise
            collection.close()
            self.collection = None
            reopened = self._recover(
                f"The database {collection.path} is damaged and cannot be read "
                f"(SQLite says: {getattr(error, 'orig', error)})."
            )
            return reopened is not None and self.show_window(reopened)
        window.restoreRequested.connect(self.restore)
        if self._instance is not None:
            self._instance.raiseRequested.connect(window.bring_to_front)
        self.window = window
        window.show()
        if starting is not None:
            window.show_welcome_once()
            # Once the first frame is painted: the worker's imports would slow its paint. A
            # window not painted by then (started minimised, not exposed yet) opens it anyway.
            # The single-instance socket (QtNetwork) listens at the turn after.
            instance = self._instance

            def painted() -> None:  # each of these does its work once
                starting.open()
                if instance is not None:
                    QTimer.singleShot(0, instance.listen)

            after_first_paint(window, painted)
            QTimer.singleShot(OPEN_UNPAINTED_MS, painted)
            return True
        self._opened_now(collection)
        window.show_welcome_once()
        if self._instance is not None:
            self._instance.listen()  # (it does already, unless a recovery brought this window)
        after_first_paint(window, self._start_finished)
        QTimer.singleShot(OPEN_UNPAINTED_MS, self._start_finished)
        return True

    def _opened_now(self, collection: Collection) -> None:
        """The collection is open: what opening found, then the page check."""
        for warning in collection.warnings:  # a damaged journal of the last session, say
            print(f"studyapp: warning: {warning}", file=sys.stderr)
            QMessageBox.warning(self.window, "StudyApp: your last session", warning)
        if self.window is not None:
            self.window.collection_opened()
        self._check_pages(collection)

    def _collection_opened(self, starting: StartingCollection) -> None:
        """The worker thread has opened the collection behind the first screen (or failed)."""
        collection = cast("Collection", starting)
        if collection is not self.collection or self.window is None:
            return  # closed already
        if starting.error is None:
            self._opened_now(collection)
            self._start_finished()  # (the worker began after the first paint, or without one)
            return
        # What the reader could read, the main path could not open (damage its probe found,
        # a lock): close the window and open the collection as a start does, with its
        # messages and dialogs (recovery, retry).
        self._replace_window(collection, None)

    def _check_pages(self, collection: Collection) -> None:
        """SQLite's page check, in a worker thread now that the window shows (the opener may
        have left it out: `Collection.open(..., check_pages=False)`)."""
        check = PageCheck(collection.path, self)
        check.damaged.connect(lambda message: self._damage_found(collection, message))
        self.page_check = check
        check.start()

    def _damage_found(self, collection: Collection, message: str) -> None:
        """The page check found damage: close the window (no backup of a damaged file) and
        offer the recovery dialog, as damage found while opening does."""
        self._replace_window(collection, message)

    def _replace_window(self, collection: Collection, damage: str | None) -> None:
        """Close the window and its collection, then open the collection again: through the
        recovery dialog if `damage` says it is damaged, else as a start does."""
        window = self.window
        if collection is not self.collection or window is None:
            return  # that collection is closed already (a restore swapped it)
        if QApplication.activeModalWidget() is not None or window.operations.busy:
            # A dialog is open, or an operation is under way in a nested event loop (its
            # progress): closing the collection under it could let it write to a file the
            # recovery moves. The damage is dealt with once that is over.
            QTimer.singleShot(DAMAGE_RETRY_MS, lambda: self._replace_window(collection, damage))
            return
        if damage is not None:
            print(f"studyapp: {damage}", file=sys.stderr)
        quit_on_close = self._app.quitOnLastWindowClosed()
        self._app.setQuitOnLastWindowClosed(False)
        try:
            if self._instance is not None:
                self._instance.raiseRequested.disconnect(window.bring_to_front)
            window.close_for_restore()
            collection.close()
            self.collection = self.window = None
            reopened = self._recover(damage) if damage is not None else self.open_collection()
            if reopened is None or not self.show_window(reopened):
                self._exit_status = EXIT_CANNOT_OPEN  # as when damage found at start ends it
                self._app.quit()
        finally:
            self._app.setQuitOnLastWindowClosed(quit_on_close)

    def restore(self, backup: Path) -> None:
        """Swap the collection for a backup: close it, restore (backing up first), reopen."""
        from studyapp.storage.recovery import restore_backup

        old_window, old = self.window, self.collection
        if old_window is None or old is None:
            return
        quit_on_close = self._app.quitOnLastWindowClosed()
        self._app.setQuitOnLastWindowClosed(False)
        try:
            if self._instance is not None:
                self._instance.raiseRequested.disconnect(old_window.bring_to_front)
            old_window.close_for_restore()
            old.close()
            self.collection = None
            try:
                result = restore_backup(
                    backup, database_path(self._data_dir), backup_dir(self._data_dir), utc_now()
                )
                done = f"Restored {backup.name}." + (
                    f" Your collection from before the restore is in {result.safety_backup.name}."
                    if result.safety_backup is not None
                    else ""
                )
            except StorageError as error:
                QMessageBox.warning(None, "Restore failed", str(error))
                done = "The restore failed; your collection is as it was."
            reopened = self.open_collection()
            if reopened is None or not self.show_window(reopened):
                self._app.quit()
                return
            if self.window is not None:
                self.window.statusBar().showMessage(done, 20_000)
        finally:
            self._app.setQuitOnLastWindowClosed(quit_on_close)
