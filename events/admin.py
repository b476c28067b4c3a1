"""Season administration. Organisers who are not superusers see and change only their programmes."""

from __future__ import annotations

from django.contrib import admin

from events.models import (
    AgeBandLimit,
    City,
    Competitor,
    Event,
    Match,
    Programme,
    ProgrammeMembership,
    ResultChange,
    ScheduleSettings,
    ScheduleVersion,
    Session,
    TravelTime,
    Venue,
    VenueResource,
)
from events.rules import two_factor_passed


class ScopedAdmin(admin.ModelAdmin):
    """The base of every admin class: each object is checked, for view, change, add, delete and actions.

    Superusers (with two-factor passed, as the admin site requires) may do what the class allows.
    Organisers (staff with a programme role) reach only rows whose `programme_path` leads to a programme
    they organise, and only the powers in `organiser_can`; a class without `programme_path` is for
    superusers alone. Subclasses narrow further (a record that is never edited returns False).
    """

    programme_path: str | None = None  # lookup from the model to Programme ("" for Programme itself)
    organiser_can: frozenset[str] = frozenset({"view"})
    # Fields no list may be filtered by from its URL (Django allows any lookup on a model's own
    # fields there): a child's name searched for would sit in the URL and the access logs.
    hidden_lookups: frozenset[str] = frozenset()

    @staticmethod
    def _superuser(request) -> bool:
        user = request.user
        return user.is_active and user.is_superuser and two_factor_passed(user)

    @staticmethod
    def _organised(request) -> list[int]:
        """The programmes the user organises (staff, two-factor passed), read once per request."""
        if not hasattr(request, "_admin_programme_ids"):
            user = request.user
            allowed = user.is_active and user.is_staff and two_factor_passed(user)
            request._admin_programme_ids = (
                list(user.programme_roles.values_list("programme_id", flat=True)) if allowed else []
            )
        return request._admin_programme_ids

    def _lookup(self) -> str:
        return f"{self.programme_path}__in" if self.programme_path else "pk__in"

    def _organiser_may(self, request, power: str, obj=None) -> bool:
        if self.programme_path is None or power not in self.organiser_can:
            return False
        programmes = self._organised(request)
        if not programmes:
            return False
        if obj is None:
            return True
        return self.model._default_manager.filter(pk=obj.pk, **{self._lookup(): programmes}).exists()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._superuser(request):
            return queryset
        if self.programme_path is None:
            return queryset.none()
        return queryset.filter(**{self._lookup(): self._organised(request)}).distinct()

    def has_module_permission(self, request):
        return self._superuser(request) or self._organiser_may(request, "view")

    def has_view_permission(self, request, obj=None):
        return (
            self.has_change_permission(request, obj)
            or self._superuser(request)
            or self._organiser_may(request, "view", obj)
        )

    def has_change_permission(self, request, obj=None):
        return self._superuser(request) or self._organiser_may(request, "change", obj)

    def has_add_permission(self, request):
        return self._superuser(request) or self._organiser_may(request, "add")

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request) or self._organiser_may(request, "delete", obj)

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split("__", 1)[0] in self.hidden_lookups:
            return False
        return super().lookup_allowed(lookup, value, request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not self._superuser(request):
            programmes = self._organised(request)
            if db_field.related_model is Programme:
                kwargs["queryset"] = Programme.objects.filter(pk__in=programmes)
            if db_field.related_model is Event:
                kwargs["queryset"] = Event.objects.filter(programme__in=programmes)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedInline:
    """Mixin for inlines: they follow their parent's admin for the parent object (change covers add
    and delete of the inline rows)."""

    def _parent_admin(self) -> ScopedAdmin:
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)


class ReadableByOrganisersAdmin(ScopedAdmin):
    """Shared reference data (cities, venues): any organiser may view and add; superusers alone change
    and delete, since a venue serves every programme."""

    programme_path = ""  # any programme the user organises

    def _organiser_may(self, request, power: str, obj=None) -> bool:
        return power in {"view", "add"} and bool(self._organised(request))

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)


@admin.register(City)
class CityAdmin(ReadableByOrganisersAdmin):
    list_display = ["name_zh", "name_en", "province_zh", "network", "ordering"]
    list_filter = ["network"]
    search_fields = ["name_zh", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


class VenueResourceInline(ScopedInline, admin.TabularInline):
    model = VenueResource
    extra = 1


@admin.register(Venue)
class VenueAdmin(ReadableByOrganisersAdmin):
    list_display = ["name_zh", "name_en", "city", "kind", "capacity"]
    list_filter = ["city", "kind"]
    search_fields = ["name_zh", "name_en", "address_zh", "slug"]
    list_select_related = ["city"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [VenueResourceInline]


class ProgrammeMembershipInline(ScopedInline, admin.TabularInline):
    """Who organises a programme is decided by superusers: organisers see the list only."""

    model = ProgrammeMembership
    extra = 0
    autocomplete_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return ScopedAdmin._superuser(request)

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdmin):
    programme_path = ""
    organiser_can = frozenset({"view", "change"})
    list_display = ["name_zh", "name_en", "start_date", "end_date"]
    search_fields = ["name_zh", "name_en", "slug"]
    filter_horizontal = ["cities"]
    inlines = [ProgrammeMembershipInline]


class SessionInline(ScopedInline, admin.TabularInline):
    model = Session
    extra = 0
    fields = ["name_zh", "name_en", "kind", "venue", "starts_at", "ends_at", "status"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    programme_path = "programme"
    organiser_can = frozenset({"view", "change", "add"})
    list_display = ["name_zh", "name_en", "discipline", "host_city", "start_date", "end_date", "status"]
    list_filter = ["status", "discipline", "host_city", "programme"]
    search_fields = ["name_zh", "name_en", "slug"]
    list_select_related = ["host_city", "programme"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(ScopedAdmin):
    programme_path = "event__programme"
    organiser_can = frozenset({"view", "change", "add"})
    list_display = ["name_zh", "event", "venue", "kind", "starts_at", "ends_at", "status"]
    list_filter = ["status", "kind", "venue__city", "event__discipline"]
    search_fields = ["name_zh", "name_en", "event__name_zh", "event__name_en"]
    list_select_related = ["event", "venue"]
    date_hierarchy = "starts_at"


class ReadOnlyResultsAdmin(ScopedAdmin):
    """Draws and results change only through the competition services, which log every change
    (ResultChange): the admin shows them and writes nothing."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Competitor)
class CompetitorAdmin(ReadOnlyResultsAdmin):
    programme_path = "event__programme"
    list_display = ["display_name", "event", "club_zh", "seed", "status"]
    list_filter = ["status"]
    search_fields = ["display_name", "club_zh", "club_en"]
    list_select_related = ["event"]


@admin.register(Match)
class MatchAdmin(ReadOnlyResultsAdmin):
    programme_path = "stage__event__programme"
    list_display = ["code", "stage", "left", "right", "left_score", "right_score", "status"]
    list_filter = ["status"]
    list_select_related = ["stage__event", "left", "right"]


@admin.register(ResultChange)
class ResultChangeAdmin(ReadOnlyResultsAdmin):
    programme_path = "match__stage__event__programme"
    list_display = ["match", "changed_by", "changed_at"]
    list_select_related = ["match__stage__event", "changed_by"]


# ---- the schedule's rules, edited by the programme's organisers -----------------------------------


@admin.register(ScheduleSettings)
class ScheduleSettingsAdmin(ScopedAdmin):
    programme_path = "programme"
    organiser_can = frozenset({"view", "change", "add"})
    list_display = ["programme", "step_minutes", "min_rest_minutes", "pool_bout_minutes"]


@admin.register(TravelTime)
class TravelTimeAdmin(ScopedAdmin):
    """The travel-time matrix: minutes between two venues, or two cities (either way round)."""

    programme_path = "programme"
    organiser_can = frozenset({"view", "change", "add"})
    list_display = ["programme", "from_venue", "to_venue", "from_city", "to_city", "minutes"]
    list_select_related = ["programme", "from_venue", "to_venue", "from_city", "to_city"]


@admin.register(AgeBandLimit)
class AgeBandLimitAdmin(ScopedAdmin):
    """Children's limits per age band: matches per day, earliest and latest start."""

    programme_path = "programme"
    organiser_can = frozenset({"view", "change", "add"})
    list_display = ["programme", "band", "max_matches_per_day", "earliest_start", "latest_start"]


@admin.register(ScheduleVersion)
class ScheduleVersionAdmin(ReadOnlyResultsAdmin):
    """Published versions are never changed (a trigger refuses it): the admin only shows them."""

    programme_path = "programme"
    list_display = ["programme", "number", "reason", "published_at", "notified"]
    list_select_related = ["programme"]
