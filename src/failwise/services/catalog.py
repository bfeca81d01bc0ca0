"""The built-in exercise catalog, loaded once from the package's data file.

Parsing ``failwise/data/exercises.toml`` with :mod:`tomllib` (pure Python) takes
about 10 ms, paid by every command that needs the catalog (``failwise prescribe``
between two sets). So the parsed records are kept as JSON in the user's cache
directory, where the next command reads them back in half a millisecond, under
a key drawn from the digest of the TOML's bytes and failwise's version
(:func:`cached_records`).

The cache is only ever a copy of what the TOML says, never a source: a cache
file that is missing, unreadable, stale (written for other bytes or another
version) or corrupted (its records no longer match the digest written with them)
is ignored, and the records are parsed from the TOML again and written back
atomically. (The checksum finds damage, not a file rewritten on purpose: whoever
can write the user's cache directory could as well edit the TOML.) A cache
directory that cannot be written costs the parse, nothing else. Either way the
catalog itself is built and validated from the records by this version's code
(:meth:`Catalog.from_records`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pkgutil
from functools import cache
from pathlib import Path
from typing import Any

from failwise import __version__
from failwise.domain.exercises import Catalog

CACHE_FORMAT = 1
"""Bumped when what a cache file holds changes meaning: every older file goes stale."""

_PREFIX = "exercises-"


def builtin_source() -> bytes:
    """The bytes of ``failwise/data/exercises.toml``."""
    # Read through the package's loader (from a zip too): importlib.resources would first
    # set up its readers, some 1.5 ms of a command's start.
    source = pkgutil.get_data("failwise.data", "exercises.toml")
    if source is None:  # a loader that cannot read data files
        from importlib import resources

        return resources.files("failwise.data").joinpath("exercises.toml").read_bytes()
    return source


def parse_records(source: bytes) -> list[dict[str, Any]]:
    """The records (one per ``[[exercise]]`` table) of a catalog's TOML bytes."""
    import tomllib  # only when the cache cannot answer: a command reading it does without

    records: list[dict[str, Any]] = tomllib.loads(source.decode("utf-8"))["exercise"]
    return records


def builtin_records() -> list[dict[str, Any]]:
    """The raw records of ``failwise/data/exercises.toml``, parsed from the file itself."""
    return parse_records(builtin_source())


def cache_key(source: bytes) -> str:
    """What a cache file of ``source``'s records must be written under: a digest of the
    bytes, failwise's version and the cache's format."""
    stamp = f"failwise {__version__} catalog cache {CACHE_FORMAT}\n".encode()
    return hashlib.sha256(stamp + source).hexdigest()


def cache_directory() -> Path:
    """Where the catalog's cache is kept: the user's cache directory for failwise."""
    from platformdirs import user_cache_path

    return user_cache_path("failwise", appauthor=False)


def cached_records(source: bytes, directory: Path) -> list[dict[str, Any]]:
    """The records of ``source`` (a catalog's TOML bytes), from the cache in
    ``directory`` when it holds them for these very bytes; else parsed, and written
    there for the next time.

    The records are the same either way: what :func:`parse_records` gives.
    """
    key = cache_key(source)
    path = directory / f"{_PREFIX}{key[:32]}.json"
    records = _read_cache(path, key)
    if records is None:
        records = parse_records(source)
        _write_cache(path, key, records)
    return records


def _read_cache(path: Path, key: str) -> list[dict[str, Any]] | None:
    """The records in the cache file at ``path``, or None if it holds none for ``key``.

    The file is a line of JSON (the key, and the SHA-256 of the rest), then the records
    as JSON: a file cut short, altered or written for other bytes fails the check.
    """
    try:
        header, _, body = path.read_bytes().partition(b"\n")
        if json.loads(header) != {"key": key, "sha256": hashlib.sha256(body).hexdigest()}:
            return None
        records = json.loads(body)
    except (OSError, ValueError):  # missing, unreadable or not JSON (UnicodeError is one)
        return None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return None
    return records


def _write_cache(path: Path, key: str, records: list[dict[str, Any]]) -> None:
    """Write ``records`` to the cache file at ``path`` (atomically: a reader sees the
    old file or the whole new one), and remove the catalog's other cache files."""
    try:
        body = json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode()
    except (TypeError, ValueError):  # a TOML date, say: JSON cannot hold it
        return
    if json.loads(body) != records:  # only what JSON gives back exactly is cached
        return
    header = json.dumps({"key": key, "sha256": hashlib.sha256(body).hexdigest()}).encode()
    import tempfile  # only to write the cache: a command reading it does without

    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{_PREFIX}", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(header + b"\n" + body)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:  # no cache directory to write to: the next command parses again
        return
    for other in directory.glob(f"{_PREFIX}*.json"):
        if other != path:
            with contextlib.suppress(OSError):
                other.unlink()


@cache
def builtin_catalog() -> Catalog:
    """The catalog shipped with failwise (validated on load)."""
    return Catalog.from_records(cached_records(builtin_source(), cache_directory()))
