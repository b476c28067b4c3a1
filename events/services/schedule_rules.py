"""Write paths of the organiser's schedule rules: the travel-time matrix and children's limits by
age band. Each locks the programme row first (`schedule_lock`), like every schedule write, so a move
checked at the same moment sees either the old rules or the new ones, never half; the next move or
build reads the new rows at once (`schedule_world` reads them on every call, nothing is cached)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from events.errors import ScheduleError
from events.models import AgeBandLimit, Programme, TravelTime
from events.models.schedule import MAX_TRAVEL_MINUTES
from events.services.schedule import schedule_lock

Pairs = dict[tuple[int, int], int | None]


def _check_minutes(pairs: Pairs) -> None:
    for minutes in pairs.values():
        if minutes is not None and not (isinstance(minutes, int) and 0 <= minutes <= MAX_TRAVEL_MINUTES):
            raise ScheduleError(_("Travel takes a whole number of minutes from 0 to 1440."))


def _rows(pairs: Pairs, *, each_way: bool) -> dict[tuple[int, int], int]:
    """The rows to store: every pair given a value; in a symmetric matrix one row per pair (the
    builder reads (a, b) for (b, a) too), so a pair entered twice must agree."""
    rows: dict[tuple[int, int], int] = {}
    for (a, b), minutes in pairs.items():
        if minutes is None:
            continue
        if not each_way and (b, a) in rows:
            if rows[(b, a)] != minutes:
                raise ScheduleError(
                    _("The same time both ways was asked, but two different times were given.")
                )
            continue
        rows[(a, b)] = minutes
    return rows


def travel_times_set(
    *,
    programme: Programme,
    venue_ids: list[int],
    city_ids: list[int],
    venues: Pairs,
    cities: Pairs,
    each_way: bool = False,
) -> int:
    """Replace the programme's travel matrix among `venue_ids` and `city_ids` with `venues` and
    `cities` ({(from, to): minutes or None}; None or a missing pair: the default applies). Symmetric
    unless `each_way`. A venue to itself is always 0 and refused here; a city to itself is the travel
    between two of its venues. Every pair must be among the given places.

    Locks the programme row; one transaction; returns how many rows the matrix now holds.
    """
    _check_minutes(venues)
    _check_minutes(cities)
    if any(a == b for a, b in venues):
        raise ScheduleError(_("A venue to itself is 0 minutes: it cannot be changed."))
    if not {x for pair in venues for x in pair} <= set(venue_ids) or not {
        x for pair in cities for x in pair
    } <= set(city_ids):
        raise ScheduleError(_("Travel times are only for this programme's venues and cities."))
    venue_rows = _rows(venues, each_way=each_way)
    city_rows = _rows(cities, each_way=each_way)
    with transaction.atomic():
        schedule_lock(programme)
        TravelTime.objects.filter(programme=programme).filter(
            Q(from_venue_id__in=venue_ids, to_venue_id__in=venue_ids)
            | Q(from_city_id__in=city_ids, to_city_id__in=city_ids)
        ).delete()
        TravelTime.objects.bulk_create(
            [
                TravelTime(programme=programme, from_venue_id=a, to_venue_id=b, minutes=minutes)
                for (a, b), minutes in sorted(venue_rows.items())
            ]
            + [
                TravelTime(programme=programme, from_city_id=a, to_city_id=b, minutes=minutes)
                for (a, b), minutes in sorted(city_rows.items())
            ]
        )
        return TravelTime.objects.filter(programme=programme).count()


def _check_limit(*, max_matches_per_day: int | None, earliest_start, latest_start) -> None:
    if max_matches_per_day is not None and max_matches_per_day < 1:
        raise ScheduleError(_("Matches per day must be at least 1."))
    if earliest_start is not None and latest_start is not None and latest_start <= earliest_start:
        raise ScheduleError(_("The earliest start must come before the latest start."))


def age_band_limit_save(
    *,
    programme: Programme,
    band: str,
    max_matches_per_day: int | None = None,
    earliest_start: dt.time | None = None,
    latest_start: dt.time | None = None,
    limit: AgeBandLimit | None = None,
) -> AgeBandLimit:
    """Add a band's limits, or change `limit` (a row of `programme`). Refused (`ScheduleError`, nothing
    written) for a band already limited, fewer than 1 match a day, or an earliest start not before
    the latest. Locks the programme row; the builder and the move check use the row at once."""
    band = band.strip()
    if not band:
        raise ScheduleError(_("Choose an age band."))
    _check_limit(
        max_matches_per_day=max_matches_per_day, earliest_start=earliest_start, latest_start=latest_start
    )
    with transaction.atomic():
        schedule_lock(programme)
        taken = AgeBandLimit.objects.filter(programme=programme, band=band)
        if limit is not None:
            if limit.programme_id != programme.pk:
                raise ScheduleError(_("These limits are not part of this programme."))
            taken = taken.exclude(pk=limit.pk)
        if taken.exists():
            raise ScheduleError(_("%(band)s already has limits: change those instead.") % {"band": band})
        row = limit or AgeBandLimit(programme=programme)
        row.band = band
        row.max_matches_per_day = max_matches_per_day
        row.earliest_start = earliest_start
        row.latest_start = latest_start
        row.save()
        return row


def age_band_limit_delete(*, limit: AgeBandLimit) -> None:
    """Remove a band's limits: its children are then held only by the rules every athlete has."""
    with transaction.atomic():
        schedule_lock(limit.programme)
        AgeBandLimit.objects.filter(pk=limit.pk).delete()
