"""a set's lifter is held by its workout's key alone: the sets' own key into users goes

A set points at its workout by ``(user_id, workout_id)`` (0009), and the workout at its
lifter: that key already holds a set to a lifter who exists, and a lifter's deletion
reaches the sets through their workouts (``ON DELETE CASCADE`` on both keys). The sets'
second key, ``user_id`` into ``users``, checked the same again for every set written: on
PostgreSQL a trigger call a row, about 0.5 s of the server's 3 s for an import of 200,000
sets.

The downgrade puts the key back (the rows satisfy it: each set's workout has its lifter).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 19:45:00
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_SET_LIFTER_KEY = "fk_sets_user_id_users"


def upgrade() -> None:
    with op.batch_alter_table("sets") as batch:
        batch.drop_constraint(_SET_LIFTER_KEY, type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("sets") as batch:
        batch.create_foreign_key(_SET_LIFTER_KEY, "users", ["user_id"], ["id"], ondelete="CASCADE")
