"""Fraud flags: run the pure rules (tourism/services/fraud_rules.py) over a programme's recent
redemptions, keep what they find as flags, and let organisers dismiss a flag with a note or suspend
the store it is about (a suspended store redeems nothing until an organiser lifts it).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tourism.enums import FraudFlagStatus
from tourism.errors import FraudFlagError
from tourism.models import FraudFlag, Redemption, Store
from tourism.services.fraud_rules import RedemptionRecord, StoreRecord, findings_all
from tourism.services.merchants import store_suspend

LOOKBACK = dt.timedelta(days=35)  # a month and the days its reversals may still come in


def _store_record(store: Store) -> StoreRecord:
    return StoreRecord(
        id=store.pk,
        latitude=float(store.latitude),
        longitude=float(store.longitude),
        hours=store.opening_hours or None,
    )


def fraud_flags_refresh(*, programme, now: dt.datetime | None = None) -> int:
    """Check the programme's redemptions of the last LOOKBACK days against every rule; create a flag
    for each new finding and update the evidence of those already flagged (a dismissed flag stays
    dismissed). Returns the number of new flags. Locks nothing: flags are unique by key, and a
    finding stored twice at once is caught by that constraint (get_or_create)."""
    now = now or timezone.now()
    redemptions = list(
        Redemption.objects.filter(stub__programme=programme, redeemed_at__gte=now - LOOKBACK).values_list(
            "pk", "stub_id", "store_id", "staff_id", "merchant_id", "redeemed_at", "reversal__id", "till_id"
        )
    )
    records = [
        RedemptionRecord(
            id=pk,
            stub_id=stub_id,
            store_id=store_id,
            staff_id=staff_id,
            at=at,
            reversed=reversal is not None,
            till_id=till_id,
        )
        for pk, stub_id, store_id, staff_id, _merchant, at, reversal, till_id in redemptions
    ]
    stores = {s.pk: s for s in Store.objects.filter(pk__in={r.store_id for r in records})}
    merchant_of = {s.pk: s.merchant_id for s in stores.values()}
    staff_merchant = {row[3]: row[4] for row in redemptions}
    findings = findings_all(
        records, {pk: _store_record(s) for pk, s in stores.items()}, period=f"{timezone.localtime(now):%Y-%m}"
    )
    created = 0
    for finding in findings:
        merchant_id = merchant_of.get(finding.store_id) or staff_merchant.get(finding.staff_id)
        with transaction.atomic():
            flag, is_new = FraudFlag.objects.get_or_create(
                key=finding.key,
                defaults={
                    "merchant_id": merchant_id,
                    "store_id": finding.store_id,
                    "staff_id": finding.staff_id,
                    "kind": finding.kind,
                    "detail": finding.detail,
                    "first_seen_at": now,
                    "last_seen_at": now,
                },
            )
            if not is_new:
                FraudFlag.objects.filter(pk=flag.pk).update(detail=finding.detail, last_seen_at=now)
            flag.redemptions.add(*finding.redemption_ids)
        created += is_new
    return created


def fraud_flag_dismiss(*, flag: FraudFlag, user, note: str) -> FraudFlag:
    """Close an open flag as not fraud, with the organiser's note. Locks the flag's row."""
    note = (note or "").strip()
    if not note:
        raise FraudFlagError(_("Say why the flag is dismissed: the note is kept with it."))
    with transaction.atomic():
        flag = FraudFlag.objects.select_for_update().get(pk=flag.pk)
        if flag.status != FraudFlagStatus.OPEN:
            raise FraudFlagError(_("This flag was already dealt with."))
        flag.status, flag.note = FraudFlagStatus.DISMISSED, note
        flag.resolved_by, flag.resolved_at = user, timezone.now()
        flag.save(update_fields=["status", "note", "resolved_by", "resolved_at"])
    return flag


def fraud_flag_suspend_store(*, flag: FraudFlag, user, note: str) -> FraudFlag:
    """Close an open flag by suspending its store: the counter refuses every redemption there from
    the commit on. Locks the flag's row, then the Store row."""
    note = (note or "").strip()
    if not note:
        raise FraudFlagError(
            _("Say why the store is suspended: the note is kept with the flag and the store.")
        )
    if flag.store_id is None:
        raise FraudFlagError(
            _("This flag is about a staff member at several stores: suspend a store from its own flag.")
        )
    with transaction.atomic():
        flag = FraudFlag.objects.select_for_update().get(pk=flag.pk)
        if flag.status != FraudFlagStatus.OPEN:
            raise FraudFlagError(_("This flag was already dealt with."))
        store = Store.objects.select_for_update().get(pk=flag.store_id)
        if not store.is_suspended:
            store_suspend(store=store, reason=note)  # the counter's own check refuses it from now on
        flag.status, flag.note = FraudFlagStatus.STORE_SUSPENDED, note
        flag.resolved_by, flag.resolved_at = user, timezone.now()
        flag.save(update_fields=["status", "note", "resolved_by", "resolved_at"])
    return flag
