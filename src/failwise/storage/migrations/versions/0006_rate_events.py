"""rate limits: costly requests by lifter and by client address, for a sliding window

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_events")),
    )
    op.create_index("ix_rate_events_action_subject_at", "rate_events", ["action", "subject", "at"])
    op.create_index("ix_rate_events_at", "rate_events", ["at"])


def downgrade() -> None:
    op.drop_index("ix_rate_events_at", table_name="rate_events")
    op.drop_index("ix_rate_events_action_subject_at", table_name="rate_events")
    op.drop_table("rate_events")
