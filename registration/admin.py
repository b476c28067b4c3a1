"""Registration admin. Accounts and consent texts are for superusers; organisers see their programmes'
rows read-only (events.admin.ScopedAdmin) and configure their events' registration settings and fees."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from events.admin import ScopedAdmin
from registration.models import User


@admin.register(User)
class UserAdmin(ScopedAdmin, BaseUserAdmin):  # superusers only: no programme_path
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "preferred_language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


# --- paperwork, workflow, fees, accreditation: read-mostly; writes go through the services --------

from registration.models import (  # noqa: E402
    Badge,
    BadgeSheetJob,
    Consent,
    ConsentRulesText,
    EntryTransition,
    EventFee,
    EventRegistrationSettings,
    FeeCharge,
    SubstitutionRequest,
    WaitlistPlace,
)
from registration.services.accreditation import badges_holders_read  # noqa: E402


@admin.register(ConsentRulesText)
class ConsentRulesTextAdmin(ScopedAdmin):
    list_display = ["version", "title_zh", "published_at"]
    search_fields = ["version", "title_zh", "title_en"]


@admin.register(Consent)
class ConsentAdmin(ScopedAdmin):
    programme_path = "athlete__delegation__programme"
    list_display = ["athlete_id", "purpose", "given_by", "granted", "method", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "given_by", "granted", "method"]
    raw_id_fields = ["athlete", "guardian", "recorded_by"]

    def has_change_permission(self, request, obj=None):
        return False  # consent history is a record: change it through withdrawal, never by editing


@admin.register(EventRegistrationSettings)
class EventRegistrationSettingsAdmin(ScopedAdmin):
    programme_path = "event__programme"
    organiser_can = frozenset({"view", "change"})
    list_display = ["event", "roster_deadline", "capacity", "offer_hours", "locked_at"]
    raw_id_fields = ["event"]


@admin.register(EventFee)
class EventFeeAdmin(ScopedAdmin):
    programme_path = "event__programme"
    organiser_can = frozenset({"view", "change"})
    list_display = ["event", "basis", "amount_fen", "deposit_fen", "payment_required_before_approval"]
    raw_id_fields = ["event"]


@admin.register(EntryTransition)
class EntryTransitionAdmin(ScopedAdmin):
    programme_path = "entry__team__delegation__programme"
    list_display = ["entry_id", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["to_status"]

    def has_change_permission(self, request, obj=None):
        return False  # the ledger is append-only

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SubstitutionRequest)
class SubstitutionRequestAdmin(ScopedAdmin):
    programme_path = "entry__team__delegation__programme"
    list_display = ["entry_id", "replacement", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["entry", "replacement", "requested_by", "decided_by", "new_entry"]


@admin.register(WaitlistPlace)
class WaitlistPlaceAdmin(ScopedAdmin):
    programme_path = "event__programme"
    list_display = ["entry_id", "event", "state", "queued_at", "offer_expires_at"]
    list_filter = ["state"]
    raw_id_fields = ["entry", "event"]


@admin.register(FeeCharge)
class FeeChargeAdmin(ScopedAdmin):
    programme_path = "team__delegation__programme"
    list_display = ["team", "athlete_id", "part", "amount_fen", "state", "order", "paid_at"]
    list_filter = ["state", "part"]
    raw_id_fields = ["team", "athlete", "order"]


@admin.register(Badge)
class BadgeAdmin(ScopedAdmin):
    programme_path = "event__programme"
    # Holders (often children) are not listed nor searched: a name searched for would sit in the
    # page's URL. A badge's page shows its holder, and that read is recorded for an athlete's badge.
    list_display = ["pk", "role", "event", "delegation", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["credential__public_id"]
    hidden_lookups = frozenset({"holder_label"})  # ?holder_label__istartswith=… would search by name too
    raw_id_fields = ["credential", "delegation", "event", "entry", "membership"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:  # the page shows the holder (also re-shown after a failed save)
            badge = Badge.objects.filter(pk=object_id).values_list("credential_id", flat=True).first()
            if badge is not None:
                badges_holders_read(credential_ids=[badge], user=request.user, single=True)
        return response


@admin.register(BadgeSheetJob)
class BadgeSheetJobAdmin(ScopedAdmin):
    programme_path = "programme"
    list_display = ["pk", "delegation", "state", "done", "total", "created_at", "finished_at"]
    list_filter = ["state"]
