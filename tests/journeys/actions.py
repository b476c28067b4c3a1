"""What a person does in the browser journeys: log in through the real allauth page, and scan at the
gate the way a keyboard-wedge scanner does."""

from __future__ import annotations

from django.conf import settings

PASSWORD = "correct horse battery staple"  # the factories' password


def log_in(page, live_server, email: str, password: str = PASSWORD) -> None:
    """Log in as `email` on the login page. Whoever was logged in on this page is logged out first
    (their session cookie dropped); other cookies, such as the chosen language, stay."""
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form").filter(has=page.locator("input[name=login]")).locator("button[type=submit]").click()
    page.wait_for_load_state()


def scan_with_wedge(page, code: str) -> None:
    """What a keyboard-wedge scanner does: type into whatever has focus, then Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def ready_for_next_scan(page) -> bool:
    """The gate page's code input has focus and is empty: the next scan can be typed at once."""
    return page.evaluate(
        "document.activeElement && document.activeElement.id === 'gate-code'"
        " && document.activeElement.value === ''"
    )


def pass_two_factor(page, code: str) -> None:
    """Type the authenticator's code on allauth's two-factor step and submit it."""
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", code)
    page.locator("form").filter(has=page.locator("input[name=code]")).locator(
        "button[type=submit]"
    ).first.click()
    page.wait_for_load_state()


# A Chinese character followed by an ASCII colon: Chinese text takes the full-width "：".
_ASCII_COLON_IN_CHINESE = r"[\u4e00-\u9fff\uff09]:(?!//)"


def page_problems(page, *, chinese: bool) -> list[str]:
    """What a person would notice on this page: content wider than the screen (the page scrolls
    sideways; a wide table scrolling inside its own box is fine), and in Chinese an ASCII colon."""
    problems = []
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 1:
        problems.append(f"{page.url}: the page is {overflow}px wider than the screen")
    if chinese:
        found = page.evaluate(
            "pattern => (document.body.innerText.match(new RegExp('.{0,12}' + pattern + '.{0,12}', 'g')) || [])",
            _ASCII_COLON_IN_CHINESE,
        )
        problems.extend(f"{page.url}: ASCII colon in Chinese: {text!r}" for text in found)
    return problems
