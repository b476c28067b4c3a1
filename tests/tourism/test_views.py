"""The stub pages as each role sees them: public offers, the spectator's wallet, merchants' own
pages (application, staff invitation bound to the invited address), the counter and organisers'
approvals."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tests.factories import ProgrammeMembershipFactory, UserFactory, login_two_factor, verified
from tests.factories.checkin import issued_ticket
from tests.factories.tourism import (
    MATCH_DAY_AFTERNOON,
    VALID_CREDIT_CODE,
    MerchantTermsFactory,
    OfferFactory,
    StoreFactory,
    counter_world,
    offer_form_data,
    staff_of,
)
from tests.qr import qr_codes
from ticketing.signing import credential_decode
from tourism.enums import MerchantRole, MerchantStatus, OfferStatus
from tourism.models import Merchant, MerchantMembership, Offer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def match_day():
    with time_machine.travel(MATCH_DAY_AFTERNOON, tick=False):
        yield


def test_public_offers_by_city_and_near_the_venue_with_distance(client):
    world = counter_world()
    far = StoreFactory(merchant=world.merchant, latitude="31.400000", longitude="121.700000")

    by_city = client.get(reverse("tourism:offers"), {"city": world.city.slug})
    near = client.get(reverse("tourism:offers-near-venue", kwargs={"slug": world.session.venue.slug}))

    assert world.offer.name in by_city.content.decode()
    page = near.content.decode()
    assert world.offer.name in page
    assert "公里" in page and world.store.name in page  # the distance from the venue
    assert far.name not in page  # about 30 km away


def test_public_pages_hide_offers_not_live(client):
    world = counter_world()
    Offer.objects.filter(pk=world.offer.pk).update(status=OfferStatus.PENDING)
    page = client.get(reverse("tourism:offers"), {"city": world.city.slug}).content.decode()
    assert world.offer.name not in page


def test_the_wallet_lists_own_stubs_with_offers_valid_now(client):
    world = counter_world()
    owner = world.stub.ticket.order.user
    stranger_stub = issued_ticket(ticket_type=world.ticket_type)  # someone else's ticket, same match
    client.force_login(owner)

    page = client.get(reverse("tourism:stub-wallet")).content.decode()

    assert world.offer.name in page
    assert str(world.stub.ticket.credential.public_id) in page
    assert str(stranger_stub.credential.public_id) not in page


def test_the_stub_page_shows_a_rotating_code_and_the_ticket_fallback(client):
    world = counter_world()
    client.force_login(world.stub.ticket.order.user)
    public_id = world.stub.ticket.credential.public_id

    page = client.get(reverse("tourism:stub-detail", kwargs={"public_id": public_id})).content.decode()
    image = client.get(reverse("tourism:stub-qr", kwargs={"public_id": public_id}))

    assert reverse("ticketing:ticket-detail", kwargs={"public_id": public_id}) in page
    assert "no-store" in image["Cache-Control"]
    (code,) = qr_codes(image.content)
    decoded = credential_decode(code)
    assert decoded.kind == "stub" and decoded.public_id == world.stub.credential.public_id
    assert (decoded.valid_until - decoded.valid_from).total_seconds() == 60


def test_another_spectator_gets_404_for_a_stub(client):
    world = counter_world()
    client.force_login(verified(UserFactory()))
    url = reverse("tourism:stub-detail", kwargs={"public_id": world.stub.ticket.credential.public_id})
    assert client.get(url).status_code == 404


def test_a_merchant_applies_with_a_checked_credit_code(client):
    world = counter_world()
    MerchantTermsFactory()
    applicant = verified(UserFactory())
    client.force_login(applicant)
    form = {
        "name_zh": "濠河茶馆",
        "name_en": "Haohe Teahouse",
        "category": "restaurant",
        "city": world.city.pk,
        "contact_phone": "0513-1234567",
        "accept_terms": "on",
        "store_name_zh": "濠河店",
        "store_city": world.city.pk,
        "address_zh": "濠东路1号",
        "latitude": "32.0",
        "longitude": "120.8",
        "opens": "10:00",
        "closes": "22:00",
    }

    typo = client.post(
        reverse("tourism:merchant-apply"), {**form, "credit_code": VALID_CREDIT_CODE[:-1] + "4"}
    )
    done = client.post(reverse("tourism:merchant-apply"), {**form, "credit_code": VALID_CREDIT_CODE.lower()})

    assert typo.status_code == 400 and "校验位不符" in typo.content.decode()
    merchant = Merchant.objects.get(name_en="Haohe Teahouse")
    assert done.status_code == 302
    assert merchant.status == MerchantStatus.APPLIED and merchant.credit_code == VALID_CREDIT_CODE
    assert merchant.terms is not None and merchant.stores.get().opening_hours["0"] == [["10:00", "22:00"]]
    assert merchant.memberships.get(user=applicant).role == MerchantRole.OWNER


def test_staff_invitation_is_bound_to_the_invited_address(client, django_capture_on_commit_callbacks):
    world = counter_world()
    owner = staff_of(world.store, role=MerchantRole.OWNER)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("tourism:staff-invite", kwargs={"pk": world.merchant.pk}),
            {"email": "cashier@example.com", "store": world.store.pk},
        )
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[-1]

    client.force_login(verified(UserFactory(email="someone-else@example.com")))
    wrong = client.post(path, follow=True)
    cashier = verified(UserFactory(email="cashier@example.com"))
    client.force_login(cashier)
    right = client.post(path)

    assert "另一个邮箱" in wrong.content.decode()  # the same sentence as delegation invitations
    assert right.status_code == 302
    membership = MerchantMembership.objects.get(user=cashier)
    assert membership.store == world.store and membership.invitation_token_hash == ""


def test_counter_staff_bound_to_one_store_reach_only_that_store(client):
    world = counter_world()
    sister = StoreFactory(merchant=world.merchant)
    client.force_login(world.staff)
    assert client.get(reverse("tourism:counter", kwargs={"pk": world.store.pk})).status_code == 200
    assert client.get(reverse("tourism:counter", kwargs={"pk": sister.pk})).status_code == 404
    mine = client.get(reverse("tourism:merchant-list")).content.decode()
    assert world.store.name in mine and sister.name not in mine
    page = client.get(reverse("tourism:merchant-detail", kwargs={"pk": world.merchant.pk})).content.decode()
    assert world.store.name in page and sister.name not in page
    client.force_login(staff_of(world.store, role=MerchantRole.OWNER))
    page = client.get(reverse("tourism:merchant-detail", kwargs={"pk": world.merchant.pk})).content.decode()
    assert world.store.name in page and sister.name in page


def test_organiser_approves_a_merchant_and_refuses_a_subsidised_offer_with_a_reason(client):
    world = counter_world()
    Merchant.objects.filter(pk=world.merchant.pk).update(status=MerchantStatus.APPLIED)
    pending = OfferFactory(merchant=world.merchant, status=OfferStatus.PENDING, subsidy_percent=50)
    organiser = ProgrammeMembershipFactory(programme=world.programme).user
    login_two_factor(client, organiser)

    queue = client.get(reverse("tourism:organiser-merchants", kwargs={"pk": world.programme.pk}))
    client.post(
        reverse("tourism:organiser-merchant-decision", kwargs={"pk": world.merchant.pk}),
        {"decision": "approve"},
    )
    no_reason = client.post(
        reverse("tourism:organiser-offer-decision", kwargs={"pk": pending.pk}),
        {"decision": "refuse"},
        follow=True,
    )
    refused = client.post(
        reverse("tourism:organiser-offer-decision", kwargs={"pk": pending.pk}),
        {"decision": "refuse", "reason": "budget closed"},
    )

    assert world.merchant.name in queue.content.decode() and pending.name in queue.content.decode()
    assert Merchant.objects.get(pk=world.merchant.pk).status == MerchantStatus.APPROVED
    assert "请说明拒绝理由" in no_reason.content.decode()
    assert refused.status_code == 302
    pending.refresh_from_db()
    assert pending.status == OfferStatus.REFUSED and pending.refusal_reason == "budget closed"


def test_an_organiser_of_another_programme_cannot_decide(client):
    world = counter_world()
    Merchant.objects.filter(pk=world.merchant.pk).update(status=MerchantStatus.APPLIED)
    login_two_factor(client, ProgrammeMembershipFactory().user)
    answer = client.post(
        reverse("tourism:organiser-merchant-decision", kwargs={"pk": world.merchant.pk}),
        {"decision": "approve"},
    )
    assert answer.status_code == 404
    assert Merchant.objects.get(pk=world.merchant.pk).status == MerchantStatus.APPLIED


def test_owner_creates_an_offer_live_at_once_or_pending_when_subsidised(client):
    world = counter_world()
    owner = staff_of(world.store, role=MerchantRole.OWNER)
    client.force_login(owner)
    base = offer_form_data(
        name_zh="满百减二十",
        name_en="20 off 100",
        kind="fixed",
        percent_off="",
        amount_off_fen=2000,
        min_bill_fen=10000,
        party_size=4,
    )
    url = reverse("tourism:offer-create", kwargs={"pk": world.merchant.pk})

    client.post(url, base)
    client.post(url, {**base, "name_en": "subsidised", "subsidy_percent": 50, "subsidy_budget_fen": 100000})
    staff_answer = client.post(url, base) if client.force_login(world.staff) is None else None

    assert Offer.objects.get(name_en="20 off 100").status == OfferStatus.LIVE
    assert Offer.objects.get(name_en="subsidised").status == OfferStatus.PENDING
    assert staff_answer.status_code == 404  # counter staff do not manage offers


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Type the 12-character code printed under the ticket"), ("zh-hans", "票面二维码下方的12位")],
)
def test_the_counter_page_offers_the_manual_code_in_both_languages(client, language, expected):
    world = counter_world()
    client.force_login(world.staff)

    page = client.get(
        reverse("tourism:counter", kwargs={"pk": world.store.pk}), HTTP_ACCEPT_LANGUAGE=language
    )

    assert expected in page.content.decode()
    assert 'aria-describedby="counter-code-help"' in page.content.decode()
