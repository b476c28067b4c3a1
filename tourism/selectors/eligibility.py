"""Whether an offer applies to a stub at a store now, and what is left of its caps: the one rule book
that the counter's prepare shows and its consume enforces (again, under the locks).

`stub_context` reads everything the caps need for one stub at one store in a few statements;
`offer_check` is then pure over that context, so prepare can judge every offer of the merchant at
once and consume re-judges its one offer after locking.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from events.db import CompiledQuery
from registration.models import Badge
from ticketing.enums import CredentialState, TicketState
from ticketing.models import CheckInState
from tourism.areas import is_out_of_town
from tourism.enums import (
    MerchantStatus,
    OfferActivation,
    OfferKind,
    OfferOrigin,
    OfferScope,
    OfferStatus,
    OfferValidity,
    OfferWhere,
)
from tourism.models import Offer, Redemption, Store, Stub

# Statements of every prepare and consume, compiled once per process (events/db.py `CompiledQuery`).
_STUB_USES = CompiledQuery(
    lambda stub_id: (
        Redemption.objects.filter(stub_id=stub_id, reversal__isnull=True)
        .order_by()
        .values_list("offer_id", "store_id", "merchant_id")
    ),
    stub_id=int,
)


def live_uses_subquery(uses: QuerySet | None = None) -> ArraySubquery:
    """PostgreSQL: what `_STUB_USES` reads, as one array of [offer, store, merchant] arrays, for
    reading a stub's live uses in another statement: the stub's own (prepare), or the offer's lock
    (consume, which holds the stub's lock by then). `uses`: the stub's live redemptions, when the
    statement is not the stub's (by default, those of the stub the outer query reads)."""
    if uses is None:
        uses = Redemption.objects.filter(stub_id=OuterRef("pk"), reversal__isnull=True).order_by()
    use = Func(
        F("offer_id"),
        F("store_id"),
        F("merchant_id"),
        template="ARRAY[%(expressions)s]",
        output_field=_ID_ARRAY,
    )
    return ArraySubquery(uses.values(use=use))


_ID_ARRAY = ArrayField(BigIntegerField())
_LIVE_OFFERS = CompiledQuery(
    lambda merchant_id, programme_id, store_id: (
        Offer.objects.filter(merchant_id=merchant_id, programme_id=programme_id, status=OfferStatus.LIVE)
        .filter(Q(where=OfferWhere.HOST_CITY) | Q(where=OfferWhere.CITIES) | Q(stores__id=store_id))
        .distinct()
        .order_by("pk")
    ),
    merchant_id=int,
    programme_id=int,
    store_id=int,
)
# The same, of every programme: read in the stub's own statement by prepare (the stub's programme is
# not known before it), then kept to the stub's programme and ordered by `offers_here`.
LIVE_OFFERS_HERE = CompiledQuery(
    lambda merchant_id, store_id: (
        Offer.objects.filter(merchant_id=merchant_id, status=OfferStatus.LIVE)
        .filter(Q(where=OfferWhere.HOST_CITY) | Q(where=OfferWhere.CITIES) | Q(stores__id=store_id))
        .distinct()
        .order_by("pk")
    ),
    merchant_id=int,
    store_id=int,
)


@dataclass
class StubContext:
    """What the caps of one stub at one store depend on, read once."""

    stub: Stub
    store: Store
    now: dt.datetime  # local time
    stub_uses: Counter = field(default_factory=Counter)  # offer id -> live uses by this stub
    person_store_uses: Counter = field(default_factory=Counter)  # offer id -> by this person here
    daily_uses: Counter = field(default_factory=Counter)  # offer id -> live uses today, everyone
    group_heads_today: Counter = field(default_factory=Counter)  # offer id -> the delegation's heads today
    redeemed_offer_ids: set[int] = field(default_factory=set)  # offers this stub holds live uses of
    accredited_today: int = 0  # group stubs: the delegation's members accredited here today

    @property
    def today(self) -> dt.date:
        return self.now.date()

    @cached_property
    def scanned_in(self) -> bool:
        """Read only when an offer opens on scan-in (one statement)."""
        return stub_scanned_in(self.stub)


@dataclass(frozen=True)
class OfferCheck:
    offer: Offer
    reason: str  # "" when the offer can be redeemed now
    message: str
    max_head_count: int
    uses_left: int | None
    today_left: int | None

    @property
    def ok(self) -> bool:
        return not self.reason


def stub_scanned_in(stub: Stub) -> bool:
    """Whether the ticket (or badge) behind the stub was admitted at a gate at least once."""
    if stub.activated_at is not None:
        return True
    source_credential_id = stub.ticket.credential_id if stub.ticket_id else stub.badge.credential_id
    return CheckInState.objects.filter(credential_id=source_credential_id, entries__gt=0).exists()


def accredited_members(*, delegation_id: int, city_id: int, day: dt.date) -> int:
    """Distinct members of a delegation holding a live badge for an event in this city on this day."""
    rows = Badge.objects.filter(
        delegation_id=delegation_id,
        revoked_at__isnull=True,
        credential__state=CredentialState.ACTIVE,
        event__host_city_id=city_id,
        event__start_date__lte=day,
        event__end_date__gte=day,
    ).values_list("entry__athlete_id", "membership_id")
    return len({("athlete", athlete) if athlete else ("staff", membership) for athlete, membership in rows})


def stub_context(
    *,
    stub: Stub,
    store: Store,
    offers: list[Offer],
    now: dt.datetime | None = None,
    stub_uses: list[tuple[int, int, int]] | None = None,
) -> StubContext:
    """Read the counts the caps of these offers need for this stub at this store (live redemptions
    only). A count no offer has a cap for is left at zero, unread: it would be judged by nothing.
    `stub_uses`: the stub's live uses as (offer, store, merchant), when the caller read them already
    (consume on PostgreSQL, under the stub's lock)."""
    now = timezone.localtime(now or timezone.now())
    context = StubContext(stub=stub, store=store, now=now)

    def live():  # built only when a cap asks: most offers have none of these, and building costs CPU
        return Redemption.objects.filter(reversal__isnull=True, merchant_id=store.merchant_id)

    # One read of the stub's live uses everywhere: its caps here, and exclusions across merchants.
    mine = _STUB_USES(stub_id=stub.pk) if stub_uses is None else stub_uses
    for offer_id, store_id, merchant_id in mine:
        context.redeemed_offer_ids.add(offer_id)
        if merchant_id == store.merchant_id:
            context.stub_uses[offer_id] += 1
            if store_id == store.pk:
                context.person_store_uses[offer_id] += 1
    per_person = [offer.pk for offer in offers if offer.per_person_store_limit is not None]
    if per_person and stub.ticket_id and stub.ticket.holder_document_hash:
        # One real-name person may hold several tickets: per person per store counts all of them.
        context.person_store_uses = Counter(
            live()
            .filter(store=store, stub__ticket__holder_document_hash=stub.ticket.holder_document_hash)
            .values_list("offer_id", flat=True)
        )
    daily = [offer.pk for offer in offers if offer.daily_limit is not None]
    if daily:
        # Counted by the database: a busy merchant's day is thousands of rows.
        context.daily_uses = Counter(
            dict(
                live()
                .filter(business_day=context.today, offer_id__in=daily)
                .values("offer_id")
                .annotate(uses=Count("pk"))
                .values_list("offer_id", "uses")
            )
        )
    if stub.is_group:
        context.group_heads_today = Counter(
            dict(
                live()
                .filter(delegation_id=stub.delegation_id, business_day=context.today)
                .values("offer_id")
                .annotate(heads=Sum("head_count"))
                .values_list("offer_id", "heads")
            )
        )
        context.accredited_today = accredited_members(
            delegation_id=stub.delegation_id, city_id=store.city_id, day=context.today
        )
    return context


def offer_discount(offer: Offer, *, bill_fen: int, head_count: int) -> tuple[int, int]:
    """(bill before discount, discount) in fen for this offer. Free entry waives the value per person
    (the bill is at least that); a gift is worth its value once; percentages and fixed amounts come
    off the bill, never below zero, capped by the offer's largest discount."""
    if offer.kind == OfferKind.PERCENTAGE:
        discount = bill_fen * offer.percent_off // 100
    elif offer.kind == OfferKind.FIXED:
        discount = min(offer.amount_off_fen, bill_fen)
    elif offer.kind == OfferKind.FREE_ENTRY:
        discount = offer.value_fen * head_count
        bill_fen = max(bill_fen, discount)
    else:
        discount = offer.value_fen
    if offer.max_discount_fen is not None:
        discount = min(discount, offer.max_discount_fen)
    return bill_fen, discount


def offer_subsidy(offer: Offer, discount_fen: int) -> int:
    return discount_fen * offer.subsidy_percent // 100


def _left(limit: int | None, used: int) -> int | None:
    return None if limit is None else max(limit - used, 0)


def _refuse(offer: Offer, reason: str, message: str, *, heads: int = 0, uses=None, today=None) -> OfferCheck:
    return OfferCheck(offer, reason, message, heads, uses, today)


def counter_closed(store: Store) -> tuple[str, str] | None:
    """Why this store's counter redeems nothing (a (reason, message) pair), or None: its merchant is
    not approved, or the store is suspended. Prepare refuses on it before reading a code; every
    offer's check repeats it (`_eligibility`)."""
    if store.merchant.status != MerchantStatus.APPROVED:
        return "merchant_not_approved", _("This merchant is not an approved partner.")
    if store.suspended_at is not None:
        return "store_suspended", _("This store is suspended from the programme.")
    return None


def _eligibility(offer: Offer, context: StubContext) -> tuple[str, str] | None:
    """Who and what qualifies (not the caps): a (reason, message) refusal or None."""
    stub, store = context.stub, context.store
    if closed := counter_closed(store):
        return closed
    if offer.merchant_id != store.merchant_id:
        return "wrong_store", _("This offer belongs to another merchant.")
    if offer.status != OfferStatus.LIVE:
        return "offer_not_live", _("This offer is not live.")
    if offer.programme_id != stub.programme_id:
        return "wrong_programme", _("This stub is from another programme.")
    if stub.credential.state != CredentialState.ACTIVE:
        return "stub_void", _("This stub is no longer valid (its ticket was refunded or revoked).")
    if stub.is_group:
        if stub.badge.role not in offer.accreditation_roles:
            return "not_for_accreditation", _("This offer is not for delegation accreditations.")
    else:
        if stub.ticket.state != TicketState.VALID:
            return "stub_void", _("This stub is no longer valid (its ticket was refunded or revoked).")
        if not offer.for_ticket_holders:
            return "not_for_tickets", _("This offer is only for accredited delegations.")
    if offer.scope == OfferScope.EVENTS and stub.event_id not in {e.pk for e in offer.events.all()}:
        return "not_this_event", _("This offer is for other events.")
    if offer.scope == OfferScope.SESSIONS and stub.session_id not in {s.pk for s in offer.sessions.all()}:
        return "not_this_session", _("This offer is for other sessions.")
    if offer.scope == OfferScope.DISCIPLINES and stub.event.discipline not in offer.disciplines:
        return "not_this_sport", _("This offer is for other sports.")
    if offer.origin != OfferOrigin.ANY:
        if not stub.origin_area_code:
            return "origin_unknown", _(
                "This offer needs a real-name ticket showing where the holder comes from."
            )
        if offer.origin == OfferOrigin.OUT_OF_TOWN and not is_out_of_town(
            stub.origin_area_code, stub.host_city.slug
        ):
            return "origin_local", _("This offer is for visitors from outside the host city.")
        if offer.origin == OfferOrigin.LISTED and not any(
            stub.origin_area_code.startswith(prefix) for prefix in offer.origin_area_prefixes
        ):
            return "origin_not_listed", _("This offer is for visitors from other cities.")
    if offer.activation == OfferActivation.ON_SCAN_IN and not context.scanned_in:
        return "not_scanned_in", _("This offer opens once the ticket has been scanned in at the gate.")
    return _when_and_where(offer, context)


def _when_and_where(offer: Offer, context: StubContext) -> tuple[str, str] | None:
    stub, store, today = context.stub, context.store, context.today
    if offer.validity == OfferValidity.ABSOLUTE:
        first, last = offer.valid_from, offer.valid_until
    else:
        last_match_day = stub.event.end_date if stub.is_group else stub.match_day
        first = stub.match_day + dt.timedelta(days=offer.days_from)
        last = last_match_day + dt.timedelta(days=offer.days_until)
    if today < first:
        return "not_valid_yet", _("Valid from %(day)s.") % {"day": first.isoformat()}
    if today > last:
        return "expired", _("This offer ended on %(day)s.") % {"day": last.isoformat()}
    if offer.weekdays and today.weekday() not in offer.weekdays:
        return "wrong_weekday", _("This offer is not valid on this day of the week.")
    if offer.time_from and not offer.time_from <= context.now.time() < offer.time_until:
        return "wrong_time", _("Valid from %(start)s to %(end)s.") % {
            "start": offer.time_from.strftime("%H:%M"),
            "end": offer.time_until.strftime("%H:%M"),
        }
    if offer.where == OfferWhere.HOST_CITY and store.city_id != stub.host_city_id:
        return "wrong_city", _("This offer is for stubs of matches in this store's city.")
    if offer.where == OfferWhere.CITIES and store.city_id not in {c.pk for c in offer.cities.all()}:
        return "wrong_city", _("This offer does not apply in this store's city.")
    if offer.where == OfferWhere.STORES and store.pk not in {s.pk for s in offer.stores.all()}:
        return "wrong_store", _("This offer does not apply at this store.")
    return None


def offer_check(
    offer: Offer, context: StubContext, *, head_count: int = 1, bill_fen: int | None = None
) -> OfferCheck:
    """Judge one offer for the context's stub at its store now: eligibility, then every cap."""
    refusal = _eligibility(offer, context)
    if refusal:
        return _refuse(offer, *refusal)
    uses = context.stub_uses[offer.pk]
    uses_left = _left(offer.per_stub_limit, uses)
    today_left = _left(offer.daily_limit, context.daily_uses[offer.pk])
    if context.stub.is_group:
        max_heads = max(context.accredited_today - context.group_heads_today[offer.pk], 0)
    else:
        max_heads = offer.party_size
    partial = {"heads": max_heads, "uses": uses_left, "today": today_left}
    excluded = context.redeemed_offer_ids and (
        {other.pk for other in offer.exclusions.all()} & context.redeemed_offer_ids
    )
    if excluded:
        return _refuse(
            offer, "excluded", _("This stub already took an offer that excludes this one."), **partial
        )
    if uses_left == 0:
        return _refuse(
            offer,
            "already_used",
            _("This stub has already been used for this offer at this merchant."),
            **partial,
        )
    if offer.per_person_store_limit is not None and (
        context.person_store_uses[offer.pk] >= offer.per_person_store_limit
    ):
        return _refuse(
            offer, "person_limit", _("This person has used this offer at this store already."), **partial
        )
    if today_left == 0:
        return _refuse(offer, "daily_limit", _("Today's uses of this offer are all taken."), **partial)
    if offer.stock_left is not None and offer.stock_left <= 0:
        return _refuse(offer, "sold_out", _("This offer is sold out."), **partial)
    if context.stub.is_group and max_heads == 0:
        return _refuse(
            offer, "head_count", _("No members of this delegation are accredited here today."), **partial
        )
    if head_count < 1 or head_count > max_heads:
        return _refuse(
            offer,
            "head_count",
            _("This stub covers at most %(count)d people here today.") % {"count": max_heads},
            **partial,
        )
    if bill_fen is not None:
        if bill_fen < offer.min_bill_fen:
            return _refuse(
                offer,
                "bill_too_small",
                _("The bill must be at least %(amount)s yuan.")
                % {"amount": f"{offer.min_bill_fen / 100:.2f}"},
                **partial,
            )
        _bill, discount = offer_discount(offer, bill_fen=bill_fen, head_count=head_count)
        budget_left = offer.budget_left_fen
        if budget_left is not None and offer_subsidy(offer, discount) > budget_left:
            return _refuse(offer, "budget_spent", _("This offer's subsidy budget is spent."), **partial)
    elif offer.budget_left_fen is not None and offer.budget_left_fen <= 0 and offer.is_subsidised:
        return _refuse(offer, "budget_spent", _("This offer's subsidy budget is spent."), **partial)
    return OfferCheck(offer, "", "", max_heads, uses_left, today_left)


def offers_for_store(store: Store, programme_id: int) -> list[Offer]:
    """The merchant's live offers a stub of this programme could take here, shaped for offer_check:
    each offer's events, sessions, cities or stores are read only for the offers whose scope or place
    names them (offer_check reads nothing else of them). Exclusions: see `prefetch_exclusions`."""
    offers = _LIVE_OFFERS(merchant_id=store.merchant_id, programme_id=programme_id, store_id=store.pk)
    return _shaped(offers)


def offers_here(offers: list[Offer], programme_id: int) -> list[Offer]:
    """`offers_for_store` from the rows `LIVE_OFFERS_HERE` read: those of the stub's programme, in
    order, shaped the same way."""
    return _shaped(sorted((offer for offer in offers if offer.programme_id == programme_id), key=_pk))


def _pk(offer: Offer) -> int:
    return offer.pk


def _shaped(offers: list[Offer]) -> list[Offer]:
    for lookup, needs in (
        ("events", lambda offer: offer.scope == OfferScope.EVENTS),
        ("sessions", lambda offer: offer.scope == OfferScope.SESSIONS),
        ("cities", lambda offer: offer.where == OfferWhere.CITIES),
        ("stores", lambda offer: offer.where == OfferWhere.STORES),
    ):
        prefetch_related_objects([offer for offer in offers if needs(offer)], lookup)
    return offers


def prefetch_exclusions(offers: list[Offer], context: StubContext) -> None:
    """Read the offers' exclusions in one statement, and only when the stub holds a live use that
    an exclusion could name (otherwise offer_check never asks)."""
    if context.redeemed_offer_ids:
        prefetch_related_objects(offers, "exclusions")
