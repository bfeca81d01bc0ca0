"""The catalog's cache: the records the TOML says, or none at all.

A command reads the built-in catalog's parsed records back from the user's cache
directory instead of parsing ``exercises.toml`` again. The cache must give exactly
the catalog the TOML gives, and a cache file that is stale or corrupted must be
written again from the TOML, never believed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from failwise.domain.exercises import Catalog
from failwise.services import catalog as catalogs
from failwise.services.catalog import (
    builtin_catalog,
    builtin_records,
    builtin_source,
    cached_records,
    parse_records,
)

SOURCE = builtin_source()


def cache_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("exercises-*.json"))


def forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on the records can only come from the cache."""

    def parse(source: bytes) -> list[dict[str, Any]]:
        raise AssertionError("parsed the TOML: the cache did not answer")

    monkeypatch.setattr(catalogs, "parse_records", parse)


def test_the_cached_records_are_the_parsed_ones_and_build_the_same_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = parse_records(SOURCE)
    assert cached_records(SOURCE, tmp_path) == fresh  # parsed, and written
    assert len(cache_files(tmp_path)) == 1
    forbid_parsing(monkeypatch)
    cached = cached_records(SOURCE, tmp_path)  # read back
    # Equal, and of the same types: an increment of 2 stays an int, 2.5 a float.
    assert cached == fresh
    assert [[type(value) for value in record.values()] for record in cached] == [
        [type(value) for value in record.values()] for record in fresh
    ]
    from_cache, from_toml = Catalog.from_records(cached), Catalog.from_records(fresh)
    assert from_cache == from_toml
    assert from_cache.exercises == from_toml.exercises
    for exercise in from_toml:
        for name in (exercise.id, exercise.name, *exercise.aliases):
            assert from_cache.resolve(name) == exercise


def test_the_builtin_catalog_is_the_one_the_toml_gives() -> None:
    assert builtin_catalog() == Catalog.from_records(builtin_records())


def _flip_a_name(text: bytes) -> bytes:
    """The records with one exercise renamed, still valid JSON and a valid catalog."""
    return text.replace(b'"Squat (Barbell)"', b'"Squat (Barbelx)"', 1)


def _restamped(text: bytes, key: str) -> bytes:
    """The same records under another key, with a checksum that matches them."""
    import hashlib

    _, _, body = text.partition(b"\n")
    header = {"key": key, "sha256": hashlib.sha256(body).hexdigest()}
    return json.dumps(header).encode() + b"\n" + body


CORRUPTIONS = {
    "empty": lambda text: b"",
    "cut short": lambda text: text[: len(text) // 2],
    "not JSON": lambda text: b"\x00\xff garbage\n[{",
    "a name altered": _flip_a_name,
    "no header": lambda text: text.partition(b"\n")[2],
    "records of another key": lambda text: _restamped(text, "0" * 64),
}
# Not among them: a file rewritten on purpose, checksum and all. The checksum finds
# damage; whoever can write the user's cache directory could as well edit the TOML.


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_corrupted_cache_is_rebuilt_from_the_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corrupt: Any
) -> None:
    fresh = parse_records(SOURCE)
    cached_records(SOURCE, tmp_path)
    [path] = cache_files(tmp_path)
    path.write_bytes(corrupt(path.read_bytes()))

    # What the TOML says, not what the file says ("Squat (Barbell)", not "... (Barbelx)").
    assert cached_records(SOURCE, tmp_path) == fresh
    # Written again: the next command reads the good records without parsing.
    forbid_parsing(monkeypatch)
    assert cached_records(SOURCE, tmp_path) == fresh


def test_a_cache_of_other_bytes_is_not_read_and_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalog edited (or another failwise version): the old cache file is stale."""
    cached_records(SOURCE, tmp_path)
    [old] = cache_files(tmp_path)
    edited = SOURCE.replace(b'name = "Squat (Barbell)"', b'name = "Back Squat (Barbell)"', 1)
    assert edited != SOURCE

    records = cached_records(edited, tmp_path)

    assert records == parse_records(edited)
    assert any(record["name"] == "Back Squat (Barbell)" for record in records)
    [new] = cache_files(tmp_path)
    assert new != old
    forbid_parsing(monkeypatch)
    assert cached_records(edited, tmp_path) == records


def test_another_version_does_not_read_this_versions_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached_records(SOURCE, tmp_path)
    monkeypatch.setattr(catalogs, "__version__", "99.0.0")
    forbid_parsing(monkeypatch)
    with pytest.raises(AssertionError, match="parsed the TOML"):
        cached_records(SOURCE, tmp_path)


def test_without_a_cache_directory_to_write_the_catalog_is_still_parsed(tmp_path: Path) -> None:
    blocked = tmp_path / "a file, not a directory"
    blocked.write_text("")
    assert cached_records(SOURCE, blocked / "failwise") == parse_records(SOURCE)
    assert cache_files(tmp_path) == []
