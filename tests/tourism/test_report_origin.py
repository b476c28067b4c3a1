"""Origin by area code: prefecture inside the corridor's provinces, province outside, unknown without a code."""

from __future__ import annotations

from django.utils import translation

from tourism.selectors.report_origin import is_out_of_town, origin_of, prefecture_of_city


def test_area_code_names_the_prefecture_in_both_languages():
    origin = origin_of("320583")  # Kunshan, a county-level city of Suzhou
    assert origin.key == "3205"
    with translation.override("zh-hans"):
        assert origin.name == "苏州市"
    with translation.override("en"):
        assert origin.name == "Suzhou"


def test_shanghai_former_counties_are_shanghai():
    assert origin_of("310230").key == origin_of("310107").key == "3101"


def test_outside_the_corridor_the_province_is_named():
    origin = origin_of("440305")
    assert (origin.key, origin.name_zh, origin.name_en) == ("44", "广东省", "Guangdong")


def test_no_code_or_a_nonsense_code_is_unknown_never_guessed():
    for code in (None, "", "32", "ab1234", "990101"):
        assert origin_of(code).key == ""
    with translation.override("en"):
        assert origin_of(None).name == "Unknown (no verified document)"


def test_host_city_by_name_and_out_of_town():
    zhenjiang = prefecture_of_city("镇江", "Zhenjiang")
    assert zhenjiang == "3211"
    assert prefecture_of_city("上海", "Shanghai") == "3101"
    assert prefecture_of_city("火星", "Mars") == ""
    assert is_out_of_town("321102", zhenjiang) is False
    assert is_out_of_town("310107", zhenjiang) is True
    assert is_out_of_town(None, zhenjiang) is None
    assert is_out_of_town("310107", "") is None
