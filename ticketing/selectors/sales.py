"""Read paths of sales pages: ticket types with places left, carts, orders, organiser reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.enums import EventStatus
from events.models import Event, Programme, Session
from ticketing.enums import OrderState, TicketState
from ticketing.models import Ballot, BallotApplication, CartLine, Order, Ticket, TicketType
from ticketing.selectors.availability import remaining_for_types


@dataclass(frozen=True)
class TypeOffer:
    ticket_type: TicketType
    remaining: int
    on_sale: bool
    ballot: Ballot | None

    @property
    def max_quantity(self) -> int:
        """The most one order may take now: the type's per-order limit, or what is left if fewer."""
        return min(self.ticket_type.max_per_order, self.remaining)

    @property
    def choices(self) -> range:
        return range(self.ticket_type.min_per_order, self.max_quantity + 1)

    @property
    def buyable(self) -> bool:
        return self.on_sale and self.ballot is None and self.max_quantity >= self.ticket_type.min_per_order


def event_get_for_tickets(*, slug: str) -> Event:
    types = TicketType.objects.select_related("ballot").order_by("position", "pk")
    sessions = (
        Session.objects.select_related("venue")
        .prefetch_related(Prefetch("ticket_types", queryset=types))
        .order_by("starts_at", "pk")
    )
    return (
        Event.objects.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
        .select_related("host_city")
        .prefetch_related(Prefetch("sessions", queryset=sessions))
        .get(slug=slug)
    )


def offers_for_event(event: Event) -> list[tuple[Session, list[TypeOffer]]]:
    """Sessions of the event with their ticket types and places left (one count for all types)."""
    sessions = list(event.sessions.all())
    all_types = [t for s in sessions for t in s.ticket_types.all()]
    remaining = remaining_for_types(all_types)
    now = timezone.now()
    result = []
    for session in sessions:
        offers = [
            TypeOffer(
                ticket_type=t,
                remaining=remaining.get(t.pk, 0),
                on_sale=t.is_on_sale(now) and not session.is_cancelled and session.ends_at > now,
                ballot=getattr(t, "ballot", None),
            )
            for t in session.ticket_types.all()
        ]
        if offers:
            result.append((session, offers))
    return result


def ticket_type_event_slug(ticket_type_id: int) -> str:
    """The slug of the event a ticket type sells for (where a refused add goes back to)."""
    return TicketType.objects.values_list("session__event__slug", flat=True).get(pk=ticket_type_id)


def cart_lines_for_user(user) -> list[CartLine]:
    """Live holds only: a lapsed hold is gone for the buyer even before the periodic job deletes it."""
    return list(
        CartLine.objects.filter(cart__user=user, hold_expires_at__gt=timezone.now())
        .select_related("ticket_type__session__event", "ticket_type__session__venue")
        .order_by("hold_expires_at", "pk")
    )


def orders_for_user(user) -> QuerySet[Order]:
    return (
        Order.objects.filter(user=user)
        .annotate(ticket_count=Count("tickets", filter=Q(tickets__state=TicketState.VALID)))
        .order_by("-created_at", "-pk")
    )


def order_get_for_user(*, user, code: str) -> Order:
    """The buyer's own order, or DoesNotExist (never another person's)."""
    return _order_detail_qs().get(user=user, code=code)


def _order_detail_qs() -> QuerySet[Order]:
    tickets = Ticket.objects.select_related(
        "ticket_type", "session__event", "session__venue", "credential"
    ).order_by("session__starts_at", "session_id", "pk")
    return Order.objects.select_related("user", "programme").prefetch_related(
        "lines", Prefetch("tickets", queryset=tickets), "payments"
    )


def order_get_for_organiser(*, code: str) -> QuerySet[Order]:
    return _order_detail_qs().filter(code=code)


def sales_by_session_and_type(event: Event) -> QuerySet[TicketType]:
    """One row per ticket type: sold (valid), awaiting payment, refunded, revenue of valid tickets."""
    zero = Value(0, output_field=IntegerField())
    return (
        TicketType.objects.filter(session__event=event)
        .select_related("session")
        .annotate(
            sold=Count("tickets", filter=Q(tickets__state=TicketState.VALID)),
            awaiting=Count("tickets", filter=Q(tickets__state=TicketState.RESERVED)),
            refunded=Count("tickets", filter=Q(tickets__state=TicketState.REFUNDED)),
            revenue_fen=Coalesce(Sum("tickets__price_fen", filter=Q(tickets__state=TicketState.VALID)), zero),
        )
        .order_by("session__starts_at", "session_id", "position", "pk")
    )


def orders_for_programme(programme: Programme, *, query: str = "", state: str = "") -> QuerySet[Order]:
    orders = Order.objects.filter(programme=programme).select_related("user")
    if state:
        orders = orders.filter(state=state)
    if query:
        orders = orders.filter(
            Q(code__iexact=query.strip().upper())
            | Q(user__email__icontains=query)
            | Q(user__display_name__icontains=query)
            | Q(tickets__holder_name__icontains=query)
        ).distinct()
    return orders.annotate(ticket_count=Count("tickets", distinct=True)).order_by("-created_at", "-pk")


def ballot_get_public(*, pk: int) -> Ballot:
    """A ballot anyone may read: its event is published (or cancelled, to say so), as on every other
    public page; a draft event's ballot does not exist yet."""
    return Ballot.objects.select_related("ticket_type__session__event", "ticket_type__session__venue").get(
        pk=pk, ticket_type__session__event__status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED]
    )


def ballot_results(ballot: Ballot) -> QuerySet[BallotApplication]:
    """The published draw: application numbers and ranks, no personal data."""
    return (
        ballot.applications.filter(rank__isnull=False)
        .only("pk", "rank", "quantity", "state")
        .order_by("rank")
    )


ORDER_STATES_LIVE = [OrderState.PENDING, OrderState.PAID, OrderState.PARTIALLY_REFUNDED]
