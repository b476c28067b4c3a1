"""Ticketing slice of the demo season: ticket types and quotas for every demo session, a sold-out
session tomorrow (paid orders of the demo spectator), stubs of sessions already over in the
spectator's wallet, and the Zhenjiang league match sold by ballot.

Idempotent: types and quotas are keyed on (session, English name); demo orders are only created
while their session has no tickets of the spectator. When the catalogue slice moved the season to a
new today, the tickets of every demo session move with it: their validity windows are set again
from their session, as a rescheduled session's tickets would be.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.demo import DEMO_PROGRAMME
from events.enums import Discipline
from events.models import Session
from ticketing.enums import TicketKind
from ticketing.models import Ballot, Credential, Order, Quota, TicketType

# The window rule lives with ticket issuing; the demo reuses it rather than restating it.
from ticketing.services.orders import _credential_window, order_mark_paid, order_reserve

SPECTATOR_EMAIL = "spectator@corridor.example"
SPECTATOR_PASSWORD = "corridor-demo-2027"  # noqa: S105 - printed for the local demo only

# discipline -> [(kind, zh, en, price_fen)]
PRICES = {
    Discipline.FOOTBALL: [
        (TicketKind.ADULT, "成人票", "Adult", 8000),
        (TicketKind.STUDENT, "学生票", "Student", 5000),
        (TicketKind.CHILD, "儿童票", "Child", 4000),
    ],
    Discipline.FENCING: [
        (TicketKind.ADULT, "成人票", "Adult", 3000),
        (TicketKind.CHILD, "儿童票", "Child", 1500),
    ],
    Discipline.DRAGON_BOAT: [
        (TicketKind.FREE, "河岸免费观赛区", "Free riverside stands", 0),
        (TicketKind.ADULT, "主看台", "Grandstand", 5000),
    ],
    Discipline.TABLE_TENNIS: [
        (TicketKind.ADULT, "成人票", "Adult", 2000),
        (TicketKind.STUDENT, "学生票", "Student", 1000),
    ],
    Discipline.CAMP: [(TicketKind.FREE, "家长开放日", "Parents' open day", 0)],
}
SOLD_OUT_SESSION = ("fencing-u12-men-sabre", "Finals and medals")  # tomorrow
# Sessions already over where the spectator was: (event slug, session English name, places).
STUB_SESSIONS = [
    ("fencing-u12-women-foil", "Finals and medals", 2),  # yesterday
    ("table-tennis-carnival", "Finals and exhibition", 2),  # the Sunday of the weekend before Nantong
]
SOLD_OUT_CAPACITY = 10
BALLOT_EVENT = "jiangsu-league-zhenjiang"


def _quota_capacity(session: Session) -> int:
    if (session.event.slug, session.name_en) == SOLD_OUT_SESSION:
        return SOLD_OUT_CAPACITY
    return max(20, min(session.venue.capacity // 2, 20000))


def _types_for(session: Session) -> list[TicketType]:
    quota, _created = Quota.objects.update_or_create(
        session=session,
        name_en="All seats",
        defaults={"name_zh": "全部座位", "capacity": _quota_capacity(session)},
    )
    created = []
    for position, (kind, zh, en, price) in enumerate(PRICES.get(session.event.discipline, [])):
        ticket_type, _new = TicketType.objects.update_or_create(
            session=session,
            name_en=en,
            defaults={
                "name_zh": zh,
                "kind": kind,
                "price_fen": price,
                "position": position,
                "max_per_order": 6,
                "allows_reentry": session.event.discipline == Discipline.DRAGON_BOAT,
                "real_name": session.event.discipline == Discipline.FOOTBALL,
                "max_named_per_account": 5,
            },
        )
        ticket_type.quotas.add(quota)
        created.append(ticket_type)
    return created


def _spectator():
    user_model = get_user_model()
    user = user_model.objects.filter(email=SPECTATOR_EMAIL).first()
    if user is None:
        user = user_model.objects.create_user(
            email=SPECTATOR_EMAIL, password=SPECTATOR_PASSWORD, display_name="观众 Demo"
        )
    EmailAddress.objects.update_or_create(
        user=user, email=SPECTATOR_EMAIL, defaults={"verified": True, "primary": True}
    )
    return user


def _sell_out(session: Session, user) -> int:
    if session.tickets.exists():
        return 0
    adult = session.ticket_types.get(kind=TicketKind.ADULT)
    orders = 0
    for _ in range(SOLD_OUT_CAPACITY // 5):
        # Checkout refuses bank transfer for adult tickets; the seed reserves and marks paid directly.
        order = order_reserve(
            user=user, ticket_type=adult, quantity=5, expires_at=timezone.now() + dt.timedelta(hours=1)
        )
        order_mark_paid(order=order, provider="manual")
        orders += 1
    return orders


def _stubs(user) -> int:
    """Paid tickets of sessions already over: what the stub economy lets the spectator spend."""
    orders = 0
    for slug, name_en, places in STUB_SESSIONS:
        session = Session.objects.filter(event__slug=slug, name_en=name_en).first()
        if session is None or session.tickets.filter(order__user=user).exists():
            continue
        adult = session.ticket_types.get(kind=TicketKind.ADULT)
        order = order_reserve(
            user=user, ticket_type=adult, quantity=places, expires_at=timezone.now() + dt.timedelta(hours=1)
        )
        order_mark_paid(order=order, provider="manual")
        orders += 1
    return orders


def _follow_sessions(sessions) -> int:
    """Tickets of demo sessions the catalogue slice moved get their session's validity window again."""
    stale = []
    for session in sessions:
        valid_from, valid_until = _credential_window(session)
        credentials = Credential.objects.filter(ticket__session=session).exclude(
            valid_from=valid_from, valid_until=valid_until
        )
        for credential in credentials:
            credential.valid_from, credential.valid_until = valid_from, valid_until
            stale.append(credential)
    Credential.objects.bulk_update(stale, ["valid_from", "valid_until"], batch_size=500)
    return len(stale)


def _ballot(session: Session) -> Ballot:
    adult = session.ticket_types.get(kind=TicketKind.ADULT)
    now = timezone.now()
    opens = min(now - dt.timedelta(days=1), session.starts_at - dt.timedelta(days=30))
    closes = max(opens + dt.timedelta(days=7), session.starts_at - dt.timedelta(days=14))
    window = {"applications_open_at": opens, "applications_close_at": closes}
    ballot, created = Ballot.objects.get_or_create(
        ticket_type=adult, defaults={**window, "max_per_application": 4}
    )
    moved = ballot.drawn_at is None and ballot.applications_close_at != closes
    if not created and moved:
        # The season moved to another today: an undrawn ballot opens again around it.
        Ballot.objects.filter(pk=ballot.pk).update(**window)
        ballot.refresh_from_db()
    return ballot


def seed() -> str:
    types = 0
    sessions = Session.objects.select_related("event", "venue").order_by("pk")
    for session in sessions:
        types += len(_types_for(session))
    moved = _follow_sessions(sessions.filter(event__programme__slug=DEMO_PROGRAMME))
    spectator = _spectator()
    sold_out = sessions.filter(event__slug=SOLD_OUT_SESSION[0], name_en=SOLD_OUT_SESSION[1]).first()
    orders = _sell_out(sold_out, spectator) if sold_out else 0
    orders += _stubs(spectator)
    ballot_session = sessions.filter(event__slug=BALLOT_EVENT).first()
    ballot = _ballot(ballot_session) if ballot_session else None
    return (
        f"{types} ticket types, {Quota.objects.count()} quotas, {orders} new demo orders, "
        f"{moved} tickets moved with their session "
        f"({Order.objects.filter(user=spectator).count()} in all), ballot #{ballot.pk if ballot else '-'}; "
        f"spectator {SPECTATOR_EMAIL}"
    )


def announce() -> str:
    return f"\nDemo spectator: {SPECTATOR_EMAIL} / {SPECTATOR_PASSWORD} (pay with the demo provider)\n"
