"""The Collection's pack operations: add a pack from a file, remove it (the built-in one: hide
and show it), and which articles the review queue studies.

A mixin of Collection (it uses the collection's transactions, undo stack, queue and clock),
kept apart so each file stays small. Adding a pack that writes content (a new pack, a newer
version) is one transaction undo cannot step over; everything else here is undoable.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from studyapp.collection.changes import Changes
from studyapp.collection.packs import (
    PackAction,
    PackInfo,
    PackPlan,
    PackRefusedError,
    PackSync,
    copy_failure,
    pack_changes,
    pack_infos,
    pack_row,
    plan_install,
    refuse_last_shown,
    set_hidden,
)
from studyapp.collection.undo import Journal
from studyapp.storage import models, queries
from studyapp.storage.backup import copy_before_pack_update
from studyapp.storage.database import Database
from studyapp.storage.seed import PackConflictError, sync_pack
from studyapp.study.availability import LEARN_AHEAD
from studyapp.study.review import ReviewQueue
from studyapp.study.scope import STUDY_ARTICLE_KEY, load_study_article, save_study_article

if TYPE_CHECKING:
    from studyapp.content.model import Dataset

_ADDED = {
    PackAction.INSTALL: "Add Pack",
    PackAction.UPDATE: "Update Pack",
    PackAction.RESTORE: "Add Pack Back",
}


class PackOperations:
    """Collection's pack methods; Collection provides the attributes below."""

    database: Database
    _queue: ReviewQueue
    _clock: Callable[[], dt.datetime]

    @property
    def path(self) -> Path:
        raise NotImplementedError

    @property
    def backup_dir(self) -> Path:
        raise NotImplementedError

    def _write(self, what: str) -> AbstractContextManager[Journal]:
        raise NotImplementedError

    def _done(self, journal: Journal, changes: Changes, focus: str | None = None) -> Changes:
        raise NotImplementedError

    def _not_undoable(self) -> None:
        raise NotImplementedError

    # -- reads ---------------------------------------------------------------------------------

    def articles(self) -> list[queries.ArticleEntry]:
        """The articles the learner can open: the built-in pack's first, then by install."""
        with self.database.sessions() as session:
            return queries.shown_articles(session)

    def packs(self) -> list[PackInfo]:
        """Every pack with its figures (a removed one is not listed; a hidden built-in one is)."""
        now = self._clock()
        with self.database.sessions() as session:
            return pack_infos(session, now, now + LEARN_AHEAD, self._queue.day().end)

    def pack_plan(self, dataset: Dataset) -> PackPlan:
        """What install_pack(dataset) would do, or why it would refuse."""
        with self.database.sessions() as session:
            return plan_install(session, dataset)

    @property
    def study_article(self) -> str | None:
        """The article the review queue studies alone, or None when it studies every one."""
        return self._queue.article

    # -- operations ----------------------------------------------------------------------------

    def install_pack(self, dataset: Dataset) -> PackSync:
        """Add a pack from a file (File > Add Content Pack…, `--import`), in one transaction:
        a new pack; a newer version of one (updated in place, progress kept, a copy of the
        collection kept first); or one removed before (back with its progress). The same or
        an older version, or a pack whose ids another uses, is refused (PackRefusedError)."""
        now = self._clock()
        plan = self.pack_plan(dataset)
        if plan.refusal is not None:
            raise PackRefusedError(plan.refusal)
        if plan.rewrites_content and plan.installed is not None:
            try:
                copy_before_pack_update(
                    self.path, self.backup_dir, dataset.pack_id, plan.installed, now
                )
            except (OSError, sqlite3.Error) as error:
                raise copy_failure(str(self.path), error) from error
        with self._write(f"the pack “{dataset.article.title}”") as journal:
            session = journal.session
            plan = plan_install(session, dataset)  # as planned, unless the collection moved
            if plan.refusal is not None:
                raise PackRefusedError(plan.refusal)
            journal.capture("packs", models.Pack.id == dataset.pack_id)
            try:
                result = sync_pack(session, dataset, now)
            except PackConflictError as error:
                raise PackRefusedError(str(error)) from error
            if plan.action is PackAction.RESTORE:
                set_hidden(session, pack_row(session, dataset.pack_id), False, now)
        self._queue.follow_scope()
        assert plan.action is not None
        changes = pack_changes(_ADDED[plan.action], content_rewritten=result.moved)
        if result.moved:
            self._not_undoable()
        else:
            self._done(journal, changes)  # only shown again: undo hides it once more
        return PackSync(changes, result, plan)

    def sync_pack(self, dataset: Dataset, *, builtin: bool = False) -> PackSync:
        """Install a pack or update it in place (cards keep their state, history and edits)."""
        with self._write(f"the pack {dataset.article.title!r}") as journal:
            result = sync_pack(journal.session, dataset, self._clock(), builtin=builtin)
        moved = result.moved
        if moved:
            self._not_undoable()
        changes = Changes(
            label="Install Pack",
            scheduling=moved,
            card_status=moved,
            card_content=moved,
            card_links=moved,
            content=moved,
        )
        return PackSync(changes, result)

    def remove_pack(self, pack_id: str) -> Changes:
        """Take a pack out of the collection: its article and events leave the panes, its
        cards (and the learner's cards on its article) leave study; every row is kept, so
        adding the pack again brings its progress back. The built-in pack is only hidden."""
        with self._write("the removal of the pack") as journal:
            pack = pack_row(journal.session, pack_id)
            if pack.builtin:
                raise PackRefusedError(
                    f"“{pack.title}” comes with StudyApp, so it cannot be removed; you can hide "
                    "it instead (its progress is kept)."
                )
            if pack.hidden:
                raise PackRefusedError(f"“{pack.title}” was removed already.")
            self._hide(journal, pack, "removed")
        self._queue.follow_scope()
        return self._done(journal, pack_changes("Remove Pack"))

    def hide_pack(self, pack_id: str) -> Changes:
        """Hide the built-in pack, as removing hides any other (show_pack brings it back)."""
        with self._write("hiding the pack") as journal:
            pack = pack_row(journal.session, pack_id)
            if not pack.builtin:
                raise PackRefusedError(
                    f"Only the built-in pack is hidden; “{pack.title}” is removed instead "
                    "(adding its file again brings it back with its progress)."
                )
            if pack.hidden:
                raise PackRefusedError(f"“{pack.title}” is hidden already.")
            self._hide(journal, pack, "hidden")
        self._queue.follow_scope()
        return self._done(journal, pack_changes("Hide Pack"))

    def show_pack(self, pack_id: str) -> Changes:
        """Show a hidden pack again, as it was."""
        with self._write("showing the pack") as journal:
            pack = pack_row(journal.session, pack_id)
            if not pack.hidden:
                raise PackRefusedError(f"“{pack.title}” is shown already.")
            journal.capture("packs", models.Pack.id == pack_id)
            set_hidden(journal.session, pack, False, self._clock())
        self._queue.follow_scope()
        return self._done(journal, pack_changes("Show Pack"))

    def _hide(self, journal: Journal, pack: models.Pack, doing: str) -> None:
        session = journal.session
        refuse_last_shown(session, pack, doing)
        journal.capture("packs", models.Pack.id == pack.id)
        set_hidden(session, pack, True, self._clock())
        # The queue studied this article alone: it studies every article again (and undo
        # brings the choice back with the pack).
        article = session.scalar(select(models.Article.id).where(models.Article.pack_id == pack.id))
        journal.capture("settings", models.Setting.key == STUDY_ARTICLE_KEY)
        if article is not None and self._queue.article == article:
            save_study_article(session, None)

    def study_only(self, article_id: str | None) -> Changes:
        """Study one article's cards alone (None: every article's). The daily limits count
        every answer, whichever article it was about."""
        with self._write("which articles you study") as journal:
            session = journal.session
            journal.capture("settings", models.Setting.key == STUDY_ARTICLE_KEY)
            journal.created("settings", STUDY_ARTICLE_KEY)
            save_study_article(session, article_id)
            if article_id is not None and load_study_article(session) is None:
                raise PackRefusedError("That article is not in your collection.")
        self._queue.follow_scope()
        label = "Study All Articles" if article_id is None else "Study One Article"
        return self._done(journal, Changes(label=label, scheduling=True, settings=True))
