"""PDFs of the public standings (round-robin tables with the tie-breakers that decided each place) and
the knockout bracket (placement matches too), in Chinese and English, fonts embedded, read back as text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events.enums import EventStatus, GameRules
from events.services.games import game_result_record, games_generate
from tests.factories import UserFactory
from tests.factories.competition import BasketballEventFactory, entrants
from tests.pdf import fonts_embedded, pdf_text

pytestmark = pytest.mark.django_db


def _event(**kwargs):
    return BasketballEventFactory(
        status=EventStatus.PUBLISHED, name_zh="U15 篮球", name_en="U15 Basketball", **kwargs
    )


@pytest.fixture
def group_event():
    """One FIBA group of three that goes round in a circle: all level on points, so the games between
    them (points, then difference) decide: team 1 (+5), team 3 (0), team 2 (-5)."""
    event = _event()
    one, two, three = entrants(event, 3)
    [stage] = games_generate(event=event, rules=GameRules.FIBA, groups=1, knockout=False)
    for match in stage.matches.all():
        pair = {match.left_id, match.right_id}
        winner, score = (
            (one, (80, 70)) if pair == {one.pk, two.pk} else
            (two, (75, 70)) if pair == {two.pk, three.pk} else
            (three, (60, 55))
        )  # fmt: skip
        home, away = score if match.left_id == winner.pk else score[::-1]
        game_result_record(match=match, home_score=home, away_score=away, user=UserFactory())
    return event


def test_standings_pdf_lists_places_scores_and_the_tie_breakers_in_both_languages(client, group_event):
    url = reverse("events:results-standings-pdf", args=[group_event.slug])
    en, reader = pdf_text(client.get(url + "?lang=en"))
    assert "Standings: U15 Basketball" in en and "Group A" in en
    assert "FIBA Official Basketball Rules, Appendix D.1" in en
    flat = " ".join(en.split())
    # place, team · delegation, played, won, drawn, lost, for, against, points, decided by
    first = flat.index("1 队1 (Team 1) · ")
    second = flat.index("2 队3 (Team 3) · ")
    third = flat.index("3 队2 (Team 2) · ")
    assert first < second < third
    assert flat[first:second].endswith(" 2 1 0 1 135 130 3 difference between the tied ")
    assert "队1 (Team 1) 80–70 队2 (Team 2)" in flat or "队2 (Team 2) 70–80 队1 (Team 1)" in flat
    assert fonts_embedded(reader)
    zh, reader = pdf_text(client.get(url + "?lang=zh-hans"))
    assert "积分榜：U15 篮球" in zh and "A组" in zh
    flat = " ".join(zh.split())
    assert "1 队1 (Team 1) · " in flat and "3 队2 (Team 2) · " in flat
    assert "同分排名规则：FIBA" in flat and "同分队伍间比赛的净胜分" in flat
    assert fonts_embedded(reader)


def test_bracket_pdf_shows_rounds_scores_and_the_third_place_match(client):
    event = _event()
    entrants(event, 4)
    [stage] = games_generate(event=event, rules=GameRules.FIBA, places=4)
    semis = list(stage.matches.filter(round=1).order_by("sequence"))
    for match in semis:
        game_result_record(match=match, home_score=66, away_score=50, user=UserFactory())
    final = stage.matches.get(round=2, detail__places=[1, 2])
    game_result_record(match=final, home_score=71, away_score=70, user=UserFactory())
    url = reverse("events:results-bracket-pdf", args=[event.slug])
    en, reader = pdf_text(client.get(url + "?lang=en"))
    assert "Bracket: U15 Basketball" in en and "Semi-finals" in en and "Final" in en
    assert "places 3–4" in en
    assert "队1 (Team 1) · " in en and "✓" in en
    assert "71" in en and "66" in en
    assert fonts_embedded(reader)
    zh, reader = pdf_text(client.get(url + "?lang=zh-hans"))
    assert "淘汰赛对阵：U15 篮球" in zh and "决赛" in zh and "第3–4名" in zh
    assert fonts_embedded(reader)


def test_the_pages_link_their_pdfs_in_both_languages(client, group_event):
    page = client.get(reverse("events:results-standings", args=[group_event.slug])).content.decode()
    url = reverse("events:results-standings-pdf", args=[group_event.slug])
    assert f'href="{url}?lang=zh-hans"' in page and f'href="{url}?lang=en"' in page
    page = client.get(reverse("events:results-bracket", args=[group_event.slug])).content.decode()
    assert reverse("events:results-bracket-pdf", args=[group_event.slug]) + "?lang=en" in page


def test_an_event_not_published_has_no_standings_pdf(client):
    event = BasketballEventFactory(status=EventStatus.DRAFT)
    assert client.get(reverse("events:results-standings-pdf", args=[event.slug])).status_code == 404
    assert client.get(reverse("events:results-bracket-pdf", args=[event.slug])).status_code == 404
