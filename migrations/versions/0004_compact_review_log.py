"""A smaller collection: integer card keys in the review log, the answer's time as its key, and
the search text no longer stored twice.

- cards: an explicit integer key, `number` (the rowid every card had, kept as it was, now an
  INTEGER PRIMARY KEY so VACUUM cannot renumber it); `id` stays the cards' text id, unique,
  which every other table still refers to;
- review_log: keyed by the answer's time (unique: an answer sharing its microsecond with an
  earlier one moves on a microsecond, as the app now saves them), so the time index goes;
  the card is its integer key, not its text id; the stability, difficulty and step before
  each answer go: they are the card's previous answer's after-values (none after Forget), and
  nothing read them; the state, due time and last review before it stay;
- card_search: no longer a table holding each card's folded text, but a view folding it when
  read; the FTS5 index holds no content (contentless), is filled again from the cards and
  kept by triggers on them.

Tables that change are rebuilt as SQLite documents it (create new, copy, drop, rename) with
foreign keys off (the runner turns them off and runs foreign_key_check before committing); the
DDL is written out here as it was at this revision.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 19:30:00
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOLD = "studyapp_fold"
FTS = "card_search_fts"
COLUMNS = "question, answer, sentence"
OLD_TRIGGERS = (
    "cards_search_insert",
    "cards_search_update",
    "cards_search_delete",
    "card_search_fts_insert",
    "card_search_fts_delete",
    "card_search_fts_update",
)


def _fold(column: str) -> str:
    """The fold function in SQL, SQLite's lower() where the text is ASCII."""
    return (
        f"CASE WHEN length(CAST({column} AS BLOB)) = length({column}) THEN lower({column}) "
        f"ELSE {FOLD}({column}) END"
    )


def _folded(prefix: str) -> str:
    return ", ".join(_fold(f"{prefix}.{column}") for column in ("front", "back", "quote"))


VIEW = (
    "CREATE VIEW card_search (id, card_id, question, answer, sentence) AS "
    f"SELECT number, id, {_folded('cards')} FROM cards"
)
FTS_STATEMENTS = (
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER cards_search_insert AFTER INSERT ON cards BEGIN "
    f"INSERT INTO {FTS} (rowid, {COLUMNS}) VALUES (new.number, {_folded('new')}); END",
    "CREATE TRIGGER cards_search_update AFTER UPDATE OF front, back, quote ON cards "
    "WHEN old.front IS NOT new.front OR old.back IS NOT new.back OR old.quote IS NOT new.quote "
    f"BEGIN INSERT INTO {FTS} ({FTS}, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.number, {_folded('old')}); "
    f"INSERT INTO {FTS} (rowid, {COLUMNS}) VALUES (new.number, {_folded('new')}); END",
    "CREATE TRIGGER cards_search_delete AFTER DELETE ON cards BEGIN "
    f"INSERT INTO {FTS} ({FTS}, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.number, {_folded('old')}); END",
    f"INSERT INTO {FTS} (rowid, {COLUMNS}) SELECT number, {_folded('cards')} FROM cards",
)

BROWSE_COLUMNS = [
    "retired",
    "deleted_at",
    "due",
    "position",
    "id",
    "state",
    "last_review",
    "stability",
    "difficulty",
    "flag",
    "suspended",
    "buried_until",
    "kind",
    "pack_id",
    "article_id",
]
CARD_COLUMNS = (
    "id, position, kind, front, back, cloze, passage_id, sentence_index, quote, retired, "
    "suspended, buried_until, state, step, stability, difficulty, due, last_review, pack_id, "
    "article_id, flag, original_front, original_back, original_cloze, created_at, "
    "modified_at, deleted_at"
)


def _raw() -> sqlite3.Connection:
    raw = op.get_bind().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _has_fts5() -> bool:
    try:
        _raw().execute("CREATE VIRTUAL TABLE temp.studyapp_fts5_probe USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    _raw().execute("DROP TABLE temp.studyapp_fts5_probe")
    return True


def _rebuild(
    name: str, elements: list[Any], copy: str, indexes: list[tuple[str, list[str], bool]]
) -> None:
    """Replace table `name` by one with `elements`, filled by the `copy` SELECT."""
    temporary = f"_new_{name}"
    op.create_table(temporary, *elements)
    op.execute(f"INSERT INTO {temporary} {copy}")
    op.drop_table(name)
    op.rename_table(temporary, name)
    for index_name, columns, unique in indexes:
        op.create_index(index_name, name, columns, unique=unique)


def _cards() -> None:
    _rebuild(
        "cards",
        [
            sa.Column("number", sa.Integer(), nullable=False),
            sa.Column("id", sa.String(length=100), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("kind", sa.String(length=20), nullable=False),
            sa.Column("front", sa.Text(), nullable=False),
            sa.Column("back", sa.Text(), nullable=False),
            sa.Column("cloze", sa.Text(), nullable=True),
            sa.Column("passage_id", sa.String(length=100), nullable=True),
            sa.Column("sentence_index", sa.Integer(), nullable=True),
            sa.Column("quote", sa.Text(), nullable=False),
            sa.Column("retired", sa.Boolean(), nullable=False),
            sa.Column("suspended", sa.Boolean(), nullable=False),
            sa.Column("buried_until", sa.Integer(), nullable=True),
            sa.Column("state", sa.Integer(), nullable=False),
            sa.Column("step", sa.Integer(), nullable=True),
            sa.Column("stability", sa.Double(), nullable=True),
            sa.Column("difficulty", sa.Double(), nullable=True),
            sa.Column("due", sa.Integer(), nullable=True),
            sa.Column("last_review", sa.Integer(), nullable=True),
            sa.Column("pack_id", sa.String(length=100), nullable=True),
            sa.Column("article_id", sa.String(length=100), nullable=True),
            sa.Column("flag", sa.Integer(), nullable=False),
            sa.Column("original_front", sa.Text(), nullable=True),
            sa.Column("original_back", sa.Text(), nullable=True),
            sa.Column("original_cloze", sa.Text(), nullable=True),
            sa.Column("created_at", sa.Integer(), nullable=True),
            sa.Column("modified_at", sa.Integer(), nullable=True),
            sa.Column("deleted_at", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("number", name=op.f("pk_cards")),
            sa.CheckConstraint(
                "kind IN ('basic', 'cloze', 'chronology')", name=op.f("ck_cards_kind")
            ),
            sa.CheckConstraint("state BETWEEN 0 AND 3", name=op.f("ck_cards_state")),
            sa.CheckConstraint("flag BETWEEN 0 AND 4", name=op.f("ck_cards_flag")),
            sa.UniqueConstraint("id", name=op.f("uq_cards_id")),
            sa.ForeignKeyConstraint(
                ["passage_id"],
                ["passages.id"],
                name=op.f("fk_cards_passage_id_passages"),
                ondelete="SET NULL",
            ),
            sa.ForeignKeyConstraint(
                ["pack_id"], ["packs.id"], name=op.f("fk_cards_pack_id_packs"), ondelete="RESTRICT"
            ),
            sa.ForeignKeyConstraint(
                ["article_id"],
                ["articles.id"],
                name=op.f("fk_cards_article_id_articles"),
                ondelete="SET NULL",
            ),
        ],
        # Each card keeps its rowid as its number: the order the app has always read them in.
        f"SELECT rowid, {CARD_COLUMNS} FROM cards ORDER BY rowid",
        [
            ("ix_cards_due", ["due"], False),
            ("ix_cards_passage_id_sentence_index", ["passage_id", "sentence_index"], False),
            ("ix_cards_pack_id", ["pack_id"], False),
            ("ix_cards_state_due", ["state", "due"], False),
            ("ix_cards_position", ["position"], False),
            ("ix_cards_browse", BROWSE_COLUMNS, False),
        ],
    )


def _unique_times() -> None:
    """Answers sharing a microsecond (a clock gone back saved them at the same time): each
    after the first, in the order they were saved, moves on to the next free microsecond."""
    raw = _raw()
    raw.execute("CREATE TEMP TABLE answer_times (id INTEGER PRIMARY KEY, reviewed_at INTEGER)")
    moved, previous = [], None
    for answer, reviewed_at in raw.execute(
        "SELECT id, reviewed_at FROM review_log ORDER BY reviewed_at, id"
    ):
        if previous is not None and reviewed_at <= previous:
            reviewed_at = previous + 1
            moved.append((answer, reviewed_at))
        previous = reviewed_at
    raw.executemany("INSERT INTO temp.answer_times VALUES (?, ?)", moved)


def _review_log() -> None:
    (answers,) = _raw().execute("SELECT count(*) FROM review_log").fetchone()
    _unique_times()
    _rebuild(
        "review_log",
        [
            sa.Column("reviewed_at", sa.Integer(), nullable=False),
            sa.Column("card_number", sa.Integer(), nullable=False),
            sa.Column("rating", sa.Integer(), nullable=False),
            sa.Column("duration_ms", sa.Integer(), nullable=False),
            sa.Column("state_before", sa.Integer(), nullable=False),
            sa.Column("due_before", sa.Integer(), nullable=True),
            sa.Column("last_review_before", sa.Integer(), nullable=True),
            sa.Column("state_after", sa.Integer(), nullable=False),
            sa.Column("step_after", sa.Integer(), nullable=True),
            sa.Column("stability_after", sa.Double(), nullable=True),
            sa.Column("difficulty_after", sa.Double(), nullable=True),
            sa.Column("due_after", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("reviewed_at", name=op.f("pk_review_log")),
            sa.CheckConstraint("rating BETWEEN 1 AND 4", name=op.f("ck_review_log_rating")),
            sa.ForeignKeyConstraint(
                ["card_number"],
                ["cards.number"],
                name=op.f("fk_review_log_card_number_cards"),
                ondelete="RESTRICT",
            ),
        ],
        "SELECT coalesce(t.reviewed_at, r.reviewed_at), c.number, r.rating, r.duration_ms, "
        "r.state_before, r.due_before, r.last_review_before, r.state_after, r.step_after, "
        "r.stability_after, r.difficulty_after, r.due_after "
        "FROM review_log AS r JOIN cards AS c ON c.id = r.card_id "
        "LEFT JOIN temp.answer_times AS t ON t.id = r.id ORDER BY r.reviewed_at, r.id",
        [("ix_review_log_card_number", ["card_number"], False)],
    )
    op.execute("DROP TABLE temp.answer_times")
    (kept,) = _raw().execute("SELECT count(*) FROM review_log").fetchone()
    if kept != answers:  # an answer of no card: foreign keys have kept that from happening
        raise RuntimeError(f"{answers - kept} answers name no card; nothing was changed")


def upgrade() -> None:
    for trigger in OLD_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute(f"DROP TABLE IF EXISTS {FTS}")
    op.drop_index("ix_card_search_card_id", table_name="card_search")
    op.drop_table("card_search")
    _cards()
    _review_log()
    op.execute(VIEW)
    if _has_fts5():
        for statement in FTS_STATEMENTS:
            op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError(
        "StudyApp never downgrades a collection: restore the copy it made before upgrading "
        "(backups/study-before-upgrade-from-0003-*.sqlite3)."
    )
