"""The server side of bench/orders.py: a real order and its baseline behind the same gunicorn.

Same settings, environment and middleware as config.wsgi; only the URLconf is this module's:
`POST /order` {"user", "type", "quantity"} runs the checkout's services (cart_add then order_place,
demo provider) for that buyer, and `POST /insert` commits one INSERT in a transaction, the baseline.
Bench only: it names the buyer in the body instead of a signed-in session, so it is served on the
loopback by bench/orders.py and never routed by config.urls. Serve it with `gunicorn bench.wsgi_orders`.
"""

from __future__ import annotations

import json
import os

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")


@csrf_exempt  # bench only, see the module docstring
def order(request):
    from django.contrib.auth import get_user_model

    from ticketing.errors import SoldOutError, TicketingError
    from ticketing.models import TicketType
    from ticketing.services.carts import cart_add
    from ticketing.services.orders import order_place

    data = json.loads(request.body)
    # The shop has the buyer from the session (a look-up there as well) and passes the type's id
    # only, as ticketing.views.shop.cart_add does: cart_add reads the type itself.
    user = get_user_model().objects.get(pk=data["user"])
    try:
        cart_add(user=user, ticket_type=TicketType(pk=data["type"]), quantity=data["quantity"])
        order_place(user=user, provider="demo")
    except SoldOutError:
        return JsonResponse({"result": "sold_out"})
    except TicketingError:
        return JsonResponse({"result": "refused"})
    return JsonResponse({"result": "ordered"})


@csrf_exempt  # bench only, see the module docstring
def insert(request):
    data = json.loads(request.body)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_insert (buyer, at) VALUES (%s, now())", [data["user"]])
    return JsonResponse({"result": "ordered"})


urlpatterns = [path("order", order), path("insert", insert)]


def _application():
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = __name__
    # The buyers pay with the demo provider, which production settings refuse with DEBUG off: only
    # this bench server turns it on, after the settings' own check.
    settings.PAYMENT_DEMO_ENABLED = True
    return get_wsgi_application()


application = _application()
