"""Top-level URLs. Each app mounts its own namespaced URLconf."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config.api import api
from config.health import healthz
from events.lean_routes import lean_route
from ticketing.api import scan_lean
from tourism.api import consume_lean, prepare_lean

urlpatterns = [
    # A gate scan's happy path, resolved in one step; anything else falls through to the API's
    # operation below (events/lean_routes.py).
    lean_route("api/gate/scan", scan_lean, api=api, name="api-lean-scan"),
    # A till's prepare and consume, the same way; anything else (a session, a bad token or body)
    # falls through to the API's operations below.
    lean_route("api/counter/prepare", prepare_lean, api=api, name="api-lean-counter-prepare"),
    lean_route("api/counter/consume", consume_lean, api=api, name="api-lean-counter-consume"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico before they read the page's <link rel="icon">.
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg", permanent=True),
        name="favicon",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("", include("ticketing.urls")),
    path("", include("registration.urls")),
    path("", include("tourism.urls")),
    path("", include("tourism.exchange.urls")),
    path("", include("events.urls")),
]

if settings.DEBUG:  # pragma: no cover - development convenience only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
