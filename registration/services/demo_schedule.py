"""The schedule slice of the demo season: every drawn demo match (the fencing invitational's pools,
and whatever other draws the earlier slices made) is placed on the venues' pistes, courts and lanes
by the greedy builder and published as version 1, so the public timetables, "now on" and the iCal
feeds have something to show and the organiser's grid opens on a real draft.

Lives in registration's demo because the draws it places are made there (after the entries exist);
it only calls events' services. Idempotent: a published schedule that still fits the season is left
as it is; after the season moved (a re-seed on a later day) the draft is rebuilt and published again.
"""

from __future__ import annotations

from events import scheduling as sched
from events.errors import ScheduleError
from events.models import Placement, Programme, ScheduleVersion
from events.selectors.schedule_world import schedule_world
from events.services.schedule import schedule_build_greedy, schedule_publish


def seed() -> str:
    programme = Programme.objects.filter(slug="corridor-2027").first()
    if programme is None:
        return "skipped (no demo programme)"
    world = schedule_world(programme)
    if not world.matches:
        return "no drawn matches to place"
    published = ScheduleVersion.objects.filter(programme=programme).exists()
    fits = len(world.draft) == len(world.matches) and not any(
        v.severity != sched.Severity.WARNING for v in sched.check_schedule(world.problem, world.draft)
    )
    if published and fits:
        return "schedule unchanged"
    # The season moved (or was never placed): start from an empty draft, pins included.
    Placement.objects.filter(match__stage__event__programme=programme).delete()
    result = schedule_build_greedy(programme=programme)
    try:
        version = schedule_publish(programme=programme, note="demo")
    except ScheduleError as error:
        return f"{result.placed} matches placed, not published: {error}"
    return f"{result.placed} matches placed; version {version.number} published"
