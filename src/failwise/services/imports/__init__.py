"""Importing a lifter's history from another app's export.

- :mod:`.parsed`: what an importer reads a file into (:class:`ParsedFile` of
  :class:`ImportedSet`, with the :class:`Problem` of each line it could not read);
- :mod:`.keys`: each set's idempotency key, so a file imported again adds nothing;
- :mod:`.checks`: what a set may hold before it is stored;
- :mod:`.service`: :class:`HistoryImporter`, which stores a parsed file for one lifter
  in one transaction.
"""

from failwise.services.imports.keys import IMPORT_KEY_PREFIX, import_key
from failwise.services.imports.parsed import BodyWeight, ImportedSet, ParsedFile, Problem
from failwise.services.imports.service import (
    HistoryImporter,
    ImportRejected,
    ImportSummary,
    resolve_exercise,
)

__all__ = [
    "IMPORT_KEY_PREFIX",
    "BodyWeight",
    "HistoryImporter",
    "ImportRejected",
    "ImportSummary",
    "ImportedSet",
    "ParsedFile",
    "Problem",
    "import_key",
    "resolve_exercise",
]
