"""The catalogue: a programme (season) across cities, its venues, events and sessions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.enums import (
    CityNetwork,
    CompetitorKind,
    Discipline,
    EventCategory,
    EventStatus,
    ProgrammeRole,
    SessionKind,
    SessionStatus,
    VenueKind,
    VenueResourceKind,
    Weapon,
)
from events.i18n import BilingualMixin
from events.validators import session_window_errors

__all__ = ["City", "Event", "Programme", "ProgrammeMembership", "Session", "Venue", "VenueResource"]

# Sports whose entrant is always a team: one competitor per crew or squad, carrying its athletes' keys.
TEAM_KINDS = {
    Discipline.DRAGON_BOAT: CompetitorKind.CREW,
    Discipline.BASKETBALL: CompetitorKind.TEAM,
    Discipline.FOOTBALL: CompetitorKind.TEAM,
    Discipline.CAMP: CompetitorKind.TEAM,
}


class City(BilingualMixin, models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50)
    province_zh = models.CharField(_("province (Chinese)"), max_length=50, blank=True)
    province_en = models.CharField(_("province (English)"), max_length=50, blank=True)
    network = models.CharField(_("network"), max_length=20, choices=CityNetwork, default=CityNetwork.CORRIDOR)
    ordering = models.PositiveSmallIntegerField(_("order along the corridor"), default=0)

    class Meta:
        ordering = ["ordering", "slug"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name


class Programme(BilingualMixin, models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    cities = models.ManyToManyField(City, verbose_name=_("cities"), related_name="programmes", blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="programme_ends_after_start",
                violation_error_message=_("A programme cannot end before it starts."),
            ),
        ]
        ordering = ["-start_date"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class ProgrammeMembership(models.Model):
    """A person's role in one programme (organiser staff). Other roles live in the app that owns them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=ProgrammeRole, default=ProgrammeRole.ORGANISER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "programme", "role"], name="programme_membership_unique"),
        ]
        verbose_name = _("programme membership")
        verbose_name_plural = _("programme memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.programme} · {self.get_role_display()}"


class Venue(BilingualMixin, models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="venues", verbose_name=_("city"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    address_zh = models.CharField(_("address (Chinese)"), max_length=255)
    address_en = models.CharField(_("address (English)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=VenueKind)
    capacity = models.IntegerField(_("capacity"), help_text=_("Spectator places; 0 if none."))
    # GCJ-02 coordinates, the datum Chinese map services use.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=0),
                name="venue_capacity_not_negative",
                violation_error_message=_("A venue's capacity cannot be below zero."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="venue_coordinates_on_earth",
                violation_error_message=_("Latitude must be within ±90 and longitude within ±180."),
            ),
        ]
        ordering = ["city__ordering", "slug"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:venue-detail", kwargs={"slug": self.slug})

    @property
    def address(self) -> str:
        return self.localized("address")

    @property
    def map_url(self) -> str:
        """The venue on Amap (高德地图), which reads GCJ-02 coordinates."""
        query = urlencode(
            {"position": f"{self.longitude},{self.latitude}", "name": self.name_zh, "src": "corridor"}
        )
        return f"https://uri.amap.com/marker?{query}"


class VenueResource(BilingualMixin, models.Model):
    """Something a venue schedules or admits through: a piste, court, lane, table or gate."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=20, choices=VenueResourceKind)
    code = models.SlugField(
        _("code"), help_text=_("Short code unique within the venue, e.g. piste-3 or gate-a.")
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["venue", "code"], name="venue_resource_code_unique"),
        ]
        ordering = ["venue", "kind", "code"]
        verbose_name = _("venue resource")
        verbose_name_plural = _("venue resources")

    def __str__(self) -> str:
        return f"{self.venue.name} · {self.name}"


class Event(BilingualMixin, models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="events")
    slug = models.SlugField(_("slug"), unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline)
    category = models.CharField(
        _("category"), max_length=10, choices=EventCategory, default=EventCategory.OPEN
    )
    weapon = models.CharField(_("weapon"), max_length=10, choices=Weapon, blank=True)
    team_event = models.BooleanField(
        _("team event"),
        default=False,
        help_text=_(
            "Fencing: the entrants are teams of three fencers and a reserve, who meet in the nine-bout "
            "relay. Dragon boat, basketball, football and camp games are always between teams."
        ),
    )
    age_group = models.CharField(
        _("age group"), max_length=20, blank=True, help_text=_("A label such as U12.")
    )
    host_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="events", verbose_name=_("host city")
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("main venue"),
        null=True,
        blank=True,
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=20, choices=EventStatus, default=EventStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="event_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(weapon="") | Q(discipline=Discipline.FENCING),
                name="event_weapon_only_for_fencing",
                violation_error_message=_("Only fencing events have a weapon."),
            ),
            models.CheckConstraint(
                condition=Q(team_event=False) | Q(discipline=Discipline.FENCING),
                name="event_team_flag_only_for_fencing",
                violation_error_message=_(
                    "Only a fencing event can be marked a team event: the other sports are always between teams."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "start_date"])]
        ordering = ["start_date", "slug"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:event-detail", kwargs={"slug": self.slug})

    @property
    def team_kind(self) -> str | None:
        """What one entrant of the draw is when it is a team (a crew, a team), or None when each athlete
        enters alone. The one place that says which events are between teams."""
        if self.discipline == Discipline.FENCING:
            return CompetitorKind.TEAM if self.team_event else None
        return TEAM_KINDS.get(self.discipline)

    def clean(self) -> None:
        super().clean()
        if self.pk and self.start_date and self.end_date:
            outside = [
                session
                for session in self.sessions.all()
                if session_window_errors(
                    event_start=self.start_date,
                    event_end=self.end_date,
                    starts_at=session.starts_at,
                    ends_at=session.ends_at,
                )
            ]
            if outside:
                raise ValidationError(
                    _("%(count)d sessions would fall outside the new dates; move them first.")
                    % {"count": len(outside)}
                )

    @property
    def description(self) -> str:
        return self.localized("description")

    @property
    def is_public(self) -> bool:
        return self.status in (EventStatus.PUBLISHED, EventStatus.CANCELLED)


class Session(BilingualMixin, models.Model):
    """A time slot at a venue: a bout block, a heat, a match, a ceremony or a camp activity."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("venue")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind)
    name_zh = models.CharField(_("name (Chinese)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus, default=SessionStatus.SCHEDULED
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.event.name} · {self.name}"

    @property
    def kind_adds_information(self) -> bool:
        """Competition sessions are named for what happens ("Pool round"), so "bout block" or "match"
        after the name repeats it; a ceremony or camp activity in a competition's programme is worth a
        label, since a spectator would otherwise expect sport."""
        return self.kind in (SessionKind.CEREMONY, SessionKind.CAMP_ACTIVITY)

    def clean(self) -> None:
        super().clean()
        if self.event_id and self.starts_at and self.ends_at:
            errors = session_window_errors(
                event_start=self.event.start_date,
                event_end=self.event.end_date,
                starts_at=self.starts_at,
                ends_at=self.ends_at,
            )
            if errors:
                raise ValidationError(errors)

    @property
    def local_date(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED
