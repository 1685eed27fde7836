"""The reviewer's answer: one transaction that saves the answer and reads the next card."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event

from studyapp.collection import Collection
from studyapp.storage.errors import StorageError
from tests.study.conftest import AGAIN, EASY, GOOD, HARD, FakeClock, ServiceFactory, review_count
from tests.study.test_write_failures import disk_full

RATINGS = (GOOD, GOOD, AGAIN, GOOD, EASY, HARD, GOOD)


def test_an_answer_with_next_is_one_transaction_reading_what_a_fresh_reader_sees(
    make_service: ServiceFactory, clock: FakeClock
) -> None:
    service = make_service(bury_siblings=True)
    transactions: list[Any] = []
    event.listen(service.database.engine, "begin", transactions.append)
    card = service.next_card()
    assert card is not None
    for number in range(60):
        transactions.clear()
        changes = service.answer(card.id, RATINGS[number % len(RATINGS)], 1000, with_next=True)
        assert len(transactions) == 1, "the answer and the next card's read: one transaction"
        # Another instance on the same file, with nothing kept in its queue, reads the same
        # next card and the same counts after the commit.
        assert changes.upcoming == make_service(bury_siblings=True).study_next()
        assert changes.upcoming == service.study_next()
        clock.advance(minutes=3)
        upcoming = service.study_next().card
        if upcoming is None:
            due = service.next_due()
            assert due is not None
            clock.current = max(clock.current, due) + dt.timedelta(seconds=1)
            upcoming = service.study_next().card
        assert upcoming is not None
        card = upcoming
    assert review_count(service) == 60


def test_an_answer_that_fails_after_reading_the_next_card_leaves_the_card_on_screen(
    service: Collection,
) -> None:
    card = service.next_card()  # on screen
    assert card is not None
    service.previews(card.id)
    # The counts are the last read of the answer's transaction, after the next card's.
    with disk_full(service.database.engine, "SELECT (SELECT count"), pytest.raises(StorageError):
        service.answer(card.id, GOOD, 1000, with_next=True)
    assert review_count(service) == 0
    assert service.next_card() == card, "nothing was saved: the same card is still up"
    changes = service.answer(card.id, GOOD, 1000, with_next=True)
    assert changes.upcoming is not None and changes.upcoming.card != card
    assert review_count(service) == 1


def test_the_done_screen_reads_what_the_separate_reads_say(
    make_service: ServiceFactory, clock: FakeClock
) -> None:
    service = make_service(new_per_day=3)
    first = service.next_card()
    assert first is not None
    service.bury(first.id)
    second = service.next_card()
    assert second is not None
    service.suspend(second.id)
    while (card := service.next_card()) is not None:
        service.answer(card.id, GOOD, 4000, with_next=True)
        clock.advance(minutes=30)
    done = service.done_screen()
    assert done.next_due == service.next_due() and done.next_due is not None
    assert done.today == service.today() and done.today.reviewed >= 3
    assert done.status == service.status_counts()
    assert (done.status.buried, done.status.suspended) == (1, 1)
