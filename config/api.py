"""The JSON API (devices such as gate scanners), documented by its OpenAPI schema at /api/docs."""

from ninja import NinjaAPI

from tourism.api import CounterError, counter_error_handler

api = NinjaAPI(
    title="Corridor API",
    version="1",
    description=(
        "Device API for gate scanners and counters. Gate devices authenticate with "
        "`Authorization: Bearer <device token>`; merchant counters with a till's token "
        "(`Authorization: Bearer <till token>`) or the staff member's session."
    ),
    urls_namespace="api",
)
api.add_router("/gate/", "ticketing.api.router")
api.add_router("/counter/", "tourism.api.router")

api.add_exception_handler(CounterError, counter_error_handler)
