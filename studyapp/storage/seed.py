"""Put a content pack into the database: install it once, then update it in place by stable id.

A pack owns its article, events and cards, and only those: syncing one pack never touches
another pack's rows, the learner's own cards, or their links to events.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from studyapp.content import model as content
from studyapp.storage import models
from studyapp.storage.positions import POSITION_STEP, place_learner_cards

log = logging.getLogger(__name__)


class SeedAction(StrEnum):
    SEEDED = "seeded"  # the pack was not installed
    UPDATED = "updated"  # an older version was updated in place
    UNCHANGED = "unchanged"  # the database already holds this version (or a newer one)


@dataclass(frozen=True)
class SeedResult:
    action: SeedAction
    previous_version: int | None
    version: int
    retired_cards: tuple[str, ...] = ()
    detached_cards: tuple[str, ...] = ()  # their passage left the pack: no source any more

    @property
    def moved(self) -> bool:
        return self.previous_version != self.version


class PackConflictError(ValueError):
    """The pack uses an id that another pack (or the learner) already uses."""


def installed_version(session: Session, pack_id: str) -> int | None:
    return session.scalar(select(models.Pack.version).where(models.Pack.id == pack_id))


def builtin_version(session: Session) -> int | None:
    """The version of the pack that ships with StudyApp, if installed."""
    return session.scalar(select(models.Pack.version).where(models.Pack.builtin.is_(True)))


def sync_pack(
    session: Session, dataset: content.Dataset, now: dt.datetime, *, builtin: bool = False
) -> SeedResult:
    """Bring one pack to the dataset's version, inside the caller's transaction.

    Cards keep their scheduling state, history and the learner's edits; a card dropped from
    the pack is retired (kept, with its history, but no longer studied).
    """
    pack_id = dataset.pack_id
    previous = installed_version(session, pack_id)
    if previous is not None and previous >= dataset.version:
        if previous > dataset.version:
            log.warning(
                "the database holds pack %s version %s, newer than this one's %s; kept it",
                pack_id,
                previous,
                dataset.version,
            )
        return SeedResult(SeedAction.UNCHANGED, previous, previous)
    refuse_clashes(session, dataset)
    _write_pack(session, dataset, now, builtin)
    retired, detached = _write_content(session, dataset, now)
    action = SeedAction.SEEDED if previous is None else SeedAction.UPDATED
    return SeedResult(action, previous, dataset.version, retired, detached)


def _write_pack(
    session: Session, dataset: content.Dataset, now: dt.datetime, builtin: bool
) -> None:
    article = dataset.article
    pack = session.get(models.Pack, dataset.pack_id)
    values = {
        "title": article.title,
        "version": dataset.version,
        "source": article.source,
        "licence": article.licence,
        "attribution": article.attribution,
        "updated_at": now,
    }
    if pack is None:
        session.add(models.Pack(id=dataset.pack_id, builtin=builtin, installed_at=now, **values))
    else:
        for key, value in values.items():
            setattr(pack, key, value)
    session.flush()


def refuse_clashes(session: Session, dataset: content.Dataset) -> None:
    """Ids are shared by all packs: refuse a pack that would take over another's rows.

    Compared in Python, not with IN (...): a large pack would pass SQLite's variable limit.
    """
    pack_id = dataset.pack_id
    article = dataset.article
    others: list[tuple[str, set[str], Any]] = [
        ("article", {article.id}, select(models.Article.id, models.Article.pack_id)),
        ("event", {e.id for e in dataset.events}, select(models.Event.id, models.Event.pack_id)),
        ("card", {c.id for c in dataset.cards}, select(models.Card.id, models.Card.pack_id)),
        (
            "section",
            {section.id for section in article.sections},
            select(models.Section.id, models.Section.article_id),
        ),
        (
            "passage",
            {passage.id for passage in article.passages()},
            select(models.Passage.id, models.Section.article_id).join(
                models.Section, models.Section.id == models.Passage.section_id
            ),
        ),
    ]
    for label, wanted, owners in others:
        mine = pack_id if label in ("article", "event", "card") else article.id
        for row_id, owner in session.execute(owners):
            if row_id in wanted and owner != mine:
                other = "your own cards" if owner is None else f"{owner!r}"
                raise PackConflictError(
                    f"{label} id {row_id!r} is already used by {other}; ids must be unique "
                    "across packs"
                )


def _write_content(
    session: Session, dataset: content.Dataset, now: dt.datetime
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write the pack's content; (cards retired, cards whose passage the pack removed)."""
    article = dataset.article
    pack_id = dataset.pack_id
    article_passages = (
        select(models.Passage.id)
        .join(models.Section, models.Section.id == models.Passage.section_id)
        .where(models.Section.article_id == article.id)
    )
    _upsert(
        session, models.Article, [_article_row(article, pack_id)], models.Article.id == article.id
    )
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
    _upsert(session, models.Section, sections, models.Section.article_id == article.id)
    passages: list[dict[str, Any]] = [
        {"id": passage.id, "section_id": section.id, "position": position, "text": passage.text}
        for position, (section, passage) in enumerate(
            (section, passage) for section in article.sections for passage in section.passages
        )
    ]
    _upsert(session, models.Passage, passages, models.Passage.id.in_(article_passages))
    session.execute(delete(models.Reference).where(models.Reference.article_id == article.id))
    session.add_all(
        models.Reference(article_id=article.id, number=ref.number, text=ref.text)
        for ref in article.references
    )
    events = [_event_row(event, pack_id, article.id) for event in dataset.events]
    _upsert(session, models.Event, events, models.Event.pack_id == pack_id)
    retired = _sync_cards(session, dataset, now)
    # The links of the pack's cards are the pack's: rewritten for the cards it still has.
    # Retired cards keep theirs (history), and so do the learner's cards.
    for chunk in _chunks([card.id for card in dataset.cards]):
        session.execute(delete(models.CardEvent).where(models.CardEvent.card_id.in_(chunk)))
    session.add_all(
        models.CardEvent(card_id=card.id, event_id=event_id)
        for card in dataset.cards
        for event_id in card.event_ids
    )
    # Events the pack dropped are retired, not deleted: cards may still be linked to them.
    kept_events = {e["id"] for e in events}
    session.execute(
        update(models.Event)
        .where(models.Event.pack_id == pack_id, models.Event.id.not_in(kept_events))
        .values(retired=True)
    )
    # Passages that go take their sentence numbering with them: a card citing one (the
    # learner's, or a retired one) keeps its quote and loses the link, never a wrong one.
    kept_passages = {row["id"] for row in passages}
    leaving = select(models.Passage.id).where(
        models.Passage.id.in_(article_passages), models.Passage.id.not_in(kept_passages)
    )
    detached = tuple(
        sorted(session.scalars(select(models.Card.id).where(models.Card.passage_id.in_(leaving))))
    )
    if detached:
        session.execute(
            update(models.Card)
            .where(models.Card.passage_id.in_(leaving))
            .values(passage_id=None, sentence_index=None, modified_at=now)
        )
    _delete_missing(
        session,
        models.Passage,
        {row["id"] for row in passages},
        models.Passage.id.in_(article_passages),
    )
    _delete_missing(
        session,
        models.Section,
        {row["id"] for row in sections},
        models.Section.article_id == article.id,
    )
    session.flush()
    place_learner_cards(session, article.id)
    return retired, detached


def _sync_cards(session: Session, dataset: content.Dataset, now: dt.datetime) -> tuple[str, ...]:
    """Insert and update the pack's cards, keep the learner's edits, retire what left."""
    pack_id = dataset.pack_id
    existing = {
        card.id: card
        for card in session.scalars(select(models.Card).where(models.Card.pack_id == pack_id))
    }
    for index, card in enumerate(dataset.cards):
        values = _card_row(index, card, pack_id, dataset.article.id)
        row = existing.pop(card.id, None)
        if row is None:
            session.add(models.Card(**values, created_at=now, modified_at=now))
            continue
        text = {
            "front": values.pop("front"),
            "back": values.pop("back"),
            "cloze": values.pop("cloze"),
        }
        if row.original_front is not None:  # edited by the learner: the pack's text waits
            text = {f"original_{key}": value for key, value in text.items()}
        values.update(text)
        changed = any(getattr(row, key) != value for key, value in values.items())
        for key, value in values.items():
            setattr(row, key, value)
        if changed:
            row.modified_at = now
    retired = []
    for card_id, row in existing.items():
        if not row.retired:
            row.retired = True
            row.modified_at = now
            retired.append(card_id)
    session.flush()
    return tuple(sorted(retired))


def _upsert(
    session: Session, model: Any, rows: Iterable[dict[str, Any]], scope: ColumnElement[bool]
) -> None:
    """Insert or update rows by id; `scope` selects the pack's rows of this kind (clashes with
    other packs were refused before)."""
    existing = {row.id: row for row in session.scalars(select(model).where(scope))}
    for values in rows:
        row = existing.get(values["id"])
        if row is None:
            session.add(model(**values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
    session.flush()


def _delete_missing(
    session: Session, model: Any, keep: set[str], scope: ColumnElement[bool]
) -> None:
    session.execute(delete(model).where(scope, model.id.not_in(keep)))


def _article_row(article: content.Article, pack_id: str) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "title_lt": article.title_lt,
        "source": article.source,
        "licence": article.licence,
        "attribution": article.attribution,
        "pack_id": pack_id,
    }


def _event_row(event: content.Event, pack_id: str, article_id: str) -> dict[str, Any]:
    """A period with no end (open-ended: the source states none) is a 'period' row whose end
    is NULL; its end_day is the last day its start may mean, the last day it is known to
    cover. A derived period's derivation is stored, and shown, with its description."""
    end = event.end
    return {
        "id": event.id,
        "kind": "period" if event.is_period else "point",
        "start": event.start.iso(),
        "end": end.iso() if end is not None else None,
        "start_day": event.start.first_day(),
        "end_day": (end or event.start).last_day(),
        "date_text": event.date_text,
        "title": event.title,
        "description": event.shown_description,
        "passage_id": event.source.passage_id,
        "sentence_index": event.source.sentence_index,
        "quote": event.source.quote,
        "pack_id": pack_id,
        "article_id": article_id,
        "retired": False,  # back in the pack: shown again
    }


def _card_row(index: int, card: content.Card, pack_id: str, article_id: str) -> dict[str, Any]:
    return {
        "id": card.id,
        "position": (index + 1) * POSITION_STEP,
        "kind": card.kind.value,
        "front": card.front,
        "back": card.back,
        "cloze": card.cloze,
        "passage_id": card.source.passage_id,
        "sentence_index": card.source.sentence_index,
        "quote": card.source.quote,
        "retired": False,  # back in the pack: studied again, with its history
        "pack_id": pack_id,
        "article_id": article_id,
    }


def _chunks(ids: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
