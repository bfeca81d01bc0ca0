"""what a process may keep of a lifter: users.history_stamp, write_serial, fatigue_verdict

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 16:40:00

A number drawn afresh whenever something changes that a worker may hold in memory
for the lifter: their own exercises, a day's readiness rating, an RIR test, a set
corrected or deleted, an import. Every worker reads it with the lifter's row and
trusts what it keeps only while the stamp is the one it kept it under
(``services.core``), so any number of processes serve the same answers. Drawn at
random rather than counted: a change rolled back leaves no number that a later
change could reach again.

``write_serial`` counts the times the lifter's writes were held in line (every
logged set is): a process that kept the lifter's latest sets after its own write
finds the next serial one above it when nobody else wrote in between.

``fatigue_verdict`` keeps the lifter's accumulated-fatigue verdict as the last
logged set worked it out (with the stamp and the moment it was worked out under),
so that every process gives the same verdict until it is worked out again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, never a batch copy of the table: with SQLite's foreign keys on,
    # dropping the old users table would cascade to every lifter's data.
    op.add_column(
        "users",
        sa.Column("history_stamp", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.add_column(
        "users",
        sa.Column("write_serial", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.add_column("users", sa.Column("fatigue_verdict", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "fatigue_verdict")
    op.drop_column("users", "write_serial")
    op.drop_column("users", "history_stamp")
