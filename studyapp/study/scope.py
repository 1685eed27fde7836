"""Which cards the review queue studies: those of every article, or of one ("Study This
Article"). The daily limits count every answer, whatever was studied (as in Anki, a limit is
the learner's day, not an article's)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from studyapp.storage import models
from studyapp.storage.settings import get_setting, set_setting

STUDY_ARTICLE_KEY = "study_article"  # the article studied alone (JSON text), or null: every one


def in_scope(article_id: str | None) -> ColumnElement[bool]:
    """Cards of the article studied alone; every card when it is None."""
    return true() if article_id is None else models.Card.article_id == article_id


def load_study_article(session: Session) -> str | None:
    """The article studied alone, if it is still one the learner has (a removed pack's is
    not: then every article is studied)."""
    stored = get_setting(session, STUDY_ARTICLE_KEY)
    if not isinstance(stored, str):
        return None
    shown = session.scalar(
        select(models.Article.id)
        .join(models.Pack, models.Pack.id == models.Article.pack_id)
        .where(models.Article.id == stored, models.Pack.hidden.is_(False))
    )
    return stored if shown is not None else None


def save_study_article(session: Session, article_id: str | None) -> None:
    set_setting(session, STUDY_ARTICLE_KEY, article_id)
