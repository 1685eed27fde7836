"""An uncaught error in a slot is logged and shown with its details, which can be copied."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from studyapp.ui.error_dialog import ErrorDialog, describe, install_error_dialog


class Emitter(QObject):
    fired = Signal()


def _fail() -> None:
    raise RuntimeError("the timeline could not be drawn")


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[ErrorDialog]]:
    """Dialogs the hook opened, recorded instead of run modally; the hook removed after."""
    dialogs: list[ErrorDialog] = []
    monkeypatch.setattr(ErrorDialog, "exec", lambda self: dialogs.append(self) or 0)
    previous = sys.excepthook
    yield dialogs
    sys.excepthook = previous


def test_an_error_in_a_slot_opens_the_dialog_and_is_logged(
    qtbot: QtBot, shown: list[ErrorDialog], caplog: pytest.LogCaptureFixture
) -> None:
    before = sys.excepthook
    assert install_error_dialog(lambda: None) is before
    emitter = Emitter()
    emitter.fired.connect(_fail)
    with caplog.at_level(logging.ERROR, logger="studyapp"):
        emitter.fired.emit()
    assert len(shown) == 1
    dialog = shown[0]
    qtbot.addWidget(dialog)
    assert "RuntimeError: the timeline could not be drawn" in dialog.message_label.text()
    assert "Your collection is safe" in dialog.message_label.text()
    details = dialog.details.toPlainText()
    assert "Traceback" in details and "_fail" in details and "StudyApp " in details
    assert "the timeline could not be drawn" in caplog.text


def test_copy_details_puts_the_details_on_the_clipboard(qtbot: QtBot) -> None:
    try:
        _fail()
    except RuntimeError as error:
        message, details = describe(type(error), error, error.__traceback__)
    dialog = ErrorDialog(message, details)
    qtbot.addWidget(dialog)
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    clipboard.clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == details and "line" in details
    assert dialog.copy_button.text() == "Copied"
