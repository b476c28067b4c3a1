"""The spectator's stub wallet: every stub with the offers valid now near the venue and in the city,
time left, and a rotating code (about a minute) with the ticket's own code as the offline fallback."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from ticketing.rendering.pdf import code_qr_png
from tourism.models import Stub
from tourism.selectors import offers as selectors
from tourism.services.stubs import ROTATION, stub_rotating_code


def _own_stub(request, public_id) -> Stub:
    try:
        return selectors.stub_get_for_owner(user=request.user, public_id=public_id)
    except (Stub.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@login_required
def stub_wallet(request):
    offers = list(selectors.live_offers())
    today = timezone.localdate()
    stubs = [
        (stub, [(row, row.state(today)) for row in selectors.wallet_offers(stub, offers)])
        for stub in selectors.stubs_for_user(request.user)
    ]
    return render(request, "tourism/stub_wallet.html", {"stubs": stubs, "today": today})


@login_required
def stub_detail(request, public_id):
    stub = _own_stub(request, public_id)
    today = timezone.localdate()
    rows = [(row, row.state(today)) for row in selectors.wallet_offers(stub, list(selectors.live_offers()))]
    context = {"stub": stub, "rows": rows, "refresh_seconds": int(ROTATION.total_seconds()) // 3}
    return render(request, "tourism/stub_detail.html", context)


@login_required
@never_cache
def stub_qr(request, public_id):
    """The stub's code of this minute as a QR image; the page reloads it so a screenshot goes stale."""
    stub = _own_stub(request, public_id)
    response = HttpResponse(
        code_qr_png(stub_rotating_code(stub=stub).code, box_size=8), content_type="image/png"
    )
    response["Cache-Control"] = "private, no-store"
    return response
