"""The fraud rules as plain functions: each finds its pattern and leaves ordinary trade alone."""

from __future__ import annotations

import datetime as dt

from tourism.services.fraud_rules import (
    FlagKind,
    RedemptionRecord,
    StoreRecord,
    bursts,
    distance_km,
    findings_all,
    is_open,
    outside_hours,
    reversal_rates,
    too_far_too_fast,
)

SH = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 11, 28, 12, 0, tzinfo=SH)  # a Saturday
# The Bund (Shanghai) and Jinshan Temple (Zhenjiang): about 230 km apart.
BUND = StoreRecord(id=1, latitude=31.2400, longitude=121.4900)
BUND_NEXT_DOOR = StoreRecord(id=2, latitude=31.2405, longitude=121.4905)
JINSHAN = StoreRecord(id=3, latitude=32.2200, longitude=119.4300)
STORES = {s.id: s for s in (BUND, BUND_NEXT_DOOR, JINSHAN)}


def redemption(pk, *, stub=1, store=1, staff=7, minutes=0.0, reversed=False):
    return RedemptionRecord(
        id=pk,
        stub_id=stub,
        store_id=store,
        staff_id=staff,
        at=T0 + dt.timedelta(minutes=minutes),
        reversed=reversed,
    )


def test_distance_between_shanghai_and_zhenjiang_is_about_230_km():
    assert 215 < distance_km(BUND, JINSHAN) < 240
    assert distance_km(BUND, StoreRecord(id=9)) is None


def test_same_stub_in_shanghai_and_zhenjiang_within_an_hour_is_flagged():
    findings = too_far_too_fast([redemption(1, store=1), redemption(2, store=3, minutes=50)], STORES)
    assert len(findings) == 1
    finding = findings[0]
    assert finding.kind == FlagKind.TRAVEL and finding.key == "travel:1:2"
    assert finding.redemption_ids == (1, 2) and finding.store_id == 3
    assert finding.detail["seconds"] == 3000 and 215_000 < finding.detail["distance_m"] < 240_000


def test_same_stub_a_day_later_or_next_door_is_not_flagged():
    later = [redemption(1, store=1), redemption(2, store=3, minutes=24 * 60)]
    next_door = [redemption(3, store=1), redemption(4, store=2, minutes=0)]
    other_stubs = [redemption(5, stub=1, store=1), redemption(6, stub=2, store=3, minutes=1)]
    assert too_far_too_fast([*later, *next_door, *other_stubs], STORES) == []


def test_same_instant_at_two_far_stores_is_flagged_not_divided_by_zero():
    findings = too_far_too_fast([redemption(1, store=1), redemption(2, store=3)], STORES)
    assert [f.key for f in findings] == ["travel:1:2"]


def test_reversal_rate_over_a_fifth_flags_store_and_staff():
    items = [redemption(i, stub=i, reversed=i <= 3) for i in range(1, 11)]  # 3 of 10 reversed
    findings = reversal_rates(items, period="2026-11")
    assert {(f.kind, f.key) for f in findings} == {
        (FlagKind.REVERSALS_STORE, "reversals_store:1:2026-11"),
        (FlagKind.REVERSALS_STAFF, "reversals_staff:7:2026-11"),
    }
    store_flag = next(f for f in findings if f.kind == FlagKind.REVERSALS_STORE)
    assert store_flag.detail == {"redemptions": 10, "reversals": 3, "percent": 30}
    assert store_flag.redemption_ids == (1, 2, 3)


def test_reversal_rate_needs_enough_redemptions_and_a_high_share():
    few = [redemption(i, stub=i, reversed=True) for i in range(1, 6)]  # 5 of 5, but only 5
    low = [redemption(i, stub=i, store=2, staff=8, reversed=i <= 2) for i in range(10, 20)]  # 2 of 10
    assert reversal_rates([*few, *low], period="2026-11") == []


HOURS = {str(day): [["10:00", "22:00"]] for day in range(7)}
# A bar open past midnight: Friday 18:00-24:00 and Saturday 00:00-02:00, 18:00-24:00.
NIGHT = {"4": [["18:00", "24:00"]], "5": [["00:00", "02:00"], ["18:00", "24:00"]]}


def test_is_open_by_local_hours_including_past_midnight():
    shop, bar = StoreRecord(id=1, hours=HOURS), StoreRecord(id=2, hours=NIGHT)
    assert is_open(shop, T0) is True
    assert is_open(shop, T0.replace(hour=23)) is False
    assert is_open(shop, T0.astimezone(dt.UTC)) is True  # the same instant in UTC: 04:00Z is 12:00 local
    assert is_open(bar, T0.replace(hour=1, minute=30)) is True  # Saturday 01:30 is Friday night
    assert is_open(bar, T0.replace(hour=3)) is False
    assert is_open(StoreRecord(id=3), T0) is None
    assert is_open(StoreRecord(id=4, hours={}), T0) is None


def test_redemption_when_closed_is_flagged_unless_reversed_or_hours_unknown():
    stores = {1: StoreRecord(id=1, hours=HOURS), 2: StoreRecord(id=2)}
    late = T0.replace(hour=23, minute=15)
    items = [
        RedemptionRecord(id=1, stub_id=1, store_id=1, staff_id=7, at=late),
        RedemptionRecord(id=2, stub_id=2, store_id=1, staff_id=7, at=late, reversed=True),
        RedemptionRecord(id=3, stub_id=3, store_id=2, staff_id=7, at=late),
        RedemptionRecord(id=4, stub_id=4, store_id=1, staff_id=7, at=T0),
    ]
    findings = outside_hours(items, stores)
    assert [(f.key, f.detail) for f in findings] == [
        ("outside_hours:1", {"weekday": 5, "minute_of_day": 23 * 60 + 15})
    ]


def test_many_stubs_in_one_minute_by_one_staff_member_is_one_burst():
    items = [redemption(i, stub=i, minutes=i * 0.15) for i in range(1, 9)]  # 8 stubs in 63 s
    findings = bursts(items)
    assert len(findings) == 1
    assert findings[0].key == "burst:7:1" and findings[0].redemption_ids == tuple(range(1, 9))
    assert findings[0].detail == {"stubs": 8, "seconds": 63}


def test_a_steady_queue_and_one_stub_repeated_are_not_bursts():
    queue = [redemption(i, stub=i, minutes=i * 0.5) for i in range(1, 30)]  # one every 30 s
    repeated = [redemption(100 + i, stub=5, staff=8, minutes=i * 0.05) for i in range(10)]  # one stub
    assert bursts([*queue, *repeated]) == []


def test_findings_all_runs_every_rule_and_keys_are_stable():
    items = [redemption(1, store=1), redemption(2, store=3, minutes=10)]
    first = findings_all(items, STORES, period="2026-11")
    again = findings_all(list(reversed(items)), STORES, period="2026-11")
    assert [f.key for f in first] == [f.key for f in again] == ["travel:1:2"]
