"""The controls for bench/scans.py and bench/stubs.py: bare Django endpoints behind the same gunicorn.

Same settings, environment and middleware as config.wsgi; only the URLconf is this module's two
trivial views, so a ratio against them is the share of Django's own throughput a real request keeps:

- `POST /ok` answers a constant JSON body: the cost of a request and nothing else;
- `POST /insert` commits one single-row INSERT in a transaction (into `bench_insert`, which bench/scans.py
  creates), then answers the same way: the cost of the cheapest request that stores anything durably,
  a floor for every endpoint that must keep what it was sent (a gate scan stores every attempt).

Serve it with `gunicorn bench.wsgi_bare`.
"""

from __future__ import annotations

import json
import os

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")


@csrf_exempt  # the scan endpoint is CSRF-free too (bearer tokens), so both take the same POST
def ok(request):
    return JsonResponse({"ok": True})


@csrf_exempt  # as `ok`
def insert(request):
    data = json.loads(request.body)
    with connection.cursor() as cursor:  # autocommit: the statement is its own transaction
        cursor.execute("INSERT INTO bench_insert (buyer, at) VALUES (%s, now())", [data["n"]])
    return JsonResponse({"ok": True})


urlpatterns = [path("ok", ok), path("insert", insert)]


def _application():
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = __name__
    return get_wsgi_application()


application = _application()
