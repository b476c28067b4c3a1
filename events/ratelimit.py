"""Counting misses in the shared cache: mistyped codes, wrong PINs.

A key counts attempts for one window that starts at the first. An attempt is reserved *before* it
is judged (`attempt_reserve`: one atomic `INCR` per key in Redis), and given back when it succeeds
(`attempt_refund`), so what stays counted are the misses. Because the count moves before the check,
two workers trying at the same instant can never both slip past the limit: the one whose `INCR`
goes over it is refused.
"""

from __future__ import annotations

from contextlib import suppress

from django.core.cache import cache


def _incr(key: str, window_seconds: int) -> int:
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def _decr(key: str) -> None:
    with suppress(ValueError):  # the window ended meanwhile: nothing left to give back
        cache.decr(key)


def attempt_reserve(*keys: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt against each key; False (and nothing counted) if any key would then hold
    more than `limit`. A key's window starts at its first attempt."""
    counted = []
    for key in keys:
        counted.append(key)
        if _incr(key, window_seconds) > limit:
            for done in counted:
                _decr(done)
            return False
    return True


def attempt_refund(*keys: str) -> None:
    """The reserved attempt succeeded: it is not a miss."""
    for key in keys:
        _decr(key)
