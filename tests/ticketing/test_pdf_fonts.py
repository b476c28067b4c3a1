"""The PDF fonts: embedded, complete for GB 2312, a glyph for every character the demo draws, and the
reader's language's face."""

from __future__ import annotations

import ast
import io
import unicodedata
from pathlib import Path

import polib
import pytest
from django.utils import translation
from pypdf import PdfReader

from tests.factories import EventFactory, SessionFactory, VenueResourceFactory
from tests.factories.checkin import BadgeCredentialFactory, issued_ticket
from tests.factories.ticketing import TicketTypeFactory
from ticketing.rendering.pdf import (
    CJK_FONT,
    LATIN_FONT,
    CredentialCard,
    _fonts,
    _width,
    _wrap,
    missing_glyphs,
    render_credential_cards,
    tickets_pdf,
    zone_names,
)
from ticketing.services.orders import mask_name
from ticketing.signing import credential_code

ROOT = Path(__file__).resolve().parents[2]
DEMO_MODULES = [
    "events/demo.py",
    "events/demodata/places.py",
    "events/demodata/season.py",
    "ticketing/demo.py",
    "ticketing/demo_gate.py",
    "registration/services/demo.py",
    "tourism/demo.py",
]
PUNCTUATION = "·：，—–¥0123456789（）、。“”《》！？；…"


def gb2312() -> str:
    chars = []
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def demo_strings() -> str:
    """Every string literal of the demo modules (names in both languages, the parts of f-strings)
    and every Chinese and English text of the ticketing catalogue (the cards' labels)."""
    texts = [PUNCTUATION]
    for module in DEMO_MODULES:
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        texts += [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
    for entry in polib.pofile(str(ROOT / "ticketing/locale/zh_Hans/LC_MESSAGES/django.po")):
        texts += [entry.msgid, entry.msgstr]
    return "".join(char for char in "".join(texts) if unicodedata.category(char) != "Cc")  # no line breaks


def test_the_chinese_face_has_every_character_of_gb2312():
    characters = gb2312()

    assert len(characters) == 7445
    assert [char for char in characters if ord(char) not in _fonts()[CJK_FONT]] == []


def test_every_character_of_the_demo_has_a_glyph_in_both_languages():
    text = demo_strings()
    assert "沪宁" in text
    assert "Fencing" in text

    assert missing_glyphs(text, primary=CJK_FONT) == set()
    assert missing_glyphs(text, primary=LATIN_FONT) == set()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_character_of_the_demo_draws_into_a_pdf_with_embedded_fonts(language):
    text = "".join(sorted(set(demo_strings())))
    chunks = [text[start : start + 200] for start in range(0, len(text), 200)]
    card = CredentialCard(code="X", title=chunks[0], lines=tuple(chunks[1:]))

    with translation.override(language):
        reader = PdfReader(io.BytesIO(render_credential_cards([card], "a6")))

    assert embedded_fonts(reader)


def embedded_fonts(reader: PdfReader) -> dict[str, str]:
    """Each font on every page, by its base name, with the stream that embeds it; fails on any font
    (a CID font like STSong-Light, a standard 14 font) that the PDF does not carry."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor_holder = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descriptor_holder.get("/FontDescriptor")
            assert descriptor is not None, f"{font['/BaseFont']} is not embedded"
            assert "/FontFile2" in descriptor.get_object(), f"{font['/BaseFont']} has no TrueType program"
            fonts[str(font["/BaseFont"])] = str(font["/Subtype"])
    return fonts


@pytest.mark.django_db
def test_ticket_pdf_embeds_its_fonts_and_reads_back_in_both_languages():
    event = EventFactory(name_zh="沪宁沿线青少年击剑邀请赛", name_en="Corridor Youth Fencing Invitational")
    session = SessionFactory(event=event, name_zh="小组赛", name_en="Pools")
    VenueResourceFactory(venue=session.venue, code="gate-a", name_zh="入口A", name_en="Gate A")
    ticket_type = TicketTypeFactory(
        session=session, real_name=True, name_zh="成人票", name_en="Adult", price_fen=8000
    )
    ticket = issued_ticket(ticket_type=ticket_type, holder_name=mask_name("王小明"), zones=["gate-a"])
    ticket.holder_name = "王小明"
    ticket.holder_document_last4 = "002X"
    ticket.save()
    ticket.refresh_from_db()

    with translation.override("zh-hans"):
        chinese = PdfReader(io.BytesIO(tickets_pdf([ticket])))
    with translation.override("en"):
        english = PdfReader(io.BytesIO(tickets_pdf([ticket])))

    chinese_fonts, english_fonts = embedded_fonts(chinese), embedded_fonts(english)
    assert {name.split("+")[1] for name in chinese_fonts} == {"NotoSansSC-Regular"}
    assert "NotoSans-Regular" in {name.split("+")[1] for name in english_fonts}  # English in the Latin face
    assert set(chinese_fonts.values()) == set(english_fonts.values()) == {"/TrueType"}

    text = chinese.pages[0].extract_text()
    for expected in [
        "沪宁沿线青少年击剑邀请赛",
        "小组赛",
        "门票·成人票",
        "¥80.00",
        "入口：入口A",
        "持票人：王*明（证件尾号 002X）",
    ]:
        assert expected in text
    assert f"票号：{ticket}" in text
    assert "王小明" not in text  # a real-name ticket prints the holder masked, as the gate shows it

    text = english.pages[0].extract_text()
    for expected in [
        "Corridor Youth Fencing Invitational",
        "Pools",
        "Ticket · Adult",
        "¥80.00",
        "Gate: Gate A",
        "Holder: 王*明 (document ending 002X)",  # the name in Noto Sans SC, on the same line
    ]:
        assert expected in text
    assert f"Ticket no. {ticket}" in text
    assert "王小明" not in text


@pytest.mark.django_db
def test_badges_name_their_zones_in_the_readers_language():
    event = EventFactory()
    session = SessionFactory(event=event)
    VenueResourceFactory(venue=session.venue, code="gate-a", name_zh="入口A", name_en="Gate A")
    VenueResourceFactory(
        venue=session.venue, code="piste-4", name_zh="4号剑道", name_en="Piste 4", kind="piste"
    )
    badge = BadgeCredentialFactory()

    def sheet():
        zones = zone_names(["gate-a", "piste-4", "vip"], venue_ids=[session.venue_id])
        card = CredentialCard(code=credential_code(badge), title=event.name, kind_label="Badge", zones=zones)
        return PdfReader(io.BytesIO(render_credential_cards([card], "a6-on-a4"))).pages[0].extract_text()

    with translation.override("zh-hans"):
        assert "区域：入口A、4号剑道、vip" in sheet()
    with translation.override("en"):
        text = sheet()
    assert "Zones: Gate A, Piste 4, vip" in text
    assert "gate-a" not in text


def test_english_lines_break_between_words_and_chinese_between_characters():
    with translation.override("en"):
        _fonts()
        lines = _wrap(
            "Corridor Youth Fencing Invitational U12 Men's Foil", width=90, size=10, primary=LATIN_FONT
        )

    assert len(lines) > 2
    assert " ".join(lines) == "Corridor Youth Fencing Invitational U12 Men's Foil"
    chinese = _wrap("沪宁沿线青少年击剑邀请赛U12男子花剑", width=60, size=10, primary=CJK_FONT)
    assert "".join(chinese) == "沪宁沿线青少年击剑邀请赛U12男子花剑"
    assert chinese[0] == "沪宁沿线青少"  # six 10-point hanzi fill 60 points
    assert all(_width(line, size=10, primary=CJK_FONT) <= 60 for line in chinese)


def test_tickets_rendered_one_after_another_each_read_back_their_own_text():
    """Subsets are cached across documents: a cached subset must never give one ticket another's text."""
    texts = []
    with translation.override("zh-hans"):
        for number, holder in [
            ("QX7-1", "持票人：王*明"),
            ("ZK9-2", "持票人：李*雷"),
            ("QX7-1", "持票人：王*明"),
        ]:
            card = CredentialCard(code="X", title="沪宁击剑", holder=holder, number=number, gate="入口B")
            texts.append(
                PdfReader(io.BytesIO(render_credential_cards([card], "ticket-a4"))).pages[0].extract_text()
            )

    assert "票号：QX7-1" in texts[0]
    assert "王*明" in texts[0]
    assert "票号：ZK9-2" in texts[1]
    assert "李*雷" in texts[1]
    assert "王" not in texts[1]
    assert texts[2] == texts[0]
