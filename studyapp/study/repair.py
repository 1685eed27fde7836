"""Repair cards whose scheduling state is impossible by replaying their review history."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.storage import models
from studyapp.storage.cards import CardState, set_state
from studyapp.storage.check import impossible_cards
from studyapp.study.scheduling import make_scheduler, review
from studyapp.study.settings import load_study_settings


@dataclass(frozen=True)
class Repair:
    card_id: str
    reason: str
    action: str  # what was done, in words


def repair_impossible_cards(session: Session) -> list[Repair]:
    """Find impossible cards and rebuild each one's state from its review log, inside the
    caller's transaction.

    A card with history gets the state its answers lead to (fsrs, same fuzz as when answered);
    a card with none becomes new again. The review log itself is never changed.
    """
    repairs = []
    settings = load_study_settings(session)
    scheduler = make_scheduler(settings.desired_retention, settings.fsrs_parameters)
    for card_id, reason in impossible_cards(session):
        card = session.get(models.Card, card_id)
        if card is None:
            continue
        rows = session.scalars(
            select(models.ReviewLog)
            .where(models.ReviewLog.card_number == card.number)
            .order_by(models.ReviewLog.reviewed_at)
        ).all()
        state = CardState.new()
        for number, row in enumerate(rows):
            if row.state_before == models.STATE_NEW:
                state = CardState.new()  # the card was new again here (Forget): start over
            state = review(scheduler, state, row.rating, row.reviewed_at, card_id, number)
        set_state(card, state)
        action = f"rebuilt from its {len(rows)} answers" if rows else "reset to new (no answers)"
        repairs.append(Repair(card_id, reason, action))
    return repairs
