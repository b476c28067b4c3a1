"""The one mail path: rendered in the recipient's language, sealed for the broker, retried on failure."""

from __future__ import annotations

import smtplib
from types import SimpleNamespace

import pytest
from celery import current_app
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from events.mail import MAIL_TASK, mail_send_after_commit, mail_unseal

pytestmark = pytest.mark.django_db
TOKEN = "consent-token-5f1c9a7e2b"  # what a one-time link carries
CONTEXT = {
    "session": SimpleNamespace(name="Final", event=SimpleNamespace(name="Corridor Cup")),
    "order": SimpleNamespace(code="T7K2"),
    "url": f"https://corridor.example/consent/{TOKEN}/",
}


class FlakyBackend(BaseEmailBackend):
    """A mail server that fails `failures` times, then delivers into django.core.mail.outbox."""

    failures = 0
    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.attempts <= FlakyBackend.failures:
            raise smtplib.SMTPServerDisconnected("mail server went away")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(settings, monkeypatch):
    """A flaky mail server, and tasks that retry as a worker does (eagerly here, without the waits)."""
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)
    settings.EMAIL_BACKEND = "tests.events.test_mail.FlakyBackend"
    FlakyBackend.attempts = 0
    mail.outbox = []
    return FlakyBackend


def test_mail_leaves_after_commit_in_the_given_language_and_the_broker_never_sees_the_token(
    django_capture_on_commit_callbacks, queued
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        mail_send_after_commit(
            to=["parent@example.com"],
            template="ticketing/email/session_cancelled",
            context=CONTEXT,
            language="en",
        )
        assert mail.outbox == []  # nothing before the commit

    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["parent@example.com"]
    assert message.subject == "Cancelled: Final"
    assert TOKEN in message.body
    [(sealed,)] = queued
    assert TOKEN not in sealed and "parent@example.com" not in sealed and "Final" not in sealed
    assert mail_unseal(sealed)["subject"] == "Cancelled: Final"


def test_mail_is_rendered_in_the_site_language_when_none_is_given(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail_send_after_commit(
            to=["parent@example.com"],
            template="ticketing/email/session_cancelled",
            context=CONTEXT,
            language=None,
        )

    assert mail.outbox[0].subject == "已取消：Final"


def test_a_failing_mail_server_is_retried_until_the_mail_leaves(flaky, django_capture_on_commit_callbacks):
    flaky.failures = 2

    with django_capture_on_commit_callbacks(execute=True):
        mail_send_after_commit(
            to=["parent@example.com"],
            template="ticketing/email/session_cancelled",
            context=CONTEXT,
            language="en",
        )

    assert flaky.attempts == 3
    assert [message.subject for message in mail.outbox] == ["Cancelled: Final"]


def test_a_mail_server_that_stays_down_gives_up_after_the_retries_without_raising(
    flaky, django_capture_on_commit_callbacks
):
    flaky.failures = 100

    with django_capture_on_commit_callbacks(execute=True):
        mail_send_after_commit(
            to=["parent@example.com"],
            template="ticketing/email/session_cancelled",
            context=CONTEXT,
            language="en",
        )

    assert flaky.attempts == 9  # the first try and eight retries
    assert mail.outbox == []


def test_a_task_that_cannot_be_queued_or_run_is_logged_never_raised_after_commit(
    settings, django_capture_on_commit_callbacks, caplog
):
    # The test settings propagate eager task errors: this is what a caller sees when the broker is down.
    settings.EMAIL_BACKEND = "tests.events.test_mail.FlakyBackend"
    FlakyBackend.attempts, FlakyBackend.failures = 0, 100

    with django_capture_on_commit_callbacks(execute=True):
        mail_send_after_commit(
            to=["parent@example.com"],
            template="ticketing/email/session_cancelled",
            context=CONTEXT,
            language="en",
        )

    assert f"could not run or queue task {MAIL_TASK}" in caplog.text
    assert TOKEN not in caplog.text and "parent@example.com" not in caplog.text
