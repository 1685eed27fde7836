"""The one change signal: every change the UI makes runs here and is announced to every pane.

Like Anki's CollectionOp and operation_did_execute: a pane runs an operation through
Operations.run(); a failure becomes a message (nothing was changed); success emits
changed(changes, initiator), and each pane refreshes what the Changes' flags say it shows.
The initiator is the object that ran it, so a pane can skip what it has already redrawn.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from studyapp.collection import CardOperationError
from studyapp.storage.errors import StorageError

if TYPE_CHECKING:  # the collection's values load behind the first paint (collection/starting.py)
    from studyapp.collection import Changes, Collection

log = logging.getLogger(__name__)

C = TypeVar("C", bound="Changes")


class Operations(QObject):
    """Runs operations on the collection and announces what they changed."""

    changed = Signal(object, object)  # (Changes, the initiator or None)

    def __init__(self, collection: Collection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._collection = collection
        self._running = 0  # operations under way (nested: an operation's progress runs events)

    @property
    def collection(self) -> Collection:
        return self._collection

    def run(
        self,
        operation: Callable[[Collection], C | None],
        *,
        parent: QWidget | None,
        initiator: object | None = None,
    ) -> C | None:
        """Run one operation; its Changes (announced), or None if it could not be done (the
        user was told why) or there was nothing to do."""
        self._running += 1
        try:
            changes = operation(self._collection)
        except StorageError as error:
            QMessageBox.warning(parent, "StudyApp could not save", str(error))
            return None
        except CardOperationError as error:
            QMessageBox.information(parent, "Not done", str(error))
            return None
        finally:
            self._running -= 1
        self.announce(changes, initiator)
        return changes

    @property
    def busy(self) -> bool:
        """True while an operation runs (one with progress lets the event loop run meanwhile:
        nothing may close the collection under it)."""
        return self._running > 0

    def undo(self, *, parent: QWidget | None, initiator: object | None = None) -> Changes | None:
        """Undo the collection's last undoable operation, if any."""
        if not self._collection.can_undo():
            return None

        def undo(collection: Collection) -> Changes:
            undone = collection.undo()
            assert undone is not None
            return undone

        return self.run(undo, parent=parent, initiator=initiator)

    def announce(self, changes: Changes | None, initiator: object | None = None) -> None:
        """Tell every pane about changes made outside run() (a repair, a pack install)."""
        if changes is not None:
            self.changed.emit(changes, initiator)
