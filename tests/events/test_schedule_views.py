"""The organiser's schedule pages (grid, move answered at once, solve with progress, publish, versions,
diff, contingency switch) and the public schedule pages and iCal feeds."""

from __future__ import annotations

import io

import icalendar
import pytest
from django.urls import reverse
from pypdf import PdfReader

from events.enums import EventStatus, SolveJobState
from events.models import ContingencyPlan, Match, Placement, ScheduleVersion, SolveJob
from events.services import schedule as services
from events.services.competition import pools_generate
from registration.enums import EntryStatus
from registration.services.competitors import competitors_sync
from tests.factories import ProgrammeMembershipFactory, login_two_factor, verified
from tests.factories.registration import AthleteFactory, EntryFactory, TeamFactory
from tests.factories.schedule import drawn_event, local
from tests.privacy import shows_last4

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def event():
    return drawn_event(count=6, piste_count=2, name_zh="U12 男子花剑", name_en="U12 Men's Foil")


@pytest.fixture
def organiser(client, event):
    user = verified(ProgrammeMembershipFactory(programme=event.programme).user)
    login_two_factor(client, user)
    return user


def url(name: str, event, **kwargs) -> str:
    return reverse(f"events:{name}", kwargs={"slug": event.programme.slug, **kwargs})


def test_grid_shows_pistes_against_time_with_each_bout(client, event, organiser):
    services.schedule_build_greedy(programme=event.programme)
    body = text(client.get(url("schedule-grid", event), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Piste 1" in body and "Piste 2" in body and ">09:00<" in body
    assert body.count('class="chip') == 15 and "15 of 15 matches placed." in body
    assert reverse("events:organiser-competition", kwargs={"slug": event.slug}) in body


def test_move_endpoint_refuses_a_clash_at_once_with_the_reason(client, event, organiser):
    services.schedule_build_greedy(programme=event.programme)
    first = Match.objects.filter(stage__event=event).order_by("sequence").first()
    clash = Match.objects.filter(stage__event=event, left=first.left).exclude(pk=first.pk).first()
    target = first.placement
    piste = event.venue.resources.filter(kind="piste").exclude(pk=target.resource_id).first()
    before = Placement.objects.get(match=clash).starts_at
    response = client.post(
        url("schedule-move", event),
        {
            "match": clash.pk,
            "resource": piste.pk,
            "starts_at": f"{target.starts_at.astimezone(local(event.start_date, 0).tzinfo):%Y-%m-%dT%H:%M}",
        },
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert response.json()["ok"] is False and "athlete_overlap" in response.json()["codes"]
    assert any("two matches at once" in reason for reason in response.json()["reasons"])
    assert Placement.objects.get(match=clash).starts_at == before


def test_move_endpoint_accepts_a_free_slot_and_the_form_post_redirects_back(client, event, organiser):
    services.schedule_build_greedy(programme=event.programme)
    bout = Match.objects.filter(stage__event=event).order_by("-sequence").first()
    piste = bout.placement.resource
    data = {"match": bout.pk, "resource": piste.pk, "starts_at": f"{event.start_date}T17:30"}
    response = client.post(url("schedule-move", event), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json() == {"ok": True, "warnings": []}
    assert Placement.objects.get(match=bout).starts_at == local(event.start_date, 17, 30)
    response = client.post(url("schedule-move", event), {**data, "starts_at": f"{event.start_date}T22:00"})
    assert response.status_code == 302 and "?day=" in response["Location"]
    assert Placement.objects.get(match=bout).starts_at == local(event.start_date, 17, 30)


def test_move_with_bad_input_is_a_400_in_the_readers_language(client, event, organiser):
    response = client.post(
        url("schedule-move", event),
        {"match": "x", "starts_at": "soon"},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400 and response.json()["ok"] is False
    assert not Placement.objects.exists()


def test_quick_solve_publish_and_versions_page(client, event, organiser):
    response = client.post(url("schedule-solve", event), {"builder": "greedy", "time_limit": 5})
    assert response.status_code == 302 and Placement.objects.count() == 15
    response = client.post(
        url("schedule-publish", event), {"note": "first"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert ScheduleVersion.objects.get().number == 1
    body = text(response)
    assert "Version 1 published" in body and "v1" in body and "first" in body


def test_optimising_solve_shows_progress_then_the_result(
    client, event, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("schedule-solve", event), {"builder": "cpsat", "time_limit": 2})
    job = SolveJob.objects.get()
    assert response["Location"] == url("schedule-job", event, pk=job.pk)
    status = client.get(url("schedule-job-status", event, pk=job.pk)).json()
    assert status["state"] == SolveJobState.DONE and status["percent"] == 100 and status["placed"] == 15
    assert status["objective"] is not None and status["objective"] >= (status["bound"] or 0)
    page = text(client.get(url("schedule-job", event, pk=job.pk), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Proven lower bound" in page and f">{status['objective']}<" in page


def test_diff_page_names_the_moved_bout(client, event, organiser):
    services.schedule_build_greedy(programme=event.programme)
    services.schedule_publish(programme=event.programme)
    bout = Match.objects.filter(stage__event=event).order_by("-sequence").first()
    services.placement_move(
        programme=event.programme,
        match=bout,
        resource=bout.placement.resource,
        starts_at=local(event.start_date, 17),
    )
    services.schedule_publish(programme=event.programme)
    body = text(client.get(url("schedule-diff", event) + "?a=1&b=2", HTTP_ACCEPT_LANGUAGE="en"))
    assert "1 match moved." in body and bout.code in body
    assert client.get(url("schedule-diff", event) + "?a=1&b=9").status_code == 404


def test_contingency_switch_asks_first_then_publishes(client, event, organiser):
    services.schedule_build_greedy(programme=event.programme)
    client.post(url("schedule-plan-create", event), {"name_zh": "雨天方案", "name_en": "Wet weather"})
    plan = ContingencyPlan.objects.get()
    confirm = client.get(url("schedule-plan-switch", event, pk=plan.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert "Switch and publish" in text(confirm) and not ScheduleVersion.objects.exists()
    client.post(url("schedule-plan-switch", event, pk=plan.pk))
    version = ScheduleVersion.objects.get()
    assert version.reason == "contingency" and version.note == plan.name_zh


def test_another_programmes_organiser_gets_404_everywhere(client, event):
    services.schedule_build_greedy(programme=event.programme)
    outsider = verified(ProgrammeMembershipFactory().user)
    login_two_factor(client, outsider)
    assert client.get(url("schedule-grid", event)).status_code == 404
    bout = Match.objects.filter(stage__event=event).first()
    response = client.post(
        url("schedule-move", event), {"match": bout.pk, "resource": 1, "starts_at": "2027-05-01T10:00"}
    )
    assert response.status_code == 404


# ---- public ---------------------------------------------------------------------------------------


@pytest.fixture
def published(event):
    services.schedule_build_greedy(programme=event.programme)
    services.schedule_publish(programme=event.programme)
    return event


def test_public_pages_by_event_venue_city_delegation_and_athlete(client, published):
    event = published
    fencer = event.competitors.first()
    pages = [
        reverse("events:event-schedule", kwargs={"slug": event.slug}),
        reverse("events:venue-schedule", kwargs={"slug": event.venue.slug}),
        reverse("events:city-schedule", kwargs={"slug": event.host_city.slug}),
        reverse("events:delegation-schedule", kwargs={"slug": event.programme.slug, "club": fencer.club_zh}),
        reverse("events:competitor-schedule", kwargs={"pk": fencer.pk}),
    ]
    for page in pages:
        body = text(client.get(page, HTTP_ACCEPT_LANGUAGE="zh-hans"))
        assert fencer.display_name in body and "1号剑道" in body, page
    athlete = text(client.get(pages[-1]))
    assert athlete.count("<tr>") == 1 + 5  # header and the fencer's five pool bouts


def test_public_pages_hide_draft_events_and_unpublished_drafts(client, event):
    services.schedule_build_greedy(programme=event.programme)
    body = text(
        client.get(reverse("events:event-schedule", kwargs={"slug": event.slug}), HTTP_ACCEPT_LANGUAGE="en")
    )
    assert "Nothing is published here yet." in body  # a draft is not public until published
    event.status = EventStatus.DRAFT
    event.save()
    assert client.get(reverse("events:event-schedule", kwargs={"slug": event.slug})).status_code == 404
    fencer = event.competitors.first()
    assert client.get(reverse("events:competitor-schedule", kwargs={"pk": fencer.pk})).status_code == 404


def test_ical_feeds_parse_back_in_beijing_time(client, published, time_machine):
    event = published
    time_machine.move_to(local(event.start_date, 8))
    fencer = event.competitors.first()
    response = client.get(reverse("events:competitor-ical", kwargs={"pk": fencer.pk}))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 5
    first = min(events, key=lambda e: e.decoded("dtstart"))
    start = first.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Shanghai" and start.hour >= 9
    assert fencer.display_name in str(first.get("summary"))
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    venue = icalendar.Calendar.from_ical(
        client.get(reverse("events:venue-ical", kwargs={"slug": event.venue.slug})).content
    )
    assert len(list(venue.walk("VEVENT"))) == 15
    club = reverse("events:delegation-ical", kwargs={"slug": event.programme.slug, "club": fencer.club_zh})
    assert len(list(icalendar.Calendar.from_ical(client.get(club).content).walk("VEVENT"))) == 5


def test_venue_page_shows_what_is_on_now_per_piste(client, published, time_machine):
    event = published
    bout = Match.objects.filter(stage__event=event).order_by("starts_at").first()
    time_machine.move_to(bout.starts_at)
    response = client.get(
        reverse("events:venue-schedule", kwargs={"slug": event.venue.slug}), HTTP_ACCEPT_LANGUAGE="en"
    )
    now_on = response.context["now_on"]
    current = {spot.resource.pk: spot.current for spot in now_on}
    assert current[bout.resource_id] == bout and "Now on" in text(response)


def test_public_schedule_has_no_birth_date_or_document(client):
    event = drawn_event(count=0, piste_count=2)
    team = TeamFactory(event=event)
    athletes = [AthleteFactory(delegation=team.delegation) for _ in range(4)]
    for athlete in athletes:
        EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)
    competitors_sync(event=event)
    pools_generate(event=event)
    services.schedule_build_greedy(programme=event.programme)
    services.schedule_publish(programme=event.programme)
    body = text(client.get(reverse("events:event-schedule", kwargs={"slug": event.slug})))
    for athlete in athletes:
        assert athlete.name_latin in body
        assert not shows_last4(body, athlete.document_last4)
        assert athlete.birth_date.isoformat() not in body


@pytest.mark.parametrize("count", [6, 12])
def test_event_schedule_query_count_does_not_grow(client, django_assert_num_queries, count):
    event = drawn_event(count=count, piste_count=2)
    services.schedule_build_greedy(programme=event.programme)
    services.schedule_publish(programme=event.programme)
    with django_assert_num_queries(2):  # the event, then its placed matches with everything they show
        client.get(reverse("events:event-schedule", kwargs={"slug": event.slug}))


@pytest.mark.parametrize(
    ("language", "words"),
    [("zh-hans", ["时间", "1号剑道", "时间均为北京时间"]), ("en", ["Time", "Piste 1", "Beijing time"])],
)
def test_days_schedule_pdf_reads_back_in_both_languages_with_embedded_fonts(
    client, published, language, words
):
    event = published
    fencer = event.competitors.first()
    pdf_url = reverse(
        "events:schedule-day-pdf", kwargs={"slug": event.programme.slug, "day": event.start_date.isoformat()}
    )
    page = text(client.get(reverse("events:event-schedule", kwargs={"slug": event.slug})))
    assert pdf_url in page
    response = client.get(pdf_url, HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    content = "".join(p.extract_text() for p in reader.pages)
    for word in [*words, fencer.display_name, "P1-01"]:
        assert word in content, word
    fonts = {
        font["/BaseFont"]: "/FontFile2" in font["/FontDescriptor"]
        for p in reader.pages
        for font in (f.get_object() for f in p["/Resources"]["/Font"].values())
        if "/FontDescriptor" in font
    }
    assert fonts and all(fonts.values())
    assert "birth" not in content
    assert client.get(pdf_url.replace(event.start_date.isoformat(), "not-a-day")).status_code == 404


@pytest.mark.parametrize("count", [1, 4])
def test_versions_page_query_count_does_not_grow(
    client, event, organiser, django_assert_max_num_queries, count
):
    services.schedule_build_greedy(programme=event.programme)
    for _ in range(count):
        services.schedule_publish(programme=event.programme)
    with django_assert_max_num_queries(12):
        body = text(client.get(url("schedule-versions", event), HTTP_ACCEPT_LANGUAGE="en"))
    assert body.count("<tr><td>v") == count


def test_delay_form_reschedules_the_draft_and_bad_input_changes_nothing(client, event, organiser):
    services.schedule_build_greedy(programme=event.programme)
    before = {p.match_id: p.starts_at for p in Placement.objects.all()}
    response = client.post(
        url("schedule-delay", event), {"delay_minutes": "0"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Give the delay in minutes" in text(response)
    assert {p.match_id: p.starts_at for p in Placement.objects.all()} == before
    # The event is months ahead: a delay from now touches nothing (the freeze horizon is tested
    # with the service, at a time inside the day).
    response = client.post(
        url("schedule-delay", event), {"delay_minutes": "30"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Rescheduled: 0 matches moved." in text(response)
    assert {p.match_id: p.starts_at for p in Placement.objects.all()} == before


def test_the_move_form_pins_and_unpins_and_a_drag_keeps_the_pin(client, event, organiser):
    services.schedule_build_greedy(programme=event.programme)
    bout = Match.objects.filter(stage__event=event).order_by("-sequence").first()
    piste = bout.placement.resource
    form = {"match": bout.pk, "resource": piste.pk, "pin_shown": "1"}
    client.post(url("schedule-move", event), {**form, "starts_at": f"{event.start_date}T17:00", "pin": "on"})
    assert Placement.objects.get(match=bout).pinned
    drag = {"match": bout.pk, "resource": piste.pk, "starts_at": f"{event.start_date}T17:30"}
    client.post(url("schedule-move", event), drag, HTTP_ACCEPT="application/json")
    assert Placement.objects.get(match=bout).pinned
    client.post(url("schedule-move", event), {**form, "starts_at": f"{event.start_date}T17:30"})
    assert not Placement.objects.get(match=bout).pinned
