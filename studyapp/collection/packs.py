"""Content packs in a collection: what adding a pack file would do (or why it may not), each
pack's figures, and removing a pack without losing a row of its progress.

A removed pack (the built-in one: hidden) keeps every row: its article, events and cards,
their history, the learner's own cards on its article. The pack is marked hidden, and
storage/cards.py's rules leave its cards out of study; adding the pack again (or showing the
built-in one) brings all of it back as it was. Ids are shared by every pack: a pack that
would take another's ids is refused (its author prefixes them), never renamed on the way in.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from studyapp.collection.authoring_values import CardOperationError
from studyapp.collection.changes import Changes
from studyapp.content.model import Dataset
from studyapp.storage import models
from studyapp.storage.cards import LEARNING_STATES
from studyapp.storage.errors import StorageError
from studyapp.storage.seed import PackConflictError, SeedResult, refuse_clashes


class PackRefusedError(CardOperationError):
    """A pack cannot be added, removed, hidden or shown; str() says why, for the learner."""


class PackAction(StrEnum):
    INSTALL = "install"  # not in the collection yet
    UPDATE = "update"  # an older version is in the collection: updated in place
    RESTORE = "restore"  # removed (or hidden) before: back with its progress


@dataclass(frozen=True)
class PackPlan:
    """What adding a pack file would do; `refusal` says why it would not."""

    pack_id: str
    title: str
    version: int
    installed: int | None  # the version in the collection, if any
    action: PackAction | None
    refusal: str | None = None

    @property
    def rewrites_content(self) -> bool:
        """Whether the pack's rows are written (not undoable), not only shown again."""
        return self.action is PackAction.INSTALL or (
            self.installed is not None and self.version > self.installed
        )

    def describe(self) -> str:
        """What adding it does, in a sentence or two for the learner."""
        if self.refusal is not None:
            return self.refusal
        title = f"“{self.title}”"
        if self.action is PackAction.INSTALL:
            return f"Adds {title} (version {self.version}) to your collection."
        if self.action is PackAction.UPDATE:
            return (
                f"Updates {title} from version {self.installed} to version {self.version}, in "
                "place: your progress on every card the new version keeps stays as it is; a "
                "card it drops is retired with its history. A copy of your collection goes to "
                "backups first."
            )
        newer = (
            f", updated from version {self.installed} to version {self.version}"
            if self.installed is not None and self.version > self.installed
            else ""
        )
        return f"Brings {title} back{newer}: its cards return with the progress you had."

    def done(self) -> str:
        """What adding it did, once it is done."""
        title = f"“{self.title}”"
        if self.action is PackAction.INSTALL:
            return f"Added {title} (version {self.version}) to your collection."
        if self.action is PackAction.UPDATE:
            return (
                f"Updated {title} from version {self.installed} to version {self.version}; "
                "your progress is kept (a copy of the collection as it was is in backups)."
            )
        return f"Brought {title} back (version {self.version}), with the progress you had."


def plan_install(session: Session, dataset: Dataset) -> PackPlan:
    """What adding `dataset` to the collection would do. A version only moves forward: the
    same or an older version of a pack in the collection is refused."""
    pack = session.get(models.Pack, dataset.pack_id)
    title, version = dataset.article.title, dataset.version

    def plan(action: PackAction | None, refusal: str | None = None) -> PackPlan:
        installed = None if pack is None else pack.version
        return PackPlan(dataset.pack_id, title, version, installed, action, refusal)

    if pack is not None and version < pack.version:
        had = "had" if pack.hidden else "has"
        return plan(
            None,
            f"Your collection {had} version {pack.version} of “{title}”; this file is version "
            f"{version}, an older one, so nothing was changed. A pack only moves to a higher "
            "version.",
        )
    if pack is not None and version == pack.version and not pack.hidden:
        return plan(None, f"“{title}” version {version} is already in your collection.")
    if pack is None or version > pack.version:
        try:
            refuse_clashes(session, dataset)
        except PackConflictError as error:
            return plan(
                None,
                f"“{title}” cannot be added: {error}. Every pack needs ids of its own; its "
                "author can give them a prefix (see the pack format).",
            )
    if pack is None:
        return plan(PackAction.INSTALL)
    return plan(PackAction.RESTORE if pack.hidden else PackAction.UPDATE)


@dataclass(frozen=True)
class PackInfo:
    """A pack as the Packs dialog lists it."""

    id: str
    article_id: str | None
    title: str
    version: int
    source: str
    licence: str
    attribution: str
    builtin: bool
    hidden: bool
    installed_at: dt.datetime
    updated_at: dt.datetime
    cards: int  # the pack's cards in the collection (suspended ones too)
    studied: int  # of those, the ones studied at least once
    due: int  # of those, the ones due today (learning ones by learn_until)


def pack_infos(
    session: Session, now: dt.datetime, learn_until: dt.datetime, day_end: dt.datetime
) -> list[PackInfo]:
    """Every pack the learner has, the built-in one first (shown even when hidden, so it can
    be shown again); a removed pack is not listed: adding its file brings it back."""
    card = models.Card
    due = (
        card.suspended.is_(False)
        & (card.buried_until.is_(None) | (card.buried_until <= now))
        & (
            (card.state.in_(LEARNING_STATES) & (card.due <= learn_until))
            | ((card.state == models.STATE_REVIEW) & (card.due < day_end))
        )
    )
    figures = {
        pack_id: (cards, studied, due_today)
        for pack_id, cards, studied, due_today in session.execute(
            select(
                card.pack_id,
                func.count(),
                func.count().filter(card.state != models.STATE_NEW),
                func.count().filter(due),
            )
            .where(card.pack_id.is_not(None), card.retired.is_(False), card.deleted_at.is_(None))
            .group_by(card.pack_id)
        )
    }
    articles = dict(session.execute(select(models.Article.pack_id, models.Article.id)).all())
    packs = session.scalars(
        select(models.Pack)
        .where(models.Pack.hidden.is_(False) | models.Pack.builtin.is_(True))
        .order_by(models.Pack.builtin.desc(), models.Pack.installed_at, models.Pack.id)
    )
    return [
        PackInfo(
            pack.id,
            articles.get(pack.id),
            pack.title,
            pack.version,
            pack.source,
            pack.licence,
            pack.attribution,
            pack.builtin,
            pack.hidden,
            pack.installed_at,
            pack.updated_at,
            *figures.get(pack.id, (0, 0, 0)),
        )
        for pack in packs
    ]


def pack_row(session: Session, pack_id: str) -> models.Pack:
    pack = session.get(models.Pack, pack_id)
    if pack is None:
        raise PackRefusedError(f"Your collection has no pack {pack_id!r}.")
    return pack


def refuse_last_shown(session: Session, pack: models.Pack, doing: str) -> None:
    """A collection always has an article to read: the last shown pack stays."""
    shown = session.scalar(
        select(func.count()).select_from(models.Pack).where(models.Pack.hidden.is_(False))
    )
    if not pack.hidden and (shown or 0) <= 1:
        raise PackRefusedError(
            f"“{pack.title}” is the only article left to read, so it cannot be {doing}. Add "
            "another content pack first (File > Add Content Pack…)."
        )


def set_hidden(session: Session, pack: models.Pack, hidden: bool, now: dt.datetime) -> None:
    session.execute(
        update(models.Pack).where(models.Pack.id == pack.id).values(hidden=hidden, updated_at=now)
    )


def pack_changes(label: str, *, content_rewritten: bool = False) -> Changes:
    """What adding, removing, hiding or showing a pack moves: the articles, the timeline and
    the queue; card texts and links too where the pack's rows were written."""
    return Changes(
        label=label,
        scheduling=True,
        card_status=True,
        content=True,
        card_content=content_rewritten,
        card_links=content_rewritten,
    )


def copy_failure(database: str, error: OSError | sqlite3.Error) -> StorageError:
    return StorageError(
        f"Could not copy {database} aside before updating the pack: {error}. Nothing was "
        "changed; free some disk space and try again."
    )


@dataclass(frozen=True)
class PackSync:
    """What installing or updating a pack did."""

    changes: Changes
    result: SeedResult
    plan: PackPlan | None = None  # for a pack added from a file: what was planned
