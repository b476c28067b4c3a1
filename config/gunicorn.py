"""gunicorn's settings for every Corridor app server: `gunicorn -c config/gunicorn.py config.wsgi`.

The benchmarks start their servers with this file too, so what they measure is what production runs.

Workers: `WEB_CONCURRENCY` (gunicorn's own variable), else WORKERS_PER_CORE sync workers per core.
Measured on a quiet 2-core machine (BENCHMARKS.md, 2026-11-30 22:47 UTC): 4 workers served 600 gate
scans/s and 8 workers 481, with the machine's idle time near zero in both, so the write paths are
bound by CPU, not by the commit's wait for the disk (one connection commits about 1,500 times a second
there, `python -m bench commits`); extra workers only add switching. On a slower disk (a commit's
flush took 4 ms on the same machine under load) more workers keep the cores busy during flushes: raise
WEB_CONCURRENCY there and measure with `bench scans`. Each worker holds one database connection, so
PostgreSQL's max_connections must cover workers × app servers (plus Celery).
"""

from __future__ import annotations

import os

WORKERS_PER_CORE = 2

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or WORKERS_PER_CORE * (os.cpu_count() or 1))
worker_class = "sync"
timeout = 30  # a request past this is a bug or a stuck database: the worker is restarted
graceful_timeout = 30
