"""Callbacks for apps above events: where an event's competitors come from, and who to tell when a
published schedule changes.

Competitors contract:
- `register_competitors_source(callback)`, once, in the higher app's `AppConfig.ready()` (registration
  registers `competitors_sync`, which turns approved entries into competitors).
- `competitors_refresh(event=...)` calls every source with the event and returns what each reported
  (a dict of counts); each source runs its own transaction and raises only domain errors.

Schedule audience contract (who hears that their matches or sessions moved):
- `register_schedule_audience(callback)`, once, in the higher app's `AppConfig.ready()`: registration
  registers its delegations' managers (by the person keys of the moved matches), ticketing the
  holders of tickets for the sessions whose timetable changed.
- `schedule_audience(change=...)` calls every callback with a `ScheduleChange` and returns all the
  `ScheduleRecipient`s they name. Callbacks run inside the publishing transaction and only read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

CompetitorsSource = Callable[..., dict]

_sources: list[CompetitorsSource] = []


def register_competitors_source(callback: CompetitorsSource) -> CompetitorsSource:
    if callback not in _sources:
        _sources.append(callback)
    return callback


def competitors_refresh(*, event) -> list[dict]:
    return [callback(event=event) for callback in list(_sources)]


@dataclass(frozen=True)
class ScheduleChange:
    """What a new schedule version moved. `matches` maps a moved match's id to the opaque person keys
    of the people in it; `sessions` maps a session id to the moved match ids in its venue and hours."""

    programme_id: int
    matches: dict[int, frozenset[str]] = field(default_factory=dict)
    sessions: dict[int, frozenset[int]] = field(default_factory=dict)

    def matches_of(self, person_keys) -> frozenset[int]:
        wanted = set(person_keys)
        return frozenset(match for match, people in self.matches.items() if people & wanted)


@dataclass(frozen=True)
class ScheduleRecipient:
    """Someone to tell, in their language, about the moved matches with these ids."""

    email: str
    language: str
    matches: frozenset[int]


ScheduleAudience = Callable[..., list[ScheduleRecipient]]

_audiences: list[ScheduleAudience] = []


def register_schedule_audience(callback: ScheduleAudience) -> ScheduleAudience:
    if callback not in _audiences:
        _audiences.append(callback)
    return callback


def schedule_audience(*, change: ScheduleChange) -> list[ScheduleRecipient]:
    return [recipient for callback in list(_audiences) for recipient in callback(change=change)]
