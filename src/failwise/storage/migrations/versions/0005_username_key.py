"""usernames unique whatever their case: users.username_key, the case-folded name

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 12:00:00

Before this revision ``Carol`` and ``carol`` could be two lifters. Where the
database already holds such names, the oldest lifter (the lowest id) keeps the
name as it is, and each later one is renamed to the name with ``-2``, ``-3``…
appended (the first suffix no other name uses, the name cut to fit 64
characters). A renamed lifter keeps every set and every open session, and the
migration logs each rename so the operator can tell the lifter the new name.
The downgrade drops the column and keeps the renamed names.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

log = logging.getLogger("failwise.migrations")
_LONGEST = 64
_users = sa.table(
    "users",
    sa.column("id", sa.Integer()),
    sa.column("username", sa.String()),
    sa.column("username_key", sa.String()),
)


def _key(username: str) -> str:
    # services.records.username_key as of this revision (a migration never imports the
    # code it migrates for: that code moves on, the migration must not).
    return username.strip().casefold()


def _free_name(username: str, taken: set[str]) -> str:
    """``username`` with the first ``-N`` whose key no lifter has."""
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = username[: _LONGEST - len(suffix)] + suffix
        if _key(candidate) not in taken:
            return candidate
        number += 1


def upgrade() -> None:
    # A plain ADD COLUMN and CREATE INDEX, never a batch copy of the table: with SQLite's
    # foreign keys on, dropping the old users table would cascade to every lifter's data.
    op.add_column(
        "users",
        sa.Column("username_key", sa.String(length=64), server_default="", nullable=False),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(_users.c.id, _users.c.username).order_by(_users.c.id)).all()
    taken = {_key(username) for _, username in rows}
    seen: set[str] = set()
    updates = []
    for user_id, username in rows:
        name = username
        if _key(name) in seen:
            name = _free_name(username, taken)
            taken.add(_key(name))
            log.warning(
                "lifter %d: the username %r differs from an older one only by case; renamed to %r",
                user_id,
                username,
                name,
            )
        seen.add(_key(name))
        updates.append({"user_id": user_id, "name": name, "key": _key(name)})
    if updates:
        bind.execute(
            _users.update()
            .where(_users.c.id == sa.bindparam("user_id"))
            .values(username=sa.bindparam("name"), username_key=sa.bindparam("key")),
            updates,
        )
    op.create_index(op.f("ix_users_username_key"), "users", ["username_key"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_users_username_key"), table_name="users")
    op.drop_column("users", "username_key")
