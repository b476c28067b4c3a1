"""Reading accounts on the hot path: the signed-in user of every request."""

from __future__ import annotations

from events.db import CompiledQuery
from registration.models import User

# Compiled once per process (events/db.py `CompiledQuery`): the ORM's `objects.get(pk=...)` spent
# about two thirds of its CPU building the statement.
_USER_BY_PK = CompiledQuery(lambda user_id: User.objects.filter(pk=user_id), user_id=int)


def user_get(pk: int) -> User | None:
    """The user `pk` as `User.objects.get(pk=pk)` reads it, or None when there is none."""
    found = _USER_BY_PK(user_id=int(pk))
    return found[0] if found else None
