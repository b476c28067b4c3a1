"""Competition PDFs: pool sheets with the bout order, the tableau and the start list, in Chinese and in
English, with every font embedded, read back as text; names and delegations only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events.enums import EventStatus
from events.services.competition import bout_result_record, pools_generate, tableau_generate
from tests.factories.competition import CompetitorFactory, FencingEventFactory
from tests.pdf import fonts_embedded, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = FencingEventFactory(
        status=EventStatus.PUBLISHED, name_zh="U12 男子花剑", name_en="U12 Men's Foil"
    )
    for i in range(7):
        CompetitorFactory(
            event=event,
            seed=i + 1,
            display_name=f"李{'一二三四五六七'[i]} (LI {i + 1})",
            club_zh="南通击剑队",
            club_en="Nantong Fencing",
        )
    stage = pools_generate(event=event, max_size=7)
    for match in stage.matches.order_by("sequence"):
        better = match.left.seed < match.right.seed
        bout_result_record(
            match=match, left_score=5 if better else 2, right_score=2 if better else 5, user=None
        )
    tableau_generate(event=event)
    return event


def test_pool_sheet_pdf_has_the_bout_order_in_both_languages(client, event):
    zh, reader = pdf_text(
        client.get(reverse("events:competition-pools-pdf", args=[event.slug]) + "?lang=zh-hans")
    )
    assert "小组赛：U12 男子花剑" in zh and "第 1 组" in zh
    assert "李一 (LI 1) · 南通击剑队" in zh
    assert "1. 1–4" in zh  # the first bout of a pool of 7 in the official order is 1 v 4
    assert fonts_embedded(reader)
    en, reader = pdf_text(client.get(reverse("events:competition-pools-pdf", args=[event.slug]) + "?lang=en"))
    assert "Pool 1" in en and "Bouts in the official order" in en and "Nantong Fencing" in en
    assert fonts_embedded(reader)


def test_tableau_and_start_list_pdfs_read_back(client, event):
    en, reader = pdf_text(
        client.get(reverse("events:competition-tableau-pdf", args=[event.slug]) + "?lang=en")
    )
    assert "Table of 8" in en and "T8-1" in en and "李一 (LI 1)" in en
    assert fonts_embedded(reader)
    zh, _reader = pdf_text(
        client.get(reverse("events:competition-start-list-pdf", args=[event.slug]) + "?lang=zh-hans")
    )
    assert "南通击剑队" in zh and "李七 (LI 7)" in zh


def test_pdfs_of_a_draft_event_are_not_found(client):
    event = FencingEventFactory(status=EventStatus.DRAFT)
    assert client.get(reverse("events:competition-pools-pdf", args=[event.slug])).status_code == 404
