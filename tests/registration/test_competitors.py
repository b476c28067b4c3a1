"""Approved entries become competitors of the event's draw, keyed by opaque person keys."""

from __future__ import annotations

import re

import pytest

from events.enums import CompetitorKind, CompetitorStatus, EventStatus
from events.services.competition import pools_generate
from registration.enums import EntryStatus
from registration.models import Entry
from registration.services.competitors import competitors_sync, person_key, team_key
from tests.factories import ProgrammeMembershipFactory, login_two_factor, verified
from tests.factories.competition import CompetitorFactory, DragonBoatEventFactory, FencingEventFactory
from tests.factories.registration import AthleteFactory, DelegationFactory, EntryFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    event = FencingEventFactory(status=EventStatus.PUBLISHED)
    delegation = DelegationFactory(
        programme=event.programme, name_zh="苏州市击剑队", name_en="Suzhou Fencing"
    )
    return TeamFactory(delegation=delegation, event=event)


def _enter(team, status=EntryStatus.APPROVED, **athlete):
    return EntryFactory(
        team=team, athlete=AthleteFactory(delegation=team.delegation, **athlete), status=status
    )


def test_only_approved_and_locked_entries_become_competitors_with_public_fields(team):
    approved = _enter(team, family_name_zh="王", given_name_zh="子涵", name_latin="WANG Zihan")
    _enter(team, status=EntryStatus.LOCKED)
    _enter(team, status=EntryStatus.SUBMITTED)
    _enter(team, status=EntryStatus.WITHDRAWN)
    summary = competitors_sync(event=team.event)
    assert summary == {"created": 2, "updated": 0, "removed": 0}
    competitor = team.event.competitors.get(key=person_key(approved.athlete))
    assert competitor.display_name == "王子涵 (WANG Zihan)"
    assert (competitor.club_zh, competitor.club_en) == ("苏州市击剑队", "Suzhou Fencing")
    assert competitor.city_zh == team.delegation.city.name_zh
    assert competitor.person_keys == [competitor.key] and competitor.seed == 1


def test_person_keys_are_opaque_and_the_same_in_every_event(team):
    entry = _enter(team)
    other_event = FencingEventFactory(programme=team.event.programme)
    other_team = TeamFactory(delegation=team.delegation, event=other_event)
    EntryFactory(team=other_team, athlete=entry.athlete, status=EntryStatus.APPROVED)
    competitors_sync(event=team.event)
    competitors_sync(event=other_event)
    key = team.event.competitors.get().key
    assert other_event.competitors.get().key == key
    # A keyed hash: nothing of the athlete (pk, name, document, birth date) can be read back from it.
    assert re.fullmatch(r"p-[0-9a-f]{30}", key)
    assert key != f"athlete:{entry.athlete.pk}" and person_key(entry.athlete.pk + 1) != key


def test_sync_is_idempotent_and_follows_changes(team):
    entry = _enter(team)
    _enter(team)
    competitors_sync(event=team.event)
    assert competitors_sync(event=team.event) == {"created": 0, "updated": 0, "removed": 0}
    entry.athlete.given_name_zh = "新名"
    entry.athlete.save()
    assert competitors_sync(event=team.event)["updated"] == 1
    entry.status = EntryStatus.WITHDRAWN
    entry.save()
    assert competitors_sync(event=team.event)["removed"] == 1
    assert team.event.competitors.count() == 1


def test_after_the_draw_a_withdrawn_entry_marks_the_competitor_withdrawn(team):
    entries = [_enter(team) for _ in range(5)]
    competitors_sync(event=team.event)
    pools_generate(event=team.event)
    entries[0].status = EntryStatus.WITHDRAWN
    entries[0].save()
    competitors_sync(event=team.event)
    competitor = team.event.competitors.get(key=person_key(entries[0].athlete))
    assert competitor.status == CompetitorStatus.WITHDRAWN


def test_the_organiser_page_updates_competitors_through_the_events_hook(client, team):
    _enter(team, family_name_zh="周", given_name_zh="文", name_latin="ZHOU Wen")
    _enter(team, status=EntryStatus.SUBMITTED)
    organiser = verified(ProgrammeMembershipFactory(programme=team.event.programme).user)
    login_two_factor(client, organiser)
    response = client.post(
        f"/organiser/competition/events/{team.event.slug}/competitors/",
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "1 new, 0 changed, 0 removed" in response.content.decode()
    assert list(team.event.competitors.values_list("display_name", flat=True)) == ["周文 (ZHOU Wen)"]
    stranger = verified(ProgrammeMembershipFactory().user)
    login_two_factor(client, stranger)
    assert client.post(f"/organiser/competition/events/{team.event.slug}/competitors/").status_code == 404


@pytest.fixture
def crews():
    """Two dragon-boat teams of one delegation, three paddlers approved in each and one still waiting."""
    event = DragonBoatEventFactory(status=EventStatus.PUBLISHED)
    delegation = DelegationFactory(
        programme=event.programme, name_zh="苏州市龙舟队", name_en="Suzhou Dragon Boat"
    )
    teams = [
        TeamFactory(delegation=delegation, event=event, name_zh="苏州一队", name_en="Suzhou A"),
        TeamFactory(delegation=delegation, event=event, name_zh="苏州二队", name_en="Suzhou B"),
    ]
    paddlers = {team.pk: [_enter(team).athlete for _ in range(3)] for team in teams}
    _enter(teams[0], status=EntryStatus.SUBMITTED)
    return event, teams, paddlers


def test_in_a_team_sport_each_team_is_one_competitor_carrying_its_approved_athletes(crews):
    event, teams, paddlers = crews
    assert competitors_sync(event=event) == {"created": 2, "updated": 0, "removed": 0}
    crew = event.competitors.get(key=team_key(teams[0].pk))
    assert crew.kind == CompetitorKind.CREW and crew.display_name == "苏州一队"
    assert (crew.club_zh, crew.club_en, crew.seed) == ("苏州市龙舟队", "Suzhou Dragon Boat", 1)
    assert sorted(crew.person_keys) == sorted(person_key(a) for a in paddlers[teams[0].pk])
    assert sorted(crew.members) == sorted(crew.person_keys)
    assert re.fullmatch(r"t-[0-9a-f]{30}", crew.key)
    # The same child keeps one key across sports: the builder sees a paddler who also fences.
    fencing = FencingEventFactory(programme=event.programme)
    fencing_team = TeamFactory(delegation=teams[0].delegation, event=fencing)
    EntryFactory(team=fencing_team, athlete=paddlers[teams[0].pk][0], status=EntryStatus.APPROVED)
    competitors_sync(event=fencing)
    assert fencing.competitors.get().key in crew.person_keys
    assert competitors_sync(event=event) == {"created": 0, "updated": 0, "removed": 0}


def test_a_team_follows_its_entries_and_competitors_of_other_sources_are_left_alone(crews):
    event, teams, paddlers = crews
    demo = CompetitorFactory(event=event, key="demo-crew-1", kind=CompetitorKind.CREW, seed=9)
    competitors_sync(event=event)
    withdrawn = Entry.objects.get(athlete=paddlers[teams[1].pk][0], event=event)
    withdrawn.status = EntryStatus.WITHDRAWN
    withdrawn.save()
    assert competitors_sync(event=event)["updated"] == 1
    left = event.competitors.get(key=team_key(teams[1].pk))
    assert len(left.person_keys) == 2 and sorted(left.members) == sorted(left.person_keys)  # names follow
    Entry.objects.filter(team=teams[1]).update(status=EntryStatus.WITHDRAWN)
    assert competitors_sync(event=event)["removed"] == 1
    assert set(event.competitors.values_list("key", flat=True)) == {team_key(teams[0].pk), demo.key}


def test_the_organiser_updates_crews_from_the_entries_on_the_races_page(client, crews):
    event, _, _ = crews
    organiser = verified(ProgrammeMembershipFactory(programme=event.programme).user)
    login_two_factor(client, organiser)
    page = client.get(f"/organiser/competition/events/{event.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "按已批准的报名更新参赛者" in page.content.decode()  # the button, in the reader's language
    response = client.post(
        f"/organiser/competition/events/{event.slug}/competitors/", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "2 new, 0 changed, 0 removed" in response.content.decode()
    assert sorted(event.competitors.values_list("display_name", flat=True)) == ["苏州一队", "苏州二队"]


def test_a_fencing_team_event_draws_its_teams_from_the_entries(client):
    """Marked a team event, a fencing event's approved entries make one competitor per team (three
    fencers and a reserve), and the organiser draws the relay table between those teams."""
    event = FencingEventFactory(status=EventStatus.PUBLISHED, team_event=True)
    delegations = [
        DelegationFactory(programme=event.programme, name_zh=f"{city}击剑队", name_en=f"{city} Fencing")
        for city in ("苏州", "无锡", "常州", "南京")
    ]
    teams = [TeamFactory(delegation=d, event=event, name_zh=d.name_zh[:2] + "队") for d in delegations]
    fencers = {team.pk: [_enter(team).athlete for _ in range(4)] for team in teams}
    assert competitors_sync(event=event) == {"created": 4, "updated": 0, "removed": 0}
    first = event.competitors.get(key=team_key(teams[0].pk))
    assert first.kind == CompetitorKind.TEAM and first.display_name == "苏州队"
    assert sorted(first.person_keys) == sorted(person_key(a) for a in fencers[teams[0].pk])
    # Its fencers by public name, for the line-up of each match (positions 1-2-3, or 4-5-6).
    assert first.members == {person_key(a): a.display_name for a in fencers[teams[0].pk]}

    organiser = verified(ProgrammeMembershipFactory(programme=event.programme).user)
    login_two_factor(client, organiser)
    page = client.get(f"/organiser/competition/events/{event.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Places fenced for" in page.content.decode()  # the team table's draw, not the pools'
    client.post(f"/organiser/competition/events/{event.slug}/team/", {"places": 4})
    stage = event.stages.get()
    drawn = {side for match in stage.matches.all() for side in (match.left_id, match.right_id) if side}
    assert drawn == set(event.competitors.values_list("pk", flat=True))
    assert stage.settings["rules"] == "fencing_team"


def test_only_a_fencing_event_can_be_marked_a_team_event():
    from django.db import IntegrityError, transaction

    crew_race = DragonBoatEventFactory()
    crew_race.team_event = True
    with pytest.raises(IntegrityError), transaction.atomic():
        crew_race.save()
    assert crew_race.team_kind == CompetitorKind.CREW  # always between teams, whatever the flag
