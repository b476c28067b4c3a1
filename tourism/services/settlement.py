"""Confirming a merchant's monthly settlement statement: the organiser's word that the subsidy it
lists is owed. Confirmation is idempotent and final: a confirmed statement is frozen (its lines and
totals copied), and what comes later goes on the next month's statement.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tourism.enums import SettlementLineKind
from tourism.errors import SettlementError
from tourism.models import Merchant, SettlementLine, SettlementStatement
from tourism.selectors.report_settlement import month_start, open_items, statement_number

LOCK_MERCHANT_ROW = True  # switched off only by the concurrency test's control run


def settlement_confirm(*, merchant: Merchant, period: dt.date, user) -> tuple[SettlementStatement, bool]:
    """Confirm `merchant`'s statement for the month of `period`; returns (statement, created).

    Confirming again returns the confirmed statement and changes nothing. A month that has not begun
    cannot be confirmed. Locks the Merchant row (two organisers confirming the same merchant
    serialise; the statement's unique month and each line's unique (redemption, kind) are the second
    net), then reads the open items and writes the statement and its lines.
    """
    period = month_start(period)
    if period > month_start(timezone.localdate()):
        raise SettlementError(_("This month has not begun: there is nothing to confirm yet."))
    with transaction.atomic():
        if LOCK_MERCHANT_ROW:
            Merchant.objects.select_for_update().filter(pk=merchant.pk).first()
        existing = SettlementStatement.objects.filter(merchant=merchant, period=period).first()
        if existing is not None:
            return existing, False
        items = open_items(merchant, period)
        statement = SettlementStatement.objects.create(
            merchant=merchant,
            period=period,
            number=statement_number(merchant, period),
            confirmed_at=timezone.now(),
            confirmed_by=user,
            redemptions=sum(1 for item in items if item.kind == SettlementLineKind.REDEMPTION),
            reversals=sum(1 for item in items if item.kind == SettlementLineKind.REVERSAL),
            bill_fen=sum(item.bill_fen for item in items),
            discount_fen=sum(item.discount_fen for item in items),
            subsidy_fen=sum(item.subsidy_fen for item in items),
        )
        SettlementLine.objects.bulk_create(
            SettlementLine(
                statement=statement,
                redemption=item.redemption,
                kind=item.kind,
                at=item.at,
                bill_fen=item.bill_fen,
                discount_fen=item.discount_fen,
                subsidy_fen=item.subsidy_fen,
            )
            for item in items
        )
    return statement, True
