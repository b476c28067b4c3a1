"""Callbacks for apps above events: where an event's competitors come from, who to tell when a
published schedule changes, who must react to matches or sessions that moved, and the panels of the
organiser home.

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

Schedule moved contract (what depends on a match's or session's time):
- `register_schedule_moved(callback)`, once, in a higher app's `AppConfig.ready()` (the exchange
  programme flags itinerary segments that depended on a moved match or session).
- `schedule_moved(sessions=..., matches=...)` is called by whatever writes new times (the schedule's
  publish, a session edit) with the ids that moved, inside its transaction, after the new times are
  saved; each callback writes in that transaction.
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


# --- the organiser home's panels -----------------------------------------------------------------
# Apps above events add their figures to the organiser home (ticketing: sales and scans today;
# registration: entries waiting for review). Contract:
# - `register_organiser_panel(callback)`, once, in the higher app's `AppConfig.ready()`;
# - `organiser_panels(programme_ids=..., today=...)` calls each with those keywords; a callback reads
#   only rows of those programmes (the user's own, already checked) and returns
#   `{"template": "<app>/<name>.html", "order": int, ...context}` or None to show nothing.

OrganiserPanel = Callable[..., dict | None]

_panels: list[OrganiserPanel] = []


def register_organiser_panel(callback: OrganiserPanel) -> OrganiserPanel:
    if callback not in _panels:
        _panels.append(callback)
    return callback


def organiser_panels(*, programme_ids: list[int], today) -> list[dict]:
    panels = [callback(programme_ids=programme_ids, today=today) for callback in list(_panels)]
    return sorted((panel for panel in panels if panel), key=lambda panel: panel.get("order", 0))
