"""Reads for the exchange programme: permission-scoped getters, the itinerary with its conflicts
(checked by the schedule builder's own checker), chaperone counts per segment, roll-call status and
the alerts a person should see.

`schedule_items_for_delegation` is the one adapter between the competition schedule and itineraries:
today it reads sessions of the delegation's events and matches with a start time; when published
placements exist it is the only function to switch.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import ProgrammeRole, SessionKind, SessionStatus
from events.models import Match, Programme, ProgrammeMembership, Session, Venue
from events.permissions import get_for_user_or_404, require_perm_or_404
from events.scheduling import (
    Competitor,
    Placement,
    Problem,
    Resource,
    Rule,
    TravelMatrix,
    Violation,
    check_schedule,
)
from events.scheduling import Match as PlanMatch
from registration.enums import MembershipRole
from registration.models import Athlete, Delegation, DelegationMembership, Team
from registration.selectors.eligibility import age_on
from registration.services.competitors import person_key
from tourism.exchange.enums import BookingStatus, CredentialKind, SegmentKind
from tourism.exchange.models import (
    AgeBandRatio,
    Booking,
    ChaperoneCredential,
    Experience,
    ExperienceSlot,
    GuardianLink,
    Handover,
    RollCall,
    RollCallMark,
    Segment,
)

VIEW = "registration.view_delegation"
MANAGE = "registration.manage_delegation"
ORGANISE = "events.manage_programme"
ADULT_ROLES = (MembershipRole.MANAGER, MembershipRole.COACH, MembershipRole.CHAPERONE)
MATCH_MINUTES = 60  # a match's length on an itinerary when the schedule gives only its start
# Travel between venues when the organiser has entered none: across town, and between cities.
SAME_CITY_MINUTES = 45
# Children in no band the programme set (or with no bands at all): one adult for ten (DOMAIN.md §7).
DEFAULT_CHILDREN_PER_ADULT = 10
OTHER_CITY_MINUTES = 180


# ---- permission-scoped getters ---------------------------------------------------------------


def delegation_get(user, pk, *, perm: str = VIEW) -> Delegation:
    queryset = Delegation.objects.select_related("programme", "city")
    return get_for_user_or_404(queryset, user=user, perm=perm, pk=pk)


def _scoped(user, obj, delegation: Delegation, perm: str):
    require_perm_or_404(user, perm, delegation)
    return obj


def segment_get(user, pk, *, perm: str = VIEW) -> Segment:
    queryset = Segment.objects.select_related(
        "delegation__programme", "venue__city", "origin__city", "lead__user"
    )
    segment = _get_or_404(queryset, pk)
    return _scoped(user, segment, segment.delegation, perm)


def rollcall_get(user, pk, *, perm: str = VIEW) -> RollCall:
    queryset = RollCall.objects.select_related("segment__delegation__programme", "segment__venue")
    rollcall = _get_or_404(queryset, pk)
    return _scoped(user, rollcall, rollcall.segment.delegation, perm)


def booking_get(user, pk, *, perm: str = MANAGE) -> Booking:
    booking = _get_or_404(Booking.objects.select_related("delegation", "slot__experience"), pk)
    return _scoped(user, booking, booking.delegation, perm)


def slot_get_for_delegation(delegation: Delegation, pk) -> ExperienceSlot:
    queryset = ExperienceSlot.objects.select_related("experience__venue").filter(
        experience__programme_id=delegation.programme_id
    )
    return _get_or_404(queryset, pk)


def programme_get_for_organiser(user, pk) -> Programme:
    return get_for_user_or_404(Programme.objects.all(), user=user, perm=ORGANISE, pk=pk)


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# ---- experiences -------------------------------------------------------------------------------


def experiences_for_programme(programme_id: int) -> QuerySet[Experience]:
    return (
        Experience.objects.filter(programme_id=programme_id)
        .select_related("venue__city")
        .prefetch_related(Prefetch("slots", queryset=ExperienceSlot.objects.order_by("starts_at", "pk")))
    )


def slot_taken(slot: ExperienceSlot) -> int:
    """Places held: confirmed ones and those offered to the waiting list."""
    return slot.bookings.filter(status__in=(BookingStatus.CONFIRMED, BookingStatus.OFFERED)).count()


def bookings_for_delegation(delegation: Delegation) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(delegation=delegation)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("slot__experience", "athlete", "membership__user")
        .order_by("slot__starts_at", "created_at", "pk")
    )


# ---- the schedule adapter and the itinerary ----------------------------------------------------


@dataclass(frozen=True)
class ScheduleItem:
    """A match or competition session of the delegation, as the itinerary needs it."""

    title_zh: str
    title_en: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue_id: int | None
    session_id: int | None = None
    match_id: int | None = None


def schedule_items_for_delegation(delegation: Delegation) -> list[ScheduleItem]:
    """The delegation's matches with their times: sessions of the events it has teams in, and bouts
    with a start whose competitors include one of its athletes (through registration's person keys)."""
    event_ids = list(Team.objects.filter(delegation=delegation).values_list("event_id", flat=True))
    items = [
        ScheduleItem(
            title_zh=f"{session.event.name_zh} {session.name_zh}",
            title_en=f"{session.event.name_en} {session.name_en}",
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            venue_id=session.venue_id,
            session_id=session.pk,
        )
        # Camp activities are the exchange's own experiences, booked here, not matches.
        for session in Session.objects.filter(event_id__in=event_ids)
        .exclude(status=SessionStatus.CANCELLED)
        .exclude(kind=SessionKind.CAMP_ACTIVITY)
        .select_related("event")
        .order_by("starts_at", "pk")
    ]
    keys = {
        person_key(pk) for pk in Athlete.objects.filter(delegation=delegation).values_list("pk", flat=True)
    }
    matches = (
        Match.objects.filter(stage__event_id__in=event_ids, starts_at__isnull=False)
        .select_related("stage__event", "resource", "left", "right")
        .order_by("starts_at", "pk")
    )
    for match in matches:
        # Person keys are JSON lists: compared here, as SQLite has no JSON containment lookup.
        people = {key for side in (match.left, match.right) if side for key in side.person_keys}
        if not people & keys:
            continue
        items.append(
            ScheduleItem(
                title_zh=f"{match.stage.event.name_zh} {match.code}",
                title_en=f"{match.stage.event.name_en} {match.code}",
                starts_at=match.starts_at,
                ends_at=match.starts_at + dt.timedelta(minutes=MATCH_MINUTES),
                venue_id=match.resource.venue_id if match.resource else match.stage.event.venue_id,
                match_id=match.pk,
            )
        )
    return items


def itinerary_for_delegation(delegation: Delegation) -> QuerySet[Segment]:
    return (
        Segment.objects.filter(delegation=delegation)
        .select_related("venue__city", "origin__city", "lead__user", "slot__experience")
        .prefetch_related("athletes", "chaperones__user")
        .order_by("starts_at", "pk")
    )


def _minutes(moment: dt.datetime, epoch: dt.datetime) -> int:
    return int((moment - epoch).total_seconds() // 60)


@dataclass(frozen=True)
class Conflict:
    """A checker violation between two segments, told in the itinerary's words."""

    violation: Violation
    other: Segment
    message: str


def _conflict(violation: Violation, segment: Segment, other: Segment) -> Conflict:
    if violation.rule == Rule.ATHLETE_OVERLAP:
        message = _("Overlaps with %(other)s.") % {"other": other.title}
    else:
        gap = int((segment.starts_at - other.ends_at).total_seconds() // 60)
        message = _(
            "Only %(gap)d minutes after %(other)s, but the journey between the venues takes %(minutes)d."
        ) % {
            "gap": gap,
            "other": other.title,
            "minutes": violation.params.get("minutes", 0),
        }
    return Conflict(violation=violation, other=other, message=message)


def itinerary_conflicts(segments: list[Segment]) -> dict[int, list[Conflict]]:
    """Clashes and too-short travel between segments, found by the schedule builder's checker.

    Each segment becomes a match placed on a resource of its own at its venue (a transfer is placed
    at its destination and may start at its origin), and everyone on the itinerary is one competitor,
    so the checker reports overlaps (ATHLETE_OVERLAP) and gaps shorter than the travel between the
    venues (TRAVEL). Returns the violations by segment id, each on the later segment.
    """
    timed = [segment for segment in segments if segment.venue_id is not None]
    if not timed:
        return {}
    local = timezone.localtime(min(segment.starts_at for segment in timed))
    epoch = local.replace(hour=0, minute=0, second=0, microsecond=0)
    team = (Competitor(key="itinerary", people=frozenset({"itinerary"})),)
    matches, resources, placements = [], [], []
    for segment in timed:
        key = str(segment.pk)
        start, end = _minutes(segment.starts_at, epoch), _minutes(segment.ends_at, epoch)
        matches.append(PlanMatch(id=key, duration=max(end - start, 1), competitors=team))
        venue = segment.venue
        resources.append(
            Resource(id=key, venue=str(venue.pk), city=str(venue.city_id), windows=((start, end),))
        )
        placements.append(Placement(match_id=key, resource_id=key, start=start))
    travel = TravelMatrix(same_city=SAME_CITY_MINUTES, other_city=OTHER_CITY_MINUTES)
    # A transfer carries the travel: the segments either side of it are not checked against each other.
    transfers = {str(segment.pk) for segment in timed if segment.kind == SegmentKind.TRANSFER}
    problem = Problem(matches=tuple(matches), resources=tuple(resources), travel=travel)
    found: dict[int, list[Conflict]] = {}
    by_key = {str(segment.pk): segment for segment in timed}
    ordered = sorted(timed, key=lambda segment: (segment.starts_at, segment.pk))
    position = {str(segment.pk): index for index, segment in enumerate(ordered)}
    for violation in check_schedule(problem, placements):
        if violation.rule not in (Rule.ATHLETE_OVERLAP, Rule.TRAVEL, Rule.REST):
            continue
        first, second = sorted(violation.matches[:2], key=position.__getitem__)
        if violation.rule != Rule.ATHLETE_OVERLAP and _bridged(ordered, position, first, second, transfers):
            continue
        found.setdefault(int(second), []).append(_conflict(violation, by_key[second], by_key[first]))
    return found


def _bridged(
    ordered: list[Segment], position: dict[str, int], first: str, second: str, transfers: set[str]
) -> bool:
    """A transfer between (or being one of) two segments accounts for the travel between them."""
    low, high = position[first], position[second]
    return any(str(segment.pk) in transfers for segment in ordered[low : high + 1])


# ---- chaperones ----------------------------------------------------------------------------------


@dataclass
class Coverage:
    """How many valid chaperones a segment has, how many its children need, and who is missing what."""

    required: int
    valid: int
    children: int
    invalid: list[tuple[DelegationMembership, list[str]]] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return max(self.required - self.valid, 0)

    @property
    def enough(self) -> bool:
        return self.missing == 0


def children_needing_adults(ages: list[int], bands: list[AgeBandRatio], experience_ratio: int | None) -> int:
    """Adults needed for these children's ages: each child counts 1/ratio of an adult, the ratio of the
    youngest band that fits them (one for ten outside every band), or the experience's own ratio when
    stricter; the sum is rounded up."""
    load = Fraction(0)
    for age in ages:
        band = next((band for band in bands if age < band.under_age), None)
        ratio = band.children_per_adult if band else DEFAULT_CHILDREN_PER_ADULT
        load += Fraction(1, min(ratio, experience_ratio or ratio))
    return math.ceil(load)


def missing_credentials(membership: DelegationMembership, on: dt.date, credentials) -> list[str]:
    held = {
        c.kind
        for c in credentials
        if c.membership_id == membership.pk and c.valid_from <= on <= c.valid_until
    }
    return [str(kind.label) for kind in CredentialKind if kind not in held]


def segment_coverage(segment: Segment) -> Coverage:
    on = timezone.localtime(segment.starts_at).date()
    athletes = list(segment.athletes.all()) or list(
        Athlete.objects.filter(delegation_id=segment.delegation_id)
    )
    ages = [age_on(athlete.birth_date, on) for athlete in athletes]
    children = [age for age in ages if age < 18]
    bands = list(
        AgeBandRatio.objects.filter(programme_id=segment.delegation.programme_id).order_by("under_age")
    )
    experience_ratio = segment.slot.experience.children_per_adult if segment.slot_id else None
    required = children_needing_adults(children, bands, experience_ratio)
    chaperones = list(segment.chaperones.select_related("user").filter(accepted_at__isnull=False))
    credentials = list(ChaperoneCredential.objects.filter(membership__in=chaperones))
    coverage = Coverage(required=required, valid=0, children=len(children))
    for membership in chaperones:
        missing = missing_credentials(membership, on, credentials)
        if missing:
            coverage.invalid.append((membership, missing))
        else:
            coverage.valid += 1
    return coverage


def adults_for_delegation(delegation: Delegation) -> QuerySet[DelegationMembership]:
    return (
        DelegationMembership.objects.filter(
            delegation=delegation, accepted_at__isnull=False, role__in=ADULT_ROLES
        )
        .select_related("user")
        .prefetch_related(
            Prefetch("exchange_credentials", queryset=ChaperoneCredential.objects.order_by("kind"))
        )
        .order_by("role", "pk")
    )


# ---- roll-calls and alerts -----------------------------------------------------------------------


@dataclass
class RollCallStatus:
    present: list[tuple[Athlete, RollCallMark]]
    missing: list[Athlete]

    @property
    def complete(self) -> bool:
        return not self.missing


def rollcall_expected(rollcall: RollCall) -> list[Athlete]:
    segment = rollcall.segment
    return list(segment.athletes.all()) or list(Athlete.objects.filter(delegation_id=segment.delegation_id))


def rollcall_status(rollcall: RollCall) -> RollCallStatus:
    expected = rollcall_expected(rollcall)
    marks = {mark.athlete_id: mark for mark in rollcall.marks.all()}
    present = [(athlete, marks[athlete.pk]) for athlete in expected if athlete.pk in marks]
    missing = [athlete for athlete in expected if athlete.pk not in marks]
    return RollCallStatus(present=present, missing=missing)


def rollcalls_for_delegation(delegation: Delegation) -> QuerySet[RollCall]:
    return RollCall.objects.filter(segment__delegation=delegation).select_related("segment")


def alerts_for_programmes(programme_ids: list[int]) -> QuerySet[RollCall]:
    """Open roll-call alerts of these programmes (the organiser home's panel), oldest first."""
    return (
        RollCall.objects.filter(
            alert_raised_at__isnull=False,
            alert_cleared_at__isnull=True,
            segment__delegation__programme_id__in=programme_ids,
        )
        .select_related("segment__delegation")
        .order_by("alert_raised_at", "pk")
    )


def alerts_for_user(user) -> QuerySet[RollCall]:
    """Open roll-call alerts the person must see: as the segment's lead chaperone, a manager of the
    delegation, or an organiser of its programme."""
    if not user.is_authenticated:
        return RollCall.objects.none()
    open_alerts = RollCall.objects.filter(alert_raised_at__isnull=False, alert_cleared_at__isnull=True)
    organised = ProgrammeMembership.objects.filter(user=user, role=ProgrammeRole.ORGANISER).values(
        "programme_id"
    )
    managed = DelegationMembership.objects.filter(
        user=user, role=MembershipRole.MANAGER, accepted_at__isnull=False
    ).values("delegation_id")
    return (
        open_alerts.filter(
            Q(segment__lead__user=user)
            | Q(segment__delegation_id__in=managed)
            | Q(segment__delegation__programme_id__in=organised)
        )
        .select_related("segment__delegation")
        .order_by("alert_raised_at", "pk")
    )


def rollcalls_due(now: dt.datetime) -> QuerySet[RollCall]:
    return RollCall.objects.filter(due_at__lte=now, alert_raised_at__isnull=True, closed_at__isnull=True)


def organiser_delegations(programme: Programme) -> QuerySet[Delegation]:
    return (
        Delegation.objects.filter(programme=programme, exchange_segments__isnull=False)
        .distinct()
        .select_related("city")
    )


# ---- guardians ---------------------------------------------------------------------------------


def guardian_link_get(token_hash: str, now: dt.datetime) -> GuardianLink | None:
    return (
        GuardianLink.objects.filter(token_hash=token_hash, expires_at__gt=now)
        .select_related("guardian__athlete__delegation")
        .first()
    )


def handovers_for_delegation(delegation: Delegation) -> dict[int, Handover]:
    return {
        handover.athlete_id: handover
        for handover in Handover.objects.filter(delegation=delegation).select_related(
            "guardian", "handed_by", "athlete"
        )
    }


def venues_for_programme(programme_id: int) -> QuerySet[Venue]:
    return Venue.objects.select_related("city").order_by("city__ordering", "name_zh", "pk")


def guardian_view(athlete: Athlete) -> dict:
    """What a guardian sees: the segments their child is on, the child's own mark at each roll-call
    (present, or not yet), and the handover. Nothing about any other child."""
    segments = [
        segment
        for segment in Segment.objects.filter(delegation_id=athlete.delegation_id)
        .select_related("venue", "origin")
        .prefetch_related("athletes")
        .order_by("starts_at", "pk")
        if not segment.athletes.all() or athlete in segment.athletes.all()
    ]
    rollcalls = RollCall.objects.filter(segment__in=segments).select_related("segment").order_by("opened_at")
    marks = {
        mark.rollcall_id: mark
        for mark in RollCallMark.objects.filter(athlete=athlete, rollcall__in=rollcalls)
    }
    return {
        "segments": segments,
        "rollcalls": [(rollcall, marks.get(rollcall.pk)) for rollcall in rollcalls],
        "handover": Handover.objects.filter(athlete=athlete).select_related("guardian").first(),
    }
