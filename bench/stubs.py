"""Stub redemptions per second through gunicorn on PostgreSQL: each is a counter's prepare (read the
code, list what it can take here now) then consume (idempotency key, bill, receipt) of a distinct
stub, against the bare Django JSON endpoint (bench/wsgi_bare.py) behind the same gunicorn setup in
the same run. Shares bench/scans.py's scratch database, server environment and process handling.

The fixture subprocess builds gate_world's event (a session on now), a merchant with a store in its
host city and a live once-per-stub percentage offer, a till of that store (bearer token, issued by the
merchant's owner), a counter staff member with a logged-in session (cookie and CSRF token, as the
counter page sends them) and N paid tickets whose stubs the service issues; the load uses each
ticket's own code (the counter's offline fallback). Two loads, redeeming through the till and through
the session, are interleaved with the bare endpoint in rounds; redemptions/s (two requests each)
divided by the bare endpoint's requests/s, median round, is the figure for each.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.scans import (
    BASE_DIR,
    CONNECTIONS,
    ROUNDS,
    SECONDS,
    WARMUP,
    WORKERS,
    _all_answered,
    _bare_ok,
    _Load,
    _percentile,
    _recreate_database,
    _server_env,
    _start_gunicorn,
    _still_serving,
    _stop,
    _wait_ready,
)

STUBS = (
    8_000  # a used stub is not offered again: both loads draw from these (4,000 ran out in the last round)
)
BILL_FEN = 12_000


def _redeem_load(port: int, fixtures: dict, seconds: float, codes, *, auth: str = "till") -> dict:
    """CONNECTIONS threads, each redeeming the next stub of `codes`: prepare, then consume its offer,
    signed in as a till (`Authorization: Bearer`, the high-volume client) or with the staff member's
    session cookie and CSRF token (the counter page). `codes` is one iterator shared by every load
    of the run: a stub redeemed once is used up (its offer is once per stub), so offering it again
    would count as a refusal."""
    lock = threading.Lock()
    headers = {"Content-Type": "application/json"}
    if auth == "till":
        headers["Authorization"] = f"Bearer {fixtures['till_token']}"
    else:
        headers.update(
            {
                "Cookie": f"{fixtures['session_cookie']}={fixtures['session']}; csrftoken={fixtures['csrf']}",
                "X-CSRFToken": fixtures["csrf"],
                "Referer": f"http://127.0.0.1:{port}/",
            }
        )
    pairs: list[list[float]] = [[] for _ in range(CONNECTIONS)]
    errors = [0] * CONNECTIONS
    exhausted = threading.Event()
    deadline = time.perf_counter() + seconds

    def post(connection, path: str, body: dict) -> tuple[int, dict]:
        connection.request("POST", path, body=json.dumps(body).encode(), headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")

    def worker(slot: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < deadline:
            with lock:
                code = next(codes, None)
            if code is None:
                exhausted.set()
                return
            started = time.perf_counter()
            try:
                status, prepared = post(
                    connection, "/api/counter/prepare", {"store": fixtures["store"], "code": code}
                )
                offers = (
                    [o for o in prepared.get("offers", []) if o.get("redeemable")] if status == 200 else []
                )
                if not offers:
                    errors[slot] += 1
                    continue
                status, receipt = post(
                    connection,
                    "/api/counter/consume",
                    {
                        "store": fixtures["store"],
                        "code": code,
                        "offer": offers[0]["id"],
                        "idempotency_key": f"bench-{auth}-{slot}-{code[-16:]}",
                        "bill_fen": BILL_FEN,
                    },
                )
            except (OSError, http.client.HTTPException, ValueError, AttributeError, TypeError):
                connection.close()  # no answer, or not the JSON object it should be
                errors[slot] += 1
                continue
            if status == 200 and receipt.get("receipt_number"):
                pairs[slot].append(time.perf_counter() - started)
            else:
                errors[slot] += 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    merged = sorted(itertools.chain.from_iterable(pairs))
    return {
        "rate": len(merged) / elapsed,
        "count": len(merged),
        "p50": _percentile(merged, 0.5),
        "p99": _percentile(merged, 0.99),
        "errors": sum(errors),
        "exhausted": exhausted.is_set(),
        "latencies": merged,
        "elapsed": elapsed,
    }


def _measure_rounds(app_port: int, fixtures: dict, codes, bare: _Load) -> dict:
    """Warm all three loads up, then ROUNDS rounds of a till slice, a session slice and a bare slice
    (SECONDS / ROUNDS each), as bench/scans.py interleaves its two: on a shared machine the load
    moves, so each round's ratios compare slices measured a moment apart; the median round is the
    figure. Returns the totals of each load and the per-round ratios."""
    _redeem_load(app_port, fixtures, WARMUP, codes, auth="till")
    _redeem_load(app_port, fixtures, WARMUP, codes, auth="session")
    bare.run(WARMUP)
    rounds = []
    for _round in range(ROUNDS):
        till = _redeem_load(app_port, fixtures, SECONDS / ROUNDS, codes, auth="till")
        session = _redeem_load(app_port, fixtures, SECONDS / ROUNDS, codes, auth="session")
        count, _latencies, errors, elapsed = bare.run(SECONDS / ROUNDS)
        rounds.append({"till": till, "session": session, "bare": {"rate": count / elapsed, "errors": errors}})
    # A round whose stubs ran out in either redemption slice is left out of the ratios (its rate is
    # short or 0), as bench/scans.py leaves out a round whose tickets ran out.
    kept = [r for r in rounds if not (r["till"]["exhausted"] or r["session"]["exhausted"])]
    if not kept:
        raise RuntimeError(f"every round ran out of stubs ({STUBS}): raise STUBS")
    totals = {}
    for name in ("till", "session"):
        runs = [r[name] for r in rounds]
        latencies = sorted(itertools.chain.from_iterable(run["latencies"] for run in runs))
        totals[name] = {
            "rate": sum(run["count"] for run in runs) / sum(run["elapsed"] for run in runs),
            "p50": _percentile(latencies, 0.5),
            "p99": _percentile(latencies, 0.99),
            "errors": sum(run["errors"] for run in runs),
            "exhausted": any(run["exhausted"] for run in runs),
            "ratios": [r[name]["rate"] / r["bare"]["rate"] for r in kept],
        }
    totals["bare"] = {
        "rate": statistics.mean(r["bare"]["rate"] for r in rounds),
        "errors": sum(r["bare"]["errors"] for r in rounds),
    }
    return totals


def _redemption_count(env: dict) -> int:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as connection:
        return connection.execute("SELECT count(*) FROM tourism_redemption").fetchone()[0]


def main() -> list[dict]:
    started = time.monotonic()
    env = _server_env()
    app_server = bare_server = None
    with tempfile.TemporaryDirectory(prefix="corridor-bench-stubs-") as scratch:
        fixtures_path = Path(scratch) / "fixtures.json"
        log_path = Path(scratch) / "gunicorn.log"
        with log_path.open("wb") as log:
            try:
                _recreate_database()
                subprocess.run(
                    [sys.executable, "-m", "bench.stubs", "--prepare", str(fixtures_path), str(STUBS)],
                    cwd=BASE_DIR,
                    env=env,
                    check=True,
                    timeout=300,
                )
                prepared_at = time.monotonic()
                fixtures = json.loads(fixtures_path.read_text())
                app_server, app_port = _start_gunicorn("config.wsgi", env, log)
                bare_server, bare_port = _start_gunicorn("bench.wsgi_bare", env, log)
                _wait_ready(app_server, app_port, timeout=90)  # 4 workers start slowly on a loaded machine
                _wait_ready(bare_server, bare_port, timeout=90)
                codes = iter(fixtures["codes"])
                bare_body = json.dumps({"store": fixtures["store"], "code": fixtures["codes"][0]}).encode()
                bare_load = _Load(
                    bare_port,
                    "/ok",
                    {"Content-Type": "application/json"},
                    itertools.repeat(bare_body),
                    _bare_ok,
                )
                measured = _measure_rounds(app_port, fixtures, codes, bare_load)
                _still_serving(app_server, bare_server)
                _all_answered("redemptions by till", measured["till"], "failed")
                _all_answered("redemptions by session", measured["session"], "failed")
                _all_answered("bare endpoint", measured["bare"], "failed")
            except BaseException:
                log.flush()
                sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
                raise
            finally:
                _stop(app_server)
                _stop(bare_server)
        stored = _redemption_count(env)
    load_average = "/".join(f"{value:.1f}" for value in os.getloadavg())
    setup = (
        f"{WORKERS} sync workers, {CONNECTIONS} client threads, {ROUNDS} interleaved rounds of "
        f"{SECONDS / ROUNDS:.0f} s per load after {WARMUP:.0f} s warm-up each"
    )
    bare = measured["bare"]
    rows = []
    for name, label in (("till", "till token (Bearer)"), ("session", "staff session cookie + CSRF")):
        load = measured[name]
        ratios = load["ratios"]
        exhausted = " (ran out of stubs early)" if load["exhausted"] else ""
        rows += [
            {
                "benchmark": f"stub redemptions, {label} (prepare + consume, each a distinct stub)",
                "value": f"{load['rate']:.0f}",
                "unit": "redemptions/s",
                "note": f"gunicorn + PostgreSQL, {setup}; {load['errors']} refused or failed{exhausted}",
            },
            {
                "benchmark": f"redemption latency, {label} (both requests) p50 / p99",
                "value": f"{load['p50']:.1f} / {load['p99']:.1f}",
                "unit": "ms",
                "note": "POST /api/counter/prepare then /api/counter/consume",
            },
            {
                "benchmark": f"redemptions/s ÷ bare req/s, {label}",
                "value": f"{statistics.median(ratios):.2f}",
                "unit": "ratio",
                "note": f"median of {len(ratios)} rounds (each: {', '.join(f'{r:.2f}' for r in ratios)})"
                f"{'' if len(ratios) == ROUNDS else f'; {ROUNDS - len(ratios)} round(s) that ran out of stubs left out'}; "
                "a redemption is two requests",
            },
            {
                "benchmark": f"counter requests/s ÷ bare req/s, {label} (per request, not the target's measure)",
                "value": f"{2 * statistics.median(ratios):.2f}",
                "unit": "ratio",
                "note": "twice the row above: prepare and consume counted as requests; the issue's target "
                "(>= 0.4) is the row above, redemption pairs",
            },
        ]
    rows.append(
        {
            "benchmark": "bare Django JSON endpoint (same run, interleaved)",
            "value": f"{bare['rate']:.0f}",
            "unit": "req/s",
            "note": f"bench/wsgi_bare.py behind the same gunicorn; {bare['errors']} errors; "
            f"{stored} Redemption rows stored; setup {prepared_at - started:.0f} s "
            f"({STUBS} tickets and stubs); load average after the run {load_average}",
        }
    )
    return rows


# --- Fixture subprocess (runs with the servers' environment) --------------------------------------------


def _prepare(out_path: str, count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    Path(out_path).write_text(json.dumps(counter_world(count)))


def counter_world(count: int) -> dict:
    """gate_world's event with a merchant, store, live offer, logged-in staff session and `count`
    paid tickets with their stubs; returns what the load generator sends."""
    # Imported here: this runs in the fixture subprocess after django.setup().
    from decimal import Decimal

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone

    from bench.scans import gate_world
    from ticketing.enums import CredentialKind, OrderState, TicketKind, TicketState
    from ticketing.models import Order, OrderLine, Ticket, TicketType
    from ticketing.services.credentials import credential_issue
    from ticketing.signing import credential_code
    from tourism.enums import MerchantCategory, MerchantRole, MerchantStatus, OfferKind, OfferStatus
    from tourism.models import Merchant, MerchantMembership, Offer, Store
    from tourism.services.stubs import stubs_issue_for_tickets
    from tourism.services.tills import till_issue

    world = gate_world(0)
    event, session = world["event"], world["session"]
    now = timezone.now()
    staff = get_user_model().objects.create_user(email="counter@bench.example", password=None)
    merchant = Merchant.objects.create(
        slug="bench-noodles",
        programme=event.programme,
        name_zh="基准面馆",
        name_en="Bench Noodles",
        city=event.host_city,
        category=MerchantCategory.RESTAURANT,
        status=MerchantStatus.APPROVED,
    )
    store = Store.objects.create(
        merchant=merchant,
        name_zh="总店",
        name_en="Main",
        city=event.host_city,
        address_zh="基准路1号",
        latitude=Decimal("31.245"),
        longitude=Decimal("121.403"),
    )
    MerchantMembership.objects.create(user=staff, merchant=merchant, role=MerchantRole.STAFF, store=store)
    owner = get_user_model().objects.create_user(email="owner@bench.example", password=None)
    MerchantMembership.objects.create(user=owner, merchant=merchant, role=MerchantRole.OWNER)
    _till, till_token = till_issue(store=store, name="Till 1", by=owner)
    Offer.objects.create(
        merchant=merchant,
        programme=event.programme,
        name_zh="观赛八折",
        name_en="20% off on match day",
        status=OfferStatus.LIVE,
        kind=OfferKind.PERCENTAGE,
        percent_off=20,
        days_from=-1,
        days_until=2,
    )
    ticket_type = TicketType.objects.create(
        session=session,
        name_zh="成人票",
        name_en="Adult",
        kind=TicketKind.ADULT,
        price_fen=8000,
        max_per_order=6,
    )
    codes = []
    with transaction.atomic():  # one commit for all rows: setup time is not what is measured
        tickets = []
        for _index in range(count):
            order = Order.objects.create(
                user=staff,
                programme=event.programme,
                state=OrderState.PAID,
                provider="demo",
                total_fen=8000,
                paid_at=now,
            )
            line = OrderLine.objects.create(
                order=order,
                ticket_type=ticket_type,
                description_zh="成人票",
                description_en="Adult",
                unit_price_fen=8000,
            )
            credential = credential_issue(
                kind=CredentialKind.TICKET,
                event=event,
                session=session,
                valid_from=session.starts_at,
                valid_until=session.ends_at,
            )
            tickets.append(
                Ticket.objects.create(
                    order=order,
                    line=line,
                    ticket_type=ticket_type,
                    session=session,
                    price_fen=8000,
                    state=TicketState.VALID,
                    credential=credential,
                )
            )
            codes.append(credential_code(credential))
        stubs_issue_for_tickets(tickets=tickets)
    store_session = SessionStore()
    store_session[SESSION_KEY] = str(staff.pk)
    store_session[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS if "rules" not in b)
    store_session[HASH_SESSION_KEY] = staff.get_session_auth_hash()
    store_session.create()
    return {
        "codes": codes,
        "store": store.pk,
        "session": store_session.session_key,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf": _get_new_csrf_string(),
        "till_token": till_token,
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--prepare":
        _prepare(sys.argv[2], int(sys.argv[3]))
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()
        for row in main():
            print(row)
