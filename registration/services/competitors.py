"""Approved entries become the competitors of an event's draw (events.Competitor).

`events` never imports registration: this is where an athlete turns into an opaque person key, the
same key in every event the athlete enters, so the schedule builder in `events` can check one child
across sports and cities without seeing who the child is.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.crypto import salted_hmac

from events.enums import CompetitorKind, CompetitorStatus
from events.hooks import ScheduleRecipient
from events.models import Competitor, Event, Stage
from registration.enums import EntryStatus, MembershipRole
from registration.models import Athlete, DelegationMembership, Entry

DRAWN = (EntryStatus.APPROVED, EntryStatus.LOCKED)


def person_key(athlete: Athlete | int) -> str:
    """An opaque, stable key for an athlete: a keyed hash of the primary key, never a name or number."""
    pk = athlete if isinstance(athlete, int) else athlete.pk
    return "p-" + salted_hmac("registration.person_key", f"athlete:{pk}").hexdigest()[:30]


SYNCED_FIELDS = (
    "kind", "display_name", "club_zh", "club_en", "city_zh", "city_en", "person_keys", "members", "status",
)  # fmt: skip
OWN_KEY = re.compile(r"[pt]-[0-9a-f]{30}")  # the keys this module makes: person_key and team_key


def team_key(team_id: int) -> str:
    """An opaque, stable key for a team's competitor (a crew or a squad), like `person_key`."""
    return "t-" + salted_hmac("registration.team_key", f"team:{team_id}").hexdigest()[:30]


def _wanted(event: Event, entries) -> dict[str, dict]:
    """The competitors the entries make, by key: one per athlete, or one per team in team sports."""
    # Where the entrant is the team (a crew, a squad, a fencing team): one competitor per team, carrying
    # the person keys of its approved athletes, so the schedule builder still sees every child.
    kind = event.team_kind
    wanted: dict[str, dict] = {}
    for entry in entries:
        athlete, team = entry.athlete, entry.team
        delegation = team.delegation
        fields = {
            "club_zh": delegation.name_zh,
            "club_en": delegation.name_en,
            "city_zh": delegation.city.name_zh,
            "city_en": delegation.city.name_en,
            "status": CompetitorStatus.ACTIVE,
        }
        if kind is None:
            key = person_key(athlete)
            wanted[key] = {
                "kind": CompetitorKind.FENCER,
                "display_name": athlete.display_name,
                "person_keys": [key],
                "members": {},
                **fields,
            }
        else:
            key = team_key(team.pk)
            competitor = wanted.setdefault(
                key, {"kind": kind, "display_name": team.name_zh, "person_keys": [], "members": {}, **fields}
            )
            member = person_key(athlete)
            competitor["person_keys"].append(member)
            competitor["members"][member] = athlete.display_name  # public: the relay line-up names them
    return wanted


def competitors_sync(*, event: Event) -> dict[str, int]:
    """Create or update the event's competitors from its approved (and locked) entries.

    In individual sports each athlete is a competitor; in team sports (`Event.team_kind`: dragon boat,
    basketball, football, camp games, and a fencing event marked a team event) each team with an
    approved athlete is one, carrying every
    approved athlete's person key and public name (its name is the team's Chinese name, as its
    delegation gave it; its members' names are what a fencing team's line-up shows).
    A new competitor is seeded after those already there (in entry order); name, delegation and city
    follow the roster. A competitor of the entries (a person or team key) that no entry makes any more
    is deleted while no draw exists, and marked withdrawn once it does (its pool bouts are then
    annulled by the ranking); competitors another source added are left alone. Locks the event row,
    as the draws do, so a sync and a draw cannot interleave.
    """
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        entries = (
            Entry.objects.filter(event=event, status__in=DRAWN)
            .select_related("athlete", "team__delegation__city")
            .order_by("pk")
        )
        existing = {c.key: c for c in Competitor.objects.filter(event=event)}
        next_seed = max((c.seed for c in existing.values()), default=0) + 1
        created, updated = [], []
        wanted = _wanted(event, entries)
        for key, fields in wanted.items():
            competitor = existing.get(key)
            if competitor is None:
                created.append(Competitor(event=event, key=key, seed=next_seed, **fields))
                next_seed += 1
            elif any(getattr(competitor, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(competitor, name, value)
                updated.append(competitor)
        Competitor.objects.bulk_create(created)
        if updated:
            Competitor.objects.bulk_update(updated, [*SYNCED_FIELDS, "updated_at"])
        gone = [c for key, c in existing.items() if key not in wanted and OWN_KEY.fullmatch(key)]
        drawn = Stage.objects.filter(event=event).exists()
        if drawn:
            withdrawn = Competitor.objects.filter(pk__in=[c.pk for c in gone]).exclude(
                status=CompetitorStatus.WITHDRAWN
            )
            removed = withdrawn.update(status=CompetitorStatus.WITHDRAWN)
        else:
            removed, _ = Competitor.objects.filter(pk__in=[c.pk for c in gone]).delete()
        return {"created": len(created), "updated": len(updated), "removed": removed}


def schedule_audience(*, change) -> list:
    """Delegation managers of the athletes whose matches moved (events' schedule audience hook).

    Reads only: the approved entries of the programme, keyed as the competitors are, then each
    delegation's accepted managers, each in their own language with only their athletes' matches.
    """
    wanted = set().union(*change.matches.values()) if change.matches else set()
    if not wanted:
        return []
    entries = Entry.objects.filter(event__programme_id=change.programme_id, status__in=DRAWN).values_list(
        "athlete_id", "team__delegation_id"
    )
    keys_of: dict[int, set[str]] = {}
    for athlete_id, delegation_id in entries:
        key = person_key(athlete_id)
        if key in wanted:
            keys_of.setdefault(delegation_id, set()).add(key)
    if not keys_of:
        return []
    managers = DelegationMembership.objects.filter(
        delegation_id__in=keys_of, role=MembershipRole.MANAGER, user__isnull=False, accepted_at__isnull=False
    ).select_related("user")
    return [
        ScheduleRecipient(
            email=membership.user.email,
            language=membership.user.preferred_language,
            matches=change.matches_of(keys_of[membership.delegation_id]),
        )
        for membership in managers
        if membership.user.email
    ]


def competitors_rename(*, athlete: Athlete) -> int:
    """Show the athlete's name as it is now wherever a competitor carries it: the athlete's own
    competitors (individual events) and the line-ups of the teams they are in (`members`). Retention
    calls it after anonymising a child, whose old name would otherwise stay on public pages (pool
    sheets, tableaux, start lists, the competitor's schedule). Returns how many competitors changed."""
    key, name = person_key(athlete), athlete.display_name
    changed = Competitor.objects.filter(key=key).exclude(display_name=name).update(display_name=name)
    entered = Entry.objects.filter(athlete=athlete).values("event_id")  # bounds the JSON look-up
    teams = [
        c
        for c in Competitor.objects.filter(event_id__in=entered, members__has_key=key)
        if c.members.get(key) != name
    ]
    for competitor in teams:
        competitor.members[key] = name
    Competitor.objects.bulk_update(teams, ["members"])
    return changed + len(teams)
