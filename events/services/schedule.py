"""Write paths of a programme's schedule: the draft, moves checked at once, numbered versions, notices.

The builders and the checker are pure (`events.scheduling`); `events.selectors.schedule_world` reads
the programme into a `Problem` (every athlete in every event, through the competitors' opaque person
keys) and maps answers back to rows.

Locks: every write here locks the `Programme` row first (`_lock`), so two organisers' moves,
applies and publishes of one programme run one after the other; a version number is the previous
maximum plus one under that lock, and the unique constraint on (programme, number) backs it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from events import hooks
from events import scheduling as sched
from events.enums import ScheduleVersionReason, SessionStatus
from events.errors import ScheduleError
from events.mail import mail_send_after_commit
from events.models import (
    Match,
    Placement,
    Programme,
    ScheduleVersion,
    Session,
    VenueResource,
)
from events.selectors.schedule_world import PLAYED, TZ, ScheduleWorld, match_sides, schedule_world


def schedule_lock(programme: Programme) -> Programme:
    """Lock the programme row: every write to its schedule takes this lock first."""
    return Programme.objects.select_for_update().get(pk=programme.pk)


# ---- the draft ------------------------------------------------------------------------------------


def placements_apply(*, programme: Programme, placements: dict[str, sched.Placement]) -> int:
    """Replace the programme's draft with `placements` (a builder's answer); pinned rows stay.

    Locks the programme row. Returns how many placements the draft now holds.
    """
    with transaction.atomic():
        schedule_lock(programme)
        world = schedule_world(programme)
        keep = world.pinned
        Placement.objects.filter(match__stage__event__programme=programme).exclude(
            match_id__in=[int(key) for key in keep]
        ).delete()
        Placement.objects.bulk_create(
            [
                Placement(
                    match_id=int(key),
                    resource_id=int(p.resource_id),
                    starts_at=world.at(p.start),
                    ends_at=world.at(p.start + world.duration(key)),
                )
                for key, p in placements.items()
                if key not in keep and key in world.matches
            ]
        )
        return Placement.objects.filter(match__stage__event__programme=programme).count()


def schedule_build_greedy(*, programme: Programme) -> sched.ScheduleResult:
    """Draft the whole schedule with the greedy builder (milliseconds) and store it as the draft."""
    world = schedule_world(programme)
    result = sched.build_greedy(world.problem)
    placements_apply(programme=programme, placements=result.placements)
    return result


def _refusal(violations: list[sched.Violation]) -> ScheduleError:
    # One clash is found from both matches' side: say each reason once.
    reasons = list(dict.fromkeys(v.reason for v in violations))
    return ScheduleError(
        _("This move is refused: %(reasons)s") % {"reasons": " ".join(reasons)},
        reasons=reasons,
        codes=list(dict.fromkeys(v.code for v in violations)),
    )


def placement_move(
    *,
    programme: Programme,
    match: Match,
    resource: VenueResource,
    starts_at: dt.datetime,
    pin: bool | None = None,
) -> tuple[Placement, list[sched.Violation]]:
    """Move (or place) one match on `resource` at `starts_at`, checked against every rule at once.
    `pin` pins or unpins it there; None keeps its pin as it was (a drag on the grid).

    A move that breaks a rule that blocks scheduling raises `ScheduleError` with every reason and
    changes nothing; warnings are returned. Locks the programme row.
    """
    with transaction.atomic():
        schedule_lock(programme)
        world = schedule_world(programme)
        key = str(match.pk)
        if key not in world.matches:
            raise ScheduleError(_("This match is not part of this programme's schedule."))
        if world.matches[key].status in PLAYED:
            raise ScheduleError(_("This match has started or been played: it stays where it was."))
        problem = world.problem
        if key in problem.pins:
            # Moving a pinned match by hand is allowed: the pin follows it to the new place.
            problem = _without_pin(problem, key)
        state = sched.ScheduleState(problem, [p for k, p in world.draft.items() if k != key])
        found = state.check_move(key, str(resource.pk), world.minute(starts_at))
        found = world.readable(found)
        blocking = [v for v in found if v.severity == sched.Severity.BLOCKS_SCHEDULING]
        if blocking:
            raise _refusal(blocking)
        placement, _created = Placement.objects.update_or_create(
            match=match,
            defaults={
                "resource": resource,
                "starts_at": starts_at,
                "ends_at": starts_at + dt.timedelta(minutes=world.duration(key)),
                "pinned": key in world.pinned if pin is None else pin,
            },
        )
        return placement, [v for v in found if v.severity == sched.Severity.WARNING]


def _without_pin(problem: sched.Problem, key: str) -> sched.Problem:
    import dataclasses  # noqa: PLC0415  only this rare path copies a problem

    return dataclasses.replace(problem, pins={k: v for k, v in problem.pins.items() if k != key})


def placement_pin(*, match: Match, pinned: bool) -> int:
    """Pin (or unpin) a placed match, so a solve keeps it where it is. Returns the rows changed."""
    with transaction.atomic():
        return Placement.objects.filter(match=match).update(pinned=pinned)


def draft_violations(world: ScheduleWorld) -> list[sched.Violation]:
    return world.readable(sched.check_schedule(world.problem, world.draft))


# ---- versions ---------------------------------------------------------------------------------------


def _snapshot(world: ScheduleWorld) -> list[dict]:
    return [
        {
            "match": int(key),
            "resource": int(p.resource_id),
            "start": world.at(p.start).isoformat(),
            "end": world.at(p.start + world.duration(key)).isoformat(),
        }
        for key, p in sorted(world.draft.items(), key=lambda item: (item[1].start, int(item[0])))
    ]


def version_placements(version: ScheduleVersion | None) -> dict[int, tuple[int, str, str]]:
    """match id -> (resource id, start iso, end iso) of a version (empty for None)."""
    return {} if version is None else _placements_of(version.placements)


def _placements_of(snapshot: list[dict]) -> dict[int, tuple[int, str, str]]:
    return {row["match"]: (row["resource"], row["start"], row["end"]) for row in snapshot}


def schedule_publish(
    *,
    programme: Programme,
    user=None,
    note: str = "",
    reason: str = ScheduleVersionReason.PUBLISH,
) -> ScheduleVersion:
    """Publish the draft as the next numbered version, show it on the public pages, and tell only
    the people whose matches or sessions moved since the previous version.

    Refused (nothing written) while the draft breaks a rule that blocks scheduling or publishing.
    Locks the programme row; the version number is the previous maximum plus one under that lock.
    """
    with transaction.atomic():
        schedule_lock(programme)
        world = schedule_world(programme)
        blocking = [v for v in draft_violations(world) if v.severity != sched.Severity.WARNING]
        if blocking:
            reasons = [v.reason for v in blocking[:20]]
            raise ScheduleError(
                _("The draft cannot be published yet: %(count)s problems to fix first.")
                % {"count": len(blocking)},
                reasons=reasons,
                codes=[v.code for v in blocking[:20]],
            )
        previous = ScheduleVersion.objects.filter(programme=programme).order_by("-number").first()
        number = (
            ScheduleVersion.objects.filter(programme=programme).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        snapshot = _snapshot(world)
        # Mail is queued for after commit; the version row is written once, complete (never updated).
        notified = _notify(world, before=version_placements(previous), after=_placements_of(snapshot))
        _publish_to_matches(world)
        return ScheduleVersion.objects.create(
            programme=programme,
            number=number,
            reason=reason,
            note=note,
            placements=snapshot,
            published_by=user if user is not None and user.is_authenticated else None,
            notified=notified,
        )


def _publish_to_matches(world: ScheduleWorld) -> None:
    """The public pages read `Match.resource` / `Match.starts_at`: set them to the published draft."""
    changed = []
    for key, row in world.matches.items():
        placement = world.draft.get(key)
        resource_id = int(placement.resource_id) if placement else None
        starts_at = world.at(placement.start) if placement else None
        if (row.resource_id, row.starts_at) != (resource_id, starts_at):
            row.resource_id, row.starts_at = resource_id, starts_at
            changed.append(row)
    Match.objects.bulk_update(changed, ["resource", "starts_at"], batch_size=500)


def _moved(before: dict, after: dict) -> list[int]:
    return sorted(match for match in set(before) | set(after) if before.get(match) != after.get(match))


def _notify(world: ScheduleWorld, *, before: dict, after: dict) -> int:
    """Mail, in each person's language, only those whose matches or sessions moved. Returns how many."""
    if not before:
        return 0  # the first version moves nothing: everyone learns of it from the public pages
    moved = _moved(before, after)
    if not moved:
        return 0
    people = {
        match_id: frozenset(
            key for side in match_sides(world.matches[str(match_id)]) for key in side.person_keys or ()
        )
        for match_id in moved
        if str(match_id) in world.matches
    }
    change = hooks.ScheduleChange(
        programme_id=world.programme.pk,
        matches=people,
        sessions=_sessions_touched(world, moved, before, after),
    )
    recipients: dict[str, tuple[str, set[int]]] = {}
    for recipient in hooks.schedule_audience(change=change):
        language, matches = recipients.setdefault(recipient.email, (recipient.language, set()))
        matches.update(recipient.matches)
    for email, (language, match_ids) in sorted(recipients.items()):
        rows = [
            _moved_row(world, match_id, before.get(match_id), after.get(match_id))
            for match_id in sorted(match_ids)
            if str(match_id) in world.matches
        ]
        mail_send_after_commit(
            to=[email],
            template="events/email/schedule_changed",
            context={"programme": world.programme, "rows": rows, "url": f"{settings.SITE_URL}/"},
            language=language,
        )
    return len(recipients)


@dataclass(frozen=True)
class MovedRow:
    match: Match
    before_resource: VenueResource | None
    before_start: dt.datetime | None
    after_resource: VenueResource | None
    after_start: dt.datetime | None


def _moved_row(world: ScheduleWorld, match_id: int, before, after) -> MovedRow:
    def unpack(value):
        if value is None:
            return None, None
        return world.resources.get(str(value[0])), dt.datetime.fromisoformat(value[1]).astimezone(TZ)

    before_resource, before_start = unpack(before)
    after_resource, after_start = unpack(after)
    return MovedRow(world.matches[str(match_id)], before_resource, before_start, after_resource, after_start)


def _sessions_touched(
    world: ScheduleWorld, moved: list[int], before: dict, after: dict
) -> dict[int, frozenset]:
    """Sessions at a moved match's venue whose hours held its old or new start (their ticket holders)."""
    spots: list[tuple[int, int, dt.datetime]] = []
    for match_id in moved:
        for value in (before.get(match_id), after.get(match_id)):
            resource = world.resources.get(str(value[0])) if value else None
            if resource is not None:
                spots.append((match_id, resource.venue_id, dt.datetime.fromisoformat(value[1])))
    if not spots:
        return {}
    found: dict[int, set[int]] = {}
    sessions = Session.objects.filter(
        event__programme=world.programme, venue_id__in={venue for _m, venue, _s in spots}
    ).exclude(status=SessionStatus.CANCELLED)
    for session in sessions:
        for match_id, venue_id, start in spots:
            if venue_id == session.venue_id and session.starts_at <= start < session.ends_at:
                found.setdefault(session.pk, set()).add(match_id)
    return {key: frozenset(value) for key, value in found.items()}
