"""The control for bench/scans.py: a bare Django JSON endpoint behind the same gunicorn setup.

Same settings, environment and middleware as config.wsgi; only the URLconf is this module's one
trivial view, so the ratio scans/s ÷ bare req/s is the share of Django's own throughput that a real
scan (decode, verify, lock, insert) keeps. Serve it with `gunicorn bench.wsgi_bare`.
"""

from __future__ import annotations

import os

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")


@csrf_exempt  # the scan endpoint is CSRF-free too (bearer tokens), so both take the same POST
def ok(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("ok", ok)]


def _application():
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = __name__
    return get_wsgi_application()


application = _application()
