"""Reads of athletes and their documents: permission-scoped getters, rosters, reveals and attestations."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from events.models import Programme
from events.permissions import get_for_user_or_404
from registration.enums import EntryStatus
from registration.models import (
    Athlete,
    Delegation,
    DocumentAttestation,
    DocumentReveal,
    Entry,
)
from registration.selectors.delegations import delegations_for_user


def athlete_get_for_user(user, pk, *, perm: str = "registration.view_delegation") -> Athlete:

    queryset = Athlete.objects.select_related("delegation__programme").filter(
        delegation__in=delegations_for_user(user)
    )
    return get_for_user_or_404(queryset, user=user, perm=perm, pk=pk)


def athletes_for_delegation(delegation: Delegation) -> QuerySet[Athlete]:
    """The roster, with the active entries' events prefetched (one query for all rows)."""

    active = Entry.objects.exclude(status=EntryStatus.WITHDRAWN).select_related("event")
    return (
        Athlete.objects.filter(delegation=delegation)
        .defer("document_number_encrypted")
        .prefetch_related(Prefetch("entries", queryset=active, to_attr="active_entries"))
    )


def athletes_sharing_document(athlete: Athlete) -> QuerySet[Athlete]:
    """The same document on other rosters (by keyed hash), e.g. one child in a club and a city team."""
    return (
        Athlete.objects.filter(document_hash=athlete.document_hash)
        .exclude(pk=athlete.pk)
        .select_related("delegation")
    )


def reveals_for_programme(programme: Programme) -> QuerySet[DocumentReveal]:
    return DocumentReveal.objects.filter(delegation__programme=programme).select_related("revealed_by")


def attestation_current(athlete: Athlete) -> DocumentAttestation | None:
    """The athlete's current document attestation (with who attested), or None if not verified."""
    return (
        DocumentAttestation.objects.filter(athlete_id=athlete.pk, superseded_at__isnull=True)
        .select_related("attested_by")
        .first()
    )


def attestation_last_superseded(athlete: Athlete) -> DocumentAttestation | None:
    """The most recently superseded attestation, to say "the document changed since it was verified"."""
    return (
        DocumentAttestation.objects.filter(athlete_id=athlete.pk, superseded_at__isnull=False)
        .order_by("-superseded_at", "-pk")
        .first()
    )


def document_verified(athlete_ref: str = "pk") -> Exists:
    """An expression for querysets: the athlete (at `athlete_ref`) has a current attestation.
    Annotate or filter with it so lists learn the status without a query per row."""
    return Exists(
        DocumentAttestation.objects.filter(athlete_id=OuterRef(athlete_ref), superseded_at__isnull=True)
    )
