"""The browser's rows: everything its columns show about a card, read for a batch of ids in
three queries (cards with their section and article, review figures, marks), never per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from studyapp.storage import models
from studyapp.storage.cards import MARKED
from studyapp.storage.models import STATE_REVIEW
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


def read_rows(session: Session, card_ids: Sequence[str], now: dt.datetime) -> dict[str, BrowserRow]:
    """The rows for these ids (an id that is gone gets a "(deleted)" row)."""
    card, passage, section, article = models.Card, models.Passage, models.Section, models.Article
    log = models.ReviewLog
    lapse = (log.rating == 1) & (log.state_before == STATE_REVIEW)  # Anki's lapse
    rows: dict[str, BrowserRow] = {}
    for start in range(0, len(card_ids), BATCH):
        chunk = list(card_ids[start : start + BATCH])
        figures = {
            card_id: (count, lapses)
            for card_id, count, lapses in session.execute(
                select(
                    log.card_id,
                    func.count(),
                    func.sum(case((lapse, 1), else_=0)),
                )
                .where(log.card_id.in_(chunk))
                .group_by(log.card_id)
            )
        }
        marked = set(
            session.scalars(
                select(models.CardTag.card_id).where(
                    models.CardTag.card_id.in_(chunk), models.CardTag.tag == MARKED
                )
            )
        )
        statement = (
            select(
                card.id,
                card.kind,
                card.front,
                card.back,
                article.title,
                section.heading,
                card.state,
                card.due,
                card.last_review,
                card.stability,
                card.difficulty,
                card.flag,
                card.pack_id,
                card.suspended,
                card.buried_until,
                card.original_front.is_not(None),
                card.deleted_at,
                card.retired,
            )
            .outerjoin(passage, passage.id == card.passage_id)
            .outerjoin(section, section.id == passage.section_id)
            .outerjoin(article, article.id == card.article_id)
            .where(card.id.in_(chunk))
        )
        for row in session.execute(statement):
            (card_id, kind, front, back, title, heading, state, due, last_review, stability,
             difficulty, flag, pack_id, suspended, buried_until, edited, deleted_at,
             retired) = row  # fmt: skip
            count, lapses = figures.get(card_id, (0, 0))
            rows[card_id] = BrowserRow(
                id=card_id,
                kind=kind,
                question=front,
                answer=back,
                article=title,
                section=heading,
                state=state,
                due=due,
                last_review=last_review,
                stability=stability,
                difficulty=difficulty,
                retrievability=retrievability_of(stability, last_review, now),
                reviews=count,
                lapses=int(lapses or 0),
                flag=flag,
                pack_id=pack_id,
                suspended=bool(suspended),
                buried=buried_until is not None and buried_until > now,
                marked=card_id in marked,
                edited=bool(edited),
                deleted=deleted_at is not None or bool(retired),
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
