"""Object-scoped permissions for delegations, teams, athletes and entries.

- registration.manage_delegation: accepted members with role manager (edit roster, teams, invite).
- registration.view_delegation: any accepted member (manager, coach, chaperone) and the programme's
  organisers; coaches and chaperones see the roster but never documents.
- registration.view_documents: managers and the programme's organisers see masked documents.
- registration.reveal_document: only the programme's organisers (checked again in the service,
  without the superuser shortcut Django's ModelBackend adds).
Organisers (and superusers) count only with two-factor passed in this session (see events.rules).
The object may be a Delegation or anything with a `delegation` (Team, Athlete) or a team (Entry).
"""

from __future__ import annotations

import rules

from events.enums import ProgrammeRole
from events.rules import is_superuser, two_factor_passed
from registration.enums import MembershipRole
from registration.models import Athlete, Delegation, DelegationMembership, Entry, Team


def delegation_of(obj) -> Delegation | None:
    if isinstance(obj, Delegation):
        return obj
    if isinstance(obj, Team | Athlete):
        return obj.delegation
    if isinstance(obj, Entry):
        return obj.team.delegation
    return None


def _role(user, obj) -> str | None:
    if not user.is_authenticated:
        return None
    delegation = delegation_of(obj)
    if delegation is None:
        return None
    cache = getattr(user, "_delegation_roles", None)
    if cache is None:
        cache = user._delegation_roles = {}
    if delegation.pk not in cache:
        cache[delegation.pk] = (
            DelegationMembership.objects.filter(
                user=user, delegation_id=delegation.pk, accepted_at__isnull=False
            )
            .values_list("role", flat=True)
            .first()
        )
    return cache[delegation.pk]


@rules.predicate
def is_delegation_manager(user, obj) -> bool:
    return _role(user, obj) == MembershipRole.MANAGER


@rules.predicate
def is_delegation_member(user, obj) -> bool:
    return _role(user, obj) is not None


@rules.predicate
def is_delegation_programme_organiser(user, obj) -> bool:
    if not two_factor_passed(user):
        return False
    delegation = delegation_of(obj)
    if delegation is None:
        return False
    return user.programme_roles.filter(
        programme_id=delegation.programme_id, role=ProgrammeRole.ORGANISER
    ).exists()


rules.add_perm("registration.create_delegation", rules.is_authenticated)
rules.add_perm("registration.manage_delegation", is_delegation_manager)
rules.add_perm(
    "registration.view_delegation",
    is_delegation_member | is_delegation_programme_organiser | is_superuser,
)
rules.add_perm(
    "registration.view_documents",
    is_delegation_manager | is_delegation_programme_organiser | is_superuser,
)
rules.add_perm("registration.reveal_document", is_delegation_programme_organiser)
