"""a set keeps the working sets its lifter said the exercise has today: sets.target_sets

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 06:40:00

The lifter says how many working sets an exercise has once (``--sets 4`` on the first
set, ``total_sets`` in the API): each set logged keeps the count it was logged under,
so that the sets after it in the workout count to the same number without being told
again, and the last of them is the one the rules treat as the last. Empty on the sets
logged before, and on imported ones: the count then comes as it did (the plan's, as
many as last time, or 3).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sets", sa.Column("target_sets", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sets") as batch:
        batch.drop_column("target_sets")
