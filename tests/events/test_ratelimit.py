"""The shared miss counter: an attempt is counted before it is judged, so racing attempts cannot
both pass the limit, and a successful attempt is given back."""

from __future__ import annotations

import threading

from django.core.cache import cache

from events.ratelimit import attempt_refund, attempt_reserve


def test_misses_up_to_the_limit_pass_then_every_attempt_is_refused():
    cache.delete("t:misses")
    assert [attempt_reserve("t:misses", limit=3, window_seconds=60) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert cache.get("t:misses") == 3  # refused attempts are not counted on top


def test_a_successful_attempt_is_given_back():
    cache.delete("t:ok")
    for _ in range(10):
        assert attempt_reserve("t:ok", limit=2, window_seconds=60)
        attempt_refund("t:ok")
    assert cache.get("t:ok") == 0


def test_a_key_over_the_limit_refuses_and_leaves_the_other_keys_as_they_were():
    cache.set("t:child", 5, timeout=60)
    cache.delete("t:person")
    assert not attempt_reserve("t:person", "t:child", limit=5, window_seconds=60)
    assert cache.get("t:person") == 0 and cache.get("t:child") == 5


def test_racing_attempts_never_pass_the_limit_together():
    cache.delete("t:race")
    passed = []
    barrier = threading.Barrier(8)

    def attempt():
        barrier.wait()
        passed.append(attempt_reserve("t:race", limit=3, window_seconds=60))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert passed.count(True) == 3
