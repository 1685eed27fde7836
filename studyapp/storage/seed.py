"""Put the dataset into the database: seed it once, then update it in place by stable id."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from studyapp.content import model as content
from studyapp.storage import models
from studyapp.storage.settings import DATASET_VERSION, get_setting, set_setting

log = logging.getLogger(__name__)


class SeedAction(StrEnum):
    SEEDED = "seeded"  # the database was empty
    UPDATED = "updated"  # an older dataset version was updated in place
    UNCHANGED = "unchanged"  # the database already holds this version (or a newer one)


@dataclass(frozen=True)
class SeedResult:
    action: SeedAction
    previous_version: int | None
    version: int
    retired_cards: tuple[str, ...] = ()


def sync_dataset(session: Session, dataset: content.Dataset) -> SeedResult:
    """Bring the database's content to the dataset's version in one transaction.

    Cards keep their scheduling state and history; a card dropped from the dataset is retired
    (kept, with its history, but no longer studied).
    """
    with session.begin():
        previous = get_setting(session, DATASET_VERSION)
        if previous is not None and previous >= dataset.version:
            if previous > dataset.version:
                log.warning(
                    "the database holds dataset version %s, newer than this app's %s; kept it",
                    previous,
                    dataset.version,
                )
            return SeedResult(SeedAction.UNCHANGED, previous, previous)
        retired = _write_content(session, dataset)
        set_setting(session, DATASET_VERSION, dataset.version)
    action = SeedAction.SEEDED if previous is None else SeedAction.UPDATED
    return SeedResult(action, previous, dataset.version, retired)


def _write_content(session: Session, dataset: content.Dataset) -> tuple[str, ...]:
    article = dataset.article
    _upsert(session, models.Article, [_article_row(article)])
    sections: list[dict[str, Any]] = [
        {
            "id": section.id,
            "article_id": article.id,
            "position": position,
            "heading": section.heading,
            "editorial_heading": section.editorial_heading,
        }
        for position, section in enumerate(article.sections)
    ]
    _upsert(session, models.Section, sections)
    passages: list[dict[str, Any]] = [
        {"id": passage.id, "section_id": section.id, "position": position, "text": passage.text}
        for position, (section, passage) in enumerate(
            (section, passage) for section in article.sections for passage in section.passages
        )
    ]
    _upsert(session, models.Passage, passages)
    session.execute(delete(models.Reference).where(models.Reference.article_id == article.id))
    session.add_all(
        models.Reference(article_id=article.id, number=ref.number, text=ref.text)
        for ref in article.references
    )
    _upsert(session, models.Event, [_event_row(event) for event in dataset.events])
    cards = [_card_row(position, card) for position, card in enumerate(dataset.cards)]
    retired = _upsert(session, models.Card, cards, retire_missing=True)
    session.execute(delete(models.CardEvent))
    session.add_all(
        models.CardEvent(card_id=card.id, event_id=event_id)
        for card in dataset.cards
        for event_id in card.event_ids
    )
    # Content that left the dataset: cards were retired above; events, passages, sections and
    # articles carry no history, so they go (cards pointing at them keep their own quote).
    _delete_missing(session, models.Event, {event.id for event in dataset.events})
    _delete_missing(session, models.Passage, {row["id"] for row in passages})
    _delete_missing(session, models.Section, {row["id"] for row in sections})
    _delete_missing(session, models.Article, {article.id})
    return retired


def _upsert(
    session: Session, model: Any, rows: Iterable[dict[str, Any]], retire_missing: bool = False
) -> tuple[str, ...]:
    existing = {row.id: row for row in session.scalars(select(model))}
    wanted_ids = set()
    for values in rows:
        wanted_ids.add(values["id"])
        row = existing.get(values["id"])
        if row is None:
            session.add(model(**values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
    retired = []
    if retire_missing:
        for row_id, row in existing.items():
            if row_id not in wanted_ids and not row.retired:
                row.retired = True
                retired.append(row_id)
    session.flush()
    return tuple(sorted(retired))


def _delete_missing(session: Session, model: Any, keep: set[str]) -> None:
    session.execute(delete(model).where(model.id.not_in(keep)))


def _article_row(article: content.Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "title_lt": article.title_lt,
        "source": article.source,
        "licence": article.licence,
        "attribution": article.attribution,
    }


def _event_row(event: content.Event) -> dict[str, Any]:
    end = event.end
    return {
        "id": event.id,
        "kind": "period" if end is not None else "point",
        "start": event.start.iso(),
        "end": end.iso() if end is not None else None,
        "start_day": event.start.first_day(),
        "end_day": (end or event.start).last_day(),
        "date_text": event.date_text,
        "title": event.title,
        "description": event.description,
        "passage_id": event.source.passage_id,
        "sentence_index": event.source.sentence_index,
        "quote": event.source.quote,
    }


def _card_row(position: int, card: content.Card) -> dict[str, Any]:
    return {
        "id": card.id,
        "position": position,
        "kind": card.kind.value,
        "front": card.front,
        "back": card.back,
        "cloze": card.cloze,
        "passage_id": card.source.passage_id,
        "sentence_index": card.source.sentence_index,
        "quote": card.source.quote,
        "retired": False,  # back in the dataset: studied again, with its history
    }
