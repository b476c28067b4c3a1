"""Top-level URLs. Each app mounts its own namespaced URLconf."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api
from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("", include("ticketing.urls")),
    path("", include("registration.urls")),
    path("", include("tourism.urls")),
    path("", include("events.urls")),
]

if settings.DEBUG:  # pragma: no cover - development convenience only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
