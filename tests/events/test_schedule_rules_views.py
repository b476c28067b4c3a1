"""The organiser's schedule rules: the travel-time matrix and children's limits by age band, edited in
the browser, checked, bilingual, and used by the schedule's move check and builder at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from events.enums import StageKind
from events.models import AgeBandLimit, Match, Placement, Stage, TravelTime
from events.services import schedule as services
from tests.factories import ProgrammeMembershipFactory, login_two_factor, verified
from tests.factories.competition import CompetitorFactory, FencingEventFactory
from tests.factories.events import SessionFactory, VenueFactory
from tests.factories.schedule import drawn_event, local, pistes

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def event():
    return drawn_event(count=6, piste_count=2)


@pytest.fixture
def organiser(client, event):
    user = verified(ProgrammeMembershipFactory(programme=event.programme).user)
    login_two_factor(client, user)
    return user


@pytest.fixture
def second_venue(event):
    """A second venue in the same city with an event of the programme whose only bout has a fencer
    of `event` in it: (the shared fencer's bout in `event`, the bout at the second venue)."""
    venue = VenueFactory(city=event.venue.city, name_zh="第二体育馆", name_en="Second Arena")
    (piste,) = pistes(venue, 1)
    other = FencingEventFactory(
        programme=event.programme,
        venue=venue,
        host_city=venue.city,
        start_date=event.start_date,
        end_date=event.end_date,
    )
    SessionFactory(event=other, starts_at=local(event.start_date, 9), ends_at=local(event.start_date, 18))
    first = Match.objects.filter(stage__event=event).order_by("sequence").first()
    shared = first.left
    stage = Stage.objects.create(event=other, kind=StageKind.POOLS, order=1)
    bout = Match.objects.create(
        stage=stage,
        code="P1-01",
        pool=1,
        sequence=1,
        left=CompetitorFactory(event=other, key="shared", person_keys=shared.person_keys),
        right=CompetitorFactory(event=other),
    )
    return venue, piste, first, bout


def travel_url(event, **query) -> str:
    url = reverse("events:schedule-travel", args=[event.programme.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_travel_matrix_lists_every_venue_and_city_with_the_defaults(
    client, event, organiser, second_venue
):
    venue, *_rest = second_venue
    body = text(client.get(travel_url(event), HTTP_ACCEPT_LANGUAGE="en"))
    assert event.venue.name_en in body and "Second Arena" in body and event.venue.city.name_en in body
    # symmetric: one field per pair of venues, none for a venue to itself (always 0)
    assert f'name="venue_{event.venue.pk}_{venue.pk}"' in body
    assert f'name="venue_{venue.pk}_{event.venue.pk}"' not in body
    assert f'name="venue_{venue.pk}_{venue.pk}"' not in body
    assert 'placeholder="45"' in body  # the same-city default shows where nothing is entered
    assert 'class="table-scroll"' in body
    assert f"From {event.venue.name_en} to Second Arena (minutes)" in body or (
        f"From Second Arena to {event.venue.name_en} (minutes)" in body
    )


def test_a_move_is_refused_once_the_organiser_raises_the_travel_time(client, event, organiser, second_venue):
    venue, piste, first, bout = second_venue
    home = event.venue
    services.placement_move(
        programme=event.programme,
        match=first,
        resource=home.resources.filter(kind="piste").first(),
        starts_at=local(event.start_date, 10),
    )
    response = client.post(
        travel_url(event), {f"venue_{min(home.pk, venue.pk)}_{max(home.pk, venue.pk)}": "20"}
    )
    assert response.status_code == 302
    assert TravelTime.objects.get(programme=event.programme).minutes == 20
    # 10:00-10:10 at home, then 10:40 at the second venue: 30 minutes, enough for 20 of travel.
    services.placement_move(
        programme=event.programme, match=bout, resource=piste, starts_at=local(event.start_date, 10, 40)
    )
    client.post(travel_url(event), {f"venue_{min(home.pk, venue.pk)}_{max(home.pk, venue.pk)}": "60"})
    response = client.post(
        reverse("events:schedule-move", args=[event.programme.slug]),
        {"match": bout.pk, "resource": piste.pk, "starts_at": f"{event.start_date:%Y-%m-%d}T10:40"},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert "travel" in response.json()["codes"]
    assert any("needs 60 minutes to travel" in reason for reason in response.json()["reasons"])


def test_travel_times_out_of_range_are_refused_in_both_languages_and_nothing_is_saved(
    client, event, organiser, second_venue
):
    venue = second_venue[0]
    name = f"venue_{min(event.venue.pk, venue.pk)}_{max(event.venue.pk, venue.pk)}"
    for value, language, message in (
        ("1441", "en", "less than or equal to 1440"),
        ("-5", "en", "greater than or equal to 0"),
        ("ten", "en", "Enter a whole number."),
        ("1441", "zh-hans", "1440"),
    ):
        response = client.post(travel_url(event), {name: value}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400 and message in text(response)
        assert f'id="id_{name}_error"' in text(response) or "errorlist" in text(response)
    assert "确保" in text(response)  # Django's own message, in Chinese
    assert not TravelTime.objects.exists()


def test_each_way_times_are_kept_apart_and_blank_cells_return_to_the_default(
    client, event, organiser, second_venue
):
    venue = second_venue[0]
    home = event.venue
    client.post(
        travel_url(event),
        {"each_way": "True", f"venue_{home.pk}_{venue.pk}": "30", f"venue_{venue.pk}_{home.pk}": "50"},
    )
    stored = {(t.from_venue_id, t.to_venue_id): t.minutes for t in TravelTime.objects.all()}
    assert stored == {(home.pk, venue.pk): 30, (venue.pk, home.pk): 50}
    body = text(client.get(travel_url(event), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Different times each way" in body and f'name="venue_{venue.pk}_{home.pk}"' in body
    city = home.city
    client.post(travel_url(event, each_way=0), {f"city_{city.pk}_{city.pk}": "15"})
    assert {(t.from_city_id, t.to_city_id, t.minutes) for t in TravelTime.objects.all()} == {
        (city.pk, city.pk, 15)
    }


def test_a_venue_to_itself_cannot_be_given_a_travel_time(client, event, organiser):
    home = event.venue
    client.post(travel_url(event), {f"venue_{home.pk}_{home.pk}": "30"})
    assert not TravelTime.objects.exists()
    body = text(client.get(travel_url(event), HTTP_ACCEPT_LANGUAGE="en"))
    assert f'name="venue_{home.pk}_{home.pk}"' not in body and '<td class="fixed">0</td>' in body


def test_rules_pages_are_linked_from_the_schedule_and_translated(client, event, organiser):
    grid = text(
        client.get(
            reverse("events:schedule-grid", args=[event.programme.slug]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    )
    assert (
        travel_url(event) in grid
        and reverse("events:schedule-age-bands", args=[event.programme.slug]) in grid
    )
    body = text(client.get(travel_url(event), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "路程时间" in body and "场馆之间" in body


def test_rules_pages_are_not_for_other_organisers(client, event):
    login_two_factor(client, verified(ProgrammeMembershipFactory().user))
    limit = AgeBandLimit.objects.create(programme=event.programme, band="U12", max_matches_per_day=3)
    slug = event.programme.slug
    for url in (
        travel_url(event),
        reverse("events:schedule-age-bands", args=[slug]),
        reverse("events:schedule-age-band-edit", args=[slug, limit.pk]),
        reverse("events:schedule-age-band-delete", args=[slug, limit.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"band": "U12", "max_matches_per_day": 1}).status_code == 404
    limit.refresh_from_db()
    assert limit.max_matches_per_day == 3


# ---- children's limits by age band ----------------------------------------------------------------


def bands_url(event) -> str:
    return reverse("events:schedule-age-bands", args=[event.programme.slug])


def test_organiser_adds_changes_and_deletes_a_bands_limits_after_a_confirmation(client, event, organiser):
    response = client.post(
        bands_url(event),
        {"band": "U12", "max_matches_per_day": "3", "earliest_start": "09:30", "latest_start": "16:00"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    limit = AgeBandLimit.objects.get(programme=event.programme)
    assert (limit.band, limit.max_matches_per_day, limit.earliest_start) == ("U12", 3, dt.time(9, 30))
    assert "Limits for U12 saved." in text(response) and "09:30" in text(response)
    edit = reverse("events:schedule-age-band-edit", args=[event.programme.slug, limit.pk])
    assert 'value="3"' in text(client.get(edit))
    client.post(edit, {"band": "U12", "max_matches_per_day": "2", "earliest_start": "", "latest_start": ""})
    limit.refresh_from_db()
    assert (limit.max_matches_per_day, limit.earliest_start) == (2, None)
    delete = reverse("events:schedule-age-band-delete", args=[event.programme.slug, limit.pk])
    confirm = client.get(delete, HTTP_ACCEPT_LANGUAGE="en")
    assert "Delete the limits for U12?" in text(confirm) and AgeBandLimit.objects.exists()
    client.post(delete)
    assert not AgeBandLimit.objects.exists()


@pytest.mark.parametrize(
    ("data", "language", "message"),
    [
        ({"max_matches_per_day": "0"}, "en", "greater than or equal to 1"),
        ({"earliest_start": "16:00", "latest_start": "09:00"}, "en", "The earliest start must come before"),
        ({"earliest_start": "10:00", "latest_start": "10:00"}, "zh-hans", "最早开始时间必须早于最晚开始时间"),
        ({"band": "U99"}, "en", "Select a valid choice"),
    ],
)
def test_impossible_limits_are_refused_with_the_reason(client, event, organiser, data, language, message):
    response = client.post(bands_url(event), {"band": "U12", **data}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400 and message in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert not AgeBandLimit.objects.exists()


def test_a_band_is_limited_once(client, event, organiser):
    AgeBandLimit.objects.create(programme=event.programme, band="U12", max_matches_per_day=3)
    response = client.post(
        bands_url(event), {"band": "U12", "max_matches_per_day": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "U12 already has limits: change those instead." in text(response)
    assert AgeBandLimit.objects.get().max_matches_per_day == 3


def test_the_builder_and_the_move_check_follow_limits_set_on_the_page(client, event, organiser):
    # Pool of 6: five bouts for each fencer. At most two a day, from 11:00: the builder leaves
    # bouts unplaced rather than break it, and a move before 11:00 is refused.
    client.post(bands_url(event), {"band": "U12", "max_matches_per_day": "2", "earliest_start": "11:00"})
    result = services.schedule_build_greedy(programme=event.programme)
    assert result.unplaced
    placed = Placement.objects.filter(match__stage__event=event)
    assert placed.exists() and all(p.starts_at >= local(event.start_date, 11) for p in placed)
    per_fencer: dict[int, int] = {}
    for placement in placed.select_related("match"):
        for side in (placement.match.left_id, placement.match.right_id):
            per_fencer[side] = per_fencer.get(side, 0) + 1
    assert max(per_fencer.values()) <= 2
    bout = placed.first().match
    response = client.post(
        reverse("events:schedule-move", args=[event.programme.slug]),
        {
            "match": bout.pk,
            "resource": placed.first().resource_id,
            "starts_at": f"{event.start_date:%Y-%m-%d}T09:00",
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409 and "age_hours" in response.json()["codes"]
