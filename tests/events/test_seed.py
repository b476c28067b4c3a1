"""The demo season loads the corridor's events around today, can be loaded twice without changing
anything, and moves to the new today when it is loaded again on a later day."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from events import demo as events_demo
from events.demodata.season import TEAM_EVENT, season_plan
from events.models import City, Event, Match, ScheduleVersion, Session, Venue
from events.selectors.results import relay_sheet
from registration.models import Team
from ticketing import demo as ticketing_demo
from ticketing import demo_gate
from ticketing.enums import ScanDirection, ScanReason
from ticketing.models import Credential, Quota, Section, Ticket
from ticketing.services.orders import _credential_window
from ticketing.services.places import taken_recount
from ticketing.services.scans import credential_scan

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 11, 30)
CORRIDOR = {
    "shanghai", "suzhou", "wuxi", "changzhou", "zhenjiang", "nanjing", "nantong", "taizhou", "yangzhou", "hangzhou",
}  # fmt: skip


def shanghai(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def seed_gate_slices() -> None:
    """Only the slices the gate needs (catalogue, tickets, gate): the time-of-day tests stay quick."""
    events_demo.seed()
    ticketing_demo.seed()
    demo_gate.seed()


def snapshot() -> tuple:
    return (
        City.objects.count(),
        Venue.objects.count(),
        sorted(Event.objects.values_list("slug", "start_date", "end_date")),
        sorted(Session.objects.values_list("pk", "starts_at", "ends_at")),
        sorted(Credential.objects.values_list("pk", "valid_from", "valid_until")),
        Ticket.objects.count(),
        Team.objects.count(),
    )


def sessions_on_now_at_fencing_hall():
    now = timezone.now()
    return Session.objects.filter(venue__slug="putuo-sports-centre", starts_at__lte=now, ends_at__gt=now)


def scan(code: str, nonce: str):
    from django.contrib.auth import get_user_model

    gate_staff = get_user_model().objects.get(email=demo_gate.GATE_EMAIL)
    return credential_scan(
        code=code,
        gate_code=demo_gate.GATE_CODE,
        direction=ScanDirection.ENTRY,
        nonce=nonce,
        event=Event.objects.get(slug=demo_gate.FENCING_EVENT),
        user=gate_staff,
    )


def assert_gate_admits_then_refuses(nonce: str) -> None:
    from ticketing.signing import credential_code

    ticket = demo_gate.gate_ticket()
    assert ticket is not None
    code = credential_code(ticket.credential)
    assert code in demo_gate.announce()
    first = scan(code, f"{nonce}-first")
    second = scan(code, f"{nonce}-second")
    assert first.admitted, first.reason
    assert not second.admitted
    assert second.reason == ScanReason.ALREADY_USED


def test_seed_demo_loads_the_season_and_is_idempotent():
    with time_machine.travel(shanghai(DAY, 10), tick=False):
        # How long the seed takes is measured in `python -m bench seed` (BENCHMARKS.md), not here.
        output = seed()
        first = snapshot()
        again = seed()
        assert snapshot() == first
    assert "Demo organiser: organiser@corridor.example" in output
    assert "0 new demo orders, 0 tickets moved" in again
    assert "the same gate ticket" in again
    fencing = Event.objects.filter(discipline="fencing")
    assert {(e.weapon, e.age_group, e.category) for e in fencing} >= {
        ("foil", "U12", "men"),
        ("epee", "U14", "women"),
        ("sabre", "U12", "women"),
    }
    assert Event.objects.filter(discipline="dragon_boat", venue__slug="suzhou-creek-changfeng").count() == 4
    league = Event.objects.filter(discipline="football", slug__startswith="jiangsu-league-")
    assert set(league.values_list("host_city__slug", flat=True)) == {"zhenjiang", "nantong", "taizhou"}
    # The drawn pools are placed on the fencing hall's pistes and published once (the re-seed kept it).
    pools = Match.objects.filter(stage__event__slug="fencing-u12-men-foil")
    assert pools.exists() and not pools.filter(resource__isnull=True).exists()
    assert list(ScheduleVersion.objects.values_list("number", flat=True)) == [1]
    # Today's épée team event: four city teams, their table drawn, both orders of each semi-final given
    # (so the relay page and the scoresheet name who meets whom), and its matches placed with the rest.
    team_event = Event.objects.get(slug=TEAM_EVENT)
    assert team_event.team_event and team_event.competitors.filter(kind="team").count() == 4
    semis = list(Match.objects.filter(stage__event=team_event, left__isnull=False, right__isnull=False))
    assert len(semis) == 2
    for semi in semis:
        assert set(semi.detail["lineup"]) == {str(semi.left_id), str(semi.right_id)}
        rows = relay_sheet(semi)
        assert all(row.a_name and row.b_name for row in rows)
    assert not Match.objects.filter(stage__event=team_event, resource__isnull=True).exists()
    # Every quota and section counts what its rows hold, the demo crowds written without a sale included.
    quotas = Quota.objects.filter(session__ticket_types__tickets__isnull=False).distinct()
    sections = Section.objects.all()
    assert quotas.exists()
    counted = taken_recount(
        quota_ids=list(quotas.values_list("pk", flat=True)),
        section_ids=list(sections.values_list("pk", flat=True)),
    )
    stored = {("quota", q.pk): q.taken for q in Quota.objects.filter(pk__in=quotas)}
    stored |= {("section", s.pk): s.taken for s in sections}
    assert stored == {key: counted.get(key, 0) for key in stored}
    assert max(stored.values()) > 0
    # The stub economy's weekend: every demo redemption happened on a Saturday or a Sunday, in the past.
    from tourism.models import Redemption

    redeemed = [timezone.localtime(at) for at in Redemption.objects.values_list("redeemed_at", flat=True)]
    assert len(redeemed) > 50
    assert {at.weekday() for at in redeemed} <= {5, 6}
    assert max(redeemed) <= shanghai(DAY, 10)


@pytest.mark.parametrize("days", range(7))
@pytest.mark.parametrize("hour", [0, 10, 23])
def test_league_matches_fall_on_saturdays_and_nantongs_weekend_is_over_whenever_the_demo_is_loaded(
    days, hour
):
    now = shanghai(DAY + dt.timedelta(days=days), hour, 30)
    plans = {plan.slug: plan for plan in season_plan(now)}

    league = [plan for slug, plan in plans.items() if slug.startswith("jiangsu-league-")]
    nantong = plans["jiangsu-league-nantong"].sessions[0]
    carnival = plans["table-tennis-carnival"].sessions

    assert {plan.start.weekday() for plan in league} == {5}
    assert nantong.ends_at + dt.timedelta(days=1) < now  # its Sunday is over too
    assert now.date() - nantong.starts_at.date() <= dt.timedelta(days=8)
    assert [s.starts_at.weekday() for s in carnival] == [4, 5, 6]  # Friday to Sunday, before Nantong
    assert carnival[-1].ends_at < nantong.starts_at


@pytest.mark.parametrize(("hour", "minute"), [(0, 10), (8, 29), (12, 45), (17, 30), (23, 30), (23, 59)])
def test_a_session_is_on_now_at_the_fencing_hall_and_the_gate_admits_once(hour, minute):
    now = shanghai(DAY, hour, minute)
    with time_machine.travel(now, tick=False):
        seed_gate_slices()
        on_now = sessions_on_now_at_fencing_hall()
        assert on_now.filter(event__slug=demo_gate.FENCING_EVENT).exists()
        assert {timezone.localtime(s.starts_at).date() for s in on_now} == {DAY}
        assert all(timezone.localtime(s.ends_at).date() == DAY for s in on_now)
        assert_gate_admits_then_refuses(f"t{hour:02d}{minute:02d}")


def test_the_season_has_past_sessions_today_and_mostly_sessions_ahead():
    now = shanghai(DAY, 10)
    with time_machine.travel(now, tick=False):
        seed_gate_slices()
    demo = Session.objects.filter(event__programme__slug=events_demo.DEMO_PROGRAMME)
    past = demo.filter(ends_at__lte=now)
    ahead = demo.filter(starts_at__gt=now)
    assert past.filter(event__slug="fencing-u12-men-foil").exists()  # yesterday's results
    # Today's four épée events (pools, knockout, finals) and the team event (semi-finals, finals).
    assert demo.filter(starts_at__date=DAY, event__discipline="fencing").count() == 14
    assert ahead.count() > demo.count() / 2
    stubs = Ticket.objects.filter(order__user__email=ticketing_demo.SPECTATOR_EMAIL, session__in=past)
    assert stubs.count() >= 4  # the spectator's stubs to redeem in the city
    sold_out = Session.objects.get(
        event__slug=ticketing_demo.SOLD_OUT_SESSION[0], name_en="Finals and medals"
    )
    assert sold_out.starts_at > now
    assert sold_out.tickets.count() == ticketing_demo.SOLD_OUT_CAPACITY


def test_seeding_again_three_days_later_moves_the_season_to_the_new_today():
    with time_machine.travel(shanghai(DAY, 10), tick=False):
        seed_gate_slices()
        counts = (Event.objects.count(), Session.objects.count())
        assert_gate_admits_then_refuses("day0")
    later = DAY + dt.timedelta(days=3)
    with time_machine.travel(shanghai(later, 23, 30), tick=False):
        seed_gate_slices()
        assert (Event.objects.count(), Session.objects.count()) == counts
        assert sessions_on_now_at_fencing_hall().filter(event__slug=demo_gate.FENCING_EVENT).exists()
        assert Event.objects.get(slug="fencing-u12-men-foil").start_date == later - dt.timedelta(days=1)
        # Every ticket follows its moved session, and a fresh gate ticket replaces the one admitted.
        for ticket in Ticket.objects.select_related("credential", "session"):
            assert (ticket.credential.valid_from, ticket.credential.valid_until) == _credential_window(
                ticket.session
            )
        snapshot_before = snapshot()
        seed_gate_slices()
        assert snapshot() == snapshot_before
        assert_gate_admits_then_refuses("day3")


def test_cities_are_the_corridor_and_nanjing_has_something_on():
    City.objects.create(
        slug="kunshan", name_zh="昆山", name_en="Kunshan", province_zh="江苏省", province_en="Jiangsu"
    )
    with time_machine.travel(shanghai(DAY, 10), tick=False):
        events_demo.seed()
    assert set(City.objects.values_list("slug", flat=True)) == CORRIDOR
    assert City.objects.get(slug="hangzhou").network == "sister"
    nanjing = Event.objects.filter(host_city__slug="nanjing", status="published")
    assert nanjing.exists()
    assert Session.objects.filter(event__in=nanjing, starts_at__gt=timezone.now()).exists()
    camp = Event.objects.get(slug="basketball-camp-shanghai-kunming")
    assert (camp.name_zh, camp.name_en) == ("沪昆青少年篮球营", "Shanghai–Kunming Youth Basketball Camp")


def test_demo_data_reads_in_both_languages_and_team_names_read_like_names():
    with time_machine.travel(shanghai(DAY, 10), tick=False):
        seed()
    for model in (City, Venue, Event, Session):
        for zh, en in model.objects.values_list("name_zh", "name_en"):
            assert zh.strip() and en.strip(), (model.__name__, zh, en)
    kinds = ("比赛时段", "场次", "Bout block", "Heat", "Camp activity")
    assert not [name for name in Session.objects.values_list("name_zh", flat=True) if name.endswith(kinds)]
    assert not [name for name in Session.objects.values_list("name_en", flat=True) if name.endswith(kinds)]
    names = set(Team.objects.values_list("name_zh", flat=True))
    assert "上海 U12 女子佩剑" in names
    assert "南京 U14 男子重剑" in names
    assert not [name for name in names if "-" in name or "men" in name]
    names_en = set(Team.objects.values_list("name_en", flat=True))
    assert "Shanghai U12 Women's Sabre" in names_en
    assert "Nanjing U14 Men's Épée" in names_en


def test_demo_paperwork_and_ages_follow_the_day_it_is_loaded():
    from registration.models import Athlete, InsuranceProof

    later = dt.date(2029, 3, 1)
    with time_machine.travel(shanghai(later, 10), tick=False):
        seed()
    u12 = Athlete.objects.filter(entries__event__age_group="U12").values_list("birth_date", flat=True)
    assert {birth.year for birth in u12} == {later.year - 11, later.year - 10}
    insurance = InsuranceProof.objects.values_list("valid_from", "valid_until")
    assert all(start <= later <= end for start, end in insurance)


def test_a_demo_loaded_a_year_ahead_moves_back_and_its_ballot_opens_again():
    from ticketing.models import Ballot

    with time_machine.travel(shanghai(DAY + dt.timedelta(days=400), 10), tick=False):
        seed_gate_slices()
    with time_machine.travel(shanghai(DAY, 10), tick=False):
        seed_gate_slices()
        now = timezone.now()
        ballot = Ballot.objects.select_related("ticket_type__session").get(
            ticket_type__session__event__slug=ticketing_demo.BALLOT_EVENT
        )
        assert ballot.applications_open_at <= now < ballot.applications_close_at
        assert ballot.applications_close_at < ballot.ticket_type.session.starts_at
        assert Event.objects.get(slug=demo_gate.FENCING_EVENT).start_date == DAY
        assert_gate_admits_then_refuses("back")


def test_roster_deadlines_follow_the_moved_season():
    from registration.models import EventRegistrationSettings
    from registration.services import demo as registration_demo

    with time_machine.travel(shanghai(DAY + dt.timedelta(days=400), 10), tick=False):
        events_demo.seed()
        registration_demo.seed()
    with time_machine.travel(shanghai(DAY, 10), tick=False):
        events_demo.seed()
        registration_demo.seed()
    deadline = EventRegistrationSettings.objects.get(event__slug=demo_gate.FENCING_EVENT).roster_deadline
    assert timezone.localtime(deadline) == shanghai(DAY - dt.timedelta(days=14), 18)


def test_seed_finds_every_apps_slice_including_a_services_package():
    from events.management.commands.seed_demo import demo_modules

    assert demo_modules() == [
        "events.demo",
        "events.demo_competition",
        "ticketing.demo",
        "ticketing.demo_gate",
        "registration.services.demo",
        "registration.services.demo_competition",
        "registration.services.demo_eligibility",
        "registration.services.demo_schedule",
        "tourism.demo",
        "tourism.demo_reports",
        "tourism.exchange.demo",  # an app inside an app, found by its label through its import path
    ]
