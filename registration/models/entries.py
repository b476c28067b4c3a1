"""Entries (an athlete in an event for a team) and each event's eligibility rules as data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from registration.enums import AgeRuleKind, AthleteGrade, EntryStatus, SexAllowed
from registration.models.athletes import Athlete
from registration.models.delegations import Team

__all__ = ["Entry", "EventEligibility"]


class Entry(models.Model):
    """An athlete entered in an event for a team. `event` repeats `team.event` for the constraint."""

    athlete = models.ForeignKey(
        Athlete, on_delete=models.CASCADE, related_name="entries", verbose_name=_("athlete")
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="entries", verbose_name=_("team"))
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="entries", verbose_name=_("event")
    )
    status = models.CharField(_("status"), max_length=20, choices=EntryStatus, default=EntryStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "event"],
                condition=~Q(status=EntryStatus.WITHDRAWN),
                name="entry_one_team_per_event_per_athlete",
                violation_error_message=_("This athlete is already entered in this event for a team."),
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]
        ordering = ["team", "athlete", "pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self) -> str:
        return f"{self.athlete} · {self.event} · {self.get_status_display()}"


class EventEligibility(models.Model):
    """Who may enter one event: the age rule, sex, roster size and events per athlete, as data.

    Age rules: a birth-year window (min/max birth year); age on a date (min/max age on
    `reference_date`, the event's first day when empty); or the season cut-off (age on
    `cutoff_month`/`cutoff_day` of the event's year). Playing up lets athletes up to
    `playing_up_groups` × `group_span_years` years younger than the group's youngest bound enter.
    """

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="eligibility", verbose_name=_("event")
    )
    age_rule = models.CharField(_("age rule"), max_length=20, choices=AgeRuleKind, default=AgeRuleKind.NONE)
    min_birth_year = models.PositiveSmallIntegerField(
        _("earliest birth year"),
        null=True,
        blank=True,
        help_text=_("Oldest athletes allowed, e.g. 2014 for U12."),
    )
    max_birth_year = models.PositiveSmallIntegerField(
        _("latest birth year"), null=True, blank=True, help_text=_("Youngest athletes allowed.")
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    reference_date = models.DateField(
        _("age on date"), null=True, blank=True, help_text=_("Empty: the event's first day.")
    )
    cutoff_month = models.PositiveSmallIntegerField(_("season cut-off month"), null=True, blank=True)
    cutoff_day = models.PositiveSmallIntegerField(_("season cut-off day"), null=True, blank=True)
    allow_playing_up = models.BooleanField(_("allow playing up"), default=False)
    playing_up_groups = models.PositiveSmallIntegerField(_("groups an athlete may play up"), default=1)
    group_span_years = models.PositiveSmallIntegerField(_("years per age group"), default=2)
    sex_allowed = models.CharField(
        _("sex allowed"), max_length=10, choices=SexAllowed, default=SexAllowed.FROM_CATEGORY
    )
    # Technical grade ("level"): open divisions may require one, amateur and youth divisions cap it.
    min_grade = models.CharField(
        _("lowest technical grade"),
        max_length=20,
        choices=AthleteGrade,
        blank=True,
        help_text=_("Empty: any."),
    )
    max_grade = models.CharField(
        _("highest technical grade"),
        max_length=20,
        choices=AthleteGrade,
        blank=True,
        help_text=_("Empty: any. Amateur and youth divisions often allow no grade above second."),
    )
    roster_min = models.PositiveSmallIntegerField(_("minimum roster"), null=True, blank=True)
    roster_max = models.PositiveSmallIntegerField(_("maximum roster"), null=True, blank=True)
    max_events_per_athlete = models.PositiveSmallIntegerField(
        _("maximum events per athlete"),
        null=True,
        blank=True,
        help_text=_("Counted across the programme; empty for no limit."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_birth_year__isnull=True)
                | Q(max_birth_year__isnull=True)
                | Q(max_birth_year__gte=F("min_birth_year")),
                name="eligibility_birth_years_ordered",
                violation_error_message=_("The latest birth year cannot be before the earliest."),
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")),
                name="eligibility_ages_ordered",
                violation_error_message=_("The maximum age cannot be below the minimum age."),
            ),
            models.CheckConstraint(
                condition=Q(roster_min__isnull=True)
                | Q(roster_max__isnull=True)
                | Q(roster_max__gte=F("roster_min")),
                name="eligibility_roster_ordered",
                violation_error_message=_("The maximum roster cannot be below the minimum."),
            ),
            models.CheckConstraint(
                condition=~Q(age_rule=AgeRuleKind.SEASON_CUTOFF)
                | Q(cutoff_month__gte=1, cutoff_month__lte=12, cutoff_day__gte=1, cutoff_day__lte=31),
                name="eligibility_season_cutoff_has_date",
                violation_error_message=_("A season cut-off needs a month and a day."),
            ),
        ]
        verbose_name = _("event eligibility")
        verbose_name_plural = _("event eligibility rules")

    def __str__(self) -> str:
        return f"{self.event} · {self.get_age_rule_display()}"
