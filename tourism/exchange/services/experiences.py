"""Booking places on experience slots for named members of a delegation, with a waiting list.

Locking rule: every write that changes who holds a place locks the `ExperienceSlot` row first
(`select_for_update`), then counts and re-checks, so two delegations booking the last places of a
slot serialise on it and the slot is never overbooked; the partial unique constraints refuse the
same person twice. Freed places go to the waiting list in booking order under the same lock.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.mail import mail_send_after_commit
from registration.enums import MembershipRole
from registration.models import Athlete, Delegation, DelegationMembership
from registration.selectors.eligibility import age_on
from tourism.exchange.enums import BookingStatus
from tourism.exchange.errors import CapacityError
from tourism.exchange.models import Booking, ExperienceSlot
from tourism.exchange.selectors import slot_taken


def _lock_slot(slot: ExperienceSlot) -> ExperienceSlot:
    return ExperienceSlot.objects.select_for_update(of=("self",)).select_related("experience").get(pk=slot.pk)


def slot_book(
    *,
    slot: ExperienceSlot,
    delegation: Delegation,
    athletes: Sequence[Athlete] = (),
    memberships: Sequence[DelegationMembership] = (),
    user=None,
) -> list[Booking]:
    """Book places for these named members: confirmed while places last, the rest waitlisted in order.

    Members already holding (or waiting for) a place on the slot are skipped, so a repeated request
    changes nothing. Refuses members of another delegation, a slot of another programme and children
    under the experience's minimum age. Locks the slot row.
    """
    if slot.experience.programme_id != delegation.programme_id:
        raise CapacityError(_("This experience is not part of the delegation's programme."))
    if any(a.delegation_id != delegation.pk for a in athletes) or any(
        m.delegation_id != delegation.pk for m in memberships
    ):
        raise CapacityError(_("Only members of the delegation can be booked."))
    if not athletes and not memberships:
        raise CapacityError(_("Choose at least one person."))
    on = timezone.localtime(slot.starts_at).date()
    too_young = [a for a in athletes if age_on(a.birth_date, on) < slot.experience.minimum_age]
    if too_young:
        raise CapacityError(
            _("The minimum age is %(age)d; too young: %(names)s.")
            % {"age": slot.experience.minimum_age, "names": ", ".join(a.display_name for a in too_young)}
        )
    with transaction.atomic():
        slot = _lock_slot(slot)
        held = Booking.objects.filter(slot=slot).exclude(status=BookingStatus.CANCELLED)
        have_athletes = set(held.filter(athlete__isnull=False).values_list("athlete_id", flat=True))
        have_members = set(held.filter(membership__isnull=False).values_list("membership_id", flat=True))
        free = slot.capacity - slot_taken(slot)
        people = [("athlete", a) for a in athletes if a.pk not in have_athletes]
        people += [("membership", m) for m in memberships if m.pk not in have_members]
        made = []
        for field, person in people:
            status = BookingStatus.CONFIRMED if free > 0 else BookingStatus.WAITLISTED
            free -= 1
            made.append(
                Booking.objects.create(
                    slot=slot, delegation=delegation, status=status, booked_by=user, **{field: person}
                )
            )
        return made


def booking_cancel(*, booking: Booking, user=None) -> Booking:
    """Give up a place (or a waiting one); a freed place is offered to the waiting list in order.
    Locks the slot row, then re-reads the booking."""
    with transaction.atomic():
        slot = _lock_slot(booking.slot)
        booking = Booking.objects.get(pk=booking.pk)
        if booking.status == BookingStatus.CANCELLED:
            return booking
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status"])
        _offer_freed(slot)
        return booking


def booking_accept(*, booking: Booking, user=None) -> Booking:
    """Take up an offered place. Locks the slot row, then re-reads the booking."""
    with transaction.atomic():
        _lock_slot(booking.slot)
        booking = Booking.objects.get(pk=booking.pk)
        if booking.status == BookingStatus.CONFIRMED:
            return booking
        if booking.status != BookingStatus.OFFERED:
            raise CapacityError(_("No place has been offered for this booking."))
        booking.status = BookingStatus.CONFIRMED
        booking.save(update_fields=["status"])
        return booking


def _offer_freed(slot: ExperienceSlot) -> list[Booking]:
    """Offer each free place to the next waiting booking, oldest first; tell the delegation's managers."""
    free = slot.capacity - slot_taken(slot)
    offered = []
    if free <= 0:
        return offered
    waiting = (
        Booking.objects.filter(slot=slot, status=BookingStatus.WAITLISTED)
        .select_related("delegation")
        .order_by("created_at", "pk")[:free]
    )
    now = timezone.now()
    for booking in waiting:
        booking.status, booking.offered_at = BookingStatus.OFFERED, now
        booking.save(update_fields=["status", "offered_at"])
        offered.append(booking)
    for delegation in {b.delegation for b in offered}:
        managers = DelegationMembership.objects.filter(
            delegation=delegation, role=MembershipRole.MANAGER, accepted_at__isnull=False
        ).select_related("user")
        for manager in managers:
            mail_send_after_commit(
                to=[manager.user.email],
                template="exchange/email/place_offered",
                context={
                    "experience": slot.experience.name,
                    "starts_at": slot.starts_at,
                    "delegation": delegation.name,
                },
                language=getattr(manager.user, "preferred_language", None),
            )
    return offered
