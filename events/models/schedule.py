"""Schedules in the database: where and when each match is played, and the published versions.

`Placement` rows are the organiser's working draft (one per match, a piste, court or lane and a
time, optionally pinned). Publishing copies the draft into a numbered `ScheduleVersion` snapshot,
which is never changed afterwards (a database trigger refuses updates), and onto `Match.resource` /
`Match.starts_at`, which is what the public pages show. The rules the builder follows live here too:
`ScheduleSettings`, the organiser's `TravelTime` matrix, `AgeBandLimit` for children, and
`ContingencyPlan`s prepared in advance. `SolveJob` records a background solve and its progress.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from events.enums import ScheduleVersionReason, SolveBuilder, SolveJobState
from events.i18n import BilingualMixin
from events.models.catalogue import City, Programme, Venue, VenueResource
from events.models.competition import Match

__all__ = [
    "AgeBandLimit",
    "ContingencyPlacement",
    "ContingencyPlan",
    "Placement",
    "ScheduleSettings",
    "ScheduleVersion",
    "SolveJob",
    "TravelTime",
]


class ScheduleSettings(models.Model):
    """A programme's scheduling rules: the time grid, rest, default travel and match lengths."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="schedule_settings")
    step_minutes = models.PositiveSmallIntegerField(_("start times every (minutes)"), default=10)
    min_rest_minutes = models.PositiveSmallIntegerField(_("minimum rest (minutes)"), default=10)
    dependency_rest_minutes = models.PositiveSmallIntegerField(
        _("rest after a needed result (minutes)"), default=10
    )
    same_city_travel_minutes = models.PositiveSmallIntegerField(
        _("travel within a city (minutes)"), default=45
    )
    other_city_travel_minutes = models.PositiveSmallIntegerField(
        _("travel between cities (minutes)"), default=150
    )
    pool_bout_minutes = models.PositiveSmallIntegerField(_("pool bout (minutes)"), default=10)
    elimination_bout_minutes = models.PositiveSmallIntegerField(_("elimination bout (minutes)"), default=20)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(step_minutes__gte=1), name="schedule_settings_step_positive"),
            models.CheckConstraint(
                condition=Q(pool_bout_minutes__gte=1, elimination_bout_minutes__gte=1),
                name="schedule_settings_durations_positive",
            ),
        ]
        verbose_name = _("schedule settings")
        verbose_name_plural = _("schedule settings")

    def __str__(self) -> str:
        return f"{self.programme} · {_('schedule settings')}"


class Placement(models.Model):
    """The draft place of one match: a resource and a time. `pinned` keeps it where it is when solving."""

    match = models.OneToOneField(Match, on_delete=models.CASCADE, related_name="placement")
    resource = models.ForeignKey(
        VenueResource, on_delete=models.CASCADE, related_name="placements", verbose_name=_("resource")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    pinned = models.BooleanField(_("pinned"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="placement_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["resource", "starts_at"])]
        ordering = ["starts_at", "resource", "match"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return f"{self.match} · {self.resource} · {self.starts_at:%Y-%m-%d %H:%M}"


class ScheduleVersion(models.Model):
    """A published schedule, numbered per programme from 1, with the snapshot of every placement.

    `placements` is a list of `{"match": id, "resource": id, "start": iso, "end": iso}`. Rows are
    only ever inserted: a trigger refuses any update, so version N always says what was published.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="schedule_versions")
    number = models.PositiveIntegerField(_("version"))
    reason = models.CharField(
        _("reason"), max_length=20, choices=ScheduleVersionReason, default=ScheduleVersionReason.PUBLISH
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    placements = models.JSONField(_("placements"), default=list)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notified = models.PositiveIntegerField(_("people notified"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="schedule_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="schedule_version_number_positive"),
        ]
        ordering = ["programme", "-number"]
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")

    def __str__(self) -> str:
        return f"{self.programme} · v{self.number}"


MAX_TRAVEL_MINUTES = 24 * 60


class TravelTime(models.Model):
    """Minutes between two venues, or two cities, edited by the organiser.

    Symmetric unless both directions are stored: the builder looks (a, b) up first, then (b, a). A
    city to itself is the travel between two venues of that city; a venue to itself is never stored.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="travel_times")
    from_venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("from venue")
    )
    to_venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("to venue")
    )
    from_city = models.ForeignKey(
        City, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("from city")
    )
    to_city = models.ForeignKey(
        City, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("to city")
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        from_venue__isnull=False,
                        to_venue__isnull=False,
                        from_city__isnull=True,
                        to_city__isnull=True,
                    )
                    | Q(
                        from_venue__isnull=True,
                        to_venue__isnull=True,
                        from_city__isnull=False,
                        to_city__isnull=False,
                    )
                ),
                name="travel_time_venues_or_cities",
                violation_error_message=_("Give two venues or two cities."),
            ),
            models.CheckConstraint(
                condition=Q(minutes__lte=MAX_TRAVEL_MINUTES),
                name="travel_time_within_a_day",
                violation_error_message=_("Travel takes 0 to 1440 minutes."),
            ),
            # A venue to itself is 0 minutes, always: the builder never looks such a row up.
            models.CheckConstraint(
                condition=Q(from_venue__isnull=True) | ~Q(from_venue=F("to_venue")),
                name="travel_time_not_venue_to_itself",
                violation_error_message=_("A venue to itself is 0 minutes."),
            ),
            models.UniqueConstraint(
                fields=["programme", "from_venue", "to_venue"],
                condition=Q(from_venue__isnull=False),
                name="travel_time_venue_pair_unique",
            ),
            models.UniqueConstraint(
                fields=["programme", "from_city", "to_city"],
                condition=Q(from_city__isnull=False),
                name="travel_time_city_pair_unique",
            ),
        ]
        ordering = ["programme", "pk"]
        verbose_name = _("travel time")
        verbose_name_plural = _("travel times")

    def __str__(self) -> str:
        if self.from_venue_id:
            return f"{self.from_venue} ↔ {self.to_venue}: {self.minutes}"
        return f"{self.from_city} ↔ {self.to_city}: {self.minutes}"


class AgeBandLimit(models.Model):
    """Children's limits for one age band (an event's age group, such as U12), per child across events."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="age_band_limits")
    band = models.CharField(_("age band"), max_length=20)
    max_matches_per_day = models.PositiveSmallIntegerField(
        _("matches per day at most"), null=True, blank=True
    )
    earliest_start = models.TimeField(_("earliest start"), null=True, blank=True)
    latest_start = models.TimeField(_("latest start"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "band"], name="age_band_limit_unique"),
            models.CheckConstraint(
                condition=Q(earliest_start__isnull=True)
                | Q(latest_start__isnull=True)
                | Q(latest_start__gt=F("earliest_start")),
                name="age_band_limit_hours_strictly_ordered",
                violation_error_message=_("The earliest start must come before the latest start."),
            ),
            models.CheckConstraint(
                condition=Q(max_matches_per_day__isnull=True) | Q(max_matches_per_day__gte=1),
                name="age_band_limit_matches_positive",
                violation_error_message=_("Matches per day must be at least 1."),
            ),
        ]
        ordering = ["programme", "band"]
        verbose_name = _("age band limit")
        verbose_name_plural = _("age band limits")

    def __str__(self) -> str:
        return f"{self.programme} · {self.band}"


class ContingencyPlan(BilingualMixin, models.Model):
    """A prepared alternative set of placements (wet weather, high water) switched to in one step."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="contingency_plans")
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    switched_to = models.ForeignKey(
        ScheduleVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "pk"]
        verbose_name = _("contingency plan")
        verbose_name_plural = _("contingency plans")

    def __str__(self) -> str:
        return self.name


class ContingencyPlacement(models.Model):
    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="placements")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(VenueResource, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "match"], name="contingency_placement_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="contingency_placement_ends_after_start"
            ),
        ]
        ordering = ["plan", "starts_at"]
        verbose_name = _("contingency placement")
        verbose_name_plural = _("contingency placements")

    def __str__(self) -> str:
        return f"{self.plan} · {self.match}"


class SolveJob(models.Model):
    """A solve of a programme's schedule in the background; the page polls its progress."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="solve_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    builder = models.CharField(_("builder"), max_length=10, choices=SolveBuilder, default=SolveBuilder.CPSAT)
    time_limit = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=10)
    state = models.CharField(_("state"), max_length=10, choices=SolveJobState, default=SolveJobState.PENDING)
    total = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(null=True, blank=True)
    objective = models.BigIntegerField(null=True, blank=True)
    bound = models.BigIntegerField(null=True, blank=True)
    elapsed = models.FloatField(default=0)
    progress = models.JSONField(default=list, blank=True)  # [{"objective", "bound", "elapsed"}]
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit__gte=1, time_limit__lte=120), name="solve_job_time_limit"
            ),
        ]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("solve job")
        verbose_name_plural = _("solve jobs")

    def __str__(self) -> str:
        return f"solve {self.pk} · {self.state}"

    @property
    def percent(self) -> int:
        """Time used of the limit while solving; 100 when finished."""
        if self.state in (SolveJobState.DONE, SolveJobState.FAILED):
            return 100
        return min(99, int(self.elapsed * 100 / self.time_limit)) if self.time_limit else 0
