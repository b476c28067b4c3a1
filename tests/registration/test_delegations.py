"""Delegation write paths: invitations and their refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone, translation

from registration.enums import MembershipRole
from registration.errors import InvitationError
from registration.models import DelegationMembership
from registration.services import delegations
from tests.factories import UserFactory, verified
from tests.factories.registration import (
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


# --- invitations --------------------------------------------------------------------------------


def invite(manager_membership, email="coach@example.com") -> str:
    tokens = []
    delegations.membership_invite(
        delegation=manager_membership.delegation,
        email=email,
        role=MembershipRole.COACH,
        invited_by=manager_membership.user,
        language="en",
        build_accept_url=lambda token: tokens.append(token) or f"https://example.com/{token}",
    )
    return tokens[0]


@pytest.fixture
def manager_membership():
    return MembershipFactory(role=MembershipRole.MANAGER)


def test_an_invitation_link_is_useless_to_another_account(manager_membership):
    token = invite(manager_membership)
    stranger = verified(UserFactory(email="someone.else@example.net"))
    for language, message in [
        ("en", "This invitation was sent to another email address; log in with that address to accept it."),
        ("zh-hans", "此邀请发送到了另一个邮箱地址，请使用该地址登录后再接受邀请。"),
    ]:
        with translation.override(language), pytest.raises(InvitationError) as refused:
            delegations.membership_accept(token=token, user=stranger)
        assert str(refused.value) == message
    assert not DelegationMembership.objects.filter(user=stranger).exists()
    invitation = DelegationMembership.objects.get(invited_email="coach@example.com")
    assert invitation.accepted_at is None  # still open for the right person


def test_the_invited_address_must_be_verified(manager_membership):
    token = invite(manager_membership)
    unverified = UserFactory(email="coach@example.com")
    with translation.override("zh-hans"), pytest.raises(InvitationError) as refused:
        delegations.membership_accept(token=token, user=unverified)
    assert str(refused.value) == "请先验证您的邮箱地址，再接受邀请。"
    verified(unverified)
    membership = delegations.membership_accept(token=token, user=unverified)
    assert membership.user == unverified and membership.accepted_at is not None


def test_an_expired_invitation_can_be_sent_again(manager_membership, django_capture_on_commit_callbacks):
    first = invite(manager_membership)
    DelegationMembership.objects.filter(invited_email="coach@example.com").update(
        created_at=timezone.now() - dt.timedelta(days=delegations.INVITATION_VALID_DAYS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = invite(manager_membership)
    assert DelegationMembership.objects.filter(invited_email="coach@example.com").count() == 1
    assert mail.outbox[-1].to == ["coach@example.com"]
    coach = verified(UserFactory(email="coach@example.com"))
    with pytest.raises(InvitationError):
        delegations.membership_accept(token=first, user=coach)
    assert delegations.membership_accept(token=second, user=coach).user == coach


def test_an_open_invitation_still_blocks_a_second_one(manager_membership):
    invite(manager_membership)
    with translation.override("en"), pytest.raises(InvitationError) as refused:
        invite(manager_membership)
    assert str(refused.value) == "This person is already a member or has an open invitation."
