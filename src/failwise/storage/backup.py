"""Backing up and restoring the whole database.

SQLite: the online backup API copies a consistent snapshot while the database
is in use (readers and the writer carry on). PostgreSQL: ``pg_dump`` in its
custom format, restored with ``pg_restore --clean --if-exists`` — the path
PostgreSQL documents; both tools must be on the PATH.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from failwise.domain.errors import InvalidInput
from failwise.storage.database import default_url, normalise_url


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise InvalidInput("an in-memory SQLite database cannot be backed up")
    return Path(parsed.database)


def _libpq_url(url: str) -> str:
    """The URL as pg_dump understands it (no SQLAlchemy driver suffix)."""
    parsed = make_url(normalise_url(url)).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise InvalidInput(f"{name} is not installed: it comes with the PostgreSQL client tools")
    return found


def backup(destination: Path, url: str | None = None) -> None:
    """Write a consistent copy of the database at ``url`` to ``destination``."""
    url = url or default_url()
    path = _sqlite_path(url)
    if path is not None:
        if not path.exists():
            raise InvalidInput(f"there is no database at {path} to back up")
        source = sqlite3.connect(path)
        target = sqlite3.connect(destination)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return
    result = subprocess.run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--file",
            str(destination),
            _libpq_url(url),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise InvalidInput(f"pg_dump failed: {result.stderr.strip()}")


def restore(source: Path, url: str | None = None) -> None:
    """Replace the database at ``url`` with the backup in ``source``.

    Stop the server first: a restore replaces every table.
    """
    url = url or default_url()
    if not source.exists():
        raise InvalidInput(f"there is no backup at {source}")
    path = _sqlite_path(url)
    if path is not None:
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            check = backup_db.execute("PRAGMA integrity_check").fetchone()
            if check != ("ok",):
                raise InvalidInput(f"{source} is not a sound SQLite backup: {check}")
            target = sqlite3.connect(path)
            try:
                with target:
                    backup_db.backup(target)
            finally:
                target.close()
        except sqlite3.DatabaseError as error:
            raise InvalidInput(f"{source} is not a SQLite backup: {error}") from None
        finally:
            backup_db.close()
        return
    result = subprocess.run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            _libpq_url(url),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise InvalidInput(f"pg_restore failed: {result.stderr.strip()}")
