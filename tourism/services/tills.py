"""Tills: issuing and revoking a store's bearer tokens, and authenticating the counter API with one.

A till is bound to one store and redeems as the owner who issued it (each redemption records the
till too). Only the token's SHA-256 is stored; the token is shown once, at issue.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from events.bearer_cache import BearerCache, token_digest
from tourism.enums import MerchantRole
from tourism.errors import MerchantError
from tourism.models import MerchantMembership, Store, Till

# Every counter request authenticates its till from this cache (events/bearer_cache.py): the row, with
# its store and merchant, by token hash in this process and in the shared cache, so a busy till costs no
# statement for it. Revocation drops both at once (another process's copy lapses within this time); a
# store suspended or a merchant's approval withdrawn reaches the till's requests within the same time.
TILL_CACHE_SECONDS = 5


def _load(digest: str) -> Till | None:
    return (
        Till.objects.select_related("store__merchant", "store__city")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )


_tills = BearerCache(
    prefix="tourism:till", seconds=TILL_CACHE_SECONDS, load=_load, touch_field="last_used_at"
)


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
    return _tills.revoke(till)


def till_authenticate(token: str) -> Till | None:
    """The live till holding this bearer token, with its store, the store's merchant and city read
    (what the counter's rules need of them), last use refreshed at most once a minute."""
    return _tills.authenticate(token)
