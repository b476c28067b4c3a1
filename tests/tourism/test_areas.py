from django.utils import translation

from tourism.areas import is_out_of_town, origin_key, origin_label


def test_origin_is_the_prefecture_when_listed_else_the_province():
    assert origin_key("320602") == "3206"
    assert origin_key("310115") == "31"
    assert origin_key("440305") == "44"
    assert origin_key("") == ""
    assert origin_key("990000") == ""


def test_origin_labels_in_both_languages_and_unknown():
    with translation.override("zh-hans"):
        assert origin_label("3206") == "南通"
        assert origin_label("440305") == "广东省"
    with translation.override("en"):
        assert origin_label("320602") == "Nantong"
        assert origin_label("") == "Unknown"


def test_out_of_town_needs_a_known_origin():
    assert is_out_of_town("320602", "zhenjiang") is True
    assert is_out_of_town("321102", "zhenjiang") is False
    assert is_out_of_town("310104", "shanghai") is False
    assert is_out_of_town("", "zhenjiang") is None
