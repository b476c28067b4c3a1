"""Reads of delegations, teams, entries and memberships, scoped by the person asking. Views never build
these querysets."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from events.enums import EventStatus, ProgrammeRole
from events.models import Event, Programme, ProgrammeMembership
from events.permissions import get_for_user_or_404
from registration.enums import EntryStatus
from registration.models import (
    Delegation,
    DelegationMembership,
    Entry,
    Team,
)


def delegations_for_user(user) -> QuerySet[Delegation]:
    """Delegations the user belongs to (accepted membership) or organises the programme of."""
    if not user.is_authenticated:
        return Delegation.objects.none()
    qs = Delegation.objects.select_related("city", "programme")
    if user.is_superuser:
        return qs
    member = DelegationMembership.objects.filter(
        delegation=OuterRef("pk"), user=user, accepted_at__isnull=False
    )
    organiser = ProgrammeMembership.objects.filter(
        programme=OuterRef("programme_id"), user=user, role=ProgrammeRole.ORGANISER
    )
    return qs.filter(Q(Exists(member)) | Q(Exists(organiser)))


def delegation_list_for_user(user) -> QuerySet[Delegation]:
    """The "my delegations" list: with team and athlete counts, no query per row."""
    return delegations_for_user(user).annotate(
        team_count=Count("teams", distinct=True), athlete_count=Count("athletes", distinct=True)
    )


def delegation_get_for_user(user, pk, *, perm: str = "registration.view_delegation") -> Delegation:
    """A delegation the user may see (and hold `perm` on), else Http404."""

    return get_for_user_or_404(delegations_for_user(user), user=user, perm=perm, pk=pk)


def team_get_for_user(user, pk, *, perm: str = "registration.view_delegation") -> Team:

    queryset = Team.objects.select_related("delegation__programme", "delegation__city", "event").filter(
        delegation__in=delegations_for_user(user)
    )
    return get_for_user_or_404(queryset, user=user, perm=perm, pk=pk)


def entry_get_for_user(user, pk, *, perm: str = "registration.manage_delegation") -> Entry:

    queryset = Entry.objects.select_related("team__delegation", "athlete", "event").filter(
        team__delegation__in=delegations_for_user(user)
    )
    return get_for_user_or_404(queryset, user=user, perm=perm, pk=pk)


def teams_for_delegation(delegation: Delegation) -> QuerySet[Team]:
    return (
        Team.objects.filter(delegation=delegation)
        .select_related("event")
        .annotate(
            entry_count=Count(
                "entries",
                filter=~Q(entries__status__in=[EntryStatus.WITHDRAWN, EntryStatus.WAITLISTED]),
            )
        )
    )


def entries_for_team(team: Team) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(team=team)
        .select_related("athlete")
        .defer("athlete__document_number_encrypted")
        .order_by("status", "athlete__family_name_zh", "athlete__name_latin", "pk")
    )


def memberships_for_delegation(delegation: Delegation) -> QuerySet[DelegationMembership]:
    return DelegationMembership.objects.filter(delegation=delegation).select_related("user")


def events_open_for_registration(programme: Programme) -> QuerySet[Event]:
    """Published events of the programme a delegation may field teams in."""
    return Event.objects.filter(programme=programme, status=EventStatus.PUBLISHED).select_related("host_city")


def programmes_open_for_registration() -> QuerySet[Programme]:
    published = Event.objects.filter(programme=OuterRef("pk"), status=EventStatus.PUBLISHED)
    return Programme.objects.filter(Exists(published))
