"""Issuing stubs and reading their codes.

Every paid ticket becomes a stub (`stubs_issue_for_order`, registered as ticketing's order-paid hook,
and `stubs_issue_for_tickets` for tickets sold before); a delegation badge becomes a group stub the
first time a counter reads it (`stub_for_badge`). A stub is a ticketing Credential of kind "stub":
the wallet shows it as a rotating code, that credential signed for one minute (`stub_rotating_code`),
so a screenshot goes stale; the ticket's own code is the offline fallback. `stub_resolve` turns any
of these codes (rotating stub, ticket, badge, or the 12-character manual code printed under a ticket's
or badge's QR) into the Stub row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from events.db import CompiledPair, CompiledQuery
from events.ratelimit import attempt_refund, attempt_reserve
from registration.models import Badge
from ticketing.enums import CredentialKind, CredentialState, ScanDirection, ScanResult, TicketState
from ticketing.errors import ForgedCode, InvalidCode
from ticketing.models import Credential, Scan, Ticket, short_code_normalise
from ticketing.services.scans import SHORT_CODE_MISSES, SHORT_CODE_WINDOW_SECONDS
from ticketing.signing import DecodedCredential, credential_decode, encode_credential
from tourism.enums import StubSource
from tourism.errors import StubError
from tourism.models import Stub
from tourism.selectors.eligibility import live_uses_subquery

# A stub stays usable this long after its match day (offers set their own, shorter, windows).
STUB_VALID_DAYS = 60
# The rotating code changes every minute; a code read up to this long after its minute is still taken
# (the counter's phone and the spectator's phone need not agree to the second).
ROTATION = dt.timedelta(minutes=1)
ROTATION_GRACE = dt.timedelta(seconds=30)


def _ticket_stub_rows(tickets: list[Ticket], now: dt.datetime) -> list[Stub]:
    credentials = Credential.objects.bulk_create(
        [
            Credential(
                kind=CredentialKind.STUB,
                event_id=ticket.session.event_id,
                session_id=ticket.session_id,
                valid_from=min(now, ticket.session.starts_at),
                valid_until=ticket.session.ends_at + dt.timedelta(days=STUB_VALID_DAYS),
                holder_label=ticket.credential.holder_label if ticket.ticket_type.real_name else "",
                state=CredentialState.ACTIVE,
            )
            for ticket in tickets
        ]
    )
    return [
        Stub(
            credential=credential,
            source=StubSource.TICKET,
            ticket=ticket,
            programme_id=ticket.session.event.programme_id,
            event_id=ticket.session.event_id,
            session_id=ticket.session_id,
            host_city_id=ticket.session.event.host_city_id,
            match_day=timezone.localtime(ticket.session.starts_at).date(),
            origin_area_code=ticket.holder_area_code,
            holder_label=credential.holder_label,
            issued_at=now,
        )
        for ticket, credential in zip(tickets, credentials, strict=True)
    ]


def stubs_issue_for_tickets(*, tickets: Iterable[Ticket]) -> list[Stub]:
    """One stub for each valid ticket that has none yet (two INSERTs). Idempotent; locks nothing:
    the one-to-one on the ticket refuses a second stub, and a racing issue simply loses."""
    now = timezone.now()
    ids = [ticket.pk for ticket in tickets]
    todo = list(
        Ticket.objects.filter(pk__in=ids, state=TicketState.VALID, stub__isnull=True).select_related(
            "session__event", "credential", "ticket_type"
        )
    )
    if not todo:
        return []
    try:
        with transaction.atomic():
            return Stub.objects.bulk_create(_ticket_stub_rows(todo, now))
    except IntegrityError:
        return []


def stubs_issue_for_order(order) -> None:
    """ticketing's order-paid hook: the order's tickets become stubs in the same transaction."""
    stubs_issue_for_tickets(tickets=order.tickets.filter(state=TicketState.VALID))


def stubs_void_for_order(order) -> None:
    """ticketing's order-refunded hook: stubs of refunded tickets stop being valid (offline too)."""
    Credential.objects.filter(
        kind=CredentialKind.STUB, stub__ticket__order=order, state=CredentialState.ACTIVE
    ).exclude(stub__ticket__state=TicketState.VALID).update(
        state=CredentialState.REFUNDED, state_changed_at=timezone.now()
    )


def stub_for_badge(*, badge: Badge) -> Stub:
    """The group stub of a delegation badge, issued the first time it is needed. Idempotent."""
    existing = Stub.objects.filter(badge=badge).first()
    if existing:
        return existing
    if badge.revoked_at is not None:
        raise StubError(_("This accreditation has been revoked."), code="stub_void")
    badge_credential = badge.credential
    event = badge.event
    try:
        with transaction.atomic():
            credential = Credential.objects.create(
                kind=CredentialKind.STUB,
                event=event,
                valid_from=badge_credential.valid_from,
                valid_until=badge_credential.valid_until + dt.timedelta(days=STUB_VALID_DAYS),
                holder_label=badge.delegation.name,
            )
            return Stub.objects.create(
                credential=credential,
                source=StubSource.ACCREDITATION,
                badge=badge,
                delegation_id=badge.delegation_id,
                programme_id=event.programme_id,
                event=event,
                host_city_id=event.host_city_id,
                match_day=event.start_date,
                holder_label=badge.delegation.name,
                issued_at=timezone.now(),
            )
    except IntegrityError:
        return Stub.objects.get(badge=badge)


@dataclass(frozen=True)
class RotatingCode:
    code: str
    expires_at: dt.datetime


def stub_rotating_code(*, stub: Stub, now: dt.datetime | None = None) -> RotatingCode:
    """The stub's code for the current minute (it changes each minute; a screenshot goes stale)."""
    now = now or timezone.now()
    start = now.replace(second=0, microsecond=0)
    end = start + ROTATION
    credential = stub.credential
    code = encode_credential(
        public_id=credential.public_id,
        kind=CredentialKind.STUB,
        event_id=credential.event_id,
        session_id=credential.session_id,
        valid_from=start,
        valid_until=end,
    )
    return RotatingCode(code=code, expires_at=end)


# What the counter's rules read of a stub (the ticket's and badge's own credentials only by id).
_STUB_RELATED = ("credential", "ticket", "badge", "event", "host_city")


def _credential_pk(public_id) -> int | None:
    # The unique index on public_id first, then the stub by its key: two indexed reads beat one wide join.
    return Credential.objects.filter(public_id=public_id).values_list("pk", flat=True).first()


def _one_stub(**lookup) -> Stub | None:
    """The stub matching a unique lookup, with what the counter's rules read. Not `.first()`: its
    ORDER BY made Django compile the five-table select twice over (a profile of the counter showed
    it as the largest CPU cost of a redemption); the lookups here match one row at most."""
    return next(iter(Stub.objects.select_related(*_STUB_RELATED).filter(**lookup).order_by()[:1]), None)


# The two reads of every counter request, compiled once per process (events/db.py `CompiledQuery`).
_STUB_BY_CODE = CompiledQuery(
    lambda public_id: (
        Stub.objects.select_related(*_STUB_RELATED).filter(credential__public_id=public_id).order_by()[:1]
    ),
    public_id=uuid.UUID,
)
_STUB_BY_TICKET_CODE = CompiledQuery(
    lambda public_id: (
        Stub.objects.select_related(*_STUB_RELATED)
        .filter(ticket__credential__public_id=public_id)
        .order_by()[:1]
    ),
    public_id=uuid.UUID,
)


def _stub_read(lookup: str, *, uses: bool = False, lock: bool = False) -> CompiledQuery:
    """The stub by its own code (`lookup` "credential__public_id") or its ticket's, as the counter
    reads it; PostgreSQL only with `uses` (its live uses in the same statement, see stub_resolve) or
    `lock` (its row locked by the statement that reads it)."""

    def build(public_id):
        stubs = Stub.objects.select_for_update(of=("self",)) if lock else Stub.objects
        stubs = stubs.select_related(*_STUB_RELATED).filter(**{lookup: public_id})
        if uses:
            stubs = stubs.annotate(live_uses=live_uses_subquery())
        return stubs.order_by()[:1]

    return CompiledQuery(build, public_id=uuid.UUID)


# (by ticket code?, with uses?, locked?) -> the statement; the two without either are the ones above.
_STUB_READS = {
    (False, False, False): _STUB_BY_CODE,
    (True, False, False): _STUB_BY_TICKET_CODE,
    (False, True, False): _stub_read("credential__public_id", uses=True),
    (True, True, False): _stub_read("ticket__credential__public_id", uses=True),
    (False, False, True): _stub_read("credential__public_id", lock=True),
    (True, False, True): _stub_read("ticket__credential__public_id", lock=True),
}
_LOCK = CompiledQuery(
    lambda stub_id: (
        Stub.objects.select_for_update().filter(pk=stub_id).order_by().values_list("pk", flat=True)
    ),
    stub_id=int,
)


def _first(rows: list) -> Stub | None:
    return rows[0] if rows else None


_PAIRS: dict[tuple[CompiledQuery, CompiledQuery], CompiledPair] = {}


def _read(
    statement: CompiledQuery, public_id, along: CompiledQuery | None, along_values: dict
) -> Stub | None:
    """The stub `statement` reads; with `along`, that read too, in the same statement (see
    stub_resolve), its rows set on the stub as `along`."""
    if along is None:
        return _first(statement(public_id=public_id))
    pair = _PAIRS.get((statement, along))
    if pair is None:
        pair = _PAIRS[statement, along] = CompiledPair(statement, along)
    stubs, rows = pair(public_id=public_id, **along_values)
    stub = _first(stubs)
    if stub is not None:
        stub.along = rows
    return stub


def _stub_by(**lookup) -> Stub | None:
    if any(value is None for value in lookup.values()):
        return None
    return _one_stub(**lookup)


def _typed(short: str, *, user) -> DecodedCredential:
    """The ticket or badge a typed manual code names, as ticketing's gate reads it (scans._typed):
    each person may mistype at most SHORT_CODE_MISSES codes in SHORT_CODE_WINDOW_SECONDS, then typed
    codes are refused until the window ends (a till counts as its own person), so guessing one (60 random bits) is hopeless. A stub's
    own credential is never typed: it is only shown as the rotating code."""
    # Per person, or per till (a Till redeems without a person): each has its own allowance.
    key = f"tourism:short-code-misses:{type(user).__name__.lower()}:{getattr(user, 'pk', None)}"
    if not attempt_reserve(key, limit=SHORT_CODE_MISSES, window_seconds=SHORT_CODE_WINDOW_SECONDS):
        raise StubError(
            _("Too many mistyped codes: scan the QR code, or try again in ten minutes."),
            code="too_many_attempts",
        )
    row = (
        Credential.objects.filter(short_code=short)
        .exclude(kind=CredentialKind.STUB)
        .values_list("public_id", "kind", "valid_from", "valid_until")
        .first()
    )
    if row is None:  # the reserved attempt stays counted: a miss
        raise StubError(_("Corridor does not know this code."), code="unknown")
    attempt_refund(key)
    public_id, kind, valid_from, valid_until = row
    return DecodedCredential(
        kid="",
        public_id=public_id,
        kind=kind,
        event_id=None,
        session_id=None,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _decode(code: str, *, user) -> DecodedCredential:
    text = (code or "").strip()
    try:
        return credential_decode(text)
    except ForgedCode as exc:
        raise StubError(_("This code was not issued by Corridor."), code="forged") from exc
    except InvalidCode as exc:
        short = short_code_normalise(text)
        if short is None:
            raise StubError(_("This is not a stub or ticket code."), code="not_a_stub") from exc
    return _typed(short, user=user)


def stub_resolve(
    *,
    code: str,
    now: dt.datetime | None = None,
    user=None,
    with_uses: bool = False,
    lock: bool = False,
    along: CompiledQuery | None = None,
    along_values: dict | None = None,
) -> Stub:
    """The stub behind a rotating stub code, a ticket's code, a delegation badge's code, or the
    manual code printed under a ticket's or badge's QR (typed by `user`, whose misses are limited).
    `with_uses`, on PostgreSQL: a stub found by its own or its ticket's code comes with its live uses
    as `stub.live_uses` ([offer, store, merchant] each), read in the same statement; otherwise the
    attribute is not set. `lock`, on PostgreSQL inside a transaction: the stub's row is locked FOR
    UPDATE by the statement that reads it (by the next one for a badge's code or a ticket's first stub).
    `along` (with `along_values`), without `lock`: a read of at most one row the caller needs next,
    made in the stub's own statement on those two usual paths (events/db.py `CompiledPair`), its rows
    set as `stub.along`; on the other paths the attribute is not set and the caller reads it itself.

    Raises StubError (code: forged, stale, unknown, not_a_stub, stub_void, too_many_attempts) and
    never says more about a code than a counter needs. Issues the stub of an older ticket or of a
    badge when it has none.
    """
    now = now or timezone.now()
    postgresql = connection.vendor == "postgresql"
    with_uses, lock = with_uses and postgresql, lock and postgresql  # an ARRAY subquery; FOR UPDATE OF
    decoded = _decode(code, user=user)
    locked = lock  # by the statement that reads the stub, on the two usual paths
    if decoded.kind == CredentialKind.STUB:
        if not decoded.valid_from <= now <= decoded.valid_until + ROTATION_GRACE:
            raise StubError(
                _(
                    "This stub code has expired: ask the guest to open the stub again (it changes every minute)."
                ),
                code="stale",
            )
        stub = _read(_STUB_READS[False, with_uses, lock], decoded.public_id, along, along_values or {})
    elif decoded.kind == CredentialKind.TICKET:
        stub = _read(_STUB_READS[True, with_uses, lock], decoded.public_id, along, along_values or {})
        if stub is None:
            locked = False
            ticket = Ticket.objects.filter(credential__public_id=decoded.public_id).first()
            if ticket is not None:
                stubs_issue_for_tickets(tickets=[ticket])
                stub = _stub_by(ticket=ticket)
            if stub is None and ticket is not None:
                raise StubError(_("This ticket is not paid or no longer valid."), code="stub_void")
    else:
        locked = False
        badge = (
            Badge.objects.select_related("credential", "event", "delegation")
            .filter(credential__public_id=decoded.public_id)
            .first()
        )
        stub = stub_for_badge(badge=badge) if badge else None
        if stub is not None:
            stub = _stub_by(pk=stub.pk)
    if stub is None:
        raise StubError(_("Corridor does not know this code."), code="unknown")
    if lock and not locked:
        _LOCK(stub_id=stub.pk)
    if stub.credential.state != CredentialState.ACTIVE or now > stub.credential.valid_until:
        raise StubError(_("This stub is no longer valid."), code="stub_void")
    return stub


def stubs_refresh_activation(*, programme_id: int | None = None) -> int:
    """Copy each ticket's first gate admission into its stub's `activated_at` (for the city report's
    "activated" count). One UPDATE; returns the number of stubs newly marked. Locks nothing: it only
    fills an empty column with a time that never changes."""
    admissions = Scan.objects.filter(
        credential__ticket=OuterRef("ticket_id"),
        direction=ScanDirection.ENTRY,
        result=ScanResult.ADMITTED,
        annulled_at__isnull=True,
    )
    first_entry = admissions.order_by("scanned_at").values("scanned_at")[:1]
    stubs = Stub.objects.filter(activated_at__isnull=True, ticket__isnull=False).filter(Exists(admissions))
    if programme_id is not None:
        stubs = stubs.filter(programme_id=programme_id)
    return stubs.update(activated_at=Subquery(first_entry))
