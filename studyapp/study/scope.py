"""Which cards the review queue studies: those of every article, or of one ("Study This
Article"). The daily limits count every answer, whatever was studied (as in Anki, a limit is
the learner's day, not an article's)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import Session

from studyapp.storage import models
from studyapp.storage.engine import core_rows
from studyapp.storage.settings import set_setting
from studyapp.study.queue_reads import STUDY_ARTICLE_KEY, study_article

__all__ = ["STUDY_ARTICLE_KEY", "in_scope", "load_study_article", "save_study_article"]


def in_scope(article_id: str | None) -> ColumnElement[bool]:
    """Cards of the article studied alone; every card when it is None."""
    return true() if article_id is None else models.Card.article_id == article_id


def load_study_article(session: Session) -> str | None:
    """The article studied alone, if it is still one the learner has (a removed pack's is
    not: then every article is studied), as saved in this session so far."""
    session.flush()  # the read runs as SQL on the session's connection
    return study_article(core_rows(session.connection()))


def save_study_article(session: Session, article_id: str | None) -> None:
    set_setting(session, STUDY_ARTICLE_KEY, article_id)
