"""A real localstripe for payment tests, started once per test session on a loopback port of its own.

localstripe's console script binds every interface (`::`) and pickles its store to
/tmp/localstripe.pickle after each request (shared by parallel runs); we start the same aiohttp
app bound to 127.0.0.1 only, with the pickling switched off, from the venv's Python.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.ticketing.webhooks import SECRET_KEY, WEBHOOK_SECRET, register_webhook

# It serves on the listening socket the fixture hands it (its file descriptor is the argument): a
# port chosen free, closed and bound again later could be given to two test workers at once, and one
# worker's tests would then talk to the other's localstripe, which stops when that worker ends.
LAUNCH = """
import socket
import sys
from aiohttp import web
from localstripe import resources
from localstripe.server import app
resources.store.dump_to_disk = lambda: None
web.run_app(app, sock=socket.socket(fileno=int(sys.argv[1])), print=None, access_log=None)
"""


def _listening_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


@pytest.fixture(scope="session")
def localstripe_url():
    pytest.importorskip("localstripe")
    with _listening_socket() as sock:
        port = sock.getsockname()[1]
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and a constant script
            [sys.executable, "-c", LAUNCH, str(sock.fileno())],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(sock.fileno(),),
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            headers = {"Authorization": f"Bearer {SECRET_KEY}"}
            request = urllib.request.Request(f"{url}/v1/customers", headers=headers)  # noqa: S310 - loopback
            urllib.request.urlopen(request, timeout=1).read()  # noqa: S310 - loopback only
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("localstripe did not start")
            time.sleep(0.1)
    yield url
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def stripe_on(settings, localstripe_url):
    """Settings pointing the stripe library at localstripe; webhooks not delivered (tests sign their own)."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_corridor"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe_url
    register_webhook(localstripe_url, "http://127.0.0.1:9/nowhere")
    return localstripe_url


@pytest.fixture
def session():
    """A session a month ahead, on sale."""
    from tests.factories.ticketing import future_session

    return future_session()
