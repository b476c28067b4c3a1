"""Exported spreadsheets (CSV, xlsx) must not run formulas: one rule for every app's exports.

A cell starting with one of these is a formula to Excel, LibreOffice and WPS (=HYPERLINK(...) in a
child's imported name or a buyer's email would run in an organiser's spreadsheet). Full-width forms
count too.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_cell(value):
    """A value safe for an exported cell: text that would start a formula gets a leading apostrophe
    (shown as text, never evaluated). Other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
