"""The README's gate journey on the demo: gate staff open /gate/, choose the event and gate the seed
names, type the code it prints; the first scan admits, the second is refused."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from events import demo as events_demo
from events.models import Event, VenueResource
from ticketing import demo as ticketing_demo
from ticketing import demo_gate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("hour", [10, 23])
def test_readme_gate_journey_admits_the_printed_code_once(client, hour):
    now = dt.datetime(2026, 11, 30, hour, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(now, tick=False):
        events_demo.seed()
        ticketing_demo.seed()
        demo_gate.seed()
        printed = demo_gate.announce()
        code = printed.split("then type\n")[1].split()[0]
        event = Event.objects.get(slug=demo_gate.FENCING_EVENT)
        assert event.name_en in printed
        client.force_login(get_user_model().objects.get(email=demo_gate.GATE_EMAIL))

        ticket_venue = demo_gate.gate_ticket().session.venue
        assert f"{ticket_venue.name_en} · Gate A" in printed
        gate = VenueResource.objects.get(venue=ticket_venue, code="gate-a")

        choose = client.get(reverse("ticketing:gate"))
        assert f"{ticket_venue.name_zh} · 入口A" in choose.content.decode()
        screen = client.get(reverse("ticketing:gate"), {"gate": gate.pk, "direction": "entry"})
        assert "入口A" in screen.content.decode()

        answers = [
            client.post(
                reverse("ticketing:gate-scan"),
                json.dumps(
                    {
                        "gate": gate.pk,
                        "direction": "entry",
                        "code": code,
                        "nonce": f"readme-{n}",
                    }
                ),
                content_type="application/json",
            ).json()
            for n in (1, 2)
        ]
    assert (answers[0]["result"], answers[0]["reason"]) == ("admitted", "")
    assert (answers[1]["result"], answers[1]["reason"]) == ("refused", "already_used")
