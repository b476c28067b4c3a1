"""Object-scoped permissions for the catalogue. Higher apps add their own rules in their rules.py.

Every scoped check goes through `user.has_perm("<app>.<action>", obj)`; views fetch objects with
`events.permissions.get_for_user_or_404`, so a person without the role sees a 404, never the object.
Organiser power (and the superuser predicate) needs two-factor passed in this session: the flag
`events.middleware.OrganiserMFAMiddleware` sets on the request's user; without it they grant nothing.
"""

from __future__ import annotations

import rules

from events.models import Event, Programme, Session

TWO_FACTOR_FLAG = "two_factor_passed"


def two_factor_passed(user) -> bool:
    """True only for a request's user whose session passed two-factor (set by the middleware)."""
    return user.is_authenticated and getattr(user, TWO_FACTOR_FLAG, False) is True


@rules.predicate
def has_passed_two_factor(user) -> bool:
    return two_factor_passed(user)


def _programme_of(obj) -> int | None:
    if isinstance(obj, Programme):
        return obj.pk
    if isinstance(obj, Event):
        return obj.programme_id
    if isinstance(obj, Session):
        return obj.event.programme_id
    return getattr(obj, "programme_id", None)


@rules.predicate
def is_programme_organiser(user, obj) -> bool:
    if not two_factor_passed(user):
        return False
    programme_id = _programme_of(obj) if obj is not None else None
    if programme_id is None:
        return False
    return user.programme_roles.filter(programme_id=programme_id).exists()


@rules.predicate
def is_any_organiser(user) -> bool:
    return two_factor_passed(user) and user.programme_roles.exists()


is_superuser = rules.is_superuser & has_passed_two_factor

rules.add_perm("events.manage_programme", is_superuser | is_programme_organiser)
rules.add_perm("events.manage_event", is_superuser | is_programme_organiser)
rules.add_perm("events.manage_session", is_superuser | is_programme_organiser)
rules.add_perm("events.organiser_area", is_superuser | is_any_organiser)
