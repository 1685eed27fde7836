"""Packs, user-owned cards, flags, tags and edits: room for many articles.

- packs: one row per content pack (the built-in pact pack becomes the first one; its dataset
  version moves here from the settings table); a pack the learner removes is kept, hidden,
  with every row that hangs off it, so adding it again brings its progress back;
- articles and events know their pack (events their article too); an event a pack drops is
  retired, not deleted, so the learner's cards keep their links to it;
- cards know their pack (none: the learner's own) and article, and gain a flag, the pack's
  original text while the learner's edit is shown, created/modified/deleted times, and an
  index on (passage, sentence) to find siblings; pack card positions are spread out
  (x1024) so the learner's cards can sit between them in reading order;
- card_tags: a card's tags ("marked");
- every time (cards, review log, packs) is stored as whole microseconds since 1970 UTC, not
  ISO text: 8 bytes instead of 26 in each row and index of the review log.

Tables that change are rebuilt as SQLite documents it (create new, copy, drop, rename) with
foreign keys off (the runner turns them off and runs foreign_key_check before committing), so
every card's state and every review row is kept as it was.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 13:30:00
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSITION_STEP = 1024  # studyapp.storage.positions.POSITION_STEP when written
THE_ARTICLE = "(SELECT id FROM articles ORDER BY id LIMIT 1)"  # revision 0001 held one


def _us(column: str) -> str:
    """SQL turning 0001's naive-UTC ISO text ('2026-11-27 12:00:00.000000') into 0002's
    whole microseconds since 1970 (NULL stays NULL)."""
    return (
        f"(CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER) * 1000000 "
        f"+ CAST(substr({column} || '.000000', 21, 6) AS INTEGER))"
    )


def _rebuild(
    name: str, elements: list[Any], copy: str, indexes: list[tuple[str, list[str]]]
) -> None:
    """Replace table `name` by one with `elements`, filled by the `copy` SELECT."""
    temporary = f"_new_{name}"
    op.create_table(temporary, *elements)
    op.execute(f"INSERT INTO {temporary} {copy}")
    op.drop_table(name)
    op.rename_table(temporary, name)
    for index_name, columns in indexes:
        op.create_index(index_name, name, columns)


def upgrade() -> None:
    elapsed = dt.datetime.now(dt.UTC) - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    now = (elapsed.days * 86_400 + elapsed.seconds) * 1_000_000 + elapsed.microseconds
    op.create_table(
        "packs",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("licence", sa.Text(), nullable=False),
        sa.Column("attribution", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_packs")),
    )
    # The one article of a 0001 database is the built-in pack; its id becomes the pack's.
    op.get_bind().exec_driver_sql(
        "INSERT INTO packs (id, title, version, source, licence, attribution, builtin, "
        "installed_at, updated_at, hidden) SELECT id, title, COALESCE((SELECT CAST(value AS "
        "INTEGER) FROM settings WHERE key = 'dataset_version'), 0), source, licence, "
        "attribution, 1, ?, ?, 0 FROM articles",
        (now, now),
    )
    op.execute("DELETE FROM settings WHERE key = 'dataset_version'")

    _rebuild(
        "articles",
        [
            sa.Column("id", sa.String(length=100), nullable=False),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("title_lt", sa.Text(), nullable=False),
            sa.Column("source", sa.Text(), nullable=False),
            sa.Column("licence", sa.Text(), nullable=False),
            sa.Column("attribution", sa.Text(), nullable=False),
            sa.Column("pack_id", sa.String(length=100), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
            sa.ForeignKeyConstraint(
                ["pack_id"],
                ["packs.id"],
                name=op.f("fk_articles_pack_id_packs"),
                ondelete="CASCADE",
            ),
        ],
        "SELECT id, title, title_lt, source, licence, attribution, id FROM articles",
        [],
    )

    _rebuild(
        "events",
        [
            sa.Column("id", sa.String(length=100), nullable=False),
            sa.Column("kind", sa.String(length=10), nullable=False),
            sa.Column("start", sa.String(length=10), nullable=False),
            sa.Column("end", sa.String(length=10), nullable=True),
            sa.Column("start_day", sa.Date(), nullable=False),
            sa.Column("end_day", sa.Date(), nullable=False),
            sa.Column("date_text", sa.Text(), nullable=False),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("description", sa.Text(), nullable=False),
            sa.Column("passage_id", sa.String(length=100), nullable=True),
            sa.Column("sentence_index", sa.Integer(), nullable=True),
            sa.Column("quote", sa.Text(), nullable=False),
            sa.Column("pack_id", sa.String(length=100), nullable=False),
            sa.Column("article_id", sa.String(length=100), nullable=False),
            sa.Column("retired", sa.Boolean(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
            sa.CheckConstraint("kind IN ('point', 'period')", name=op.f("ck_events_kind")),
            sa.ForeignKeyConstraint(
                ["passage_id"],
                ["passages.id"],
                name=op.f("fk_events_passage_id_passages"),
                ondelete="SET NULL",
            ),
            sa.ForeignKeyConstraint(
                ["pack_id"], ["packs.id"], name=op.f("fk_events_pack_id_packs"), ondelete="CASCADE"
            ),
            sa.ForeignKeyConstraint(
                ["article_id"],
                ["articles.id"],
                name=op.f("fk_events_article_id_articles"),
                ondelete="CASCADE",
            ),
        ],
        'SELECT id, kind, start, "end", start_day, end_day, date_text, title, description, '
        f"passage_id, sentence_index, quote, {THE_ARTICLE}, {THE_ARTICLE}, 0 FROM events",
        [("ix_events_start_day", ["start_day"]), ("ix_events_passage_id", ["passage_id"])],
    )

    _rebuild(
        "cards",
        [
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
            sa.PrimaryKeyConstraint("id", name=op.f("pk_cards")),
            sa.CheckConstraint(
                "kind IN ('basic', 'cloze', 'chronology')", name=op.f("ck_cards_kind")
            ),
            sa.CheckConstraint("state BETWEEN 0 AND 3", name=op.f("ck_cards_state")),
            sa.CheckConstraint("flag BETWEEN 0 AND 4", name=op.f("ck_cards_flag")),
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
        f"SELECT id, (position + 1) * {POSITION_STEP}, kind, front, back, cloze, passage_id, "
        f"sentence_index, quote, retired, suspended, {_us('buried_until')}, state, step, "
        f"stability, difficulty, {_us('due')}, {_us('last_review')}, {THE_ARTICLE}, "
        f"{THE_ARTICLE}, 0, NULL, NULL, NULL, NULL, NULL, NULL FROM cards",
        [
            ("ix_cards_due", ["due"]),
            ("ix_cards_passage_id_sentence_index", ["passage_id", "sentence_index"]),
            ("ix_cards_pack_id", ["pack_id"]),
            ("ix_cards_state_due", ["state", "due"]),
            ("ix_cards_position", ["position"]),
        ],
    )

    _rebuild(
        "review_log",
        [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("card_id", sa.String(length=100), nullable=False),
            sa.Column("rating", sa.Integer(), nullable=False),
            sa.Column("reviewed_at", sa.Integer(), nullable=False),
            sa.Column("duration_ms", sa.Integer(), nullable=False),
            sa.Column("state_before", sa.Integer(), nullable=False),
            sa.Column("step_before", sa.Integer(), nullable=True),
            sa.Column("stability_before", sa.Double(), nullable=True),
            sa.Column("difficulty_before", sa.Double(), nullable=True),
            sa.Column("due_before", sa.Integer(), nullable=True),
            sa.Column("last_review_before", sa.Integer(), nullable=True),
            sa.Column("state_after", sa.Integer(), nullable=False),
            sa.Column("step_after", sa.Integer(), nullable=True),
            sa.Column("stability_after", sa.Double(), nullable=True),
            sa.Column("difficulty_after", sa.Double(), nullable=True),
            sa.Column("due_after", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_review_log")),
            sa.CheckConstraint("rating BETWEEN 1 AND 4", name=op.f("ck_review_log_rating")),
            sa.ForeignKeyConstraint(
                ["card_id"],
                ["cards.id"],
                name=op.f("fk_review_log_card_id_cards"),
                ondelete="RESTRICT",
            ),
        ],
        f"SELECT id, card_id, rating, {_us('reviewed_at')}, duration_ms, state_before, "
        f"step_before, stability_before, difficulty_before, {_us('due_before')}, "
        f"{_us('last_review_before')}, state_after, step_after, stability_after, "
        f"difficulty_after, {_us('due_after')} FROM review_log",
        [
            ("ix_review_log_card_id_reviewed_at", ["card_id", "reviewed_at"]),
            ("ix_review_log_reviewed_at", ["reviewed_at"]),
        ],
    )

    op.create_table(
        "card_tags",
        sa.Column("card_id", sa.String(length=100), nullable=False),
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("card_id", "tag", name=op.f("pk_card_tags")),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_card_tags_card_id_cards"), ondelete="CASCADE"
        ),
    )
    op.create_index("ix_card_tags_tag", "card_tags", ["tag"])


def downgrade() -> None:
    raise NotImplementedError(
        "StudyApp never downgrades a collection: restore the copy it made before upgrading "
        "(backups/study-before-upgrade-from-0001-*.sqlite3)."
    )
