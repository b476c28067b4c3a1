"""Result pages: standings, brackets, races and the season's medal table, each with its live fragment
(what live.js polls), names and delegations only; and the organiser's draw and result entry for games
and races, for organisers of the event's programme only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.enums import EventStatus, GameRules, MatchStatus
from events.models import Event, Match
from events.selectors.results import medal_table
from events.services.games import game_result_record, games_generate
from events.services.races import race_result_record, races_generate
from tests.factories import ProgrammeMembershipFactory, UserFactory, login_two_factor, verified
from tests.factories.competition import BasketballEventFactory, DragonBoatEventFactory, entrants

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def camp():
    event = BasketballEventFactory(status=EventStatus.PUBLISHED, name_en="Camp games", name_zh="篮球营比赛")
    teams = entrants(event, 8)
    groups, knockout = games_generate(event=event, rules=GameRules.FIBA, groups=2, places=4)
    return event, teams, groups, knockout


def _finish_groups(groups):
    for m in groups.matches.select_related("left", "right"):
        better = m.left.seed < m.right.seed
        game_result_record(
            match=m, home_score=80 if better else 60, away_score=60 if better else 80, user=None
        )


def test_standings_page_shows_each_group_table_and_its_fragment_alone(client, camp):
    event, teams, groups, _ko = camp
    _finish_groups(groups)
    page = client.get(reverse("events:results-standings", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="en")
    body = text(page)
    assert "Group A" in body and "Group B" in body
    assert teams[0].display_name in body and teams[0].club in body
    assert f'data-live-url="/events/{event.slug}/standings/?fragment=1"' in body
    assert "events/live.js" in body
    fragment = text(client.get(reverse("events:results-standings", args=[event.slug]) + "?fragment=1"))
    assert "<html" not in fragment and teams[0].display_name in fragment
    # Seed 1 won all three group games: 6 FIBA points, first of group A.
    assert fragment.index(teams[0].display_name) < fragment.index(teams[3].display_name)


def test_bracket_page_names_placeholders_then_the_teams(client, camp):
    event, teams, groups, _ko = camp
    url = reverse("events:results-bracket", args=[event.slug])
    assert "1st of group A" in text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    _finish_groups(groups)
    body = text(client.get(url + "?fragment=1", HTTP_ACCEPT_LANGUAGE="en"))
    assert "1st of group A" not in body and teams[0].display_name in body
    assert "Winner of M1" in body


def test_races_page_shows_lanes_placeholders_and_times(client):
    event = DragonBoatEventFactory(status=EventStatus.PUBLISHED)
    crews = entrants(event, 10, kind="crew")
    stage = races_generate(event=event, lanes=6, course_record_ms=120_000)
    heat = stage.matches.get(code="H1")
    race_result_record(
        match=heat,
        finishes={ln.lane: (125_310 + 1000 * i, "finished") for i, ln in enumerate(heat.lanes.all())},
        user=None,
    )
    body = text(client.get(reverse("events:results-races", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="en"))
    assert "125.31" in body
    assert "fastest of the crews placed 1st in the heats" in body
    assert crews[0].display_name in body


def test_medal_table_counts_every_decided_event_by_city(client):
    event = BasketballEventFactory(status=EventStatus.PUBLISHED)
    entrants(event, 2, city_of=lambda i: [("南通", "Nantong"), ("苏州", "Suzhou")][i])
    [final] = games_generate(event=event, rules=GameRules.FIBA, places=2)
    game_result_record(match=final.matches.get(), home_score=60, away_score=64, user=None)
    crews = DragonBoatEventFactory(status=EventStatus.PUBLISHED, programme=event.programme)
    entrants(
        crews,
        3,
        kind="crew",
        city_of=lambda i: [("南通", "Nantong"), ("上海", "Shanghai"), ("苏州", "Suzhou")][i],
    )
    stage = races_generate(event=crews, lanes=6)
    race = stage.matches.get()
    seed = {ln.lane: ln.competitor.seed for ln in race.lanes.select_related("competitor")}
    race_result_record(
        match=race, finishes={lane: (120_000 + 1000 * s, "finished") for lane, s in seed.items()}, user=None
    )
    url = reverse("events:results-medals", args=[event.programme.slug])
    body = text(client.get(url + "?fragment=1", HTTP_ACCEPT_LANGUAGE="en"))
    # Nantong: gold (boat) and silver (basketball) = 9 + 7; Suzhou: gold (basketball) and bronze = 9 + 6.
    rows = [line for line in body.split("<tr>") if "<td>" in line]
    assert "Nantong" in rows[0] and "<strong>16</strong>" in rows[0]
    assert "Suzhou" in rows[1] and "<strong>15</strong>" in rows[1]
    assert "Shanghai" in rows[2]


def test_result_pages_of_a_draft_event_are_not_found(client):
    event = BasketballEventFactory(status=EventStatus.DRAFT)
    for name in ("events:results-standings", "events:results-bracket"):
        assert client.get(reverse(name, args=[event.slug])).status_code == 404


def test_standings_fragment_reads_in_a_fixed_number_of_queries(client, camp, django_assert_max_num_queries):
    event, _teams, groups, _ko = camp
    _finish_groups(groups)
    url = reverse("events:results-standings", args=[event.slug]) + "?fragment=1"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more = BasketballEventFactory(status=EventStatus.PUBLISHED)
    entrants(more, 16)
    [big, _k] = games_generate(event=more, rules=GameRules.FIBA, groups=4, places=4)
    _finish_groups(big)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("events:results-standings", args=[more.slug]) + "?fragment=1")
    assert len(many) == len(few)


@pytest.fixture
def organiser(client, camp):
    user = verified(ProgrammeMembershipFactory(programme=camp[0].programme).user)
    login_two_factor(client, user)
    return user


def test_organiser_enters_a_game_result_and_sees_referee_links(client, camp, organiser):
    event, _teams, groups, _ko = camp
    page = text(
        client.get(reverse("events:organiser-competition", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="en")
    )
    assert "Referee links" in page and "/referee/" in page
    game = groups.matches.first()
    client.post(reverse("events:organiser-result", args=[game.pk]), {"left_score": 77, "right_score": 70})
    game.refresh_from_db()
    assert (game.left_score, game.status, game.changes.get().changed_by) == (77, MatchStatus.DONE, organiser)
    response = client.post(
        reverse("events:organiser-result", args=[groups.matches.last().pk]),
        {"left_score": 70, "right_score": 70},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "a basketball game cannot end in a draw" in text(response)


def test_organiser_draws_races_and_bad_settings_are_explained(client, organiser):
    event = DragonBoatEventFactory(programme=ProgrammeMembershipFactory(user=organiser).programme)
    entrants(event, 3, kind="crew")
    url = reverse("events:organiser-races-generate", args=[event.slug])
    response = client.post(
        url, {"lanes": 6, "course_record": "two minutes"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Enter the time as 2:05.31 or 125.31 seconds." in text(response)
    assert not Match.objects.filter(stage__event=event).exists()
    client.post(url, {"lanes": 6, "course_record": "2:01.50"})
    assert Match.objects.get(stage__event=event).code == "FA"
    assert event.stages.get().settings["course_record_ms"] == 121_500


def test_organiser_pages_for_games_are_not_for_other_organisers(client, camp):
    event = camp[0]
    login_two_factor(client, verified(UserFactory()))
    assert client.get(reverse("events:organiser-competition", args=[event.slug])).status_code == 404
    response = client.post(
        reverse("events:organiser-games-generate", args=[event.slug]), {"rules": "fiba", "groups": 0}
    )
    assert response.status_code == 404


def test_demo_slice_draws_races_camp_and_a_finished_carnival_once():
    from events import demo as events_demo
    from events import demo_competition

    events_demo.seed()
    first = demo_competition.seed()
    assert "table-tennis carnival games scored now: 15" in first
    city = Event.objects.get(slug="dragon-boat-city")
    assert [m.code for m in city.stages.get().matches.order_by("sequence")] == ["H1", "H2", "R1", "R2", "FA"]
    camp = Event.objects.get(slug="basketball-camp-shanghai-kunming")
    assert sorted(camp.stages.values_list("kind", flat=True)) == ["groups", "knockout"]
    assert not Match.objects.filter(stage__event=camp, status=MatchStatus.DONE).exists()
    again = demo_competition.seed()
    assert "drawn now: 0" in again and "scored now: 0" in again
    rows, counted = medal_table(programme=city.programme)
    assert [e.slug for e in counted] == ["table-tennis-carnival"]
    assert sum(r.gold for r in rows) == 1


def test_fencing_draws_are_not_for_a_basketball_event_and_an_entry_sync_keeps_its_draw(
    client, camp, organiser
):
    event = camp[0]
    assert client.post(reverse("events:organiser-pools-generate", args=[event.slug])).status_code == 404
    # Squads come from team entries; with none, the sync adds nothing and withdraws no team it did not make.
    response = client.post(
        reverse("events:organiser-competitors-refresh", args=[event.slug]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "0 new, 0 changed, 0 removed" in response.content.decode()
    assert event.competitors.filter(status="active").count() == 8
