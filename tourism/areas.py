"""Origin cities from area codes: which prefecture a GB/T 2260 area code names, and whether it is the
host city's own. Pure lookups over the versioned table tourism/data/prefectures.json.

An area code is all Corridor keeps of a real-name document (ticketing's `holder_area_code`); "" means
no verified document, and stays "unknown": never guessed from anything else.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from events.i18n import pick
from ticketing.documents import province_table


@cache
def prefecture_table() -> dict:
    path = Path(__file__).resolve().parent / "data" / "prefectures.json"
    return json.loads(path.read_text(encoding="utf-8"))


def origin_key(area_code: str) -> str:
    """The prefix an origin is grouped by: the prefecture if listed ("3206"), else the province ("44"),
    else "" (unknown). Reports group and suppress on this key."""
    if not area_code:
        return ""
    prefectures = prefecture_table()["prefectures"]
    for prefix in (area_code[:4], area_code[:2]):
        if prefix in prefectures:
            return prefix
    return area_code[:2] if area_code[:2] in province_table()["provinces"] else ""


def origin_label(key_or_code: str) -> str:
    """The name of an origin key or area code in the current language; "Unknown" for ""."""
    key = origin_key(key_or_code) if len(key_or_code) == 6 else key_or_code
    if not key:
        return _("Unknown")
    names = prefecture_table()["prefectures"].get(key) or province_table()["provinces"].get(key[:2])
    if names is None:
        return _("Unknown")
    return pick(names[0], names[1])


def city_prefixes(city_slug: str) -> list[str]:
    """The area-code prefixes of a corridor city (empty when the table does not know the city)."""
    return list(prefecture_table()["city_prefixes"].get(city_slug, []))


def is_from_city(area_code: str, city_slug: str) -> bool:
    return bool(area_code) and any(area_code.startswith(p) for p in city_prefixes(city_slug))


def is_out_of_town(area_code: str, city_slug: str) -> bool | None:
    """True for a visitor from outside the city, False for a local, None when the origin is unknown."""
    if not area_code:
        return None
    return not is_from_city(area_code, city_slug)
