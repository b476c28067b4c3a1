"""Reads behind the organiser's schedule rules: the places a travel matrix covers (the programme's
venues and their cities) with the minutes stored, and the age bands a child's limits can apply to."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from events.enums import SessionStatus
from events.models import AgeBandLimit, City, Event, Programme, TravelTime, Venue
from events.selectors.schedule_world import schedule_settings_for

_LIVE_SESSIONS = [status for status in SessionStatus.values if status != SessionStatus.CANCELLED]


@dataclass
class TravelTable:
    """The programme's venues and cities, and the minutes stored between them (by primary keys)."""

    venues: list[Venue]
    cities: list[City]
    venue_minutes: dict[tuple[int, int], int] = field(default_factory=dict)
    city_minutes: dict[tuple[int, int], int] = field(default_factory=dict)
    same_city: int = 0
    other_city: int = 0

    @property
    def each_way(self) -> bool:
        """Some pair is stored both ways with different minutes (only the each-way matrix shows it)."""
        return any(
            minutes != table.get((b, a), minutes)
            for table in (self.venue_minutes, self.city_minutes)
            for (a, b), minutes in table.items()
        )

    def city_default(self, a: City, b: City) -> int:
        """What two venues of these cities take when no venue pair is stored."""
        found = self.minutes(self.city_minutes, a.pk, b.pk)
        if found is not None:
            return found
        return self.same_city if a.pk == b.pk else self.other_city

    @staticmethod
    def minutes(table: dict[tuple[int, int], int], a: int, b: int) -> int | None:
        """The builder's look-up: (a, b) first, then (b, a)."""
        return table.get((a, b), table.get((b, a)))


def travel_table(programme: Programme) -> TravelTable:
    """Venues where the programme has sessions or an event's main venue, in corridor order, their
    cities, and the stored travel times between them. Three queries."""
    venues = list(
        Venue.objects.filter(
            Q(sessions__event__programme=programme, sessions__status__in=_LIVE_SESSIONS)
            | Q(events__programme=programme)
        )
        .select_related("city")
        .distinct()
        .order_by("city__ordering", "city__slug", "slug")
    )
    cities = list({venue.city_id: venue.city for venue in venues}.values())
    config = schedule_settings_for(programme)
    table = TravelTable(
        venues=venues,
        cities=cities,
        same_city=config.same_city_travel_minutes,
        other_city=config.other_city_travel_minutes,
    )
    for row in TravelTime.objects.filter(programme=programme):
        if row.from_venue_id:
            table.venue_minutes[(row.from_venue_id, row.to_venue_id)] = row.minutes
        else:
            table.city_minutes[(row.from_city_id, row.to_city_id)] = row.minutes
    return table


def age_bands_for(programme: Programme) -> list[str]:
    """The age groups of the programme's events, and any band already limited, sorted."""
    bands = set(
        Event.objects.filter(programme=programme).exclude(age_group="").values_list("age_group", flat=True)
    )
    bands |= set(AgeBandLimit.objects.filter(programme=programme).values_list("band", flat=True))
    return sorted(bands)


def age_band_limits_for(programme: Programme):
    return AgeBandLimit.objects.filter(programme=programme).order_by("band")
