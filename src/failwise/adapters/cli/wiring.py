"""The command line's composition root: the one CLI module that opens the database.

Every command opens the database once (``FAILWISE_DATABASE_URL``, or a SQLite
file in the user's data directory), builds the services on it, and closes it.
Which lifter: ``--user NAME`` (or ``FAILWISE_USER``); without either, the local
lifter of a single-lifter install, who needs no sign-up.

The database, the services on it and the password hashing are imported inside
the functions below, when a command first opens the database: the commands
that need no stored data (``prescribe``, ``e1rm``, ``load``, ``plates``,
``scale``) start without SQLAlchemy or Alembic.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from failwise.domain.exercises import Catalog

if TYPE_CHECKING:
    from failwise.services.accounts import Accounts
    from failwise.services.checkins import CheckIns
    from failwise.services.core import Core
    from failwise.services.exercises import Exercises
    from failwise.services.imports import HistoryImporter
    from failwise.services.insights import Insights
    from failwise.services.plans import Plans
    from failwise.services.prescriptions import Prescriptions
    from failwise.services.records import User
    from failwise.services.sets import Sets
    from failwise.services.workouts import Workouts
    from failwise.storage.database import Database


def database_shown() -> str:
    """The database this install uses, without its password, for messages."""
    from failwise.storage.database import shown_url

    return shown_url()


def prepared_database() -> bool:
    """Bring the install's database schema up to date; whether it is SQLite (run inside
    each process, one writer at a time)."""
    from failwise.storage.database import opened

    with opened() as database:
        return database.embedded


@contextmanager
def accounts() -> Iterator[Accounts]:
    """The lifters' accounts, on the database of this install, for one command."""
    from failwise.services.accounts import Accounts
    from failwise.storage.database import opened

    with opened() as database:
        yield Accounts(database)


def _lifter(database: Database, name: str | None) -> User:
    from failwise.services.accounts import LOCAL_LIFTER, Accounts
    from failwise.services.ports import NotFound

    if name is None or name.strip() == LOCAL_LIFTER:
        return Accounts(database).local_lifter()
    with database() as store:
        found = store.user_by_name(name.strip())
    if found is None:
        raise NotFound(f"no lifter named {name!r}: create one with `failwise user create {name}`")
    return found[0]


@dataclass(frozen=True, slots=True)
class TrainingLog:
    """What a training-log command works with: the lifter, and the use cases on this
    install's database (all on one :class:`~failwise.services.core.Core`)."""

    lifter: User
    core: Core
    exercises: Exercises
    workouts: Workouts
    sets: Sets
    prescriptions: Prescriptions
    insights: Insights
    checkins: CheckIns
    plans: Plans
    importer: HistoryImporter
    accounts: Accounts

    def catalog(self) -> Catalog:
        return self.exercises.catalog(self.lifter.id)


@contextmanager
def training_log(user: str | None) -> Iterator[TrainingLog]:
    """The use cases on this install's database, for the lifter named by ``user``."""
    from failwise.services.accounts import Accounts
    from failwise.services.imports import HistoryImporter
    from failwise.services.plans import Plans
    from failwise.services.training import Coach
    from failwise.storage.database import opened

    with opened() as database:
        lifter = _lifter(database, user)
        coach = Coach(database)
        yield TrainingLog(
            lifter=lifter,
            core=coach.core,
            exercises=coach.exercises,
            workouts=coach.workouts,
            sets=coach.sets,
            prescriptions=coach.prescriptions,
            insights=coach.insights,
            checkins=coach.checkins,
            plans=Plans(coach.core),
            importer=HistoryImporter(coach.core),
            accounts=Accounts(database),
        )


def backup(file: Path) -> None:
    """Write a backup of the whole database to ``file``."""
    from failwise.storage import backup as backups

    backups.backup(file)


def restore(file: Path) -> None:
    """Replace the database with the backup in ``file``."""
    from failwise.storage import backup as backups

    backups.restore(file)
