"""The race harness for concurrency tests: real threads, each with its own database connection.

`race` starts every call at the same instant (a barrier) and collects what each returned or raised;
`hold_after` and `pause_after` widen a race window right after the step that old code checked
without a lock, so a passing test proves the lock and its control run proves the race is real.
Locks only mean something on PostgreSQL: mark these tests `postgres` and `django_db(transaction=True)`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from django.db import close_old_connections, connection, transaction

START_WAIT = 10  # seconds a thread waits at the start line for the others
JOIN_WAIT = 30  # seconds a thread may take before the race counts it as hung
HOLD_WAIT = 1.5  # seconds `hold_after` waits for the other thread (which, behind a lock, never comes)


class RaceHungError(AssertionError):
    """A racing thread was still running after JOIN_WAIT: a deadlock or a lock never released."""


class Race(NamedTuple):
    results: list[Any]  # in the order the calls returned
    errors: list[BaseException]  # in the order the calls raised


def race(calls: Sequence[Callable[[], Any]]) -> Race:
    """Run each call in its own thread, all released together; return what they returned and raised.

    Every thread closes its own connection when done, so the test database can be dropped; a thread
    still running after JOIN_WAIT is reported as a RaceHungError among the errors.
    """
    start = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            start.wait(timeout=START_WAIT)
            results.append(call())
        except BaseException as error:  # collected for the test to assert on
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_WAIT)
    hung = [thread for thread in threads if thread.is_alive()]
    close_old_connections()
    errors.extend(RaceHungError(f"{thread.name} still running after {JOIN_WAIT} s") for thread in hung)
    return Race(results, errors)


def hold_after(monkeypatch, owner: object, name: str, parties: int = 2) -> None:
    """Make owner.name wait (up to HOLD_WAIT) for the other threads right after it returns.

    Without a lock every thread reaches this point and the barrier lets them on together; with the
    lock the others wait on it, the barrier times out for the first, and the others then see its work.
    """
    barrier = threading.Barrier(parties)
    real = getattr(owner, name)

    def held(*args, **kwargs):
        result = real(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=HOLD_WAIT)
        return result

    monkeypatch.setattr(owner, name, held)


def pause_after(monkeypatch, owner: object, name: str, seconds: float) -> None:
    """Make owner.name sleep for `seconds` right after it returns, so an unlocked race would show."""
    real = getattr(owner, name)

    def paused(*args, **kwargs):
        result = real(*args, **kwargs)
        time.sleep(seconds)
        return result

    monkeypatch.setattr(owner, name, paused)


def stop_before(
    monkeypatch, owner: object, name: str, reached: threading.Event, go_on: threading.Event
) -> None:
    """Make owner.name set `reached`, then wait (up to START_WAIT) for `go_on` before it runs, so
    another thread can take a lock at exactly that point."""
    real = getattr(owner, name)

    def stopped(*args, **kwargs):
        reached.set()
        assert go_on.wait(START_WAIT), f"{name} waited for the other thread in vain"
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, stopped)


def locked_then(model, pk: int, locked: threading.Event, call: Callable[[], Any]) -> Any:
    """In one transaction: lock the `model` row `pk`, set `locked`, then run `call` (which may wait
    for a lock another thread holds)."""
    with transaction.atomic():
        list(model.objects.select_for_update().filter(pk=pk).values_list("pk"))
        locked.set()
        return call()
