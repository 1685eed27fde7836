"""Study settings: validation with clear messages, persistence, and their effect on the queue."""

from __future__ import annotations

import dataclasses
import math

import pytest

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.storage.settings import set_setting
from studyapp.study.settings import STUDY_SETTINGS_KEY, StudySettings
from tests.study.conftest import EASY, ServiceFactory, reading_order


@pytest.mark.parametrize(
    "changes",
    [
        {"new_per_day": 0},
        {"new_per_day": 9999},
        {"reviews_per_day": 0},
        {"reviews_per_day": 99999},
        {"desired_retention": 0.70},
        {"desired_retention": 0.97},
        {"day_start_hour": 0},
        {"day_start_hour": 23},
    ],
)
def test_values_at_the_limits_are_accepted(changes: dict[str, float]) -> None:
    assert StudySettings(**changes).problems() == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"new_per_day": -1}, "new cards per day must be a whole number from 0 to 9999"),
        ({"new_per_day": 10000}, "new cards per day must be a whole number from 0 to 9999"),
        ({"new_per_day": 2.5}, "new cards per day must be a whole number from 0 to 9999"),
        ({"new_per_day": "20"}, "new cards per day must be a whole number from 0 to 9999"),
        ({"reviews_per_day": -1}, "reviews per day must be a whole number from 0 to 99999"),
        ({"reviews_per_day": 100000}, "reviews per day must be a whole number from 0 to 99999"),
        ({"desired_retention": 0.69}, "desired retention must be 0.70 to 0.97"),
        ({"desired_retention": 0.98}, "desired retention must be 0.70 to 0.97"),
        ({"desired_retention": math.nan}, "desired retention must be 0.70 to 0.97"),
        ({"desired_retention": "0.9"}, "desired retention must be 0.70 to 0.97"),
        ({"day_start_hour": 24}, "the day start hour must be a whole number from 0 to 23"),
        ({"day_start_hour": -1}, "the day start hour must be a whole number from 0 to 23"),
        ({"day_start_hour": True}, "the day start hour must be a whole number from 0 to 23"),
    ],
)
def test_out_of_range_values_are_named(changes: dict[str, object], message: str) -> None:
    assert StudySettings(**changes).problems() == [message]  # type: ignore[arg-type]


def test_every_problem_is_listed() -> None:
    settings = StudySettings(new_per_day=-1, reviews_per_day=-1, desired_retention=1.0)
    assert len(settings.problems()) == 3


def test_updated_settings_are_kept_for_the_next_start(
    make_service: ServiceFactory, collection: Collection
) -> None:
    service = make_service(bury_siblings=True)  # the settings exactly as stored
    assert service.settings == StudySettings()
    chosen = StudySettings(
        new_per_day=5, reviews_per_day=50, desired_retention=0.85, day_start_hour=6
    )
    service.update_settings(chosen)
    assert service.settings == chosen
    assert service.counts().new == 5, "the new limit applies at once"
    restarted = make_service(bury_siblings=True)
    assert restarted.settings == chosen
    assert restarted.counts().new == 5


def test_refused_settings_change_nothing(make_service: ServiceFactory) -> None:
    service = make_service(new_per_day=7)
    before = service.settings
    with pytest.raises(ValueError, match=r"^desired retention must be 0\.70 to 0\.97$"):
        service.update_settings(dataclasses.replace(before, desired_retention=0.99))
    with pytest.raises(ValueError, match=r"new cards per day .*; the day start hour"):
        service.update_settings(dataclasses.replace(before, new_per_day=-3, day_start_hour=25))
    assert service.settings == before
    assert service.counts().new == 7
    assert make_service().settings == before


def test_desired_retention_changes_the_intervals_offered(
    make_service: ServiceFactory, collection: Collection, clock: FakeClock
) -> None:
    card_id = reading_order(collection)[0]
    service = make_service()
    service.answer(card_id, EASY, 1000)
    clock.advance(days=30)  # long overdue: a review with a long next interval

    def easy_interval(retention: float) -> float:
        service.update_settings(dataclasses.replace(service.settings, desired_retention=retention))
        easy = service.previews(card_id)[EASY - 1]
        return (easy.due - clock.now()).total_seconds()

    assert easy_interval(0.97) < easy_interval(0.90) < easy_interval(0.70)
    # The next start schedules with the saved retention too.
    later = make_service()
    assert later.settings.desired_retention == 0.70
    assert (later.previews(card_id)[EASY - 1].due - clock.now()).total_seconds() == easy_interval(
        0.70
    )


@pytest.mark.parametrize(
    "stored",
    [
        {"new_per_day": "lots"},
        {"new_per_day": 5, "desired_retention": 3},
        ["not", "a", "mapping"],
        "20",
    ],
)
def test_damaged_stored_settings_fall_back_to_the_defaults(
    make_service: ServiceFactory, collection: Collection, stored: object
) -> None:
    with collection.database.sessions.begin() as session:
        set_setting(session, STUDY_SETTINGS_KEY, stored)
    service = make_service()
    assert service.settings == StudySettings()
    assert service.counts().new == 20


def test_settings_of_a_newer_version_keep_the_known_values(
    make_service: ServiceFactory, collection: Collection
) -> None:
    with collection.database.sessions.begin() as session:
        set_setting(session, STUDY_SETTINGS_KEY, {"new_per_day": 8, "show_timer": True})
    assert make_service(bury_siblings=True).settings == StudySettings(new_per_day=8)


def test_the_parameter_bounds_are_py_fsrs_own() -> None:
    """settings_values.py writes them out (so checking settings loads no fsrs)."""
    import fsrs.scheduler

    from studyapp.study.settings_values import PARAMETER_BOUNDS

    assert (
        tuple(
            zip(
                fsrs.scheduler.LOWER_BOUNDS_PARAMETERS,
                fsrs.scheduler.UPPER_BOUNDS_PARAMETERS,
                strict=True,
            )
        )
        == PARAMETER_BOUNDS
    )
