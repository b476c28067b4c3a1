"""The merchant's offer form: real controls for every list, limited to what the merchant may name,
round-tripping every kind of offer through create and edit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from events.enums import Discipline
from tests.factories.events import CityFactory, EventFactory, SessionFactory
from tests.factories.tourism import OfferFactory, StoreFactory, counter_world, offer_form_data, staff_of
from tests.html_forms import form_values
from tourism.enums import MerchantRole, OfferStatus
from tourism.models import Offer

pytestmark = pytest.mark.django_db

BASE = {name: str(value) for name, value in offer_form_data().items()}


@pytest.fixture
def world(client):
    world = counter_world()
    world.owner = staff_of(world.store, role=MerchantRole.OWNER)
    world.second_store = StoreFactory(merchant=world.merchant)
    world.other_session = SessionFactory(
        event=world.event, starts_at=world.session.starts_at + dt.timedelta(days=1)
    )
    world.football = EventFactory(programme=world.programme, discipline=Discipline.FOOTBALL)
    client.force_login(world.owner)
    return world


def kinds(world) -> list[dict]:
    """One offer of each kind, together touching every list the form has."""
    nanjing, suzhou = CityFactory(), CityFactory()
    return [
        {
            **BASE,
            "name_en": "percent for chosen events, listed origin, weekends",
            "scope": "events",
            "events": [str(world.event.pk), str(world.football.pk)],
            "origin": "listed",
            "origin_area_prefixes": ["3201", "3206"],
            "weekdays": ["5", "6"],
            "time_from": "11:00",
            "time_until": "21:00",
        },
        {
            **BASE,
            "name_en": "fixed for chosen sessions at chosen stores, not with the other offer",
            "kind": "fixed",
            "percent_off": "",
            "amount_off_fen": "2000",
            "min_bill_fen": "10000",
            "scope": "sessions",
            "sessions": [str(world.session.pk), str(world.other_session.pk)],
            "where": "stores",
            "stores": [str(world.store.pk), str(world.second_store.pk)],
            "exclusions": [str(world.offer.pk)],
            "party_size": "4",
            "subsidy_percent": "50",
            "subsidy_budget_fen": "100000",
        },
        {
            **BASE,
            "name_en": "free entry for chosen sports in listed cities, for delegations",
            "kind": "free_entry",
            "percent_off": "",
            "value_fen": "8000",
            "scope": "disciplines",
            "disciplines": ["football"],
            "where": "cities",
            "cities": [str(nanjing.pk), str(suzhou.pk)],
            "accreditation_roles": ["athlete", "coach"],
            "activation": "on_scan_in",
        },
        {
            **BASE,
            "name_en": "gift between two dates for visitors, with stock",
            "kind": "gift",
            "percent_off": "",
            "value_fen": "3000",
            "origin": "out_of_town",
            "validity": "absolute",
            "valid_from": "2027-05-01",
            "valid_until": "2027-05-31",
            "total_stock": "200",
            "daily_limit": "20",
            "per_person_store_limit": "1",
        },
    ]


def saved(offer: Offer) -> dict:
    """An offer as the form would show it: every field and list, comparable across saves."""
    return {
        "kind": offer.kind,
        "amounts": (offer.percent_off, offer.amount_off_fen, offer.value_fen, offer.min_bill_fen),
        "scope": offer.scope,
        "events": sorted(offer.events.values_list("pk", flat=True)),
        "sessions": sorted(offer.sessions.values_list("pk", flat=True)),
        "disciplines": offer.disciplines,
        "origin": (offer.origin, offer.origin_area_prefixes),
        "accreditation_roles": offer.accreditation_roles,
        "when": (offer.validity, offer.valid_from, offer.valid_until, offer.days_from, offer.days_until),
        "times": (offer.time_from, offer.time_until, offer.weekdays),
        "where": (offer.where, sorted(offer.cities.values_list("pk", flat=True))),
        "stores": sorted(offer.stores.values_list("pk", flat=True)),
        "exclusions": sorted(offer.exclusions.values_list("pk", flat=True)),
        "caps": (offer.total_stock, offer.daily_limit, offer.per_person_store_limit, offer.party_size),
        "subsidy": (offer.subsidy_percent, offer.subsidy_budget_fen),
    }


def expected(world, data: dict) -> dict:
    """What `saved` should read after creating from this data (only what the data names)."""
    ids = lambda name: sorted(int(pk) for pk in data.get(name, []))  # noqa: E731
    return {
        "kind": data["kind"],
        "scope": data["scope"],
        "events": ids("events"),
        "sessions": ids("sessions"),
        "disciplines": data.get("disciplines", []),
        "origin": (data["origin"], data.get("origin_area_prefixes", [])),
        "accreditation_roles": data.get("accreditation_roles", []),
        "where": (data["where"], ids("cities")),
        "stores": ids("stores"),
        "exclusions": ids("exclusions"),
        "subsidy": (
            int(data["subsidy_percent"]),
            int(data["subsidy_budget_fen"]) if "subsidy_budget_fen" in data else None,
        ),
    }


def test_every_kind_of_offer_round_trips_through_create_and_edit(client, world):
    create = reverse("tourism:offer-create", kwargs={"pk": world.merchant.pk})
    for data in kinds(world):
        answer = client.post(create, data)
        assert answer.status_code == 302, answer.context["form"].errors
        offer = Offer.objects.get(name_en=data["name_en"])
        before = saved(offer)
        assert {key: before[key] for key in expected(world, data)} == expected(world, data)

        # The edit page shows every saved choice ticked; posting it back unchanged changes nothing.
        edit = reverse("tourism:offer-edit", kwargs={"pk": offer.pk})
        shown = form_values(client.get(edit).content.decode())
        again = client.post(edit, shown)

        assert again.status_code == 302, again.context["form"].errors
        assert saved(Offer.objects.get(pk=offer.pk)) == before


def test_each_kind_keeps_its_own_amount_and_terms(client, world):
    create = reverse("tourism:offer-create", kwargs={"pk": world.merchant.pk})
    for data in kinds(world):
        client.post(create, data)

    percent, fixed, free, gift = (
        Offer.objects.get(name_en__startswith=word) for word in ("percent", "fixed", "free", "gift")
    )

    assert (percent.percent_off, percent.weekdays, percent.time_from) == (20, [5, 6], dt.time(11, 0))
    assert (fixed.amount_off_fen, fixed.percent_off, fixed.party_size, fixed.status) == (
        2000,
        None,
        4,
        OfferStatus.PENDING,
    )
    assert (free.value_fen, free.activation, free.status) == (8000, "on_scan_in", OfferStatus.LIVE)
    assert (gift.valid_from, gift.valid_until, gift.total_stock, gift.daily_limit) == (
        dt.date(2027, 5, 1),
        dt.date(2027, 5, 31),
        200,
        20,
    )


def test_an_edit_changes_the_lists_and_a_changed_subsidy_waits_for_the_organiser(client, world):
    create = reverse("tourism:offer-create", kwargs={"pk": world.merchant.pk})
    fixed = kinds(world)[1]
    client.post(create, fixed)
    offer = Offer.objects.get(name_en=fixed["name_en"])
    Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.LIVE)  # approved by an organiser
    edit = reverse("tourism:offer-edit", kwargs={"pk": offer.pk})

    client.post(
        edit, {**fixed, "stores": [str(world.store.pk)], "exclusions": [], "name_en": "fixed, one store"}
    )
    kept = Offer.objects.get(pk=offer.pk)
    kept_lists = (list(kept.stores.all()), list(kept.exclusions.all()))
    client.post(edit, {**fixed, "subsidy_percent": "80"})
    changed = Offer.objects.get(pk=offer.pk)

    assert (kept.name_en, kept_lists) == ("fixed, one store", ([world.store], []))
    assert kept.status == OfferStatus.LIVE  # the subsidy terms did not change
    assert (changed.subsidy_percent, changed.status) == (80, OfferStatus.PENDING)


@pytest.mark.parametrize(
    ("field", "foreign"),
    [
        ("stores", lambda world: StoreFactory(merchant__programme=world.programme).pk),
        ("events", lambda world: EventFactory().pk),
        ("sessions", lambda world: SessionFactory().pk),
        ("exclusions", lambda world: OfferFactory().pk),
        ("disciplines", lambda world: "curling"),
        ("origin_area_prefixes", lambda world: "9999"),
        ("weekdays", lambda world: "7"),
        ("accreditation_roles", lambda world: "referee"),
    ],
)
def test_a_choice_the_merchant_may_not_name_is_refused_on_its_field_and_saves_nothing(
    client, world, field, foreign
):
    scopes = {
        "stores": {"where": "stores"},
        "events": {"scope": "events"},
        "sessions": {"scope": "sessions"},
        "disciplines": {"scope": "disciplines"},
        "origin_area_prefixes": {"origin": "listed"},
    }
    data = {**BASE, **scopes.get(field, {}), field: [str(foreign(world))]}
    url = reverse("tourism:offer-create", kwargs={"pk": world.merchant.pk})
    count = Offer.objects.count()

    answer = client.post(url, data)

    assert answer.status_code == 200
    assert field in answer.context["form"].errors
    assert f'id="id_{field}_error"' in answer.content.decode()  # the error is tied to its field
    assert Offer.objects.count() == count


def test_an_edit_of_another_merchants_offer_is_not_found(client, world):
    foreign = OfferFactory(merchant__programme=world.programme)

    answer = client.post(
        reverse("tourism:offer-edit", kwargs={"pk": foreign.pk}), {**BASE, "name_en": "mine now"}
    )

    assert answer.status_code == 404
    assert Offer.objects.get(pk=foreign.pk).name_en != "mine now"


@pytest.mark.parametrize(
    ("language", "legend", "weekday", "needs"),
    [
        ("en", "Who can use it", "Saturday", "Tick at least one."),
        ("zh-hans", "适用对象", "星期六", "请至少勾选一项。"),
    ],
)
def test_the_form_reads_in_both_languages_with_lists_as_checkboxes(
    client, world, language, legend, weekday, needs
):
    url = reverse("tourism:offer-create", kwargs={"pk": world.merchant.pk})

    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    refused = client.post(url, {**BASE, "scope": "events"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f"<legend>{legend}</legend>" in page
    assert weekday in page and 'type="checkbox" name="weekdays"' in page
    assert f'name="stores" value="{world.store.pk}"' in page
    assert f'name="events" value="{world.event.pk}"' in page
    assert "JSON" not in page
    assert needs in refused


def test_lists_offer_only_the_merchants_own_stores_and_its_programmes_events(client, world):
    elsewhere = StoreFactory(merchant__programme=world.programme)
    other_event = EventFactory()
    url = reverse("tourism:offer-create", kwargs={"pk": world.merchant.pk})

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'name="stores" value="{elsewhere.pk}"' not in page
    assert f'name="events" value="{other_event.pk}"' not in page
    assert "Football" in page and "Table tennis" not in page  # the programme's sports only
