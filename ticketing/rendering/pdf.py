"""QR images and PDFs for signed credentials: tickets (one page each) and badge sheets (A6 on A4).

Lessons from pretix: the QR is a raster image (a vector QR is most of its 64–86 ms per ticket) and
fonts are registered once per process. Every font is embedded (as a subset of the characters drawn),
so a PDF prints the same in any viewer: Noto Sans SC (every character of GB 2312) sets Chinese, and
Noto Sans sets English, falling back to Noto Sans SC character by character for Chinese names and
full-width punctuation (see events/fonts/README.md; the font helpers live in events.rendering.fonts). Ticketing never imports registration: badge
data arrives as `CredentialCard`.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import VenueResourceKind
from events.models import VenueResource
from events.rendering import fonts as shared_fonts
from ticketing.money import format_fen
from ticketing.signing import credential_code

# The fonts and the helpers that set text in them moved down to events (its schedule PDFs use them);
# these names keep ticketing's own code and tests as they were.
CJK_FONT, LATIN_FONT = shared_fonts.CJK_FONT, shared_fonts.LATIN_FONT
missing_glyphs = shared_fonts.missing_glyphs
_fonts, _font_for, _primary_font = shared_fonts.fonts, shared_fonts.font_for, shared_fonts.primary_font
_char_width, _width, _draw = shared_fonts.char_width, shared_fonts.text_width, shared_fonts.draw_line
LAYOUTS = ("ticket-a4", "a6-on-a4", "a6")
MM = 72 / 25.4
PHOTO_W, PHOTO_H = 30 * MM, 40 * MM  # the photo box on a badge: a 3:4 portrait

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CredentialCard:
    """What one card shows. Registration fills it for badges; `ticket_card` fills it for tickets."""

    code: str  # the signed credential code the QR carries
    title: str  # the event
    subtitle: str = ""  # the session, or the badge holder's role
    kind_label: str = ""  # "Ticket", "Accreditation badge"
    holder: str = ""  # already masked by the issuing app where the holder is a child
    lines: tuple[str, ...] = field(default_factory=tuple)  # when, venue, gate, type...
    footer: str = ""
    accent: str = "#1f4e8c"
    # The holder's photo as image bytes (JPEG or anything Pillow reads), drawn on badge layouts only.
    # The issuing app decides whether it may be shown (consent); None or undecodable: a placeholder.
    photo: bytes | None = None
    price: str = ""  # formatted ("¥80.00"), shown in the top band
    number: str = ""  # the ticket's number, printed under the QR
    gate: str = ""  # where to enter (gate names, in the reader's language), printed large
    zones: tuple[str, ...] = ()  # zone names a badge opens (names, not codes), printed large


# Characters that vary from ticket to ticket (order codes, numbers, ids), given their places in every
# document's first subset up front, so the tickets of one session share one subset and its cache entry.
VARYING = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef-:. "


def _prime_subsets(canvas, cards: Sequence[CredentialCard], primary: str) -> None:
    """Assign the primary face's subset places before drawing: the varying characters first, then
    every other character of the cards in code point order. reportlab otherwise numbers characters
    in the order they are drawn, so no two tickets would share a subset."""
    from reportlab.pdfbase.pdfmetrics import getFont  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used

    text = set()
    for card in cards:
        text.update(
            card.title, card.subtitle, card.kind_label, card.holder, card.price, card.gate, *card.lines
        )
        text.update(*card.zones)
    drawn = sorted(char for char in text - set(VARYING) if _font_for(char, primary) == primary)
    getFont(primary).splitString(VARYING + "".join(drawn), canvas._doc)


def _qr_image(code: str, *, box_size: int):
    """A crisp black-on-white QR as a greyscale PIL image, `box_size` pixels per module.

    The mask pattern is fixed: every mask decodes, and scoring all eight in pure Python was three
    quarters of a ticket's rendering time. The image is built from the module matrix directly.
    """
    import qrcode  # noqa: PLC0415  heavy optional library (qrcode), loaded only when used
    from PIL import Image  # noqa: PLC0415  heavy optional library (PIL), loaded only when used
    from qrcode.constants import ERROR_CORRECT_M  # noqa: PLC0415  heavy optional library (qrcode), loaded only when used

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=4, mask_pattern=2)
    qr.add_data(code, optimize=0)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    raw = bytes(0 if cell else 255 for row in matrix for cell in row)
    image = Image.frombytes("L", (size, size), raw)
    return image.resize((size * box_size, size * box_size), Image.Resampling.NEAREST)


def code_qr_png(code: str, *, box_size: int = 8) -> bytes:
    buffer = io.BytesIO()
    _qr_image(code, box_size=box_size).save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def credential_qr_png(credential, *, box_size: int = 8) -> bytes:
    """The credential's signed code as a PNG QR image (for the ticket page and emails)."""
    return code_qr_png(credential_code(credential), box_size=box_size)


def _is_cjk(char: str) -> bool:
    return ord(char) >= 0x2E80


def _wrap(text: str, *, width: float, size: float, primary: str) -> list[str]:
    """Break text to fit `width` points: between any two Chinese characters, and at a space inside a
    Latin word (a word longer than the line is broken where it must)."""
    lines, current, current_width = [], "", 0.0
    for char in text:
        char_width = _char_width(char, _font_for(char, primary)) * size
        if current and current_width + char_width > width:
            space = current.rfind(" ")
            tail = current[space + 1 :]
            if (
                not char.isspace()
                and not _is_cjk(char)
                and space > 0
                and tail
                and not any(map(_is_cjk, tail))
            ):
                lines.append(current[:space].rstrip())
                current = tail
            else:
                lines.append(current.rstrip())
                current = ""
            current = (current + char).lstrip()
            current_width = _width(current, size=size, primary=primary)
        else:
            current += char
            current_width += char_width
    if current:
        lines.append(current)
    return lines


def _photo_reader(photo: bytes | None):
    """An ImageReader for the photo, already decoded (reportlab decodes it anyway to name the image,
    and keeps the pixels), or None when there is no photo or it cannot be read."""
    from reportlab.lib.utils import ImageReader  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used

    if not photo:
        return None
    try:
        reader = ImageReader(io.BytesIO(photo))
        reader.getRGBData()  # a truncated or corrupt file fails here, before anything is drawn
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, DecompressionBombError...)
        logger.warning("A badge photo could not be decoded; the placeholder is drawn instead.")
        return None
    return reader


def _draw_photo(
    canvas, photo: bytes | None, *, x: float, y: float, w: float, h: float, scale: float, primary: str
) -> None:
    """The photo fitted into the box (aspect kept, centred), or a placeholder box saying so."""
    from reportlab.lib.colors import HexColor  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used

    reader = _photo_reader(photo)
    if reader is not None:
        try:
            canvas.drawImage(reader, x, y, w, h, preserveAspectRatio=True, anchor="c")
            return
        except Exception:
            logger.warning("A badge photo could not be drawn; the placeholder is drawn instead.")
    canvas.saveState()
    canvas.setFillColor(HexColor("#eef2f7"))
    canvas.setStrokeColor(HexColor("#c9d3e0"))
    canvas.setLineWidth(0.8)
    canvas.rect(x, y, w, h, stroke=1, fill=1)
    canvas.setFillColor(HexColor("#6b7a90"))
    _draw(
        canvas,
        x + w / 2,
        y + h / 2 - 3 * scale,
        _("No photo"),
        size=9 * scale,
        primary=primary,
        anchor="centre",
    )
    canvas.restoreState()


def _draw_card(canvas, card: CredentialCard, *, x: float, y: float, w: float, h: float, primary: str) -> None:
    """One card in the box (x, y, w, h). A tall card (badges: "a6-on-a4", "a6") stacks text above and
    below a row of the photo box and the QR; a wide one puts the QR on the left and the text beside
    it (A4 tickets, no photo). The number, when there is one, is printed under the QR."""
    from reportlab.lib.colors import HexColor  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used
    from reportlab.lib.utils import ImageReader  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used

    scale = min(w / 297.6, h / 420.0)  # an A6 card is the reference
    pad = 14 * scale
    band = 30 * scale
    canvas.saveState()
    canvas.setStrokeColor(HexColor("#c9d3e0"))
    canvas.setLineWidth(0.8)
    canvas.roundRect(x, y, w, h, 8 * scale, stroke=1, fill=0)
    canvas.setFillColor(HexColor(card.accent))
    canvas.rect(x, y + h - band, w, band, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#ffffff"))
    band_y = y + h - band + 10 * scale
    if card.price:
        _draw(canvas, x + w - pad, band_y, card.price, size=13 * scale, primary=primary, anchor="right")
    _draw(canvas, x + pad, band_y, card.kind_label, size=11 * scale, primary=primary)
    canvas.setFillColor(HexColor("#111111"))

    wide = w > h * 1.1
    top = y + h - band - pad
    if wide:
        qr_size = min(h - band - 2 * pad, w * 0.42)
        qr_x, qr_y = x + pad, top - qr_size
        text_x, text_w, cursor = qr_x + qr_size + pad, w - qr_size - 3 * pad, top - 12 * scale
    else:
        text_x, text_w, cursor = x + pad, w - 2 * pad, top - 12 * scale
    bottom = y + pad + 10 * scale

    def write(text: str, size: float, max_lines: int, colour: str = "#111111") -> None:
        nonlocal cursor
        canvas.setFillColor(HexColor(colour))
        for line in _wrap(text, width=text_w, size=size * scale, primary=primary)[:max_lines]:
            if cursor < bottom:
                return
            _draw(canvas, text_x, cursor, line, size=size * scale, primary=primary)
            cursor -= (size + 4) * scale

    write(card.title, 13, 3)
    if card.subtitle:
        write(card.subtitle, 11, 2)
    if not wide:
        photo_w = min(PHOTO_W, text_w * 0.4)
        photo_h = photo_w * PHOTO_H / PHOTO_W
        qr_size = min(text_w - photo_w - pad, h * 0.5 * 0.78)
        row_top = cursor - 2 * scale
        left = x + (w - (photo_w + pad + qr_size)) / 2
        _draw_photo(
            canvas,
            card.photo,
            x=left,
            y=row_top - photo_h,
            w=photo_w,
            h=photo_h,
            scale=scale,
            primary=primary,
        )
        canvas.setFillColor(HexColor("#111111"))
        qr_x, qr_y = left + photo_w + pad, row_top - qr_size
        cursor = row_top - max(qr_size, photo_h) - 14 * scale
        if card.number:
            cursor -= 10 * scale
    canvas.drawImage(ImageReader(_qr_image(card.code, box_size=4)), qr_x, qr_y, qr_size, qr_size)
    if card.number:
        canvas.setFillColor(HexColor("#111111"))
        number = _("Ticket no. %(number)s") % {"number": card.number}
        _draw(
            canvas,
            qr_x + qr_size / 2,
            qr_y - 10 * scale,
            number,
            size=9 * scale,
            primary=primary,
            anchor="centre",
        )
    if card.holder:
        write(card.holder, 12, 2)
    if card.gate:
        write(_("Gate: %(gate)s") % {"gate": card.gate}, 14, 2, card.accent)
    if card.zones:
        write(_("Zones: %(zones)s") % {"zones": _join(card.zones)}, 12, 3, card.accent)
    for text in card.lines:
        write(text, 9, 2)
    if card.footer:
        canvas.setFillColor(HexColor("#666666"))
        _draw(canvas, x + pad, y + pad * 0.6, card.footer, size=7 * scale, primary=primary)
    canvas.restoreState()


def render_credential_cards(
    cards: Sequence[CredentialCard], layout: str = "a6-on-a4", *, title: str = ""
) -> bytes:
    """A PDF of cards: "ticket-a4" (one per A4 page), "a6-on-a4" (four per A4 sheet, cut marks at the
    card edges) or "a6" (one per A6 page, for badge printers). Set in the active language's face."""
    from reportlab.lib.pagesizes import A4, A6  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used
    from reportlab.pdfgen.canvas import Canvas  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used

    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    _fonts()
    primary = _primary_font()
    buffer = io.BytesIO()
    page = A6 if layout == "a6" else A4
    canvas = Canvas(buffer, pagesize=page, pageCompression=1, initialFontName=primary)
    canvas.setTitle(title or _("Corridor credentials"))
    canvas.setAuthor("Corridor")
    _prime_subsets(canvas, cards, primary)
    page_w, page_h = page
    if layout == "a6-on-a4":
        cw, ch = page_w / 2, page_h / 2
        slots = [(0, ch), (cw, ch), (0, 0), (cw, 0)]
        for index, card in enumerate(cards):
            sx, sy = slots[index % 4]
            _draw_card(canvas, card, x=sx + 8, y=sy + 8, w=cw - 16, h=ch - 16, primary=primary)
            if index % 4 == 3 and index != len(cards) - 1:
                canvas.showPage()
    else:
        margin = 36 if layout == "ticket-a4" else 10
        height = page_h / 2 - margin if layout == "ticket-a4" else page_h - 2 * margin
        for index, card in enumerate(cards):
            _draw_card(
                canvas,
                card,
                x=margin,
                y=page_h - margin - height,
                w=page_w - 2 * margin,
                h=height,
                primary=primary,
            )
            if layout == "ticket-a4":
                notice = _(
                    "Show this code at the gate. One code admits one person; it is checked when scanned."
                )
                _draw(canvas, margin, page_h / 2 - 24, notice, size=9, primary=primary)
            if index != len(cards) - 1:
                canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _join(names: Iterable[str], *, separator: tuple[str, str] = ("、", ", ")) -> str:
    """Names as the reader writes a list: 入口A、入口B in Chinese, Gate A, Gate B in English
    (`separator` gives the Chinese and the English one)."""
    return separator[0 if _primary_font() == CJK_FONT else 1].join(names)


def _when(session) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def _gate_names(credential, gates: dict[str, str]) -> str:
    if not credential.zones:
        return _("Any gate")
    return _join(gates.get(code, code) for code in credential.zones)


def zone_names(codes: Iterable[str], *, venue_ids: Iterable[int]) -> tuple[str, ...]:
    """The names, in the active language, of the venue resources (gates, pistes, courts...) with
    these codes at these venues, in the codes' order; a code no venue knows is kept as it is. For
    badge cards: `CredentialCard(zones=zone_names(credential.zones, venue_ids=...))`."""
    codes = list(codes)
    names: dict[str, str] = {}
    for resource in VenueResource.objects.filter(venue_id__in=list(venue_ids), code__in=codes):
        names.setdefault(resource.code, resource.name)
    return tuple(dict.fromkeys(names.get(code, code) for code in codes))


def ticket_card(ticket, *, gates: dict[str, str] | None = None) -> CredentialCard:
    """The card of one ticket (a Ticket with its order, ticket type, session, holder and credential).
    A real-name ticket shows its holder as the issuing service masked it for the gate (张*明) with
    the document's last four characters, never the full name."""
    credential = ticket.credential
    session = ticket.session
    holder = ""
    if ticket.ticket_type.real_name and credential.holder_label:
        holder = _("Holder: %(name)s") % {"name": credential.holder_label}
        if ticket.holder_document_last4:
            holder = _("%(holder)s (document ending %(last4)s)") % {
                "holder": holder,
                "last4": ticket.holder_document_last4,
            }
    return CredentialCard(
        code=credential_code(credential),
        title=session.event.name,
        subtitle=session.name,
        kind_label=_join((_("Ticket"), ticket.ticket_type.name), separator=("·", " · ")),
        holder=holder,
        price=format_fen(ticket.price_fen),
        number=str(ticket),
        gate=_gate_names(credential, gates or {}),
        lines=(
            _("When: %(when)s") % {"when": _when(session)},
            _("Venue: %(venue)s") % {"venue": session.venue.name},
            _("Address: %(address)s") % {"address": session.venue.address},
            _("Order %(code)s") % {"code": ticket.order.code},
        ),
        footer=str(credential.public_id),
    )


def _gates_by_code(tickets: Iterable) -> dict[str, str]:
    venue_ids = {ticket.session.venue_id for ticket in tickets}
    return {
        gate.code: gate.name
        for gate in VenueResource.objects.filter(venue_id__in=venue_ids, kind=VenueResourceKind.GATE)
    }


def tickets_pdf(tickets: Sequence) -> bytes:
    """One A4 page per ticket. Pass tickets with session, venue, event, type, order and credential
    selected (see selectors.credentials.tickets_for_pdf)."""
    tickets = list(tickets)
    gates = _gates_by_code(tickets)
    cards = [ticket_card(ticket, gates=gates) for ticket in tickets]
    return render_credential_cards(cards, "ticket-a4", title=_("Tickets"))
