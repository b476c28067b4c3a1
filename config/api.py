"""The JSON API (devices such as gate scanners), documented by its OpenAPI schema at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Corridor API",
    version="1",
    description=(
        "Device API for gate scanners and counters. Authenticate with `Authorization: Bearer <device token>`."
    ),
    urls_namespace="api",
)
api.add_router("/gate/", "ticketing.api.router")
