"""Ticketing models, split by sub-domain: credentials (signed codes, check-in) and sales."""

from ticketing.models.checkin import *  # noqa: F403
from ticketing.models.credentials import *  # noqa: F403
from ticketing.models.sales import *  # noqa: F403
