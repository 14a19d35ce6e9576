"""Alembic environment of the run store: migrations are run by :func:`restvarme.store.migrate`
on the connection it passes in ``config.attributes["connection"]``."""

from __future__ import annotations

from alembic import context

from restvarme.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
