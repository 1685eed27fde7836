"""When studying can go on once nothing is waiting: the next learning or review due, or the next
study day for cards held back by today's limits (what the done screen says)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.storage import models
from studyapp.storage.cards import LEARNING_STATES, active, in_collection
from studyapp.study.day import StudyDay, study_day
from studyapp.study.queue_reads import LEARN_AHEAD
from studyapp.study.scope import in_scope
from studyapp.study.settings import StudySettings

__all__ = ["LEARN_AHEAD", "Availability", "next_available"]


@dataclass(frozen=True)
class Availability:
    """What the queue knows at `now`: its day, settings, today's limits left, its scope."""

    now: dt.datetime
    day: StudyDay
    settings: StudySettings
    tz: dt.tzinfo | None
    limits_left: tuple[int, int]  # (new, reviews)
    article: str | None  # the article studied alone, or None


def next_available(session: Session, at: Availability) -> dt.datetime | None:
    """The first time a card the queue holds back can be shown; None if none ever will."""
    now, scope = at.now, in_scope(at.article)
    unburied = session.execute(
        select(models.Card.state, func.min(models.Card.due))
        .where(active(now), scope)
        .group_by(models.Card.state)
    ).all()
    buried = session.execute(
        select(models.Card.state, models.Card.due, models.Card.buried_until).where(
            in_collection(),
            scope,
            models.Card.suspended.is_(False),
            models.Card.buried_until > now,
        )
    ).all()
    waiting = [(state, due, now) for state, due in unburied]
    waiting += [(state, due, until or now) for state, due, until in buried]
    times = [
        when
        for state, due, shown_from in waiting
        if (when := _available_at(at, state, due, shown_from)) is not None
    ]
    return max(min(times), now) if times else None


def _available_at(
    at: Availability, state: int, due: dt.datetime | None, shown_from: dt.datetime
) -> dt.datetime | None:
    """When a card not buried after `shown_from` can next be shown (None: never)."""
    if state in LEARNING_STATES:
        # Learning cards are offered up to LEARN_AHEAD early when nothing else is left.
        return shown_from if due is None else max(shown_from, due - LEARN_AHEAD)
    new_left, reviews_left = at.limits_left
    per_day, left = (
        (at.settings.new_per_day, new_left)
        if state == models.STATE_NEW
        else (at.settings.reviews_per_day, reviews_left)
    )
    if per_day == 0:
        return None
    # Today's limit used up: the card waits for the next study day, when the limits reset.
    day = at.day
    start = shown_from if shown_from < day.end and left > 0 else max(shown_from, day.end)
    if due is None:
        return start
    # A review is offered from the start of the study day it falls due in.
    due_day = study_day(due, at.settings.day_start_hour, at.tz)
    return max(start, due_day.start)
