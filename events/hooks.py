"""Callbacks for apps above events: where an event's competitors come from.

Contract:
- `register_competitors_source(callback)`, once, in the higher app's `AppConfig.ready()` (registration
  registers `competitors_sync`, which turns approved entries into competitors).
- `competitors_refresh(event=...)` calls every source with the event and returns what each reported
  (a dict of counts); each source runs its own transaction and raises only domain errors.
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
