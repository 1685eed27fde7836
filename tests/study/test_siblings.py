"""Siblings (cards citing one sentence) are buried by an answer; Study More; a clock gone back."""

from __future__ import annotations

import datetime as dt

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.storage import models
from studyapp.study.custom import CustomKind, CustomStudy
from studyapp.study.settings import StudySettings
from tests.study.conftest import AGAIN, EASY, GOOD, UTC, ServiceFactory, set_card

# The first sentence of the article is cited by three cards, in this reading order.
FIRST_SENTENCE = ["parties", "signed-when", "lithuanian-name"]


def test_an_answer_buries_its_new_siblings_until_the_next_day(
    make_service: ServiceFactory, clock: FakeClock
) -> None:
    service = make_service(bury_siblings=True)
    assert service.settings == StudySettings(), "burying is on by default"
    first = service.next_card()
    assert first is not None and first.id == FIRST_SENTENCE[0]
    changes = service.answer(first.id, GOOD, 1000)
    assert changes.siblings_buried == tuple(FIRST_SENTENCE[1:])
    for sibling in FIRST_SENTENCE[1:]:
        assert service.card(sibling).buried
    shown = []
    while (card := service.next_card()) is not None and card.queue == "new":
        shown.append(card.id)
        service.bury(card.id)
    assert not set(FIRST_SENTENCE[1:]) & set(shown), "no sibling shown the same day"
    clock.set(service.day().end + dt.timedelta(minutes=1))
    assert not service.card(FIRST_SENTENCE[1]).buried, "back the next study day"
    learning = service.next_card()  # yesterday's first card, in learning, comes first
    assert learning is not None and learning.id == FIRST_SENTENCE[0]
    service.update_settings(StudySettings(bury_new_siblings=False))
    service.answer(learning.id, EASY, 1000)
    nxt = service.next_card()
    assert nxt is not None and nxt.id == FIRST_SENTENCE[1], "the siblings are back"


def test_undoing_the_answer_unburies_the_siblings(make_service: ServiceFactory) -> None:
    service = make_service(bury_siblings=True)
    service.answer(FIRST_SENTENCE[0], GOOD, 1000)
    service.undo()
    assert not any(service.card(card_id).buried for card_id in FIRST_SENTENCE)
    assert service.siblings(FIRST_SENTENCE[0]) == FIRST_SENTENCE[1:]


def test_review_siblings_are_buried_and_the_options_turn_it_off(
    collection: Collection, make_service: ServiceFactory, clock: FakeClock
) -> None:
    set_card(
        collection,
        FIRST_SENTENCE[2],
        state=models.STATE_REVIEW,
        due=clock.now() - dt.timedelta(hours=1),
        stability=4.0,
        difficulty=5.0,
        last_review=clock.now() - dt.timedelta(days=4),
    )
    service = make_service(bury_siblings=True)
    changes = service.answer(FIRST_SENTENCE[0], EASY, 1000)
    assert set(changes.siblings_buried) == set(FIRST_SENTENCE[1:])
    service.undo()
    service.update_settings(StudySettings(bury_new_siblings=False, bury_review_siblings=True))
    assert service.answer(FIRST_SENTENCE[0], EASY, 1000).siblings_buried == (FIRST_SENTENCE[2],)
    service.undo()
    service.update_settings(StudySettings(bury_new_siblings=False, bury_review_siblings=False))
    assert service.answer(FIRST_SENTENCE[0], EASY, 1000).siblings_buried == ()


def test_a_clock_gone_back_saves_the_answer_after_the_last_one(
    service: Collection, clock: FakeClock
) -> None:
    first = service.answer("parties", AGAIN, 1000)
    assert not first.clock_behind
    clock.advance(hours=-3)
    second = service.answer("confirmed-peace-treaty", GOOD, 1000)
    # Saved just after the last answer: a microsecond later (the answer's time is its key).
    assert second.clock_behind
    assert second.answered_at == first.answered_at + dt.timedelta(microseconds=1)
    assert second.due > first.answered_at
    assert service.today().reviewed == 2, "no answer lost"


def test_study_more_adds_new_cards_for_today_only(service: Collection, clock: FakeClock) -> None:
    service.update_settings(StudySettings(new_per_day=2, bury_new_siblings=False))
    for _ in range(2):
        card = service.next_card()
        assert card is not None
        service.answer(card.id, EASY, 1000)
    assert service.counts().new == 0
    changes = service.add_new_today(3)
    assert changes.label == "Study More" and service.counts().new == 3
    service.undo()
    assert service.counts().new == 0
    service.add_new_today(3)
    clock.set(service.day().end + dt.timedelta(minutes=5))
    assert service.counts().new == 2, "tomorrow the usual limit"


def test_study_more_sessions(service: Collection, collection: Collection, clock: FakeClock) -> None:
    for card_id in ("parties", "coup-when"):
        set_card(
            collection,
            card_id,
            state=models.STATE_REVIEW,
            due=service.day().end + dt.timedelta(days=2),
            stability=6.0,
            difficulty=5.0,
            last_review=clock.now() - dt.timedelta(days=3),
        )
    assert service.counts().review == 0
    ahead = service.start_custom_study(CustomStudy(CustomKind.AHEAD, days=3))
    assert ahead == 2 and service.custom_study_left() == 2
    first = service.next_card()
    assert first is not None and first.id in ("parties", "coup-when")
    service.answer(first.id, GOOD, 1000)
    assert service.custom_study_left() == 1
    service.end_custom_study()

    paragraph = service.start_custom_study(CustomStudy(CustomKind.PASSAGE, target="negotiations-1"))
    assert paragraph == len(service.passage_cards("negotiations-1")) >= 3
    card = service.next_card()
    assert card is not None and card.passage_id == "negotiations-1"
    service.end_custom_study()
    assert service.start_custom_study(CustomStudy(CustomKind.EVENT, target="military-coup")) >= 2
    service.end_custom_study()

    service.answer("initiated-by", AGAIN, 1000)
    clock.advance(days=2)
    forgotten = service.start_custom_study(CustomStudy(CustomKind.FORGOTTEN, days=3))
    assert forgotten == 1
    card = service.next_card()
    assert card is not None and card.id == "initiated-by"


def test_unbury_everything_and_the_status_counts(service: Collection) -> None:
    service.bury("parties", "coup-when")
    service.suspend("signed-when")
    counts = service.status_counts()
    assert (counts.buried, counts.suspended) == (2, 1)
    changes = service.unbury_all()
    assert changes is not None and changes.card_ids == {"parties", "coup-when"}
    assert service.status_counts().buried == 0
    assert service.unbury_all() is None
    service.undo()
    assert service.status_counts().buried == 2


def test_card_info_has_history_and_memory(service: Collection, clock: FakeClock) -> None:
    service.answer("parties", GOOD, 2500)
    clock.advance(minutes=11)
    service.answer("parties", GOOD, 1500)
    history = service.card_history("parties")
    assert [entry.rating for entry in history] == [GOOD, GOOD]
    assert history[0].state_before == models.STATE_NEW and history[0].duration_ms == 2500
    info = service.card("parties")
    assert info.reviews == 2 and info.stability is not None
    assert info.retrievability is not None and 0.9 < info.retrievability <= 1.0
    assert service.card("signed-when").retrievability is None
    assert UTC is dt.UTC
