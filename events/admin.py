"""Season administration. Organisers who are not superusers see and change only their programmes."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from events.models import City, Event, Programme, ProgrammeMembership, Session, Venue, VenueResource


class ProgrammeScopedAdmin(admin.ModelAdmin):
    """Limits rows to the programmes the user organises. `programme_path` is the lookup to Programme."""

    programme_path = "programme"

    def _scope(self, request) -> Q:
        prefix = f"{self.programme_path}__" if self.programme_path else ""
        return Q(**{f"{prefix}memberships__user": request.user})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(self._scope(request)).distinct()

    def _is_organiser(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.programme_roles.exists()

    def has_module_permission(self, request):
        return request.user.is_superuser or self._is_organiser(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or self._is_organiser(request)

    has_change_permission = has_view_permission
    has_add_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Programme and not request.user.is_superuser:
            kwargs["queryset"] = Programme.objects.filter(memberships__user=request.user)
        if db_field.related_model is Event and not request.user.is_superuser:
            kwargs["queryset"] = Event.objects.filter(programme__memberships__user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadableByOrganisersAdmin(admin.ModelAdmin):
    """Shared reference data (cities, venues): organisers may view and add, superusers may change all."""

    def _is_organiser(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.programme_roles.exists()

    def has_module_permission(self, request):
        return request.user.is_superuser or self._is_organiser(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or self._is_organiser(request)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission


@admin.register(City)
class CityAdmin(ReadableByOrganisersAdmin):
    list_display = ["name_zh", "name_en", "province_zh", "network", "ordering"]
    list_filter = ["network"]
    search_fields = ["name_zh", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


class VenueResourceInline(admin.TabularInline):
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


class ProgrammeMembershipInline(admin.TabularInline):
    model = ProgrammeMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(ProgrammeScopedAdmin):
    programme_path = ""
    list_display = ["name_zh", "name_en", "start_date", "end_date"]
    search_fields = ["name_zh", "name_en", "slug"]
    filter_horizontal = ["cities"]
    inlines = [ProgrammeMembershipInline]

    def has_add_permission(self, request):
        return request.user.is_superuser


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["name_zh", "name_en", "kind", "venue", "starts_at", "ends_at", "status"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(ProgrammeScopedAdmin):
    list_display = ["name_zh", "name_en", "discipline", "host_city", "start_date", "end_date", "status"]
    list_filter = ["status", "discipline", "host_city", "programme"]
    search_fields = ["name_zh", "name_en", "slug"]
    list_select_related = ["host_city", "programme"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(ProgrammeScopedAdmin):
    programme_path = "event__programme"
    list_display = ["name_zh", "event", "venue", "kind", "starts_at", "ends_at", "status"]
    list_filter = ["status", "kind", "venue__city", "event__discipline"]
    search_fields = ["name_zh", "name_en", "event__name_zh", "event__name_en"]
    list_select_related = ["event", "venue"]
    date_hierarchy = "starts_at"
