from __future__ import annotations

import pytest

from failwise.domain.exercises import Catalog
from failwise.services.catalog import builtin_catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return builtin_catalog()
