"""Statistics from the cards as they are now: counts by state, the forecast of due cards, the
distributions of difficulty, stability and retrievability, and how well each article and
section is remembered. Each chart's figures come from one SQL query.

Retrievability is FSRS's recall probability now, counting whole days since the card's last
review as py-fsrs does; SQL computes the same expression as storage/cards.py.
Only cards in the collection count (not retired by their pack, not deleted, not of a pack the
learner removed: stats.IN_COLLECTION).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.orm import Session

from studyapp.storage.cards import curve_factor
from studyapp.storage.times import to_microseconds
from studyapp.study.day import StudyDay
from studyapp.study.recall import CardRecall as CardRecall
from studyapp.study.recall import mean_recall as mean_recall
from studyapp.study.stats import DAY_US, IN_COLLECTION, MATURE_DAYS

STUDIED = f"{IN_COLLECTION} AND c.suspended = 0"  # storage.cards.studied()
MASTERED_DAYS = 21.0  # stability at which a card counts as mastered
NO_ARTICLE = "Your cards of no article"
FORECAST_DAYS = 30
# Whole days since the last review, and the recall probability they leave.
_ELAPSED = "max(0, (:now - c.last_review) / :day)"
# storage.cards.recall_probability in SQL (pow is SQLite's, or Python's: see storage/engine.py).
RECALL = f"pow(1 + :factor * {_ELAPSED} / c.stability, -:decay)"
_INTERVAL = "(c.due - c.last_review)"  # the interval a review card is scheduled at
STABILITY_EDGES = (1, 2, 3, 5, 7, 10, 14, 21, 30, 60, 90, 180, 365, 730)  # days


def recall_params(now: dt.datetime, decay: float) -> dict[str, Any]:
    return {
        "now": to_microseconds(now),
        "day": DAY_US,
        "decay": decay,
        "factor": curve_factor(decay),
    }


# -- card counts ---------------------------------------------------------------------------------

STATE_NAMES = ("new", "learning", "relearning", "young", "mature", "suspended", "buried")


def card_counts(session: Session, now: dt.datetime) -> dict[str, int]:
    """Every card in the collection in exactly one state: suspended and buried first (as in
    Anki), then by its scheduling state; young and mature by the interval (under 21 days)."""
    row = session.execute(
        text(
            f"""SELECT
                count(*) FILTER (WHERE NOT suspended AND NOT buried AND c.state = 0),
                count(*) FILTER (WHERE NOT suspended AND NOT buried AND c.state = 1),
                count(*) FILTER (WHERE NOT suspended AND NOT buried AND c.state = 3),
                count(*) FILTER (WHERE NOT suspended AND NOT buried AND c.state = 2 AND young),
                count(*) FILTER (WHERE NOT suspended AND NOT buried AND c.state = 2
                    AND NOT young),
                count(*) FILTER (WHERE suspended),
                count(*) FILTER (WHERE NOT suspended AND buried)
            FROM (SELECT c.state, c.suspended AS suspended,
                    coalesce(c.buried_until > :now, 0) AS buried,
                    coalesce(c.due - c.last_review < {MATURE_DAYS} * :day, 1) AS young
                FROM cards c WHERE {IN_COLLECTION}) AS c"""
        ),
        {"now": to_microseconds(now), "day": DAY_US},
    ).one()
    return dict(zip(STATE_NAMES, (int(value) for value in row), strict=True))


# -- forecast ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueDay:
    day: int  # 0 today (overdue cards included), 1 tomorrow, ...
    learning: int
    young: int
    mature: int

    @property
    def total(self) -> int:
        return self.learning + self.young + self.mature


def forecast(session: Session, day: StudyDay, days: int = FORECAST_DAYS) -> list[DueDay]:
    """Studied cards (not suspended) falling due on each of the next `days` study days."""
    rows = session.execute(
        text(
            f"""SELECT CASE WHEN c.due < :start THEN 0 ELSE (c.due - :start) / :day END AS d,
                count(*) FILTER (WHERE c.state IN (1, 3)),
                count(*) FILTER (WHERE c.state = 2 AND {_INTERVAL} < {MATURE_DAYS} * :day),
                count(*) FILTER (WHERE c.state = 2 AND {_INTERVAL} >= {MATURE_DAYS} * :day)
            FROM cards c
            WHERE {STUDIED} AND c.state IN (1, 2, 3) AND c.due < :until
            GROUP BY d"""
        ),
        {
            "start": to_microseconds(day.start),
            "day": DAY_US,
            "until": to_microseconds(day.start) + days * DAY_US,
        },
    )
    found = {d: DueDay(d, *counts) for d, *counts in rows}
    return [found.get(d, DueDay(d, 0, 0, 0)) for d in range(days)]


# -- distributions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    label: str  # "10–20%", "3–5 d"
    low: float
    high: float | None  # None: no upper end
    count: int


def _buckets(rows: Any, edges: list[tuple[str, float, float | None]]) -> list[Bucket]:
    counts = dict(rows.all())
    return [
        Bucket(label, low, high, int(counts.get(index, 0)))
        for index, (label, low, high) in enumerate(edges)
    ]


def difficulty_distribution(session: Session) -> list[Bucket]:
    """Studied cards by difficulty, shown as Anki does: (D - 1) / 9 as a percentage."""
    rows = session.execute(
        text(
            f"""SELECT min(9, CAST((c.difficulty - 1) / 9 * 10 AS INTEGER)) AS b, count(*)
            FROM cards c WHERE {IN_COLLECTION} AND c.state != 0 AND c.difficulty IS NOT NULL
            GROUP BY b"""
        )
    )
    edges: list[tuple[str, float, float | None]] = [
        (f"{10 * i}–{10 * i + 10}%", 10.0 * i, 10.0 * i + 10) for i in range(10)
    ]
    return _buckets(rows, edges)


def stability_distribution(session: Session) -> list[Bucket]:
    """Studied cards by stability (days until recall falls to 90%)."""
    cases = " ".join(
        f"WHEN c.stability < {edge} THEN {index}" for index, edge in enumerate(STABILITY_EDGES)
    )
    rows = session.execute(
        text(
            f"""SELECT CASE {cases} ELSE {len(STABILITY_EDGES)} END AS b, count(*)
            FROM cards c WHERE {IN_COLLECTION} AND c.state != 0 AND c.stability IS NOT NULL
            GROUP BY b"""
        )
    )
    lows = (0, *STABILITY_EDGES)
    edges: list[tuple[str, float, float | None]] = [
        (f"{low}–{high} d", float(low), float(high))
        for low, high in zip(lows, STABILITY_EDGES, strict=False)
    ]
    edges.append((f"≥ {STABILITY_EDGES[-1]} d", float(STABILITY_EDGES[-1]), None))
    return _buckets(rows, edges)


def retrievability_distribution(session: Session, now: dt.datetime, decay: float) -> list[Bucket]:
    """Studied cards by their recall probability now, in 5% steps."""
    rows = session.execute(
        text(
            f"""SELECT min(19, CAST({RECALL} * 20 AS INTEGER)) AS b, count(*)
            FROM cards c WHERE {IN_COLLECTION} AND c.state != 0 AND c.stability > 0
                AND c.last_review IS NOT NULL
            GROUP BY b"""
        ),
        recall_params(now, decay),
    )
    edges: list[tuple[str, float, float | None]] = [
        (f"{5 * i}–{5 * i + 5}%", 5.0 * i, 5.0 * i + 5) for i in range(20)
    ]
    return _buckets(rows, edges)


# -- articles and sections -----------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How well a part of the text is remembered (studied cards: not suspended, not new)."""

    article_id: str | None  # None: the learner's cards of no article
    section_id: str | None  # None: the whole article
    title: str
    cards: int
    studied: int
    mastered: int  # stability of 21 days or more
    recall_sum: float

    @property
    def average_recall(self) -> float | None:
        return self.recall_sum / self.studied if self.studied else None


def section_progress(session: Session, now: dt.datetime, decay: float) -> list[Progress]:
    """Each article (the card's own, as the switcher orders them), then its sections in
    reading order; cards not suspended. A card citing no sentence counts for its article
    alone; the learner's cards of no article make a last row of their own."""
    # The cards are summed by paragraph first (a small grouping key), then the paragraphs
    # by section: joining every card to its section before grouping took twice as long.
    # NOT INDEXED: nearly every card counts and the browse index lacks passage_id, so a scan
    # of the table beats the index and a lookup per card (57 ms against 213 at 50,000 cards).
    rows = session.execute(
        text(
            f"""SELECT g.article_id, a.title, s.id, s.heading, sum(g.cards), sum(g.studied),
                sum(g.mastered), sum(g.recall)
            FROM (SELECT c.article_id AS article_id, c.passage_id AS passage_id,
                    count(*) AS cards, count(*) FILTER (WHERE c.state != 0) AS studied,
                    count(*) FILTER (WHERE c.state != 0 AND c.stability >= {MASTERED_DAYS})
                        AS mastered,
                    coalesce(sum({RECALL}) FILTER (WHERE c.state != 0), 0) AS recall
                FROM cards c NOT INDEXED WHERE {STUDIED}
                GROUP BY c.article_id, c.passage_id) AS g
            LEFT JOIN passages p ON p.id = g.passage_id
            LEFT JOIN sections s ON s.id = p.section_id AND s.article_id = g.article_id
            LEFT JOIN articles a ON a.id = g.article_id
            LEFT JOIN packs k ON k.id = a.pack_id
            GROUP BY g.article_id, s.id
            ORDER BY a.id IS NULL, k.builtin DESC, k.installed_at, a.id, s.id IS NULL,
                s.position"""
        ),
        recall_params(now, decay),
    )
    result: list[Progress] = []
    article_index: dict[str | None, int] = {}
    for article_id, title, section_id, heading, cards, studied, mastered, recall in rows:
        index = article_index.get(article_id)
        if index is None:
            index = article_index[article_id] = len(result)
            result.append(Progress(article_id, None, title or NO_ARTICLE, 0, 0, 0, 0.0))
        total = result[index]
        result[index] = Progress(
            total.article_id,
            None,
            total.title,
            total.cards + cards,
            total.studied + studied,
            total.mastered + mastered,
            total.recall_sum + recall,
        )
        if section_id is not None:
            result.append(
                Progress(article_id, section_id, heading, cards, studied, mastered, recall)
            )
    return result


# -- the memory map ------------------------------------------------------------------------------


# The memory map's queries name their join order (CROSS JOIN: SQLite keeps it as written). Left
# to choose, the planner walks every card through the browse index and looks each one's
# sentence or events up: 0.1-1 s at 50,000 cards where starting from the few answered cards, or
# from the article's sections, takes well under a millisecond, or half the time.
_RECALL_OR_NEW = f"CASE WHEN c.state = 0 OR c.last_review IS NULL THEN NULL ELSE {RECALL} END"


_TOUCHED_SENTENCES = """DISTINCT passage_id, sentence_index FROM cards
    WHERE id IN :ids AND passage_id IS NOT NULL AND sentence_index IS NOT NULL"""
_TOUCHED_EVENTS = "DISTINCT event_id FROM card_events WHERE card_id IN :ids"


def _recall_statement(columns: str, source: str, where: str, partial: bool) -> TextClause:
    statement = text(
        f"SELECT {columns}, c.id, c.front, {_RECALL_OR_NEW} FROM {source} "
        f"WHERE {STUDIED}{where} ORDER BY c.position"
    )
    return statement.bindparams(bindparam("ids", expanding=True)) if partial else statement


# Built once: the map is read again after every answer, and text() parses its SQL each time.
_IN_ARTICLE = " AND s.article_id = :article AND c.sentence_index IS NOT NULL"
_SENTENCE_RECALL = _recall_statement(
    "c.passage_id, c.sentence_index",
    """sections s CROSS JOIN passages p ON p.section_id = s.id
        CROSS JOIN cards c ON c.passage_id = p.id""",
    _IN_ARTICLE,
    partial=False,
)
_SENTENCE_RECALL_OF = _recall_statement(
    "c.passage_id, c.sentence_index",
    f"""(SELECT {_TOUCHED_SENTENCES}) AS t
        CROSS JOIN cards c ON c.passage_id = t.passage_id
            AND c.sentence_index = t.sentence_index
        CROSS JOIN passages p ON p.id = c.passage_id
        CROSS JOIN sections s ON s.id = p.section_id""",
    _IN_ARTICLE,
    partial=True,
)
_TOUCHED_SENTENCES_OF = text(f"SELECT {_TOUCHED_SENTENCES}").bindparams(
    bindparam("ids", expanding=True)
)
_EVENT_RECALL = _recall_statement(
    "ce.event_id", "card_events ce CROSS JOIN cards c ON c.id = ce.card_id", "", partial=False
)
_EVENT_RECALL_OF = _recall_statement(
    "ce.event_id",
    f"""(SELECT {_TOUCHED_EVENTS}) AS t
        CROSS JOIN card_events ce ON ce.event_id = t.event_id
        CROSS JOIN cards c ON c.id = ce.card_id""",
    "",
    partial=True,
)
_TOUCHED_EVENTS_OF = text(f"SELECT {_TOUCHED_EVENTS}").bindparams(bindparam("ids", expanding=True))


def sentence_recall(
    session: Session,
    article_id: str,
    now: dt.datetime,
    decay: float,
    card_ids: Collection[str] | None = None,
) -> tuple[dict[tuple[str, int], list[CardRecall]], set[tuple[str, int]] | None]:
    """The article's studied cards (not suspended) by the sentence they cite, reading order;
    with card_ids, only the sentences those cards cite, and which sentences those are."""
    touched: set[tuple[str, int]] | None = None
    params: dict[str, Any] = {**recall_params(now, decay), "article": article_id}
    statement = _SENTENCE_RECALL
    if card_ids is not None:
        params["ids"] = list(card_ids)
        touched = {
            (passage_id, sentence_index)
            for passage_id, sentence_index in session.execute(_TOUCHED_SENTENCES_OF, params)
        }
        statement = _SENTENCE_RECALL_OF
    found: dict[tuple[str, int], list[CardRecall]] = {}
    for passage_id, sentence_index, card_id, front, recall in session.execute(statement, params):
        found.setdefault((passage_id, sentence_index), []).append(
            CardRecall(card_id, front, recall)
        )
    return found, touched


def event_recall(
    session: Session, now: dt.datetime, decay: float, card_ids: Collection[str] | None = None
) -> tuple[dict[str, list[CardRecall]], set[str] | None]:
    """Each event's studied cards (not suspended), by the card–event links; with card_ids, only
    the events those cards are about, and which events those are."""
    touched: set[str] | None = None
    params: dict[str, Any] = recall_params(now, decay)
    statement = _EVENT_RECALL
    if card_ids is not None:
        params["ids"] = list(card_ids)
        touched = set(session.scalars(_TOUCHED_EVENTS_OF, params))
        statement = _EVENT_RECALL_OF
    found: dict[str, list[CardRecall]] = {}
    for event_id, card_id, front, recall in session.execute(statement, params):
        found.setdefault(event_id, []).append(CardRecall(card_id, front, recall))
    return found, touched
