"""The 40,000-fan opening as a load test: `python -m bench opening` (locust, headless).

Drops and recreates the scratch database $BENCH_DATABASE (default `corridor_opening`) on
127.0.0.1:5432, migrates it and builds (`opening_world`, valid at any hour) a match kicking off in
30 minutes at a venue with GATES gates, one gate device per gate, FANS ticket credentials spread over
the gates and HOLDERS of them bought as real (free) orders by signed-in fans whose phones open their
ticket pages. gunicorn (WORKERS sync workers, production-like settings, psycopg's pool) serves
config.wsgi on a free loopback port with the shared cache in Redis ($BENCH_REDIS_URL, default db 7).
Locust then runs bench/locustfile.py headless against 127.0.0.1 only: the opening compressed into
SECONDS with its arrival profile kept (see that file). The run stops by itself (the shape ends it,
and a timeout backs that up) and the server is stopped whatever happens.

Only the number of fans is scaled down (setup time); the rate at which they arrive per second of
compressed time is higher than the real opening's, so the peak asks more of the server than the
real one would, and the figure that matters is the scan rate the server sustains while the queue is
long, with the latency each request had meanwhile.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import scans

BASE_DIR = Path(__file__).resolve().parent.parent
GATES = 24
FANS = int(os.environ.get("OPENING_FANS", "9000"))
HOLDERS = int(os.environ.get("OPENING_HOLDERS", "300"))
WORKERS = int(os.environ.get("OPENING_WORKERS") or 0) or scans.WORKERS  # config/gunicorn.py's by default
SECONDS = float(os.environ.get("OPENING_SECONDS", "150"))
REAL_FANS = 40_000
REAL_SECONDS = 30 * 60


def gate_code(index: int) -> str:
    return f"gate-{index + 1:02d}"


def opening_world(fans: int, holders: int, gates: int = GATES) -> dict:
    """A match kicking off in 30 minutes (events spanning yesterday to tomorrow in local dates, so
    valid whatever the clock says), `gates` gates with a device each, and `fans` credentials valid
    now: `holders` of them tickets of free orders placed by verified fans, the rest bare credentials.
    Returns {"gates": [{"gate", "token", "codes"}], "holders": [{"user", "ticket"}], "session"}."""
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from events.enums import Discipline, EventStatus, SessionKind, VenueKind, VenueResourceKind
    from events.models import City, Event, Programme, Session, Venue, VenueResource
    from tests.factories.ticketing import QuotaFactory, TicketTypeFactory, buyer
    from ticketing.enums import CredentialKind
    from ticketing.services.carts import cart_add
    from ticketing.services.credentials import credential_issue
    from ticketing.services.gate_devices import gate_device_create
    from ticketing.services.orders import order_place
    from ticketing.signing import credential_code

    now = timezone.now()
    today = timezone.localdate(now)
    yesterday, tomorrow = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    city = City.objects.create(slug="opening-city", name_zh="开幕城", name_en="Opening City")
    programme = Programme.objects.create(
        slug="opening", name_zh="开幕", name_en="Opening", start_date=yesterday, end_date=tomorrow
    )
    venue = Venue.objects.create(
        slug="opening-stadium",
        city=city,
        name_zh="开幕体育场",
        name_en="Opening Stadium",
        address_zh="上海市",
        address_en="Shanghai",
        kind=VenueKind.STADIUM,
        capacity=REAL_FANS + 5_000,
        latitude=Decimal("31.245260"),
        longitude=Decimal("121.403180"),
    )
    codes_by_gate = [gate_code(index) for index in range(gates)]
    for index, code in enumerate(codes_by_gate):
        VenueResource.objects.create(
            venue=venue,
            kind=VenueResourceKind.GATE,
            code=code,
            name_zh=f"{index + 1}号入口",
            name_en=f"Gate {index + 1}",
        )
    event = Event.objects.create(
        programme=programme,
        slug="opening-match",
        name_zh="开幕赛",
        name_en="Opening match",
        host_city=city,
        venue=venue,
        discipline=Discipline.FOOTBALL,
        status=EventStatus.PUBLISHED,
        start_date=yesterday,
        end_date=tomorrow,
    )
    session = Session.objects.create(
        event=event,
        venue=venue,
        kind=SessionKind.MATCH,
        name_zh="开幕赛场次",
        name_en="Opening match",
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(minutes=150),
    )
    gate_rows = []
    for code in codes_by_gate:
        _device, token = gate_device_create(name=f"Scanner {code}", event=event, gates=[code])
        gate_rows.append({"gate": code, "token": token, "codes": []})
    ticket_type = TicketTypeFactory(
        session=session, price_fen=0, max_per_order=1, quota=QuotaFactory(session=session, capacity=fans)
    )
    codes = []
    holder_rows = []
    for _index in range(holders):
        user = buyer()
        cart_add(user=user, ticket_type=ticket_type, quantity=1)
        ticket = order_place(user=user, provider="free").tickets.select_related("credential").get()
        codes.append(credential_code(ticket.credential))
        holder_rows.append({"user": user, "ticket": str(ticket.credential.public_id)})
    with transaction.atomic():  # one commit for all rows: setup time is not what is measured
        for _index in range(fans - holders):
            credential = credential_issue(
                kind=CredentialKind.TICKET,
                event=event,
                session=session,
                valid_from=session.starts_at - dt.timedelta(hours=3),
                valid_until=session.ends_at + dt.timedelta(hours=1),
            )
            codes.append(credential_code(credential))
    for index, code in enumerate(codes):
        gate_rows[index % gates]["codes"].append(code)
    return {"gates": gate_rows, "holders": holder_rows, "session": session}


def _prepare(out_path: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    # The pages are served as in production (DEBUG off): the manifest of hashed static files must exist.
    call_command("collectstatic", verbosity=0, interactive=False)
    world = opening_world(FANS, HOLDERS)
    holders = []
    for row in world["holders"]:
        client = Client()
        client.force_login(row["user"])
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        holders.append({"cookie": cookie, "ticket": row["ticket"]})
    Path(out_path).write_text(json.dumps({"gates": world["gates"], "holders": holders}))


def _stats(csv_path: Path) -> dict[str, dict]:
    with csv_path.open() as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def _no_exceptions(csv_path: Path) -> None:
    """Raise when a locust task raised: its request reached none of the counts (locust records a
    request only when its `with` block ends), so the figures would leave it out, not fail."""
    if not csv_path.exists():
        return
    with csv_path.open() as handle:
        rows = list(csv.DictReader(handle))
    if rows:
        first = rows[0]
        raise RuntimeError(
            f"the load test raised {sum(int(row['Count']) for row in rows)} time(s), first: "
            f"{first['Message']}; no figures from this run"
        )


def _scan_rates(results: dict) -> dict:
    """Live scans per second over the whole run and while the queue was long (the peak until the
    last fan of the peak was scanned), and the wait at the gate."""
    seconds = results["seconds"]
    times = sorted(results["scans"])
    peak_from = seconds * 2 / 3
    in_peak = [t for t in times if t >= peak_from]
    peak_span = (in_peak[-1] - peak_from) if in_peak else float("nan")
    pages_in_peak = [t for t in results.get("pages", []) if peak_from <= t < seconds]
    waits = sorted(wait for _due, wait in results["queue_waits"])
    peak_waits = sorted(wait for due, wait in results["queue_waits"] if due >= peak_from)

    def pct(values, fraction):
        return values[min(len(values) - 1, round(fraction * (len(values) - 1)))] if values else float("nan")

    return {
        "live": len(times),
        "uploaded": sum(count for _t, count in results["uploaded"]),
        "overall_rate": len(times) / times[-1] if times else 0.0,
        "peak_rate": len(in_peak) / peak_span if in_peak else 0.0,
        "peak_pages": len(pages_in_peak) / (seconds - peak_from),
        "peak_offered": results["fans"] * 5 / 7 / (seconds / 3),
        "base_offered": results["fans"] * 2 / 7 / (seconds * 2 / 3),
        "wait_p50": pct(waits, 0.5),
        "wait_p95_peak": pct(peak_waits, 0.95),
        "wait_max": waits[-1] if waits else float("nan"),
        "refused": len(results["refused"]),
        # Fans still in a gate's queue when the run stopped: their wait is not in the wait figures.
        "never_reached": results["fans"] - len(results["queue_waits"]),
    }


def main() -> list[dict]:
    # The scans module's helpers read its DB_NAME: point them at this benchmark's own database.
    saved_db, scans.DB_NAME = scans.DB_NAME, os.environ.get("BENCH_DATABASE", "corridor_opening")
    try:
        return _run()
    finally:
        scans.DB_NAME = saved_db


def _run() -> list[dict]:
    env = scans._server_env()
    server = None
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="corridor-opening-") as scratch:
        scratch_path = Path(scratch)
        fixtures_path, results_path = scratch_path / "fixtures.json", scratch_path / "results.json"
        log_path = scratch_path / "gunicorn.log"
        with log_path.open("wb") as log:
            try:
                scans._recreate_database()
                subprocess.run(
                    [sys.executable, "-m", "bench.opening", "--prepare", str(fixtures_path)],
                    cwd=BASE_DIR,
                    env={**env, "OPENING_FANS": str(FANS), "OPENING_HOLDERS": str(HOLDERS)},
                    check=True,
                    timeout=600,
                )
                setup_seconds = time.monotonic() - started
                saved_workers, scans.WORKERS = scans.WORKERS, WORKERS
                try:
                    server, port = scans._start_gunicorn("config.wsgi", env, log)
                finally:
                    scans.WORKERS = saved_workers
                scans._wait_ready(server, port)
                load_env = {
                    key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")
                } | {
                    "OPENING_FIXTURES": str(fixtures_path),
                    "OPENING_RESULTS": str(results_path),
                    "OPENING_SECONDS": str(SECONDS),
                }
                subprocess.run(
                    [
                        str(BASE_DIR / ".venv" / "bin" / "locust"),
                        "-f",
                        str(BASE_DIR / "bench" / "locustfile.py"),
                        "--headless",
                        "--host",
                        f"http://127.0.0.1:{port}",
                        "--csv",
                        str(scratch_path / "opening"),
                        "--only-summary",
                        "--loglevel",
                        "WARNING",
                        "--stop-timeout",
                        "10",
                    ],
                    cwd=BASE_DIR,
                    env=load_env,
                    check=False,  # locust exits 1 when any request failed; the rows below say how many
                    timeout=SECONDS + 240,
                )
                scans._still_serving(server)
                _no_exceptions(scratch_path / "opening_exceptions.csv")
                stats = _stats(scratch_path / "opening_stats.csv")
                results = json.loads(results_path.read_text())
            except BaseException:
                log.flush()
                sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
                raise
            finally:
                scans._stop(server)
    counts = scans._scan_counts()
    return _rows(stats, _scan_rates(results), counts, setup_seconds)


def _rows(stats: dict[str, dict], rates: dict, counts: dict[str, int], setup_seconds: float) -> list[dict]:
    load_average = "/".join(f"{value:.1f}" for value in os.getloadavg())
    total = stats.get("Aggregated", {})
    rows = [
        {
            "benchmark": "opening: sustained live scan rate at the peak",
            "value": f"{rates['peak_rate']:.0f}",
            "unit": "scans/s",
            "note": f"offered {rates['peak_offered']:.0f}/s at the peak ({rates['base_offered']:.0f}/s before); "
            f"with {rates['peak_pages']:.0f} page views/s served meanwhile; {FANS} fans, 24 gates, {SECONDS:.0f} s for the 30 minutes, {WORKERS} sync workers",
        },
        {
            "benchmark": "opening: live scans over the whole run",
            "value": f"{rates['overall_rate']:.0f}",
            "unit": "scans/s",
            "note": f"{rates['live']} live + {rates['uploaded']} uploaded offline; stored admitted "
            f"{counts.get('admitted', 0)}, still queued at the end "
            f"{FANS - rates['live'] - rates['uploaded']}, other results {sum(counts.values()) - counts.get('admitted', 0)}",
        },
        {
            "benchmark": "opening: wait at the gate p50 / p95 at the peak / max",
            "value": f"{rates['wait_p50']:.1f} / {rates['wait_p95_peak']:.1f} / {rates['wait_max']:.1f}",
            "unit": "s",
            "note": "from the fan's arrival (profile) to the device starting the scan"
            + (
                f"; {rates['never_reached']} fans never reached a device before the run stopped: their "
                "waits are longer and are not in these figures"
                if rates["never_reached"]
                else "; every fan reached a device"
            ),
        },
    ]
    for name, row in stats.items():
        if name == "Aggregated":
            continue
        rows.append(
            {
                "benchmark": f"opening: {name} p50 / p95 / p99",
                "value": f"{row['50%']} / {row['95%']} / {row['99%']}",
                "unit": "ms",
                "note": f"{row['Request Count']} requests, {row['Failure Count']} failed",
            }
        )
    rows.append(
        {
            "benchmark": "opening: errors",
            "value": str(total.get("Failure Count", "?")),
            "unit": "failed requests",
            "note": f"of {total.get('Request Count', '?')}; {rates['refused']} scans not admitted; setup "
            f"{setup_seconds:.0f} s; load average after the run {load_average} (machine shared)",
        }
    )
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        _prepare(sys.argv[2])
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()
        for row in main():
            print(row)
