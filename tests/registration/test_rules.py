"""Role reach: a team manager reaches only their own delegations; coaches and chaperones only view;
organisers view their programme's delegations and alone may reveal."""

from __future__ import annotations

import pytest

from registration.enums import MembershipRole
from registration.selectors.delegations import delegations_for_user
from tests.factories import ProgrammeMembershipFactory, UserFactory, two_factor
from tests.factories.registration import AthleteFactory, DelegationFactory, EntryFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_team_manager_reaches_only_own_delegations():
    own, other = DelegationFactory(), DelegationFactory()
    manager = MembershipFactory(delegation=own, role=MembershipRole.MANAGER).user
    own_athlete, other_athlete = AthleteFactory(delegation=own), AthleteFactory(delegation=other)
    own_entry = EntryFactory(team__delegation=own, athlete=own_athlete)
    for obj in (own, own_athlete, own_entry.team, own_entry):
        assert manager.has_perm("registration.manage_delegation", obj)
        assert manager.has_perm("registration.view_delegation", obj)
    assert manager.has_perm("registration.view_documents", own_athlete)
    for obj in (other, other_athlete):
        assert not manager.has_perm("registration.manage_delegation", obj)
        assert not manager.has_perm("registration.view_delegation", obj)
    assert not manager.has_perm("registration.reveal_document", own_athlete)
    assert list(delegations_for_user(manager)) == [own]


@pytest.mark.parametrize("role", [MembershipRole.COACH, MembershipRole.CHAPERONE])
def test_coach_and_chaperone_only_view(role):
    delegation = DelegationFactory()
    user = MembershipFactory(delegation=delegation, role=role).user
    athlete = AthleteFactory(delegation=delegation)
    assert user.has_perm("registration.view_delegation", athlete)
    assert not user.has_perm("registration.manage_delegation", delegation)
    assert not user.has_perm("registration.view_documents", athlete)
    assert not user.has_perm("registration.reveal_document", athlete)


def test_pending_invitation_grants_nothing():
    delegation = DelegationFactory()
    user = MembershipFactory(delegation=delegation, accepted_at=None, invitation_token_hash="x").user
    assert not user.has_perm("registration.view_delegation", delegation)
    assert list(delegations_for_user(user)) == []


def test_organiser_views_own_programme_and_may_reveal():
    delegation = DelegationFactory()
    elsewhere = DelegationFactory()
    organiser = two_factor(ProgrammeMembershipFactory(programme=delegation.programme).user)
    athlete = AthleteFactory(delegation=delegation)
    assert organiser.has_perm("registration.view_delegation", delegation)
    assert organiser.has_perm("registration.reveal_document", athlete)
    assert not organiser.has_perm("registration.manage_delegation", delegation)
    assert not organiser.has_perm("registration.view_delegation", elsewhere)
    assert list(delegations_for_user(organiser)) == [delegation]


def test_anyone_else_reaches_nothing():
    delegation = DelegationFactory()
    stranger = UserFactory()
    assert not stranger.has_perm("registration.view_delegation", delegation)
    assert list(delegations_for_user(stranger)) == []


def test_a_programme_role_other_than_organiser_reaches_nothing():
    # Only organisers exist today; any role added later (volunteer, media...) must not inherit reach.
    from events.models import ProgrammeMembership

    delegation = DelegationFactory()
    athlete = AthleteFactory(delegation=delegation)
    volunteer = two_factor(UserFactory())
    ProgrammeMembership.objects.create(user=volunteer, programme=delegation.programme, role="volunteer")
    assert list(delegations_for_user(volunteer)) == []
    for perm in (
        "registration.view_delegation",
        "registration.view_documents",
        "registration.reveal_document",
    ):
        assert not volunteer.has_perm(perm, athlete)
    organiser = two_factor(ProgrammeMembershipFactory(programme=delegation.programme).user)
    assert list(delegations_for_user(organiser)) == [delegation]
    assert organiser.has_perm("registration.reveal_document", athlete)
