"""ReviewQueue: which card to study next, today's counts and figures, and what an answer does.

It reads through its own short sessions; the changes it computes (an answer) are written into
the caller's transaction: the Collection owns transactions and undo. Callers receive plain
frozen values, never ORM rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from studyapp.clock import utc_now
from studyapp.storage import models
from studyapp.storage.cards import (
    LEARNING_STATES,
    CardState,
    review_log_values,
    state_columns,
)
from studyapp.storage.check import due_now_count
from studyapp.storage.engine import core_rows
from studyapp.storage.models import UTCDateTime
from studyapp.storage.plain_sql import Rows
from studyapp.storage.times import to_microseconds
from studyapp.study.availability import Availability, next_available
from studyapp.study.custom import CustomStudy, custom_cards
from studyapp.study.day import StudyDay, study_day
from studyapp.study.queue import (
    LATEST_ANSWER,
    SIBLINGS,
    due_of,
    is_active_row,
    review_number,
    scheduling_of,
    state_from,
)
from studyapp.study.queue_reads import (
    LEARN_AHEAD,
    QueueAt,
    extra_new_today,
    limits_left,
    queue_counts,
    queued_card_id,
    study_article,
    study_card,
    study_settings,
)
from studyapp.study.queue_values import (
    AnswerResult,
    DaySummary,
    Preview,
    QueueCounts,
    StudyCard,
    StudyNext,
)
from studyapp.study.scheduling import RATINGS, interval_label, make_scheduler, review
from studyapp.study.settings import StudySettings

MAX_DURATION_MS = 60_000
ONE_MICROSECOND = dt.timedelta(microseconds=1)

# An answer's two writes, built once (their compiled form is cached).
INSERT_ANSWER = insert(models.ReviewLog)
SET_STATE = (
    update(models.Card)
    .where(models.Card.id == bindparam("card_id"))
    .values(
        state=bindparam("state"),
        step=bindparam("step"),
        stability=bindparam("stability"),
        difficulty=bindparam("difficulty"),
        due=bindparam("due", type_=UTCDateTime()),
        last_review=bindparam("last_review", type_=UTCDateTime()),
    )
)


@dataclass(frozen=True)
class _Outcomes:
    card_id: str
    before: CardState
    computed_at: dt.datetime
    states: dict[int, CardState]


@dataclass(frozen=True)
class QueueState:
    outcomes: _Outcomes | None
    first: str | None
    shown: str | None
    custom: tuple[str, ...]


class ReviewQueue:
    """The study queue on a clock: reads the collection, computes answers for the caller to
    write. `first` is a card brought back (by undo) to be studied next."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], dt.datetime] = utc_now,
        tz: dt.tzinfo | None = None,
    ) -> None:
        self._sessions = sessions
        self._engine: Engine = sessions.kw["bind"]
        self._clock = clock
        self._tz = tz
        with self._engine.connect() as connection:
            rows = core_rows(connection)
            self._settings = study_settings(rows)
            self._article = study_article(rows)  # None: every article is studied
            day = self.day()
            self._extra_new = (day, extra_new_today(rows, day))  # Study More's, for that day
        self._scheduler = make_scheduler(
            self._settings.desired_retention, self._settings.fsrs_parameters
        )
        self._outcomes: _Outcomes | None = None
        self._first: str | None = None  # an undo brought this card back: it comes first
        self._shown: str | None = None  # the card last offered (on screen), kept till answered
        self._custom: list[str] = []  # a Study More session's cards still to show

    @property
    def clock(self) -> Callable[[], dt.datetime]:
        return self._clock

    @property
    def tz(self) -> dt.tzinfo | None:
        return self._tz

    # -- settings ------------------------------------------------------------------------------

    @property
    def settings(self) -> StudySettings:
        return self._settings

    def use_settings(self, settings: StudySettings) -> None:
        """Follow settings the collection has just saved (or restored by undo)."""
        self._settings = settings
        self._scheduler = make_scheduler(settings.desired_retention, settings.fsrs_parameters)
        self._outcomes = None
        self.reload_extra_new()

    def reload_extra_new(self) -> None:
        """Read Study More's extra new cards for today again (saved, or restored by undo)."""
        day = self.day()
        with self._engine.connect() as connection:
            self._extra_new = (day, extra_new_today(core_rows(connection), day))

    # -- which articles -------------------------------------------------------------------------

    @property
    def article(self) -> str | None:
        """The article studied alone, or None when every article is studied."""
        return self._article

    def follow_scope(self) -> None:
        """Read which articles are studied again (saved, restored by undo, or a pack removed)."""
        with self._engine.connect() as connection:
            self._article = study_article(core_rows(connection))
        self._outcomes = None

    # -- Study More ----------------------------------------------------------------------------

    def start_custom(self, study: CustomStudy) -> int:
        """Study these cards next (until they are done); how many there are."""
        now = self._clock()
        with self._sessions() as session:
            self._custom = custom_cards(session, study, self.day(), now, self._article)
        self._outcomes = None
        if self._custom:
            self._first = self._shown = None  # the session's cards come first
        return len(self._custom)

    def custom_left(self) -> int:
        return len(self._custom)

    def end_custom(self) -> None:
        self._custom = []

    def day(self) -> StudyDay:
        return study_day(self._clock(), self._settings.day_start_hour, self._tz)

    # -- the queue -----------------------------------------------------------------------------

    def counts(self) -> QueueCounts:
        return self.study_next(with_card=False).counts

    def next_card(self) -> StudyCard | None:
        return self.study_next(with_counts=False).card

    def study_next(self, with_card: bool = True, with_counts: bool = True) -> StudyNext:
        """The card to study next and today's counts, read together on one connection (what
        the review pane shows after every answer). Counts left out are zeros."""
        with self._engine.connect() as connection:
            return self.study_next_on(connection, with_card, with_counts)

    def study_next_on(
        self, connection: Connection, with_card: bool = True, with_counts: bool = True
    ) -> StudyNext:
        """study_next() read on the caller's connection (an answer's own transaction, which
        then reads the next card and the counts after its writes, before its commit)."""
        rows = core_rows(connection)
        at = self._at(rows)
        card = self._next_card(connection, at) if with_card else None
        counts = queue_counts(rows, at) if with_counts else QueueCounts(0, 0, 0)
        return StudyNext(card, counts)

    def _at(self, rows: Rows) -> QueueAt:
        """The queue's scope, moment and today's limits left, for the shared reads."""
        now = self._clock()
        day = self.day()
        extra_day, extra = self._extra_new
        new_left, reviews_left = limits_left(
            rows, day, self._settings, extra if extra_day == day else 0
        )
        return QueueAt(self._article, now, day, new_left, reviews_left)

    def _next_card(self, connection: Connection, at: QueueAt) -> StudyCard | None:
        # First a card an undo brought back, then the card on screen: each is kept until it
        # is answered (so a change made elsewhere, an edit or a suspension in the browser,
        # leaves the learner on their card), but only while today's queue would show it (an
        # undo must not bring forward a card that is not due; a suspended card goes).
        for kept in (self._first, self._shown):
            if kept is None:
                continue
            try:
                row = scheduling_of(connection, kept)
            except KeyError:
                row = None
            if row is not None and self._offered_now(row, at):
                self._shown = kept
                return study_card(core_rows(connection), kept)
            if kept == self._first:
                self._first = None
        self._shown = None
        card = self._queued_card(connection, at)
        self._shown = card.id if card is not None else None
        return card

    def _queued_card(self, connection: Connection, at: QueueAt) -> StudyCard | None:
        """The card today's queue offers next: a custom session's, or learning, review, new."""
        rows = core_rows(connection)
        while self._custom:
            try:
                if is_active_row(scheduling_of(connection, self._custom[0]), at.now):
                    return study_card(rows, self._custom[0])
            except KeyError:
                pass
            self._custom.pop(0)  # suspended, buried or gone since the session began
        card_id = queued_card_id(rows, at)
        return study_card(rows, card_id) if card_id is not None else None

    def _offered_now(self, row: Mapping[Any, Any], at: QueueAt) -> bool:
        """Whether today's queue would show this card now (the rules of queued_card_id)."""
        now, day, new_left, reviews_left = at.now, at.day, at.new_left, at.reviews_left
        if not is_active_row(row, now):
            return False
        if self._article is not None and row["article_id"] != self._article:
            return False
        if row["state"] == models.STATE_NEW:
            return new_left > 0
        due = row["due"]
        if due is None:
            return False
        if row["state"] in LEARNING_STATES:
            return bool(due <= now + LEARN_AHEAD)
        return bool(due < day.end and reviews_left > 0)

    def due_now(self) -> int:
        """Studied cards whose due time has come: the `due_now` that `--check` reports."""
        with self._sessions() as session:
            return due_now_count(session, self._clock())

    def new_cards_left_today(self) -> int:
        return self.counts().new

    # -- answering -----------------------------------------------------------------------------

    def previews(self, card_id: str) -> list[Preview]:
        """The four outcomes, computed once when the answer is shown; answer() saves one."""
        now = self._clock()
        with self._engine.connect() as connection:
            state = state_from(scheduling_of(connection, card_id))
            number = review_number(connection, card_id)
        states = {
            int(rating): review(self._scheduler, state, int(rating), now, card_id, number)
            for rating in RATINGS
        }
        self._outcomes = _Outcomes(card_id, state, now, states)
        return [
            Preview(rating, interval_label(due_of(after) - now), due_of(after))
            for rating, after in states.items()
        ]

    def answer_in(
        self,
        connection: Connection,
        card_id: str,
        rating: int,
        duration_ms: int,
        row: Mapping[Any, Any] | None = None,
    ) -> AnswerResult:
        """Write one answer into the caller's transaction: the card's new state and its log row.

        `row` is the card's row if the caller has just read it. Call answered() once that
        transaction has committed.
        """
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1 to 4, not {rating}")
        clock_now = self._clock()
        latest = connection.execute(LATEST_ANSWER).scalar()
        # A clock gone back must not put an answer before the one it follows: it is saved just
        # after the last answer instead (nothing is lost; the caller tells the learner). An
        # answer's time is its key in the log, so one in the same microsecond moves on one.
        clock_behind = latest is not None and clock_now < latest
        now = clock_now if latest is None or clock_now > latest else latest + ONE_MICROSECOND
        card = row if row is not None else scheduling_of(connection, card_id)
        before = state_from(card)
        outcomes = self._outcomes
        if outcomes and (outcomes.card_id, outcomes.before) == (card_id, before):
            # Save exactly what the button showed, moved to the moment of answering. (The
            # same state before means the same answers before: each answer changes it.)
            shift = now - outcomes.computed_at
            chosen = outcomes.states[rating]
            after = replace(chosen, due=due_of(chosen) + shift, last_review=now)
        else:
            number = review_number(connection, card_id)
            after = review(self._scheduler, before, rating, now, card_id, number)
        duration = max(0, min(int(duration_ms), MAX_DURATION_MS))
        values = review_log_values(card["number"], rating, now, duration, before, after)
        connection.execute(INSERT_ANSWER, values)
        connection.execute(SET_STATE, {"card_id": card_id, **state_columns(after)})
        due = due_of(after)
        return AnswerResult(
            card_id, rating, to_microseconds(now), due, interval_label(due - now), now, clock_behind
        )

    def siblings_to_bury(
        self, connection: Connection, card_id: str, row: Mapping[Any, Any] | None = None
    ) -> list[Mapping[Any, Any]]:
        """The siblings an answer to card_id buries, by the study settings: their id and
        buried_until, the column burying them changes."""
        states = [
            state
            for state, wanted in (
                (models.STATE_NEW, self._settings.bury_new_siblings),
                (models.STATE_REVIEW, self._settings.bury_review_siblings),
            )
            if wanted
        ]
        if row is None:
            row = scheduling_of(connection, card_id)
        if not states or row["passage_id"] is None or row["sentence_index"] is None:
            return []
        return list(
            connection.execute(
                SIBLINGS,
                {
                    "passage_id": row["passage_id"],
                    "sentence_index": row["sentence_index"],
                    "card_id": card_id,
                    "now": self._clock(),
                    "states": states,
                },
            ).mappings()
        )

    def answered(self, card_id: str) -> None:
        """An answer to card_id was committed: its previews are spent, and it is no longer
        the card on screen."""
        self.forget(card_id)
        if self._shown == card_id:
            self._shown = None
        if self._custom and self._custom[0] == card_id:
            self._custom.pop(0)

    def forget(self, card_id: str) -> None:
        """The card changed under the queue (answered, suspended, buried, edited, deleted)."""
        if self._outcomes and self._outcomes.card_id == card_id:
            self._outcomes = None
        if self._first == card_id:
            self._first = None

    def snapshot(self) -> QueueState:
        """Which cards the queue is keeping (restore() puts them back if an answer read
        with study_next_on() is not committed after all)."""
        return QueueState(self._outcomes, self._first, self._shown, tuple(self._custom))

    def restore(self, state: QueueState) -> None:
        self._outcomes, self._first, self._shown = state.outcomes, state.first, state.shown
        self._custom = list(state.custom)

    @property
    def shown(self) -> str | None:
        """The card on screen (the queue's last offer, kept until it is answered or leaves
        the queue), or the one an undo brought back to be shown next."""
        return self._first if self._first is not None else self._shown

    def keep_shown(self, card_id: str) -> None:
        """This card is on screen (offered by the first screen's reader, before this queue
        existed): kept until it is answered, as a card this queue offered is."""
        self._shown = card_id

    def bring_back(self, card_id: str | None) -> None:
        """Study this card next if it is active (an undo brought it back)."""
        self._outcomes = None
        self._first = card_id

    # -- figures -------------------------------------------------------------------------------

    def today(self) -> DaySummary:
        with self._sessions() as session:
            return self.today_in(session)

    def today_in(self, session: Session) -> DaySummary:
        """today() read in the caller's session."""
        day = self.day()
        reviewed, correct, milliseconds = session.execute(
            TODAY,
            {"day_start": day.start, "day_end": day.end},
        ).one()
        return DaySummary(reviewed, correct, milliseconds)

    def next_due(self) -> dt.datetime | None:
        """When studying can go on: now if a card is waiting, else the next learning or review
        due, or the next day start for cards held back by today's limits; None if none will come.
        """
        with self._sessions() as session:
            return self.next_due_in(session)

    def next_due_in(self, session: Session) -> dt.datetime | None:
        """next_due() read in the caller's session (the done screen reads all it says in one)."""
        connection = session.connection()
        at = self._at(core_rows(connection))
        if self._next_card(connection, at) is not None:
            return at.now
        return next_available(
            session,
            Availability(
                at.now, at.day, self._settings, self._tz, (at.new_left, at.reviews_left), at.article
            ),
        )


_LOG = models.ReviewLog
TODAY = select(
    func.count(),
    func.count().filter(_LOG.rating > 1),
    func.coalesce(func.sum(_LOG.duration_ms), 0),
).where(
    _LOG.reviewed_at >= bindparam("day_start", type_=UTCDateTime()),
    _LOG.reviewed_at < bindparam("day_end", type_=UTCDateTime()),
)
