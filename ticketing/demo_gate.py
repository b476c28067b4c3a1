"""The demo gate: a gate-staff account for the fencing hall, a scanner device for today's fencing, and
a spectator's ticket valid now at the hall's gates, printed so the gate can be tried at once.

The device token is derived from SECRET_KEY, so seeding again prints the same token; only its hash is
stored. The gate ticket is for the session of `FENCING_EVENT` on now (the catalogue slice keeps one on at
any hour of today); seeding again keeps it until it has been admitted, then issues a fresh one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.demo import DEMO_PASSWORD
from events.models import Event, Session, Venue
from ticketing.demo import SPECTATOR_EMAIL
from ticketing.enums import CredentialState, TicketKind, TicketState
from ticketing.models import Ticket
from ticketing.services.gate_devices import gate_device_create_with_token, gate_staff_assign
from ticketing.services.orders import order_mark_paid, order_reserve
from ticketing.signing import credential_code

GATE_EMAIL = "gate@corridor.example"
FENCING_VENUE = "putuo-sports-centre"
FENCING_EVENT = "fencing-u12-men-epee"  # on today (events/demodata/season.py)
GATE_CODE = "gate-a"
DEVICE_NAME = "Demo scanner · Putuo fencing hall"


def demo_device_token() -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), b"corridor-demo-gate-device", hashlib.sha256).digest()
    return "demo-" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def session_on_now(now: dt.datetime | None = None) -> Session | None:
    """The session of the demo gate's event on now, else its next one today, else None."""
    now = now or timezone.now()
    sessions = Session.objects.filter(event__slug=FENCING_EVENT, ends_at__gt=now).select_related("event")
    session = sessions.filter(starts_at__lte=now).order_by("starts_at").first()
    if session is None:
        session = sessions.filter(starts_at__date=timezone.localdate(now)).order_by("starts_at").first()
    return session


def gate_ticket(now: dt.datetime | None = None) -> Ticket | None:
    """The spectator's ticket the gate admits now and has not admitted yet, if there is one."""
    now = now or timezone.now()
    session = session_on_now(now)
    if session is None:
        return None
    return (
        Ticket.objects.filter(
            order__user__email=SPECTATOR_EMAIL,
            session=session,
            state=TicketState.VALID,
            credential__state=CredentialState.ACTIVE,
            credential__valid_from__lte=now,
            credential__valid_until__gt=now,
        )
        .exclude(credential__presence__entries__gt=0)
        .select_related("credential", "session__event")
        .order_by("pk")
        .first()
    )


def _issue_gate_ticket(user) -> Ticket | None:
    if gate_ticket() is not None:
        return None
    session = session_on_now()
    if session is None:
        return None
    adult = session.ticket_types.filter(kind=TicketKind.ADULT).first()
    if adult is None:
        return None
    order = order_reserve(
        user=user, ticket_type=adult, quantity=1, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    order_mark_paid(order=order, provider="manual")
    return gate_ticket()


def seed() -> str:
    venue = Venue.objects.filter(slug=FENCING_VENUE).first()
    event = Event.objects.filter(slug=FENCING_EVENT).first()
    if venue is None or event is None:
        return "skipped (the fencing demo catalogue is missing)"
    user_model = get_user_model()
    user = user_model.objects.filter(email=GATE_EMAIL).first()
    if user is None:
        user = user_model.objects.create_user(
            email=GATE_EMAIL, password=DEMO_PASSWORD, display_name="检票员 Gate staff"
        )
    EmailAddress.objects.update_or_create(
        user=user, email=GATE_EMAIL, defaults={"verified": True, "primary": True}
    )
    gate_staff_assign(user=user, venue=venue)
    gate_device_create_with_token(
        name=DEVICE_NAME, event=event, gates=["gate-a", "gate-b"], token=demo_device_token()
    )
    spectator = user_model.objects.filter(email=SPECTATOR_EMAIL).first()
    issued = _issue_gate_ticket(spectator) if spectator else None
    return (
        f"gate staff {GATE_EMAIL} at {venue.slug}, one scanner device for {event.slug}, "
        f"{'a new' if issued else 'the same'} gate ticket for the session on now"
    )


def announce() -> str:
    lines = [
        f"\nDemo gate staff: {GATE_EMAIL} / {DEMO_PASSWORD}  (open /gate/)",
        f"  scanner device for {FENCING_EVENT}: Authorization: Bearer {demo_device_token()}  (API docs: /api/docs)",
    ]
    ticket = gate_ticket()
    if ticket is not None:
        session = ticket.session
        local = timezone.localtime(session.starts_at).strftime("%H:%M")
        lines += [
            f"  a ticket valid now ({session.event.name_en} · {session.name_en}, from {local}, "
            f"in {SPECTATOR_EMAIL}'s wallet): at /gate/ choose {session.venue.name_en} · Gate A, then type",
            f"  {credential_code(ticket.credential)}",
            "  (the first scan admits, the second is refused; `make seed` issues a fresh one)",
        ]
    return "\n".join(lines) + "\n"
