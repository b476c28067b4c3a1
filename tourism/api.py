"""Counter API for merchant staff: prepare -> consume -> reverse -> query, mounted at /api/counter/.

The shape of the group-buying platforms' voucher verification (prepare reads the code and lists
what it can take here now with the holder's masked name only; consume needs an idempotency key and
returns a receipt; reverse works within the offer's window at the same store, with a reason; query
lists a store's redemptions by day). Authenticated either by a till's bearer token
(`Authorization: Bearer <token>`, issued by the merchant's owner, bound to one store: the realistic
high-volume client) or by the staff member's session (the counter page uses it; send the CSRF token
as `X-CSRFToken`). A store the caller does not work at (or another store than the till's) is a 404.
Every refusal is JSON `{"detail": message, "reason": code}` with a 4xx status; schema errors are 422.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer, SessionAuth

from tourism.enums import OfferKind
from tourism.errors import RedemptionError, StubError, TourismError
from tourism.models import Redemption, Store, Till
from tourism.selectors.merchants import membership_for_store
from tourism.selectors.redemptions import redemptions_for_store_day
from tourism.services.redemptions import (
    MAX_BILL_FEN,
    MAX_HEAD_COUNT,
    Prepared,
    redemption_consume,
    redemption_prepare,
    redemption_reverse,
)
from tourism.services.tills import till_authenticate

KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"
MAX_ID = 2**31 - 1


class CounterError(HttpError):
    def __init__(self, status: int, message: str, reason: str):
        super().__init__(status, message)
        self.reason = reason


def counter_error_handler(request, exc: CounterError) -> JsonResponse:
    """Registered on the API (config/api.py): the message and a stable reason code."""
    return JsonResponse({"detail": exc.message, "reason": exc.reason}, status=exc.status_code)


class TillBearer(HttpBearer):
    """A till's bearer token (no session, no CSRF token); a request without one tries the session."""

    openapi_description = "A till's token, issued once by the merchant's owner on the tills page."

    def authenticate(self, request, token):
        return till_authenticate(token)


router = Router(tags=["counter"], auth=[TillBearer(), SessionAuth()])


class ErrorOut(Schema):
    detail: str | list
    reason: str = ""


class PrepareIn(Schema):
    store: int = Field(..., ge=1, le=MAX_ID, description="The store's id (the counter page shows it).")
    code: str = Field(
        ...,
        max_length=400,
        description="The scanned or typed code: a stub code, a ticket or badge code, or the 12-character"
        " manual code printed under the ticket's QR (mistyped manual codes are limited per staff member).",
    )


class OfferOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    redeemable: bool
    reason: str = Field(description="Empty when redeemable; else already_used, sold_out, expired, ...")
    message: str
    max_head_count: int
    uses_left: int | None
    today_left: int | None
    stock_left: int | None


class StubOut(Schema):
    holder: str = Field(description="The holder's masked name, or the delegation's name; never more.")
    event: str
    match_day: dt.date
    group: bool


class PrepareOut(Schema):
    stub: StubOut
    offers: list[OfferOut]


class ConsumeIn(PrepareIn):
    offer: int = Field(..., ge=1, le=MAX_ID)
    idempotency_key: str = Field(
        ..., pattern=KEY_PATTERN, description="The till's key; repeating it returns the first receipt."
    )
    bill_fen: int = Field(..., ge=0, le=MAX_BILL_FEN, description="The bill before discount, in fen.")
    head_count: int = Field(1, ge=1, le=MAX_HEAD_COUNT)


class ReceiptOut(Schema):
    receipt_number: str
    offer: str
    store: str
    staff: str = Field(description="The staff member, or the till's name when a till redeemed.")
    till: str | None = Field(None, description="The till's name when a till redeemed.")
    bill_fen: int
    discount_fen: int
    to_pay_fen: int
    subsidy_fen: int
    head_count: int
    holder: str
    redeemed_at: dt.datetime
    reversible_until: dt.datetime
    reversed: bool
    replayed: bool = Field(
        False, description="True when this key was used before: the first receipt, unchanged."
    )


class ReverseIn(Schema):
    store: int = Field(..., ge=1, le=MAX_ID)
    receipt_number: str = Field(..., min_length=1, max_length=12, pattern=r"^[A-Za-z0-9]+$")
    reason: str = Field(..., min_length=1, max_length=300)


class ReversalOut(Schema):
    receipt_number: str
    reason: str
    reversed_at: dt.datetime


class QueryIn(Schema):
    store: int = Field(..., ge=1, le=MAX_ID)
    day: dt.date | None = Field(None, description="Local day (Asia/Shanghai); today when left out.")


def _caller(request, store_id: int, *, staff_checked_by_service: bool = False):
    """(store, staff, till): a till's own store (read with the till, cached), or the store a signed-in
    staff member works at; a 404 otherwise. Prepare and consume leave the staff member's membership to
    their service (which checks it first, writing nothing): one statement fewer per request."""
    auth = request.auth
    if isinstance(auth, Till):
        if auth.store_id != store_id:
            raise CounterError(404, _("Not found."), "not_found")
        return auth.store, None, auth
    store = get_object_or_404(Store.objects.select_related("merchant", "city"), pk=store_id)
    if not staff_checked_by_service and membership_for_store(user=auth, store=store) is None:
        raise CounterError(404, _("Not found."), "not_found")
    return store, auth, None


def _refuse(exc: TourismError):
    if exc.code == "not_staff":  # a store the caller does not work at is a 404, as in `_store`
        raise CounterError(404, _("Not found."), "not_found") from exc
    status = 400 if exc.code.startswith("bad_") else 409 if isinstance(exc, RedemptionError) else 422
    if isinstance(exc, StubError):
        status = 429 if exc.code == "too_many_attempts" else 422
    raise CounterError(status, str(exc), exc.code) from exc


def _answer(answer: dict) -> HttpResponse:
    """A 200 answer rendered as the API's renderer renders it (ninja's JSON encoder), without validating it against the
    operation's schema again (as the gate's scan answers): on the counter's hot path that validation
    cost more than building the answer. The builders' shapes are held to `PrepareOut` and
    `ReceiptOut` by tests/tourism/test_api.py, so the answer and the OpenAPI document agree."""
    return HttpResponse(
        json.dumps(answer, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8"
    )


def receipt(redemption: Redemption, *, replayed: bool = False, reversed_: bool | None = None) -> dict:
    """The receipt of a redemption. `reversed_` when the caller knows it (a consume just made it)."""
    if reversed_ is None:
        try:
            reversed_ = redemption.reversal is not None
        except ObjectDoesNotExist:
            reversed_ = False
    till = redemption.till if redemption.till_id else None
    return {
        "receipt_number": redemption.receipt_number,
        "offer": redemption.offer.name,
        "store": redemption.store.name,
        "staff": till.name if till else str(redemption.staff),
        "till": till.name if till else None,
        "bill_fen": redemption.bill_fen,
        "discount_fen": redemption.discount_fen,
        "to_pay_fen": redemption.bill_fen - min(redemption.discount_fen, redemption.bill_fen),
        "subsidy_fen": redemption.subsidy_fen,
        "head_count": redemption.head_count,
        "holder": redemption.stub.holder_label,
        "redeemed_at": redemption.redeemed_at,
        "reversible_until": redemption.reversible_until,
        "reversed": reversed_,
        "replayed": replayed,
    }


@router.post(
    "/prepare",
    url_name="counter-prepare",
    response={200: PrepareOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def prepare(request, payload: PrepareIn):
    """Read a code: what it can take at this store now, and the holder's masked name. Changes nothing."""
    store, staff, till = _caller(request, payload.store, staff_checked_by_service=True)
    try:
        prepared = redemption_prepare(code=payload.code, store=store, staff=staff, till=till)
    except TourismError as exc:
        _refuse(exc)
    return _answer(prepare_answer(prepared))


# What `get_kind_display()` answers, without hashing every lazy label (a translation each) per call.
_KIND_LABELS = dict(OfferKind.choices)


def prepare_answer(prepared: Prepared) -> dict:
    """Prepare's answer, shaped as `PrepareOut` (tests/tourism/test_api.py holds the two together)."""
    stub = prepared.stub
    return {
        "stub": {
            "holder": prepared.holder,
            "event": stub.event.name,
            "match_day": stub.match_day,
            "group": stub.is_group,
        },
        "offers": [
            {
                "id": check.offer.pk,
                "name": check.offer.name,
                "kind": check.offer.kind,
                "kind_label": str(_KIND_LABELS.get(check.offer.kind, check.offer.kind)),
                "redeemable": check.ok,
                "reason": check.reason,
                "message": check.message,
                "max_head_count": check.max_head_count,
                "uses_left": check.uses_left,
                "today_left": check.today_left,
                "stock_left": check.offer.stock_left,
            }
            for check in prepared.checks
        ],
    }


@router.post(
    "/consume",
    url_name="counter-consume",
    response={
        200: ReceiptOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
)
def consume(request, payload: ConsumeIn):
    """Redeem one offer. Repeating the same idempotency key returns the first receipt and changes nothing."""
    store, staff, till = _caller(request, payload.store, staff_checked_by_service=True)
    try:
        redemption, created = redemption_consume(
            code=payload.code,
            store=store,
            staff=staff,
            till=till,
            offer_id=payload.offer,
            idempotency_key=payload.idempotency_key,
            bill_fen=payload.bill_fen,
            head_count=payload.head_count,
        )
    except TourismError as exc:
        _refuse(exc)
    return _answer(receipt(redemption, replayed=not created, reversed_=False if created else None))


def _till_payload(request, schema: type[Schema]) -> Schema | None:
    """The body of a till's request as the operation would take it (`schema`), with `request.auth`
    set to the till, or None for any other request: no live till's bearer token (a session, a
    revoked till), or a body the schema refuses. Parsed as ninja parses it (JSON, then the schema)."""
    scheme, _space, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    till = till_authenticate(token) if scheme.lower() == "bearer" else None
    if till is None:
        return None
    try:
        payload = schema.model_validate(json.loads(request.body))
    except Exception:  # whatever it is (not JSON, too large, refused), the operation answers it
        return None
    request.auth = till
    return payload


def prepare_lean(request) -> HttpResponse | None:
    """`prepare` for a till, ahead of the API (`events.lean_routes.lean_route`, config/urls.py): the
    same code from the parsed body on; None hands any other request to the operation unchanged."""
    payload = _till_payload(request, PrepareIn)
    return None if payload is None else prepare(request, payload)


def consume_lean(request) -> HttpResponse | None:
    """`consume` for a till, as `prepare_lean` is prepare's."""
    payload = _till_payload(request, ConsumeIn)
    return None if payload is None else consume(request, payload)


@router.post(
    "/reverse",
    url_name="counter-reverse",
    response={200: ReversalOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def reverse(request, payload: ReverseIn):
    """Undo a redemption of this store within the offer's window, with a reason."""
    store, staff, till = _caller(request, payload.store)
    try:
        reversal = redemption_reverse(
            receipt_number=payload.receipt_number, store=store, staff=staff, till=till, reason=payload.reason
        )
    except TourismError as exc:
        _refuse(exc)
    return {
        "receipt_number": reversal.redemption.receipt_number,
        "reason": reversal.reason,
        "reversed_at": reversal.reversed_at,
    }


@router.get(
    "/redemptions",
    url_name="counter-redemptions",
    response={200: list[ReceiptOut], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def redemptions(request, filters: Query[QueryIn]):
    """A store's redemptions of one day (today by default), newest first."""
    store, _staff, _till = _caller(request, filters.store)
    day = filters.day or timezone.localdate()
    return [receipt(redemption) for redemption in redemptions_for_store_day(store=store, day=day)]
