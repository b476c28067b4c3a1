"""Object-scoped permissions of the stub economy. Merchant staff reach only their own merchant's
stores (counter staff bound to one store, that store only); organisers decide through events'
`events.manage_programme` on the merchant or offer (both carry `programme_id`)."""

from __future__ import annotations

import rules

from tourism.enums import MerchantRole
from tourism.models import Merchant, Store


@rules.predicate
def is_merchant_staff(user, merchant) -> bool:
    if not user.is_authenticated or not isinstance(merchant, Merchant):
        return False
    return user.merchant_roles.filter(merchant=merchant).exists()


@rules.predicate
def is_merchant_owner(user, merchant) -> bool:
    if not user.is_authenticated or not isinstance(merchant, Merchant):
        return False
    return user.merchant_roles.filter(merchant=merchant, role=MerchantRole.OWNER).exists()


@rules.predicate
def works_at_store(user, store) -> bool:
    if not user.is_authenticated or not isinstance(store, Store):
        return False
    roles = user.merchant_roles.filter(merchant_id=store.merchant_id)
    return (
        roles.filter(role=MerchantRole.OWNER).exists()
        or roles.filter(store__isnull=True).exists()
        or (roles.filter(store=store).exists())
    )


# No superuser shortcut at the counter: a redemption is always some staff member's.
rules.add_perm("tourism.redeem_at_merchant", is_merchant_staff)
rules.add_perm("tourism.work_counter", works_at_store)
rules.add_perm("tourism.view_merchant", is_merchant_staff)
rules.add_perm("tourism.manage_merchant", is_merchant_owner)
