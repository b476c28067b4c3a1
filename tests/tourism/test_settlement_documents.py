"""Settlement statements as PDF and CSV: every line and the totals readable back, formulas neutralised."""

from __future__ import annotations

import csv
import io

from django.utils import translation
from pypdf import PdfReader

from tourism.services.settlement_documents import (
    StatementDocument,
    StatementLine,
    statement_csv,
    statement_pdf,
)


def document(lines=3) -> StatementDocument:
    items = [
        StatementLine(
            when=f"2026-11-{10 + i:02d} 12:30",
            receipt=f"R-{i:04d}",
            kind="Redemption",
            store="长风海洋世界 普陀店",
            offer="票根立减 20 元",
            bill_fen=10_000 + i,
            discount_fen=2_000,
            subsidy_fen=1_500,
        )
        for i in range(lines)
    ]
    items.append(
        StatementLine(
            when="2026-11-29 09:00",
            receipt="R-9999",
            kind="Reversal",
            store='=HYPERLINK("x")',
            offer="票根立减 20 元",
            bill_fen=-10_000,
            discount_fen=-2_000,
            subsidy_fen=-1_500,
            note="undoes R-0001 of 2026-10",
        )
    )
    return StatementDocument(
        number="ST-2026-11-0007",
        merchant="长风海洋世界 Changfeng Ocean World",
        period="2026-11",
        status="Draft",
        facts=(("Redemptions", str(lines)), ("Subsidy owed", "¥30.00")),
        lines=tuple(items),
    )


def test_totals_are_the_sums_of_the_lines():
    doc = document(3)
    assert doc.totals == (30_003 - 10_000, 4_000, 3_000)


def test_csv_has_every_line_totals_and_no_formula():
    with translation.override("en"):
        text = statement_csv(document(3))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Settlement statement", "ST-2026-11-0007"]
    header = rows.index(
        ["Time", "Receipt", "Kind", "Store", "Offer", "Bill (CNY)", "Discount (CNY)", "Subsidy (CNY)", "Note"]
    )
    body = rows[header + 1 :]
    assert [row[1] for row in body[:-1]] == ["R-0000", "R-0001", "R-0002", "R-9999"]
    assert body[0][5:8] == ["100.00", "20.00", "15.00"]
    assert body[3][3] == '\'=HYPERLINK("x")' and body[3][5] == "-100.00"  # negative amounts stay numbers
    assert body[-1] == ["Total", "", "", "", "", "200.03", "40.00", "30.00", ""]


def test_pdf_reads_back_with_chinese_names_and_totals():
    with translation.override("zh-hans"):
        pdf = statement_pdf(document(3))
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "长风海洋世界" in text and "R-0002" in text and "ST-2026-11-0007" in text
    assert "¥30.00" in text  # the subsidy total
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    embedded = [font for font in fonts if "/FontFile2" in font.get("/FontDescriptor", {})]
    assert embedded and all(font in embedded for font in fonts if font["/Subtype"] == "/TrueType")


def test_long_statement_runs_over_pages_with_page_numbers():
    with translation.override("en"):
        pdf = statement_pdf(document(120))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    last = reader.pages[-1].extract_text()
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
    receipts = "".join(page.extract_text() for page in reader.pages)
    assert all(f"R-{i:04d}" in receipts for i in range(120))
