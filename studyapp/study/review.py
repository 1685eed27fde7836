"""ReviewQueue: which card to study next, today's counts and figures, and what an answer does.

It reads through its own short sessions; the changes it computes (an answer) are written into
the caller's transaction: the Collection owns transactions and undo. Callers receive plain
frozen values, never ORM rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from studyapp.clock import utc_now
from studyapp.storage import models
from studyapp.storage.cards import (
    LEARNING_STATES,
    CardState,
    active,
    hidden_articles,
    is_active,
    review_log_row,
    set_state,
    siblings_of,
    state_of,
)
from studyapp.storage.check import due_now_count
from studyapp.study.availability import LEARN_AHEAD, Availability, next_available
from studyapp.study.custom import CustomStudy, custom_cards, extra_new_today
from studyapp.study.day import StudyDay, study_day
from studyapp.study.queue import (
    StudyCard,
    count,
    due_of,
    get,
    learning_due,
    new_cards,
    review_count,
    reviews_due,
    study_card,
)
from studyapp.study.scheduling import RATINGS, interval_label, make_scheduler, review
from studyapp.study.scope import load_study_article
from studyapp.study.settings import StudySettings, load_study_settings

MAX_DURATION_MS = 60_000


@dataclass(frozen=True)
class QueueCounts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class Preview:
    rating: int
    label: str  # "1m", "10m", "1d", "4d"
    due: dt.datetime


@dataclass(frozen=True)
class AnswerResult:
    card_id: str
    rating: int
    review_id: int
    due: dt.datetime
    label: str
    answered_at: dt.datetime
    clock_behind: bool  # the clock read earlier than the last answer: saved at that answer's time


@dataclass(frozen=True)
class DaySummary:
    reviewed: int
    correct: int  # answers other than Again
    milliseconds: int

    @property
    def percent_correct(self) -> int | None:
        return round(100 * self.correct / self.reviewed) if self.reviewed else None


@dataclass(frozen=True)
class _Outcomes:
    card_id: str
    review_number: int
    computed_at: dt.datetime
    states: dict[int, CardState]


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
        self._clock = clock
        self._tz = tz
        with sessions() as session:
            self._settings = load_study_settings(session)
            self._article = load_study_article(session)  # None: every article is studied
        self._scheduler = make_scheduler(self._settings.desired_retention)
        self._outcomes: _Outcomes | None = None
        self._first: str | None = None
        self._custom: list[str] = []  # a Study More session's cards still to show
        self._extra_new: tuple[StudyDay, int] = (self.day(), 0)  # Study More's, for that day
        self.reload_extra_new()

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
        self._scheduler = make_scheduler(settings.desired_retention)
        self._outcomes = None
        self.reload_extra_new()

    def reload_extra_new(self) -> None:
        """Read Study More's extra new cards for today again (saved, or restored by undo)."""
        day = self.day()
        with self._sessions() as session:
            self._extra_new = (day, extra_new_today(session, day))

    # -- which articles -------------------------------------------------------------------------

    @property
    def article(self) -> str | None:
        """The article studied alone, or None when every article is studied."""
        return self._article

    def follow_scope(self) -> None:
        """Read which articles are studied again (saved, restored by undo, or a pack removed)."""
        with self._sessions() as session:
            self._article = load_study_article(session)
        self._outcomes = None

    # -- Study More ----------------------------------------------------------------------------

    def start_custom(self, study: CustomStudy) -> int:
        """Study these cards next (until they are done); how many there are."""
        now = self._clock()
        with self._sessions() as session:
            self._custom = custom_cards(session, study, self.day(), now, self._article)
        self._outcomes = None
        return len(self._custom)

    def custom_left(self) -> int:
        return len(self._custom)

    def end_custom(self) -> None:
        self._custom = []

    def day(self) -> StudyDay:
        return study_day(self._clock(), self._settings.day_start_hour, self._tz)

    # -- the queue -----------------------------------------------------------------------------

    def counts(self) -> QueueCounts:
        now = self._clock()
        day = self.day()
        article = self._article
        with self._sessions() as session:
            new_left, reviews_left = self._limits_left(session, day)
            learning = count(session, learning_due(now + LEARN_AHEAD, now, article), None)
            reviews = count(session, reviews_due(day, article), reviews_left)
            new = count(session, new_cards(now, article), new_left)
        return QueueCounts(new, learning, reviews)

    def next_card(self) -> StudyCard | None:
        now = self._clock()
        day = self.day()
        article = self._article
        with self._sessions() as session:
            new_left, reviews_left = self._limits_left(session, day)
            hidden = (
                frozenset(session.scalars(hidden_articles()))
                if self._first or self._custom
                else frozenset()
            )
            if self._first is not None:
                # Kept until that card is answered, so asking twice shows the same card; only
                # while it is one today's queue would show (an undo must not bring a card
                # forward that is not due).
                card = session.get(models.Card, self._first)
                if card is not None and self._offered_now(
                    card, now, day, (new_left, reviews_left), hidden
                ):
                    return study_card(session, card)
                self._first = None
            while self._custom:
                card = session.get(models.Card, self._custom[0])
                if card is not None and is_active(card, now, hidden):
                    return study_card(session, card)
                self._custom.pop(0)  # suspended, buried or gone since the session began
            candidates: list[Select[models.Card]] = [learning_due(now, now, article)]
            if reviews_left > 0:
                candidates.append(reviews_due(day, article))
            if new_left > 0:
                candidates.append(new_cards(now, article))
            candidates.append(learning_due(now + LEARN_AHEAD, now, article))
            for query in candidates:
                card = session.scalars(query.limit(1)).first()
                if card is not None:
                    return study_card(session, card)
        return None

    def _offered_now(
        self,
        card: models.Card,
        now: dt.datetime,
        day: StudyDay,
        limits_left: tuple[int, int],
        hidden: frozenset[str],
    ) -> bool:
        """Whether today's queue would show this card now (the rules of next_card)."""
        new_left, reviews_left = limits_left
        if not is_active(card, now, hidden):
            return False
        if self._article is not None and card.article_id != self._article:
            return False
        if card.state == models.STATE_NEW:
            return new_left > 0
        if card.due is None:
            return False
        if card.state in LEARNING_STATES:
            return card.due <= now + LEARN_AHEAD
        return card.due < day.end and reviews_left > 0

    def due_now(self) -> int:
        """Studied cards whose due time has come: the `due_now` that `--check` reports."""
        with self._sessions() as session:
            return due_now_count(session, self._clock())

    def new_cards_left_today(self) -> int:
        with self._sessions() as session:
            new_left, _ = self._limits_left(session, self.day())
            return count(session, new_cards(self._clock(), self._article), new_left)

    def _limits_left(self, session: Session, day: StudyDay) -> tuple[int, int]:
        done = dict(
            session.execute(
                select(models.ReviewLog.state_before, func.count())
                # The study day's own answers: never ones from "the future" (a clock that
                # went back must not leave today's limits used up).
                .where(
                    models.ReviewLog.reviewed_at >= day.start,
                    models.ReviewLog.reviewed_at < day.end,
                )
                .group_by(models.ReviewLog.state_before)
            ).all()
        )
        extra_day, extra = self._extra_new
        per_day = self._settings.new_per_day + (extra if extra_day == day else 0)
        new_left = max(0, per_day - done.get(models.STATE_NEW, 0))
        reviews_left = max(0, self._settings.reviews_per_day - done.get(models.STATE_REVIEW, 0))
        return new_left, reviews_left

    # -- answering -----------------------------------------------------------------------------

    def previews(self, card_id: str) -> list[Preview]:
        """The four outcomes, computed once when the answer is shown; answer() saves one."""
        now = self._clock()
        with self._sessions() as session:
            card = get(session, card_id)
            number = review_count(session, card_id)
        state = state_of(card)
        states = {
            int(rating): review(self._scheduler, state, int(rating), now, card_id, number)
            for rating in RATINGS
        }
        self._outcomes = _Outcomes(card_id, number, now, states)
        return [
            Preview(rating, interval_label(due_of(after) - now), due_of(after))
            for rating, after in states.items()
        ]

    def answer_in(
        self, session: Session, card_id: str, rating: int, duration_ms: int
    ) -> AnswerResult:
        """Write one answer into the caller's transaction: the card's new state and its log row.

        Call answered() once that transaction has committed.
        """
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1 to 4, not {rating}")
        clock_now = self._clock()
        latest = session.scalar(select(func.max(models.ReviewLog.reviewed_at)))
        # A clock gone back must not put an answer before the one it follows: it is saved at
        # the last answer's time instead (nothing is lost; the caller tells the learner).
        clock_behind = latest is not None and clock_now < latest
        now = latest if clock_behind and latest is not None else clock_now
        card = get(session, card_id)
        number = review_count(session, card_id)
        before = state_of(card)
        outcomes = self._outcomes
        if outcomes and (outcomes.card_id, outcomes.review_number) == (card_id, number):
            # Save exactly what the button showed, moved to the moment of answering.
            shift = now - outcomes.computed_at
            chosen = outcomes.states[rating]
            after = replace(chosen, due=due_of(chosen) + shift, last_review=now)
        else:
            after = review(self._scheduler, before, rating, now, card_id, number)
        duration = max(0, min(int(duration_ms), MAX_DURATION_MS))
        log = review_log_row(card_id, rating, now, duration, before, after)
        session.add(log)
        set_state(card, after)
        session.flush()
        due = due_of(after)
        return AnswerResult(
            card_id, rating, log.id, due, interval_label(due - now), now, clock_behind
        )

    def siblings_to_bury(self, session: Session, card_id: str) -> list[str]:
        """The siblings an answer to card_id buries, by the study settings."""
        states = [
            state
            for state, wanted in (
                (models.STATE_NEW, self._settings.bury_new_siblings),
                (models.STATE_REVIEW, self._settings.bury_review_siblings),
            )
            if wanted
        ]
        card = get(session, card_id)
        if not states:
            return []
        query = select(models.Card.id).where(
            siblings_of(card), active(self._clock()), models.Card.state.in_(states)
        )
        return list(session.scalars(query.order_by(models.Card.position)))

    def answered(self, card_id: str) -> None:
        """An answer to card_id was committed: its previews are spent."""
        self.forget(card_id)
        if self._custom and self._custom[0] == card_id:
            self._custom.pop(0)

    def forget(self, card_id: str) -> None:
        """The card changed under the queue (answered, suspended, buried, edited, deleted)."""
        if self._outcomes and self._outcomes.card_id == card_id:
            self._outcomes = None
        if self._first == card_id:
            self._first = None

    def bring_back(self, card_id: str | None) -> None:
        """Study this card next if it is active (an undo brought it back)."""
        self._outcomes = None
        self._first = card_id

    # -- figures -------------------------------------------------------------------------------

    def today(self) -> DaySummary:
        day = self.day()
        with self._sessions() as session:
            reviewed, correct, milliseconds = session.execute(
                select(
                    func.count(),
                    func.count().filter(models.ReviewLog.rating > 1),
                    func.coalesce(func.sum(models.ReviewLog.duration_ms), 0),
                ).where(
                    models.ReviewLog.reviewed_at >= day.start,
                    models.ReviewLog.reviewed_at < day.end,
                )
            ).one()
        return DaySummary(reviewed, correct, milliseconds)

    def next_due(self) -> dt.datetime | None:
        """When studying can go on: now if a card is waiting, else the next learning or review
        due, or the next day start for cards held back by today's limits; None if none will come.
        """
        now = self._clock()
        if self.next_card() is not None:
            return now
        day = self.day()
        with self._sessions() as session:
            limits_left = self._limits_left(session, day)
            return next_available(
                session,
                Availability(now, day, self._settings, self._tz, limits_left, self._article),
            )
