"""The package's notes and cards rows built straight from the cells of one query
(ExportCells): the rules of anki_export's note_fields and card_tags and of anki_scheduling's
card_scheduling, in one loop over tuples with what cards share looked up once. Tests hold
the rows to those functions, card for card.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studyapp.collection.importing import GUID_PREFIX
from studyapp.content.model import CardKind
from studyapp.interop import anki_schema as schema
from studyapp.interop.anki_scheduling import (
    DAY_US,
    INITIAL_EASE,
    QUEUE_DAY_LEARNING,
    QUEUE_LEARNING,
    QUEUE_NEW,
    QUEUE_REVIEW,
    QUEUE_SUSPENDED,
    QUEUE_USER_BURIED,
    TYPE_LEARNING,
    TYPE_NEW,
    TYPE_RELEARNING,
    TYPE_REVIEW,
    AnkiDays,
    _retention_and_decay,
)
from studyapp.interop.fields import (
    CHRONOLOGY_TAG,
    EDITED_TAG,
    ORIGIN_MINE_TAG,
    ORIGIN_PACK_TAG,
    anki_cloze,
    anki_cloze_text,
    flag_tag,
    section_tag,
    tag_name,
    to_html,
)
from studyapp.storage.models import STATE_LEARNING, STATE_NEW, STATE_RELEARNING, STATE_REVIEW
from studyapp.storage.times import to_microseconds

CLOZE_KIND = CardKind.CLOZE.value
US = 1_000_000  # microseconds in a second
PROGRESS_EVERY = 2000  # rows between progress reports
_AS_NEW = (0, 0, 0, 0, 0, 0, 0, 0, "")  # a new card's columns from ivl on, without progress

Row = tuple[object, ...]
DeckFor = Callable[[str | None, str | None, str | None], int]  # article id, title, heading
Tags = Callable[[str | None, bool, bool, str, int, tuple[str, ...]], str]


@dataclass(frozen=True)
class Progress:
    """What an export with progress needs to schedule its cards as Anki does."""

    days: AnkiDays
    desired_retention: float
    decay: float
    learning_steps: int
    relearning_steps: int


@dataclass
class NotesAndCards:
    notes: list[Row]
    cards: list[Row]
    anki_ids: dict[str, int]  # our card id: Anki's card (and note) id


def notes_and_cards(
    rows: list[tuple[Any, ...]],
    tags: dict[str, tuple[str, ...]],
    *,
    now: dt.datetime,
    first_id: int,
    progress: Progress | None,
    deck_for: DeckFor,
    tags_field: Tags,
    report: Callable[[int], None],
) -> NotesAndCards:
    """The notes and cards rows of ExportCells' rows (`report(cards)` every PROGRESS_EVERY,
    which may raise to stop); `first_id` is one before the first Anki id to give."""
    html = functools.lru_cache(maxsize=4096)(to_html)  # sentences and titles repeat
    now_us, now_s = to_microseconds(now), int(now.timestamp())
    if progress is not None:
        days = progress.days
        day_of, today = days.day_of_us, days.day(now)
        shared = _retention_and_decay(progress.desired_retention, progress.decay)
        learning_left, relearning_left = progress.learning_steps, progress.relearning_steps
    notes: list[Row] = []
    cards: list[Row] = []
    anki_ids: dict[str, int] = {}
    next_id = first_id
    no_tags: tuple[str, ...] = ()
    for position, cells in enumerate(rows, 1):
        if position % PROGRESS_EVERY == 0:
            report(position)
        (card_id, kind, front, back, cloze, quote, _, article_id, title, heading, pack_id) = cells[
            :11
        ]
        (edited, flag, suspended, buried_until, state, step, stability, difficulty) = cells[11:19]
        (due, last_review, reps, lapses, modified, _) = cells[19:]
        # Anki reads a card's id as when it was added: keep that where we know it.
        stamp = int(modified / US * 1000) if modified is not None else 0
        next_id = max(next_id + 1, stamp)
        anki_ids[card_id] = next_id
        if kind == CLOZE_KIND and cloze:
            notetype = schema.CLOZE_NOTETYPE_ID
            first_field = anki_cloze_text(cloze)
            fields = (anki_cloze(cloze), "", html(quote), html(title or ""))
        else:
            notetype, first_field = schema.BASIC_NOTETYPE_ID, front
            fields = (to_html(front), to_html(back), html(quote), html(title or ""))
        mod = int(modified / US) if modified is not None else now_s
        note_tags = tags_field(
            heading,
            pack_id is None,
            bool(edited),
            kind,
            flag,
            tags.get(card_id, no_tags),
        )
        notes.append(
            (
                next_id,
                GUID_PREFIX + card_id,
                notetype,
                mod,
                -1,
                note_tags,
                schema.FIELD_SEPARATOR.join(fields),
                first_field,
                field_checksum(first_field),
                0,
                "",
            )
        )
        deck = deck_for(article_id, title, heading)
        if progress is None:
            queue = QUEUE_SUSPENDED if suspended else QUEUE_NEW
            cards.append((next_id, next_id, deck, 0, mod, -1, TYPE_NEW, queue, position, *_AS_NEW))
            continue
        if state == STATE_NEW or stability is None or difficulty is None:
            data = ""
        else:
            data = f'{{"s":{round(stability, 4)!r},"d":{round(difficulty, 3)!r},{shared}'
            if last_review is not None:
                data += f',"lrt":{int(last_review / US)}'
            data += "}"
        factor = 0 if state == STATE_NEW else INITIAL_EASE
        if state == STATE_REVIEW and due is not None:
            card_type, queue, due_on, left = TYPE_REVIEW, QUEUE_REVIEW, day_of(due), 0
            interval = 1 if last_review is None else max(1, round((due - last_review) / DAY_US))
        elif state in (STATE_LEARNING, STATE_RELEARNING) and due is not None:
            learning = state == STATE_LEARNING
            card_type = TYPE_LEARNING if learning else TYPE_RELEARNING
            left = max(1, (learning_left if learning else relearning_left) - (step or 0))
            due_day = day_of(due)
            if due_day <= today:
                queue, due_on = QUEUE_LEARNING, int(due / US)
            else:
                queue, due_on = QUEUE_DAY_LEARNING, due_day
            # A relearning card returns to review at about its stability, in days.
            interval = 0 if learning else max(1, round(stability or 1))
        else:
            card_type, queue, due_on, interval, left, factor = (
                TYPE_NEW,
                QUEUE_NEW,
                position,
                0,
                0,
                0,
            )
        if suspended:
            queue = QUEUE_SUSPENDED
        elif buried_until is not None and buried_until > now_us:
            queue = QUEUE_USER_BURIED
        cards.append(
            (
                next_id,
                next_id,
                deck,
                0,
                mod,
                -1,
                card_type,
                queue,
                due_on,
                interval,
                factor,
                reps,
                lapses,
                left,
                0,
                0,
                flag,
                data,
            )
        )
    return NotesAndCards(notes, cards, anki_ids)


@functools.lru_cache(maxsize=4096)
def tags_field(
    heading: str | None, mine: bool, edited: bool, kind: str, flag: int, own: tuple[str, ...]
) -> str:
    """notes.tags of a card (card_tags' tags, space-separated and padded)."""
    tags = list(derived_tags(heading, mine, edited, kind, flag))
    tags += [tag_name(tag) for tag in own]
    unique = list(dict.fromkeys(tag for tag in tags if tag))
    return f" {' '.join(unique)} " if unique else ""


@functools.lru_cache(maxsize=1024)
def derived_tags(
    heading: str | None, mine: bool, edited: bool, kind: str, flag: int
) -> tuple[str, ...]:
    """The section, origin, edited, kind and flag tags of a card."""
    tags = []
    if heading:
        tags.append(section_tag(heading))
    tags.append(ORIGIN_MINE_TAG if mine else ORIGIN_PACK_TAG)
    if edited:
        tags.append(EDITED_TAG)
    if kind == CardKind.CHRONOLOGY.value:
        tags.append(CHRONOLOGY_TAG)
    if flag:
        tags.append(flag_tag(flag))
    return tuple(tags)


def field_checksum(first_field_text: str) -> int:
    """Anki's notes.csum: the first 8 hex digits of the SHA-1 of the first field's text."""
    return int(hashlib.sha1(first_field_text.encode("utf-8")).hexdigest()[:8], 16)
