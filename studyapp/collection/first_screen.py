"""The first screen, read before SQLAlchemy is imported: the window paints the article, the
timeline and the first card from these reads, and the Collection (SQLAlchemy, the ORM, fsrs)
loads after that, in a worker thread (collection/starting.py).

The reader only reads (SQLite's read-only mode), and it reads through the very functions the
Collection reads with: storage/pane_reads.py and study/queue_reads.py take a `Rows` callable,
the Collection's SQLAlchemy connection there and this sqlite3 connection here
(tests/collection/test_first_screen.py compares the two). It is used only for a collection the
main path would open without writing: none of the cases below, each of which the main path
opens as before (and explains, if it must):

- no database yet, or an empty file (the first run creates and seeds it);
- a journal (-wal) left with content by a crash, which the main path keeps a copy of first;
- a schema revision other than this version's (an upgrade, or a newer StudyApp's file);
- a built-in pack older than the one shipped (the update is written at opening);
- anything SQLite cannot read (damage gets the main path's messages and recovery).
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from studyapp.clock import utc_now
from studyapp.paths import backup_dir, database_path, dataset_path
from studyapp.storage.files import connect_readonly
from studyapp.storage.pane_reads import load_article_view, load_timeline, shown_articles
from studyapp.storage.pane_values import ArticleEntry, ArticleView, TimelineItem
from studyapp.storage.plain_sql import sqlite_rows
from studyapp.study.day import StudyDay
from studyapp.study.queue_reads import FirstStudy, first_study
from studyapp.study.queue_values import QueueCounts, StudyCard, StudyNext
from studyapp.study.settings_values import StudySettings

log = logging.getLogger("studyapp")

# The schema revision this StudyApp writes (migrations/versions): the reader reads only that.
# tests/collection/test_first_screen.py checks it is Alembic's head.
SCHEMA_REVISION = "0004"
REVISION = "SELECT version_num FROM alembic_version"
BUILTIN_VERSION = "SELECT version FROM packs WHERE builtin IS 1"


class FirstScreen:
    """The reads of the window's first paint, on a read-only sqlite3 connection of the GUI
    thread. Each returns what the Collection's method of the same name returns."""

    def __init__(
        self,
        data_dir: Path,
        connection: sqlite3.Connection,
        now: Callable[[], dt.datetime],
        tz: dt.tzinfo | None,
    ) -> None:
        self._data_dir = data_dir
        self._connection = connection
        self._rows = sqlite_rows(connection)
        self._now = now
        self._tz = tz

    @classmethod
    def open(
        cls,
        data_dir: Path,
        now: Callable[[], dt.datetime] = utc_now,
        tz: dt.tzinfo | None = None,
        dataset_file: Path | None = None,
    ) -> FirstScreen | None:
        """The reader, or None where the main path must open the collection (see above)."""
        if not may_read(data_dir):
            return None
        path = database_path(data_dir)
        try:
            connection = connect_readonly(path)
        except sqlite3.Error:
            return None
        try:
            if not _current(connection, dataset_file or dataset_path()):
                connection.close()
                return None
        except sqlite3.Error as error:
            log.info("the first screen cannot read %s (%s): the main path opens it", path, error)
            connection.close()
            return None
        return cls(data_dir, connection, now, tz)

    def close(self) -> None:
        self._connection.close()

    # -- what the Collection says about itself -----------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self._data_dir

    @property
    def path(self) -> Path:
        return database_path(self._data_dir)

    @property
    def backup_dir(self) -> Path:
        return backup_dir(self._data_dir)

    @property
    def warnings(self) -> tuple[str, ...]:
        return ()  # a journal left by a crash is the main path's to report (see open)

    @property
    def tz(self) -> dt.tzinfo | None:
        return self._tz

    @property
    def clock(self) -> Callable[[], dt.datetime]:
        return self._now

    def undo_label(self) -> str | None:
        return None  # nothing done yet in this session

    # -- the panes' reads ----------------------------------------------------------------------

    def articles(self) -> list[ArticleEntry]:
        return shown_articles(self._rows)

    def article_view(self, article_id: str | None = None) -> ArticleView:
        return load_article_view(self._rows, article_id)

    def timeline(self, article_id: str | None = None) -> list[TimelineItem]:
        return load_timeline(self._rows, article_id)

    # -- the review queue, as a freshly opened collection's ----------------------------------

    @cached_property
    def _study(self) -> FirstStudy:
        # Read once: the card and the counts the window shows together, at one moment.
        return first_study(self._rows, self._now(), self._tz)

    @property
    def settings(self) -> StudySettings:
        return self._study.settings

    @property
    def study_article(self) -> str | None:
        return self._study.article

    def day(self) -> StudyDay:
        return self._study.day

    def study_next(self) -> StudyNext:
        return self._study.next

    def next_card(self) -> StudyCard | None:
        return self._study.next.card

    def counts(self) -> QueueCounts:
        return self._study.next.counts

    def card_offered(self) -> StudyCard | None:
        """The card the reader offered the window (None if it offered none, or was not asked)."""
        study = self.__dict__.get("_study")  # read only if the window asked for it
        return None if study is None else study.next.card


def may_read(data_dir: Path) -> bool:
    """Whether the reader may be tried, by the files alone: a database with something in it,
    and no journal left with content (a crash's, which the main path keeps a copy of)."""
    path = database_path(data_dir)
    journal = path.with_name(path.name + "-wal")
    try:
        return path.stat().st_size > 0 and not (journal.exists() and journal.stat().st_size > 0)
    except OSError:
        return False


def _current(connection: sqlite3.Connection, dataset_file: Path) -> bool:
    """Whether the main path would open this database without writing to it."""
    from studyapp.content.peek import peek_dataset_version

    revision = connection.execute(REVISION).fetchall()
    if revision != [(SCHEMA_REVISION,)]:
        return False
    builtin = connection.execute(BUILTIN_VERSION).fetchall()
    return bool(builtin) and int(builtin[0][0]) >= peek_dataset_version(dataset_file)
