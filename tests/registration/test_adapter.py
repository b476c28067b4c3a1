"""Account emails link to the configured site address (SITE_URL), whatever host the request came in
on; an organiser lands on the organiser home after two-factor; the two-factor page's cancel is not
styled as the main action."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import (
    ProgrammeMembershipFactory,
    UserFactory,
    login_two_factor,
    totp_code,
    verified,
    with_totp,
)
from tests.factories.registration import AthleteFactory, DelegationFactory, GuardianFactory, MembershipFactory

pytestmark = pytest.mark.django_db

SITE = "https://corridor.example.org"


@pytest.fixture(autouse=True)
def site_address(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["*"]


def links(message) -> list[str]:
    return re.findall(r"https?://[^\s]+", message.body)


def test_signup_confirmation_links_to_the_site_address_not_the_requests_host(client):
    client.post(
        "/accounts/signup/",
        {
            "email": "parent@example.com",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
        HTTP_HOST="internal-proxy:8000",
    )
    [message] = mail.outbox
    assert next(link for link in links(message) if "/accounts/confirm-email/" in link).startswith(SITE + "/")
    assert "internal-proxy" not in message.body
    assert "corridor.example.org" in message.body  # the signature names the site too


def test_password_reset_links_to_the_site_address(client):
    verified(UserFactory(email="parent@example.com"))
    client.post("/accounts/password/reset/", {"email": "parent@example.com"}, HTTP_HOST="internal-proxy")
    [message] = mail.outbox
    assert any(link.startswith(SITE + "/accounts/password/reset/key/") for link in links(message))
    assert "internal-proxy" not in message.body


def test_reset_for_an_unknown_address_offers_sign_up_on_the_site_address(client):
    client.post("/accounts/password/reset/", {"email": "nobody@example.com"}, HTTP_HOST="internal-proxy")
    [message] = mail.outbox
    assert f"{SITE}/accounts/signup/" in message.body
    assert "internal-proxy" not in message.body


def test_invitation_and_consent_link_emails_link_to_the_site_address(
    client, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory()
    manager = MembershipFactory(delegation=delegation, role="manager").user
    athlete = AthleteFactory(delegation=delegation)
    guardian = GuardianFactory(athlete=athlete, email="mum@example.com")
    login_two_factor(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("registration:membership-invite", args=[delegation.pk]),
            {"email": "coach@example.com", "role": "coach", "language": "en"},
            HTTP_HOST="internal-proxy",
        )
        client.post(
            reverse("registration:consent-link-send", args=[athlete.pk, guardian.pk]),
            HTTP_HOST="internal-proxy",
        )
    invitation, consent = mail.outbox
    assert any(link.startswith(f"{SITE}/delegations/invitations/") for link in links(invitation))
    assert any(link.startswith(f"{SITE}/delegations/consent/") for link in links(consent))
    assert "internal-proxy" not in invitation.body + consent.body


def test_organiser_lands_on_the_organiser_home_after_two_factor(client):
    organiser = with_totp(verified(ProgrammeMembershipFactory().user))
    client.post("/accounts/login/", {"login": organiser.email, "password": "correct horse battery staple"})
    page = client.get("/accounts/2fa/authenticate/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Cancel (log out of the half-finished login) is secondary; verifying the code is the main action.
    cancel = re.search(r'<button[^>]*form="logout-from-stage"[^>]*>', page).group(0)
    assert 'class="button button-secondary"' in cancel
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response["Location"] == "/organiser/"


def test_spectator_still_lands_on_the_home_page(client):
    verified(UserFactory(email="fan@example.com"))
    response = client.post(
        "/accounts/login/", {"login": "fan@example.com", "password": "correct horse battery staple"}
    )
    assert response["Location"] == "/"


def test_entry_status_email_links_to_the_team_on_the_site_address(django_capture_on_commit_callbacks):
    from registration.services import workflow
    from tests.factories.registration import EntryFactory, TeamFactory, complete_paperwork

    team = TeamFactory()
    MembershipFactory(delegation=team.delegation, role="manager")
    entry = EntryFactory(team=team, status="draft")
    complete_paperwork(entry.athlete)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.entry_submit(entry=entry, user=None)
    assert mail.outbox
    assert f"{SITE}/teams/{team.pk}/" in mail.outbox[-1].body
