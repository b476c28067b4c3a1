"""Reads for the organiser pages: the review queue with each entry's missing items and the per-city
delegation overview (the logged insurance export is services.exports). Query counts do not grow
with the rows."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from events.models import Programme
from registration.enums import EntryStatus
from registration.models import Athlete, Delegation, Entry
from registration.selectors.athletes import document_verified
from registration.selectors.eligibility import entries_refusals
from registration.selectors.paperwork import paperwork_missing, with_paperwork

QUEUE_LIMIT = 500
INSURED_STATUSES = (EntryStatus.SUBMITTED, EntryStatus.APPROVED, EntryStatus.LOCKED)


def programmes_for_organiser(user) -> QuerySet[Programme]:
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(memberships__user=user).distinct()


def queue_entries(programme: Programme) -> QuerySet[Entry]:
    return Entry.objects.filter(event__programme=programme).exclude(status=EntryStatus.WITHDRAWN)


def _attach_athletes(entries: list[Entry]) -> None:
    athletes = with_paperwork(
        Athlete.objects.filter(pk__in={e.athlete_id for e in entries}).defer("document_number_encrypted")
    )
    by_pk = {athlete.pk: athlete for athlete in athletes}
    for entry in entries:
        entry.athlete = by_pk[entry.athlete_id]


def rows_for_entries(entries) -> list[dict]:
    entries = list(
        Entry.objects.filter(pk__in=[e.pk for e in entries])
        .select_related("event", "team__delegation__city")
        .order_by("pk")
    )
    if not entries:
        return []
    _attach_athletes(entries)
    return _rows(entries)


def _rows(entries: list[Entry]) -> list[dict]:
    """Each entry with what it lacks: paperwork, and the eligibility rules' refusals under the rules
    saved now (how a rule change flags entries already made: nothing is withdrawn)."""
    refused = entries_refusals(entries)
    return [
        {"entry": e, "missing": [*paperwork_missing(e.athlete, e.event), *refused.get(e.pk, [])]}
        for e in entries
    ]


def review_rows(
    programme: Programme, *, event=None, city=None, status="", missing=False, unverified=False
) -> list[dict]:
    """The queue: entries (submitted first), each with the items it still lacks and whether the
    athlete's document is verified (`entry.document_verified`, in the same query)."""
    queryset = (
        queue_entries(programme)
        .select_related("event", "team__delegation__city")
        .annotate(document_verified=document_verified("athlete_id"))
    )
    if unverified:
        queryset = queryset.filter(document_verified=False)
    if event:
        queryset = queryset.filter(event=event)
    if city:
        queryset = queryset.filter(team__delegation__city=city)
    if status:
        queryset = queryset.filter(status=status)
    entries = list(
        queryset.order_by("status", "event__start_date", "team__delegation__name_zh", "pk")[:QUEUE_LIMIT]
    )
    if not entries:
        return []
    _attach_athletes(entries)
    rows = _rows(entries)
    if missing:
        rows = [row for row in rows if row["missing"]]
    return rows


def delegation_overview(programme: Programme) -> list[dict]:
    """Per city, each delegation with its entry counts by status (one query)."""
    counts = {
        status: Count("teams__entries", filter=Q(teams__entries__status=status))
        for status in EntryStatus.values
    }
    delegations = (
        Delegation.objects.filter(programme=programme)
        .select_related("city")
        .annotate(**{f"n_{status}": count for status, count in counts.items()})
        .order_by("city__ordering", "city__name_zh", "name_zh", "pk")
    )
    cities: dict[int, dict] = {}
    for delegation in delegations:
        city = cities.setdefault(
            delegation.city_id, {"city": delegation.city, "delegations": [], "totals": {}}
        )
        delegation.status_counts = [
            (status, label, getattr(delegation, f"n_{status}")) for status, label in EntryStatus.choices
        ]
        city["delegations"].append(delegation)
        for status, _label, number in delegation.status_counts:
            city["totals"][status] = city["totals"].get(status, 0) + number
    return list(cities.values())
