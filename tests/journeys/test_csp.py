"""In Chromium, under the Content-Security-Policy: the API docs render from our own assets and the
language switch (no inline handler any more) still switches; the browser reports no violation."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: found.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return found


def test_api_docs_render_offline_under_the_policy(page, live_server):
    found = violations(page)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Corridor API" in page.inner_text(".swagger-ui .info .title")
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requested)
    assert found == []


def test_language_switch_submits_without_inline_script(page, live_server):
    found = violations(page)
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert found == []
