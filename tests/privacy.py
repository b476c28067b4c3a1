"""What a leak of a document's last characters looks like in a page, a message or a PDF's text."""

from __future__ import annotations

import re


def shows_last4(text: str, last4: str) -> bool:
    """Whether `text` shows these last characters of a document as a token of their own (bare,
    masked as "…002X" or "310101********002X"), rather than inside a longer run such as a factory
    slug "venue-00053", whose sequence may share the digits."""
    return re.search(rf"(?<![0-9A-Za-z-]){re.escape(last4)}(?![0-9A-Za-z])", text) is not None
