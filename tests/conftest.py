from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher

from failwise.domain.exercises import Catalog
from failwise.services import accounts
from failwise.services.accounts import Accounts
from failwise.services.catalog import builtin_catalog
from failwise.services.training import Coach
from failwise.storage.database import Database

# The server the PostgreSQL tests create their own databases on.
POSTGRES_ADMIN = os.environ.get(
    "FAILWISE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still argon2id, at test strength: the production profile costs 0.2 s a hash (the
    tests of the production profile put it back themselves)."""
    monkeypatch.setattr(accounts, "_HASHER", CHEAP_HASHER)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return builtin_catalog()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'failwise.sqlite3'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped after it."""
    name = f"failwise_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN}: {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The same test on the embedded default and on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


# --- a lifter on a fresh database, and the coach on it (a test file may start its own
# clock, or run on both backends by overriding ``db`` with ``database_url``) --------------

T0 = datetime(2026, 3, 2, 18, 0)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def db(sqlite_url: str) -> Iterator[Database]:
    database = Database(sqlite_url)
    yield database
    database.dispose()


@pytest.fixture
def coach(db: Database, clock: Clock) -> Coach:
    return Coach(db, clock=clock)


@pytest.fixture
def lifter(db: Database) -> int:
    return Accounts(db).sign_up("ann", "correct horse").user.id
