"""The catalogue slice of the demo season: corridor cities, venues, events, sessions. The data is in
`events/demodata/` (`places.py`: cities and venues; `season.py`: each programme's events and sessions);
this slice writes it, with the demo programme and its organiser.

The demo season is placed relative to the day it is loaded (today in Asia/Shanghai), so the gate, the
stub wallet and "now on" work whenever someone runs `make run`: the fencing invitational's foil day was
yesterday (results, stubs), its épée day is today with a session on now, its sabre day is tomorrow, and
most of the season lies ahead. Real programmes keep absolute dates; only this demo moves.

Re-running the seed on the same day (and in the same part of the day) changes nothing: every row is
keyed on a slug or (event, English name). Re-running it on a later day places the season again around
the new today, as a demo user expects: events and sessions move (an event is first widened to cover
both its old and new dates, then its sessions move, then it narrows, so the session-within-event
trigger holds throughout), and the tickets of moved sessions follow them (ticketing's demo slice).
Today's fencing timetable slides with the time of day so that a session is on now at any hour (see
`today_shift` in `events/demodata/season.py`): no session crosses midnight, which the trigger would refuse.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError

from events.demodata.places import CITIES, RETIRED_CITIES, VENUES
from events.demodata.season import EventPlan, demo_today, season_plan
from events.enums import EventStatus, VenueResourceKind
from events.models import City, Event, Programme, ProgrammeMembership, Session, Venue, VenueResource

DEMO_PROGRAMME = "corridor-2027"  # the slug the other slices look the demo up by; kept when the dates move
DEMO_PASSWORD = "corridor-demo-2027"  # noqa: S105 - printed for the local demo, never used in production
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPCORRIDOR"  # noqa: S105 - demo only  # base32; shown by `manage.py demo_totp`


def _place_event(programme: Programme, plan: EventPlan, cities: dict, venues: dict) -> Event:
    """Create or move one event and its sessions without ever breaking the session-within-event trigger.

    An existing event first widens to cover its old and new dates, its sessions move inside that, then
    it narrows to the new dates (each step is a valid state for the trigger).
    """
    extra = dict(plan.extra)
    defaults = {
        "programme": programme,
        "name_zh": plan.zh,
        "name_en": plan.en,
        "discipline": plan.discipline,
        "host_city": cities[plan.city],
        "venue": venues[plan.venue] if plan.venue else None,
        "status": extra.pop("status", EventStatus.PUBLISHED),
        **extra,
    }
    event = Event.objects.filter(slug=plan.slug).first()
    if event is None:
        event = Event.objects.create(slug=plan.slug, start_date=plan.start, end_date=plan.end, **defaults)
    elif (event.start_date, event.end_date) != (plan.start, plan.end):
        Event.objects.filter(pk=event.pk).update(
            start_date=min(event.start_date, plan.start), end_date=max(event.end_date, plan.end)
        )
    existing = {session.name_en: session for session in event.sessions.all()}
    for session in plan.sessions:
        fields = {
            "venue": venues[session.venue],
            "kind": session.kind,
            "name_zh": session.zh,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
        }
        row = existing.get(session.en)
        if row is None:
            Session.objects.create(event=event, name_en=session.en, **fields)
        else:
            Session.objects.filter(pk=row.pk).update(**fields)
    Event.objects.filter(pk=event.pk).update(start_date=plan.start, end_date=plan.end, **defaults)
    return event


def seed(now: dt.datetime | None = None) -> str:
    cities = {}
    for position, (slug, zh, en, pzh, pen, network) in enumerate(CITIES):
        cities[slug], _ = City.objects.update_or_create(
            slug=slug,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "province_zh": pzh,
                "province_en": pen,
                "network": network,
                "ordering": position,
            },
        )
    for retired in City.objects.filter(slug__in=RETIRED_CITIES):
        try:
            with transaction.atomic():
                retired.delete()
        except ProtectedError:
            pass  # someone gave it a venue, event, delegation or merchant: it is theirs now
    venues = {}
    for slug, city, zh, en, azh, aen, kind, capacity, lat, lng, resources in VENUES:
        venues[slug], _ = Venue.objects.update_or_create(
            slug=slug,
            defaults={
                "city": cities[city],
                "name_zh": zh,
                "name_en": en,
                "address_zh": azh,
                "address_en": aen,
                "kind": kind,
                "capacity": capacity,
                "latitude": Decimal(lat),
                "longitude": Decimal(lng),
            },
        )
        for resource_kind, count, rzh, ren in resources:
            for number in range(1, count + 1):
                letter = (
                    chr(ord("A") + number - 1) if resource_kind == VenueResourceKind.GATE else str(number)
                )
                VenueResource.objects.update_or_create(
                    venue=venues[slug],
                    code=f"{resource_kind}-{letter.lower()}",
                    defaults={
                        "kind": resource_kind,
                        "name_zh": f"{rzh}{letter}",
                        "name_en": f"{ren} {letter}",
                    },
                )

    plans = season_plan(now)
    today = demo_today(now)
    programme, _ = Programme.objects.update_or_create(
        slug=DEMO_PROGRAMME,
        defaults={
            "name_zh": f"{today.year}沪宁沿线青少年体育文化交流季",
            "name_en": f"{today.year} Shanghai–Nanjing Corridor Youth Sport and Culture Season",
            "description_zh": "击剑邀请赛、苏州河龙舟赛、沪昆青少年篮球营、苏超观赛之旅和乒乓球嘉年华，赛后凭票根畅游主办城市。",
            "description_en": "A fencing invitational, the Suzhou Creek dragon-boat race, the Shanghai–Kunming youth "
            "basketball camp, Jiangsu league match trips and a table-tennis carnival; after the match, "
            "the ticket stub opens the host city.",
            "start_date": min(plan.start for plan in plans),
            "end_date": max(plan.end for plan in plans),
        },
    )
    programme.cities.set(cities.values())
    for plan in plans:
        _place_event(programme, plan, cities, venues)

    organiser = _demo_organiser(programme)
    return (
        f"{City.objects.count()} cities, {Venue.objects.count()} venues, {Event.objects.count()} events, "
        f"{Session.objects.count()} sessions around {today.isoformat()}; organiser {organiser.email}"
    )


def _demo_organiser(programme: Programme):
    user_model = get_user_model()
    email = settings.CORRIDOR_DEMO_ORGANISER_EMAIL
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model.objects.create_user(
            email=email, password=DEMO_PASSWORD, display_name="赛事组委会 Demo"
        )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    ProgrammeMembership.objects.get_or_create(user=user, programme=programme)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def current_totp_code(email: str) -> str | None:
    authenticator = Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]), counters[len(counters) // 2]))


def announce() -> str:
    return (
        "\nDemo organiser: "
        f"{settings.CORRIDOR_DEMO_ORGANISER_EMAIL} / {DEMO_PASSWORD}\n"
        f"  two-factor code: run `.venv/bin/python manage.py demo_totp` (authenticator secret {DEMO_TOTP_SECRET})\n"
    )
