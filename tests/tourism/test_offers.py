"""Offer services: create and update refuse what an offer of this merchant may not name; an update
keeps the running totals and sends a subsidised offer back to the organiser when its terms change."""

from __future__ import annotations

import pytest

from tests.factories.events import SessionFactory
from tests.factories.tourism import OfferFactory, StoreFactory, counter_world
from tourism.enums import OfferStatus
from tourism.errors import OfferError
from tourism.models import Offer
from tourism.services.offers import offer_create, offer_update

pytestmark = pytest.mark.django_db

FIELDS = {"name_zh": "九折", "name_en": "10% off", "kind": "percentage", "percent_off": 10}


@pytest.mark.parametrize(
    ("relations", "fields"),
    [
        ({"sessions": "foreign_session"}, {}),
        ({"stores": "foreign_store"}, {}),
        ({}, {"disciplines": ["curling"]}),
        ({}, {"weekdays": [7]}),
        ({}, {"origin_area_prefixes": ["32x6"]}),
        ({}, {"accreditation_roles": ["referee"]}),
    ],
)
def test_create_refuses_what_the_merchant_may_not_name_and_writes_nothing(relations, fields):
    world = counter_world()
    foreign = {"foreign_session": SessionFactory(), "foreign_store": StoreFactory()}
    count = Offer.objects.count()

    with pytest.raises(OfferError):
        offer_create(
            merchant=world.merchant,
            created_by=None,
            fields={**FIELDS, **fields},
            **{name: [foreign[key]] for name, key in relations.items()},
        )

    assert Offer.objects.count() == count


def test_an_update_keeps_the_redemptions_counted_since_the_form_was_opened():
    world = counter_world(total_stock=50)
    stale = Offer.objects.get(pk=world.offer.pk)  # the owner opens the form
    Offer.objects.filter(pk=stale.pk).update(redeemed_count=7)  # the counter redeems meanwhile

    offer_update(offer=stale, fields={"name_en": "Renamed"}, relations={})

    offer = Offer.objects.get(pk=stale.pk)
    assert (offer.name_en, offer.redeemed_count) == ("Renamed", 7)


def test_an_update_cannot_cut_the_stock_below_what_was_redeemed():
    world = counter_world(total_stock=50)
    Offer.objects.filter(pk=world.offer.pk).update(redeemed_count=7)

    with pytest.raises(OfferError):
        offer_update(offer=world.offer, fields={"total_stock": 5}, relations={})

    assert Offer.objects.get(pk=world.offer.pk).total_stock == 50


def test_a_withdrawn_offer_is_not_changed():
    offer = OfferFactory(status=OfferStatus.WITHDRAWN)

    with pytest.raises(OfferError):
        offer_update(offer=offer, fields={"name_en": "Back"}, relations={})

    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.WITHDRAWN


def test_a_refused_subsidised_offer_edited_goes_back_for_approval_and_one_without_subsidy_goes_live():
    refused = OfferFactory(subsidy_percent=50, status=OfferStatus.REFUSED, refusal_reason="Too generous")
    unsubsidised = OfferFactory(subsidy_percent=50, status=OfferStatus.PENDING)

    offer_update(offer=refused, fields={"percent_off": 10}, relations={})
    offer_update(offer=unsubsidised, fields={"subsidy_percent": 0}, relations={})

    again = Offer.objects.get(pk=refused.pk)
    assert (again.status, again.refusal_reason) == (OfferStatus.PENDING, "")
    assert Offer.objects.get(pk=unsubsidised.pk).status == OfferStatus.LIVE
