"""The panes' reads (the article list, the article, the timeline and the card counts they show)
as SQL text and the Python that builds their values, each written once for both paths: the
main path (storage/queries.py, on `engine.core_rows`) and the first screen's reader (on
`plain_sql.sqlite_rows`, before SQLAlchemy is imported). No SQLAlchemy, fsrs or Qt here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import Any

from studyapp.content import model as content
from studyapp.content.dates import HistoricalDate
from studyapp.storage.pane_values import ArticleEntry, ArticleView, TimelineItem
from studyapp.storage.plain_sql import HIDDEN_ARTICLES, STUDIED, Rows

# Articles of packs not removed (or hidden): the built-in pack's first, then by install.
SHOWN_ARTICLES = (
    "SELECT articles.id, articles.title, packs.id, packs.builtin, articles.source, "
    "articles.licence, articles.attribution "
    "FROM articles JOIN packs ON packs.id = articles.pack_id "
    "WHERE packs.hidden IS 0 ORDER BY packs.builtin DESC, packs.installed_at, articles.id"
)
FIRST_ARTICLE = f"{SHOWN_ARTICLES} LIMIT 1"

ARTICLE = (
    "SELECT articles.id, articles.title, articles.title_lt, articles.source, articles.licence, "
    "articles.attribution FROM articles WHERE articles.id = :article_id"
)
SECTIONS = (
    "SELECT sections.id, sections.heading, sections.editorial_heading FROM sections "
    "WHERE sections.article_id = :article_id ORDER BY sections.position"
)
# {sections}: one named parameter a section (see _parameters).
PASSAGES = (
    "SELECT passages.section_id, passages.id, passages.text FROM passages "
    "WHERE passages.section_id IN ({sections}) ORDER BY passages.position"
)
REFERENCES = (
    "SELECT article_references.number, article_references.text FROM article_references "
    "WHERE article_references.article_id = :article_id ORDER BY article_references.number"
)
# The sentences the article's events come from (a hidden pack's article still shows them).
# `+events.start_day`: one pass over the table, then a sort, rather than the events in date
# order off their date index with a row lookup each (50 ms -> 23 ms at 10,000 events).
SENTENCE_EVENTS = (
    "SELECT events.id, events.passage_id, events.sentence_index FROM events "
    "WHERE events.article_id = :article_id AND events.retired IS 0 "
    "ORDER BY +events.start_day, events.id"
)

# The cards not studied (suspended, retired, deleted or of a removed pack): few, and found on
# the browser's covering index. Counts of studied cards are all the cards less these: each
# GROUP BY then reads a covering index only, never a card's row or a row per link.
NOT_STUDIED = f"SELECT cards.id FROM cards WHERE NOT ({STUDIED})"


def _less_not_studied(all_cards: str, not_studied: str) -> str:
    """(item, count) of `all_cards` less `not_studied` (each a GROUP BY of item, count(*)), the
    items left with none dropped: in one statement, so both counts are of one snapshot."""
    return (
        f"SELECT item, sum(number) FROM ({all_cards} UNION ALL "
        f"SELECT item, -number FROM ({not_studied})) GROUP BY item HAVING sum(number) > 0"
    )


# Cards per passage of one article, off the (passage, sentence) index; less those not studied.
ARTICLE_PASSAGES = (
    "SELECT passages.id FROM passages JOIN sections ON sections.id = passages.section_id "
    "WHERE sections.article_id = :article_id"
)
PASSAGE_CARD_COUNTS = _less_not_studied(
    "SELECT cards.passage_id AS item, count(*) AS number FROM cards "
    f"WHERE cards.passage_id IN ({ARTICLE_PASSAGES}) GROUP BY cards.passage_id",
    "SELECT cards.passage_id AS item, count(*) AS number FROM cards "
    f"WHERE cards.passage_id IN ({ARTICLE_PASSAGES}) AND cards.id IN ({NOT_STUDIED}) "
    "GROUP BY cards.passage_id",
)

# Cards about each event, off the event index; less those not studied, off the (card, event)
# key. At 50,000 cards and 37,000 links, half the time of one pass with NOT IN (the cards not
# studied), which looked up the link's row for each link (56 ms against 109 in one loop).
EVENT_CARD_COUNTS = _less_not_studied(
    "SELECT card_events.event_id AS item, count(*) AS number FROM card_events "
    "GROUP BY card_events.event_id",
    "SELECT card_events.event_id AS item, count(*) AS number FROM card_events "
    f"WHERE card_events.card_id IN ({NOT_STUDIED}) GROUP BY card_events.event_id",
)

# The events and periods of the articles shown; {only}: the narrowing (see timeline_sql).
TIMELINE = (
    'SELECT events.id, events.kind, events.start, events."end", events.date_text, '
    "events.title, events.description, events.passage_id, events.sentence_index, "
    "events.quote, events.article_id FROM events "
    f"WHERE events.retired IS 0 AND (events.article_id NOT IN ({HIDDEN_ARTICLES})){{only}} "
    "ORDER BY events.start_day, events.id"
)


def _parameters(prefix: str, values: Sequence[str]) -> tuple[str, dict[str, str]]:
    """An IN list of named parameters, one a value: (":p_0, :p_1", {"p_0": ..., "p_1": ...})."""
    parameters = {f"{prefix}_{index}": value for index, value in enumerate(values)}
    return ", ".join(f":{name}" for name in parameters), parameters


def _entry(row: Sequence[Any]) -> ArticleEntry:
    id_, title, pack_id, builtin, source, licence, attribution = row
    return ArticleEntry(id_, title, pack_id, bool(builtin), source, licence, attribution)


def shown_articles(rows: Rows) -> list[ArticleEntry]:
    """The articles the learner can open: the built-in pack's first, then by install."""
    return [_entry(row) for row in rows(SHOWN_ARTICLES, {})]


def first_article_id(rows: Rows) -> str | None:
    """The article shown by default: the built-in pack's, else the first installed."""
    found = rows(FIRST_ARTICLE, {})
    return None if not found else str(found[0][0])


def load_article(rows: Rows, article_id: str) -> content.Article | None:
    """One article with its sections, passages and references (None: no such article)."""
    found = rows(ARTICLE, {"article_id": article_id})
    if not found:
        return None
    id_, title, title_lt, source, licence, attribution = found[0]
    key = {"article_id": id_}
    section_rows = rows(SECTIONS, key)
    passages: dict[str, list[content.Passage]] = defaultdict(list)
    if section_rows:
        listed, parameters = _parameters("section", [row[0] for row in section_rows])
        for section_id, passage_id, text in rows(PASSAGES.format(sections=listed), parameters):
            passages[section_id].append(content.Passage(passage_id, text))
    sections = tuple(
        content.Section(section_id, heading, bool(editorial), tuple(passages[section_id]))
        for section_id, heading, editorial in section_rows
    )
    references = tuple(content.Reference(number, text) for number, text in rows(REFERENCES, key))
    return content.Article(id_, title, title_lt, source, licence, attribution, sections, references)


def load_article_view(rows: Rows, article_id: str | None = None) -> ArticleView:
    """The article (None: the one shown by default) with its card counts and the sentences
    its events come from; LookupError if there is no such article."""
    article_id = article_id or first_article_id(rows)
    article = load_article(rows, article_id) if article_id else None
    if article is None:
        raise LookupError("the database holds no article" if article_id is None else article_id)
    events_by_sentence: dict[tuple[str, int], list[str]] = defaultdict(list)
    for event_id, passage_id, sentence_index in rows(SENTENCE_EVENTS, {"article_id": article.id}):
        if passage_id is not None and sentence_index is not None:
            events_by_sentence[(passage_id, sentence_index)].append(event_id)
    counts = passage_card_counts(rows, article.id)
    return ArticleView(article, counts, dict(events_by_sentence))


def passage_card_counts(rows: Rows, article_id: str) -> dict[str, int]:
    """Studied cards per passage of one article (a passage with none is left out)."""
    found = rows(PASSAGE_CARD_COUNTS, {"article_id": article_id})
    return {str(passage_id): int(number) for passage_id, number in found}


def event_card_counts(rows: Rows) -> dict[str, int]:
    """Studied cards about each event (an event with none is left out)."""
    return {str(event_id): int(number) for event_id, number in rows(EVENT_CARD_COUNTS, {})}


def timeline_sql(
    article_id: str | None = None, event_ids: Collection[str] | None = None
) -> tuple[str, dict[str, str]]:
    """The timeline's text and parameters: of every shown article or one, of every event or
    of these (not none of them: an empty IN list is not SQL)."""
    only = ""
    parameters: dict[str, str] = {}
    if article_id is not None:
        only += " AND events.article_id = :article_id"
        parameters["article_id"] = article_id
    if event_ids is not None:
        listed, ids = _parameters("event", list(event_ids))
        only += f" AND events.id IN ({listed})"
        parameters.update(ids)
    return TIMELINE.format(only=only), parameters


def load_timeline(
    rows: Rows, article_id: str | None = None, event_ids: Collection[str] | None = None
) -> list[TimelineItem]:
    """The events and periods of one article (None: of every article shown; or only these
    events) in date order, with how many studied cards are about each."""
    if event_ids is not None and not event_ids:
        return []
    sql, parameters = timeline_sql(article_id, event_ids)
    card_counts = event_card_counts(rows)
    return [
        TimelineItem(  # in field order: by keyword, about 1 µs more an event (10,000 at scale)
            event_id,
            _date(start),
            _date(end) if end is not None else None,
            date_text,
            title,
            description,
            passage_id,
            sentence_index,
            quote,
            card_counts.get(event_id, 0),
            kind == "period" and end is None,
            event_article,
        )
        for (
            event_id,
            kind,
            start,
            end,
            date_text,
            title,
            description,
            passage_id,
            sentence_index,
            quote,
            event_article,
        ) in rows(sql, parameters)
    ]


@lru_cache(maxsize=32768)  # a timeline of 10,000 events has about 7,500 distinct dates
def _date(text: str) -> HistoricalDate:
    """Parsed once per distinct stored date (many events share a day)."""
    return HistoricalDate.parse(text)
