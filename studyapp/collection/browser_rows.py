"""The browser's rows: everything its columns show about a card, read for a batch of ids in
three queries (cards with their section and article, review figures, marks), never per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from studyapp.storage.cards import MARKED
from studyapp.storage.models import STATE_REVIEW
from studyapp.storage.times import from_microseconds
from studyapp.study.scheduling import retrievability_of

if TYPE_CHECKING:
    from studyapp.collection.collection import Collection

BATCH = 500  # ids per query: below SQLite's limit of bound variables
STATE_WORDS = {0: "new", 1: "learning", 2: "review", 3: "relearning"}


@dataclass(frozen=True)
class BrowserRow:
    """One card as a row of the browser's table."""

    id: str
    kind: str
    question: str
    answer: str
    article: str | None  # the article's title (None: no source)
    section: str | None  # the section's heading
    state: int
    due: dt.datetime | None
    last_review: dt.datetime | None
    stability: float | None
    difficulty: float | None
    retrievability: float | None  # at the time of reading
    reviews: int
    lapses: int
    flag: int
    pack_id: str | None  # None: the learner's own
    suspended: bool
    buried: bool
    marked: bool
    edited: bool
    deleted: bool  # deleted (or gone) since the search: shown as such until the next one

    @property
    def mine(self) -> bool:
        return self.pack_id is None

    @property
    def status(self) -> str:
        """The state in words, and what keeps it from study: "review", "new,suspended"."""
        if self.deleted:
            return "deleted"
        words = [STATE_WORDS.get(self.state, str(self.state))]
        words += [
            word for word, on in (("suspended", self.suspended), ("buried", self.buried)) if on
        ]
        return ",".join(words)

    @property
    def interval(self) -> dt.timedelta | None:
        if self.due is None or self.last_review is None:
            return None
        return self.due - self.last_review


def gone(card_id: str) -> BrowserRow:
    """A row for an id no longer in the collection (deleted, or its addition undone)."""
    return BrowserRow(
        card_id, "", "(deleted)", "", None, None, 0, None, None, None, None, None, 0, 0, 0,
        None, False, False, False, False, True,
    )  # fmt: skip


# The three reads, in SQL text: a page of rows is read at every few scroll steps, and
# SQLAlchemy's compiling of three statements with hundreds of bound ids each cost more than
# SQLite's reading them. The placeholders are filled in per batch size ({ids}).
ROWS_SQL = (
    "SELECT c.id, c.kind, c.front, c.back, a.title, s.heading, c.state, c.due, c.last_review, "
    "c.stability, c.difficulty, c.flag, c.pack_id, c.suspended, c.buried_until, "
    "c.original_front IS NOT NULL, c.deleted_at IS NOT NULL OR c.retired "
    "FROM cards c LEFT JOIN passages p ON p.id = c.passage_id "
    "LEFT JOIN sections s ON s.id = p.section_id LEFT JOIN articles a ON a.id = c.article_id "
    "WHERE c.id IN ({ids})"
)
FIGURES_SQL = (
    "SELECT c.id, count(*), "
    f"sum(CASE WHEN r.rating = 1 AND r.state_before = {STATE_REVIEW} THEN 1 ELSE 0 END) "
    "FROM cards c JOIN review_log r ON r.card_number = c.number WHERE c.id IN ({ids}) "
    "GROUP BY c.id"
)  # reviews and Anki's lapses (Again on a card in review)
MARKED_SQL = f"SELECT card_id FROM card_tags WHERE tag = '{MARKED}' AND card_id IN ({{ids}})"


def _time(value: int | None) -> dt.datetime | None:
    return None if value is None else from_microseconds(value)


def read_rows(
    session: Session,
    card_ids: Sequence[str],
    now: dt.datetime,
    parameters: tuple[float, ...] = (),
) -> dict[str, BrowserRow]:
    """The rows for these ids (an id that is gone gets a "(deleted)" row); retrievability by
    the learner's FSRS parameters (their forgetting curve)."""
    connection = session.connection()
    rows: dict[str, BrowserRow] = {}
    for start in range(0, len(card_ids), BATCH):
        chunk = tuple(card_ids[start : start + BATCH])
        ids = ", ".join("?" * len(chunk))
        figures = {
            card_id: (count, lapses or 0)
            for card_id, count, lapses in connection.exec_driver_sql(
                FIGURES_SQL.format(ids=ids), chunk
            )
        }
        marked = {card_id for (card_id,) in connection.exec_driver_sql(
            MARKED_SQL.format(ids=ids), chunk
        )}  # fmt: skip
        for row in connection.exec_driver_sql(ROWS_SQL.format(ids=ids), chunk):
            (card_id, kind, front, back, title, heading, state, due, last_review, stability,
             difficulty, flag, pack_id, suspended, buried_until, edited, away) = row  # fmt: skip
            count, lapses = figures.get(card_id, (0, 0))
            last = _time(last_review)
            buried = _time(buried_until)
            rows[card_id] = BrowserRow(
                id=card_id,
                kind=kind,
                question=front,
                answer=back,
                article=title,
                section=heading,
                state=state,
                due=_time(due),
                last_review=last,
                stability=stability,
                difficulty=difficulty,
                retrievability=retrievability_of(stability, last, now, parameters),
                reviews=count,
                lapses=int(lapses),
                flag=flag,
                pack_id=pack_id,
                suspended=bool(suspended),
                buried=buried is not None and buried > now,
                marked=card_id in marked,
                edited=bool(edited),
                deleted=bool(away),
            )
    for card_id in card_ids:
        if card_id not in rows:
            rows[card_id] = gone(card_id)
    return rows


def find_lines(collection: Collection, card_ids: Sequence[str]) -> Iterator[str]:
    """`studyapp --find`'s lines: id, state, due (UTC, ISO 8601; "-" for a new card) and the
    question on one line, separated by tabs."""
    for start in range(0, len(card_ids), BATCH):
        chunk = card_ids[start : start + BATCH]
        rows = collection.browser_rows(chunk)
        for card_id in chunk:
            row = rows[card_id]
            due = "-" if row.due is None else row.due.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
            yield "\t".join((row.id, row.status, due, " ".join(row.question.split())))
