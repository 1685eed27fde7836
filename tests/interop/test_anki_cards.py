"""The notes and cards rows the export builds from one query's cells (anki_cards.py) are
those note_fields, card_tags and card_scheduling give each card, column for column; the
day numbers it looks up are AnkiDays.day's; its progress reports and cancels."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import zipfile
from pathlib import Path
from random import Random

import pytest

from studyapp.collection import Collection
from studyapp.collection.export_rows import CardSelection, ExportCard
from studyapp.collection.importing import Cancelled, card_guid
from studyapp.interop import anki_cards
from studyapp.interop import anki_schema as schema
from studyapp.interop.anki_export import card_tags, note_fields
from studyapp.interop.anki_scheduling import AnkiDays, card_scheduling, new_card_scheduling
from studyapp.interop.exporting import export_file
from studyapp.interop.fields import anki_cloze_text
from studyapp.storage.models import (
    STATE_LEARNING,
    STATE_NEW,
    STATE_RELEARNING,
    STATE_REVIEW,
    to_microseconds,
)
from studyapp.study.scheduling import DEFAULT_PARAMETERS

UTC = dt.UTC
NOW = dt.datetime(2026, 4, 5, 12, tzinfo=UTC)
HOUR_US = 3600 * 10**6
# Burial is read at the collection's own clock (the real one here): far either side of it.
BURIED_UNTIL_PAST = to_microseconds(dt.datetime(2000, 1, 1, tzinfo=UTC))
BURIED_UNTIL_FUTURE = to_microseconds(dt.datetime(2099, 1, 1, tzinfo=UTC))


def _vilnius() -> dt.tzinfo:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        return zoneinfo.ZoneInfo("Europe/Vilnius")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database on this system")


def _scramble(collection: Collection, seed: int) -> None:
    """Every card a random state, times (some beyond the days a package knows), memory,
    step, flag, suspension and burial, and some edited or without a change time."""
    rng = Random(seed)
    now = to_microseconds(NOW)
    with sqlite3.connect(collection.path) as database:
        ids = [row[0] for row in database.execute("SELECT id FROM cards")]
        for card_id in ids:
            state = rng.choice([STATE_NEW, STATE_LEARNING, STATE_REVIEW, STATE_RELEARNING])
            due = None if rng.random() < 0.1 else now + rng.randrange(-40, 400) * HOUR_US // 3
            last = None if rng.random() < 0.1 else now - rng.randrange(0, 900) * HOUR_US
            database.execute(
                "UPDATE cards SET state = ?, due = ?, last_review = ?, stability = ?,"
                " difficulty = ?, step = ?, flag = ?, suspended = ?, buried_until = ?,"
                " modified_at = ?, original_front = ? WHERE id = ?",
                (
                    state,
                    due,
                    last,
                    None if rng.random() < 0.1 else rng.uniform(0.1, 400),
                    None if rng.random() < 0.1 else rng.uniform(1, 10),
                    rng.choice([None, 0, 1, 2, 5]),
                    rng.randrange(0, 5),
                    rng.random() < 0.1,
                    rng.choice([None, None, BURIED_UNTIL_PAST, BURIED_UNTIL_FUTURE]),
                    None if rng.random() < 0.2 else now - rng.randrange(0, 10**4) * HOUR_US,
                    "before" if rng.random() < 0.1 else None,
                    card_id,
                ),
            )
    database.close()


def _reference(
    cards: list[ExportCard], days: AnkiDays, with_progress: bool
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The rows card by card from the ExportCard functions (deck ids left out)."""
    notes: list[tuple[object, ...]] = []
    rows: list[tuple[object, ...]] = []
    next_id = int(NOW.timestamp() * 1000) - len(cards) - 1
    for position, card in enumerate(cards, 1):
        stamp = int(card.modified_at.timestamp() * 1000) if card.modified_at else 0
        next_id = max(next_id + 1, stamp)
        notetype, fields = note_fields(card)
        modified = int((card.modified_at or NOW).timestamp())
        tags = card_tags(card)
        first = (
            card.front
            if notetype == schema.BASIC_NOTETYPE_ID
            else anki_cloze_text(card.cloze or "")
        )
        notes.append(
            (
                next_id,
                card_guid(card.id),
                notetype,
                modified,
                -1,
                f" {' '.join(tags)} " if tags else "",
                schema.FIELD_SEPARATOR.join(fields),
                first,
                anki_cards.field_checksum(first),
                0,
                "",
            )
        )
        if with_progress:
            s = card_scheduling(
                card,
                new_position=position,
                days=days,
                now=NOW,
                desired_retention=0.9,
                decay=0.1542,
                learning_steps=2,
                relearning_steps=1,
            )
        else:
            s = new_card_scheduling(card, position)
        tail = (s.lapses, s.left, s.flags, s.data)
        rows.append(
            (
                next_id,
                next_id,
                modified,
                s.type,
                s.queue,
                s.due,
                s.interval,
                s.factor,
                s.reps,
                *tail,
            )
        )
    return notes, rows


@pytest.mark.parametrize(("seed", "with_progress"), [(1, True), (2, True), (3, False)])
def test_the_rows_are_the_card_functions_card_for_card(
    collection: Collection, seed: int, with_progress: bool
) -> None:
    _scramble(collection, seed)
    days = AnkiDays(NOW - dt.timedelta(days=30), 4, _vilnius(), until=NOW)
    cells = collection.export_card_cells(CardSelection())
    cards = list(collection.export_cards(CardSelection()))
    assert len(cells.rows) == len(cards) > 30
    rules = anki_cards.Progress(days, 0.9, 0.1542, 2, 1) if with_progress else None
    reported: list[int] = []
    built = anki_cards.notes_and_cards(
        cells.rows,
        cells.tags,
        now=NOW,
        first_id=int(NOW.timestamp() * 1000) - len(cards) - 1,
        progress=rules,
        deck_for=lambda article, title, heading: 7,  # deck ids: the package's own test
        tags_field=anki_cards.tags_field,
        report=reported.append,
    )
    notes, rows = _reference(cards, days, with_progress)
    assert built.notes == notes
    assert [(*row[:2], row[4], *row[6:14], *row[16:]) for row in built.cards] == rows
    assert {row[2] for row in built.cards} == {7}
    assert {anki_id for anki_id in built.anki_ids.values()} == {row[0] for row in rows}
    assert reported == list(range(2000, len(cards) + 1, 2000))
    queues = {row[7] for row in built.cards}
    assert with_progress is False or len(queues) >= 5, "not every queue is tested"


def test_a_day_of_stored_microseconds_is_the_day_of_its_time() -> None:
    for tz, hour in [(_vilnius(), 4), (_vilnius(), 3), (_vilnius(), 0), (UTC, 4)]:
        days = AnkiDays(dt.datetime(2026, 3, 1, tzinfo=UTC), hour, tz, until=NOW)
        start = to_microseconds(dt.datetime(2026, 2, 25, tzinfo=UTC))
        for minutes in [*range(0, 50 * 24 * 60, 17), *range(0, 4 * 366 * 24 * 60, 433)]:
            when = start + minutes * 60 * 10**6  # within the days it knows, and years after
            assert days.day_of_us(when) == days.day(dt.datetime.fromtimestamp(when / 1e6, UTC))
        for start_day in days.day_starts():
            exact = int(start_day) * 10**6
            for when in (exact - 1, exact, exact + 1):
                expected = days.day(
                    dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(microseconds=when)
                )
                assert days.day_of_us(when) == expected


def test_the_cards_report_progress_and_a_cancel_among_them_writes_nothing(
    collection: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anki_cards, "PROGRESS_EVERY", 10)
    out = tmp_path / "out"
    out.mkdir()
    size = collection.export_size(CardSelection())
    reported: list[tuple[int, int]] = []
    export_file(
        collection,
        out / "all.apkg",
        CardSelection(),
        with_progress=True,
        progress=lambda done, total: reported.append((done, total)),
    )
    total = size.cards + size.reviews
    cards = [done for done, _ in reported if done <= size.cards]
    assert cards[: size.cards // 10] == list(range(10, size.cards + 1, 10))
    assert {each for _, each in reported} == {total} and reported[-1] == (total, total)

    def cancel(done: int, total: int) -> None:
        raise Cancelled("The export was cancelled.")

    with pytest.raises(Cancelled):
        export_file(
            collection,
            out / "cancelled.apkg",
            CardSelection(),
            with_progress=True,
            progress=cancel,
        )
    assert sorted(path.name for path in out.iterdir()) == ["all.apkg"]


def test_an_export_with_progress_carries_the_learners_fitted_decay(
    collection: Collection, tmp_path: Path
) -> None:
    fitted = (*DEFAULT_PARAMETERS[:20], 0.5)  # Optimize's parameters, another curve
    collection.update_settings(dataclasses.replace(collection.settings, fsrs_parameters=fitted))
    card = collection.next_card()
    assert card is not None
    collection.answer(card.id, 4, 3000)
    path = tmp_path / "fitted.apkg"
    export_file(collection, path, CardSelection(), with_progress=True)
    with zipfile.ZipFile(path) as package:
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "collection.anki2") as database:
        data = [row[0] for row in database.execute("SELECT data FROM cards WHERE data != ''")]
    assert data and all('"decay":0.5' in value for value in data if '"decay"' in value)
    assert any('"decay":0.5' in value for value in data)
