"""Competition pages per role: the public pool sheet and tableau (anyone, names and delegations only),
and the organiser's draw and result entry (organisers of the event's programme only)."""

from __future__ import annotations

import pytest

from events.enums import EventStatus, MatchStatus, StageKind
from events.models import Match, Stage
from events.services.competition import bout_result_record, pools_generate, tableau_generate
from registration.enums import EntryStatus
from registration.services.competitors import competitors_sync
from tests.factories import ProgrammeMembershipFactory, UserFactory, login_two_factor, verified
from tests.factories.competition import FencingEventFactory, fencers
from tests.privacy import shows_last4

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def event():
    return FencingEventFactory(name_zh="击剑 U12 男子花剑", name_en="U12 Men's Foil")


@pytest.fixture
def organiser(client, event):
    user = verified(ProgrammeMembershipFactory(programme=event.programme).user)
    login_two_factor(client, user)
    return user


def _fence_all(stage, user):
    for match in stage.matches.order_by("pool", "sequence"):
        better = match.left.seed < match.right.seed
        bout_result_record(
            match=match, left_score=5 if better else 3, right_score=3 if better else 5, user=user
        )


def test_public_pool_sheet_shows_the_matrix_and_the_ranking_to_anyone(client, event):
    field = fencers(event, 5)
    stage = pools_generate(event=event)
    _fence_all(stage, UserFactory())
    response = client.get(f"/events/{event.slug}/pools/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = text(response)
    assert "第 1 组" in body and "小组赛后排名" in body
    assert field[0].display_name in body and field[0].club_zh in body
    # The top seed won all four bouts 5-3: four V cells, V/M 1.000, indicator 8, first place.
    assert body.count('class="pool-cell pool-v">V<') >= 4 and "1.000" in body
    assert response.context["view"].ranking[0][0].indicator == 8
    english = text(client.get(f"/events/{event.slug}/pools/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Pool 1" in english and "Ranking after the pools" in english


def test_public_pages_show_no_birth_date_or_document(client):
    from tests.factories.registration import AthleteFactory, EntryFactory, TeamFactory

    event = FencingEventFactory()
    team = TeamFactory(event=event)
    athletes = [AthleteFactory(delegation=team.delegation) for _ in range(4)]
    for athlete in athletes:
        EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)
    competitors_sync(event=event)
    pools_generate(event=event)
    body = text(client.get(f"/events/{event.slug}/pools/"))
    for athlete in athletes:
        assert athlete.name_latin in body
        assert not shows_last4(body, athlete.document_last4) and athlete.birth_date.isoformat() not in body
        assert f"{athlete.birth_date:%Y%m%d}" not in body


def test_public_pages_of_a_draft_event_are_not_found(client):
    event = FencingEventFactory(status=EventStatus.DRAFT)
    assert client.get(f"/events/{event.slug}/pools/").status_code == 404
    assert client.get(f"/events/{event.slug}/tableau/").status_code == 404


@pytest.mark.parametrize("count", [5, 30])
def test_pool_sheet_query_count_does_not_grow_with_pools(client, event, django_assert_num_queries, count):
    fencers(event, count)
    stage = pools_generate(event=event)
    user = UserFactory()
    for match in stage.matches.all()[:6]:
        bout_result_record(match=match, left_score=5, right_score=1, user=user)
    with django_assert_num_queries(4):  # event, stage, competitors, matches
        response = client.get(f"/events/{event.slug}/pools/")
    assert len(response.context["view"].sheets) == (1 if count == 5 else 5)


def test_public_tableau_shows_winners_and_where_empty_sides_come_from(client, event):
    fencers(event, 6)
    user = UserFactory()
    _fence_all(pools_generate(event=event), user)
    stage = tableau_generate(event=event)
    bout = stage.matches.filter(round=8).exclude(status=MatchStatus.WALKOVER).first()
    bout_result_record(match=bout, left_score=15, right_score=7, user=user)
    body = text(client.get(f"/events/{event.slug}/tableau/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "决赛" in body and "半决赛" in body and "15" in body
    assert "T4-1" in body
    english = text(client.get(f"/events/{event.slug}/tableau/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Winner of T8-" in english


def test_organiser_draws_pools_and_enters_a_result(client, event, organiser):
    fencers(event, 12)
    page = client.get(f"/organiser/competition/events/{event.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "已批准的报名产生 12 名参赛者。" in text(page)
    response = client.post(f"/organiser/competition/events/{event.slug}/pools/", {"max_size": 6}, follow=True)
    stage = Stage.objects.get(event=event, kind=StageKind.POOLS)
    assert len(stage.settings["pools"]) == 2
    assert "P1-01" in text(response)
    match = stage.matches.get(code="P1-01")
    response = client.post(
        f"/organiser/competition/matches/{match.pk}/result/",
        {"left_score": 5, "right_score": 4, "priority": ""},
        follow=True,
    )
    match.refresh_from_db()
    assert (match.left_score, match.right_score, match.status) == (5, 4, MatchStatus.DONE)
    assert match.changes.get().changed_by == organiser


def test_an_impossible_score_is_refused_with_the_reason_in_both_languages(client, event, organiser):
    fencers(event, 5)
    match = pools_generate(event=event).matches.get(code="P1-01")
    url = f"/organiser/competition/matches/{match.pk}/result/"
    zh = client.post(url, {"left_score": 6, "right_score": 5}, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "6–5" in text(zh) and "5" in text(zh)
    en = client.post(url, {"left_score": 6, "right_score": 5}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "6–5 cannot happen in a bout fought to 5 touches" in text(en)
    match.refresh_from_db()
    assert match.status == MatchStatus.SCHEDULED and not match.changes.exists()


def test_too_few_fencers_to_draw_says_why_and_what_would_fix_it(client, event, organiser):
    fencers(event, 2)
    response = client.post(
        f"/organiser/competition/events/{event.slug}/pools/",
        {"max_size": 7},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "too few entries: 2 fencers" in text(response) and "add fencers" in text(response)
    assert not Stage.objects.filter(event=event).exists()


def test_organiser_draws_the_tableau_after_the_pools(client, event, organiser):
    fencers(event, 6)
    _fence_all(pools_generate(event=event), organiser)
    response = client.post(
        f"/organiser/competition/events/{event.slug}/tableau/", {"cut_percent": ""}, follow=True
    )
    stage = Stage.objects.get(event=event, kind=StageKind.TABLEAU)
    assert stage.settings["size"] == 8 and "T8-1" in text(response)


def test_another_programmes_organiser_gets_404_and_changes_nothing(client, event):
    fencers(event, 5)
    match = pools_generate(event=event).matches.get(code="P1-01")
    stranger = verified(ProgrammeMembershipFactory().user)
    login_two_factor(client, stranger)
    assert client.get(f"/organiser/competition/events/{event.slug}/").status_code == 404
    assert (
        client.post(f"/organiser/competition/events/{event.slug}/pools/", {"max_size": 5}).status_code == 404
    )
    assert client.post(f"/organiser/competition/events/{event.slug}/tableau/").status_code == 404
    response = client.post(
        f"/organiser/competition/matches/{match.pk}/result/", {"left_score": 5, "right_score": 0}
    )
    assert response.status_code == 404
    assert Match.objects.get(pk=match.pk).status == MatchStatus.SCHEDULED
    assert Stage.objects.filter(event=event).count() == 1


def test_an_organiser_without_two_factor_is_sent_to_set_it_up_and_sees_nothing(client, event):
    fencers(event, 5)
    user = verified(ProgrammeMembershipFactory(programme=event.programme).user)
    client.force_login(user)
    response = client.get(f"/organiser/competition/events/{event.slug}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/")
    client.post(f"/organiser/competition/events/{event.slug}/pools/", {"max_size": 5})
    assert not Stage.objects.filter(event=event).exists()


@pytest.mark.parametrize("count", [4, 20])
def test_tableau_query_count_does_not_grow_with_fencers(client, event, django_assert_num_queries, count):
    fencers(event, count)
    _fence_all(pools_generate(event=event), UserFactory())
    tableau_generate(event=event)
    with django_assert_num_queries(3):  # event, stage, matches with both sides
        response = client.get(f"/events/{event.slug}/tableau/")
    assert response.context["rounds"][0].table == (4 if count == 4 else 32)
