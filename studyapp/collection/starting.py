"""The collection while it opens: the window is built on this, painted from the first screen's
reads (collection/first_screen.py), and from then on everything is the Collection's, opened in
a worker thread while the learner looks at the first screen.

What the first paint reads comes from the reader until the Collection is open, and from the
Collection after. Anything else (an answer, an edit, a backup) is the Collection's: asked for
before it is open, it waits for it. No SQLAlchemy here: the Collection's module is imported by
the worker thread.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from studyapp.storage.errors import StorageError

if TYPE_CHECKING:
    from studyapp.collection.collection import Collection
    from studyapp.collection.first_screen import FirstScreen

log = logging.getLogger("studyapp")

# The first screen's reads: FirstScreen has each, with the Collection's meaning.
FIRST_SCREEN_READS = frozenset(
    {
        "data_dir",
        "path",
        "backup_dir",
        "articles",
        "article_view",
        "timeline",
        "settings",
        "study_article",
        "day",
        "study_next",
        "next_card",
        "counts",
        "undo_label",
        "tz",
        "clock",
    }
)


class CollectionUnavailableError(StorageError):
    """The collection could not be opened after the first screen showed; str() says why. The
    window is replaced then (ui/launch.py), and the start's dialogs say what went wrong: a use
    of the window that met this in between is not reported again (ui/error_dialog.py)."""


class StartingCollection:
    """Stands for the Collection from the window's first paint on; `open()` opens the real one
    in a worker thread, and `opened()` is called in that thread once it is open or has failed
    (`error` says which), whoever started it: open(), or a use that could not wait."""

    def __init__(
        self,
        first: FirstScreen,
        opener: Callable[[], Collection],
        opened: Callable[[], None] = lambda: None,
    ) -> None:
        self._first: FirstScreen | None = first
        self._opener = opener
        self._opened = opened
        self._collection: Collection | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False

    def open(self) -> None:
        """Open the Collection in a worker thread (once; not once closed)."""
        with self._lock:
            if self._thread is not None or self._closed:
                return

            def work() -> None:
                # No cycle collection while the modules load: a full one, over everything
                # Qt and the imports have made, holds the GIL (and the window's event loop)
                # for 30-50 ms. After, what start-up made is frozen out of later collections.
                collecting = gc.isenabled()
                gc.disable()
                try:
                    self._collection = self._opener()
                except BaseException as error:  # handed to the GUI thread: see `error`
                    self._error = error
                finally:
                    if collecting:
                        if self._error is None:
                            gc.freeze()
                        gc.enable()
                self._opened()

            self._thread = threading.Thread(target=work, name="studyapp-open", daemon=True)
            self._thread.start()

    @property
    def is_open(self) -> bool:
        return self._collection is not None

    @property
    def error(self) -> BaseException | None:
        """Why the Collection could not be opened (StartupError from Collection.open)."""
        return self._error

    def collection(self) -> Collection:
        """The Collection, opened now (waiting for the worker thread if it is under way);
        CollectionUnavailableError if it cannot be opened."""
        if self._collection is None:
            self.open()
            if self._thread is None:  # closed before it was ever opened
                raise CollectionUnavailableError("the collection was closed")
            self._thread.join()
        if self._collection is None:
            raise CollectionUnavailableError(str(self._error)) from self._error
        if self._first is not None:
            offered = self._first.card_offered()
            if offered is not None:  # on screen: the Collection's queue keeps it, as its own
                self._collection.keep_shown(offered.id)
            self._first.close()  # the Collection reads everything from now on
            self._first = None
        return self._collection

    def close(self) -> None:
        """Close whichever is open (waiting for an opening under way, so it is closed too).
        The reader first: the Collection's connections are then the last, and closing them
        leaves no journal behind."""
        with self._lock:
            self._closed = True
        if self._thread is not None:
            self._thread.join()
        if self._first is not None:
            self._first.close()
            self._first = None
        if self._collection is not None:
            self._collection.close()

    def __getattr__(self, name: str) -> Any:
        # Only for names not defined on this class: the first screen's reads from the reader
        # until the Collection is open, everything else from the Collection.
        if name.startswith("_"):
            raise AttributeError(name)
        if self._collection is None and self._first is not None and name in FIRST_SCREEN_READS:
            return getattr(self._first, name)
        return getattr(self.collection(), name)
