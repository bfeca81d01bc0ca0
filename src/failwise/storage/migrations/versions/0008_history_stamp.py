"""what a process may keep of a lifter: lifter_state (history stamp, write serial, verdict)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 16:40:00

A number drawn afresh whenever something changes that a worker may hold in memory
for the lifter: their own exercises, a day's readiness rating, an RIR test, a set
corrected or deleted, an import. Every worker reads it with the lifter's state and
trusts what it keeps only while the stamp is the one it kept it under
(``services.core``), so any number of processes serve the same answers. Drawn at
random rather than counted: a change rolled back leaves no number that a later
change could reach again.

The lifter's state is a table of its own, one row a lifter (every existing lifter
gets theirs here, a new one at sign-up), not columns of ``users``: a logged set
writes it, and on Citus ``users`` is a table on every node.

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
    op.create_table(
        "lifter_state",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("history_stamp", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("write_serial", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("fatigue_verdict", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_lifter_state_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_lifter_state")),
    )
    op.execute("INSERT INTO lifter_state (user_id) SELECT id FROM users")


def downgrade() -> None:
    op.drop_table("lifter_state")
