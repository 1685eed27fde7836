"""An answer's writes and reads inside its one transaction (Collection.answer runs it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, update

from studyapp.collection.authoring_values import CardOperationError
from studyapp.collection.undo import TABLES, Journal
from studyapp.storage import models
from studyapp.study.day import StudyDay
from studyapp.study.queue import article_hidden
from studyapp.study.queue_values import AnswerResult, StudyNext
from studyapp.study.review import ReviewQueue

_CARDS = TABLES["cards"]
BURY_CARDS = (
    update(_CARDS)
    .where(_CARDS.c.id.in_(bindparam("ids", expanding=True)))
    .values(buried_until=bindparam("until", type_=models.UTCDateTime()))
)


@dataclass(frozen=True)
class WrittenAnswer:
    result: AnswerResult
    siblings: list[str]  # buried by it
    upcoming: StudyNext | None  # the next card and counts, read after the writes


def write_answer(
    queue: ReviewQueue,
    journal: Journal,
    card_id: str,
    rating: int,
    duration_ms: int,
    day: StudyDay,
    with_next: bool,
) -> WrittenAnswer:
    """The card's row read once (for the checks, the scheduler and the undo journal), the log
    row and the card's new state written, its siblings buried; with_next, then the next card
    and today's counts read. The queue is told the card was answered: the caller restores it
    (ReviewQueue.snapshot) if the transaction does not commit."""
    connection = journal.connection
    captured = journal.capture_cards([card_id])
    if not captured:
        raise KeyError(f"no card with id {card_id!r}")
    row = captured[0]
    refuse_unstudied(connection, row)
    result = queue.answer_in(connection, card_id, rating, duration_ms, row)
    journal.created("review_log", result.answered_at)  # its key: the time it was saved
    # Anki's sibling burying: the other cards of its sentence wait for tomorrow.
    sibling_rows = queue.siblings_to_bury(connection, card_id, row)
    kept = journal.remember("cards", sibling_rows, whole=False)  # only buried_until changes
    siblings = [sibling["id"] for sibling in kept]
    if siblings:
        connection.execute(BURY_CARDS, {"ids": siblings, "until": day.end})
    queue.answered(card_id)
    for sibling in siblings:
        queue.forget(sibling)
    upcoming = queue.study_next_on(connection) if with_next else None
    return WrittenAnswer(result, siblings, upcoming)


def refuse_unstudied(connection: Connection, row: Mapping[str, Any]) -> None:
    """CardOperationError if the card is deleted, suspended, retired or of a removed pack."""
    if row["deleted_at"] is not None:
        raise CardOperationError("This card was deleted (Ctrl+Z brings it back).")
    removed = row["article_id"] is not None and article_hidden(connection, row["article_id"])
    if row["suspended"] or row["retired"] or removed:
        reason = (
            "suspended"
            if row["suspended"]
            else "no longer in its pack"
            if row["retired"]
            else "of a pack you removed"
        )
        raise CardOperationError(f"This card is {reason}, so it is not studied.")
