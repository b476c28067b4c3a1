"""Keep bearer tokens out of the logs.

Referee links, guardian links (consent and exchange) and staff invitations carry their secret in the
URL path; Django's request logging would print that path for every refused link (404, 410). The
`RedactLinkTokens` filter, installed on the request loggers and the console handler, replaces the
token segment of those paths with `[redacted]` in the message and in the request attached to the
record (which the JSON formatter prints).
"""

from __future__ import annotations

import logging
import re

# The path prefixes whose next segment is a bearer token (one per `<str:token>` URL pattern; the
# route test in tests/config/test_log_redaction.py checks every such pattern is covered).
TOKEN_PREFIXES = (
    "referee",
    "delegations/invitations",
    "delegations/consent",
    "exchange/guardian",
    "merchants/invitations",
)
_TOKEN_SEGMENT = re.compile(r"(/(?:" + "|".join(re.escape(p) for p in TOKEN_PREFIXES) + r")/)[^/\s?#'\"]+")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """The text with every link token in a path replaced by `[redacted]`."""
    return _TOKEN_SEGMENT.sub(r"\g<1>" + REDACTED, text)


class _RedactedRequest:
    """The request as a log record carries it, printed without the token (all else delegated)."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return getattr(self._request, name)

    def __str__(self) -> str:
        return redact(str(self._request))

    __repr__ = __str__


class RedactLinkTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, _RedactedRequest):
            record.request = _RedactedRequest(request)
        return True
