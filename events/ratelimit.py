"""Counting misses in the shared cache: mistyped codes, wrong PINs.

A key counts misses for one window that starts at the first miss; once it reaches the limit the
caller refuses further attempts until the window ends. Counting is atomic where the cache is
(Redis `INCR`), so two workers never lose a miss between them.
"""

from __future__ import annotations

from django.core.cache import cache


def misses_exhausted(*keys: str, limit: int) -> bool:
    """Whether any of these keys already counts `limit` misses in its window."""
    counts = cache.get_many(list(keys))
    return any((counts.get(key) or 0) >= limit for key in keys)


def miss_record(*keys: str, window_seconds: int) -> None:
    """Count one miss against each key; a key's window starts at its first miss."""
    for key in keys:
        cache.add(key, 0, timeout=window_seconds)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds)
