"""The built-in exercise catalog, loaded once from the package's data file."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from failwise.domain.exercises import Catalog


def builtin_records() -> list[dict[str, object]]:
    """The raw records of ``failwise/data/exercises.toml``."""
    text = resources.files("failwise.data").joinpath("exercises.toml").read_text("utf-8")
    records: list[dict[str, object]] = tomllib.loads(text)["exercise"]
    return records


@cache
def builtin_catalog() -> Catalog:
    """The catalog shipped with failwise (validated on load)."""
    return Catalog.from_records(builtin_records())
