"""Origin city for the city report: a stub keeps only the six-digit area code of its holder's document
(never the number); digits 1-4 name the prefecture (tourism/data/gb2260_prefectures.json, the
corridor's four provinces), digits 1-2 the province (ticketing's versioned table, reused). No code:
"unknown", never guessed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ticketing.documents import province_table

UNKNOWN = ""


@cache
def prefecture_table() -> dict:
    path = Path(__file__).resolve().parent.parent / "data" / "gb2260_prefectures.json"
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Origin:
    key: str  # "3205" (a prefecture), "44" (a province outside the table) or "" (unknown)
    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        if not self.key:
            return _("Unknown (no verified document)")
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en


def origin_of(area_code: str | None) -> Origin:
    """The prefecture (or, outside the table, the province) an area code names."""
    code = (area_code or "").strip()
    if len(code) < 4 or not code[:4].isdigit():
        return Origin(UNKNOWN, "", "")
    table = prefecture_table()
    key = table["aliases"].get(code[:4], code[:4])
    prefecture = table["prefectures"].get(key)
    if prefecture:
        return Origin(key, *prefecture)
    province = province_table()["provinces"].get(code[:2])
    if province:
        return Origin(code[:2], *province)
    return Origin(UNKNOWN, "", "")


def prefecture_of_city(name_zh: str, name_en: str) -> str:
    """The prefecture key of a host city (events.City has no code), matched by its name: "镇江" is
    镇江市 (3211). "" when the city is not in the table."""
    for key, (zh, en) in prefecture_table()["prefectures"].items():
        if name_zh in (zh, zh.removesuffix("市")) or name_en.casefold() == en.casefold():
            return key
    return ""


def is_out_of_town(area_code: str | None, host_key: str) -> bool | None:
    """Whether a visitor's origin lies outside the host city's prefecture; None when either is unknown."""
    origin = origin_of(area_code)
    if not origin.key or not host_key:
        return None
    return origin.key != host_key
