"""The review queue's reads, each written once as SQL text with the Python that makes values of
its rows, for both paths that run them: ReviewQueue on a SQLAlchemy connection
(`storage.engine.core_rows`) and the first screen's reader on stdlib sqlite3, before
SQLAlchemy is imported (`first_study`). No SQLAlchemy, fsrs or Qt here.

Times go in and come out as microseconds (storage/times.py), converted here. The card rules
(which cards are active at a moment) are storage/plain_sql.py's text of storage/cards.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from studyapp.storage.card_states import (
    MARKED,
    STATE_LEARNING,
    STATE_NEW,
    STATE_RELEARNING,
    STATE_REVIEW,
)
from studyapp.storage.plain_sql import IN_SHOWN_ARTICLE, Rows, active, setting
from studyapp.storage.times import maybe_time, to_microseconds
from studyapp.study.day import StudyDay, study_day
from studyapp.study.queue_values import QueueCounts, StudyCard, StudyNext
from studyapp.study.settings_values import STUDY_SETTINGS_KEY, StudySettings, settings_from_json

LEARN_AHEAD = dt.timedelta(minutes=20)  # learning cards are offered this early, nothing left
STUDY_ARTICLE_KEY = "study_article"  # the article studied alone (JSON text), or null: every one
EXTRA_NEW_KEY = "extra_new"  # Study More's {"day": <study day start, ISO>, "count": n}
_QUEUES = {STATE_NEW: "new", STATE_REVIEW: "review"}  # the others are learning


# -- settings, scope, Study More's extra new cards ---------------------------------------------


def study_settings(rows: Rows) -> StudySettings:
    """The stored study settings (the defaults if they are missing or not usable)."""
    return settings_from_json(setting(rows, STUDY_SETTINGS_KEY, {}))


SHOWN_ARTICLE = (
    "SELECT articles.id FROM articles JOIN packs ON packs.id = articles.pack_id "
    "WHERE articles.id = :article AND packs.hidden IS 0"
)


def study_article(rows: Rows) -> str | None:
    """The article studied alone, if it is still one the learner has (a removed pack's is
    not: then every article is studied)."""
    stored = setting(rows, STUDY_ARTICLE_KEY)
    if not isinstance(stored, str):
        return None
    return stored if rows(SHOWN_ARTICLE, {"article": stored}) else None


def extra_new_today(rows: Rows, day: StudyDay) -> int:
    """New cards added to this day's limit by Study More (0 if it added them another day)."""
    stored: Any = setting(rows, EXTRA_NEW_KEY, {})
    if not isinstance(stored, dict) or stored.get("day") != day.start.isoformat():
        return 0
    count = stored.get("count")
    return count if isinstance(count, int) and not isinstance(count, bool) and count > 0 else 0


# -- today's limits ----------------------------------------------------------------------------

# The study day's own answers, by the state the card was in: never ones from "the future" (a
# clock gone back must not leave today's limits used up).
DONE_TODAY = (
    "SELECT review_log.state_before, count(*) FROM review_log "
    "WHERE review_log.reviewed_at >= :day_start AND review_log.reviewed_at < :day_end "
    "GROUP BY review_log.state_before"
)


def limits_left(
    rows: Rows, day: StudyDay, settings: StudySettings, extra_new: int = 0
) -> tuple[int, int]:
    """How many new cards and reviews today's limits leave (extra_new: Study More's, today)."""
    done = {state: count for state, count in rows(DONE_TODAY, _day_values(day))}
    new_left = max(0, settings.new_per_day + extra_new - done.get(STATE_NEW, 0))
    reviews_left = max(0, settings.reviews_per_day - done.get(STATE_REVIEW, 0))
    return new_left, reviews_left


# -- the queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueAt:
    """What the queue's reads are asked about: the article studied alone (None: every one),
    the moment and its study day, and what today's limits leave."""

    article: str | None
    now: dt.datetime
    day: StudyDay
    new_left: int
    reviews_left: int


@dataclass(frozen=True)
class QueueSql:
    """The queue's statements for one scope: every article, or the one studied alone (its
    id the :article parameter)."""

    first_learning: str  # due by :until
    first_review: str
    first_new: str
    counts: str


def _queue_sql(scope: str) -> QueueSql:
    learning = (
        f"FROM cards WHERE {active('now')} AND cards.state IN ({STATE_LEARNING}, "
        f"{STATE_RELEARNING}) AND cards.due <= :until{scope}"
    )
    # Review cards due in the study day (buried ones from its start stay hidden).
    reviews = (
        f"FROM cards WHERE {active('day_start')} AND cards.state = {STATE_REVIEW} "
        f"AND cards.due < :day_end{scope}"
    )
    new = f"FROM cards WHERE {active('now')} AND cards.state = {STATE_NEW}{scope}"
    return QueueSql(
        # The learning card due first (ties in reading order), found through
        # ix_cards_state_due. Left to itself SQLite walks ix_cards_browse in due order, past
        # every card due before :until, to find the first learning one: 2-10 ms at 50,000
        # cards when none is due yet (most answers), where the learning cards alone take
        # 0.2 ms. Ordered by (state, due) with a LIMIT (so it is not merged into the outer
        # query: -1 is no limit), the inner query reads them off that index.
        first_learning=(
            "SELECT due_learning.id FROM (SELECT cards.id AS id, cards.due AS due, "
            f"cards.position AS position {learning} ORDER BY cards.state, cards.due LIMIT -1) "
            "AS due_learning ORDER BY due_learning.due, due_learning.position LIMIT 1"
        ),
        first_review=f"SELECT cards.id {reviews} ORDER BY cards.due, cards.position LIMIT 1",
        # In reading order. A new card has no due time, so (due, position) is the order of
        # position, and the one ix_cards_browse keeps them in after (retired, deleted_at):
        # SQLite walks it in order and stops at the first active new card, where ordering by
        # position alone sorted every card first (13-22 ms at 50,000 cards, against 0.02 ms).
        first_new=f"SELECT cards.id {new} ORDER BY cards.due, cards.position LIMIT 1",
        # The three counts at once: learning due by :until, reviews and new cards up to what
        # today's limits leave. The learning cards ordered as ix_cards_state_due is: SQLite
        # then counts off that index (0.06 ms at 50,000 cards) instead of walking every card
        # due before :until in ix_cards_browse (1.2-1.5 ms).
        counts=(
            f"SELECT (SELECT count(*) FROM (SELECT cards.id {learning} "
            "ORDER BY cards.state, cards.due)), "
            f"(SELECT count(*) FROM (SELECT cards.id {reviews} LIMIT :reviews_left)), "
            f"(SELECT count(*) FROM (SELECT cards.id {new} LIMIT :new_left))"
        ),
    )


EVERY_ARTICLE = _queue_sql("")
ONE_ARTICLE = _queue_sql(" AND cards.article_id = :article")


def queue_sql(article: str | None) -> QueueSql:
    return EVERY_ARTICLE if article is None else ONE_ARTICLE


def queue_counts(rows: Rows, at: QueueAt) -> QueueCounts:
    """Today's counts: learning cards due within LEARN_AHEAD, reviews due today and new cards,
    those two up to what today's limits leave."""
    values = {
        **_moment_values(at),
        "until": to_microseconds(at.now + LEARN_AHEAD),
        "reviews_left": at.reviews_left,
        "new_left": at.new_left,
    }
    learning, reviews, new = rows(queue_sql(at.article).counts, values)[0]
    return QueueCounts(new, learning, reviews)


def queued_card_id(rows: Rows, at: QueueAt) -> str | None:
    """The card today's queue offers next: a learning card due now, a review due today, a new
    card, then a learning card due within LEARN_AHEAD; None when none is left."""
    sql = queue_sql(at.article)
    moment = _moment_values(at)
    candidates = [(sql.first_learning, {**moment, "until": moment["now"]})]
    if at.reviews_left > 0:
        candidates.append((sql.first_review, moment))
    if at.new_left > 0:
        candidates.append((sql.first_new, moment))
    ahead = to_microseconds(at.now + LEARN_AHEAD)
    candidates.append((sql.first_learning, {**moment, "until": ahead}))
    for statement, values in candidates:
        found = rows(statement, values)
        if found:
            return str(found[0][0])
    return None


# -- the card shown ----------------------------------------------------------------------------

SHOWN = (
    "SELECT cards.id, cards.kind, cards.front, cards.back, cards.cloze, cards.quote, "
    "cards.passage_id, cards.sentence_index, cards.state, cards.flag, cards.article_id, "
    "EXISTS (SELECT * FROM card_tags WHERE card_tags.card_id = cards.id "
    f"AND card_tags.tag = '{MARKED}') AS marked "
    "FROM cards WHERE cards.id = :card_id"
)
_SAME_SENTENCE = (
    "events.passage_id = cards.passage_id AND events.sentence_index = cards.sentence_index"
)
# The events a card is about, for Show Source and its answer: those it is linked to, or, a
# card linked to none, the events quoting its sentence; the event of its own sentence first,
# and a point (the day it states) before a period.
EVENTS = (
    "SELECT events.id FROM events JOIN cards ON cards.id = :card_id "
    "WHERE events.retired IS 0 AND (events.id IN (SELECT card_events.event_id FROM card_events "
    "WHERE card_events.card_id = :card_id) OR NOT (EXISTS (SELECT card_events.event_id "
    "FROM card_events JOIN events AS linked ON linked.id = card_events.event_id "
    "WHERE card_events.card_id = :card_id AND linked.retired IS 0)) "
    f"AND {_SAME_SENTENCE}) "
    f"ORDER BY ({_SAME_SENTENCE}) DESC, events.kind = 'period', events.start_day, events.id"
)


def study_card(rows: Rows, card_id: str) -> StudyCard | None:
    """What the review pane shows of a card (None if there is no such card)."""
    found = rows(SHOWN, {"card_id": card_id})
    if not found:
        return None
    row = found[0]
    events = tuple(str(event[0]) for event in rows(EVENTS, {"card_id": card_id}))
    return StudyCard(
        id=row[0],
        kind=row[1],
        front=row[2],
        back=row[3],
        cloze=row[4],
        quote=row[5],
        passage_id=row[6],
        sentence_index=row[7],
        event_ids=events,
        queue=_QUEUES.get(row[8], "learning"),
        flag=row[9],
        marked=bool(row[11]),
        article_id=row[10],
    )


# A card's scheduling columns and where it is in study: what keeping a card on screen checks,
# and what an answer starts from.
SCHEDULING = (
    "SELECT cards.number, cards.state, cards.step, cards.stability, cards.difficulty, "
    "cards.due, cards.last_review, cards.retired, cards.deleted_at, cards.suspended, "
    "cards.buried_until, cards.passage_id, cards.sentence_index, cards.article_id, "
    f"{IN_SHOWN_ARTICLE} AS shown FROM cards WHERE cards.id = :card_id"
)
_SCHEDULING_COLUMNS = (
    "number", "state", "step", "stability", "difficulty", "due", "last_review", "retired",
    "deleted_at", "suspended", "buried_until", "passage_id", "sentence_index", "article_id",
    "shown",
)  # fmt: skip
_TIMES = ("due", "last_review", "deleted_at", "buried_until")
_FLAGS = ("retired", "suspended", "shown")


def scheduling(rows: Rows, card_id: str) -> dict[str, Any] | None:
    """SCHEDULING's columns by name, times as aware UTC datetimes (None: no such card)."""
    found = rows(SCHEDULING, {"card_id": card_id})
    if not found:
        return None
    row = dict(zip(_SCHEDULING_COLUMNS, found[0], strict=True))
    for name in _TIMES:
        row[name] = maybe_time(row[name])
    for name in _FLAGS:
        row[name] = bool(row[name])
    return row


# -- the first screen --------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstStudy:
    """What a collection just opened shows first: its .settings, .study_article, .day() and
    .study_next() (a fresh queue: no card kept by undo or on screen, no Study More session)."""

    settings: StudySettings
    article: str | None
    day: StudyDay
    next: StudyNext


def first_study(rows: Rows, now: dt.datetime, tz: dt.tzinfo | None) -> FirstStudy:
    """FirstStudy at `now`, the study day's in `tz` (None: the system's local time zone)."""
    settings = study_settings(rows)
    article = study_article(rows)
    day = study_day(now, settings.day_start_hour, tz)
    new_left, reviews_left = limits_left(rows, day, settings, extra_new_today(rows, day))
    at = QueueAt(article, now, day, new_left, reviews_left)
    card_id = queued_card_id(rows, at)
    card = study_card(rows, card_id) if card_id is not None else None
    return FirstStudy(settings, article, day, StudyNext(card, queue_counts(rows, at)))


def _day_values(day: StudyDay) -> dict[str, int]:
    return {"day_start": to_microseconds(day.start), "day_end": to_microseconds(day.end)}


def _moment_values(at: QueueAt) -> dict[str, Any]:
    return {"article": at.article, "now": to_microseconds(at.now), **_day_values(at.day)}
