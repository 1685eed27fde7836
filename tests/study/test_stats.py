"""Statistics against figures worked out by hand on a small review log built here.

The collection's clock stands at 10:00 UTC on 2026-03-10 with the day starting at 04:00 UTC,
so "today" began 6 hours ago; each review below is placed on a study day by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, update

from studyapp.collection import Collection
from studyapp.storage import models
from studyapp.storage.cards import recall_probability
from studyapp.study.scheduling import DEFAULT_PARAMETERS
from tests.helpers import with_card_numbers
from tests.study.conftest import START

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
TODAY = dt.datetime(2026, 3, 10, 4, 0, tzinfo=dt.UTC)  # today's study day starts here
DECAY = DEFAULT_PARAMETERS[20]

A, B, C, D = "parties", "confirmed-peace-treaty", "initiated-by", "coup-when"
E, F = "worth-the-cost", "pact-broken"

# (card, day number, hour into that day, state before, rating, interval before in days)
LOG = [
    (A, -40, 1, 0, 3, None),  # learning
    (A, -20, 1, 2, 3, 10),  # young, passed
    (A, -1, 5, 2, 1, 30),  # mature, failed (yesterday)
    (A, 0, 1, 3, 3, 1),  # relearning (today)
    (B, 0, 2, 0, 1, None),  # learning, Again (today)
    (B, 0, 3, 1, 3, None),  # learning (today)
    (C, 0, 4, 2, 4, 25),  # mature, passed (today)
    (C, -3, 2, 2, 2, 5),  # young, passed
    (D, -200, 1, 2, 3, 100),  # mature, passed (last year only)
    (D, -400, 1, 2, 1, 50),  # mature, failed: over a year ago
]


def _add_log(collection: Collection) -> None:
    rows = []
    for number, (card, day, hour, state, rating, interval) in enumerate(LOG):
        at = TODAY + day * DAY + hour * HOUR
        # Due when it was answered, after `interval` days since the review before.
        last = None if interval is None else at - interval * DAY
        due = None if interval is None else at
        rows.append(_row(card, at, state, rating, due, last, 1000 * (number + 1)))
    # The last microsecond of yesterday: a young review passed, yesterday.
    yesterday_end = TODAY - dt.timedelta(microseconds=1)
    rows.append(_row(D, yesterday_end, 2, 3, yesterday_end, yesterday_end - 3 * DAY, 500))
    with collection.database.writes.begin() as session:
        session.execute(insert(models.ReviewLog), with_card_numbers(session, rows))


def _row(
    card: str,
    at: dt.datetime,
    state: int,
    rating: int,
    due: dt.datetime | None,
    last: dt.datetime | None,
    ms: int,
) -> dict[str, object]:
    return {
        "card_id": card,
        "rating": rating,
        "reviewed_at": at,
        "duration_ms": ms,
        "state_before": state,
        "due_before": due,
        "last_review_before": last,
        "state_after": 2,
        "due_after": at + DAY,
    }


def _set_cards(collection: Collection) -> None:
    now = START
    states = {
        A: {"state": 2, "stability": 30.0, "difficulty": 5.5, "last_review": now - 10 * DAY,
            "due": now + 20 * DAY},
        B: {"state": 1, "stability": 2.0, "difficulty": 9.0, "last_review": now - HOUR,
            "due": now + dt.timedelta(minutes=10)},
        C: {"state": 2, "stability": 5.0, "difficulty": 1.0, "last_review": now - 2 * DAY,
            "due": TODAY + 3 * DAY + HOUR},
        D: {"state": 2, "stability": 100.0, "difficulty": 10.0, "last_review": now - 105 * DAY,
            "due": now - 5 * DAY},
        E: {"state": 2, "stability": 3.0, "difficulty": 3.0, "last_review": now - 3 * DAY,
            "due": now + DAY, "suspended": True},
        F: {"buried_until": TODAY + DAY},
    }  # fmt: skip
    with collection.database.writes.begin() as session:
        for card_id, values in states.items():
            session.execute(update(models.Card).where(models.Card.id == card_id).values(**values))


@pytest.fixture
def stats_collection(collection: Collection) -> Collection:
    _add_log(collection)
    _set_cards(collection)
    return collection


def test_today_by_kind(stats_collection: Collection) -> None:
    today = stats_collection.statistics().today
    assert (today.reviews, today.cards, today.again) == (4, 3, 1)
    assert (today.learning, today.review, today.relearning) == (2, 1, 1)
    assert today.milliseconds == 4000 + 5000 + 6000 + 7000
    assert today.correct_percent == 75.0


def test_reviews_per_day_by_kind_and_time(stats_collection: Collection) -> None:
    everything = stats_collection.reviews_per_day(None)
    per_day = {d.day: (d.counts, d.milliseconds, d.passed) for d in everything}
    assert sorted(per_day) == [-400, -200, -40, -20, -3, -1, 0]
    assert per_day[0][0] == {"relearning": 1, "learning": 2, "mature": 1}
    assert per_day[0][1] == {"relearning": 4000, "learning": 11000, "mature": 7000}
    assert per_day[0][2] == {"relearning": 1, "learning": 1, "mature": 1}  # B's Again
    assert per_day[-1][0] == {"mature": 1, "young": 1}  # 05:00 yesterday and its last µs
    assert per_day[-1][2] == {"mature": 0, "young": 1}
    assert per_day[-20][0] == {"young": 1}
    assert per_day[-400][0] == {"mature": 1}
    # The window reads the last year at first; the year before comes with "All".
    assert [d.day for d in stats_collection.statistics().per_day] == [-200, -40, -20, -3, -1, 0]


def test_reviews_per_day_limited_to_a_month(stats_collection: Collection) -> None:
    month = stats_collection.reviews_per_day(30)
    assert [d.day for d in month] == [-20, -3, -1, 0]


def test_streaks(stats_collection: Collection) -> None:
    days = stats_collection.statistics().study_days
    assert days.current_streak == 2
    assert days.longest_streak == 2
    assert days.days_studied == 7


def test_true_retention_table(stats_collection: Collection) -> None:
    table = {r.period: r for r in stats_collection.statistics().retention}
    figures = {
        name: (r.young_passed, r.young_total, r.mature_passed, r.mature_total)
        for name, r in table.items()
    }
    assert figures == {
        "Today": (0, 0, 1, 1),
        "Yesterday": (1, 1, 0, 1),
        "Last week": (2, 2, 1, 2),
        "Last month": (3, 3, 1, 2),
        "Last year": (3, 3, 2, 3),
    }
    assert table["Last month"].overall == pytest.approx(4 / 5)
    assert table["Today"].young is None


def test_card_counts_by_state(stats_collection: Collection) -> None:
    counts = stats_collection.statistics().card_counts
    assert counts == {
        "new": 35,
        "learning": 1,
        "relearning": 0,
        "young": 1,
        "mature": 2,
        "suspended": 1,
        "buried": 1,
    }


def test_forecast(stats_collection: Collection) -> None:
    forecast = stats_collection.statistics().forecast
    assert len(forecast) == 30
    assert (forecast[0].learning, forecast[0].young, forecast[0].mature) == (1, 0, 1)
    assert (forecast[3].young, forecast[3].total) == (1, 1)
    assert (forecast[20].mature, forecast[20].total) == (1, 1)
    assert sum(day.total for day in forecast) == 4  # E is suspended


def test_distributions(stats_collection: Collection) -> None:
    statistics = stats_collection.statistics()
    difficulty = {b.label: b.count for b in statistics.difficulty if b.count}
    assert difficulty == {"0–10%": 1, "20–30%": 1, "50–60%": 1, "80–90%": 1, "90–100%": 1}
    stability = {b.label: b.count for b in statistics.stability if b.count}
    assert stability == {"2–3 d": 1, "3–5 d": 1, "5–7 d": 1, "30–60 d": 1, "90–180 d": 1}
    expected: dict[int, int] = {}
    for elapsed, stability_days in ((10, 30), (0, 2), (2, 5), (105, 100), (3, 3)):
        bucket = min(19, int(recall_probability(elapsed, stability_days, DECAY) * 20))
        expected[bucket] = expected.get(bucket, 0) + 1
    found = {index: b.count for index, b in enumerate(statistics.retrievability) if b.count}
    assert found == expected
    # By hand: R(10 d, S 30) 0.957, R(0, 2) 1, R(2, 5) 0.950 in 95-100%; R(3, 3) is 0.9 (t = S)
    # in 90-95%; R(105, 100) 0.897 in 85-90%.
    assert found == {19: 3, 18: 1, 17: 1}


def test_progress_per_article_and_section(stats_collection: Collection) -> None:
    progress = stats_collection.statistics().progress
    by_part = {p.section_id: p for p in progress}
    r = {
        card: recall_probability(elapsed, stability, DECAY)
        for card, elapsed, stability in ((A, 10, 30), (B, 0, 2), (C, 2, 5), (D, 105, 100))
    }
    article = by_part[None]
    assert (article.cards, article.studied, article.mastered) == (40, 4, 2)
    assert article.average_recall == pytest.approx(sum(r.values()) / 4)
    overview = by_part["overview"]
    assert (overview.cards, overview.studied, overview.mastered) == (16, 2, 1)
    assert overview.average_recall == pytest.approx((r[A] + r[B]) / 2)
    assert by_part["ratification-and-after"].cards == 18  # E is suspended
    assert [p.section_id for p in progress] == [
        None,
        "overview",
        "negotiations",
        "ratification-and-after",
    ]


def test_memory_map(stats_collection: Collection) -> None:
    article_id = stats_collection.article_view().article.id
    memory = stats_collection.memory_map(article_id)
    first = memory.sentences[("overview-1", 0)]
    assert [(c.card_id, c.recall) for c in first] == [
        (A, pytest.approx(recall_probability(10, 30, DECAY))),
        ("signed-when", None),
        ("lithuanian-name", None),
    ]
    assert [(c.card_id, c.recall) for c in memory.events["peace-treaty-1920"]] == [(B, 1.0)]
    assert ("ratification-1", 2) not in memory.sentences  # its only card (E) is suspended


def test_stats_lines(stats_collection: Collection) -> None:
    lines = dict(line.split(": ", 1) for line in stats_collection.statistics().lines())
    assert lines["reviews_today"] == "4"
    assert lines["time_today_seconds"] == "22"
    assert lines["true_retention_last_month"] == "0.8000"
    assert lines["due_tomorrow"] == "0"
    assert lines["due_next_7_days"] == "1"
    assert lines["cards_mature"] == "2"


def test_a_partial_memory_map_puts_in_what_changed(stats_collection: Collection) -> None:
    article_id = stats_collection.article_view().article.id
    before = stats_collection.memory_map(article_id)
    stats_collection.suspend(B)  # B was the only card of its sentence and of its event
    stats_collection.answer("signed-when", 4, 3000)  # the sentence of A, and "pact-signed"
    partial = stats_collection.memory_map(article_id, frozenset({B, "signed-when"}))
    assert partial.touched_sentences == {("overview-1", 0), ("overview-1", 1)}
    assert partial.touched_events == {"peace-treaty-1920", "pact-signed"}
    assert set(partial.sentences) == {("overview-1", 0)}  # B's sentence has no studied card
    merged = before.updated(partial)
    assert merged == stats_collection.memory_map(article_id)
    assert ("overview-1", 1) not in merged.sentences
    assert [c.recall for c in merged.events["pact-signed"]] == [1.0]
