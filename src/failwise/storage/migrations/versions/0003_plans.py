"""plans: what a plan was generated from; sets and workouts link to what they carry out

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 00:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request", sa.JSON(), server_default="{}", nullable=False))
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_session", sa.String(length=64), nullable=True))
    with op.batch_alter_table("sets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sets", schema=None) as batch_op:
        batch_op.drop_column("planned")
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.drop_column("plan_session")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("request")
