"""Alembic environment: runs the migrations on the engine failwise hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from failwise.storage.tables import Base

config = context.config
engine: Engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
