"""Collection: the one API that reads and changes study data (Anki's pylib Collection).

Reads return plain frozen values. Every change is one method: one transaction, committed
before it returns, returning a frozen Changes that says what moved; undoable changes record
the rows they touch on one undo stack (see undo.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, Integer, delete, func, select, text, type_coerce, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from studyapp.clock import utc_now
from studyapp.collection import event_cards
from studyapp.collection.answering import write_answer
from studyapp.collection.authoring import (
    apply_edit,
    apply_restore,
    chunks,
    insert_card,
    mark_deleted,
)
from studyapp.collection.authoring_values import CardOperationError, CardText, NewCard
from studyapp.collection.browser_rows import BrowserRow, read_rows
from studyapp.collection.changes import AddedCard, AnswerChanges, Changes, Repositioned
from studyapp.collection.export_rows import (
    CardSelection,
    ExportCard,
    ExportCells,
    ExportReview,
    ExportSize,
    SelectionError,
    article_exists,
    export_card_cells,
    export_cards,
    export_reviews,
    export_size,
)
from studyapp.collection.importing import ImportChanges, ImportRow, Progress, import_rows
from studyapp.collection.opening import open_database_with_pack
from studyapp.collection.pack_operations import PackOperations
from studyapp.collection.reading import (
    CardInfo,
    DoneScreen,
    ReviewEntry,
    StatusCounts,
    card_info,
    review_history,
    status_counts,
)
from studyapp.collection.reposition import reposition
from studyapp.collection.search import SearchContext, search_ids
from studyapp.collection.undo import Journal, UndoEntry, UndoStack, put_back
from studyapp.paths import backup_dir, dataset_path
from studyapp.storage import models, queries
from studyapp.storage.cards import (
    FLAGS,
    MARKED,
    CardState,
    in_collection,
    is_buried,
    siblings_of,
    state_columns,
    studied,
)
from studyapp.storage.database import Database
from studyapp.storage.errors import StorageError, write_failure_message
from studyapp.storage.search_index import FTS_TABLE
from studyapp.storage.seed import SeedResult
from studyapp.study.custom import EXTRA_NEW_KEY, CustomStudy, extra_new_today, save_extra_new
from studyapp.study.day import StudyDay
from studyapp.study.queue import StudyCard
from studyapp.study.queue_values import DaySummary, Preview, QueueCounts, StudyNext
from studyapp.study.review import ReviewQueue
from studyapp.study.settings import STUDY_SETTINGS_KEY, StudySettings, save_study_settings

if TYPE_CHECKING:
    from studyapp.collection.statistics import MemoryMap, Statistics
    from studyapp.storage.check import CheckReport
    from studyapp.storage.migrate import MigrationResult
    from studyapp.study.optimize import OptimizeResult
    from studyapp.study.repair import Repair
    from studyapp.study.stats import DayReviews
    from studyapp.study.workload import Workload

Clock = Callable[[], dt.datetime]


class Collection(PackOperations):
    """An open collection. Open with Collection.open(); close() when done.

    The pack operations (adding, removing, hiding and showing packs, which articles are
    studied) are in pack_operations.py.
    """

    def __init__(
        self,
        database: Database,
        seed: SeedResult,
        clock: Clock = utc_now,
        tz: dt.tzinfo | None = None,
    ) -> None:
        self.database = database  # for storage-level tools and tests; the UI never uses it
        self.seed = seed
        self._clock = clock
        self._queue = ReviewQueue(database.sessions, clock, tz)
        self._undo = UndoStack()
        self._writer: Engine = database.writes.kw["bind"]  # its transactions BEGIN IMMEDIATE
        self._fts: bool | None = None

    @classmethod
    def open(
        cls,
        data_dir: Path,
        now: Clock = utc_now,
        *,
        tz: dt.tzinfo | None = None,
        dataset_file: Path | None = None,
        check_pages: bool = True,
    ) -> Collection:
        """Open (creating, migrating and seeding as needed); StartupError with a message.
        check_pages False: SQLite's page check is left to the caller (the window runs it in
        a worker thread once it shows: see storage.file_checks.page_damage)."""
        database, seed = open_database_with_pack(
            data_dir, now, dataset_file or dataset_path(), check_pages=check_pages
        )
        return cls(database, seed, now, tz)

    def close(self) -> None:
        self._undo.clear()
        self.database.close()

    @property
    def data_dir(self) -> Path:
        return self.database.data_dir

    @property
    def path(self) -> Path:
        return self.database.path

    @property
    def backup_dir(self) -> Path:
        return backup_dir(self.database.data_dir)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What opening found that the learner must hear about (a damaged journal)."""
        return self.database.warnings

    @property
    def migration(self) -> MigrationResult:
        return self.database.migration

    @property
    def clock(self) -> Clock:
        return self._clock

    @property
    def tz(self) -> dt.tzinfo | None:
        return self._queue.tz

    # -- transactions and undo -----------------------------------------------------------------

    @contextmanager
    def _write(self, what: str) -> Iterator[Journal]:
        """One write transaction (BEGIN IMMEDIATE); a failure becomes a StorageError saying
        what was not saved and why. The transaction is rolled back: nothing changes."""
        try:
            with self.database.writes.begin() as session:
                yield Journal(session)
        except DBAPIError as error:
            raise StorageError(write_failure_message(what, error)) from error

    @contextmanager
    def _write_core(self, what: str) -> Iterator[Journal]:
        """_write() on a Core connection, without an ORM session (the answer's hot path)."""
        try:
            with self._writer.begin() as connection:
                yield Journal(connection=connection)
        except DBAPIError as error:
            raise StorageError(write_failure_message(what, error)) from error

    def _done(self, journal: Journal, changes: Changes, focus: str | None = None) -> Changes:
        self._undo.push(UndoEntry(changes, journal.rows(), focus))
        return changes

    def can_undo(self) -> bool:
        return self._undo.peek() is not None

    def undo_label(self) -> str | None:
        """What undo() would undo, as the Edit menu says it: "Undo Suspend"; None if nothing."""
        entry = self._undo.peek()
        return None if entry is None else f"Undo {entry.changes.label}"

    def undo(self) -> Changes | None:
        """Undo the last undoable operation in one transaction; what moved back, or None."""
        entry = self._undo.peek()
        if entry is None:
            return None
        with self._write(f"the undo of {entry.changes.label}") as journal:
            put_back(journal.session, entry.rows)
            settings = _stored_settings(journal.session) if entry.changes.settings else None
        self._undo.pop()
        if settings is not None:
            self._queue.use_settings(settings)  # and Study More's extra new cards
        if entry.changes.settings or entry.changes.content:
            self._queue.follow_scope()  # which articles are studied, and which are shown
        for card_id in entry.changes.card_ids:
            self._queue.forget(card_id)
        if entry.focus_card is not None:
            self._queue.bring_back(entry.focus_card)
        return entry.changes.undone()

    def _not_undoable(self) -> None:
        """A change undo cannot step over: the stack's rows would no longer be true."""
        self._undo.clear()

    # -- reads: study --------------------------------------------------------------------------

    @property
    def settings(self) -> StudySettings:
        return self._queue.settings

    def day(self) -> StudyDay:
        return self._queue.day()

    def counts(self) -> QueueCounts:
        return self._queue.counts()

    def next_card(self) -> StudyCard | None:
        return self._queue.next_card()

    def study_next(self) -> StudyNext:
        """The next card and today's counts in one read: what the reviewer shows next."""
        return self._queue.study_next()

    def keep_shown(self, card_id: str) -> None:
        """The window shows this card already (from the first screen's reader): the queue
        keeps it until it is answered, and an undo brings it back, as for a card it offered."""
        self._queue.keep_shown(card_id)

    def previews(self, card_id: str) -> list[Preview]:
        return self._queue.previews(card_id)

    def due_now(self) -> int:
        return self._queue.due_now()

    def new_cards_left_today(self) -> int:
        return self._queue.new_cards_left_today()

    def today(self) -> DaySummary:
        return self._queue.today()

    def next_due(self) -> dt.datetime | None:
        return self._queue.next_due()

    def last_review_id(self) -> int | None:
        """The newest answer's key, its time in microseconds (a backup holding it has every
        answer)."""
        with self.database.sessions() as session:
            return session.scalar(
                select(func.max(type_coerce(models.ReviewLog.reviewed_at, Integer)))
            )

    def review_count(self) -> int:
        """Every answer in the review log."""
        with self.database.sessions() as session:
            return session.scalar(select(func.count()).select_from(models.ReviewLog)) or 0

    # -- reads: statistics and FSRS ------------------------------------------------------------

    def statistics(self) -> Statistics:
        """Every figure the Statistics window charts (and `--stats` prints), as of now."""
        from studyapp.collection.statistics import read_statistics

        return read_statistics(self.database.sessions, self._clock(), self.day(), self._decay())

    def reviews_per_day(self, days: int | None) -> list[DayReviews]:
        """Answers per study day by kind in the last `days` days (None: all time)."""
        from studyapp.study.stats import reviews_per_day

        with self.database.sessions() as session:
            return reviews_per_day(session, self.day(), days)

    def memory_map(self, article_id: str, card_ids: frozenset[str] | None = None) -> MemoryMap:
        """Each sentence's and event's cards with their recall probability now; with card_ids,
        only the sentences and events of those cards (MemoryMap.updated puts them in)."""
        from studyapp.collection.statistics import read_memory_map

        with self.database.sessions() as session:
            return read_memory_map(session, article_id, self._clock(), self._decay(), card_ids)

    def optimize_parameters(self) -> OptimizeResult:
        """Fit FSRS's parameters to the review log (nothing is saved: update_settings keeps
        them, undoably). Needs the fsrs-rs-python engine."""
        from studyapp.study.optimize import load_answers, optimize

        settings = self.settings
        with self.database.sessions() as session:
            answers = load_answers(session)
        return optimize(answers, settings.day_start_hour, self.tz, settings.fsrs_parameters)

    def workload(self) -> Workload:
        """Reviews a day over the next year at each desired retention, from the cards now."""
        from studyapp.study.workload import load_deck, workload

        settings = self.settings
        with self.database.sessions() as session:
            deck = load_deck(session, self._clock(), settings.new_per_day, settings.reviews_per_day)
        return workload(deck, settings.fsrs_parameters)

    def _decay(self) -> float:
        from studyapp.study.scheduling import decay_of

        return decay_of(self.settings.fsrs_parameters)

    # -- reads: content ------------------------------------------------------------------------

    def article_view(self, article_id: str | None = None) -> queries.ArticleView:
        with self.database.sessions() as session:
            return queries.load_article_view(session, article_id)

    def passage_card_counts(self, article_id: str) -> dict[str, int]:
        with self.database.sessions() as session:
            return queries.passage_card_counts(session, article_id)

    def passage_cards(self, passage_id: str) -> list[queries.CardSummary]:
        with self.database.sessions() as session:
            return queries.passage_cards(session, passage_id)

    def chronology_card(self, first_event_id: str, second_event_id: str) -> NewCard:
        """The "which came first" card of two events, to add with add_card();
        CardOperationError if their dates do not settle the order ("both are 1920")."""
        with self.database.sessions() as session:
            return event_cards.chronology_card(session, first_event_id, second_event_id)

    def when_card(self, event_id: str) -> NewCard:
        """The "when" card of one event (its date as precisely as the article gives it)."""
        with self.database.sessions() as session:
            return event_cards.when_card(session, event_id)

    def timeline(self, article_id: str | None = None) -> list[queries.TimelineItem]:
        """One article's events and periods (None: every shown article's), in date order."""
        with self.database.sessions() as session:
            return queries.load_timeline(session, article_id)

    def event_card_counts(self) -> dict[str, int]:
        with self.database.sessions() as session:
            return queries.event_card_counts(session)

    def card_links(self, card_id: str) -> queries.CardLinks | None:
        with self.database.sessions() as session:
            return queries.card_links(session, card_id)

    def card(self, card_id: str) -> CardInfo:
        """One card as the browser and editor show it; KeyError if there is none."""
        with self.database.sessions() as session:
            return card_info(session, card_id, self._clock(), self.settings.fsrs_parameters)

    def card_history(self, card_id: str) -> list[ReviewEntry]:
        """A card's answers, oldest first (Card Info)."""
        with self.database.sessions() as session:
            return review_history(session, card_id)

    def siblings(self, card_id: str) -> list[str]:
        """The other cards citing the same sentence, still in study (not suspended)."""
        with self.database.sessions() as session:
            card = session.get(models.Card, card_id)
            if card is None:
                raise KeyError(f"no card with id {card_id!r}")
            query = select(models.Card.id).where(siblings_of(card), studied())
            return list(session.scalars(query.order_by(models.Card.position)))

    # -- reads: the browser --------------------------------------------------------------------

    @property
    def full_text_search(self) -> bool:
        """Whether the search has its FTS5 index (a SQLite without FTS5 searches with LIKE)."""
        if self._fts is None:
            with self.database.sessions() as session:
                found = session.execute(
                    text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
                    {"name": FTS_TABLE},
                ).first()
            self._fts = found is not None
        return self._fts

    def search(self, query: str, order: str = "due", *, descending: bool = False) -> list[str]:
        """The ids of the cards matching a search (the browser's language, search_parser.py),
        sorted by a browser column (search.SORT_KEYS) in SQL; SearchError says what is wrong."""
        context = SearchContext(self._clock(), self.day(), self.full_text_search)
        with self.database.sessions() as session:
            return search_ids(session, query, context, order, descending)

    def browser_rows(self, card_ids: Sequence[str]) -> dict[str, BrowserRow]:
        """What the browser's columns show for these cards, read in a few queries."""
        with self.database.sessions() as session:
            return read_rows(session, card_ids, self._clock(), self.settings.fsrs_parameters)

    def new_card_ranks(self) -> dict[str, int]:
        """Each new card's place in the order new cards come (1: first); reposition_new's
        start counts the same way."""
        card = models.Card
        with self.database.sessions() as session:
            ids = session.scalars(
                select(card.id)
                .where(in_collection(), card.state == models.STATE_NEW)
                .order_by(card.position, card.id)
            )
            return {card_id: rank for rank, card_id in enumerate(ids, start=1)}

    def status_counts(self) -> StatusCounts:
        """How many cards are buried now and suspended (the done screen says so)."""
        with self.database.sessions() as session:
            return status_counts(session, self._clock())

    def done_screen(self) -> DoneScreen:
        """What the done screen says (next_due(), today(), status_counts()), read at once."""
        with self.database.sessions() as session:
            return DoneScreen(
                self._queue.next_due_in(session),
                self._queue.today_in(session),
                status_counts(session, self._clock()),
            )

    # -- reads: export -------------------------------------------------------------------------

    def check_selection(self, selection: CardSelection) -> None:
        """SelectionError if the selection names an article the collection does not have."""
        if selection.what == "article" and selection.article_id is not None:
            with self.database.sessions() as session:
                if not article_exists(session, selection.article_id):
                    raise SelectionError(f"There is no article {selection.article_id!r}.")

    def export_size(self, selection: CardSelection) -> ExportSize:
        """How many cards and answers an export of the selection writes."""
        with self.database.sessions() as session:
            return export_size(session, selection)

    def export_cards(self, selection: CardSelection) -> Iterator[ExportCard]:
        """The selected cards in reading order, read as the iterator is consumed."""
        now = self._clock()
        with self.database.sessions() as session:
            yield from export_cards(session, selection, now)

    def export_card_cells(self, selection: CardSelection) -> ExportCells:
        """The selected cards in reading order as rows of cells, with their counts."""
        with self.database.sessions() as session:
            return export_card_cells(session, selection)

    def export_reviews(self, selection: CardSelection) -> Iterator[ExportReview]:
        """The selected cards' answers (card by card, oldest first), read as consumed."""
        with self.database.sessions() as session:
            yield from export_reviews(session, selection)

    def check(self) -> CheckReport:
        """SQLite's checks and the collection's figures (what `--check` prints)."""
        from studyapp.storage.check import run_check

        return run_check(self.database, self._clock())

    # -- operations: study ---------------------------------------------------------------------

    def answer(
        self, card_id: str, rating: int, duration_ms: int, *, with_next: bool = False
    ) -> AnswerChanges:
        """Save an answer (1 Again .. 4 Easy) with the state its button showed.

        One transaction on a Core connection (the hot path: no ORM unit of work): the card's
        row read once for the checks, the scheduler and the undo journal, the log row and the
        card's new state written, its siblings buried. with_next (the reviewer): then, before
        the commit, the next card and today's counts are read as study_next() reads them (the
        card becomes the one on screen) into AnswerChanges.upcoming.
        """
        kept = self._queue.snapshot()
        try:
            with self._write_core("your answer") as journal:
                written = write_answer(
                    self._queue, journal, card_id, rating, duration_ms, self.day(), with_next
                )
        except BaseException:
            self._queue.restore(kept)  # nothing was saved: the queue keeps what it kept
            raise
        result, siblings, upcoming = written.result, written.siblings, written.upcoming
        changes = AnswerChanges(
            label="Answer",
            scheduling=True,
            review_log=True,
            card_ids=frozenset({card_id, *siblings}),
            card_id=card_id,
            rating=rating,
            review_id=result.review_id,
            due=result.due,
            interval=result.label,
            answered_at=result.answered_at,
            clock_behind=result.clock_behind,
            siblings_buried=tuple(siblings),
            upcoming=upcoming,
        )
        self._done(journal, changes, focus=card_id)
        return changes

    def suspend(self, *card_ids: str) -> Changes:
        values = {"suspended": True}
        return self._set_cards("Suspend", card_ids, values, card_status=True, focus=True)

    def unsuspend(self, *card_ids: str) -> Changes:
        return self._set_cards("Unsuspend", card_ids, {"suspended": False}, card_status=True)

    def bury(self, *card_ids: str) -> Changes:
        """Hide the cards until the next study day starts."""
        return self._set_cards("Bury", card_ids, {"buried_until": self.day().end}, focus=True)

    def unbury(self, *card_ids: str) -> Changes:
        return self._set_cards("Unbury", card_ids, {"buried_until": None})

    def unbury_all(self) -> Changes | None:
        """Unbury every card buried now (None if there is none)."""
        with self.database.sessions() as session:
            buried = list(session.scalars(select(models.Card.id).where(is_buried(self._clock()))))
        return self.unbury(*buried) if buried else None

    def add_new_today(self, count: int) -> Changes:
        """Study More: raise today's new-card limit by `count` (for this study day only)."""
        if not 1 <= count <= 9999:
            raise CardOperationError("Extra new cards must be a number from 1 to 9999.")
        day = self.day()
        with self._write("the extra new cards") as journal:
            journal.capture("settings", models.Setting.key == EXTRA_NEW_KEY)
            journal.created("settings", EXTRA_NEW_KEY)
            total = extra_new_today(journal.session, day) + count
            save_extra_new(journal.session, day, total)
        self._queue.reload_extra_new()
        return self._done(journal, Changes(label="Study More", settings=True, scheduling=True))

    def start_custom_study(self, study: CustomStudy) -> int:
        """Study More: study these cards next, in this session; how many there are."""
        return self._queue.start_custom(study)

    def custom_study_left(self) -> int:
        return self._queue.custom_left()

    def end_custom_study(self) -> None:
        self._queue.end_custom()

    def forget_cards(self, *card_ids: str) -> Changes:
        """Reset cards to new (their review history is kept)."""
        values = {**state_columns(CardState.new()), "buried_until": None}
        return self._set_cards("Forget", card_ids, values)

    def set_flag(self, flag: int, *card_ids: str) -> Changes:
        """Flag cards 1-4 (Anki's red, orange, green, blue), or 0 to clear."""
        if flag not in FLAGS:
            raise CardOperationError(f"A flag is 0 to 4, not {flag}.")
        label = "Flag" if flag else "Clear Flag"
        return self._set_cards(label, card_ids, {"flag": flag}, scheduling=False, card_marks=True)

    def _set_cards(
        self,
        label: str,
        card_ids: Sequence[str],
        values: Mapping[str, object],
        *,
        scheduling: bool = True,
        card_status: bool = False,
        card_marks: bool = False,
        focus: bool = False,
    ) -> Changes:
        """Set columns on cards; focus: if the card on screen is one of them, an undo brings it
        back to be studied next."""
        ids = self._existing(card_ids)
        shown = self._queue.shown
        with self._write(f"the change ({label.lower()})") as journal:
            journal.capture_cards(ids)
            for chunk in chunks(ids):
                journal.session.execute(
                    update(models.Card)
                    .where(models.Card.id.in_(chunk))
                    .values(**values, modified_at=self._clock())
                )
        for card_id in ids:
            self._queue.forget(card_id)
        changes = Changes(
            label=label,
            scheduling=scheduling,
            card_status=card_status,
            card_marks=card_marks,
            card_ids=frozenset(ids),
        )
        # An undo brings the card on screen back to it, if this change took it away.
        return self._done(journal, changes, focus=shown if focus and shown in ids else None)

    def set_marked(self, marked: bool, *card_ids: str) -> Changes:
        """Tag cards "marked" (Anki's *), or remove the tag."""
        ids = self._existing(card_ids)
        label = "Mark" if marked else "Unmark"
        with self._write(f"the change ({label.lower()})") as journal:
            tags = models.CardTag
            for card_id in ids:
                where = (tags.card_id == card_id) & (tags.tag == MARKED)
                journal.capture("card_tags", where)
                if marked:
                    journal.created("card_tags", card_id, MARKED)
                    journal.session.merge(models.CardTag(card_id=card_id, tag=MARKED))
                else:
                    journal.session.execute(delete(tags).where(where))
        changes = Changes(label=label, card_marks=True, card_ids=frozenset(ids))
        return self._done(journal, changes)

    def update_settings(self, settings: StudySettings) -> Changes:
        with self._write("your study settings") as journal:
            journal.capture("settings", models.Setting.key == STUDY_SETTINGS_KEY)
            journal.created("settings", STUDY_SETTINGS_KEY)
            save_study_settings(journal.session, settings)
        self._queue.use_settings(settings)
        return self._done(journal, Changes(label="Study Settings", settings=True, scheduling=True))

    # -- operations: cards ---------------------------------------------------------------------

    def add_card(self, card: NewCard) -> AddedCard:
        """Add one of the learner's own cards, new, in reading order of its sentence."""
        with self._write("the new card") as journal:
            card_id = insert_card(journal, card, self._clock())
        changes = AddedCard(
            label="Add Card",
            scheduling=True,
            card_status=True,
            card_content=True,
            card_links=bool(card.event_ids),
            card_ids=frozenset({card_id}),
            card_id=card_id,
        )
        self._done(journal, changes)
        return changes

    def edit_card(self, card_id: str, text: CardText) -> Changes:
        """Change a card's text. A pack card keeps the pack's text aside, so pack updates do
        not overwrite the edit and restore_original() can bring the pack's text back."""
        with self._write("your edit") as journal:
            apply_edit(journal, card_id, text, self._clock())
        self._queue.forget(card_id)
        changes = Changes(label="Edit Card", card_content=True, card_ids=frozenset({card_id}))
        return self._done(journal, changes)

    def restore_original(self, card_id: str) -> Changes:
        """Bring a pack card's text back from its pack (undoing the learner's edits)."""
        with self._write("the original text") as journal:
            apply_restore(journal, card_id, self._clock())
        self._queue.forget(card_id)
        changes = Changes(
            label="Restore Original", card_content=True, card_ids=frozenset({card_id})
        )
        return self._done(journal, changes)

    def delete_cards(self, *card_ids: str) -> Changes:
        """Delete the learner's own cards. Their review history stays (for statistics): the
        row is kept, marked deleted, and never shown again. Pack cards are refused."""
        ids = self._existing(card_ids)
        with self._write("the deletion") as journal:
            mark_deleted(journal, ids, self._clock())
        for card_id in ids:
            self._queue.forget(card_id)
        changes = Changes(
            label="Delete", scheduling=True, card_status=True, card_ids=frozenset(ids)
        )
        return self._done(journal, changes)

    def import_cards(
        self,
        rows: Sequence[ImportRow],
        article_id: str | None = None,
        *,
        progress: Progress | None = None,
    ) -> ImportChanges:
        """Add rows as the learner's own cards (of an article, or none), in one transaction
        and one undoable step: duplicates are skipped, a row whose GUID names a card updates
        its text, bad rows are reported with their line. A failure (or Cancelled raised by
        `progress`) writes nothing."""
        with self._write("the imported cards") as journal:
            changes = import_rows(journal, rows, article_id, self._clock(), progress)
        for card_id in changes.card_ids:
            self._queue.forget(card_id)
        if changes.added or changes.updated:
            self._done(journal, changes)
        return changes

    def reposition_new(
        self, card_ids: Sequence[str], start: int = 1, step: int = 1, *, shuffle: bool = False
    ) -> Repositioned:
        """Move new cards to place `start` (1: studied first) of the new cards' order, `step`
        apart, in their order (or shuffled); the other new cards keep theirs around them."""
        ids = self._existing(card_ids)
        with self._write("the new order") as journal:
            chosen, moved = reposition(journal, ids, start, step, shuffle, self._clock())
        changes = Repositioned(
            label="Reposition",
            scheduling=True,
            card_ids=frozenset(moved),
            repositioned=tuple(chosen),
            not_new=tuple(card_id for card_id in ids if card_id not in chosen),
        )
        self._done(journal, changes)
        return changes

    def _existing(self, card_ids: Iterable[str]) -> list[str]:
        ids = list(dict.fromkeys(card_ids))
        if not ids:
            raise CardOperationError("No card is selected.")
        with self.database.sessions() as session:
            found = set()
            for chunk in chunks(ids):
                found |= set(
                    session.scalars(
                        select(models.Card.id).where(
                            models.Card.id.in_(chunk), models.Card.deleted_at.is_(None)
                        )
                    )
                )
        missing = [card_id for card_id in ids if card_id not in found]
        if missing:
            raise KeyError(f"no card with id {missing[0]!r} (or it was deleted)")
        return ids

    # -- operations undo cannot step over ------------------------------------------------------

    def repair(self) -> tuple[list[Repair], Changes]:
        """Rebuild cards whose scheduling state is impossible from their review history."""
        from studyapp.study.repair import repair_impossible_cards

        with self._write("the repair") as journal:
            repairs = repair_impossible_cards(journal.session)
        if repairs:
            self._not_undoable()
        ids = frozenset(repair.card_id for repair in repairs)
        return repairs, Changes(label="Repair", scheduling=bool(repairs), card_ids=ids)

    def backup(self) -> Path:
        """Write a backup now (a compressed consistent copy) and prune old ones by Anki's rule.

        Synchronous, and safe to call from a worker thread: it uses only the file's path and
        connections of its own (never the collection's engine), and the clock.
        """
        import sqlite3

        from studyapp.storage.backup import last_review_id, make_backup, prune_backups
        from studyapp.storage.errors import DatabaseLockedError, is_locked, locked_message

        now = self._clock()
        try:
            path = make_backup(self.path, self.backup_dir, now)
        except sqlite3.Error as error:
            if is_locked(error):
                raise DatabaseLockedError(locked_message(self.path, error, 5)) from error
            raise
        # A collection started afresh (after damage) must not push out a backup that holds
        # answers it lacks: pruning keeps every backup ahead of it (of the copy just taken).
        prune_backups(self.backup_dir, now, self.tz, keep_ahead_of=last_review_id(path) or 0)
        return path


def _stored_settings(session: Session) -> StudySettings:
    from studyapp.study.settings import load_study_settings

    return load_study_settings(session)
