"""Study More (Anki's custom study): extra new cards today, or a one-off session of chosen
cards: reviews due ahead, cards forgotten lately, the cards of one paragraph or one event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from studyapp.storage import models
from studyapp.storage.cards import active
from studyapp.storage.engine import core_rows
from studyapp.storage.settings import set_setting
from studyapp.study import queue_reads
from studyapp.study.day import StudyDay
from studyapp.study.queue_reads import EXTRA_NEW_KEY
from studyapp.study.scope import in_scope

__all__ = [
    "EXTRA_NEW_KEY",
    "CustomKind",
    "CustomStudy",
    "custom_cards",
    "extra_new_today",
    "save_extra_new",
]


class CustomKind(StrEnum):
    AHEAD = "ahead"  # review cards due in the next `days` days
    FORGOTTEN = "forgotten"  # cards answered Again in the last `days` days
    PASSAGE = "passage"  # every card of one paragraph
    EVENT = "event"  # every card about one event


@dataclass(frozen=True)
class CustomStudy:
    kind: CustomKind
    days: int = 1
    target: str | None = None  # the passage or event id

    def describe(self) -> str:
        if self.kind is CustomKind.AHEAD:
            return f"reviews due in the next {self.days} days"
        if self.kind is CustomKind.FORGOTTEN:
            return f"cards forgotten in the last {self.days} days"
        return (
            "the cards of this paragraph"
            if self.kind is CustomKind.PASSAGE
            else ("the cards about this event")
        )


def custom_cards(
    session: Session,
    study: CustomStudy,
    day: StudyDay,
    now: dt.datetime,
    article_id: str | None = None,
) -> list[str]:
    """The cards of a custom session, in the order they are studied (none suspended or buried);
    reviews ahead and forgotten cards only of the article studied alone, if one is."""
    card = models.Card
    query: Select[Any]
    if study.kind is CustomKind.AHEAD:
        query = (
            select(card.id)
            .where(active(now), card.state == models.STATE_REVIEW, in_scope(article_id))
            .where(card.due >= day.end, card.due < day.end + dt.timedelta(days=study.days))
            .order_by(card.due, card.position)
        )
    elif study.kind is CustomKind.FORGOTTEN:
        since = day.end - dt.timedelta(days=study.days)
        forgotten = select(models.ReviewLog.card_number).where(
            models.ReviewLog.rating == 1, models.ReviewLog.reviewed_at >= since
        )
        query = (
            select(card.id)
            .where(active(now), card.number.in_(forgotten), card.state != models.STATE_NEW)
            .where(in_scope(article_id))
            .order_by(card.position, card.id)
        )
    elif study.kind is CustomKind.PASSAGE:
        query = (
            select(card.id)
            .where(active(now), card.passage_id == study.target)
            .order_by(card.position, card.id)
        )
    else:
        linked = select(models.CardEvent.card_id).where(models.CardEvent.event_id == study.target)
        query = select(card.id).where(active(now), card.id.in_(linked)).order_by(card.position)
    return list(session.scalars(query))


def extra_new_today(session: Session, day: StudyDay) -> int:
    """New cards added to today's limit by Study More (0 on any other day), as saved in this
    session so far."""
    session.flush()  # the read runs as SQL on the session's connection
    return queue_reads.extra_new_today(core_rows(session.connection()), day)


def save_extra_new(session: Session, day: StudyDay, count: int) -> None:
    set_setting(session, EXTRA_NEW_KEY, {"day": day.start.isoformat(), "count": count})
