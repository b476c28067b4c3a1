"""Callbacks for apps above registration: what else goes when a child's data is removed.

Contract: `register_athlete_forgotten(callback)`, once, in the higher app's `AppConfig.ready()` (the
exchange programme deletes its roll-call marks, bookings and handovers). `athletes_forgotten(
athlete_ids=...)` is called by `retention_run` inside its transaction, after each athlete is
anonymised; callbacks delete in that transaction, so a rolled-back run removes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

AthletesForgotten = Callable[..., None]

_forgotten: list[AthletesForgotten] = []


def register_athlete_forgotten(callback: AthletesForgotten) -> AthletesForgotten:
    if callback not in _forgotten:
        _forgotten.append(callback)
    return callback


def athletes_forgotten(*, athlete_ids: list[int]) -> None:
    if not athlete_ids:
        return
    for callback in list(_forgotten):
        callback(athlete_ids=list(athlete_ids))
