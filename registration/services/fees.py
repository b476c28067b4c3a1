"""Entry fees through ticketing's payment layer: a team's manager creates one fee order (per team
or per athlete, the deposit first when there is one, the balance later), ticketing's providers take
the money (Stripe, the manual invoice a city bureau pays, the demo provider) and the order-paid hook
marks the charges paid. An event may require the deposit (or the whole fee) before approval.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registration.enums import EntryStatus
from registration.errors import FeeError
from registration.models import Entry, FeeBasis, FeeCharge, FeeChargeState, FeePart, Team
from registration.selectors.fees import fee_due_parts, fee_for_event
from ticketing.enums import OrderState
from ticketing.services.orders import FeeLine, order_create_for_fees

REFERENCE_PREFIX = "regfee:"


# --- services ----------------------------------------------------------------------------------


def fee_order_create(*, team: Team, user, provider: str, part: str = FeePart.FULL):
    """One fee order for the team: a line per athlete (or one for the team) for `part` (full,
    deposit or balance), skipping what is already paid or awaiting payment. Locks the team row."""

    with transaction.atomic():
        team = Team.objects.select_for_update().select_related("event", "delegation").get(pk=team.pk)
        fee = fee_for_event(team.event)
        if fee is None:
            raise FeeError(_("This event has no entry fee."))
        if part == FeePart.DEPOSIT and not fee.deposit_fen:
            raise FeeError(_("This event takes no deposit."))
        FeeCharge.objects.filter(
            team=team,
            state=FeeChargeState.PENDING,
            order__state__in=[OrderState.CANCELLED, OrderState.EXPIRED],
        ).update(state=FeeChargeState.CANCELLED)
        live = {}
        for charge in FeeCharge.objects.filter(
            team=team, state__in=[FeeChargeState.PENDING, FeeChargeState.PAID]
        ):
            live.setdefault(charge.athlete_id, set()).add(charge.part)
        payers: list = [None]
        if fee.basis == FeeBasis.ATHLETE:
            entries = (
                Entry.objects.filter(team=team)
                .exclude(status__in=[EntryStatus.WITHDRAWN, EntryStatus.WAITLISTED])
                .select_related("athlete")
                .order_by("pk")
            )
            payers = [entry.athlete for entry in entries]
        charges = []
        for athlete in payers:
            athlete_id = athlete.pk if athlete else None
            for due_part, amount in fee_due_parts(fee, live.get(athlete_id, set()), part):
                charges.append(
                    FeeCharge.objects.create(team=team, athlete=athlete, part=due_part, amount_fen=amount)
                )
        if not charges:
            raise FeeError(_("Nothing is due for this team."))
        lines = [_fee_line(team, charge, FeeLine) for charge in charges]
        order = order_create_for_fees(
            user=user, programme=team.delegation.programme, lines=lines, provider=provider
        )
        FeeCharge.objects.filter(pk__in=[c.pk for c in charges]).update(order=order)
        if order.is_paid:
            _mark_paid([c.pk for c in charges])
    return order


def _fee_line(team: Team, charge: FeeCharge, fee_line_cls):
    part_zh = {FeePart.FULL: "报名费", FeePart.DEPOSIT: "报名费定金", FeePart.BALANCE: "报名费尾款"}[
        charge.part
    ]
    part_en = {
        FeePart.FULL: "Entry fee",
        FeePart.DEPOSIT: "Entry fee deposit",
        FeePart.BALANCE: "Entry fee balance",
    }[charge.part]
    who_zh = charge.athlete.display_name if charge.athlete else team.name_zh
    who_en = charge.athlete.display_name if charge.athlete else (team.name_en or team.name_zh)
    return fee_line_cls(
        description_zh=f"{part_zh} · {team.event.name_zh} · {who_zh}",
        description_en=f"{part_en} · {team.event.name_en or team.event.name_zh} · {who_en}",
        amount_fen=charge.amount_fen,
        reference=f"{REFERENCE_PREFIX}{charge.pk}",
    )


def _charge_ids(order) -> list[int]:
    ids = []
    for reference in order.lines.values_list("reference", flat=True):
        if reference and reference.startswith(REFERENCE_PREFIX):
            ids.append(int(reference.removeprefix(REFERENCE_PREFIX)))
    return ids


def _mark_paid(charge_ids: list[int]) -> int:
    return FeeCharge.objects.filter(pk__in=charge_ids, state=FeeChargeState.PENDING).update(
        state=FeeChargeState.PAID, paid_at=timezone.now()
    )


def on_order_paid(order) -> None:
    """ticketing hook, inside the transaction that marks the order paid: our charges become paid."""
    ids = _charge_ids(order)
    if ids:
        _mark_paid(ids)


def on_order_refunded(order) -> None:
    """ticketing hook: a refunded fee order's charges are refunded (approval may need payment again)."""
    ids = _charge_ids(order)
    if ids:
        FeeCharge.objects.filter(pk__in=ids, state=FeeChargeState.PAID).update(state=FeeChargeState.REFUNDED)
