"""File > Export and File > Import: Anki packages and CSV files, through the interop package.

An export only reads; an import is one operation run through Operations, so every pane
shows its cards at once and Edit > Undo Import takes them all back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from studyapp.collection import CardOperationError

if TYPE_CHECKING:
    from studyapp.collection import Changes, Collection
    from studyapp.interop.csv_import import ImportSummary
    from studyapp.ui.operations import Operations

# The dialogs and the interop code are imported when a menu item is chosen, not at start-up.
EXPORT_FILTERS = {"apkg": "Anki package (*.apkg)", "csv": "CSV file (*.csv)"}
IMPORT_FILTER = "CSV and text files (*.csv *.txt *.tsv);;All files (*)"


def _documents() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder and Path(folder).is_dir() else Path.home()


class InteropActions(QObject):
    def __init__(self, window: QWidget, operations: Operations) -> None:
        super().__init__(window)
        self._window = window
        self._operations = operations
        self._folder: Path | None = None  # where the last file was chosen
        self.export_action = QAction("&Export…", window)
        self.export_action.setObjectName("exportAction")
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))  # Anki's
        self.export_action.triggered.connect(lambda _checked=False: self.export())
        self.import_action = QAction("&Import…", window)
        self.import_action.setObjectName("importAction")
        self.import_action.setShortcut(QKeySequence("Ctrl+Shift+I"))  # Anki's
        self.import_action.triggered.connect(lambda _checked=False: self.import_cards())

    @property
    def _collection(self) -> Collection:
        return self._operations.collection

    def _start_folder(self) -> Path:
        return self._folder or _documents()

    def export(self) -> None:
        from studyapp.collection.export_rows import SelectionError
        from studyapp.collection.importing import Cancelled
        from studyapp.interop.files import InteropError
        from studyapp.ui.interop_dialogs import ExportDialog
        from studyapp.ui.progress import ProgressWindow

        request = ExportDialog.choose(self._window, self._collection.articles())
        if request is None:
            return
        today = dt.date.today().isoformat()
        suggested = self._start_folder() / f"StudyApp {today}.{request.format}"
        chosen, _ = QFileDialog.getSaveFileName(
            self._window, "Export Cards", str(suggested), EXPORT_FILTERS[request.format]
        )
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(f".{request.format}")
        self._folder = path.parent
        from studyapp.interop.exporting import export_file

        progress = ProgressWindow(
            self._window, "Exporting cards…", "The export was cancelled; nothing was written."
        )
        try:
            result = export_file(
                self._collection,
                path,
                request.selection,
                with_progress=request.with_progress,
                progress=progress,
            )
        except Cancelled as error:
            QMessageBox.information(self._window, "Export cancelled", str(error))
            return
        except (InteropError, SelectionError, CardOperationError) as error:
            QMessageBox.warning(self._window, "Export failed", str(error))
            return
        finally:
            progress.close()
        QMessageBox.information(self._window, "Exported", result.summary())

    def import_cards(self) -> ImportSummary | None:
        from studyapp.interop.files import InteropError
        from studyapp.ui.backup_dialogs import ReportDialog
        from studyapp.ui.interop_dialogs import ImportDialog
        from studyapp.ui.progress import ProgressWindow

        chosen, _ = QFileDialog.getOpenFileName(
            self._window, "Import Cards", str(self._start_folder()), IMPORT_FILTER
        )
        if not chosen:
            return None
        path = Path(chosen)
        self._folder = path.parent
        target = ImportDialog.choose(self._window, path.name, self._collection.articles())
        if target is None:
            return None
        cancelled = "The import was cancelled; nothing was imported."
        progress = ProgressWindow(self._window, f"Importing {path.name}…", cancelled)
        from studyapp.interop.csv_import import import_file

        summaries: list[ImportSummary] = []

        def run(collection: Collection) -> Changes | None:
            summary = import_file(collection, path, target.article_id, progress=progress)
            summaries.append(summary)
            return summary.changes

        try:
            self._operations.run(run, parent=self._window)
        except InteropError as error:
            QMessageBox.warning(self._window, "Import failed", str(error))
            return None
        finally:
            progress.close()
        if not summaries:
            return None  # Operations told the learner why
        ReportDialog.show_report(self._window, "Import Cards", "\n".join(summaries[0].lines()))
        return summaries[0]
