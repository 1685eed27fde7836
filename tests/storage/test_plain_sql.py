"""The card rules written as SQL text (storage/plain_sql.py) are the rules of storage/cards.py:
each SQLAlchemy expression compiles to the very text the first screen's reader runs."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects import sqlite

from studyapp.storage import plain_sql
from studyapp.storage.cards import active, hidden_articles, in_collection, in_shown_article, studied
from studyapp.storage.models import UTCDateTime


def _sql(expression: Any) -> str:
    compiled = expression.compile(dialect=sqlite.dialect(paramstyle="named"))
    return re.sub(r"\s+", " ", str(compiled)).strip()


def test_each_rule_compiles_to_its_text() -> None:
    assert _sql(hidden_articles()) == plain_sql.HIDDEN_ARTICLES
    assert f"({_sql(in_shown_article())})" == plain_sql.IN_SHOWN_ARTICLE  # as it is nested
    assert _sql(in_collection()) == plain_sql.IN_COLLECTION
    assert _sql(studied()) == plain_sql.STUDIED
    now = bindparam("now", type_=UTCDateTime())
    assert _sql(active(now)) == plain_sql.active("now")
