"""Referee links: a signed link per pool, stage or court opens a phone page that scores only its own
matches, without an account; another pool's match, a forged link and an expired link change nothing."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from events.enums import GameRules, MatchStatus, VenueResourceKind
from events.models import Match, RefereeLinkRevocation, ResultChange
from events.services.competition import pools_generate
from events.services.games import games_generate
from events.services.races import races_generate
from events.services.referee import (
    RefereeLinkError,
    referee_link_make,
    referee_link_revoke,
    referee_scope_read,
)
from tests.factories import ProgrammeMembershipFactory, VenueResourceFactory, login_two_factor, verified
from tests.factories.competition import (
    BasketballEventFactory,
    DragonBoatEventFactory,
    FencingEventFactory,
    entrants,
    fencers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pools():
    event = FencingEventFactory()
    fencers(event, 12)
    return pools_generate(event=event, max_size=6)


def _link(stage, pool=None, **kwargs):
    return reverse(
        "events:referee", args=[referee_link_make(event_id=stage.event_id, stage=stage, pool=pool, **kwargs)]
    )


def test_a_pool_link_shows_its_bouts_in_the_official_order_and_scores_them(client, pools):
    url = _link(pools, pool=2)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    bouts = list(pools.matches.filter(pool=2).order_by("sequence"))
    assert body.index(bouts[0].code) < body.index(bouts[1].code)
    assert pools.matches.get(pool=1, sequence=1).code not in body
    bout = bouts[0]
    response = client.post(url, {"match": bout.pk, "left_score": 5, "right_score": 2, "priority": ""})
    assert response.status_code == 302
    bout.refresh_from_db()
    assert (bout.left_score, bout.right_score, bout.winner_id, bout.status) == (
        5,
        2,
        bout.left_id,
        MatchStatus.DONE,
    )
    change = ResultChange.objects.get(match=bout)
    assert change.changed_by is None and "2" in change.via


def test_another_pools_bout_through_this_link_changes_nothing(client, pools):
    url = _link(pools, pool=2)
    other = pools.matches.get(pool=1, sequence=1)
    response = client.post(url, {"match": other.pk, "left_score": 5, "right_score": 2})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == MatchStatus.SCHEDULED and other.left_score is None
    assert not ResultChange.objects.exists()


def test_an_expired_link_shows_why_and_changes_nothing(client, pools):
    url = _link(pools, pool=1, expires_at=timezone.now() + dt.timedelta(hours=1))
    bout = pools.matches.get(pool=1, sequence=1)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        response = client.post(url, {"match": bout.pk, "left_score": 5, "right_score": 2})
    assert page.status_code == 410
    assert "This referee link expired: ask the organiser for a new one." in page.content.decode()
    assert response.status_code == 410
    bout.refresh_from_db()
    assert bout.left_score is None and not ResultChange.objects.exists()


def test_a_forged_or_altered_link_is_not_found(client, pools):
    token = referee_link_make(event_id=pools.event_id, stage=pools, pool=1)
    altered = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    bout = pools.matches.get(pool=1, sequence=1)
    for bad in (altered, "not-a-token"):
        assert (
            client.post(
                reverse("events:referee", args=[bad]), {"match": bout.pk, "left_score": 5, "right_score": 1}
            ).status_code
            == 404
        )
    bout.refresh_from_db()
    assert bout.left_score is None
    with pytest.raises(RefereeLinkError) as refused:
        referee_scope_read(altered)
    assert not refused.value.expired


def test_an_impossible_score_through_a_link_is_refused_with_the_reason(client, pools):
    url = _link(pools, pool=1)
    bout = pools.matches.get(pool=1, sequence=1)
    refused = client.post(url, {"match": bout.pk, "left_score": 6, "right_score": 5})
    assert refused.status_code == 302 and refused["Location"].endswith(f"#match-{bout.pk}")  # back to it
    response = client.post(
        url, {"match": bout.pk, "left_score": 6, "right_score": 5}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "6–5 cannot happen in a bout fought to 5 touches" in response.content.decode()
    bout.refresh_from_db()
    assert bout.left_score is None


def test_a_court_link_scores_only_the_games_placed_on_that_court(client):
    event = BasketballEventFactory()
    entrants(event, 4)
    [stage] = games_generate(event=event, rules=GameRules.FIBA, groups=1, knockout=False)
    court_1 = VenueResourceFactory(code="court-1", kind=VenueResourceKind.COURT)
    court_2 = VenueResourceFactory(venue=court_1.venue, code="court-2", kind=VenueResourceKind.COURT)
    games = list(stage.matches.order_by("sequence"))
    Match.objects.filter(pk__in=[g.pk for g in games[:3]]).update(resource=court_1)
    Match.objects.filter(pk__in=[g.pk for g in games[3:]]).update(resource=court_2)
    url = reverse("events:referee", args=[referee_link_make(event_id=event.pk, resource=court_1)])
    assert client.post(url, {"match": games[0].pk, "left_score": 70, "right_score": 66}).status_code == 302
    assert client.post(url, {"match": games[4].pk, "left_score": 70, "right_score": 66}).status_code == 404
    assert Match.objects.get(pk=games[0].pk).status == MatchStatus.DONE
    assert Match.objects.get(pk=games[4].pk).status == MatchStatus.SCHEDULED
    client.post(url, {"match": games[1].pk, "left_score": 70, "right_score": 70})
    assert Match.objects.get(pk=games[1].pk).status == MatchStatus.SCHEDULED


def _team_final():
    event = FencingEventFactory()
    entrants(event, 2)
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    return stage, stage.matches.select_related("left", "right").get()


def _relay_scores(final, home, away, **extra) -> dict:
    prefix = f"match-{final.pk}"
    data = {f"{prefix}-home_{n}": score for n, score in enumerate(home, start=1)}
    data |= {f"{prefix}-away_{n}": score for n, score in enumerate(away, start=1)}
    return {"match": final.pk, **data, **extra}


def test_a_team_match_link_names_who_fences_in_each_relay_once_the_orders_are_given(client):
    from events.services.games import team_lineup_set

    stage, final = _team_final()
    url = _link(stage)
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>3–6</td>" in body  # positions only, before the orders are given
    for team, names in ((final.left, ["李华", "王强", "陈一"]), (final.right, ["Anna", "Ben", "Cai"])):
        team.members = {f"p-{team.pk}-{i}": name for i, name in enumerate(names)}
        team.person_keys = list(team.members)
        team.save(update_fields=["members", "person_keys"])
        team_lineup_set(match=final, team=team, order=team.person_keys, user=None)
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = body[body.index("<tbody>") : body.index("</tbody>")]
    assert rows.index("陈一 – Cai") < rows.index("李华 – Ben")  # relay 1 is 3–6, relay 2 is 1–5
    last = f'<tr id="match-{final.pk}-relay-9">'
    assert last in rows and "陈一 – Ben" in rows[rows.index(last) :]
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "每轮接力" in chinese and "陈一 – Cai" in chinese


def test_a_team_match_link_scores_the_match_relay_by_relay(client):
    stage, final = _team_final()
    url = _link(stage)
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'name="match-{final.pk}-home_1"' in body and f'name="match-{final.pk}-away_9"' in body
    assert "relays_home" not in body  # no comma-separated lists any more
    home, away = [5, 10, 15, 20, 25, 30, 35, 40, 45], [2, 7, 12, 17, 22, 27, 32, 37, 40]
    response = client.post(url, _relay_scores(final, home, away), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert f"Result of {final.code} saved." in response.content.decode()
    final.refresh_from_db()
    assert (final.left_score, final.right_score, final.winner_id) == (45, 40, final.left_id)
    assert final.detail["relays"] == [home, away]
    change = ResultChange.objects.get(match=final)
    assert change.changed_by is None and "referee link" in change.via
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'name="match-{final.pk}-home_9" id="id_match-{final.pk}-home_9" value="45"' in again


@pytest.mark.parametrize(
    ("language", "reason"),
    [("en", "Relay 2: enter both teams"), ("zh-hans", "第 2 轮接力：请填写两队的累计比分。")],
)
def test_a_relay_without_both_scores_is_refused_with_the_reason_and_changes_nothing(client, language, reason):
    stage, final = _team_final()
    data = _relay_scores(final, [5, 10], [3, ""])
    response = client.post(_link(stage), data, follow=True, HTTP_ACCEPT_LANGUAGE=language)
    assert reason in response.content.decode()
    final.refresh_from_db()
    assert final.left_score is None and not final.detail.get("relays")
    assert not ResultChange.objects.filter(match=final).exists()


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Relay 3: {team}: "), ("zh-hans", "第 3 轮接力：{team}：")]
)
def test_a_relay_score_out_of_range_names_the_relay_and_the_team(client, language, label):
    stage, final = _team_final()
    data = _relay_scores(final, [5, 10, 50], [3, 8, 12])
    body = client.post(_link(stage), data, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert label.format(team=final.left.display_name) in body  # full-width colons in Chinese
    assert "enter both teams" not in body and "请填写两队" not in body  # not read as a missing score
    field = f"id_match-{final.pk}-home_3"
    assert f'aria-describedby=" {field}-error"' in body and f'id="{field}-error"' in body
    assert f'name="match-{final.pk}-home_2" id="id_match-{final.pk}-home_2" value="10"' in body  # kept
    final.refresh_from_db()
    assert final.left_score is None


def test_a_link_with_two_relay_matches_gives_each_row_its_own_id(client):
    event = FencingEventFactory()
    entrants(event, 4)
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=4)
    semis = list(stage.matches.filter(left__isnull=False, right__isnull=False))
    assert len(semis) == 2
    body = client.get(_link(stage), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    ids = re.findall(r'id="([^"]+)"', body)
    assert len(ids) == len(set(ids))
    assert all(f'id="match-{semi.pk}-relay-1"' in body for semi in semis)


def test_a_course_link_enters_a_race_lane_by_lane(client):
    event = DragonBoatEventFactory()
    entrants(event, 5, kind="crew")
    stage = races_generate(event=event, lanes=6, course_record_ms=120_000)
    race = stage.matches.get()
    lanes = list(race.lanes.order_by("lane"))
    data = {"match": race.pk}
    for i, lane in enumerate(lanes):
        data[f"lane_{lane.lane}_time"] = f"2:{10 + i:02d}.50"
        data[f"lane_{lane.lane}_finish"] = "finished"
    data[f"lane_{lanes[-1].lane}_finish"] = "dnf"
    url = reverse("events:referee", args=[referee_link_make(event_id=event.pk, stage=stage)])
    assert client.post(url, data).status_code == 302
    by_lane = {ln.lane: ln for ln in race.lanes.all()}
    assert by_lane[lanes[0].lane].time_ms == 130_500 and by_lane[lanes[0].lane].place == 1
    assert by_lane[lanes[-1].lane].status == "dnf" and by_lane[lanes[-1].lane].place == 5


# ---- revoking a link (a lost phone) -------------------------------------------------------------------


@pytest.fixture
def organiser(client, pools):
    user = verified(ProgrammeMembershipFactory(programme=pools.event.programme).user)
    login_two_factor(client, user)
    return user


def _page_links(client, event) -> dict[str, tuple[str, str]]:
    """label -> (path, token) of the referee links on the organiser's competition page."""
    page = client.get(reverse("events:organiser-competition", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="en")
    return {
        label: (url[url.index("/referee/") :], token) for label, url, token in page.context["referee_links"]
    }


def test_an_organiser_revokes_a_lost_link_and_gives_out_a_new_one(client, pools, organiser):
    event = pools.event
    links = _page_links(client, event)
    lost, lost_token = links["Pool 1"]
    other, _other_token = links["Pool 2"]
    revoke = reverse("events:referee-revoke", args=[event.slug])
    confirm = client.post(revoke, {"token": lost_token}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Revoke the referee link “Pool 1”?" in confirm.content.decode()
    assert not RefereeLinkRevocation.objects.exists()  # asking is not doing
    assert client.get(lost).status_code == 200
    done = client.post(revoke, {"token": lost_token, "confirm": "1"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "The referee link “Pool 1” is revoked" in done.content.decode()
    revocation = RefereeLinkRevocation.objects.get()
    assert (revocation.revoked_by, revocation.pool, revocation.stage_id) == (organiser, 1, pools.pk)
    assert revocation.revoked_at is not None
    # The page keeps the log: which link, when (Shanghai time) and by whom; never the token.
    when = timezone.localtime(revocation.revoked_at).strftime("%Y-%m-%d %H:%M")
    page_text = done.content.decode()
    assert "Revoked links" in page_text
    assert f"“Pool 1”, revoked {when} by {organiser}" in page_text
    assert lost_token not in page_text.split("Revoked links", 1)[1]
    zh = client.get(
        reverse("events:organiser-competition", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert f"“Pool 1”于 {when} 由 {organiser} 撤销" in zh.content.decode()  # the label as it was revoked

    bout = pools.matches.get(pool=1, sequence=1)
    client.logout()  # the referee holding the lost phone has no account
    page = client.get(lost, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 410
    assert "This referee link was revoked by the organiser: ask them for a new one." in page.content.decode()
    assert client.post(lost, {"match": bout.pk, "left_score": 5, "right_score": 2}).status_code == 410
    bout.refresh_from_db()
    assert bout.left_score is None and not ResultChange.objects.exists()
    assert "撤销" in client.get(lost, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    # Pool 2's link keeps working.
    assert client.get(other).status_code == 200

    login_two_factor(client, organiser)
    fresh, _token = _page_links(client, event)["Pool 1"]
    assert fresh != lost
    client.logout()
    assert client.get(fresh).status_code == 200
    client.post(fresh, {"match": bout.pk, "left_score": 5, "right_score": 2})
    bout.refresh_from_db()
    assert (bout.left_score, bout.status) == (5, MatchStatus.DONE)


def test_a_piste_link_is_revoked_apart_from_the_pool_links(pools):
    piste = VenueResourceFactory(code="piste-9", kind=VenueResourceKind.PISTE)
    piste_token = referee_link_make(event_id=pools.event_id, resource=piste)
    pool_token = referee_link_make(event_id=pools.event_id, stage=pools, pool=1)
    RefereeLinkRevocation.objects.create(event=pools.event, resource=piste, label="piste")
    with pytest.raises(RefereeLinkError) as refused:
        referee_scope_read(piste_token)
    assert refused.value.revoked and refused.value.gone
    assert referee_scope_read(pool_token).pool == 1
    assert (
        referee_scope_read(referee_link_make(event_id=pools.event_id, resource=piste)).resource_id == piste.pk
    )


def test_only_the_events_organisers_may_revoke_its_links(client, pools):
    token = referee_link_make(event_id=pools.event_id, stage=pools, pool=1)
    revoke = reverse("events:referee-revoke", args=[pools.event.slug])
    assert client.post(revoke, {"token": token, "confirm": "1"}).status_code == 302  # to the login page
    login_two_factor(client, verified(ProgrammeMembershipFactory().user))
    assert client.post(revoke, {"token": token, "confirm": "1"}).status_code == 404
    assert not RefereeLinkRevocation.objects.exists()
    assert client.get(_link(pools, pool=1)).status_code == 200


def test_an_organiser_cannot_revoke_another_events_link_or_a_forged_one(client, pools, organiser):
    elsewhere = FencingEventFactory()
    fencers(elsewhere, 6)
    other_stage = pools_generate(event=elsewhere, max_size=6)
    foreign = referee_link_make(event_id=elsewhere.pk, stage=other_stage, pool=1)
    revoke = reverse("events:referee-revoke", args=[pools.event.slug])
    for token in (foreign, "not-a-token"):
        assert client.post(revoke, {"token": token, "confirm": "1"}).status_code == 404
    assert not RefereeLinkRevocation.objects.exists()
    assert client.get(revoke).status_code == 405


def test_a_revocation_is_logged_with_who_and_when_but_never_the_token(pools, organiser, caplog):
    token = referee_link_make(event_id=pools.event_id, stage=pools, pool=2)
    caplog.set_level(logging.INFO, logger="events.referee")
    revocation = referee_link_revoke(event=pools.event, token=token, user=organiser)
    [record] = [r for r in caplog.records if r.name == "events.referee"]
    assert record.revoked_by == organiser.pk and record.pool == 2 and record.stage_id == pools.pk
    assert record.revoked_at == revocation.revoked_at.isoformat()
    assert token not in caplog.text
