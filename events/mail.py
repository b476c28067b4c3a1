"""The one way to send mail from any app: rendered in the recipient's language, sent after commit by
the `events.mail_send` task, which retries with backoff.

    mail_send_after_commit(
        to=[user.email], template="ticketing/email/order_paid", context={...}, language="en"
    )

renders `<template>_subject.txt` and `<template>_body.txt` in `language` (None: the site default),
inside the caller's transaction, and queues the message when that transaction commits. A task that
composes mail from committed rows uses `mail_send_now` (same arguments, queued at once).

Tokens never sit readable in the broker: the rendered message (recipients, subject, body) is sealed
with Fernet before it is queued, under a key derived from SECRET_KEY for this purpose only
(salted HMAC, so no other use of SECRET_KEY can produce it; SECRET_KEY_FALLBACKS still open
messages queued before a rotation). A one-time link in a body (an invitation, a guardian's consent
link) is therefore unreadable to anyone who can read the queue but not the settings. Attachments
that are expensive to build (a ticket PDF) are not queued at all: `attach` names a builder that an
app registered with `mail_attachment_builder`, and the worker builds them from an id.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import salted_hmac

from events.jobs import job_queue, job_queue_after_commit

MAIL_TASK = "events.mail_send"
Attachment = tuple[str, bytes, str]  # filename, content, MIME type
_builders: dict[str, Callable[[int], list[Attachment]]] = {}


def site_url(path: str) -> str:
    """An absolute link for an email: the configured site address (SITE_URL), never the host a
    request happened to arrive on (a proxy's internal name, or a forged Host header)."""
    return settings.SITE_URL + path


def mail_attachment_builder(name: str):
    """Register `builder(object_id) -> [(filename, bytes, mimetype)]` under `name` for `attach=`."""

    def register(builder: Callable[[int], list[Attachment]]):
        _builders[name] = builder
        return builder

    return register


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    derived = [
        base64.urlsafe_b64encode(
            salted_hmac("events.mail", "sealed-message", secret=key, algorithm="sha256").digest()
        )
        for key in keys
    ]
    return MultiFernet([Fernet(key) for key in derived])


def mail_seal(message: dict) -> str:
    """The message as an opaque token for the broker."""
    return _fernet().encrypt(json.dumps(message).encode()).decode("ascii")


def mail_unseal(sealed: str) -> dict:
    return json.loads(_fernet().decrypt(sealed.encode("ascii")))


def mail_render(*, template: str, context: dict, language: str | None) -> tuple[str, str]:
    """(subject on one line, body) of `template` in `language` (None: settings.LANGUAGE_CODE)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    return subject, body


def _sealed(*, to, template, context, language, attach) -> str | None:
    recipients = [address for address in to if address]
    if not recipients:
        return None
    if attach is not None and attach[0] not in _builders:
        raise ValueError(f"no mail attachment builder named {attach[0]!r}")
    subject, body = mail_render(template=template, context=context, language=language)
    return mail_seal(
        {"to": recipients, "subject": subject, "body": body, "attach": list(attach) if attach else None}
    )


def mail_send_after_commit(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str | None,
    attach: tuple[str, int] | None = None,
) -> None:
    """Render now, send after the caller's transaction commits, through a task that retries.

    `attach` is (builder name, object id) of attachments built in the worker. Nothing is sent when
    the transaction rolls back; a failure after commit is retried, then logged, never raised.
    """
    sealed = _sealed(to=to, template=template, context=context, language=language, attach=attach)
    if sealed:
        job_queue_after_commit(MAIL_TASK, sealed)


def mail_send_now(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str | None,
    attach: tuple[str, int] | None = None,
) -> None:
    """As mail_send_after_commit, for code that runs outside any transaction of its own (a task)."""
    sealed = _sealed(to=to, template=template, context=context, language=language, attach=attach)
    if sealed:
        job_queue(MAIL_TASK, sealed)


def mail_deliver(*, sealed: str) -> None:
    """Open a sealed message, build its attachments and send it (the task's body; errors propagate)."""
    message = mail_unseal(sealed)
    email = EmailMessage(subject=message["subject"], body=message["body"], to=message["to"])
    if message.get("attach"):
        name, object_id = message["attach"]
        for filename, content, mimetype in _builders[name](object_id):
            email.attach(filename, content, mimetype)
    email.send()
