"""A merchant's monthly settlement statement as PDF and CSV, from plain data (`StatementDocument`).

Both say the same thing line for line, so a merchant can tick each line against the till's receipts:
every redemption and every reversal has its receipt number, time, store, offer, bill, discount and
the subsidy it adds or takes back, and the totals are the sums of the lines. The PDF embeds the same
fonts as tickets (Noto Sans SC and Noto Sans, events/fonts), drawn by the shared font helpers
(events/rendering/fonts.py, public, as the schedule PDFs use them), so Chinese names print in any viewer. CSV cells that would start a formula are neutralised
(events.exports), amounts are yuan with two decimals (as numbers, never text), and the file opens in
Excel with its UTF-8 byte-order mark.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from events.exports import spreadsheet_cell
from events.rendering.fonts import draw_line, fonts, primary_font, text_width
from ticketing.money import format_fen
from tourism.enums import SettlementLineKind


@dataclass(frozen=True)
class StatementLine:
    when: str  # local date and time, formatted
    receipt: str
    kind: str  # "Redemption", "Reversal"
    store: str
    offer: str
    bill_fen: int
    discount_fen: int
    subsidy_fen: int  # negative for a reversal
    note: str = ""  # a reversal: the receipt it undoes and its month when earlier


@dataclass(frozen=True)
class StatementDocument:
    number: str
    merchant: str
    period: str  # "2026-11"
    status: str  # "Draft", "Confirmed on … by …"
    facts: tuple[tuple[str, str], ...]  # label, value: the summary box
    lines: tuple[StatementLine, ...]

    @property
    def totals(self) -> tuple[int, int, int]:
        return (
            sum(line.bill_fen for line in self.lines),
            sum(line.discount_fen for line in self.lines),
            sum(line.subsidy_fen for line in self.lines),
        )


def _header() -> list[str]:
    return [
        _("Time"),
        _("Receipt"),
        _("Kind"),
        _("Store"),
        _("Offer"),
        _("Bill (CNY)"),
        _("Discount (CNY)"),
        _("Subsidy (CNY)"),
        _("Note"),
    ]


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2).quantize(Decimal("0.01"))


def statement_csv(document: StatementDocument) -> str:
    """The statement as CSV text (with a BOM): a heading block, one row per line, a totals row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_cell(_("Settlement statement")), spreadsheet_cell(document.number)])
    writer.writerow([spreadsheet_cell(_("Merchant")), spreadsheet_cell(document.merchant)])
    writer.writerow([spreadsheet_cell(_("Month")), spreadsheet_cell(document.period)])
    writer.writerow([spreadsheet_cell(_("Status")), spreadsheet_cell(document.status)])
    writer.writerow([])
    writer.writerow(_header())
    for line in document.lines:
        writer.writerow(
            [
                *(
                    spreadsheet_cell(text)
                    for text in (line.when, line.receipt, line.kind, line.store, line.offer)
                ),
                _yuan(line.bill_fen),
                _yuan(line.discount_fen),
                _yuan(line.subsidy_fen),
                spreadsheet_cell(line.note),
            ]
        )
    bill, discount, subsidy = document.totals
    writer.writerow(
        [spreadsheet_cell(_("Total")), "", "", "", "", _yuan(bill), _yuan(discount), _yuan(subsidy), ""]
    )
    return "\ufeff" + buffer.getvalue()


# Column layout on A4 portrait, in points from the left margin: (share of the width, right-aligned).
COLUMNS = (
    (0.15, False),
    (0.14, False),
    (0.09, False),
    (0.17, False),
    (0.18, False),
    (0.09, True),
    (0.09, True),
    (0.09, True),
)
MARGIN = 36
ROW = 14


def _clip(text: str, *, width: float, size: float, primary: str) -> str:
    """The text cut (with an ellipsis) to fit the column: a statement never wraps a row."""
    if text_width(text, size=size, primary=primary) <= width:
        return text
    while text and text_width(text + "…", size=size, primary=primary) > width:
        text = text[:-1]
    return text + "…"


def statement_pdf(document: StatementDocument) -> bytes:
    """The statement on A4 pages: title, merchant, month and status; the summary; the lines with the
    column heads repeated on every page; the totals; "page n of m" and the statement number in every
    footer. Set in the active language's face."""
    from reportlab.lib.colors import HexColor  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used
    from reportlab.pdfgen.canvas import Canvas  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used

    fonts()
    primary = primary_font()
    page_w, page_h = A4
    usable = page_w - 2 * MARGIN
    lefts, x = [], MARGIN
    for share, _right in COLUMNS:
        lefts.append(x)
        x += share * usable
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=primary)
    canvas.setTitle(f"{_('Settlement statement')} {document.number}")
    canvas.setAuthor("Corridor")
    ink, muted, rule = HexColor("#1d2430"), HexColor("#5b6472"), HexColor("#d9dee5")
    # Lines per page by height (a line with a note takes more); the first page holds the summary too.
    pages: list[list[StatementLine]] = [[]]
    room = page_h - 2 * MARGIN - 200 - 3 * ROW
    for line in document.lines:
        height = ROW + (ROW - 4 if line.note else 0)
        if room < height:
            pages.append([])
            room = page_h - 2 * MARGIN - 40 - 3 * ROW
        pages[-1].append(line)
        room -= height

    def cells(values: Sequence[str], y: float, size: float) -> None:
        for (share, right), left, value in zip(COLUMNS, lefts, values, strict=False):
            width = share * usable - 4
            text = _clip(value, width=width, size=size, primary=primary)
            if right:
                draw_line(canvas, left + width, y, text, size=size, primary=primary, anchor="right")
            else:
                draw_line(canvas, left, y, text, size=size, primary=primary)

    def table_head(y: float) -> float:
        canvas.setFillColor(muted)
        cells(_header()[:8], y, 7.5)
        canvas.setStrokeColor(rule)
        canvas.line(MARGIN, y - 4, page_w - MARGIN, y - 4)
        canvas.setFillColor(ink)
        return y - ROW

    for number, rows in enumerate(pages, start=1):
        y = page_h - MARGIN - 10
        canvas.setFillColor(ink)
        if number == 1:
            draw_line(canvas, MARGIN, y, _("Settlement statement"), size=18, primary=primary)
            draw_line(canvas, page_w - MARGIN, y, document.number, size=10, primary=primary, anchor="right")
            y -= 24
            draw_line(canvas, MARGIN, y, document.merchant, size=13, primary=primary)
            y -= 18
            canvas.setFillColor(muted)
            draw_line(
                canvas,
                MARGIN,
                y,
                _("Month: %(month)s") % {"month": document.period} + f" · {document.status}",
                size=10,
                primary=primary,
            )
            canvas.setFillColor(ink)
            y -= 22
            for index, (label, value) in enumerate(document.facts):
                column_x = MARGIN + (index % 3) * usable / 3
                row_y = y - (index // 3) * 30
                canvas.setFillColor(muted)
                draw_line(canvas, column_x, row_y, label, size=8, primary=primary)
                canvas.setFillColor(ink)
                draw_line(canvas, column_x, row_y - 13, value, size=12, primary=primary)
            y -= 30 * (-(-len(document.facts) // 3)) + 10
        y = table_head(y)
        for line in rows:
            cells(
                [
                    line.when,
                    line.receipt,
                    line.kind,
                    line.store,
                    line.offer,
                    format_fen(line.bill_fen),
                    format_fen(line.discount_fen),
                    format_fen(line.subsidy_fen),
                ],
                y,
                7.5,
            )
            if line.note:
                y -= ROW - 4
                canvas.setFillColor(muted)
                draw_line(canvas, lefts[1], y, line.note, size=6.5, primary=primary)
                canvas.setFillColor(ink)
            y -= ROW
        if number == len(pages):
            canvas.setStrokeColor(rule)
            canvas.line(MARGIN, y + ROW - 4, page_w - MARGIN, y + ROW - 4)
            bill, discount, subsidy = document.totals
            cells(
                [_("Total"), "", "", "", "", format_fen(bill), format_fen(discount), format_fen(subsidy)],
                y,
                8.5,
            )
            if not document.lines:
                draw_line(
                    canvas,
                    MARGIN,
                    y - ROW,
                    _("No redemptions of subsidised offers this month."),
                    size=9,
                    primary=primary,
                )
        canvas.setFillColor(muted)
        footer = _("Page %(page)s of %(pages)s") % {"page": number, "pages": len(pages)}
        draw_line(canvas, MARGIN, MARGIN - 12, f"{document.number} · {footer}", size=7.5, primary=primary)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def statement_document(merchant, period, statement, items) -> StatementDocument:
    """The document for a month: the confirmed statement's lines, or the open items as a draft."""
    lines = []
    for item in items:
        note = ""
        if item.kind == SettlementLineKind.REVERSAL:
            note = _("Reverses receipt %(receipt)s of %(day)s") % {
                "receipt": item.redemption.receipt_number,
                "day": item.redemption.business_day.isoformat(),
            }
        elif item.day < period:
            note = _("Carried over from %(month)s") % {"month": f"{item.day:%Y-%m}"}
        lines.append(
            StatementLine(
                when=timezone.localtime(item.at).strftime("%Y-%m-%d %H:%M"),
                receipt=item.redemption.receipt_number,
                kind=SettlementLineKind(item.kind).label,
                store=item.redemption.store.name,
                offer=item.redemption.offer.name,
                bill_fen=item.bill_fen,
                discount_fen=item.discount_fen,
                subsidy_fen=item.subsidy_fen,
                note=note,
            )
        )
    if statement is None:
        status = _("Draft: not confirmed yet; figures may still change")
        number = f"{_('Draft')} {period:%Y-%m}"
    else:
        status = _("Confirmed on %(day)s by %(person)s") % {
            "day": timezone.localtime(statement.confirmed_at).strftime("%Y-%m-%d %H:%M"),
            "person": statement.confirmed_by.display_name or _("an organiser"),
        }
        number = statement.number
    document = StatementDocument(
        number=number,
        merchant=merchant.name,
        period=f"{period:%Y-%m}",
        status=status,
        facts=(),
        lines=tuple(lines),
    )
    bill, discount, subsidy = document.totals
    redemptions = sum(1 for item in items if item.kind == SettlementLineKind.REDEMPTION)
    facts = (
        (_("Redemptions"), str(redemptions)),
        (_("Reversals"), str(len(items) - redemptions)),
        (_("Subsidy owed"), format_fen(subsidy)),
        (_("Bills before discount"), format_fen(bill)),
        (_("Discounts given"), format_fen(discount)),
    )
    return StatementDocument(
        number=number,
        merchant=merchant.name,
        period=f"{period:%Y-%m}",
        status=status,
        facts=facts,
        lines=tuple(lines),
    )
