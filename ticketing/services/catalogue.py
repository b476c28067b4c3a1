"""The organiser's set-up of what a session sells: ticket types, quotas, sections and ballots.

Every write is one transaction and raises CatalogueError with a message for the organiser. Locking
rule (the order of services/places.py, so a set-up change and a sale cannot deadlock): the ticket
type's sales lock and its row when its quotas or section change (places.type_change_lock), then the Quota rows involved, then the Section rows,
each in ascending primary key, then the check against their `taken` counters. A capacity is never
cut below what is sold or held (the service refuses it, and a CheckConstraint would), and a type
is never moved into a quota or section that cannot take its tickets; moving it moves its places. Nothing is deleted
once it has sold: a ticket type with tickets or order lines, a quota or section whose types hold
places, a ballot with applications.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from events.models import Session
from ticketing.enums import TicketKind
from ticketing.errors import CatalogueError
from ticketing.models import Ballot, CartLine, Quota, Section, Ticket, TicketType
from ticketing.models.sales import TICKET_HOLDING_STATES
from ticketing.selectors.catalogue import taken_by_type
from ticketing.services import places
from ticketing.services.places import holds_reclaim


@dataclass(frozen=True)
class TicketTypeData:
    name_zh: str
    name_en: str
    kind: str
    price_fen: int
    quotas: list[Quota]
    section: Section | None = None
    sale_starts_at: dt.datetime | None = None
    sale_ends_at: dt.datetime | None = None
    min_per_order: int = 1
    max_per_order: int = 6
    real_name: bool = False
    max_named_per_account: int = 5
    allows_reentry: bool = False
    position: int = 0


@dataclass(frozen=True)
class CapacityData:
    """A quota's or a section's fields."""

    name_zh: str
    name_en: str
    capacity: int


@dataclass(frozen=True)
class BallotData:
    applications_open_at: dt.datetime
    applications_close_at: dt.datetime
    pay_within_hours: int = 48
    max_per_application: int = 4


def _check_type_data(session: Session, data: TicketTypeData) -> None:
    if data.kind == TicketKind.FREE and data.price_fen != 0:
        raise CatalogueError(_("A free ticket type must cost nothing."))
    if data.price_fen < 0:
        raise CatalogueError(_("A price cannot be below zero."))
    if data.max_per_order < data.min_per_order:
        raise CatalogueError(_("The per-order maximum must be at least the minimum, which is 1 or more."))
    if data.sale_starts_at and data.sale_ends_at and data.sale_ends_at <= data.sale_starts_at:
        raise CatalogueError(_("Sales must end after they start."))
    if not data.quotas:
        raise CatalogueError(_("Choose at least one quota: a ticket type with no quota is not on sale."))
    if any(q.session_id != session.pk for q in data.quotas) or (
        data.section is not None and data.section.session_id != session.pk
    ):
        raise CatalogueError(_("Quotas and sections must belong to the same session."))


def _lock(quota_ids, section_ids) -> tuple[dict[int, Quota], dict[int, Section]]:
    quotas = {q.pk: q for q in Quota.objects.select_for_update().filter(pk__in=quota_ids).order_by("pk")}
    sections = {
        s.pk: s for s in Section.objects.select_for_update().filter(pk__in=section_ids).order_by("pk")
    }
    return quotas, sections


def _type_taken(ticket_type_id: int) -> int:
    """What a type counts in its quotas' and sections' `taken`: tickets that hold a place and every
    cart line (services/places.py). Its lapsed holds are released first, so they move nowhere."""
    places.holds_drop(places.holds_lapsed(CartLine.objects.filter(ticket_type_id=ticket_type_id)))
    tickets = Ticket.objects.filter(ticket_type_id=ticket_type_id, state__in=TICKET_HOLDING_STATES).count()
    holds = CartLine.objects.filter(ticket_type_id=ticket_type_id).aggregate(n=Sum("quantity"))["n"] or 0
    return tickets + holds


def _move_taken(
    ticket_type: TicketType,
    quotas: dict[int, Quota],
    sections: dict[int, Section],
    *,
    old: tuple[set[int], int | None],
    new: tuple[set[int], int | None],
) -> None:
    """Move what the type takes from the quotas and section it leaves to those it joins, refusing a
    row without room for it. Locks: the type row, then the locked quota and section rows."""
    (old_quotas, old_section), (new_quotas, new_section) = old, new
    if old_quotas == new_quotas and old_section == new_section:
        return
    moved = _type_taken(ticket_type.pk)
    joins = [(Quota, pk, quotas[pk]) for pk in sorted(new_quotas - old_quotas)]
    if new_section and new_section != old_section:
        joins.append((Section, new_section, sections[new_section]))
    for model, pk, row in joins:
        if not places.counter_take(model, pk, moved):
            row.refresh_from_db(fields=["taken"])
            raise CatalogueError(
                _("%(name)s has room for %(capacity)s but %(used)s places are sold or held there.")
                % {"name": row.name, "capacity": row.capacity, "used": row.taken + moved}
            )
    for pk in sorted(old_quotas - new_quotas):
        places.counter_release(Quota, pk, moved)
    if old_section and old_section != new_section:
        places.counter_release(Section, old_section, moved)


def _check_capacity_fits(row: Quota | Section, capacity: int) -> None:
    """The locked row's new capacity holds what is sold or held (`holds_reclaim` ran first)."""
    row.refresh_from_db(fields=["taken"])
    if row.taken > capacity:
        raise CatalogueError(
            _("%(name)s has room for %(capacity)s but %(used)s places are sold or held there.")
            % {"name": row.name, "capacity": capacity, "used": row.taken}
        )


def _save_type(ticket_type: TicketType, data: TicketTypeData) -> TicketType:
    for name in (
        "name_zh", "name_en", "kind", "price_fen", "section", "sale_starts_at", "sale_ends_at",
        "min_per_order", "max_per_order", "real_name", "max_named_per_account", "allows_reentry", "position",
    ):  # fmt: skip
        setattr(ticket_type, name, getattr(data, name))
    try:
        with transaction.atomic():
            ticket_type.save()
    except IntegrityError:
        raise CatalogueError(
            _("These settings contradict each other; check the price, limits and sale window.")
        ) from None
    ticket_type.quotas.set(data.quotas)
    return ticket_type


def ticket_type_create(*, session: Session, data: TicketTypeData) -> TicketType:
    """A new ticket type of the session, in at least one of its quotas. Locks nothing: it has sold nothing."""
    _check_type_data(session, data)
    with transaction.atomic():
        return _save_type(TicketType(session=session), data)


def ticket_type_update(*, ticket_type: TicketType, data: TicketTypeData) -> TicketType:
    """Change a ticket type. Locks its old and new quotas, then its old and new sections (primary-key
    order), and refuses to move sold or held places into a quota or section without room for them."""
    _check_type_data(ticket_type.session, data)
    with transaction.atomic():
        # cart_add's sellers hold the type's sales lock, the others read the type row FOR SHARE: none
        # is half-way through while it moves, and those that wait read its quotas after the move.
        places.type_change_lock(ticket_type.pk)
        old_section = (
            TicketType.objects.select_for_update().values_list("section_id", flat=True).get(pk=ticket_type.pk)
        )
        old_quotas = set(ticket_type.quotas.values_list("pk", flat=True))
        new_quotas = {q.pk for q in data.quotas}
        new_section = data.section.pk if data.section else None
        section_ids = {s for s in (old_section, new_section) if s}
        quotas, sections = _lock(sorted(old_quotas | new_quotas), sorted(section_ids))
        _move_taken(
            ticket_type, quotas, sections, old=(old_quotas, old_section), new=(new_quotas, new_section)
        )
        return _save_type(ticket_type, data)


def ticket_type_delete(*, ticket_type: TicketType) -> None:
    """Delete a ticket type that has sold nothing (no order line, no ticket, no live hold, no ballot
    applications). Its holds and ballot go with it. Takes the type's sales lock exclusively (it waits
    for every cart_add of the type to commit, and holds new ones off), then locks the type's cart
    lines, then the type row (the order of `cart_add`: the sales lock with its cart, then the buyer's
    lines; sellers that read the type row FOR SHARE do so after their lines)."""
    with transaction.atomic():
        places.type_change_lock(ticket_type.pk)
        lines = list(
            CartLine.objects.filter(ticket_type_id=ticket_type.pk).select_for_update().order_by("pk")
        )
        ticket_type = TicketType.objects.select_for_update().get(pk=ticket_type.pk)
        if ticket_type.order_lines.exists() or ticket_type.tickets.exists():
            raise CatalogueError(
                _("This ticket type has been sold, so it cannot be deleted. End its sale instead.")
            )
        if taken_by_type([ticket_type.pk])[ticket_type.pk]:
            raise CatalogueError(_("Buyers are holding this ticket type in their carts; try again later."))
        if Ballot.objects.filter(ticket_type=ticket_type, applications__isnull=False).exists():
            raise CatalogueError(
                _("People have applied to this ticket type's ballot, so it cannot be deleted.")
            )
        # Only lapsed holds are left: they give their places back before the delete cascades to them.
        places.holds_drop(lines)
        ticket_type.delete()


def _check_capacity(data: CapacityData) -> None:
    if data.capacity < 0:
        raise CatalogueError(_("A capacity cannot be below zero."))


def _save_named(row, data: CapacityData):
    row.name_zh, row.name_en, row.capacity = data.name_zh, data.name_en, data.capacity
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise CatalogueError(_("This session already has one with that English name.")) from None
    return row


def quota_create(*, session: Session, data: CapacityData) -> Quota:
    _check_capacity(data)
    with transaction.atomic():
        return _save_named(Quota(session=session), data)


def quota_update(*, quota: Quota, data: CapacityData) -> Quota:
    """Rename or resize a quota. Releases its lapsed holds, which locks the Quota row with the rows
    they free in the rule's order, then counts what its types take: the capacity cannot go below
    what is sold or held."""
    _check_capacity(data)
    with transaction.atomic():
        holds_reclaim(quota_ids=[quota.pk])
        quotas, _sections = _lock([quota.pk], [])
        locked = quotas[quota.pk]
        _check_capacity_fits(locked, data.capacity)
        return _save_named(locked, data)


def quota_delete(*, quota: Quota) -> None:
    """Delete a quota none of whose types holds a place. A type left with no quota goes off sale."""
    with transaction.atomic():
        quotas, _sections = _lock([quota.pk], [])
        type_ids = list(quota.ticket_types.values_list("pk", flat=True))
        if sum(taken_by_type(type_ids).values()) or quota.ticket_types.filter(tickets__isnull=False).exists():
            raise CatalogueError(
                _("Places of this quota have been sold or are held, so it cannot be deleted.")
            )
        quotas[quota.pk].delete()


def section_create(*, session: Session, data: CapacityData) -> Section:
    _check_capacity(data)
    with transaction.atomic():
        return _save_named(Section(session=session), data)


def section_update(*, section: Section, data: CapacityData) -> Section:
    """Rename or resize a section. Releases its lapsed holds (locking the Section row with the rows
    they free, in the rule's order), then counts what its types take."""
    _check_capacity(data)
    with transaction.atomic():
        holds_reclaim(section_ids=[section.pk])
        _quotas, sections = _lock([], [section.pk])
        locked = sections[section.pk]
        _check_capacity_fits(locked, data.capacity)
        return _save_named(locked, data)


def section_delete(*, section: Section) -> None:
    """Delete a section no ticket type uses (types point at it; move them elsewhere first)."""
    with transaction.atomic():
        _quotas, sections = _lock([], [section.pk])
        if TicketType.objects.filter(section_id=section.pk).exists():
            raise CatalogueError(_("Ticket types still sell places in this section; move them first."))
        sections[section.pk].delete()


def _check_ballot(data: BallotData) -> None:
    if data.applications_close_at <= data.applications_open_at:
        raise CatalogueError(_("Applications must close after they open."))
    if data.pay_within_hours < 1 or data.max_per_application < 1:
        raise CatalogueError(_("Payment time and places per application must be at least 1."))


def ballot_create(*, ticket_type: TicketType, data: BallotData) -> Ballot:
    """Sell a ticket type by ballot. Refused once the type has sold or already has a ballot."""
    _check_ballot(data)
    with transaction.atomic():
        ticket_type = TicketType.objects.select_for_update().get(pk=ticket_type.pk)
        if Ballot.objects.filter(ticket_type=ticket_type).exists():
            raise CatalogueError(_("This ticket type already has a ballot."))
        if ticket_type.tickets.exists():
            raise CatalogueError(
                _("This ticket type has been sold first come, first served; it cannot become a ballot.")
            )
        return Ballot.objects.create(ticket_type=ticket_type, **data.__dict__)


def ballot_update(*, ballot: Ballot, data: BallotData) -> Ballot:
    """Change a ballot's window and limits before its draw. Locks the Ballot row (as `ballot_draw`)."""
    _check_ballot(data)
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.drawn_at is not None:
            raise CatalogueError(_("This ballot has been drawn; it can no longer be changed."))
        if ballot.applications.filter(quantity__gt=data.max_per_application).exists():
            raise CatalogueError(_("Some applications ask for more places than the new limit."))
        for name, value in data.__dict__.items():
            setattr(ballot, name, value)
        ballot.save()
        return ballot


def ballot_delete(*, ballot: Ballot) -> None:
    """Stop selling by ballot. Locks the Ballot row; refused once anyone has applied."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.applications.exists():
            raise CatalogueError(_("People have applied to this ballot, so it cannot be removed."))
        ballot.delete()
