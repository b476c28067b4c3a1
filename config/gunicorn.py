"""gunicorn's settings for every Corridor app server: `gunicorn -c config/gunicorn.py config.wsgi`.

The benchmarks start their servers with this file too, so what they measure is what production runs.

Workers: `WEB_CONCURRENCY` (gunicorn's own variable), else WORKERS_PER_CORE per core. Sync workers
outnumber the cores on purpose. Every write (a gate scan, a redemption, an order) ends in a COMMIT that
waits for PostgreSQL to flush its write-ahead log to disk, and PostgreSQL flushes the commits waiting
at that moment together: measured on these machines (BENCHMARKS.md, "commits and the disk"), one
connection committing in a loop reaches about 700 commits/s and eight reach about 2,100. A worker
waiting for its flush holds no core, so with only as many workers as cores the cores sit idle during
every flush and few commits share one. Each worker holds one database connection (DATABASE_POOL_SIZE
or a persistent connection), so PostgreSQL's max_connections must cover workers × app servers.
"""

from __future__ import annotations

import os

WORKERS_PER_CORE = 4

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or WORKERS_PER_CORE * (os.cpu_count() or 1))
worker_class = "sync"
timeout = 30  # a request past this is a bug or a stuck database: the worker is restarted
graceful_timeout = 30
