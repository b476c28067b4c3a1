"""Reads of entry fees: an event's fee, a team's charges and what an entry still owes."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from registration.enums import EntryStatus
from registration.models import Entry, EventFee, FeeBasis, FeeCharge, FeeChargeState, FeePart, Team
from ticketing.enums import OrderState

# A pending charge of an order in these states is unpaid again (fee_order_create cancels it).
LAPSED_ORDER_STATES = (OrderState.CANCELLED, OrderState.EXPIRED)


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


def fee_due_parts(fee: EventFee, paid_or_pending: set[str], part: str) -> list[tuple[str, int]]:
    """What one payer (an athlete, or the team) still owes for `part`, given the parts already paid
    or awaiting payment: [(part, amount in fen)], empty when nothing is due."""
    if FeePart.FULL in paid_or_pending:
        return []
    if part == FeePart.BALANCE:
        if FeePart.BALANCE in paid_or_pending or FeePart.DEPOSIT not in paid_or_pending:
            return []
        return [(FeePart.BALANCE, fee.balance_fen)]
    if fee.deposit_fen and part == FeePart.DEPOSIT:
        return [] if FeePart.DEPOSIT in paid_or_pending else [(FeePart.DEPOSIT, fee.deposit_fen)]
    if FeePart.DEPOSIT in paid_or_pending:
        return [] if FeePart.BALANCE in paid_or_pending else [(FeePart.BALANCE, fee.balance_fen)]
    return [(FeePart.FULL, fee.amount_fen)]


def fee_breakdown(team: Team, fee: EventFee) -> list[dict]:
    """Before paying: for each part the manager may choose (full, deposit, balance), the lines a fee
    order would hold now (who, what, how much) and their total. Reads what fee_order_create reads
    (two statements), writes nothing; a charge whose order lapsed counts as unpaid."""
    live: dict[int | None, set[str]] = {}
    charges = FeeCharge.objects.filter(team=team).exclude(
        state__in=[FeeChargeState.CANCELLED, FeeChargeState.REFUNDED]
    )
    for athlete_id, part, state, order_state in charges.values_list(
        "athlete_id", "part", "state", "order__state"
    ):
        if state == FeeChargeState.PENDING and order_state in LAPSED_ORDER_STATES:
            continue
        live.setdefault(athlete_id, set()).add(part)
    payers: list = [None]
    if fee.basis == FeeBasis.ATHLETE:
        payers = [
            entry.athlete
            for entry in Entry.objects.filter(team=team)
            .exclude(status__in=[EntryStatus.WITHDRAWN, EntryStatus.WAITLISTED])
            .select_related("athlete")
            .order_by("pk")
        ]
    parts = [FeePart.FULL, FeePart.DEPOSIT, FeePart.BALANCE] if fee.deposit_fen else [FeePart.FULL]
    options = []
    for part in parts:
        lines = []
        for athlete in payers:
            for due_part, amount in fee_due_parts(
                fee, live.get(athlete.pk if athlete else None, set()), part
            ):
                lines.append(
                    {
                        "who": athlete.display_name if athlete else team.name,
                        "part_code": due_part,
                        "part": FeePart(due_part).label,
                        "amount_fen": amount,
                    }
                )
        if any(line["part_code"] != part for line in lines):
            continue  # "full" once a deposit is in is the balance option: shown once, under its name
        options.append(
            {
                "part": part,
                "label": FeePart(part).label,
                "lines": lines,
                "total_fen": sum(line["amount_fen"] for line in lines),
            }
        )
    return options


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
