"""CSV text cells a spreadsheet cannot run as a formula, and the escape undone.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (and one that starts with a tab or a carriage return, OWASP's "CSV
injection" list), and most of them first skip leading blanks: a space, a line
feed, a no-break space, or the full-width forms ``＝＋－＠``. Such a cell gets
a leading ``'``, which spreadsheets read as "this is text" and do not show.

The escape is reversible: a cell that starts with ``'`` and would be a formula
without its quotes gets one more ``'`` (``'=x`` is written ``''=x``), so
:func:`unescaped` can always tell an escape from a note that starts with a
quote. Only text cells are escaped; numbers are written from numbers (a load of
``-2.5`` is a number to a spreadsheet, not a formula, and stays one).

>>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("Squat"), spreadsheet_safe("'=x")
("'=HYPERLINK(1)", 'Squat', "''=x")
>>> spreadsheet_safe(" \\u00a0＝cmd"), spreadsheet_safe("'quoted'")
("' \\xa0＝cmd", "'quoted'")
>>> all(unescaped(spreadsheet_safe(t)) == t for t in ("=1", "'=1", "''", "'a", "\\r=1", "-2"))
True
"""

from __future__ import annotations

import unicodedata

__all__ = ["is_formula", "spreadsheet_safe", "unescaped"]

# What makes a cell a formula once the blanks before it are skipped; the full-width and
# small forms are read as the ASCII ones by spreadsheets with East Asian input.
_FORMULA_SIGNS = frozenset("=+-@＝＋－＠﹦﹢﹣")
# A cell starting with one of these is a formula-like cell by itself (OWASP).
_FORMULA_STARTS = ("\t", "\r", "\n")


def _blank(character: str) -> bool:
    """Skipped before a formula: whitespace (incl. NBSP), control and format characters."""
    return character.isspace() or unicodedata.category(character) in ("Cc", "Cf", "Zs")


def is_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula.

    >>> is_formula("-2"), is_formula("  =1+1"), is_formula("\\t"), is_formula("push-up")
    (True, True, True, False)
    """
    if text.startswith(_FORMULA_STARTS):
        return True
    for character in text:
        if not _blank(character):
            return character in _FORMULA_SIGNS
    return False


def _needs_escape(text: str) -> bool:
    # A run of quotes before a formula is escaped too, so that one quote more is always
    # an escape: the reader can undo it without guessing.
    return is_formula(text.lstrip("'"))


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet could run it (see the module)."""
    return "'" + text if _needs_escape(text) else text


def unescaped(cell: str) -> str:
    """The text :func:`spreadsheet_safe` wrote ``cell`` from."""
    if cell.startswith("'") and _needs_escape(cell[1:]):
        return cell[1:]
    return cell
