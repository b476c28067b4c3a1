"""Offers: a merchant's owner creates them; an offer without a subsidy goes live at once, a
subsidised one waits for an organiser of the programme (the city or organiser pays its share).

Locking: `offer_decide` and `offer_withdraw` lock the OFFER row (a consume holding it finishes first).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tourism.enums import OfferStatus
from tourism.errors import OfferError
from tourism.models import Merchant, Offer

# Set by the services, never by the form.
_MANAGED = {
    "merchant",
    "programme",
    "status",
    "redeemed_count",
    "subsidy_spent_fen",
    "created_by",
    "decided_by",
}


def offer_create(
    *,
    merchant: Merchant,
    created_by,
    fields: dict,
    events: Iterable = (),
    sessions: Iterable = (),
    cities: Iterable = (),
    stores: Iterable = (),
    exclusions: Iterable = (),
) -> Offer:
    """Create an offer of this merchant. Live at once unless subsidised (then pending approval).
    Every field is checked by the model (its constraints too) before anything is written."""
    if merchant.programme_id is None:
        raise OfferError(_("This merchant has not joined a programme."))
    unknown = set(fields) & _MANAGED
    if unknown:
        raise OfferError(
            _("These fields are set by Corridor: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    offer = Offer(merchant=merchant, programme_id=merchant.programme_id, created_by=created_by, **fields)
    offer.status = OfferStatus.PENDING if offer.subsidy_percent else OfferStatus.LIVE
    stores = list(stores)
    if any(store.merchant_id != merchant.pk for store in stores):
        raise OfferError(_("An offer can only name this merchant's own stores."))
    exclusions = list(exclusions)
    if any(other.programme_id != merchant.programme_id for other in exclusions):
        raise OfferError(_("Exclusions must be offers of the same programme."))
    try:
        offer.full_clean(exclude=["merchant", "programme"])
    except ValidationError as exc:
        raise OfferError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        offer.save()
        offer.events.set(events)
        offer.sessions.set(sessions)
        offer.cities.set(cities)
        offer.stores.set(stores)
        offer.exclusions.set(exclusions)
    return offer


def offer_decide(*, offer: Offer, by, approve: bool, reason: str = "") -> Offer:
    """An organiser approves (live) or refuses (with a reason) a subsidised offer. Locks the OFFER row."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise OfferError(_("Give the merchant a reason for the refusal."))
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if locked.status not in (OfferStatus.PENDING, OfferStatus.LIVE, OfferStatus.REFUSED):
            raise OfferError(_("A withdrawn offer cannot be approved or refused."))
        locked.status = OfferStatus.LIVE if approve else OfferStatus.REFUSED
        locked.refusal_reason = "" if approve else reason[:300]
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    return locked


def offer_withdraw(*, offer: Offer) -> Offer:
    """The merchant ends an offer; its redemptions stay. Locks the OFFER row."""
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        locked.status = OfferStatus.WITHDRAWN
        locked.save(update_fields=["status"])
    return locked
