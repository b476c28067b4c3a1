"""Stripe's webhook endpoint: 400 for a bad signature, 503 when Stripe cannot be reached (it retries)."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ticketing.errors import PaymentError, WebhookError
from ticketing.services.payments import stripe_webhook_receive


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        outcome = stripe_webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except WebhookError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    except PaymentError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")
