"""Alembic environment: runs the migrations on the engine failwise hands it.

On SQLite the foreign keys are off while the migrations run: a migration that
rebuilds a table (SQLite alters most constraints only by copying the table and
dropping the old one) would otherwise cascade the drop to every row that points
into it. Before the commit, ``PRAGMA foreign_key_check`` must find no row whose
key points nowhere, or the whole upgrade is rolled back.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from failwise.storage.tables import Base

config = context.config
engine: Engine = config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Outside any transaction (the pragma does nothing inside one): nothing has
        # been written on this connection yet.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"rows whose keys point nowhere: {broken}")
    finally:
        if sqlite:
            connection.rollback()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
