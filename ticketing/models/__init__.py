"""Ticketing models, split by sub-domain: credentials, check-in, sales, payments and ballots."""

from ticketing.models.ballots import *  # noqa: F403
from ticketing.models.checkin import *  # noqa: F403
from ticketing.models.credentials import *  # noqa: F403
from ticketing.models.payments import *  # noqa: F403
from ticketing.models.sales import *  # noqa: F403
