"""sets in the order they are read: the three indexes on sets end with that order

ix_sets_user_order (user_id, logged_at, workout_id, position, id) replaces
ix_sets_user_logged: the newest sets, a page of the history after a key and the
streamed export walk it without a sort, whatever the size of the history. The
indexes of one exercise's sets and of one workout's end in the same order, so
SQLite (which has no statistics to go on) picks them for their queries rather
than walking the lifter's whole history in ix_sets_user_order.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 14:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ORDER = ["logged_at", "workout_id", "position", "id"]


def upgrade() -> None:
    op.create_index("ix_sets_user_order", "sets", ["user_id", *ORDER])
    op.drop_index("ix_sets_user_logged", table_name="sets")
    op.create_index("ix_sets_user_exercise_order", "sets", ["user_id", "exercise_id", *ORDER])
    op.drop_index("ix_sets_user_exercise_logged", table_name="sets")
    op.create_index(
        "ix_sets_workout_order", "sets", ["workout_id", "user_id", "logged_at", "position", "id"]
    )
    op.drop_index("ix_sets_workout_position", table_name="sets")


def downgrade() -> None:
    op.create_index("ix_sets_workout_position", "sets", ["workout_id", "position"])
    op.drop_index("ix_sets_workout_order", table_name="sets")
    op.create_index("ix_sets_user_exercise_logged", "sets", ["user_id", "exercise_id", "logged_at"])
    op.drop_index("ix_sets_user_exercise_order", table_name="sets")
    op.create_index("ix_sets_user_logged", "sets", ["user_id", "logged_at"])
    op.drop_index("ix_sets_user_order", table_name="sets")
