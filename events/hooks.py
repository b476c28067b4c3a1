"""Callbacks for apps above events: where an event's competitors come from, and who hears that the
schedule moved.

Contract:
- `register_competitors_source(callback)`, once, in the higher app's `AppConfig.ready()` (registration
  registers `competitors_sync`, which turns approved entries into competitors).
- `competitors_refresh(event=...)` calls every source with the event and returns what each reported
  (a dict of counts); each source runs its own transaction and raises only domain errors.
- `register_schedule_moved(callback)`, once, in a higher app's `AppConfig.ready()` (the exchange
  programme flags itinerary segments that depended on a moved match or session).
- `schedule_moved(sessions=..., matches=...)` is called by whatever writes new times (the schedule's
  publish, a session edit) with the ids that moved, inside its transaction, after the new times are
  saved; each callback writes in that transaction.
"""

from __future__ import annotations

from collections.abc import Callable

CompetitorsSource = Callable[..., dict]

_sources: list[CompetitorsSource] = []


def register_competitors_source(callback: CompetitorsSource) -> CompetitorsSource:
    if callback not in _sources:
        _sources.append(callback)
    return callback


def competitors_refresh(*, event) -> list[dict]:
    return [callback(event=event) for callback in list(_sources)]


ScheduleMovedCallback = Callable[..., None]

_schedule_moved: list[ScheduleMovedCallback] = []


def register_schedule_moved(callback: ScheduleMovedCallback) -> ScheduleMovedCallback:
    if callback not in _schedule_moved:
        _schedule_moved.append(callback)
    return callback


def schedule_moved(
    *, sessions: tuple[int, ...] | list[int] = (), matches: tuple[int, ...] | list[int] = ()
) -> None:
    if not sessions and not matches:
        return
    for callback in list(_schedule_moved):
        callback(sessions=tuple(sessions), matches=tuple(matches))
