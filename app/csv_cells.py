"""Spreadsheet-safe CSV cells (OWASP "CSV Injection"), and reading them back.

An export holds text from the outside (diagnostics, message ids, addresses such as
`=cmd@example.com` are all chosen by whoever sent the bounce), and a spreadsheet runs a cell
that begins with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula. OWASP's remedy is
a single quote in front, which spreadsheets show as text and do not display. `escape` adds it;
`unescape`, used by the importer, takes exactly one such quote away again, so an export imports
back to the same values. A cell that already begins with a quote before one of those
characters gets a quote too, or the importer could not tell it from an escaped cell.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = (*FORMULA_STARTS, "'")


def escape(cell: str) -> str:
    """The cell as it is safe to write into a CSV a spreadsheet may open."""
    if cell.startswith(FORMULA_STARTS) or (cell.startswith("'") and cell[1:].startswith(_QUOTED)):
        return "'" + cell
    return cell


def unescape(cell: str) -> str:
    """The value `escape` was given: one leading quote before a formula start (or before
    another quote) is the escape, and is removed; any other cell is left as it is."""
    if cell.startswith("'") and cell[1:].startswith(_QUOTED):
        return cell[1:]
    return cell
