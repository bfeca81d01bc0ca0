"""imports: inferred RIR and source on sets, a name on workouts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 23:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rir_inferred", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("source", sa.String(length=32), server_default="log", nullable=False)
        )
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name", sa.String(length=200), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.drop_column("name")
    with op.batch_alter_table("sets", schema=None) as batch_op:
        batch_op.drop_column("source")
        batch_op.drop_column("rir_inferred")
