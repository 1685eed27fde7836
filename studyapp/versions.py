"""The versions a bug report needs: StudyApp, Python, Qt (and PySide6), SQLite, the system.

Qt's version comes from QtCore alone (no widgets), so `studyapp --version` stays quick and works
where no window could open.
"""

from __future__ import annotations

import platform
import sqlite3

from studyapp import __version__


def qt_versions() -> str:
    """ "6.11.3 (PySide6 6.11.3)": the Qt library in use and its Python binding."""
    try:
        import PySide6
        from PySide6.QtCore import qVersion
    except ImportError as error:  # a broken install is what a bug report must show
        return f"not available ({error})"
    return f"{qVersion()} (PySide6 {PySide6.__version__})"


def version_lines() -> list[str]:
    return [
        f"StudyApp {__version__}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"Qt {qt_versions()}",
        f"SQLite {sqlite3.sqlite_version}",
        f"System {platform.platform()}",
    ]
