"""Bearer tokens of machines (a gate scanner, a merchant's till), authenticated without a statement on
the hot path: one place for the rule both kinds follow.

Only a token's SHA-256 is stored. The live row behind a token is kept for `seconds` by token hash in
this process and in the shared cache, so a busy device costs no query and no cache round trip per
request. The shared copy is set from the database alone, so processes never extend each other's copies
past `seconds` after the database read. An unknown or revoked token is never kept, so a new device
works at once. `revoke` (and `forget_now_and_on_commit`, for any other change to the row) drops both
copies at once; another process may hold its copy for up to twice `seconds`, which bounds every other
change (an admin edit, a store suspended) the same way. The row's last-use time is written at most once per
`touch_every`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

Row = TypeVar("Row", bound=models.Model)
MAX_TOKEN_LENGTH = 200


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class BearerCache(Generic[Row]):
    """`load(digest)` reads the live row for a token hash (or None); `touch_field` names the row's
    last-use column; `bound` caps this process's copies (a bound, not an eviction policy: a programme
    has a few hundred devices)."""

    def __init__(
        self,
        *,
        prefix: str,
        seconds: float,
        load: Callable[[str], Row | None],
        touch_field: str,
        touch_every: dt.timedelta = dt.timedelta(minutes=1),
        bound: int = 2000,
    ):
        self.prefix, self.seconds, self.load = prefix, seconds, load
        self.touch_field, self.touch_every, self.bound = touch_field, touch_every, bound
        self._local: dict[str, tuple[float, Row]] = {}  # token hash -> (monotonic expiry, row)

    def _key(self, digest: str) -> str:
        return f"{self.prefix}:{digest}"

    def forget(self, digest: str) -> None:
        self._local.pop(digest, None)
        cache.delete(self._key(digest))

    def forget_now_and_on_commit(self, digest: str) -> None:
        """Inside the transaction that changes the row: forgotten now and again after commit, so a
        request between the two cannot keep the old row for longer than the commit takes."""
        self.forget(digest)
        transaction.on_commit(lambda: self.forget(digest))

    def revoke(self, row: Row) -> Row:
        """Revoke the row's token now (`revoked_at`; revoking again changes nothing) and drop its
        copies; the row is returned as the database has it."""
        with transaction.atomic():
            type(row)._default_manager.filter(pk=row.pk, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            self.forget_now_and_on_commit(row.token_hash)
        row.refresh_from_db()
        return row

    def _remember(self, digest: str, row: Row) -> None:
        if len(self._local) > self.bound:
            self._local.clear()
        self._local[digest] = (time.monotonic() + self.seconds, row)

    def authenticate(self, token: str) -> Row | None:
        """The live row holding this bearer token, or None."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        digest = token_digest(token)
        expires, row = self._local.get(digest, (0.0, None))
        if row is None or expires < time.monotonic():
            row = cache.get(self._key(digest))
            if row is None:
                row = self.load(digest)
                if row is None:
                    return None
                cache.set(self._key(digest), row, timeout=self.seconds)
            self._remember(digest, row)
        now = timezone.now()
        last = getattr(row, self.touch_field)
        if last is None or now - last > self.touch_every:
            type(row)._default_manager.filter(pk=row.pk).update(**{self.touch_field: now})
            setattr(row, self.touch_field, now)
            self._remember(digest, row)
        return row
