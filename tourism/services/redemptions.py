"""Redemption at the counter, in the shape merchants know from group-buying platforms:
prepare (read the code, list what it can take here now, the holder's masked name only) -> consume
(idempotency key, staff member, store, bill before discount, head count; returns the receipt) ->
reverse (within the offer's window, at the same store, with a reason). Queries are in
tourism/selectors/redemptions.py.

Locking (docs/architecture.md, "tourism"): consume locks the STUB row, then the OFFER row, then
re-reads every count and re-judges the offer; reverse locks the REDEMPTION row, then the OFFER row.
Every cap of one offer (stock, budget, per day, per person, a delegation's heads) is therefore
decided one consume at a time, and a stub's own caps and exclusions one stub at a time. The offer's
check constraints and the unique idempotency key are the second net.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, connections, transaction
from django.db.models import F, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from events.db import CompiledQuery, prepared_cursor
from tourism.enums import OfferStatus
from tourism.errors import RedemptionError, StubError
from tourism.models import Offer, Redemption, Reversal, Store, Stub, Till
from tourism.selectors.eligibility import (
    LIVE_OFFERS_HERE,
    OfferCheck,
    counter_closed,
    live_uses_subquery,
    offer_check,
    offer_discount,
    offer_subsidy,
    offers_for_store,
    offers_here,
    prefetch_exclusions,
    stub_context,
)
from tourism.selectors.merchants import membership_for_store
from tourism.services.stubs import stub_resolve

# The row locks of consume. Only the PostgreSQL race tests' control runs switch them off, to show
# that without them two tills really do redeem a once-only stub twice (tests/tourism/test_concurrency*).
LOCK_ROWS = True
# Seconds `tourism_consume_claim` sleeps between its checks and the writes: only the race tests widen it.
CLAIM_PAUSE_SECONDS = 0.0
MAX_BILL_FEN = 100_000_000  # one million yuan: anything above is a typo at the till
MAX_HEAD_COUNT = 500


# The statements of every consume, compiled once per process (events/db.py `CompiledQuery`).
_BY_KEY = CompiledQuery(
    lambda merchant_id, key: Redemption.objects.filter(
        merchant_id=merchant_id, idempotency_key=key
    ).order_by()[:1],
    merchant_id=int,
    key=str,
)
_LOCK_STUB = CompiledQuery(
    lambda stub_id: (
        Stub.objects.select_for_update().filter(pk=stub_id).order_by().values_list("pk", flat=True)
    ),
    stub_id=int,
)
_OFFER = CompiledQuery(
    lambda offer_id, merchant_id: Offer.objects.filter(pk=offer_id, merchant_id=merchant_id).order_by(),
    offer_id=int,
    merchant_id=int,
)


def _offer_and_reads(*, lock: bool):
    """PostgreSQL: the offer (locked unless `lock` is off: the race tests' control run), with the
    redemption already stored under this merchant's key (`existing_id`) and the stub's live uses
    (`live_uses`, as `live_uses_subquery`). Sent after the stub's lock is held, so its snapshot has
    every use of the stub that committed before; a same-key consume of another stub that commits
    while the offer's lock is awaited is caught by the unique key (see redemption_consume)."""

    def build(offer_id, merchant_id, stub_id, key):
        offers = Offer.objects.select_for_update(of=("self",)) if lock else Offer.objects
        uses = Redemption.objects.filter(stub_id=stub_id, reversal__isnull=True).order_by()
        existing = Redemption.objects.filter(merchant_id=merchant_id, idempotency_key=key).order_by()
        return (
            offers.filter(pk=offer_id, merchant_id=merchant_id)
            .annotate(
                existing_id=Subquery(existing.values("pk")[:1]),
                live_uses=live_uses_subquery(uses),
            )
            .order_by()
        )

    return CompiledQuery(build, offer_id=int, merchant_id=int, stub_id=int, key=str)


# The offer with the redemption already stored under this merchant's key: read, without locks, in
# the stub's own statement by consume's fast path (`_consume_claimed`).
_OFFER_AND_KEY = CompiledQuery(
    lambda offer_id, merchant_id, key: (
        Offer.objects.filter(pk=offer_id, merchant_id=merchant_id)
        .annotate(
            existing_id=Subquery(
                Redemption.objects.filter(merchant_id=merchant_id, idempotency_key=key)
                .order_by()
                .values("pk")[:1]
            )
        )
        .order_by()
    ),
    offer_id=int,
    merchant_id=int,
    key=str,
)
_LOCK_OFFER_AND_READ = _offer_and_reads(lock=True)
_OFFER_AND_READ = _offer_and_reads(lock=False)
_LOCK_OFFER = CompiledQuery(
    lambda offer_id, merchant_id: (
        Offer.objects.select_for_update().filter(pk=offer_id, merchant_id=merchant_id).order_by()
    ),
    offer_id=int,
    merchant_id=int,
)


_INSERT_SQL: dict[str, tuple[tuple[str, ...], list]] = {}  # alias -> (statements, fields), once per process


def _insert_sql(connection) -> tuple[tuple[str, ...], list]:
    """The INSERT of a redemption and its offer's count UPDATE, written once per database from the
    models' metadata (no signal listens to these saves; `Model.save` would compile the same statement
    through the ORM on every consume). On PostgreSQL one statement, the offer's UPDATE in a
    data-modifying WITH; elsewhere (SQLite has no such WITH) the INSERT, then the UPDATE."""
    fields = [field for field in Redemption._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    count, spent = (
        quote(Offer._meta.get_field(name).column) for name in ("redeemed_count", "subsidy_spent_fen")
    )
    # Identifiers from the models' own metadata, quoted; every value is a parameter.
    update = (
        f"UPDATE {quote(Offer._meta.db_table)} SET {count} = {count} + 1, {spent} = {spent} + %s "  # noqa: S608
        f"WHERE {quote(Offer._meta.pk.column)} = %s"
    )
    insert = (
        f"INSERT INTO {quote(Redemption._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(Redemption._meta.pk.column)}"
    )
    if connection.vendor == "postgresql":
        return (f"WITH counted AS ({update}) {insert}",), fields
    return (insert, update), fields


def _insert_and_count(redemption: Redemption, *, using: str = "default") -> None:
    """INSERT the new row and add it to its offer's running counts (relative to the locked row's
    values): one statement on PostgreSQL, two elsewhere (`_insert_sql`)."""
    connection = connections[using]
    written = _INSERT_SQL.get(using)
    if written is None:
        written = _INSERT_SQL[using] = _insert_sql(connection)
    statements, fields = written
    values = [field.get_db_prep_save(getattr(redemption, field.attname), connection) for field in fields]
    counts = [redemption.subsidy_fen, redemption.offer_id]
    with prepared_cursor(using) as cursor:
        if len(statements) == 1:
            cursor.execute(statements[0], [*counts, *values])
            redemption.pk = cursor.fetchone()[0]
        else:
            insert, update = statements
            cursor.execute(insert, values)
            redemption.pk = cursor.fetchone()[0]
            cursor.execute(update, counts)
    redemption._state.adding = False
    redemption._state.db = using


_CLAIM_SQL: dict[str, tuple[str, list]] = {}  # alias -> (statement, fields), once per process


def _claim_sql(connection) -> tuple[str, list]:
    """The one statement of a consume's fast path on PostgreSQL (migration tourism/0006): the stub's
    claim (`tourism_consume_claim`: its lock, the key, its live uses unchanged), then the offer's
    counts UPDATE, which locks the offer row and re-checks on its newest version that it is live, that
    its terms are the version judged and that its stock and subsidy budget hold this redemption, then
    the INSERT. No row back: nothing was
    written. Written once from the models' metadata; the INSERT's values are cast to their columns'
    types (an INSERT ... SELECT gives a NULL value no type of its own)."""
    fields = [field for field in Redemption._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    column = {
        name: quote(Offer._meta.get_field(name).column)
        for name in (
            "id",
            "status",
            "terms_version",
            "total_stock",
            "redeemed_count",
            "subsidy_budget_fen",
            "subsidy_spent_fen",
        )
    }
    casts = []
    for field in fields:
        kind = field.cast_db_type(connection)
        # varchar(n) as text: a cast would cut a value that is too long, the column refuses it.
        casts.append(f"%s::{'text' if kind.startswith('varchar') else kind}")
    # Identifiers from the models' own metadata, quoted; every value is a parameter.
    sql = (
        "WITH claimed AS (SELECT tourism_consume_claim(%s, %s, %s, %s::bigint[], %s, %s) AS ok), "  # noqa: S608
        f"counted AS (UPDATE {quote(Offer._meta.db_table)} SET "
        f"{column['redeemed_count']} = {column['redeemed_count']} + 1, "
        f"{column['subsidy_spent_fen']} = {column['subsidy_spent_fen']} + %s "
        f"WHERE {column['id']} = %s AND (SELECT ok FROM claimed) AND {column['status']} = %s "
        f"AND {column['terms_version']} = %s "
        f"AND ({column['total_stock']} IS NULL OR {column['redeemed_count']} < {column['total_stock']}) "
        f"AND ({column['subsidy_budget_fen']} IS NULL "
        f"OR {column['subsidy_spent_fen']} + %s <= {column['subsidy_budget_fen']}) "
        f"RETURNING {column['id']}) "
        f"INSERT INTO {quote(Redemption._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"SELECT {', '.join(casts)} FROM counted RETURNING {quote(Redemption._meta.pk.column)}"
    )
    return sql, fields


def _claim_and_insert(
    redemption: Redemption, *, uses: list, terms_version: int, using: str = "default"
) -> bool:
    """Run `_claim_sql` for this new redemption, judged on the stub's live `uses` and the offer's terms
    at `terms_version` (Offer.terms_version as read: an edit since moves it on); True when it was
    written (its pk set), False when something it was judged on changed (nothing written). Inside a
    caller's transaction it runs in a savepoint, so a duplicate key leaves that transaction usable."""
    connection = connections[using]
    written = _CLAIM_SQL.get(using)
    if written is None:
        written = _CLAIM_SQL[using] = _claim_sql(connection)
    sql, fields = written
    subsidy = redemption.subsidy_fen
    params = [
        redemption.stub_id, redemption.merchant_id, redemption.idempotency_key,
        sorted(list(use) for use in uses), LOCK_ROWS, CLAIM_PAUSE_SECONDS,
        subsidy, redemption.offer_id, OfferStatus.LIVE.value, terms_version, subsidy,
    ]  # fmt: skip
    # The values as they are: ints, strings, a date and aware datetimes, which psycopg sends as
    # get_db_prep_save would (every Redemption field's is the value itself on PostgreSQL).
    values = redemption.__dict__
    params += [values[field.attname] for field in fields]
    guard = transaction.atomic(using) if connection.in_atomic_block else contextlib.nullcontext()
    with guard, prepared_cursor(using) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    redemption.pk = row[0]
    redemption._state.adding = False
    redemption._state.db = using
    return True


def _by_key(*, merchant_id: int, idempotency_key: str) -> Redemption | None:
    rows = _BY_KEY(merchant_id=merchant_id, key=idempotency_key)
    return rows[0] if rows else None


@dataclass(frozen=True)
class Prepared:
    stub: Stub
    checks: list[OfferCheck]

    @property
    def holder(self) -> str:
        """The masked name (or the delegation's name), never more."""
        return self.stub.holder_label


def _check_staff(*, staff, till: Till | None, store: Store) -> None:
    """A till works at its own store only (as the owner who issued it); a person where they work."""
    if till is not None:
        if till.store_id != store.pk or till.revoked_at is not None:
            raise RedemptionError(_("You do not work at this store."), code="not_staff")
        return
    if membership_for_store(user=staff, store=store) is None:
        raise RedemptionError(_("You do not work at this store."), code="not_staff")


def _check_counter_open(store: Store) -> None:
    """The eligibility rules' `counter_closed`, as a refusal (`store.merchant` is read with the store
    by every caller: the counter API's look-up and the till's)."""
    if closed := counter_closed(store):
        reason, message = closed
        raise RedemptionError(message, code=reason)


def _staff_id(staff, till: Till | None) -> int:
    return till.created_by_id if till is not None else staff.pk


def redemption_prepare(
    *, code: str, store: Store, staff=None, till: Till | None = None, now: dt.datetime | None = None
) -> Prepared:
    """What this stub can take at this store now: every live offer of the merchant with its verdict.
    Writes nothing, except issuing the stub of an older ticket or a badge on first sight. Called by a
    staff member or by a till (then `staff` is None). A merchant not (or no longer) approved, or a
    suspended store, reads no code: the answer would show a holder's masked name and match day, and
    issue the stub, to a counter that cannot redeem it."""
    _check_staff(staff=staff, till=till, store=store)
    _check_counter_open(store)
    stub = stub_resolve(
        code=code,
        now=now,
        user=till or staff,
        with_uses=True,
        along=LIVE_OFFERS_HERE,
        along_values={"merchant_id": store.merchant_id, "store_id": store.pk},
    )
    # The offers came in the stub's own statement where they could (a stub or ticket code).
    rows = getattr(stub, "along", None)
    offers = (
        offers_for_store(store, stub.programme_id) if rows is None else offers_here(rows, stub.programme_id)
    )
    # The stub's live uses came with it where they could (PostgreSQL, a stub or ticket code).
    uses = getattr(stub, "live_uses", None)
    context = stub_context(stub=stub, store=store, offers=offers, now=now, stub_uses=uses)
    prefetch_exclusions(offers, context)
    checks = [offer_check(offer, context) for offer in offers]
    return Prepared(stub=stub, checks=checks)


def _replay(
    existing: Redemption,
    *,
    offer_id: int,
    store: Store,
    bill_fen: int,
    head_count: int,
    stub_id: int | None = None,
) -> Redemption:
    """The first receipt for a repeated key, if the repeat asks for the same redemption; `stub_id`,
    when the stub is known (read under its lock), must be the first receipt's too: a key another
    stub's consume used never shows that stub's receipt."""
    same = (
        (stub_id is None or existing.stub_id == stub_id)
        and existing.offer_id == offer_id
        and existing.store_id == store.pk
        and existing.head_count == head_count
        and offer_discount(existing.offer, bill_fen=bill_fen, head_count=head_count)[0] == existing.bill_fen
    )
    if not same:
        raise RedemptionError(
            _("This idempotency key was already used for a different redemption."),
            code="idempotency_conflict",
        )
    return existing


def _validate_amounts(*, bill_fen: int, head_count: int, idempotency_key: str) -> None:
    if not isinstance(bill_fen, int) or not 0 <= bill_fen <= MAX_BILL_FEN:
        raise RedemptionError(
            _("Enter the bill before discount in fen, from 0 to 100,000,000."), code="bad_bill"
        )
    if not isinstance(head_count, int) or not 1 <= head_count <= MAX_HEAD_COUNT:
        raise RedemptionError(_("The number of people must be between 1 and 500."), code="bad_head_count")
    if not idempotency_key or len(idempotency_key) > 64:
        raise RedemptionError(_("Send an idempotency key of 1 to 64 characters."), code="bad_idempotency_key")


def redemption_consume(
    *,
    code: str,
    store: Store,
    staff=None,
    till: Till | None = None,
    offer_id: int,
    idempotency_key: str,
    bill_fen: int,
    head_count: int = 1,
    now: dt.datetime | None = None,
) -> tuple[Redemption, bool]:
    """Redeem one offer for the stub behind `code`. Returns (redemption, created).

    A consume repeated with the same idempotency key at the same merchant returns the first receipt
    (created False) and changes nothing; the same key with other details is refused. Locks the STUB
    row, then the OFFER row (see the module docstring); raises RedemptionError with the reason code
    of the first rule that refuses, and then nothing has changed. Through a till (`staff` None) the
    redemption records the till and, as its staff member, the owner who issued the till.
    """
    _check_staff(
        staff=staff, till=till, store=store
    )  # first: the API answers an outsider 404 whatever they sent
    _validate_amounts(bill_fen=bill_fen, head_count=head_count, idempotency_key=idempotency_key)
    replay_args = {"offer_id": offer_id, "store": store, "bill_fen": bill_fen, "head_count": head_count}
    args = {
        "code": code,
        "user": till or staff,
        "store": store,
        "staff_id": _staff_id(staff, till),
        "till": till,
        "offer_id": offer_id,
        "idempotency_key": idempotency_key,
        "bill_fen": bill_fen,
        "head_count": head_count,
    }
    # One clock for both paths: a code read at the rotation boundary reads the same on each.
    now = now or timezone.now()
    try:
        if connections["default"].vendor == "postgresql":
            redemption = _consume_claimed(**args, now=now)
            if redemption is not None:
                return redemption, True
        with transaction.atomic():
            return _consume_locked(**args, now=now, replay_args=replay_args)
    except StubError:
        # A retry whose code no longer reads (its rotating code went stale, its ticket was refunded
        # since) still gets its first receipt. The key is not read before the code: a first consume,
        # the usual case, would pay a statement for it; a retry that reads finds it under the lock.
        existing = _by_key(merchant_id=store.merchant_id, idempotency_key=idempotency_key)
        if existing is None:
            raise
        return _replay(existing, **replay_args), False
    except IntegrityError:
        # Another till's consume with this key committed between our re-check and our insert.
        existing = Redemption.objects.filter(
            merchant_id=store.merchant_id, idempotency_key=idempotency_key
        ).first()
        if existing is None:  # pragma: no cover - an integrity error is only the key's
            raise
        return _replay(existing, **replay_args), False


def redemption_reverse(
    *,
    receipt_number: str,
    store: Store,
    staff=None,
    till: Till | None = None,
    reason: str,
    now: dt.datetime | None = None,
) -> Reversal:
    """Undo a redemption at the store that made it, within the offer's window, with a reason: the
    stock and the subsidy are given back. Reversing again returns the first reversal. Locks the
    REDEMPTION row, then the OFFER row; raises RedemptionError (nothing changes) otherwise."""
    reason = (reason or "").strip()
    if not reason:
        raise RedemptionError(_("Give a reason for the reversal."), code="reason_required")
    if len(reason) > 300:
        raise RedemptionError(_("Keep the reason under 300 characters."), code="reason_too_long")
    _check_staff(staff=staff, till=till, store=store)
    now = now or timezone.now()
    with transaction.atomic():
        redemption = (
            Redemption.objects.select_for_update()
            .filter(receipt_number=(receipt_number or "").strip().upper(), merchant_id=store.merchant_id)
            .first()
        )
        if redemption is None:
            raise RedemptionError(_("No such receipt at this merchant."), code="unknown_receipt")
        if redemption.store_id != store.pk:
            raise RedemptionError(_("Only the store that redeemed it can reverse it."), code="wrong_store")
        done = Reversal.objects.filter(redemption=redemption).first()
        if done is not None:
            return done
        if now > redemption.reversible_until:
            raise RedemptionError(
                _("The reversal window closed at %(time)s.")
                % {"time": timezone.localtime(redemption.reversible_until).strftime("%H:%M")},
                code="window_closed",
            )
        Offer.objects.select_for_update().filter(pk=redemption.offer_id).values_list("pk", flat=True).get()
        reversal = Reversal.objects.create(
            redemption=redemption, reason=reason, reversed_by_id=_staff_id(staff, till), reversed_at=now
        )
        Offer.objects.filter(pk=redemption.offer_id).update(
            redeemed_count=F("redeemed_count") - 1,
            subsidy_spent_fen=F("subsidy_spent_fen") - redemption.subsidy_fen,
        )
    return reversal


def _new_redemption(
    *,
    stub: Stub,
    offer: Offer,
    store: Store,
    staff_id: int,
    till: Till | None,
    idempotency_key: str,
    bill_fen: int,
    head_count: int,
    now: dt.datetime,
) -> Redemption:
    """The redemption a consume judged redeemable writes (not saved)."""
    bill, discount = offer_discount(offer, bill_fen=bill_fen, head_count=head_count)
    return Redemption(
        stub=stub,
        offer=offer,
        merchant_id=store.merchant_id,
        store=store,
        staff_id=staff_id,
        till=till,
        idempotency_key=idempotency_key,
        bill_fen=bill,
        discount_fen=discount,
        subsidy_fen=offer_subsidy(offer, discount),
        head_count=head_count,
        origin_area_code=stub.origin_area_code,
        delegation_id=stub.delegation_id,
        redeemed_at=now,
        business_day=timezone.localtime(now).date(),
        reversible_until=now + dt.timedelta(minutes=offer.reversal_window_minutes),
    )


def _activates(stub: Stub, context) -> bool:
    """This use marks the stub activated: known without another read only when the offer asked
    whether its ticket was scanned in (stubs_refresh_activation does the rest)."""
    return stub.activated_at is None and "scanned_in" in context.__dict__ and context.scanned_in


def _consume_claimed(
    *,
    code: str,
    user,
    store: Store,
    staff_id: int,
    till: Till | None,
    offer_id: int,
    idempotency_key: str,
    bill_fen: int,
    head_count: int,
    now: dt.datetime,
) -> Redemption | None:
    """PostgreSQL's fast path, for the usual consume: judged by the rule book on one read without locks
    (the stub with its live uses, and the offer with the key, in one statement), then written by one
    statement that claims the stub under its lock and re-checks what the verdict rests on
    (`_claim_sql`): no BEGIN and COMMIT round trips, no lock held while Python works. None when the
    fast path does not apply or something changed since the reads: the caller then takes the locked
    path, which judges again under the locks and answers every retry and refusal as it always did.

    Not taken for what other stubs change and the claim does not re-check: an offer with a daily or a
    per-person cap, a delegation's group stub, or a first use that marks the stub activated. Locks,
    in the claim: the STUB row, then the OFFER row (by its UPDATE), as the locked path. The rest of the
    offer's terms are judged as read, and the UPDATE writes only while `Offer.terms_version` is the
    version read: an edit committed since (each moves it on, under the offer's lock) sends the consume
    to the locked path, which judges the new terms."""
    reads = {"offer_id": offer_id, "merchant_id": store.merchant_id, "key": idempotency_key}
    stub = stub_resolve(
        code=code, now=now, user=user, with_uses=True, along=_OFFER_AND_KEY, along_values=reads
    )
    offers = getattr(stub, "along", None)
    uses = getattr(stub, "live_uses", None)
    if offers is None or uses is None:  # a badge's code or a ticket's first stub: not the usual case
        return None
    offer = offers[0] if offers else None
    if (
        offer is None
        or offer.existing_id is not None
        or offer.daily_limit is not None
        or offer.per_person_store_limit is not None
        or stub.is_group
    ):
        return None
    context = stub_context(stub=stub, store=store, offers=[offer], now=now, stub_uses=uses)
    if not offer_check(offer, context, head_count=head_count, bill_fen=bill_fen).ok:
        return None
    if _activates(stub, context):
        return None
    redemption = _new_redemption(
        stub=stub,
        offer=offer,
        store=store,
        staff_id=staff_id,
        till=till,
        idempotency_key=idempotency_key,
        bill_fen=bill_fen,
        head_count=head_count,
        now=now,
    )
    return redemption if _claim_and_insert(redemption, uses=uses, terms_version=offer.terms_version) else None


def _consume_locked(
    *,
    code: str,
    user,
    store: Store,
    staff_id: int,
    till: Till | None,
    offer_id: int,
    idempotency_key: str,
    bill_fen: int,
    head_count: int,
    now: dt.datetime,
    replay_args: dict,
) -> tuple[Redemption, bool]:
    """The locked part of consume: the stub row, then the offer row, then re-read and re-judge. On
    PostgreSQL the stub is locked by the statement that reads it, and the offer's lock, the key and
    the stub's uses are one statement (`_LOCK_OFFER_AND_READ`)."""
    stub_uses = None
    if connections["default"].vendor == "postgresql":
        stub = stub_resolve(code=code, now=now, user=user, lock=LOCK_ROWS)
        reads = _LOCK_OFFER_AND_READ if LOCK_ROWS else _OFFER_AND_READ
        offers = reads(offer_id=offer_id, merchant_id=store.merchant_id, stub_id=stub.pk, key=idempotency_key)
        if offers and offers[0].existing_id is None:
            stub_uses = offers[0].live_uses
    else:
        stub = stub_resolve(code=code, now=now, user=user)
        if LOCK_ROWS:
            _LOCK_STUB(stub_id=stub.pk)
        offers = None
    if stub_uses is None:
        # A retry, or the same till's first try that committed while we waited for the lock: the
        # first receipt, judged before the offer (a retry naming another offer is a conflict).
        existing = _by_key(merchant_id=store.merchant_id, idempotency_key=idempotency_key)
        if existing is not None:
            return _replay(existing, **replay_args, stub_id=stub.pk), False
    if offers is None:
        offers = (_LOCK_OFFER if LOCK_ROWS else _OFFER)(offer_id=offer_id, merchant_id=store.merchant_id)
    offer = offers[0] if offers else None
    if offer is None:
        raise RedemptionError(_("This merchant has no such offer."), code="unknown_offer")
    context = stub_context(stub=stub, store=store, offers=[offer], now=now, stub_uses=stub_uses)
    verdict = offer_check(offer, context, head_count=head_count, bill_fen=bill_fen)
    if not verdict.ok:
        raise RedemptionError(verdict.message, code=verdict.reason)
    redemption = _new_redemption(
        stub=stub,
        offer=offer,
        store=store,
        staff_id=staff_id,
        till=till,
        idempotency_key=idempotency_key,
        bill_fen=bill_fen,
        head_count=head_count,
        now=now,
    )
    # No savepoint: a duplicate key rolls the whole consume back and is answered by the caller.
    _insert_and_count(redemption)
    if _activates(stub, context):
        Stub.objects.filter(pk=stub.pk, activated_at__isnull=True).update(activated_at=now)
    return redemption, True
