"""Connecting to the database and bringing its schema up to date.

SQLite in the user's data directory by default; PostgreSQL (psycopg 3) when
``FAILWISE_DATABASE_URL`` says so, e.g.
``postgresql+psycopg://failwise@localhost/failwise``. The PostgreSQL driver is
the ``postgresql`` extra (``pip install 'failwise[postgresql]'``): SQLite needs
nothing more than Python.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from failwise.domain.errors import InvalidInput
from failwise.services.ports import Store, Unavailable
from failwise.storage.store import SqlStore
from failwise.storage.store_base import IdBlocks

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"
T = TypeVar("T")

# The connection the stores of a unit of work run on (Database.run, on PostgreSQL): set
# inside the greenlet that runs the work, so only that work's stores see it.
_BOUND: ContextVar[Connection | None] = ContextVar("failwise_bound_connection", default=None)


def default_url() -> str:
    """``FAILWISE_DATABASE_URL``, or a SQLite file in the user's data directory."""
    configured = os.environ.get("FAILWISE_DATABASE_URL")
    if configured:
        return configured
    directory = Path(user_data_dir("failwise", appauthor=False))
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'failwise.sqlite3'}"


def normalise_url(url: str) -> str:
    # Plain postgresql:// URLs get the psycopg 3 driver.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _require_driver(driver: str) -> None:
    """A clear error when the URL's driver is not installed (SQLAlchemy's would be a bare
    ``No module named 'psycopg'``)."""
    if driver != "psycopg":
        return
    try:
        import psycopg  # noqa: F401  (imported by SQLAlchemy next: nothing is lost)
    except ImportError as error:
        raise InvalidInput(
            f"a postgresql:// database needs the psycopg driver ({error}): install "
            "failwise[postgresql], e.g. pip install 'failwise[postgresql]'"
        ) from None


SYNCHRONOUS_VARIABLE = "FAILWISE_SQLITE_SYNCHRONOUS"
SYNCHRONOUS_SETTINGS = ("FULL", "NORMAL")
"""SQLite's ``synchronous`` settings failwise runs with, the durable one first.

- ``FULL`` (the default): the WAL is synced to the disk at every commit, so a set
  the server acknowledged survives a power cut or a kernel crash.
- ``NORMAL``: the WAL is synced only at checkpoints. The database stays consistent
  and a killed process (kill -9, a crash of failwise) loses nothing, but a power cut
  can lose the last acknowledged commits. Faster on slow disks.
"""


def sqlite_synchronous(environ: Mapping[str, str] | None = None) -> str:
    """``FAILWISE_SQLITE_SYNCHRONOUS`` (``FULL`` when unset), checked.

    >>> sqlite_synchronous({})
    'FULL'
    >>> sqlite_synchronous({"FAILWISE_SQLITE_SYNCHRONOUS": "normal"})
    'NORMAL'
    """
    value = (os.environ if environ is None else environ).get(SYNCHRONOUS_VARIABLE, "")
    setting = value.strip().upper() or SYNCHRONOUS_SETTINGS[0]
    if setting not in SYNCHRONOUS_SETTINGS:
        raise InvalidInput(
            f"{SYNCHRONOUS_VARIABLE}={value!r} is not a setting failwise runs with: "
            "FULL (every acknowledged set survives a power cut; the default) or NORMAL "
            "(faster; a power cut can lose the last sets)"
        )
    return setting


def _sqlite_pragmas(synchronous: str) -> Callable[[Any, Any], None]:
    """The pragmas set on every new SQLite connection, with ``synchronous`` as checked."""

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cursor.execute(f"PRAGMA synchronous={synchronous}")  # see SYNCHRONOUS_SETTINGS
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    return on_connect


# A networked database's pool, the same for the engine and the asyncio engine beside it.
# pre_ping: a connection the server dropped (a restart) is replaced, not used.
_NETWORKED_POOL: dict[str, Any] = {
    "pool_pre_ping": True,
    "pool_size": 10,
    "max_overflow": 20,
    "connect_args": {"connect_timeout": 5},
}


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: :func:`default_url`), tuned for the backend.

    SQLite runs in WAL mode with ``synchronous`` from :func:`sqlite_synchronous`.
    """
    url = normalise_url(url or default_url())
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        synchronous = sqlite_synchronous()
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas(synchronous))
        return engine
    _require_driver(parsed.get_driver_name())
    return create_engine(url, **_NETWORKED_POOL)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to ``revision``."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    command.downgrade(alembic_config(engine), revision)


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


class Database:
    """An engine and the stores opened on it: the :class:`StoreFactory` of the services."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.engine = make_engine(url)
        if migrate:
            upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time, and a connection that finds the database locked
        # sleeps in steps of up to 100 ms before it tries again: this process's threads
        # queue for the lifters' writes here instead, and each starts the moment the one
        # before it ends (another process still meets SQLite's own lock).
        self._writer = threading.Lock() if self.engine.dialect.name == "sqlite" else None
        self._ids = IdBlocks() if self._writer is not None else None
        # The asyncio driver's engine, for Database.run on PostgreSQL: made on first use.
        self._async_engine: AsyncEngine | None = None

    @contextmanager
    def __call__(self) -> Iterator[Store]:
        bound = _BOUND.get()
        session: Session = self._sessions() if bound is None else self._sessions(bind=bound)
        store = SqlStore(session, writer=self._writer, ids=self._ids)
        try:
            yield store
        finally:
            # Whatever was not committed is rolled back here.
            session.close()
            store.done()

    @property
    def embedded(self) -> bool:
        """Whether the database runs inside this process (SQLite): a statement waits for no
        network, only for another writer."""
        return self.engine.dialect.name == "sqlite"

    async def run(self, work: Callable[[], T]) -> T:
        """``work()``, whose stores (opened by calling this database) read and write, from
        an event loop without holding it up while the database works.

        - SQLite: on the loop itself. Its statements wait for no network, only for another
          writer; handing a short transaction to a thread and back costs a third as much
          again as the work (``bench/log_throughput.py``).
        - PostgreSQL: on the loop too, on psycopg's asyncio driver. SQLAlchemy runs ``work``
          in a greenlet whose every statement, and every wait for a lock another
          transaction holds, is awaited: the loop serves other requests meanwhile. Through
          a worker thread, three statements and a commit, eight at once, cost 1.1 ms of
          CPU a call against 0.65 ms on the asyncio driver (the hand-off and the GIL), and
          the thread pool caps how many may wait at once. It keeps a pool of its own
          beside the engine's (the same size).
        """
        if self.embedded:
            return work()
        engine = self._asyncio_engine()
        async with engine.connect() as connection:
            return await connection.run_sync(_bound_to, work)

    def _asyncio_engine(self) -> AsyncEngine:
        if self._async_engine is None:
            from sqlalchemy.ext.asyncio import create_async_engine

            self._async_engine = create_async_engine(self.engine.url, **_NETWORKED_POOL)
        return self._async_engine

    def dispose(self) -> None:
        self.engine.dispose()
        if self._async_engine is not None:
            # Outside a loop the asyncio pool's connections cannot be closed politely:
            # the pool forgets them (aclose closes them).
            self._async_engine.sync_engine.dispose(close=False)
            self._async_engine = None

    async def aclose(self) -> None:
        """:meth:`dispose`, from the event loop: the asyncio driver's connections closed."""
        if self._async_engine is not None:
            await self._async_engine.dispose()
            self._async_engine = None
        self.engine.dispose()

    def ping(self) -> bool:
        """Whether the database answers right now (``SELECT 1``)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except DATABASE_ERRORS:
            return False
        return True


def _bound_to(connection: Connection, work: Callable[[], T]) -> T:
    """``work()`` with its stores on ``connection`` (in the greenlet :meth:`Database.run`
    runs it in)."""
    token = _BOUND.set(connection)
    try:
        return work()
    finally:
        _BOUND.reset(token)


# --- what the adapters need to know of the database's failures -------------------------------

DATABASE_ERRORS: tuple[type[Exception], ...] = (DBAPIError, PoolTimeout)
"""The errors a request can meet when the database fails under it (the web app answers 503
for an outage among them, see :func:`is_outage`)."""


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` is the database being unreachable (retry later), not a bug."""
    return isinstance(error, OperationalError | PoolTimeout) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


def shown_url(url: str | None = None) -> str:
    """The database URL (default: :func:`default_url`) without its password, for messages.

    >>> shown_url("postgresql://ann:secret@db.example/failwise")
    'postgresql://ann:***@db.example/failwise'
    """
    try:
        return make_url(url or default_url()).render_as_string(hide_password=True)
    except ArgumentError:
        return "named by FAILWISE_DATABASE_URL"


@contextmanager
def opened(url: str | None = None) -> Iterator[Database]:
    """The database for one command, closed after it; its failures become clear errors:
    :class:`InvalidInput` for a URL failwise cannot read, :class:`Unavailable` for a
    database that cannot be opened or fails during the command."""
    try:
        database = Database(url)
    except ArgumentError as error:
        # Not echoed: an unreadable URL may still hold a password.
        raise InvalidInput(
            f"FAILWISE_DATABASE_URL is not a database URL failwise can open ({error}): use e.g. "
            "sqlite:///path/to/failwise.sqlite3 or postgresql://user@host/failwise"
        ) from None
    except OperationalError as error:
        raise Unavailable(f"cannot open the database {shown_url(url)}: {error.orig}") from None
    except OSError as error:  # a SQLite file where no directory can be made
        raise Unavailable(f"cannot open the database {shown_url(url)}: {error}") from None
    try:
        yield database
    except OperationalError as error:
        raise Unavailable(f"the database {shown_url(url)} failed: {error.orig}") from None
    finally:
        database.dispose()
