"""Check database: impossible scheduling states are found and rebuilt from the review log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import update

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.storage import models
from studyapp.storage.check import impossible_cards, run_check

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def test_impossible_states_are_reported_and_repaired(data_dir: Path) -> None:
    clock = FakeClock(NOW)
    collection = Collection.open(data_dir, clock.now, tz=dt.UTC)
    sessions = collection.database.sessions
    for rating in (3, 3):
        card = collection.next_card()
        assert card is not None
        collection.previews(card.id)
        collection.answer(card.id, rating, 3000)
        clock.advance(minutes=11)
    with sessions() as session:
        good = session.get(models.Card, "parties")
        assert good is not None
        expected = (good.state, good.step, good.stability, good.difficulty, good.due)

    with sessions.begin() as session:
        session.execute(
            update(models.Card).where(models.Card.id == "parties").values(stability=-1.0)
        )
        session.execute(
            update(models.Card)
            .where(models.Card.id == "klaipeda-interests")
            .values(state=models.STATE_REVIEW, step=None)
        )
    with sessions() as session:
        found = dict(impossible_cards(session))
    assert found == {
        "parties": "stability is not positive",
        "klaipeda-interests": "studied but missing scheduling data",
    }
    report = run_check(collection.database, NOW)
    assert not report.ok and "2 cards with an impossible scheduling state" in report.lines()[-1]

    repaired, changes = collection.repair()
    assert changes.scheduling and changes.card_ids == {"parties", "klaipeda-interests"}
    repairs = {repair.card_id: repair for repair in repaired}
    assert repairs["parties"].action == "rebuilt from its 2 answers"
    assert repairs["klaipeda-interests"].action == "reset to new (no answers)"
    with sessions() as session:
        rebuilt = session.get(models.Card, "parties")
        reset = session.get(models.Card, "klaipeda-interests")
        assert rebuilt is not None and reset is not None
        assert (rebuilt.state, rebuilt.step, rebuilt.stability, rebuilt.difficulty) == expected[:4]
        assert reset.state == models.STATE_NEW and reset.stability is None
        assert impossible_cards(session) == []
    assert run_check(collection.database, NOW).ok
