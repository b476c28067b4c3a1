"""Read paths of gate check-in: the offline bundle, the live gate flow, conflicts and the CSV export."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterator

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from events.enums import VenueResourceKind
from events.exports import spreadsheet_cell
from events.i18n import pick
from events.models import Event, Session, Venue, VenueResource
from events.rules import is_programme_organiser, is_superuser
from ticketing.enums import CredentialKind, CredentialState, ScanDirection, ScanResult
from ticketing.models import CheckInState, Credential, Scan
from ticketing.signing import public_keys

FLOW_BUCKET_MINUTES = 5


def event_gates(event: Event) -> list[VenueResource]:
    """The gates of the event's main venue and of every venue its sessions use."""
    return list(
        VenueResource.objects.filter(kind=VenueResourceKind.GATE)
        .filter(Q(venue__events=event) | Q(venue__sessions__event=event))
        .select_related("venue")
        .distinct()
        .order_by("venue__slug", "code")
    )


def gates_for_user(user, event: Event) -> list[VenueResource]:
    """The gates this person may scan at for the event: every gate of its venues for superusers,
    the programme's organisers and staff assigned to the event; only their own venue's gates for
    staff assigned to a venue."""
    gates = event_gates(event)
    if is_superuser.test(user) or is_programme_organiser.test(user, event):  # two-factor passed
        return gates
    assignments = list(user.gate_assignments.values_list("event_id", "venue_id"))
    if any(event_id == event.pk for event_id, _venue in assignments):
        return gates
    venues = {venue_id for _event, venue_id in assignments if venue_id}
    return [gate for gate in gates if gate.venue_id in venues]


def events_for_gate_user(user) -> QuerySet[Event]:
    """Events this person may scan for: organisers' events, and events at their assigned events/venues."""
    if not user.is_authenticated:
        return Event.objects.none()
    queryset = Event.objects.select_related("venue").order_by("start_date", "slug")
    if user.is_superuser:
        return queryset
    return queryset.filter(
        Q(programme__memberships__user=user)
        | Q(gate_staff__user=user)
        | Q(venue__gate_staff__user=user)
        | Q(sessions__venue__gate_staff__user=user)
    ).distinct()


def offline_bundle(*, event: Event, gates: list[str], venue: Venue | None = None) -> dict:
    """Everything a scanner needs to decide alone: keys, scope (its venue, when it has one: a
    session's ticket admits only at its session's venue), blocked credentials, who is inside."""
    sessions = Session.objects.filter(event=event).select_related("venue").order_by("starts_at")
    blocked = (
        Credential.objects.filter(event=event)
        .exclude(state=CredentialState.ACTIVE)
        .values_list("public_id", "state")
        .order_by("pk")
    )
    inside = CheckInState.objects.filter(event=event, inside=True).values_list(
        "credential__public_id", flat=True
    )
    used = CheckInState.objects.filter(event=event, entries__gt=0, credential__allows_reentry=False)
    return {
        "generated_at": timezone.now(),
        "event": {"id": event.pk, "slug": event.slug, "name": event.name},
        "sessions": [
            {
                "id": session.pk,
                "name": session.name,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "venue": session.venue.slug,
            }
            for session in sessions
        ],
        "venue": venue.slug if venue is not None else None,
        "gates": gates
        or [gate.code for gate in event_gates(event) if venue is None or gate.venue_id == venue.pk],
        "keys": public_keys(),
        "blocked": [{"public_id": str(public_id), "state": state} for public_id, state in blocked],
        "inside": [str(public_id) for public_id in inside],
        "used": [str(public_id) for public_id in used.values_list("credential__public_id", flat=True)],
    }


def gate_flow(*, event: Event, hours: int = 3, now: dt.datetime | None = None) -> dict:
    """Admitted entries per five minutes per gate for the last hours, and how full the venue is."""
    now = now or timezone.now()
    start = now - dt.timedelta(hours=hours)
    bucket = dt.timedelta(minutes=FLOW_BUCKET_MINUTES)
    first = start - dt.timedelta(minutes=start.minute % FLOW_BUCKET_MINUTES, seconds=start.second)
    first = first.replace(microsecond=0)
    times = list(
        Scan.objects.filter(
            event=event,
            direction=ScanDirection.ENTRY,
            result=ScanResult.ADMITTED,
            annulled_at__isnull=True,
            scanned_at__gte=first,
        ).values_list("gate_code", "scanned_at")
    )
    slots = []
    cursor = first
    while cursor <= now:
        slots.append(cursor)
        cursor += bucket
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(slots))
    for gate_code, scanned_at in times:
        index = int((scanned_at - first) // bucket)
        if 0 <= index < len(slots):
            counts[gate_code][index] += 1
    inside = CheckInState.objects.filter(event=event, inside=True).count()
    capacity = event.venue.capacity if event.venue_id else 0
    peak = max((max(row) for row in counts.values()), default=0)
    return {
        "slots": [timezone.localtime(slot).strftime("%H:%M") for slot in slots],
        "gates": [
            {"gate": gate, "name": gate_name(event, gate), "counts": row, "total": sum(row)}
            for gate, row in sorted(counts.items())
        ],
        "peak": peak,
        "inside": inside,
        "capacity": capacity,
        "percent_full": round(100 * inside / capacity, 1) if capacity else None,
        "generated_at": now,
    }


def scan_conflicts(*, event: Event) -> QuerySet[Scan]:
    """Scans that lost first-scan-wins (offline double entries), for the organiser to follow up."""
    return (
        Scan.objects.filter(event=event, conflict=True)
        .select_related("credential", "device", "user")
        .order_by("-scanned_at", "-pk")
    )


EXPORT_HEADER = [
    "scanned_at",
    "received_at",
    "direction",
    "result",
    "reason",
    "gate",
    "credential",
    "kind",
    "holder",
    "device",
    "staff",
    "offline",
    "conflict",
    "annulled_at",
]


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


def scan_export_badge_ids(*, event: Event) -> list[int]:
    """The badge credentials whose holders `scan_export_rows` names (a badge is a person's, often a
    child's: reading them is recorded through `ticketing.hooks.holders_read`)."""
    return list(
        Scan.objects.filter(event=event, credential__kind=CredentialKind.BADGE)
        .values_list("credential_id", flat=True)
        .distinct()
        .order_by()
    )


def scan_export_rows(*, event: Event) -> Iterator[list]:
    """Every scan of the event, oldest first, as CSV rows (streamed in chunks)."""
    scans = (
        Scan.objects.filter(event=event)
        .select_related("credential", "device", "user")
        .order_by("scanned_at", "pk")
        .iterator(chunk_size=2000)
    )
    for scan in scans:
        credential = scan.credential
        yield [
            spreadsheet_cell(cell)
            for cell in (
                _iso(scan.scanned_at),
                _iso(scan.received_at),
                scan.direction,
                scan.result,
                scan.reason,
                scan.gate_code,
                str(credential.public_id) if credential else "",
                credential.kind if credential else "",
                credential.holder_label if credential else "",
                scan.device.name if scan.device else "",
                scan.user.email if scan.user else "",
                "yes" if scan.offline else "",
                "yes" if scan.conflict else "",
                _iso(scan.annulled_at),
            )
        ]


def scan_counts(*, event: Event) -> dict:
    return Scan.objects.filter(event=event).aggregate(
        admitted=Count("pk", filter=Q(result=ScanResult.ADMITTED, direction=ScanDirection.ENTRY)),
        refused=Count("pk", filter=Q(result=ScanResult.REFUSED)),
        conflicts=Count("pk", filter=Q(conflict=True)),
    )


GATE_NAMES_LOCAL_SECONDS = 10
# event pk -> (expiry, gate code -> (Chinese name, English name, the venues that have a gate so coded))
_local_gate_names: dict[int, tuple[float, dict[str, tuple[str, str, frozenset[int]]]]] = {}


def _event_gate_names(event: Event) -> dict[str, tuple[str, str, frozenset[int]]]:
    """Gate code -> (Chinese, English) name and the venues with a gate of that code, for the event's
    venues, cached for a minute: every scan checks its gate against them, and a refusal names the
    gate of the earlier entry. Each process also keeps its copy GATE_NAMES_LOCAL_SECONDS, so a scan
    makes no cache round trip (a Redis GET was a quarter of a scan's wall time in the profile of
    issue #10)."""
    expires, names = _local_gate_names.get(event.pk, (0.0, None))
    if names is not None and expires >= time.monotonic():
        return names
    key = f"ticketing:event-gates:v2:{event.pk}"
    names = cache.get(key)
    if names is None:
        rows = (
            VenueResource.objects.filter(kind=VenueResourceKind.GATE)
            .filter(Q(venue__events=event) | Q(venue__sessions__event=event))
            .distinct()
            .order_by("pk")
            .values_list("code", "name_zh", "name_en", "venue_id")
        )
        venues: dict[str, set[int]] = {}
        first: dict[str, tuple[str, str]] = {}
        for code, name_zh, name_en, venue_id in rows:
            first.setdefault(code, (name_zh, name_en))
            venues.setdefault(code, set()).add(venue_id)
        names = {code: (*first[code], frozenset(venues[code])) for code in first}
        cache.set(key, names, timeout=60)
    if len(_local_gate_names) > 1000:
        _local_gate_names.clear()  # a bound, not an eviction policy: few events scan at once
    _local_gate_names[event.pk] = (time.monotonic() + GATE_NAMES_LOCAL_SECONDS, names)
    return names


def session_has_gate(session_id: int, gate_code: str, *, venue_id: int | None = None) -> bool:
    """Whether this gate code is a gate of the session's venue, and that venue is `venue_id` (the
    scanning device's) when one is given: a ticket for one session admits only at its own venue's
    gates, even where the event's other sessions use other venues, each perhaps with a gate of the
    same code. One indexed look-up; PostgreSQL's scans make the same check inside
    `ticketing_scan_decide` (migrations 0013 and 0014)."""
    gates = VenueResource.objects.filter(
        kind=VenueResourceKind.GATE, code=gate_code, venue__sessions=session_id
    )
    if venue_id is not None:
        gates = gates.filter(venue_id=venue_id)
    return gates.exists()


def event_has_gate(event: Event, gate_code: str, *, venue_id: int | None = None) -> bool:
    """Whether a gate code is one of the event's venues' gates, at `venue_id` when one is given (the
    check every scan makes; cached for a minute with the gates' names)."""
    gate = _event_gate_names(event).get(gate_code)
    return gate is not None and (venue_id is None or venue_id in gate[2])


def event_venue_ids(event: Event) -> set[int]:
    """The venues an event uses: its main venue and every session's."""
    venues = set(Session.objects.filter(event=event).values_list("venue_id", flat=True))
    if event.venue_id is not None:
        venues.add(event.venue_id)
    return venues


def gate_name(event: Event, gate_code: str) -> str:
    """The name staff know a gate by, in the active language (its code when the gate is not one of
    the event's)."""
    names = _event_gate_names(event).get(gate_code)
    return pick(names[0], names[1]) if names else gate_code


def _venue_gates() -> QuerySet[VenueResource]:
    return (
        VenueResource.objects.filter(kind=VenueResourceKind.GATE)
        .select_related("venue")
        .order_by("venue__slug", "code")
    )


def gates_for_staff(user) -> list[VenueResource]:
    """Every gate this person may work, whichever event comes through it: the gates of the venues
    they are assigned to, of the venues their assigned events use, and (two-factor passed) of the
    venues their programmes' events use; every gate for superusers."""
    if not user.is_authenticated:
        return []
    if is_superuser.test(user):
        return list(_venue_gates())
    venue_ids = set(user.gate_assignments.filter(venue__isnull=False).values_list("venue_id", flat=True))
    events = Event.objects.filter(Q(gate_staff__user=user) | Q(programme__memberships__user=user)).distinct()
    allowed = [event.pk for event in events if user.has_perm("ticketing.scan_event", event)]
    venue_ids |= set(
        Event.objects.filter(pk__in=allowed, venue__isnull=False).values_list("venue_id", flat=True)
    )
    venue_ids |= set(Session.objects.filter(event__in=allowed).values_list("venue_id", flat=True))
    return list(_venue_gates().filter(venue_id__in=venue_ids))


GATE_STAFF_SESSION_KEY = "ticketing_gate_staff"  # set at login by ticketing.views.gate.remember_gate_staff


def has_gate_assignment(user) -> bool:
    """Whether this person is gate staff (asked once at login: the header offers them the gate page)."""
    return user.is_authenticated and user.gate_assignments.exists()


def gate_fallback_event(gate: VenueResource, *, today: dt.date | None = None) -> Event | None:
    """The event a scan at this gate is filed under when the code names none of the venue's events
    (forged, unknown, an order number, another venue's ticket): the venue's event on today, else
    the next one, else the last one."""
    today = today or timezone.localdate()
    events = Event.objects.filter(Q(venue=gate.venue_id) | Q(sessions__venue=gate.venue_id)).distinct()
    return (
        events.filter(start_date__lte=today, end_date__gte=today).order_by("start_date", "pk").first()
        or events.filter(start_date__gt=today).order_by("start_date", "pk").first()
        or events.order_by("-end_date", "-pk").first()
    )


def credential_venue_ids(credential: Credential) -> set[int]:
    """The venues a credential admits to: its session's, else every venue its event uses."""
    if credential.session_id is not None:
        return {credential.session.venue_id}
    return event_venue_ids(credential.event)
