"""sign-in throttling: failed sign-ins by username and client address, for a sliding window

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    op.create_index(
        "ix_sign_in_failures_username_failed",
        "sign_in_failures",
        ["username", "failed_at"],
    )
    op.create_index(
        "ix_sign_in_failures_address_failed",
        "sign_in_failures",
        ["address", "failed_at"],
    )
    op.create_index("ix_sign_in_failures_failed", "sign_in_failures", ["failed_at"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_failures_failed", table_name="sign_in_failures")
    op.drop_index("ix_sign_in_failures_address_failed", table_name="sign_in_failures")
    op.drop_index("ix_sign_in_failures_username_failed", table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
