"""Alembic environment: StudyApp runs migrations in code on a connection it passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from studyapp.storage.models import Base
from studyapp.storage.search_index import is_index_table

target_metadata = Base.metadata


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate compares the models' tables; the FTS5 index's tables are SQLite's."""
    return not (type_ == "table" and is_index_table(name))


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "StudyApp's migrations run from the app (studyapp.storage.migrate), "
        "which passes the database connection in; there is no alembic.ini."
    )
run_migrations(connection)
