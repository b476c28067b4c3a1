"""The house wording wins over Django's and allauth's own Chinese for the words they share."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext


@pytest.mark.parametrize(
    ("msgid", "house"),
    [("Filter", "筛选"), ("session", "场次"), ("Sessions", "场次"), ("Note", "备注"), ("Email", "电子邮箱")],
)
def test_house_wording_beats_the_contrib_catalogues(msgid, house):
    with translation.override("zh-hans"):
        assert gettext(msgid) == house


def test_event_list_filter_button_reads_shai_xuan(client, db):
    body = client.get("/events/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "筛选" in body and "过滤器" not in body


def test_form_labels_end_with_a_full_width_colon_in_chinese(client, db):
    from django import forms

    class Form(forms.Form):
        gate = forms.CharField(label="入口")

    with translation.override("zh-hans"):
        assert Form()["gate"].label_tag() == '<label for="id_gate">入口：</label>'
    with translation.override("en"):
        assert Form()["gate"].label_tag() == '<label for="id_gate">入口:</label>'
