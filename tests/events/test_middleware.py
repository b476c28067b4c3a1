"""Two-factor belongs to the organiser role: a session must have passed it, wherever the role is used."""

from __future__ import annotations

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.test import RequestFactory
from django.urls import reverse

from registration.rules import is_superuser
from tests.factories import (
    ProgrammeMembershipFactory,
    UserFactory,
    VenueResourceFactory,
    login_two_factor,
    totp_code,
    two_factor,
    verified,
    with_totp,
)
from tests.factories.checkin import CredentialFactory
from tests.factories.registration import AthleteFactory, DelegationFactory
from ticketing.selectors.checkin import gates_for_user

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def login_password_only(client, user):
    """A session that logged in without the second step (another login path, an old session)."""
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    request.session.save()


@pytest.fixture
def organiser_world():
    athlete = AthleteFactory(given_name_zh="小明")
    delegation = athlete.delegation
    organiser = with_totp(verified(ProgrammeMembershipFactory(programme=delegation.programme).user))
    organiser.is_staff = True
    organiser.save()
    return organiser, delegation, athlete


def organiser_urls(delegation, athlete):
    programme = delegation.programme_id
    return [
        "/admin/",
        "/organiser/",
        reverse("registration:insurance-export", args=[programme]),
        reverse("registration:document-reveal", args=[athlete.pk]),
        reverse("registration:athlete-list", args=[delegation.pk]),
        reverse("registration:athlete-detail", args=[athlete.pk]),
    ]


def test_admin_login_takes_no_password_however_often_tried(client, organiser_world):
    organiser, *_ = organiser_world
    for _ in range(30):
        client.post("/admin/login/", {"username": organiser.email, "password": "wrong"})
    response = client.post("/admin/login/?next=/admin/", {"username": organiser.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert client.get("/organiser/").status_code == 302


def test_admin_sends_anonymous_visitors_to_allauths_login(client):
    response = client.get("/admin/events/event/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "next=" in response.redirect_chain[-1][0]


def test_password_only_session_reaches_no_organiser_page(client, organiser_world):
    organiser, delegation, athlete = organiser_world
    login_password_only(client, organiser)
    for url in organiser_urls(delegation, athlete):
        for response in (client.get(url), client.post(url, {"reason": "x", "purpose": "verification"})):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("mfa_reauthenticate")), url
            assert "小明" not in response.content.decode()


def test_passing_two_factor_in_the_session_opens_the_organiser_pages(client, organiser_world):
    organiser, delegation, _athlete = organiser_world
    login_password_only(client, organiser)
    response = client.post(reverse("mfa_reauthenticate"), {"code": totp_code()})
    assert response.status_code == 302
    body = client.get(reverse("registration:athlete-list", args=[delegation.pk])).content.decode()
    assert "小明" in body
    assert client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_allauth_login_with_password_only_sends_an_organiser_without_totp_to_set_it_up(client):
    delegation = DelegationFactory()
    organiser = verified(ProgrammeMembershipFactory(programme=delegation.programme).user)
    client.post(reverse("account_login"), {"login": organiser.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(organiser.pk)

    roster = client.get(reverse("registration:athlete-list", args=[delegation.pk]))
    assert roster.status_code == 302
    assert roster["Location"].startswith(reverse("mfa_activate_totp"))


def test_organiser_rules_grant_only_with_two_factor_passed():
    athlete = AthleteFactory()
    organiser = ProgrammeMembershipFactory(programme=athlete.delegation.programme).user
    superuser = UserFactory(is_superuser=True)
    for perm in (
        "registration.view_delegation",
        "registration.view_documents",
        "registration.reveal_document",
    ):
        assert not organiser.has_perm(perm, athlete)
    assert not organiser.has_perm("events.organiser_area")
    two_factor(organiser)
    assert organiser.has_perm("registration.reveal_document", athlete)
    assert organiser.has_perm("events.organiser_area")
    # The predicate itself (Django's superuser shortcut in has_perm is covered by the middleware).
    assert not is_superuser.test(superuser)
    assert is_superuser.test(two_factor(superuser))


def test_gate_scanning_across_the_programme_needs_two_factor(client):
    credential = CredentialFactory()
    event = credential.event
    north = VenueResourceFactory(venue=event.venue, code="north", name_en="North")
    organiser = with_totp(verified(ProgrammeMembershipFactory(programme=event.programme).user))

    assert gates_for_user(organiser, event) == []
    assert not organiser.has_perm("ticketing.scan_event", event)
    assert "north" in [gate.code for gate in gates_for_user(two_factor(organiser), event)]

    login_password_only(client, organiser)
    response = client.get(reverse("ticketing:gate"), {"event": event.slug})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    login_two_factor(client, organiser)
    page = client.get(reverse("ticketing:gate")).content.decode()
    assert f'value="{north.pk}"' in page  # the gate page lists the gates of the programme's venues
