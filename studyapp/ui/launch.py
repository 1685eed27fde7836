"""Start the window: QApplication, the collection (with a dialog if it cannot open), the window."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from studyapp.paths import resources_dir

if TYPE_CHECKING:
    from studyapp.app import Collection

EXIT_CANNOT_OPEN = 2


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icon.svg"))


def make_application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("StudyApp")
    app.setApplicationDisplayName("StudyApp")
    app.setDesktopFileName("studyapp")
    app.setWindowIcon(app_icon())
    return app


def run_window(data_dir: Path, open_collection: Callable[[Path], Collection]) -> int:
    from studyapp.app import StartupError
    from studyapp.ui.main_window import MainWindow

    app = make_application()
    try:
        collection = open_collection(data_dir)
    except StartupError as error:
        QMessageBox.critical(None, "StudyApp cannot start", str(error))
        print(f"studyapp: {error}", file=sys.stderr)
        return EXIT_CANNOT_OPEN
    try:
        window = MainWindow(collection)
        window.show()
        return app.exec()
    finally:
        collection.database.close()
