"""Ticketing slice of the demo season: ticket types and quotas for every demo session, a sold-out
session (paid orders of the demo spectator), and the Zhenjiang league match sold by ballot.

Idempotent: types and quotas are keyed on (session, English name); demo orders are only created
while the sold-out session has no tickets.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.enums import Discipline
from events.models import Session
from ticketing.enums import TicketKind
from ticketing.models import Ballot, Order, Quota, TicketType
from ticketing.services.orders import order_mark_paid, order_reserve

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
SOLD_OUT_SESSION = ("fencing-u12-men-foil", "Finals and medals")
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


def _ballot(session: Session) -> Ballot:
    adult = session.ticket_types.get(kind=TicketKind.ADULT)
    now = timezone.now()
    opens = min(now - dt.timedelta(days=1), session.starts_at - dt.timedelta(days=30))
    closes = max(opens + dt.timedelta(days=7), session.starts_at - dt.timedelta(days=14))
    ballot, _created = Ballot.objects.get_or_create(
        ticket_type=adult,
        defaults={"applications_open_at": opens, "applications_close_at": closes, "max_per_application": 4},
    )
    return ballot


def seed() -> str:
    types = 0
    sessions = Session.objects.select_related("event", "venue").order_by("pk")
    for session in sessions:
        types += len(_types_for(session))
    spectator = _spectator()
    sold_out = sessions.filter(event__slug=SOLD_OUT_SESSION[0], name_en=SOLD_OUT_SESSION[1]).first()
    orders = _sell_out(sold_out, spectator) if sold_out else 0
    ballot_session = sessions.filter(event__slug=BALLOT_EVENT).first()
    ballot = _ballot(ballot_session) if ballot_session else None
    return (
        f"{types} ticket types, {Quota.objects.count()} quotas, {orders} new demo orders "
        f"({Order.objects.filter(user=spectator).count()} in all), ballot #{ballot.pk if ballot else '-'}; "
        f"spectator {SPECTATOR_EMAIL}"
    )


def announce() -> str:
    return f"\nDemo spectator: {SPECTATOR_EMAIL} / {SPECTATOR_PASSWORD} (pay with the demo provider)\n"
