"""Stripe's webhook endpoint. Stripe retries every answer that is not 2xx, so only a gateway failure
(Stripe could not be reached while re-fetching) is a 503; a bad signature, a body not of an event's
shape or a refusal by our rules is a 400 that says why, with nothing stored."""

from __future__ import annotations

import logging

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ticketing.errors import PaymentGatewayError, PaymentRefusedError, WebhookError
from ticketing.services.payments import stripe_webhook_receive

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        outcome = stripe_webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except WebhookError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    except PaymentRefusedError as exc:
        logger.warning("stripe webhook refused by the payment rules: %s", exc)
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    except PaymentGatewayError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")
