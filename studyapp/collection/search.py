"""The browser's search and sort as SQL: a parsed search (search_parser.py) becomes one WHERE
clause over the cards, each column's sort one ORDER BY, so 50,000 cards are found and sorted
by SQLite, never in Python. Text goes through the FTS5 index (or LIKE on the folded column
where SQLite has no FTS5), folded by the same function the index was built with.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    and_,
    exists,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
    table,
    true,
    type_coerce,
)
from sqlalchemy.orm import Session

from studyapp.collection.search_parser import (
    And,
    Everything,
    Keyword,
    Node,
    Not,
    Or,
    Prop,
    Text,
    parse,
)
from studyapp.collection.sorting import (
    DAY_US,
    interval_us,
    lapse_count,
    review_count,
    sort_key,
)
from studyapp.storage import models
from studyapp.storage.cards import LEARNING_STATES, active, in_collection
from studyapp.storage.models import STATE_NEW, STATE_RELEARNING, STATE_REVIEW
from studyapp.storage.search_index import FTS_TABLE, card_search, fold
from studyapp.study.day import StudyDay

_WORDS = re.compile(r"\w+")
_fts = table(FTS_TABLE)

Card, Log, Search = models.Card, models.ReviewLog, card_search


@dataclass(frozen=True)
class SearchContext:
    """What a search is relative to: the time, the study day, and whether FTS5 is there."""

    now: dt.datetime
    day: StudyDay
    fts: bool


def _compare(expression: Any, operator: str, number: float) -> ColumnElement[bool]:
    comparisons: dict[str, ColumnElement[bool]] = {
        "<": expression < number,
        "<=": expression <= number,
        ">": expression > number,
        ">=": expression >= number,
        "=": expression == number,
        "!=": expression != number,
    }
    present: ColumnElement[bool] = expression.is_not(None)
    return present & comparisons[operator]


# -- text -------------------------------------------------------------------------------------


def _like(pattern: str) -> ColumnElement[bool]:
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = f"%{escaped}%"
    return or_(
        Search.c.question.like(like, escape="\\"),
        Search.c.answer.like(like, escape="\\"),
        Search.c.sentence.like(like, escape="\\"),
    )


def _phrase(node: Text) -> str | None:
    """The FTS5 query for one text search (None: it has no word for FTS5 to look up)."""
    words = _WORDS.findall(fold(node.text))
    if not words:
        return None
    return '"' + " ".join(words) + '"' + ("" if node.phrase else " *")


def _matching(fts_query: str) -> ColumnElement[bool]:
    rowids: Select[Any] = (
        select(literal_column("rowid"))
        .select_from(_fts)
        .where(literal_column(FTS_TABLE).op("MATCH")(fts_query))
    )
    return Card.number.in_(rowids)


def _text(node: Text, context: SearchContext) -> ColumnElement[bool]:
    phrase = _phrase(node) if context.fts else None
    if phrase is None:
        folded = " ".join(fold(node.text).split())
        return Card.number.in_(select(Search.c.id).where(_like(folded)))
    return _matching(phrase)


def _group(
    nodes: tuple[Node, ...], context: SearchContext, session: Session, joiner: str
) -> list[ColumnElement[bool]]:
    """The conditions of an "and" (joiner AND) or an "or" (OR). Its texts become one FTS5
    query, which intersects or unites them itself: far faster than one lookup per word when
    one of the words is common."""
    phrases = {
        index: phrase
        for index, node in enumerate(nodes)
        if context.fts and isinstance(node, Text) and (phrase := _phrase(node)) is not None
    }
    if len(phrases) < 2:
        phrases = {}
    conditions = [
        condition(node, context, session)
        for index, node in enumerate(nodes)
        if index not in phrases
    ]
    if phrases:
        conditions.insert(0, _matching(f" {joiner} ".join(f"({p})" for p in phrases.values())))
    return conditions


# -- keywords ---------------------------------------------------------------------------------


def _is(value: str, context: SearchContext) -> ColumnElement[bool]:
    now, day = context.now, context.day
    if value == "new":
        return Card.state == STATE_NEW
    if value == "learn":
        return Card.state.in_(LEARNING_STATES)
    if value == "review":
        return Card.state.in_((STATE_REVIEW, STATE_RELEARNING))
    if value == "due":
        # What the queue offers today: reviews due this study day, learning cards due now.
        review_due = (Card.state == STATE_REVIEW) & (Card.due < day.end)
        learning_due = Card.state.in_(LEARNING_STATES) & (Card.due <= now)
        return active(now) & (review_due | learning_due)
    if value == "suspended":
        return Card.suspended.is_(True)
    if value == "buried":
        return Card.buried_until.is_not(None) & (Card.buried_until > now)
    if value == "mine":
        return Card.pack_id.is_(None)
    if value == "pack":
        return Card.pack_id.is_not(None)
    if value == "edited":
        return Card.original_front.is_not(None)
    assert value == "flagged"
    return Card.flag != 0


def _days_back(days: int, context: SearchContext) -> dt.datetime:
    """The start of the study day `days - 1` days before today (rated:1 is today)."""
    return context.day.start - dt.timedelta(days=days - 1)


def _rated(value: str, context: SearchContext) -> ColumnElement[bool]:
    days, _, rating = value.partition(":")
    conditions = [Log.card_number == Card.number, Log.reviewed_at >= _days_back(int(days), context)]
    if rating:
        conditions.append(Log.rating == int(rating))
    return exists().where(*conditions)


def _introduced(value: str, context: SearchContext) -> ColumnElement[bool]:
    first = (
        select(func.min(Log.reviewed_at)).where(Log.card_number == Card.number).scalar_subquery()
    )
    return first >= _days_back(int(value), context)


def _glob_like(pattern: str) -> str:
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def _tag(value: str) -> ColumnElement[bool]:
    tags = models.CardTag
    return exists().where(
        tags.card_id == Card.id, func.lower(tags.tag).like(_glob_like(value.lower()), escape="\\")
    )


def _source(value: str, session: Session) -> ColumnElement[bool]:
    """Cards citing a section or an article: by id, or by words of its heading or title."""
    if value.lower() == "none":
        return Card.passage_id.is_(None)
    wanted = fold(value)

    def matches(name: str, heading: str) -> bool:
        folded = fold(heading)
        if "*" in wanted:
            return fnmatch.fnmatchcase(folded, wanted) or fnmatch.fnmatchcase(name, wanted)
        return name == value or wanted in folded

    sections = [
        section_id
        for section_id, heading in session.execute(
            select(models.Section.id, models.Section.heading)
        )
        if matches(section_id, heading)
    ]
    articles = [
        article_id
        for article_id, title in session.execute(select(models.Article.id, models.Article.title))
        if matches(article_id, title)
    ]
    if not sections and not articles:
        return false()
    passages = select(models.Passage.id).where(models.Passage.section_id.in_(sections))
    return Card.passage_id.in_(passages) | Card.article_id.in_(articles)


def _prop(node: Prop, context: SearchContext) -> ColumnElement[bool]:
    if node.name == "ivl":
        days = type_coerce(interval_us(), Float) / DAY_US
        return (Card.state != STATE_NEW) & _compare(days, node.operator, node.number)
    if node.name == "reps":
        return _compare(review_count(), node.operator, node.number)
    if node.name == "lapses":
        return _compare(lapse_count(), node.operator, node.number)
    if node.name == "s":
        return _compare(Card.stability, node.operator, node.number)
    if node.name == "d":
        return _compare(Card.difficulty, node.operator, node.number)
    assert node.name == "due"
    return _due_days(node.operator, int(node.number), context)


def _due_days(operator: str, days: int, context: SearchContext) -> ColumnElement[bool]:
    """prop:due: the study day a card is due on, counted from today (0 today, -1 yesterday)."""

    def day(offset: int) -> dt.datetime:
        return context.day.start + dt.timedelta(days=offset)

    ranges = {
        "<": Card.due < day(days),
        "<=": Card.due < day(days + 1),
        ">": Card.due >= day(days + 1),
        ">=": Card.due >= day(days),
        "=": (Card.due >= day(days)) & (Card.due < day(days + 1)),
        "!=": (Card.due < day(days)) | (Card.due >= day(days + 1)),
    }
    return (Card.state != STATE_NEW) & Card.due.is_not(None) & ranges[operator]


def condition(node: Node, context: SearchContext, session: Session) -> ColumnElement[bool]:
    """The WHERE clause for a parsed search."""
    if isinstance(node, Everything):
        return true()
    if isinstance(node, Text):
        return _text(node, context)
    if isinstance(node, Not):
        return not_(condition(node.node, context, session))
    if isinstance(node, And):
        return and_(*_group(node.nodes, context, session, "AND"))
    if isinstance(node, Or):
        return or_(*_group(node.nodes, context, session, "OR"))
    if isinstance(node, Prop):
        return _prop(node, context)
    assert isinstance(node, Keyword)
    if node.key == "is":
        return _is(node.value, context)
    if node.key == "flag":
        return Card.flag == int(node.value)
    if node.key == "tag":
        return _tag(node.value)
    if node.key == "rated":
        return _rated(node.value, context)
    if node.key == "introduced":
        return _introduced(node.value, context)
    if node.key == "kind":
        return Card.kind == node.value
    assert node.key == "source"
    return _source(node.value, session)


def _leading_text(node: Node, context: SearchContext) -> tuple[str | None, Node]:
    """The words every match must have, as one FTS5 query, and the rest of the search; (None,
    the search) when no words are required (or there is no FTS5)."""
    if not context.fts:
        return None, node
    if isinstance(node, Text):
        phrase = _phrase(node)
        return (phrase, Everything()) if phrase is not None else (None, node)
    if isinstance(node, And):
        words = [(each, _phrase(each)) for each in node.nodes if isinstance(each, Text)]
        phrases = [phrase for _, phrase in words if phrase is not None]
        if phrases:
            used = {id(each) for each, phrase in words if phrase is not None}
            rest = [each for each in node.nodes if id(each) not in used]
            remaining: Node = (
                Everything() if not rest else rest[0] if len(rest) == 1 else And(tuple(rest))
            )
            return " AND ".join(f"({phrase})" for phrase in phrases), remaining
    return None, node


def search_ids(
    session: Session,
    query: str,
    context: SearchContext,
    order: str = "due",
    descending: bool = False,
) -> list[str]:
    """The ids of the cards in the collection matching `query`, in the order asked for (ties
    in reading order; descending reverses both, cards without a value stay last). SearchError
    says what is wrong with the search."""
    words, rest = _leading_text(parse(query), context)
    where = condition(rest, context, session)
    key = sort_key(order, context.now)
    if words is not None:
        # Words to find: the FTS5 index drives the query (its matches joined to their cards),
        # rather than every card being tested against the set of matches. The unary + keeps
        # SQLite from the plan the other way round (each card looked up in the FTS5 index:
        # minutes at 50,000 cards), as SQLite's manual suggests.
        statement = (
            select(Card.id)
            .select_from(_fts)
            .join(Card, Card.number == literal_column(f"+{FTS_TABLE}.rowid"))
            .where(literal_column(FTS_TABLE).op("MATCH")(words), in_collection(), where)
        )
    else:
        statement = select(Card.id).where(in_collection(), where)

    def way(column: Any) -> Any:
        return column.desc() if descending else column.asc()

    if order == "due" and words is None:
        # The default sort, and the one the browser opens with: as two reads, dated cards
        # then new ones, each comes off ix_cards_browse in order, with no sort at all.
        dated = statement.where(Card.due.is_not(None))
        new = statement.where(Card.due.is_(None))
        return _ids(session, dated.order_by(way(Card.due), way(Card.position), way(Card.id))) + (
            _ids(session, new.order_by(way(Card.position), way(Card.id)))
        )
    return _ids(
        session, statement.order_by(way(key).nulls_last(), way(Card.position), way(Card.id))
    )


def _ids(session: Session, statement: Select[Any]) -> list[str]:
    # SQLAlchemy's Row objects would double the cost of 50,000 ids; the DBAPI cursor of the
    # same Core statement hands over plain tuples.
    result = session.connection().execute(statement)
    try:
        return [card_id for (card_id,) in result.cursor.fetchall()]
    finally:
        result.close()
