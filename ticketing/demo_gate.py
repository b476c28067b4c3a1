"""The demo gate: a gate-staff account for the fencing hall and a scanner device for the fencing invitational.

The device token is derived from SECRET_KEY, so seeding again prints the same token; only its hash is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model

from events.demo import DEMO_PASSWORD
from events.models import Event, Venue
from ticketing.services.gate_devices import gate_device_create_with_token, gate_staff_assign

GATE_EMAIL = "gate@corridor.example"
FENCING_VENUE = "putuo-sports-centre"
FENCING_EVENT = "fencing-u12-men-foil"
DEVICE_NAME = "Demo scanner · Putuo fencing hall"


def demo_device_token() -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), b"corridor-demo-gate-device", hashlib.sha256).digest()
    return "demo-" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


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
    return f"gate staff {GATE_EMAIL} at {venue.slug}, one scanner device for {event.slug}"


def announce() -> str:
    return (
        f"\nDemo gate staff: {GATE_EMAIL} / {DEMO_PASSWORD}  (open /gate/)\n"
        f"  scanner device for {FENCING_EVENT}: Authorization: Bearer {demo_device_token()}  (API docs: /api/docs)\n"
    )
