"""Alembic environment: StudyApp runs migrations in code on a connection it passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from studyapp.storage.models import Base

target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
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
