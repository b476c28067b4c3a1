"""The one permission helper: fetch an object only if the user holds the scoped permission on it.

A missing permission looks exactly like a missing object (404), so nobody can probe for another
team's or organiser's data.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import Http404


def get_for_user_or_404(queryset: QuerySet, *, user, perm: str, **lookup) -> Model:
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not user.has_perm(perm, obj):
        raise Http404
    return obj


def require_perm_or_404(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise Http404
