"""Queue a background task after the current transaction commits, by the task's registered name.

Services sit below tasks in every app's layers (a task parses ids and calls a service), so a service
never imports a tasks module: it names the task. A rolled-back transaction queues nothing, and a
broker that is down (or an eager task that fails) is logged, never turned into an error page after
the data was committed. Every tasks module is imported by its app's `ready()`, so the name resolves
in the web process as in the worker.
"""

from __future__ import annotations

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def job_queue(name: str, *args) -> None:
    """Queue the task registered as `name` now (no transaction involved); failures are logged only."""
    try:
        current_app.tasks[name].delay(*args)
    except Exception:
        # The data is committed; the task's own retries are spent or the broker is down. Log the
        # task's name only: arguments may be sealed mail, ids are enough to find the rest.
        logger.exception("could not run or queue task %s", name)


def job_queue_after_commit(name: str, *args) -> None:
    """Queue the task registered as `name` with `args` once the surrounding transaction commits."""
    transaction.on_commit(lambda: job_queue(name, *args))
