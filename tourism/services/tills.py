"""Tills: issuing and revoking a store's bearer tokens, and authenticating the counter API with one.

A till is bound to one store and redeems as the owner who issued it (each redemption records the
till too). Only the token's SHA-256 is stored; the token is shown once, at issue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tourism.enums import MerchantRole
from tourism.errors import MerchantError
from tourism.models import MerchantMembership, Store, Till

# Every counter request authenticates its till: the row (with its store and merchant) is kept this
# long by token hash in this process and in the shared cache, so a busy till costs no statement for it.
# Revocation drops both at once (another process's copy lapses within this time); a store suspended
# or a merchant's approval withdrawn reaches the till's requests within the same time.
TILL_CACHE_SECONDS = 5
LAST_USED_EVERY = dt.timedelta(minutes=1)
_local: dict[str, tuple[float, Till]] = {}  # token hash -> (monotonic expiry, till)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_owner(*, user, store: Store) -> None:
    owner = MerchantMembership.objects.filter(
        user=user, merchant_id=store.merchant_id, role=MerchantRole.OWNER
    ).exists()
    if not owner:
        raise MerchantError(_("Only the merchant's owner can manage its tills."), code="not_owner")


def till_issue(*, store: Store, name: str, by) -> tuple[Till, str]:
    """A new till for `store` and its bearer token (returned once; only its SHA-256 is kept).
    `by` must own the store's merchant; the till then redeems as them."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise MerchantError(_("Give the till a name of 1 to 80 characters."), code="bad_name")
    _check_owner(user=by, store=store)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        till = Till.objects.create(store=store, name=name, token_hash=token_digest(token), created_by=by)
    return till, token


def till_revoke(*, till: Till, by) -> Till:
    """Revoke a till: its token stops working now in this process and in the shared cache (another
    process's copy within TILL_CACHE_SECONDS). Revoking again changes nothing."""
    _check_owner(user=by, store=till.store)
    with transaction.atomic():
        Till.objects.filter(pk=till.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        _forget(till.token_hash)
        transaction.on_commit(lambda: _forget(till.token_hash))
    till.refresh_from_db()
    return till


def _cache_key(digest: str) -> str:
    return f"tourism:till:{digest}"


def _forget(digest: str) -> None:
    _local.pop(digest, None)
    cache.delete(_cache_key(digest))


def _remember(digest: str, till: Till) -> None:
    if len(_local) > 2000:
        _local.clear()  # a bound, not an eviction policy: a programme has a few hundred tills
    _local[digest] = (time.monotonic() + TILL_CACHE_SECONDS, till)


def till_authenticate(token: str) -> Till | None:
    """The live till holding this bearer token, with its store, the store's merchant and city read
    (what the counter's rules need of them), last use refreshed at most once a minute."""
    if not token or len(token) > 200:
        return None
    digest = token_digest(token)
    expires, till = _local.get(digest, (0.0, None))
    if till is None or expires < time.monotonic():
        till = cache.get(_cache_key(digest))
        if till is None:
            till = (
                Till.objects.select_related("store__merchant", "store__city")
                .filter(token_hash=digest, revoked_at__isnull=True)
                .first()
            )
            if till is None:
                return None
            cache.set(_cache_key(digest), till, timeout=TILL_CACHE_SECONDS)
        _remember(digest, till)
    now = timezone.now()
    if till.last_used_at is None or now - till.last_used_at > LAST_USED_EVERY:
        Till.objects.filter(pk=till.pk).update(last_used_at=now)
        till.last_used_at = now
        _remember(digest, till)
    return till
