"""Reads of entry fees: an event's fee, a team's charges and what an entry still owes."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from registration.models import Entry, EventFee, FeeBasis, FeeCharge, FeeChargeState, FeePart, Team


def fee_for_event(event) -> EventFee | None:
    return EventFee.objects.filter(event_id=event.pk).first()


def charges_for_team(team: Team) -> QuerySet[FeeCharge]:
    return FeeCharge.objects.filter(team=team).select_related("athlete", "order")


def _paid_parts(team: Team, athlete_id: int | None) -> set[str]:
    return set(
        FeeCharge.objects.filter(team=team, athlete_id=athlete_id, state=FeeChargeState.PAID).values_list(
            "part", flat=True
        )
    )


def fee_blocker(entry: Entry) -> str:
    """'' when the fee does not stand in the way of approving this entry, else the reason."""
    fee = fee_for_event(entry.event)
    if fee is None or not fee.payment_required_before_approval or fee.amount_fen == 0:
        return ""
    athlete_id = entry.athlete_id if fee.basis == FeeBasis.ATHLETE else None
    paid = _paid_parts(entry.team, athlete_id)
    if FeePart.FULL in paid or FeePart.DEPOSIT in paid:
        return ""
    if fee.deposit_fen:
        return _("The entry fee's deposit is not paid yet")
    return _("The entry fee is not paid yet")
