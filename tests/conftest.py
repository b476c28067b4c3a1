"""Shared test harness: markers that skip with a visible reason, and the browser-journey fixtures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (CI does)")
            )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits, holds and staged imports live in the cache: no test sees another's."""
    from django.core.cache import cache

    from ticketing.selectors import checkin

    cache.clear()
    checkin._local_gate_names.clear()  # the per-process copy in front of the cache


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a previous test client request with
    Accept-Language: en leaves English active in this thread (LocaleMiddleware never deactivates)."""
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def english():
    """Messages asserted in English (the site's default language is Chinese; its catalogue has its own tests)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright. Never downloads a browser."""
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must apt-get install chromium")
        pytest.skip(f"browser journeys need {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    playwright_sync = pytest.importorskip("playwright.sync_api")
    # Playwright runs an event loop in this thread; Django's ORM calls from the live server thread are fine.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser):
    """A phone-sized page; a failing journey leaves a screenshot in test-artifacts/."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def queued(monkeypatch):
    """What would reach the broker: the arguments the mail task is queued with (tasks run eagerly here)."""
    from celery import current_app

    from events.mail import MAIL_TASK

    task = current_app.tasks[MAIL_TASK]
    seen: list[tuple] = []
    real = task.delay

    def record(*args):
        seen.append(args)
        return real(*args)

    monkeypatch.setattr(task, "delay", record)
    return seen
