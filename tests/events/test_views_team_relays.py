"""The organiser's fencing team relay screens: draw the table between teams, see the nine relays with
each team's fencer positions, enter the running scores (checked as the rules say, refused in both
languages), and the winner goes on to the next round. Organisers of the programme only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events.enums import GameRules, MatchStatus, StageKind
from events.models import Match, ResultChange
from events.services.games import games_generate
from tests.factories import ProgrammeMembershipFactory, UserFactory, login_two_factor, verified
from tests.factories.competition import FencingEventFactory, entrants, fencers
from tests.factories.registration import MembershipFactory

pytestmark = pytest.mark.django_db

HOME = [5, 10, 14, 20, 25, 28, 35, 40, 45]
AWAY = [3, 8, 15, 17, 21, 30, 33, 36, 41]


@pytest.fixture
def event():
    event = FencingEventFactory(name_zh="U14 男子重剑团体", name_en="U14 Men's Épée Team")
    entrants(event, 4)
    return event


@pytest.fixture
def organiser(client, event):
    user = verified(ProgrammeMembershipFactory(programme=event.programme).user)
    login_two_factor(client, user)
    return user


def _scores(home, away, **extra) -> dict:
    data = {f"home_{i}": h for i, h in enumerate(home, start=1)}
    data |= {f"away_{i}": a for i, a in enumerate(away, start=1)}
    return data | extra


def test_organiser_draws_the_team_table_from_the_teams(client, event, organiser):
    page = client.get(reverse("events:organiser-competition", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "4 teams in the draw" in body and "The team table has not been drawn yet." in body
    assert "Draw the pools" not in body  # a team event is not drawn in pools
    response = client.post(
        reverse("events:organiser-team-generate", args=[event.slug]), {"places": 4}, follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    body = response.content.decode()
    assert "The team table is drawn." in body
    stage = event.stages.get(kind=StageKind.KNOCKOUT)
    assert stage.settings["rules"] == GameRules.FENCING_TEAM
    semi = stage.matches.get(code="M1")
    assert reverse("events:organiser-relays", args=[semi.pk]) in body
    assert "Winner of M1" in body and "Loser of M1" in body  # final and third place wait for the semis


def test_a_team_draw_of_single_fencers_is_refused_with_the_reason(client, organiser):
    individual = FencingEventFactory(programme=ProgrammeMembershipFactory(user=organiser).programme)
    fencers(individual, 4)
    response = client.post(
        reverse("events:organiser-team-generate", args=[individual.slug]), {"places": 2}, follow=True,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )  # fmt: skip
    assert "团体接力赛在队伍之间抽签" in response.content.decode()
    assert not individual.stages.exists()


def test_relay_page_shows_the_official_order_with_fencer_positions(client, event, organiser):
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=4)
    semi = stage.matches.get(code="M1")
    body = client.get(reverse("events:organiser-relays", args=[semi.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    body = body.decode()
    assert semi.left.display_name in body and semi.right.display_name in body
    # FIE order of relays: 3-6, 1-5, 2-4, 1-6, 3-4, 2-5, 1-4, 2-6, 3-5, ending at 5, 10 ... 45.
    order = [
        body.index(f"<td>{pair}</td>")
        for pair in ("3–6", "1–5", "2–4", "1–6", "3–4", "2–5", "1–4", "2–6", "3–5")
    ]
    assert order == sorted(order)
    assert "<td>45</td>" in body and 'name="home_9"' in body and 'name="away_9"' in body
    assert f'<label class="visually-hidden" for="id_home_1">Relay 1: {semi.left.display_name}</label>' in body


def test_running_scores_are_recorded_and_the_winner_goes_on(client, event, organiser):
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=4)
    semi = stage.matches.get(code="M1")
    response = client.post(reverse("events:organiser-relays", args=[semi.pk]), _scores(HOME, AWAY))
    assert response.status_code == 302
    semi.refresh_from_db()
    assert (semi.left_score, semi.right_score, semi.winner_id) == (45, 41, semi.left_id)
    assert semi.detail["relays"] == [HOME, AWAY]
    assert ResultChange.objects.get(match=semi).changed_by == organiser
    final = stage.matches.get(detail__places=[1, 2])
    third = stage.matches.get(detail__places=[3, 4])
    assert final.left_id == semi.left_id and third.left_id == semi.right_id
    again = client.get(reverse("events:organiser-relays", args=[semi.pk])).content.decode()
    assert 'name="home_9" id="id_home_9" value="45"' in again  # the sheet opens as entered, to correct


def test_a_relay_past_its_target_is_refused_in_both_languages(client, event, organiser):
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semi = stage.matches.get(code="M1")
    url = reverse("events:organiser-relays", args=[semi.pk])
    wrong = _scores([5, 11, *HOME[2:]], AWAY)
    english = client.post(url, wrong, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "relay 2 ends at 10 touches, so 11 cannot be" in english
    assert 'role="alert"' in english and 'value="11"' in english  # what was typed stays to correct
    chinese = client.post(url, wrong, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "第 2 轮接力到 10 剑结束，不可能出现 11" in chinese
    gap = client.post(url, _scores(HOME[:3], AWAY[:2]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Relay 3: enter both teams&#x27; running scores." in gap
    semi.refresh_from_db()
    assert semi.status == MatchStatus.SCHEDULED and not ResultChange.objects.exists()


def test_equal_touches_need_the_priority_winner(client, event, organiser):
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semi = stage.matches.get(code="M1")
    url = reverse("events:organiser-relays", args=[semi.pk])
    level = [5, 10, 15, 20, 25, 30, 35, 40, 44]
    refused = client.post(url, _scores(level, level), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "a fencing match has a winner even at equal touches" in refused
    assert client.post(url, _scores(level, level, priority="away")).status_code == 302
    semi.refresh_from_db()
    assert semi.winner_id == semi.right_id


@pytest.mark.parametrize("who", ["anonymous", "spectator", "manager", "other_organiser"])
def test_only_the_programmes_organisers_reach_the_relays(client, event, who):
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semi = stage.matches.get(code="M1")
    user = {
        "anonymous": None,
        "spectator": verified(UserFactory()),
        "manager": MembershipFactory().user,
        "other_organiser": verified(ProgrammeMembershipFactory().user),
    }[who]
    if user is not None:
        login_two_factor(client, user)
    for response in (
        client.get(reverse("events:organiser-relays", args=[semi.pk])),
        client.post(reverse("events:organiser-relays", args=[semi.pk]), _scores(HOME, AWAY)),
        client.post(reverse("events:organiser-team-generate", args=[event.slug]), {"places": 4}),
    ):
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
    assert not Match.objects.filter(pk=semi.pk, status=MatchStatus.DONE).exists()
    assert event.stages.get().matches.count() == 3  # the draw was not made again (4 places would add one)


def test_a_match_that_is_not_a_relay_has_no_relay_page(client, event, organiser):
    [stage] = games_generate(event=event, rules=GameRules.FIBA, places=2)
    assert (
        client.get(reverse("events:organiser-relays", args=[stage.matches.get(code="M1").pk])).status_code
        == 404
    )


def _squad(team, names: list[str]) -> dict[str, str]:
    """Give a team competitor its fencers, as registration's sync does: person key -> public name."""
    members = {f"p-{team.pk:02d}{index}": name for index, name in enumerate(names, start=1)}
    team.person_keys, team.members = list(members), members
    team.save(update_fields=["person_keys", "members"])
    return members


def _order(side: str, keys: list[str]) -> dict:
    return {"side": side, **{f"{side}-position_{i}": key for i, key in enumerate(keys, start=1)}}


def test_each_teams_order_names_the_fencers_of_every_relay(client, event, organiser):
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semi = stage.matches.get(code="M1")
    home = list(_squad(semi.left, ["李华", "王强", "陈一", "赵替补"]))
    away = list(_squad(semi.right, ["Anna Wu", "Ben Xu", "Cai Lin"]))
    url = reverse("events:organiser-lineup", args=[semi.pk])

    saved = client.post(url, _order("home", [home[2], home[0], home[1]]), HTTP_ACCEPT_LANGUAGE="en")
    assert saved.status_code == 302 and saved["Location"].endswith("#lineup-home")
    client.post(url, _order("away", away), HTTP_ACCEPT_LANGUAGE="en")

    semi.refresh_from_db()
    assert semi.detail["lineup"] == {str(semi.left_id): [home[2], home[0], home[1]], str(semi.right_id): away}
    page = client.get(reverse("events:organiser-relays", args=[semi.pk]), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    # Relay 1 is 3-6: the home team's third (王强) against the away team's third (Cai Lin); relay 2 is 1-5.
    assert '<td>3–6<br><span class="small">王强 – Cai Lin</span></td>' in body
    assert '<td>1–5<br><span class="small">陈一 – Ben Xu</span></td>' in body
    assert f'<option value="{home[3]}">赵替补</option>' in body  # the reserve can be chosen
    assert f'<option value="{home[2]}" selected>陈一</option>' in body  # the form opens as saved
    changes = list(ResultChange.objects.filter(match=semi))
    assert [change.changed_by for change in changes] == [organiser, organiser]  # logged as results are
    assert changes[-1].after["lineup"] == semi.detail["lineup"]


def test_an_order_with_a_fencer_twice_is_refused_in_both_languages(client, event, organiser):
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semi = stage.matches.get(code="M1")
    home = list(_squad(semi.left, ["李华", "王强", "陈一"]))
    url = reverse("events:organiser-lineup", args=[semi.pk])

    english = client.post(url, _order("home", [home[0], home[0], home[1]]), HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    assert "a fencer can hold only one position in the team&#x27;s order" in english.content.decode()
    chinese = client.post(url, _order("home", [home[0], home[0], home[1]]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "同一名选手在出场顺序中只能占一个位置" in chinese.content.decode()
    missing = client.post(url, _order("home", [home[0], "", home[1]]), HTTP_ACCEPT_LANGUAGE="en")
    assert "This field is required." in missing.content.decode()
    stranger = client.post(
        url, _order("home", [home[0], "p-not-in-team", home[1]]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Select a valid choice." in stranger.content.decode()
    away = list(_squad(semi.right, ["Anna Wu", "Ben Xu", "Cai Lin"]))
    crossed = client.post(url, _order("away", [home[0], away[1], away[2]]), HTTP_ACCEPT_LANGUAGE="en")
    body = crossed.content.decode()
    assert "Select a valid choice." in body  # the other team's fencer is not among this team's choices
    # The error is tied to its select for a screen reader.
    assert 'aria-invalid="true" aria-describedby="id_away-position_1_error"' in body
    assert '<ul class="errorlist" id="id_away-position_1_error">' in body
    semi.refresh_from_db()
    assert "lineup" not in semi.detail and not ResultChange.objects.exists()


def test_a_team_whose_fencers_are_unknown_says_where_they_come_from(client, event, organiser):
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semi = stage.matches.get(code="M1")
    body = client.get(reverse("events:organiser-relays", args=[semi.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "尚不知道这支队伍的选手" in body.content.decode()
    assert (
        client.post(reverse("events:organiser-lineup", args=[semi.pk]), {"side": "left"}).status_code == 404
    )


def test_an_order_naming_a_fencer_who_left_the_team_asks_for_a_new_one(client, event, organiser):
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semi = stage.matches.get(code="M1")
    home = list(_squad(semi.left, ["李华", "王强", "陈一", "赵安"]))
    client.post(reverse("events:organiser-lineup", args=[semi.pk]), _order("home", home[:3]))
    semi.left.members = {key: name for key, name in semi.left.members.items() if key != home[2]}  # 陈一 left
    semi.left.person_keys = list(semi.left.members)
    semi.left.save(update_fields=["members", "person_keys"])
    page = client.get(reverse("events:organiser-relays", args=[semi.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = page.content.decode()
    assert "这个出场顺序中有已不在队中的选手：请重新选择出场顺序。" in body
    assert '<td>1–5<br><span class="small">李华 – ?</span></td>' in body
    assert '<td>3–6<br><span class="small">? – ?</span></td>' in body  # nobody named who is not there


@pytest.mark.parametrize("who", ["anonymous", "spectator", "other_organiser", "organiser_without_two_factor"])
def test_only_the_programmes_organisers_set_an_order(client, event, who):
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semi = stage.matches.get(code="M1")
    home = list(_squad(semi.left, ["李华", "王强", "陈一"]))
    user = {
        "anonymous": None,
        "spectator": verified(UserFactory()),
        "other_organiser": verified(ProgrammeMembershipFactory().user),
        "organiser_without_two_factor": verified(ProgrammeMembershipFactory(programme=event.programme).user),
    }[who]
    if who == "organiser_without_two_factor":
        client.force_login(user)  # signed in, two-factor not passed in this session
    elif user is not None:
        login_two_factor(client, user)
    response = client.post(reverse("events:organiser-lineup", args=[semi.pk]), _order("home", home))
    assert response.status_code in (302, 404)
    if response.status_code == 302:  # to log in, or (an organiser) to set up two-factor first
        assert response["Location"].startswith(("/accounts/login/", "/accounts/2fa/"))
    semi.refresh_from_db()
    assert "lineup" not in semi.detail


def test_the_scoresheet_pdf_names_each_teams_fencers_and_the_scores_so_far(client, event, organiser):
    from events.services.games import game_result_record, team_lineup_set
    from tests.pdf import fonts_embedded, pdf_text

    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semi = stage.matches.select_related("left", "right").get(code="M1")
    url = reverse("events:organiser-relays-pdf", args=[semi.pk])
    blank, _reader = pdf_text(client.get(url + "?lang=en"))
    assert "3–6" in blank and "Captain" in blank and "Referee" in blank  # positions only, boxes to fill
    assert "王强" not in blank

    home = list(_squad(semi.left, ["李华", "王强", "陈一", "赵替补"]))
    away = list(_squad(semi.right, ["Anna Wu", "Ben Xu", "Cai Lin"]))
    team_lineup_set(match=semi, team=semi.left, order=[home[2], home[0], home[1]], user=organiser)
    team_lineup_set(match=semi, team=semi.right, order=away, user=organiser)
    game_result_record(match=semi, home_score=0, away_score=0, relays=(HOME, AWAY), user=organiser)
    english, reader = pdf_text(client.get(url + "?lang=en"))
    assert "1.  陈一" in english and "6.  Cai Lin" in english  # each position with its fencer
    assert "3–6  王强 – Cai Lin" in english and "1–5  陈一 – Ben Xu" in english
    assert "45" in english.split("3–5  王强 – Ben Xu")[1] and "41" in english  # the scores, as recorded
    assert f"Captain, {semi.left.display_name}" in english
    assert fonts_embedded(reader)
    chinese = client.get(url + "?lang=zh-hans")
    assert chinese["Content-Disposition"] == f'inline; filename="{event.slug}-m1-relays-zh-hans.pdf"'
    text, _reader = pdf_text(chinese)
    assert "队长" in text and "裁判" in text and "王强" in text


def test_the_scoresheet_pdf_is_for_the_programmes_organisers_only(client, event):
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semi = stage.matches.get(code="M1")
    outsider = verified(ProgrammeMembershipFactory().user)
    login_two_factor(client, outsider)
    assert client.get(reverse("events:organiser-relays-pdf", args=[semi.pk])).status_code == 404
