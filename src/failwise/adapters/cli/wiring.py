"""The command line's composition root: the one CLI module that opens the database.

Every command opens the database once (``FAILWISE_DATABASE_URL``, or a SQLite
file in the user's data directory), builds the services on it, and closes it.
Which lifter: ``--user NAME`` (or ``FAILWISE_USER``); without either, the local
lifter of a single-lifter install, who needs no sign-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from failwise.domain.exercises import Catalog
from failwise.services.accounts import LOCAL_LIFTER, Accounts
from failwise.services.ports import NotFound
from failwise.services.records import User
from failwise.services.training import Coach
from failwise.storage import backup as backups
from failwise.storage.database import Database, opened, shown_url


def database_shown() -> str:
    """The database this install uses, without its password, for messages."""
    return shown_url()


@contextmanager
def accounts() -> Iterator[Accounts]:
    """The lifters' accounts, on the database of this install, for one command."""
    with opened() as database:
        yield Accounts(database)


def _lifter(database: Database, name: str | None) -> User:
    if name is None or name.strip() == LOCAL_LIFTER:
        return Accounts(database).local_lifter()
    with database() as store:
        found = store.user_by_name(name.strip())
    if found is None:
        raise NotFound(f"no lifter named {name!r}: create one with `failwise user create {name}`")
    return found[0]


@dataclass(frozen=True, slots=True)
class TrainingLog:
    """What a training-log command works with: the coach and the lifter."""

    coach: Coach
    lifter: User

    def catalog(self) -> Catalog:
        return self.coach.exercises.catalog(self.lifter.id)


@contextmanager
def training_log(user: str | None) -> Iterator[TrainingLog]:
    """The coach on this install's database and the lifter named by ``user``."""
    with opened() as database:
        yield TrainingLog(Coach(database), _lifter(database, user))


def backup(file: Path) -> None:
    """Write a backup of the whole database to ``file``."""
    backups.backup(file)


def restore(file: Path) -> None:
    """Replace the database with the backup in ``file``."""
    backups.restore(file)
