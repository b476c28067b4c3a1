"""The organiser's schedule rules: the travel-time matrix between the programme's venues and cities,
and children's limits by age band (list, add, change, delete after a confirmation).

Every page fetches the programme with `events.manage_programme` (an organiser of it with two-factor
passed): anyone else gets a 404. Writes go through `events.services.schedule_rules`; the schedule's
move check and builders use the new rules at once.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from events.errors import ScheduleError
from events.forms.schedule import AgeBandLimitForm, TravelMatrixForm
from events.models import AgeBandLimit, Programme
from events.permissions import get_for_user_or_404
from events.selectors import schedule_rules as selectors
from events.services import schedule_rules as services

PERM = "events.manage_programme"


def _programme(request, slug: str) -> Programme:
    return get_for_user_or_404(Programme.objects.all(), user=request.user, perm=PERM, slug=slug)


@login_required
@never_cache
def travel(request, slug: str):
    programme = _programme(request, slug)
    table = selectors.travel_table(programme)
    source = request.POST if request.method == "POST" else request.GET
    each_way = source.get("each_way", "1" if table.each_way else "") in ("1", "True", "on")
    form = TravelMatrixForm(request.POST or None, table=table, each_way=each_way)
    if request.method == "POST" and form.is_valid():
        try:
            services.travel_times_set(
                programme=programme,
                venue_ids=[venue.pk for venue in table.venues],
                city_ids=[city.pk for city in table.cities],
                venues=form.pairs("venue"),
                cities=form.pairs("city"),
                each_way=each_way,
            )
        except ScheduleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Travel times saved: the schedule's checks use them now."))
            url = reverse("events:schedule-travel", args=[programme.slug])
            return redirect(url + ("?each_way=1" if each_way else ""))
    context = {
        "programme": programme,
        "form": form,
        "each_way": each_way,
        "cities": table.cities,
        "venues": table.venues,
        "city_rows": form.rows(
            "city", table.cities, lambda a, b: table.same_city if a == b else table.other_city
        ),
        "venue_rows": form.rows("venue", table.venues, lambda a, b: table.city_default(a.city, b.city)),
    }
    return render(request, "events/schedule_travel.html", context, status=400 if form.errors else 200)


def _save_limit(request, programme, form, limit=None):
    """Save the form's limits through the service; False (with the reason on the form) if refused."""
    if not form.is_valid():
        return False
    try:
        services.age_band_limit_save(programme=programme, limit=limit, **form.cleaned_data)
    except ScheduleError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, _("Limits for %(band)s saved.") % {"band": form.cleaned_data["band"]})
    return True


@login_required
@never_cache
def age_bands(request, slug: str):
    programme = _programme(request, slug)
    bands = selectors.age_bands_for(programme)
    form = AgeBandLimitForm(request.POST or None, bands=bands)
    if request.method == "POST" and _save_limit(request, programme, form):
        return redirect("events:schedule-age-bands", slug=programme.slug)
    context = {"programme": programme, "limits": selectors.age_band_limits_for(programme), "form": form}
    return render(request, "events/schedule_age_bands.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
def age_band_edit(request, slug: str, pk: int):
    programme = _programme(request, slug)
    limit = get_object_or_404(AgeBandLimit, programme=programme, pk=pk)
    initial = {
        "band": limit.band,
        "max_matches_per_day": limit.max_matches_per_day,
        "earliest_start": limit.earliest_start,
        "latest_start": limit.latest_start,
    }
    form = AgeBandLimitForm(request.POST or None, initial=initial, bands=selectors.age_bands_for(programme))
    if request.method == "POST" and _save_limit(request, programme, form, limit):
        return redirect("events:schedule-age-bands", slug=programme.slug)
    context = {"programme": programme, "limit": limit, "form": form}
    return render(request, "events/schedule_age_band_edit.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
def age_band_delete(request, slug: str, pk: int):
    programme = _programme(request, slug)
    limit = get_object_or_404(AgeBandLimit, programme=programme, pk=pk)
    if request.method != "POST":
        return render(
            request, "events/schedule_age_band_delete.html", {"programme": programme, "limit": limit}
        )
    services.age_band_limit_delete(limit=limit)
    messages.success(request, _("Limits for %(band)s deleted.") % {"band": limit.band})
    return redirect("events:schedule-age-bands", slug=programme.slug)
