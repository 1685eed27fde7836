"""Uncaught errors: logged, and shown in a dialog with the message and a "Copy Details" button,
instead of only a traceback on a terminal the user may not have."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studyapp import __version__
from studyapp.collection.starting import CollectionUnavailableError

log = logging.getLogger("studyapp")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class ErrorDialog(QDialog):
    """An error's message, its details (selectable) and a button that copies them."""

    def __init__(self, message: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle("StudyApp: something went wrong")
        self.message_label = QLabel(
            f"{message}\n\nYour collection is safe: every answer was saved when you gave it. "
            "If this keeps happening, copy the details and keep them with a note of what you did.",
            self,
        )
        self.message_label.setWordWrap(True)
        self.details = QPlainTextEdit(details, self)
        self.details.setObjectName("errorDetails")
        self.details.setAccessibleName("Error details")
        self.details.setReadOnly(True)
        self.details.setMinimumSize(520, 180)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy Details", self)
        self.copy_button.setObjectName("copyDetails")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.details.toPlainText())
        self.copy_button.setText("Copied")


def describe(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> tuple[str, str]:
    """(a one-line message, the details to copy) for an uncaught exception."""
    message = f"{kind.__name__}: {error}" if str(error) else kind.__name__
    details = f"StudyApp {__version__}, Python {sys.version.split()[0]}\n" + "".join(
        traceback.format_exception(kind, error, trace)
    )
    return message, details


def install_error_dialog(parent: Callable[[], QWidget | None]) -> ExceptHook:
    """Route uncaught exceptions (in slots and event handlers too) to the log and a dialog.

    Returns the previous hook. A second error while the dialog is up is only logged.
    """
    previous = sys.excepthook
    showing = False

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, trace)
            return
        if issubclass(kind, CollectionUnavailableError):
            # The collection behind the first screen did not open: the window is being
            # replaced, and the start's own dialog (recovery, retry) says why.
            log.warning("the collection is not open: %s", error)
            return
        log.error("uncaught error", exc_info=(kind, error, trace))
        if showing:
            return
        message, details = describe(kind, error, trace)
        showing = True
        try:
            ErrorDialog(message, details, parent()).exec()
        finally:
            showing = False

    sys.excepthook = hook
    return previous
