"""Object-scoped permissions of the stub economy."""

from __future__ import annotations

import rules

from tourism.models import Merchant


@rules.predicate
def is_merchant_staff(user, merchant) -> bool:
    if not user.is_authenticated or not isinstance(merchant, Merchant):
        return False
    return user.merchant_roles.filter(merchant=merchant).exists()


@rules.predicate
def is_merchant_owner(user, merchant) -> bool:
    if not user.is_authenticated or not isinstance(merchant, Merchant):
        return False
    return user.merchant_roles.filter(merchant=merchant, role="owner").exists()


rules.add_perm("tourism.redeem_at_merchant", rules.is_superuser | is_merchant_staff)
rules.add_perm("tourism.manage_merchant", rules.is_superuser | is_merchant_owner)
