"""Ballot sales for high-demand sessions: apply in a window, a seeded public draw, winners pay by a deadline.

The draw is a deterministic shuffle anyone can recompute from the published seed:
applications are ordered by sha256("<seed>:<application id>") (hex, ascending), ties impossible.
Places are offered down that list: the best-ranked waiting application whose quantity still fits
gets a pending order (its places reserved under the availability locking rule) with a payment
deadline; an offer that lapses unpaid returns its places, which go to the next on the list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.jobs import job_queue_after_commit
from ticketing.enums import BallotApplicationState
from ticketing.errors import BallotError, SaleClosedError, SoldOutError
from ticketing.models import Ballot, BallotApplication
from ticketing.selectors import availability
from ticketing.services.carts import check_session_open
from ticketing.services.orders import order_reserve


def draw_key(seed: str, application_id: int) -> str:
    return hashlib.sha256(f"{seed}:{application_id}".encode()).hexdigest()


def draw_order(seed: str, application_ids: list[int]) -> list[int]:
    """The published rule: application ids sorted by draw_key. Pure, so anyone can check it."""
    return sorted(application_ids, key=lambda pk: draw_key(seed, pk))


def ballot_apply(*, ballot: Ballot, user, quantity: int) -> BallotApplication:
    """One application per account, inside the window, within the per-application limit.

    Refused (SaleClosedError) when the session is cancelled or its event is not published.
    """
    now = timezone.now()
    session = ballot.ticket_type.session
    check_session_open(type(session).objects.select_related("event").get(pk=session.pk))
    if not (ballot.applications_open_at <= now < ballot.applications_close_at):
        raise BallotError(_("Applications for this ballot are closed."))
    if not 1 <= quantity <= ballot.max_per_application:
        raise BallotError(
            _("Apply for between 1 and %(count)d places.") % {"count": ballot.max_per_application}
        )
    with transaction.atomic():
        application, created = BallotApplication.objects.get_or_create(
            ballot=ballot, user=user, defaults={"quantity": quantity}
        )
        if not created:
            raise BallotError(_("You have already applied for this ballot."))
    return application


def ballot_draw(*, ballot: Ballot, seed: str | None = None) -> Ballot:
    """Rank every application by the seeded shuffle, publish the seed, offer the first places.

    Only after applications close, only once. Locks the ballot row.
    """
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.drawn_at is not None:
            raise BallotError(_("This ballot has already been drawn."))
        if timezone.now() < ballot.applications_close_at:
            raise BallotError(_("The draw happens after applications close."))
        ballot.seed = seed or secrets.token_hex(16)
        ballot.drawn_at = timezone.now()
        ballot.save(update_fields=["seed", "drawn_at"])
        ids = list(ballot.applications.values_list("pk", flat=True))
        for rank, pk in enumerate(draw_order(ballot.seed, ids), start=1):
            BallotApplication.objects.filter(pk=pk).update(rank=rank, state=BallotApplicationState.WAITING)
    ballot_offer_places(ballot=ballot)
    return ballot


def ballot_offer_places(*, ballot: Ballot) -> int:
    """Offer free places to waiting applications in draw order; returns how many offers were made.

    Each offer is its own transaction (order_reserve locks the quota, re-checks, reserves).
    An application that does not fit is skipped but keeps its rank for later places.
    """
    ballot = Ballot.objects.select_related("ticket_type__session__event").get(pk=ballot.pk)
    if ballot.drawn_at is None:
        return 0
    ticket_type = ballot.ticket_type
    offers = 0
    deadline = timezone.now() + dt.timedelta(hours=ballot.pay_within_hours)
    if ticket_type.session.ends_at <= timezone.now():
        return 0
    try:
        check_session_open(ticket_type.session)
    except SaleClosedError:
        return 0  # cancelled session or unpublished event: nothing is offered
    for application in ballot.applications.filter(state=BallotApplicationState.WAITING).order_by("rank"):
        left = availability.remaining_for_types([ticket_type])[ticket_type.pk]
        if left <= 0:
            break
        if application.quantity > left:
            continue
        try:
            with transaction.atomic():
                locked = BallotApplication.objects.select_for_update().get(pk=application.pk)
                if locked.state != BallotApplicationState.WAITING:
                    continue
                order = order_reserve(
                    user=locked.user, ticket_type=ticket_type, quantity=locked.quantity, expires_at=deadline
                )
                locked.order = order
                locked.state = (
                    BallotApplicationState.PAID if order.is_paid else BallotApplicationState.OFFERED
                )
                locked.save(update_fields=["order", "state"])
        except SoldOutError:
            continue
        except SaleClosedError:
            break  # the session was cancelled meanwhile (order_reserve re-checks after its lock)
        offers += 1
        _notify_offer(locked)
    return offers


def _notify_offer(application: BallotApplication) -> None:
    job_queue_after_commit("ticketing.tasks.ballot_offer_notify", application.pk)


def ballots_offer_due() -> int:
    """The periodic job's part: after lapsed offers returned their places, offer them down the list."""
    total = 0
    drawn = Ballot.objects.filter(
        drawn_at__isnull=False, applications__state=BallotApplicationState.WAITING
    ).distinct()
    for ballot in drawn:
        total += ballot_offer_places(ballot=ballot)
    return total
