"""Ticket and badge PDFs: Chinese text comes back out, and the QR image decodes to a code that verifies."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.factories import EventFactory, SessionFactory, VenueResourceFactory
from tests.factories.checkin import BadgeCredentialFactory, issued_ticket
from tests.factories.ticketing import TicketTypeFactory
from tests.qr import qr_codes, qr_codes_on
from ticketing.rendering.pdf import (
    CredentialCard,
    credential_qr_png,
    render_credential_cards,
    tickets_pdf,
)
from ticketing.signing import credential_code, credential_decode

pytestmark = pytest.mark.django_db


def test_ticket_pdf_prints_chinese_event_venue_gate_holder_and_a_scannable_qr():
    event = EventFactory(name_zh="沪宁沿线青少年击剑邀请赛", name_en="Corridor Fencing")
    session = SessionFactory(event=event, name_zh="小组赛", name_en="Pools")
    VenueResourceFactory(venue=session.venue, code="gate-a", name_zh="入口A", name_en="Gate A")
    ticket_type = TicketTypeFactory(session=session, real_name=True, name_zh="成人票", name_en="Adult")
    ticket = issued_ticket(ticket_type=ticket_type, holder_name="王小明", zones=["gate-a"])

    pdf = tickets_pdf([ticket])

    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "沪宁沿线青少年击剑邀请赛" in text
    assert "小组赛" in text
    assert session.venue.name_zh in text
    assert "入口A" in text
    assert "王小明" in text
    [code] = qr_codes_on(reader.pages[0])
    assert code == credential_code(ticket.credential)
    assert credential_decode(code).public_id == ticket.credential.public_id


def test_order_pdf_has_one_page_per_ticket_each_with_its_own_code():
    first = issued_ticket()
    second = issued_ticket(user=first.order.user, ticket_type=first.ticket_type)

    reader = PdfReader(io.BytesIO(tickets_pdf([first, second])))

    assert len(reader.pages) == 2
    assert qr_codes_on(reader.pages[0]) == [credential_code(first.credential)]
    assert qr_codes_on(reader.pages[1]) == [credential_code(second.credential)]


def test_badge_sheet_puts_four_a6_cards_on_each_a4_page():
    badges = [BadgeCredentialFactory() for _ in range(5)]
    cards = [
        CredentialCard(
            code=credential_code(badge),
            title="沪宁沿线青少年击剑邀请赛",
            subtitle="教练 Coach",
            kind_label="证件 Accreditation",
            holder=f"李雷 {index}",
        )
        for index, badge in enumerate(badges)
    ]

    reader = PdfReader(io.BytesIO(render_credential_cards(cards, "a6-on-a4")))

    assert len(reader.pages) == 2
    assert "李雷 3" in reader.pages[0].extract_text()
    assert sorted(qr_codes_on(reader.pages[0])) == sorted(card.code for card in cards[:4])
    assert qr_codes_on(reader.pages[1]) == [cards[4].code]


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="layout"):
        render_credential_cards([], "poster")


def test_credential_qr_png_decodes_back_to_the_signed_code():
    badge = BadgeCredentialFactory()

    [code] = qr_codes(credential_qr_png(badge))

    assert code == credential_code(badge)


def test_ticket_email_carries_the_order_pdf(mailoutbox):
    from ticketing.tasks import order_send_tickets

    ticket = issued_ticket()

    order_send_tickets(ticket.order.pk)

    [message] = mailoutbox
    [(name, content, mimetype)] = message.attachments
    assert name == f"tickets-{ticket.order.code}.pdf"
    assert mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(content))
    assert ticket.session.event.name_zh in reader.pages[0].extract_text()
    assert qr_codes_on(reader.pages[0]) == [credential_code(ticket.credential)]


def test_demo_gate_seeds_the_same_token_twice_and_stores_only_its_hash():
    from events import demo as events_demo
    from ticketing import demo_gate
    from ticketing.models import GateDevice, GateStaffAssignment
    from ticketing.services.gate_devices import gate_device_authenticate

    events_demo.seed()
    demo_gate.seed()
    first = demo_gate.announce()
    demo_gate.seed()

    token = demo_gate.demo_device_token()
    assert token in first
    assert first == demo_gate.announce()
    assert GateDevice.objects.count() == 1
    assert GateStaffAssignment.objects.get().venue.slug == "putuo-sports-centre"
    assert not GateDevice.objects.filter(token_hash=token).exists()
    assert gate_device_authenticate(token).event.slug == "fencing-u12-men-epee"  # on today


# --- badge photos -------------------------------------------------------------------------------


def photo_jpeg(size: tuple[int, int] = (300, 400), colour: str = "#c0504d") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def badge_card(photo: bytes | None = None) -> CredentialCard:
    return CredentialCard(
        code=credential_code(BadgeCredentialFactory()),
        title="沪宁沿线青少年击剑邀请赛",
        subtitle="运动员 Athlete",
        kind_label="证件 Accreditation",
        holder="欧阳娜娜 OUYANG Nana",
        photo=photo,
    )


def image_sizes(page) -> list[tuple[int, int]]:
    return sorted(Image.open(io.BytesIO(image.data)).size for image in page.images)


@pytest.mark.parametrize("layout", ["a6-on-a4", "a6"])
def test_badge_with_a_photo_prints_the_photo_beside_a_qr_that_still_scans(layout):
    from django.utils import translation

    card = badge_card(photo_jpeg())

    with translation.override("en"):
        reader = PdfReader(io.BytesIO(render_credential_cards([card], layout)))

    page = reader.pages[0]
    assert len(page.images) == 2  # the photo and the QR
    assert (300, 400) in image_sizes(page)  # embedded as it came, not re-scaled
    assert qr_codes_on(page) == [card.code]
    assert "No photo" not in page.extract_text()


@pytest.mark.parametrize(("language", "placeholder"), [("en", "No photo"), ("zh-hans", "无照片")])
def test_badge_without_a_photo_shows_the_placeholder_and_only_the_qr(language, placeholder):
    from django.utils import translation

    card = badge_card()

    with translation.override(language):
        reader = PdfReader(io.BytesIO(render_credential_cards([card], "a6-on-a4")))

    page = reader.pages[0]
    assert len(page.images) == 1
    assert qr_codes_on(page) == [card.code]
    assert placeholder in page.extract_text().replace("\n", "")


@pytest.mark.parametrize(
    "photo",
    [b"not an image at all", photo_jpeg()[:300], b"\xff\xd8\xff\xe0" + b"\x00" * 64, b"GIF89a"],
    ids=["garbage", "truncated-jpeg", "jpeg-header-only", "gif-header-only"],
)
def test_a_corrupt_photo_falls_back_to_the_placeholder_without_crashing(photo):
    from django.utils import translation

    cards = [badge_card(photo), badge_card(photo_jpeg())]

    with translation.override("en"):
        reader = PdfReader(io.BytesIO(render_credential_cards(cards, "a6-on-a4")))

    page = reader.pages[0]
    assert "No photo" in page.extract_text()
    assert len(page.images) == 3  # two QR codes and the second card's photo
    assert sorted(qr_codes_on(page)) == sorted(card.code for card in cards)


def test_tickets_never_print_a_photo():
    card = badge_card(photo_jpeg())

    reader = PdfReader(io.BytesIO(render_credential_cards([card], "ticket-a4")))

    assert len(reader.pages[0].images) == 1
    assert qr_codes_on(reader.pages[0]) == [card.code]


def test_ticket_pdf_prints_the_manual_code_under_the_qr():
    ticket = issued_ticket(ticket_type=TicketTypeFactory())
    credential = ticket.credential

    pdf = tickets_pdf([ticket])

    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert credential.short_code_display in text
    assert credential.short_code_display.replace("-", "") == credential.short_code
    [code] = qr_codes_on(reader.pages[0])  # the longer text under the QR leaves it scannable
    assert code == credential_code(credential)
