"""Offers: a merchant's owner creates and edits them; an offer without a subsidy goes live at once, a
subsidised one waits for an organiser of the programme (the city or organiser pays its share), and
waits again when an edit changes what it gives or what the subsidy pays.

Locking: `offer_update`, `offer_decide` and `offer_withdraw` lock the OFFER row (a consume holding it
finishes first, and the running totals it keeps are never written back stale).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import Discipline
from registration.models.accreditation import BadgeRole
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
# An edit of a subsidised offer that changes one of these sends it back to the organiser.
_SUBSIDY_TERMS = (
    "kind",
    "percent_off",
    "amount_off_fen",
    "value_fen",
    "max_discount_fen",
    "min_bill_fen",
    "party_size",
    "subsidy_percent",
    "subsidy_budget_fen",
)
_AREA_PREFIX = re.compile(r"^(?:\d{2}|\d{4}|\d{6})$")


def _check(*, merchant: Merchant, fields: dict, relations: dict) -> None:
    """Refuse what an offer of this merchant may not name: lists with unknown values, another
    merchant's stores, another programme's events, sessions or offers."""
    unknown = set(fields) & _MANAGED
    if unknown:
        raise OfferError(
            _("These fields are set by Corridor: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    if not set(fields.get("disciplines") or ()) <= set(Discipline.values):
        raise OfferError(_("Choose sports from the list."))
    if not set(fields.get("accreditation_roles") or ()) <= set(BadgeRole.values):
        raise OfferError(_("Choose accreditation holders from the list."))
    weekdays = fields.get("weekdays") or ()
    if any(not isinstance(day, int) or not 0 <= day <= 6 for day in weekdays):
        raise OfferError(_("Days of the week run from Monday to Sunday."))
    prefixes = fields.get("origin_area_prefixes") or ()
    if any(not isinstance(prefix, str) or not _AREA_PREFIX.match(prefix) for prefix in prefixes):
        raise OfferError(_("Choose the visitors' cities from the list."))
    programme_id = merchant.programme_id
    if any(store.merchant_id != merchant.pk for store in relations.get("stores", ())):
        raise OfferError(_("An offer can only name this merchant's own stores."))
    if any(event.programme_id != programme_id for event in relations.get("events", ())):
        raise OfferError(_("An offer can only name events of its own programme."))
    if any(session.event.programme_id != programme_id for session in relations.get("sessions", ())):
        raise OfferError(_("An offer can only name sessions of its own programme."))
    if any(other.programme_id != programme_id for other in relations.get("exclusions", ())):
        raise OfferError(_("Exclusions must be offers of the same programme."))


def _set_relations(offer: Offer, relations: dict) -> None:
    for name in ("events", "sessions", "cities", "stores", "exclusions"):
        getattr(offer, name).set(relations.get(name, ()))


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
    relations = {
        "events": list(events),
        "sessions": list(sessions),
        "cities": list(cities),
        "stores": list(stores),
        "exclusions": list(exclusions),
    }
    _check(merchant=merchant, fields=fields, relations=relations)
    offer = Offer(merchant=merchant, programme_id=merchant.programme_id, created_by=created_by, **fields)
    offer.status = OfferStatus.PENDING if offer.subsidy_percent else OfferStatus.LIVE
    try:
        offer.full_clean(exclude=["merchant", "programme"])
    except ValidationError as exc:
        raise OfferError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        offer.save()
        _set_relations(offer, relations)
    return offer


def offer_update(*, offer: Offer, fields: dict, relations: dict) -> Offer:
    """Change an offer's terms (the same fields and lists as `offer_create`); a withdrawn offer stays
    as it was. An offer without a subsidy is live; a subsidised one stays live only if its discount and
    subsidy terms are unchanged, else it waits for an organiser again. Locks the OFFER row, so the
    running totals (redeemed, subsidy spent) are read under the lock and a stock or budget cut below
    them is refused by the model's constraints."""
    _check(merchant=offer.merchant, fields=fields, relations=relations)
    with transaction.atomic():
        _lock_exclusion_partners(offer, relations)
        locked = Offer.objects.select_for_update().select_related("merchant").get(pk=offer.pk)
        if locked.status == OfferStatus.WITHDRAWN:
            raise OfferError(_("A withdrawn offer cannot be changed."))
        changed = any(
            fields.get(name, getattr(locked, name)) != getattr(locked, name) for name in _SUBSIDY_TERMS
        )
        for name, value in fields.items():
            setattr(locked, name, value)
        if not locked.subsidy_percent:
            locked.status, locked.refusal_reason = OfferStatus.LIVE, ""
        elif changed or locked.status != OfferStatus.LIVE:
            locked.status, locked.refusal_reason = OfferStatus.PENDING, ""
            locked.decided_by, locked.decided_at = None, None
        try:
            locked.full_clean(exclude=["merchant", "programme"])
        except ValidationError as exc:
            raise OfferError(" ".join(exc.messages)) from exc
        locked.terms_version += 1  # under the lock (see Offer.terms_version)
        locked.save()
        _set_relations(locked, relations)
    return locked


def _lock_exclusion_partners(offer: Offer, relations: dict) -> None:
    """Exclusions are symmetrical: changing this offer's list also changes the list of every offer
    joining or leaving it, and a consume of that offer judges its exclusions under ITS row lock. So
    this offer and each of those are locked, in primary-key order (as every path that locks several
    offers), before anything is written: a consume in flight finishes first, and one after it sees
    the new list. The partners read before the locks cannot change meanwhile except by an edit of
    one of them, which takes this offer's lock too."""
    wanted = {other.pk for other in relations.get("exclusions", ())}
    current = set(
        Offer.exclusions.through.objects.filter(from_offer=offer.pk).values_list("to_offer", flat=True)
    )
    partners = (wanted ^ current) - {offer.pk}
    if partners:
        list(
            Offer.objects.select_for_update()
            .filter(pk__in=partners | {offer.pk})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # Their terms change too (their exclusions): a consume judged before this edit must not write.
        Offer.objects.filter(pk__in=partners).update(terms_version=F("terms_version") + 1)


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
        locked.terms_version += 1
        locked.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at", "terms_version"])
    return locked


def offer_withdraw(*, offer: Offer) -> Offer:
    """The merchant ends an offer; its redemptions stay. Locks the OFFER row."""
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        locked.status = OfferStatus.WITHDRAWN
        locked.terms_version += 1
        locked.save(update_fields=["status", "terms_version"])
    return locked
