"""The Statistics window and the workload plot. Their chart library (pyqtgraph, with numpy)
loads when one of them first opens: this package's __init__ imports neither."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from studyapp.collection import Collection

log = logging.getLogger(__name__)


def open_statistics(parent: QWidget, collection: Collection) -> None:
    """Open Study > Statistics over `parent`. The figures are read on a worker thread while
    the window's modules import and its charts are built here: SQLite lets go of the GIL while
    it works."""
    from concurrent.futures import ThreadPoolExecutor

    import studyapp.collection.statistics  # noqa: F401 - imported before the thread uses it

    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(collection.statistics)
        from studyapp.ui.stats.window import StatisticsWindow

        window = StatisticsWindow.find_or_build(parent, collection)
        try:
            statistics = reading.result()
        except SQLAlchemyError as error:
            log.warning("could not read the statistics: %s", error)
            QMessageBox.warning(parent, "Statistics", f"The statistics could not be read: {error}")
            return
    window.present(statistics)
