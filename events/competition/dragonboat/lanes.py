"""Lanes filled from the centre out, and race start times at a fixed interval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence


def lanes_from_centre(lanes: int) -> list[int]:
    """Lane numbers in the order the best-ranked crews get them: the centre first, then alternately
    either side (9 lanes: 5, 4, 6, 3, 7, 2, 8, 1, 9; 6 lanes: 3, 4, 2, 5, 1, 6)."""
    centre = (lanes + 1) // 2
    order = [centre]
    for step in range(1, lanes):
        for lane in (centre - step, centre + step) if lanes % 2 else (centre + step, centre - step):
            if 1 <= lane <= lanes and lane not in order:
                order.append(lane)
    return order[:lanes]


def assign_lanes(ranked: Sequence[str], lanes: int) -> dict[int, str]:
    """Lane -> crew for crews listed best first."""
    return dict(zip(lanes_from_centre(lanes), ranked, strict=False))


def start_times(first: dt.datetime, races: int, *, interval: dt.timedelta) -> list[dt.datetime]:
    """Start time of each race, one every `interval` from `first` (timezone-aware in, aware out)."""
    return [first + i * interval for i in range(races)]
