"""Callbacks for apps above events: where an event's competitors come from, and the panels of the
organiser home.

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
