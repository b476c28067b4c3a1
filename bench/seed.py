"""The demo season: `seed_demo` on a fresh database, slice by slice, against building that database.

The baseline is creating the test database (every migration), measured in the same run; the figures
are the first seed (everything written), each slice's share of it, and the re-seed (idempotent: it
should find everything in place and write nothing). Runs on an in-memory SQLite test database with
the clock at 10:00 Shanghai time, as `make run` would on any day.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import time
import zoneinfo


def main() -> list[dict]:
    import time_machine
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import override_settings, setup_test_environment, teardown_test_environment

    from events.management.commands.seed_demo import demo_modules

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    started = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    migrate = time.perf_counter() - started
    today = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date()
    ten = dt.datetime.combine(today, dt.time(10), tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    slices: list[tuple[str, float]] = []
    try:
        with (
            time_machine.travel(ten, tick=False),
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        ):
            for name in demo_modules():
                module = importlib.import_module(name)
                began = time.perf_counter()
                with transaction.atomic():
                    module.seed()
                slices.append((name, time.perf_counter() - began))
            began = time.perf_counter()
            call_command("seed_demo", stdout=io.StringIO())
            reseed = time.perf_counter() - began
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    first = sum(seconds for _name, seconds in slices)
    rows = [
        {"benchmark": "seed: create the database (baseline)", "value": f"{migrate:.1f}", "unit": "s"},
        {
            "benchmark": "seed: first seed_demo",
            "value": f"{first:.1f}",
            "unit": "s",
            "note": f"{first / migrate:.1f}x the baseline",
        },
        {
            "benchmark": "seed: seed_demo again (nothing to write)",
            "value": f"{reseed:.1f}",
            "unit": "s",
            "note": f"{reseed / migrate:.1f}x the baseline",
        },
    ]
    for name, seconds in sorted(slices, key=lambda item: -item[1])[:6]:
        rows.append(
            {
                "benchmark": f"seed: slice {name}",
                "value": f"{seconds:.1f}",
                "unit": "s",
                "note": f"{seconds / first:.0%} of the first seed",
            }
        )
    return rows
