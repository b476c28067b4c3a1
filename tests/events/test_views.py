"""Public catalogue pages: home, filterable event list, event and venue pages, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import CityFactory, EventFactory, SessionFactory, VenueFactory
from tests.factories.events import SHANGHAI

pytestmark = pytest.mark.django_db

BEFORE_SEASON = dt.datetime(2027, 3, 1, 9, tzinfo=SHANGHAI)


@pytest.fixture
def season():
    nantong = CityFactory(slug="nantong", name_zh="南通", name_en="Nantong")
    shanghai = CityFactory(slug="shanghai", name_zh="上海", name_en="Shanghai")
    football = EventFactory(
        host_city=nantong,
        discipline="football",
        name_zh="苏超 南通 vs 苏州",
        name_en="Nantong v Suzhou",
        start_date=dt.date(2027, 5, 29),
        end_date=dt.date(2027, 5, 29),
    )
    fencing = EventFactory(
        host_city=shanghai,
        discipline="fencing",
        weapon="foil",
        name_zh="击剑 U12 男子花剑",
        name_en="U12 Men's Foil",
        start_date=dt.date(2027, 4, 10),
        end_date=dt.date(2027, 4, 10),
        programme=football.programme,
    )
    draft = EventFactory(
        host_city=shanghai,
        status="draft",
        name_zh="草稿赛事",
        name_en="Draft event",
        programme=football.programme,
    )
    SessionFactory(event=fencing, name_zh="小组赛", name_en="Pools")
    SessionFactory(event=football, name_zh="南通 vs 苏州", name_en="Nantong v Suzhou")
    return {"football": football, "fencing": fencing, "draft": draft}


def text(response) -> str:
    return response.content.decode()


@time_machine.travel(BEFORE_SEASON)
def test_home_in_chinese_shows_the_programme_and_what_is_on_next(client, season):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = text(response)
    assert 'lang="zh-hans"' in body
    assert "接下来" in body
    assert "击剑 U12 男子花剑" in body
    assert "草稿赛事" not in body


@time_machine.travel(BEFORE_SEASON)
def test_home_in_english_after_switching_language(client, season):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = text(client.get("/"))
    assert 'lang="en"' in body
    assert "What is on next" in body
    assert "U12 Men&#x27;s Foil" in body


def test_event_list_filters_by_city(client, season):
    body = text(client.get("/events/?city=nantong", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Nantong v Suzhou" in body
    assert "U12 Men" not in body


def test_event_list_filters_by_discipline_and_date(client, season):
    body = text(client.get("/events/?discipline=fencing&date=2027-04-10", HTTP_ACCEPT_LANGUAGE="en"))
    assert "U12 Men" in body
    assert "Nantong v Suzhou" not in body
    empty = text(client.get("/events/?discipline=fencing&date=2027-05-29", HTTP_ACCEPT_LANGUAGE="en"))
    assert "No events match these filters." in empty


def test_event_list_bad_filter_input_shows_an_error_and_no_crash(client, season):
    response = client.get("/events/?date=not-a-date&city=atlantis", HTTP_ACCEPT_LANGUAGE="en")
    body = text(response)
    assert response.status_code == 200
    assert "Enter a valid date." in body
    assert "Select a valid choice." in body


def test_event_page_lists_its_sessions(client, season):
    body = text(client.get(f"/events/{season['fencing'].slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "击剑 U12 男子花剑" in body
    assert "小组赛" in body
    assert "花剑" in body


def test_event_page_names_sessions_without_their_kind_stuck_on(client, season):
    fencing = season["fencing"]
    SessionFactory(event=fencing, kind="bout_block", name_zh="淘汰赛", name_en="Direct elimination")
    SessionFactory(event=fencing, kind="ceremony", name_zh="颁奖", name_en="Medals")
    body = text(client.get(f"/events/{fencing.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "淘汰赛" in body
    assert "比赛时段" not in body
    assert '颁奖 <span class="badge">仪式</span>' in body


def test_event_page_dates_read_naturally_in_both_languages(client, season):
    fencing = season["fencing"]
    SessionFactory(
        event=fencing,
        name_zh="决赛",
        name_en="Finals",
        starts_at=dt.datetime(2027, 4, 10, 8, 30, tzinfo=SHANGHAI),
        ends_at=dt.datetime(2027, 4, 10, 22, 15, tzinfo=SHANGHAI),
    )
    english = text(client.get(f"/events/{fencing.slug}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Sat 10 Apr 2027, 08:30–22:15" in english
    assert "p.m." not in english
    assert "Apr. 10" not in english
    chinese = text(client.get(f"/events/{fencing.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "2027年4月10日 08:30–22:15" in chinese


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_language_switcher_names_each_language_in_itself(client, language):
    body = text(client.get("/", HTTP_ACCEPT_LANGUAGE=language))
    assert '<option value="zh-hans" lang="zh-hans"' in body
    assert ">简体中文</option>" in body
    assert ">English</option>" in body
    assert "英语" not in body
    assert "Simplified Chinese" not in body


def test_draft_event_page_is_not_found(client, season):
    assert client.get(f"/events/{season['draft'].slug}/").status_code == 404


def test_venue_page_links_to_amap(client):
    venue = VenueFactory(name_zh="源深体育中心", name_en="Yuanshen Sports Centre")
    body = text(client.get(f"/venues/{venue.slug}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Yuanshen Sports Centre" in body
    assert "https://uri.amap.com/marker?" in body


def test_unknown_venue_is_not_found(client):
    assert client.get("/venues/nowhere/").status_code == 404


def _many_events(count: int):
    city = CityFactory(slug="suzhou")
    first = EventFactory(host_city=city)
    for _ in range(count - 1):
        SessionFactory(event=EventFactory(host_city=city, programme=first.programme))
    SessionFactory(event=first)


@pytest.mark.parametrize("count", [1, 15])
def test_event_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries, count):
    _many_events(count)
    with django_assert_num_queries(2):  # events with their cities, the city choices
        response = client.get("/events/")
    assert text(response).count('class="card event-card"') == count


@time_machine.travel(BEFORE_SEASON)
@pytest.mark.parametrize("count", [1, 15])
def test_home_query_count_does_not_grow_with_rows(client, django_assert_num_queries, count):
    _many_events(count)
    with django_assert_num_queries(4):  # programme, upcoming, events, cities
        response = client.get("/")
    assert response.context["upcoming"]


@time_machine.travel(dt.datetime(2027, 5, 1, 9, tzinfo=SHANGHAI))
def test_event_list_starts_with_what_is_ahead_and_keeps_past_events_behind_a_filter(client, season):
    upcoming = text(client.get("/events/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Nantong v Suzhou" in upcoming
    assert "U12 Men&#x27;s Foil" not in upcoming  # fenced on 10 April
    assert 'href="?when=past"' in upcoming
    past = text(client.get("/events/?when=past", HTTP_ACCEPT_LANGUAGE="en"))
    assert "U12 Men&#x27;s Foil" in past
    assert "Nantong v Suzhou" not in past.split('id="result-count"', 1)[1]
