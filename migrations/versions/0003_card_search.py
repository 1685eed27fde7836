"""Card search: each card's question, answer and source sentence, folded, in card_search, kept
exact by triggers on cards; an FTS5 index over it where SQLite has FTS5.

- card_search: one row per card (its integer id is the FTS5 rowid), the text folded by the
  app's `studyapp_fold` SQL function (lower case, accents off, Ł -> l), filled here from every
  card, retired and deleted ones too (the search leaves those out, as the queue does);
- triggers on cards refold a card's row when its front, back or quote changes, add one for a
  new card and remove it with the card;
- ix_cards_browse: a covering index of the cards' figures the browser filters and sorts by
  (in the collection, position, state, due, stability ...), so a search over 50,000 cards
  reads it instead of every card's text;
- card_search_fts: FTS5, tokenizer `unicode61 remove_diacritics 2`, external content (the
  text is stored once, in card_search), kept by the usual three triggers. A SQLite without
  FTS5 gets no index and the app searches card_search with LIKE.

The DDL is written out here as it was at this revision (storage/search_index.py holds the
app's copy; a test checks a first run creates exactly this schema).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOLD = "studyapp_fold"
FOLDED_NEW = f"{FOLD}(new.front), {FOLD}(new.back), {FOLD}(new.quote)"
CARD_TRIGGERS = (
    "CREATE TRIGGER cards_search_insert AFTER INSERT ON cards BEGIN "
    "INSERT INTO card_search (card_id, question, answer, sentence) "
    f"VALUES (new.id, {FOLDED_NEW}); END",
    "CREATE TRIGGER cards_search_update AFTER UPDATE OF front, back, quote ON cards "
    "WHEN old.front IS NOT new.front OR old.back IS NOT new.back OR old.quote IS NOT new.quote "
    "BEGIN "
    f"UPDATE card_search SET question = {FOLD}(new.front), "
    f"answer = {FOLD}(new.back), sentence = {FOLD}(new.quote) "
    "WHERE card_id = new.id; END",
    "CREATE TRIGGER cards_search_delete AFTER DELETE ON cards BEGIN "
    "DELETE FROM card_search WHERE card_id = old.id; END",
)
COLUMNS = "question, answer, sentence"
OLD = "old.question, old.answer, old.sentence"
NEW = "new.question, new.answer, new.sentence"
FTS = "card_search_fts"
FTS_STATEMENTS = (
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='card_search', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER card_search_fts_insert AFTER INSERT ON card_search BEGIN "
    f"INSERT INTO {FTS} (rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER card_search_fts_delete AFTER DELETE ON card_search BEGIN "
    f"INSERT INTO {FTS} ({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER card_search_fts_update AFTER UPDATE ON card_search BEGIN "
    f"INSERT INTO {FTS} ({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO {FTS} (rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
)


def _has_fts5() -> bool:
    raw = op.get_bind().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    try:
        raw.execute("CREATE VIRTUAL TABLE temp.studyapp_fts5_probe USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    raw.execute("DROP TABLE temp.studyapp_fts5_probe")
    return True


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
    "article_id",  # a removed pack's cards leave every search: the rule reads it here too
]


def upgrade() -> None:
    op.create_index("ix_cards_browse", "cards", BROWSE_COLUMNS)
    op.create_table(
        "card_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.String(length=100), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_search")),
        sa.ForeignKeyConstraint(
            ["card_id"],
            ["cards.id"],
            name=op.f("fk_card_search_card_id_cards"),
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_card_search_card_id", "card_search", ["card_id"], unique=True)
    for statement in CARD_TRIGGERS:
        op.execute(statement)
    if _has_fts5():
        for statement in FTS_STATEMENTS:
            op.execute(statement)
    op.execute(
        "INSERT INTO card_search (card_id, question, answer, sentence) "
        f"SELECT id, {FOLD}(front), {FOLD}(back), {FOLD}(quote) FROM cards ORDER BY position, id"
    )


def downgrade() -> None:
    raise NotImplementedError(
        "StudyApp never downgrades a collection: restore the copy it made before upgrading "
        "(backups/study-before-upgrade-from-0002-*.sqlite3)."
    )
