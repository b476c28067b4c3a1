"""Fraud rules as pure functions over plain records: no database, so each rule is tested alone.

`tourism.services.fraud` reads redemptions and stores into these records, runs every rule and
stores what they find as flags organisers work through. Each finding carries a `key` that names it
for good (the rule and the rows it is about), so running the rules again updates a flag instead of
adding a second one, and a dismissed flag stays dismissed.

The patterns come from the 2025 paper-stub schemes (DOMAIN.md §6): a stub resold or its screenshot
shared shows up as one stub at two stores further apart than anyone could travel in between; fake
redemptions by staff to claim subsidies show up as many stubs in one minute, redemptions when the
store is closed, and many reversals (redeem, then undo to hide it).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from tourism.validators import is_open_at

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Defaults, each a keyword of its rule. Door to door nobody crosses the corridor faster than the
# high-speed train's 300 km/h between stations; 120 km/h already needs a train caught at once.
MAX_SPEED_KMH = 120.0
MIN_DISTANCE_KM = 1.0  # nearer stores: a stub walked next door is no signal
REVERSAL_MIN_REDEMPTIONS = 10  # a rate over fewer is noise
REVERSAL_MAX_RATE = 0.2
BURST_WINDOW = dt.timedelta(seconds=60)
BURST_STUBS = 6  # distinct stubs one staff member redeems in one window: a queue does not move faster


class FlagKind:
    TRAVEL = "travel"
    REVERSALS_STORE = "reversals_store"
    REVERSALS_STAFF = "reversals_staff"
    OUTSIDE_HOURS = "outside_hours"
    BURST = "burst"


@dataclass(frozen=True)
class RedemptionRecord:
    id: int
    stub_id: int
    store_id: int
    staff_id: int | None
    at: dt.datetime  # aware
    reversed: bool = False
    till_id: int | None = None  # a till redeems as the owner who issued it (staff_id): its own queue


@dataclass(frozen=True)
class StoreRecord:
    id: int
    latitude: float | None = None
    longitude: float | None = None
    # The store's own opening hours ({"0": [["10:00", "22:00"]], ...}, Monday "0", see
    # tourism.validators); None or empty: unknown, so no redemption there is outside them.
    hours: Mapping[str, Sequence[Sequence[str]]] | None = None


@dataclass(frozen=True)
class Finding:
    kind: str
    key: str
    store_id: int | None
    staff_id: int | None
    redemption_ids: tuple[int, ...]
    detail: dict = field(default_factory=dict)  # numbers only: the evidence shown on the flag


def distance_km(a: StoreRecord, b: StoreRecord) -> float | None:
    """Great-circle distance (haversine, mean Earth radius) between two stores, None without coordinates."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def too_far_too_fast(
    redemptions: Iterable[RedemptionRecord],
    stores: Mapping[int, StoreRecord],
    *,
    max_speed_kmh: float = MAX_SPEED_KMH,
    min_distance_km: float = MIN_DISTANCE_KM,
) -> list[Finding]:
    """One stub redeemed at two stores, one after the other, further apart than `min_distance_km` and
    faster than `max_speed_kmh` would carry anyone. Reversed redemptions count: the stub was shown."""
    by_stub: dict[int, list[RedemptionRecord]] = defaultdict(list)
    for redemption in redemptions:
        by_stub[redemption.stub_id].append(redemption)
    findings = []
    for items in by_stub.values():
        items.sort(key=lambda r: (r.at, r.id))
        for first, second in itertools.pairwise(items):
            if first.store_id == second.store_id:
                continue
            km = distance_km(stores[first.store_id], stores[second.store_id])
            if km is None or km < min_distance_km:
                continue
            seconds = (second.at - first.at).total_seconds()
            speed = math.inf if seconds <= 0 else km / (seconds / 3600)
            if speed > max_speed_kmh:
                findings.append(
                    Finding(
                        kind=FlagKind.TRAVEL,
                        key=f"{FlagKind.TRAVEL}:{first.id}:{second.id}",
                        store_id=second.store_id,
                        staff_id=second.staff_id,
                        redemption_ids=(first.id, second.id),
                        detail={
                            "distance_m": round(km * 1000),
                            "seconds": round(seconds),
                            "first_store_id": first.store_id,
                        },
                    )
                )
    return findings


def reversal_rates(
    redemptions: Iterable[RedemptionRecord],
    *,
    period: str,
    min_redemptions: int = REVERSAL_MIN_REDEMPTIONS,
    max_rate: float = REVERSAL_MAX_RATE,
) -> list[Finding]:
    """Stores and staff members whose share of reversed redemptions in `period` (a label such as
    "2026-11", part of the key so each month is judged anew) passes `max_rate`, over at least
    `min_redemptions`."""
    groups: dict[tuple[str, int], list[RedemptionRecord]] = defaultdict(list)
    for redemption in redemptions:
        groups[(FlagKind.REVERSALS_STORE, redemption.store_id)].append(redemption)
        if redemption.staff_id is not None:
            groups[(FlagKind.REVERSALS_STAFF, redemption.staff_id)].append(redemption)
    findings = []
    for (kind, owner), items in sorted(groups.items()):
        reversed_ids = tuple(sorted(r.id for r in items if r.reversed))
        if len(items) < min_redemptions or len(reversed_ids) / len(items) <= max_rate:
            continue
        stores = {r.store_id for r in items}
        findings.append(
            Finding(
                kind=kind,
                key=f"{kind}:{owner}:{period}",
                store_id=owner
                if kind == FlagKind.REVERSALS_STORE
                else (stores.pop() if len(stores) == 1 else None),
                staff_id=owner if kind == FlagKind.REVERSALS_STAFF else None,
                redemption_ids=reversed_ids,
                detail={
                    "redemptions": len(items),
                    "reversals": len(reversed_ids),
                    "percent": round(100 * len(reversed_ids) / len(items)),
                },
            )
        )
    return findings


def is_open(store: StoreRecord, at: dt.datetime, *, tz: dt.tzinfo = SHANGHAI) -> bool | None:
    """Whether the store is open at `at` by its hours in local time (None: its hours are unknown)."""
    if not store.hours:
        return None
    return is_open_at(dict(store.hours), at.astimezone(tz))


def outside_hours(
    redemptions: Iterable[RedemptionRecord], stores: Mapping[int, StoreRecord], *, tz: dt.tzinfo = SHANGHAI
) -> list[Finding]:
    """Redemptions (not reversed) made while their store was closed by its own opening hours."""
    findings = []
    for redemption in redemptions:
        if redemption.reversed or is_open(stores[redemption.store_id], redemption.at, tz=tz) is not False:
            continue
        local = redemption.at.astimezone(tz)
        findings.append(
            Finding(
                kind=FlagKind.OUTSIDE_HOURS,
                key=f"{FlagKind.OUTSIDE_HOURS}:{redemption.id}",
                store_id=redemption.store_id,
                staff_id=redemption.staff_id,
                redemption_ids=(redemption.id,),
                detail={"weekday": local.weekday(), "minute_of_day": local.hour * 60 + local.minute},
            )
        )
    return findings


def bursts(
    redemptions: Iterable[RedemptionRecord],
    *,
    window: dt.timedelta = BURST_WINDOW,
    min_stubs: int = BURST_STUBS,
) -> list[Finding]:
    """A staff member (or one till: each serves its own queue, though all of an owner's tills redeem
    as that owner) redeeming at least `min_stubs` distinct stubs within any `window`. Overlapping
    windows of one staff member or till join into one finding, named by its first redemption."""
    by_staff: dict[tuple[int, int], list[RedemptionRecord]] = defaultdict(list)
    for redemption in redemptions:
        if redemption.staff_id is not None:
            by_staff[(redemption.staff_id, redemption.till_id or 0)].append(redemption)
    findings = []
    for (staff_id, _till), items in sorted(by_staff.items()):
        items.sort(key=lambda r: (r.at, r.id))
        flagged: list[list[RedemptionRecord]] = []
        start = 0
        for end, last in enumerate(items):
            while last.at - items[start].at >= window:
                start += 1
            in_window = items[start : end + 1]
            if len({r.stub_id for r in in_window}) < min_stubs:
                continue
            if flagged and flagged[-1][-1].at >= in_window[0].at:
                flagged[-1].extend(r for r in in_window if r not in flagged[-1])
            else:
                flagged.append(list(in_window))
        for group in flagged:
            stores = {r.store_id for r in group}
            findings.append(
                Finding(
                    kind=FlagKind.BURST,
                    key=f"{FlagKind.BURST}:{staff_id}:{group[0].id}",
                    store_id=stores.pop() if len(stores) == 1 else None,
                    staff_id=staff_id,
                    redemption_ids=tuple(r.id for r in group),
                    detail={
                        "stubs": len({r.stub_id for r in group}),
                        "seconds": round((group[-1].at - group[0].at).total_seconds()),
                    },
                )
            )
    return findings


def findings_all(
    redemptions: Sequence[RedemptionRecord], stores: Mapping[int, StoreRecord], *, period: str
) -> list[Finding]:
    """Every rule over one set of redemptions, with the default thresholds."""
    return [
        *too_far_too_fast(redemptions, stores),
        *reversal_rates(redemptions, period=period),
        *outside_hours(redemptions, stores),
        *bursts(redemptions),
    ]
