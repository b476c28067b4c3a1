"""Ticket types, quotas, carts (holds), orders and tickets. Payments and ballots: payments.py, ballots.py.

Invariants the database can hold are constraints here; the rules that need more than one row
(availability, limits, transitions) live in ticketing/selectors/availability.py and ticketing/services/.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.i18n import BilingualMixin, pick
from ticketing.enums import (
    OrderLineKind,
    OrderState,
    TicketKind,
    TicketState,
)
from ticketing.models.credentials import random_code

__all__ = [
    "Cart",
    "CartLine",
    "Order",
    "OrderLine",
    "Quota",
    "Section",
    "Ticket",
    "TicketType",
]

# States in which an order's tickets hold places; the paid-like states have a paid_at.
ORDER_PAID_STATES = (OrderState.PAID, OrderState.REFUNDED, OrderState.PARTIALLY_REFUNDED)
TICKET_HOLDING_STATES = (TicketState.RESERVED, TicketState.VALID)


class Section(BilingualMixin, models.Model):
    """A part of the venue for one session (a stand, a block) with its own capacity."""

    session = models.ForeignKey(
        "events.Session", on_delete=models.CASCADE, related_name="sections", verbose_name=_("session")
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    capacity = models.IntegerField(_("capacity"))
    # Places sold or held: tickets that hold one plus every cart line (a lapsed hold until it is
    # released). Moved only by ticketing/services/places.py, within capacity by the constraint.
    taken = models.IntegerField(_("places taken"), default=0, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=0),
                name="section_capacity_not_negative",
                violation_error_message=_("A capacity cannot be below zero."),
            ),
            models.CheckConstraint(
                condition=Q(taken__gte=0) & Q(taken__lte=F("capacity")),
                name="section_taken_within_capacity",
                violation_error_message=_("A capacity cannot be below the places sold or held."),
            ),
            models.UniqueConstraint(fields=["session", "name_en"], name="section_name_unique"),
        ]
        ordering = ["session", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.name


class Quota(BilingualMixin, models.Model):
    """Places of one session shared by the ticket types attached to it. A type may be in several quotas."""

    session = models.ForeignKey(
        "events.Session", on_delete=models.CASCADE, related_name="quotas", verbose_name=_("session")
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    capacity = models.IntegerField(_("capacity"))
    # Places sold or held: tickets that hold one plus every cart line (a lapsed hold until it is
    # released). Moved only by ticketing/services/places.py, within capacity by the constraint.
    taken = models.IntegerField(_("places taken"), default=0, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=0),
                name="quota_capacity_not_negative",
                violation_error_message=_("A capacity cannot be below zero."),
            ),
            models.CheckConstraint(
                condition=Q(taken__gte=0) & Q(taken__lte=F("capacity")),
                name="quota_taken_within_capacity",
                violation_error_message=_("A capacity cannot be below the places sold or held."),
            ),
            models.UniqueConstraint(fields=["session", "name_en"], name="quota_name_unique"),
        ]
        ordering = ["session", "pk"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")

    def __str__(self) -> str:
        return f"{self.name} ({self.capacity})"


class TicketType(BilingualMixin, models.Model):
    session = models.ForeignKey(
        "events.Session", on_delete=models.CASCADE, related_name="ticket_types", verbose_name=_("session")
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=TicketKind, default=TicketKind.ADULT)
    price_fen = models.IntegerField(_("price (fen)"))
    sale_starts_at = models.DateTimeField(_("sale starts"), null=True, blank=True)
    sale_ends_at = models.DateTimeField(_("sale ends"), null=True, blank=True)
    min_per_order = models.PositiveSmallIntegerField(_("minimum per order"), default=1)
    max_per_order = models.PositiveSmallIntegerField(_("maximum per order"), default=6)
    allows_reentry = models.BooleanField(_("re-entry allowed"), default=False)
    real_name = models.BooleanField(_("real-name ticket"), default=False)
    max_named_per_account = models.PositiveSmallIntegerField(
        _("named spectators per account"),
        default=5,
        help_text=_("For real-name tickets: how many different people one account may name for the session."),
    )
    # VenueResource codes of the gates this type opens; empty means every gate.
    gate_codes = models.JSONField(_("gate codes"), default=list, blank=True)
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="ticket_types",
        null=True,
        blank=True,
        verbose_name=_("section"),
    )
    quotas = models.ManyToManyField(Quota, related_name="ticket_types", verbose_name=_("quotas"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(price_fen__gte=0),
                name="ticket_type_price_not_negative",
                violation_error_message=_("A price cannot be below zero."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=TicketKind.FREE) | Q(price_fen=0),
                name="ticket_type_free_costs_nothing",
                violation_error_message=_("A free ticket type must cost nothing."),
            ),
            models.CheckConstraint(
                condition=Q(min_per_order__gte=1) & Q(max_per_order__gte=F("min_per_order")),
                name="ticket_type_order_limits",
                violation_error_message=_(
                    "The per-order maximum must be at least the minimum, which is 1 or more."
                ),
            ),
            models.CheckConstraint(
                condition=Q(sale_starts_at__isnull=True)
                | Q(sale_ends_at__isnull=True)
                | Q(sale_ends_at__gt=F("sale_starts_at")),
                name="ticket_type_sale_window",
                violation_error_message=_("Sales must end after they start."),
            ),
            models.CheckConstraint(
                condition=Q(max_named_per_account__gte=1),
                name="ticket_type_named_limit_positive",
                violation_error_message=_("At least one named spectator per account."),
            ),
        ]
        ordering = ["session", "position", "pk"]
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")

    def __str__(self) -> str:
        return f"{self.session} · {self.name}"

    def is_on_sale(self, at=None) -> bool:
        at = at or timezone.now()
        if self.sale_starts_at and at < self.sale_starts_at:
            return False
        return not (self.sale_ends_at and at >= self.sale_ends_at)


class Cart(models.Model):
    """One open cart per user; its lines are the holds."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ticket_cart"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self) -> str:
        return str(self.user)


class CartLine(models.Model):
    """A hold: places of one ticket type reserved for the cart's owner until `hold_expires_at`."""

    # No index of its own: the (cart, ticket_type) unique constraint's index starts with it.
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines", db_index=False)
    ticket_type = models.ForeignKey(TicketType, on_delete=models.CASCADE, related_name="cart_lines")
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    hold_expires_at = models.DateTimeField(_("held until"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_line_quantity_positive"),
            models.UniqueConstraint(fields=["cart", "ticket_type"], name="cart_line_one_per_type"),
        ]
        ordering = ["pk"]
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.ticket_type}"

    @property
    def amount_fen(self) -> int:
        return self.quantity * self.ticket_type.price_fen

    @property
    def is_live(self) -> bool:
        return self.hold_expires_at > timezone.now()


def new_order_code() -> str:
    # Short, unambiguous (no 0/O/1/I, the manual code's alphabet), safe to read out at a counter.
    return random_code(10)


class Order(models.Model):
    """One purchase: tickets of any sessions of one programme, or entry fees (registration)."""

    code = models.CharField(_("order number"), max_length=12, unique=True, default=new_order_code)
    # No index of its own: the (user, -created_at) index below starts with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="ticket_orders",
        verbose_name=_("buyer"),
    )
    programme = models.ForeignKey(
        "events.Programme", on_delete=models.PROTECT, related_name="orders", verbose_name=_("programme")
    )
    state = models.CharField(_("state"), max_length=20, choices=OrderState, default=OrderState.PENDING)
    provider = models.CharField(_("payment method"), max_length=20)
    total_fen = models.IntegerField(_("total (fen)"))
    refunded_fen = models.IntegerField(_("refunded (fen)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("pay by"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("cancelled or expired at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(total_fen__gte=0) & Q(refunded_fen__gte=0) & Q(refunded_fen__lte=F("total_fen")),
                name="order_amounts_consistent",
                violation_error_message=_("An order cannot refund more than it took."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=ORDER_PAID_STATES, paid_at__isnull=False)
                | (~Q(state__in=ORDER_PAID_STATES) & Q(paid_at__isnull=True)),
                name="order_paid_at_iff_paid",
                violation_error_message=_("An order has a payment time exactly when it was paid."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=[OrderState.CANCELLED, OrderState.EXPIRED], closed_at__isnull=False)
                | (~Q(state__in=[OrderState.CANCELLED, OrderState.EXPIRED]) & Q(closed_at__isnull=True)),
                name="order_closed_at_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(state=OrderState.REFUNDED, refunded_fen=F("total_fen"))
                | Q(state=OrderState.PARTIALLY_REFUNDED, refunded_fen__lte=F("total_fen"))
                | (~Q(state__in=[OrderState.REFUNDED, OrderState.PARTIALLY_REFUNDED]) & Q(refunded_fen=0)),
                name="order_refund_matches_state",
                violation_error_message=_("The refunded amount does not match the order's state."),
            ),
        ]
        indexes = [models.Index(fields=["state", "expires_at"]), models.Index(fields=["user", "-created_at"])]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("ticketing:order-detail", kwargs={"code": self.code})

    @property
    def is_pending(self) -> bool:
        return self.state == OrderState.PENDING

    @property
    def is_paid(self) -> bool:
        return self.state in ORDER_PAID_STATES


class OrderLine(models.Model):
    """What was bought: tickets of one type, or one fee (registration's entry fees, no tickets)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=10, choices=OrderLineKind, default=OrderLineKind.TICKET)
    ticket_type = models.ForeignKey(
        TicketType, on_delete=models.PROTECT, related_name="order_lines", null=True, blank=True
    )
    description_zh = models.CharField(_("description (Chinese)"), max_length=200)
    description_en = models.CharField(_("description (English)"), max_length=200)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    unit_price_fen = models.IntegerField(_("unit price (fen)"))
    # For fees: the caller's key (e.g. "entry:42"), handed back to its order-paid callback.
    reference = models.CharField(_("reference"), max_length=100, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_price_fen__gte=0) & Q(quantity__gte=1), name="order_line_amount_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=OrderLineKind.TICKET, ticket_type__isnull=False)
                | Q(kind=OrderLineKind.FEE, ticket_type__isnull=True),
                name="order_line_ticket_iff_type",
            ),
        ]
        ordering = ["order", "pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description_en}"

    @property
    def description(self) -> str:
        return pick(self.description_zh, self.description_en)

    @property
    def amount_fen(self) -> int:
        return self.quantity * self.unit_price_fen


class Ticket(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tickets")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="tickets")
    # No single-column index on ticket_type or session: the (ticket_type, state) and (session, state)
    # indexes below start with them (ticketing/migrations/0011_order_lean_indexes.py).
    ticket_type = models.ForeignKey(
        TicketType, on_delete=models.PROTECT, related_name="tickets", db_index=False
    )
    # Denormalised from the type: the real-name limit and gate queries filter on it.
    session = models.ForeignKey(
        "events.Session", on_delete=models.PROTECT, related_name="tickets", db_index=False
    )
    price_fen = models.IntegerField(_("price (fen)"))
    state = models.CharField(_("state"), max_length=10, choices=TicketState, default=TicketState.RESERVED)
    holder_name = models.CharField(_("holder"), max_length=100, blank=True)
    # Verify, then discard: a keyed hash to count distinct people, and the last four characters to show.
    holder_document_hash = models.CharField(max_length=64, blank=True, editable=False)
    holder_document_last4 = models.CharField(_("document (last 4)"), max_length=4, blank=True)
    # The GB/T 2260 area code (first six digits) of a verified resident ID or residence permit: the
    # stub economy counts visitors by origin. Never the number; "" (unknown) without such a document.
    holder_area_code = models.CharField(_("holder's area code"), max_length=6, blank=True)
    # Issued with the ticket (state "unpaid" until the order is paid), so a gate can say "not paid".
    credential = models.OneToOneField("ticketing.Credential", on_delete=models.PROTECT, related_name="ticket")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(price_fen__gte=0), name="ticket_price_not_negative"),
            # One person holds at most one live ticket per session.
            models.UniqueConstraint(
                fields=["session", "holder_document_hash"],
                condition=~Q(holder_document_hash="") & Q(state__in=TICKET_HOLDING_STATES),
                name="ticket_one_per_person_per_session",
                violation_error_message=_("This person already has a ticket for this session."),
            ),
        ]
        indexes = [
            models.Index(fields=["ticket_type", "state"]),
            models.Index(fields=["session", "state"]),
            # One real-name person's tickets across sessions: the stub economy's per-person-per-store
            # cap counts their redemptions at a store (tourism/selectors/eligibility.py). Not partial:
            # a prepared statement's generic plan cannot prove `hash = $1` implies `hash <> ''`.
            models.Index(fields=["holder_document_hash"], name="ticket_holder_document"),
        ]
        ordering = ["order", "pk"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self) -> str:
        return f"{self.order.code}-{self.pk}"
